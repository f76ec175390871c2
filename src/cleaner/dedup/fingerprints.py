"""The Fingerprint: what dedup keeps of one article (its rank, hash, date, LSH band keys, bottom-k sketch,
story profiles)."""

from __future__ import annotations

import marshal
import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from cleaner.dedup import _packed
from cleaner.dedup.near import band_keys, minhash, shingles_of, sketch, word_hash
from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.stories import story_profiles
from cleaner.record import Article


@dataclass(frozen=True, slots=True)
class Profile:
    """A sparse word vector, compact: term hashes (sorted, unique), their weights, the norm."""
    terms: np.ndarray  # uint64
    weights: np.ndarray  # float64, aligned with terms
    norm: float


@dataclass(frozen=True, slots=True, eq=False)
class PlainFingerprint:
    """A fingerprint's fields, each held as itself: the plain reference of `Fingerprint`.

    The shingles themselves are not kept: the few articles in a candidate pair get theirs again
    from the text when the pair is checked (`decide`).
    """
    id: str
    rank: tuple  # sorts the canonical member of a group first (CANONICAL_RULE)
    content_hash: str
    day: date | None
    bands: np.ndarray  # uint64: the LSH band keys of the MinHash signature (8 bytes per band)
    sketch: np.ndarray  # uint32: the lowest shingle hashes (near.sketch; containment candidates)
    shingle_count: int  # the article's distinct shingles
    names: Profile
    places: Profile

    @property
    def digest(self) -> bytes:
        return bytes.fromhex(self.content_hash)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup needs of one article, about a kilobyte instead of the article: the fields of
    `PlainFingerprint`, its numbers packed in one array (speed: _packed.py) and its rank, content
    hash and day in one marshalled record.

    A run keeps one per article while the articles themselves wait on disk (streaming), so a
    field is one object where it can be: the rank's tuple and strings, the hash and the date
    were six (~190 bytes an article).
    """
    id: str
    facts: bytes  # marshal of (rank, the content hash's 32 bytes, the day's ordinal or None)
    data: bytes  # `packed`'s bytes: one object, where an array unpickled from a worker or the spool is three

    @classmethod
    def pack(cls, plain: PlainFingerprint) -> Fingerprint:
        day = plain.day.toordinal() if plain.day is not None else None
        return cls(plain.id, marshal.dumps((plain.rank, bytes.fromhex(plain.content_hash), day)),
                   _packed.pack(plain.bands, plain.sketch, plain.shingle_count, plain.names,
                                plain.places).tobytes())

    @property
    def rank(self) -> tuple:
        """Sorts the canonical member of a group first (CANONICAL_RULE)."""
        return marshal.loads(self.facts)[0]

    @property
    def digest(self) -> bytes:
        """The content hash's 32 bytes (exact copies have equal digests)."""
        return marshal.loads(self.facts)[1]

    @property
    def content_hash(self) -> str:
        return self.digest.hex()

    @property
    def day(self) -> date | None:
        ordinal = marshal.loads(self.facts)[2]
        return date.fromordinal(ordinal) if ordinal is not None else None

    @property
    def packed(self) -> np.ndarray:
        """uint64: the band keys, the sketch and both profiles (_packed.py)."""
        return np.frombuffer(self.data, dtype=np.uint64)

    @property
    def bands(self) -> np.ndarray:
        return _packed.bands(self.packed)

    @property
    def sketch(self) -> np.ndarray:
        return _packed.sketch(self.packed)

    @property
    def shingle_count(self) -> int:
        return _packed.shingle_count(self.packed)

    @property
    def names(self) -> Profile:
        return Profile(*_packed.names(self.packed))

    @property
    def places(self) -> Profile:
        return Profile(*_packed.places(self.packed))

    def plain(self) -> PlainFingerprint:
        return PlainFingerprint(self.id, self.rank, self.content_hash, self.day, self.bands, self.sketch,
                                self.shingle_count, self.names, self.places)


def fingerprint(article: Article, settings: DedupSettings) -> Fingerprint:
    """The article's dedup fingerprint (computed where the article was cleaned)."""
    return Fingerprint.pack(plain_fingerprint(article, settings))


def plain_fingerprint(article: Article, settings: DedupSettings) -> PlainFingerprint:
    """The article's fingerprint fields, before they are packed."""
    m = article.meta
    filled = sum(bool(v) for v in (m.title, m.author, m.published, m.site, m.url, m.section))
    names, places = story_profiles(article)
    shingles = shingles_of(article, settings)
    return PlainFingerprint(
        id=article.id,
        rank=(-m.word_count, -filled, m.published or "9999-12-31", article.source, article.record or 0),
        content_hash=article.content_hash, day=_day(article),
        bands=band_keys(minhash(shingles, settings.num_perm), settings),
        sketch=sketch(shingles), shingle_count=int(shingles.size),
        names=_profile(names), places=_profile(places),
    )


def _profile(weights: dict[str, float]) -> Profile:
    """A dict profile in compact form (term hashes sorted, weights aligned)."""
    if not weights:
        return _EMPTY_PROFILE
    terms = np.fromiter((word_hash(t) for t in weights), dtype=np.uint64, count=len(weights))
    values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    order = np.argsort(terms)
    return Profile(terms[order], values[order], math.sqrt(sum(w * w for w in weights.values())))


_EMPTY_PROFILE = Profile(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.float64), 0.0)


def _day(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.meta.published[:10]) if article.meta.published else None
    except ValueError:
        return None
