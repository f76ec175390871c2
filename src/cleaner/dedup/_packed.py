"""Speed: a fingerprint's LSH band keys and both story profiles held in one uint64 array."""

# A speed trick beside its plain reference, fingerprints.PlainFingerprint (the same fields, each
# held as itself); tests/test_dedup_packed.py holds the two equal. A run keeps one fingerprint
# per article, so this is what memory grows with: at 100,000 articles the headers of five
# separate small arrays and two profile objects per article cost more than their data (~65 MB).
#
# Layout: 3 sizes (band keys, names terms, places terms), the band keys, then per profile its
# terms, its weights and its norm (float64 values stored as the uint64 words that hold them).

from __future__ import annotations

from typing import Protocol

import numpy as np


class _Profile(Protocol):  # fingerprints.Profile
    @property
    def terms(self) -> np.ndarray: ...
    @property
    def weights(self) -> np.ndarray: ...
    @property
    def norm(self) -> float: ...


def pack(bands: np.ndarray, names: _Profile, places: _Profile) -> np.ndarray:
    """The band keys and the two profiles as one uint64 array."""
    return np.concatenate([
        np.array([bands.size, names.terms.size, places.terms.size], dtype=np.uint64), bands.astype(np.uint64),
        names.terms, _bits(names.weights), _bits([names.norm]),
        places.terms, _bits(places.weights), _bits([places.norm]),
    ])


def bands(packed: np.ndarray) -> np.ndarray:
    return packed[3:3 + int(packed[0])]


def names(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The names profile's (terms, weights, norm)."""
    return _profile(packed, 3 + int(packed[0]), int(packed[1]))


def places(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The event-place profile's (terms, weights, norm)."""
    names_end = 3 + int(packed[0]) + 2 * int(packed[1]) + 1
    return _profile(packed, names_end, int(packed[2]))


def _profile(packed: np.ndarray, start: int, size: int) -> tuple[np.ndarray, np.ndarray, float]:
    values = packed[start + size:start + 2 * size + 1].view(np.float64)
    return packed[start:start + size], values[:size], float(values[size])


def _bits(values) -> np.ndarray:
    """float64 values as the uint64 words that hold them (stored beside the terms, read back with .view)."""
    return np.asarray(values, dtype=np.float64).view(np.uint64)
