"""Speed: a fingerprint's LSH band keys, bottom-k sketch and both story profiles held in one uint64 array."""

# A speed trick beside its plain reference, fingerprints.PlainFingerprint (the same fields, each
# held as itself); tests/test_dedup_packed.py holds the two equal. A run keeps one fingerprint
# per article, so this is what memory grows with: at 100,000 articles the headers of five
# separate small arrays and two profile objects per article cost more than their data (~65 MB).
# The Fingerprint holds the array's bytes, not the array: an array unpickled (from a worker, or
# the spool) is three objects, an array, the array it views and their bytes (100,000 summaries:
# 2.87 KB a document with arrays, 1.55 KB with bytes).
#
# Layout: 4 sizes (band keys, names terms, places terms, sketch hashes) and the shingle count,
# the band keys, the sketch (uint32 hashes two to a word, the last word padded), then per profile
# its terms, its weights and its norm (float64 values stored as the uint64 words that hold them).

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


_HEADER = 5


def pack(bands: np.ndarray, sketch: np.ndarray, shingle_count: int, names: _Profile, places: _Profile) -> np.ndarray:
    """The band keys, the sketch, the shingle count and the two profiles as one uint64 array."""
    hashes = np.zeros(2 * _words(sketch.size), dtype=np.uint32)
    hashes[:sketch.size] = sketch
    return np.concatenate([
        np.array([bands.size, names.terms.size, places.terms.size, sketch.size, shingle_count], dtype=np.uint64),
        bands.astype(np.uint64), hashes.view(np.uint64),
        names.terms, _bits(names.weights), _bits([names.norm]),
        places.terms, _bits(places.weights), _bits([places.norm]),
    ])


def bands(packed: np.ndarray) -> np.ndarray:
    return packed[_HEADER:_HEADER + int(packed[0])]


def sketch(packed: np.ndarray) -> np.ndarray:
    """The bottom-k sketch: uint32 hashes."""
    start = _HEADER + int(packed[0])
    return packed[start:start + _words(int(packed[3]))].view(np.uint32)[:int(packed[3])]


def shingle_count(packed: np.ndarray) -> int:
    return int(packed[4])


def names(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The names profile's (terms, weights, norm)."""
    return _profile(packed, _names_start(packed), int(packed[1]))


def places(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The event-place profile's (terms, weights, norm)."""
    return _profile(packed, _names_start(packed) + 2 * int(packed[1]) + 1, int(packed[2]))


def _names_start(packed: np.ndarray) -> int:
    return _HEADER + int(packed[0]) + _words(int(packed[3]))


def _words(hashes: int) -> int:
    """uint64 words that hold this many uint32 hashes."""
    return (hashes + 1) // 2


def _profile(packed: np.ndarray, start: int, size: int) -> tuple[np.ndarray, np.ndarray, float]:
    values = packed[start + size:start + 2 * size + 1].view(np.float64)
    return packed[start:start + size], values[:size], float(values[size])


def _bits(values) -> np.ndarray:
    """float64 values as the uint64 words that hold them (stored beside the terms, read back with .view)."""
    return np.asarray(values, dtype=np.float64).view(np.uint64)
