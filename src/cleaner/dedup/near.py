"""Near-duplicates: word shingles as 32-bit hashes, MinHash signatures, LSH band keys, candidate pairs, and
the decision on a pair (Jaccard, or containment of the shorter in the longer)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from cleaner.dedup.settings import DedupSettings
from cleaner.normalize import normalized_for_hash
from cleaner.record import Article

if TYPE_CHECKING:
    from cleaner.dedup.fingerprints import Fingerprint

_LSH_RECALL = 0.99  # bands and rows that make a pair at the near threshold a candidate this often
_LSH_FLOOR_RECALL = 0.2  # and a pair at the floor (a contained copy's lowest Jaccard) at least this often
SKETCH_SIZE = 32  # an article's lowest shingle hashes that propose containment candidates (`sketch_pairs`)
SKETCH_MIN_SHARED = 5  # of them two articles share for a candidate pair
SKETCH_MAX_POSTING = 50  # a hash in more sketches than this (common phrases, chrome) proposes no pair
_PAIR_BUFFER = 1 << 18  # candidate pair codes made and counted at a time (`_shared_enough`)
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)


def shingles_of(article: Article, settings: DedupSettings) -> np.ndarray:
    return shingle_hashes(normalized_for_hash(article.body), settings.shingle_size)



def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word `size`-shingles of a normalised text.

    Each word is hashed once (blake2b, the same on every machine and process); a shingle's
    hash combines its words' hashes by position, in NumPy. Two different shingles share a
    hash with odds of 1 in 4 billion, so Jaccard on hashes equals Jaccard on the shingles.
    """
    tokens = text.split()
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    words = np.fromiter((word_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    size = min(size, len(tokens))
    count = len(tokens) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(size):
            combined = combined * np.uint64(0x100000001B3) + words[k:k + count]
    return np.unique((combined >> np.uint64(32)).astype(np.uint32))


@lru_cache(maxsize=65_536)
def word_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


class Overlap(NamedTuple):
    """What two shingle sets share: the shingles in both, and the size of each set (smaller first)."""
    common: int
    smaller: int
    larger: int

    @property
    def jaccard(self) -> float:
        union = self.smaller + self.larger - self.common
        return self.common / union if union else 1.0

    @property
    def containment(self) -> float:
        """Share of the smaller set inside the larger."""
        return self.common / self.smaller if self.smaller else 1.0


def overlap(a: np.ndarray, b: np.ndarray) -> Overlap:
    """The Overlap of two sorted unique hash arrays."""
    common = np.intersect1d(a, b, assume_unique=True).size
    return Overlap(common, min(a.size, b.size), max(a.size, b.size))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays."""
    return overlap(a, b).jaccard


def is_near_copy(pair: Overlap, settings: DedupSettings) -> bool:
    """Whether two articles are near-duplicates: Jaccard at or above the near threshold, or the
    shorter nearly all inside the longer (containment) when both are long enough and of
    comparable length.

    Jaccard alone punishes a copy that keeps some chrome its other copy lost (the same page as
    HTML and as a whole-page text dump: Jaccard 0.25-0.7, containment 0.8-1.0 on WCXB dev
    articles), while containment alone would make a brief a copy of the longer story that
    quotes it word for word: the length ratio keeps those apart (benchmarks/crossformat.py).
    """
    if pair.jaccard >= settings.near_threshold:
        return True
    return (pair.smaller >= settings.containment_min_shingles
            and pair.larger <= settings.containment_max_ratio * pair.smaller
            and pair.containment >= settings.containment_threshold)


def candidate_floor(settings: DedupSettings) -> float:
    """The lowest Jaccard similarity of a pair `is_near_copy` can accept: the near threshold, or
    for a contained copy c / (1 + r - c) (c shared of the shorter's n shingles, at most r * n in
    the longer), whichever is lower. LSH banding takes it into account (`_banding`)."""
    c, r = settings.containment_threshold, settings.containment_max_ratio
    return min(settings.near_threshold, c / (1 + r - c))


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's MinHash permutations for seed 1: a*x + b mod the Mersenne prime 2^61-1."""
    gen = np.random.RandomState(1)
    ab = np.array([(gen.randint(1, int(_MERSENNE), dtype=np.uint64), gen.randint(0, int(_MERSENNE), dtype=np.uint64))
                   for _ in range(num_perm)], dtype=np.uint64).T
    return ab[0], ab[1]


def minhash(shingles: np.ndarray, num_perm: int) -> np.ndarray:
    """MinHash signature (uint32) of a set of 32-bit shingle hashes: datasketch's "legacy" scheme, in NumPy."""
    if not shingles.size:
        return np.full(num_perm, int(_MAX_HASH), dtype=np.uint32)
    a, b = _permutations(num_perm)
    with np.errstate(over="ignore"):
        values = (np.outer(shingles.astype(np.uint64), a) + b) % _MERSENNE & _MAX_HASH
    return values.min(axis=0).astype(np.uint32)


def band_keys(signature: np.ndarray, settings: DedupSettings) -> np.ndarray:
    """The LSH band keys of a MinHash signature: b bands of r rows (`_banding`), each reduced to
    one 64-bit key. Two articles whose keys are equal in any band are a candidate pair."""
    bands, rows = _banding(settings.near_threshold, candidate_floor(settings), settings.num_perm)
    with np.errstate(over="ignore"):
        rows_of = signature[:bands * rows].astype(np.uint64).reshape(bands, rows)
        return (rows_of * _band_multipliers(rows)).sum(axis=1)


@lru_cache(maxsize=8)
def _banding(near_threshold: float, floor: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows): the most rows per band (fewest chance candidates) with which a pair at the
    near threshold is a candidate with probability >= _LSH_RECALL and a pair at the floor (a
    contained copy's lowest Jaccard) at least _LSH_FLOOR_RECALL of the time; P(j) = 1 - (1 - j^r)^b,
    b = num_perm // r.

    LSH only proposes candidates; the exact check decides. Chance candidates grow with the
    square of the articles: unrelated articles share a few shingles (common phrases, leftover
    chrome; Jaccard 0.01-0.05 on the generated corpus), a candidate with probability ~ b * j^r.
    At the defaults (near 0.7, floor 0.296): 32 bands of 4 rows. P(0.7) = 1.000, P(0.56) = 0.96,
    P(0.5) = 0.87, P(0.45) = 0.74, P(0.296) = 0.22; chance pairs P(0.05) = 2.0e-4, P(0.028) = 2.0e-5.
    64 bands of 2 rows (P(0.296) = 0.997) made 0.05 of the pairs at 0.028 candidates: 24 candidate
    pairs per article at 1,000 text articles of the generated corpus, 48 at 2,000, quadratic.
    Real contained copies sit well above the floor: the cross-format pairs found on WCXB dev have
    Jaccard 0.39 and up (7 of 538 below 0.45), and 4 rows find 536 of its 556 pairs against 538
    with 2 rows (docs/performance.md, dedup). A pair at the floor itself would need 114 bands of 3 rows
    (342 permutations) to be a candidate 95 times in 100; bottom-k sketches propose such pairs
    instead (`sketch_pairs`: 538 of 556).
    """
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if (1 - (1 - near_threshold ** rows) ** bands >= _LSH_RECALL
                and 1 - (1 - floor ** rows) ** bands >= _LSH_FLOOR_RECALL):
            return bands, rows
    return num_perm, 1


@lru_cache(maxsize=8)
def _band_multipliers(rows: int) -> np.ndarray:
    return (np.arange(rows, dtype=np.uint64) * np.uint64(2) + np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)


def candidate_pairs(prints: Sequence[Fingerprint], keys: Sequence[int],
                    settings: DedupSettings) -> list[tuple[int, int]]:
    """The pairs to check, sorted: those whose band keys are equal in some band (`band_pairs`)
    and those whose bottom-k sketches share enough hashes (`sketch_pairs`)."""
    n = len(prints)
    return _pairs(np.union1d(_band_codes(prints, keys), _sketch_codes(prints, keys, settings)), n)


def band_pairs(prints: Sequence[Fingerprint], keys: Sequence[int]) -> list[tuple[int, int]]:
    """Pairs whose band keys are equal in some band (sorted per band in NumPy; never all pairs)."""
    return _pairs(_band_codes(prints, keys), len(prints))


def _pairs(codes: np.ndarray, n: int) -> list[tuple[int, int]]:
    """The (first, second) pairs of sorted pair codes first * n + second."""
    return list(zip((codes // n).tolist(), (codes % n).tolist()))


def concatenated(parts: Iterable[np.ndarray], dtype, total: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(the parts end to end, the size of each).

    Memory: with `total` (the parts' summed size, when the caller knows it) the result is filled
    in place, nothing else held; without, the parts are joined _GROUP at a time and the groups
    at the end (twice the result at most; a list of 100,000 small arrays, with the bases a
    fingerprint's fields are views of, costs ~40 MB more, and a doubling buffer up to three times
    the result)."""
    sizes: list[int] = []
    if total is not None:
        out = np.empty(total, dtype=dtype)
        at = 0
        for part in parts:
            out[at:at + part.size] = part
            at += part.size
            sizes.append(part.size)
        if at != total:
            raise ValueError(f"parts of {at} values, {total} announced")
        return out, np.array(sizes, dtype=np.int64)
    groups: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    for part in parts:
        pending.append(part)
        sizes.append(part.size)
        if len(pending) == _GROUP:
            groups.append(np.concatenate(pending).astype(dtype, copy=False))
            pending = []
    if pending:
        groups.append(np.concatenate(pending).astype(dtype, copy=False))
    out = np.concatenate(groups).astype(dtype, copy=False) if groups else np.empty(0, dtype=dtype)
    return out, np.array(sizes, dtype=np.int64)


_GROUP = 4096


@lru_cache(maxsize=256)
def upper_pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    """(first, second) positions of every pair in a group of `size` members, first < second.

    16-bit where they fit: the cache outlives the run's dedup, and with every size up to
    MAX_POSTING (200) in it, NumPy's 64-bit positions were 21 MB (16-bit: 5 MB)."""
    first, second = np.triu_indices(size, 1)
    if size <= np.iinfo(np.int16).max:
        return first.astype(np.int16), second.astype(np.int16)
    return first, second


def _band_codes(prints: Sequence[Fingerprint], keys: Sequence[int]) -> np.ndarray:
    """Sorted codes (first * len(prints) + second, first < second) of the pairs whose band keys
    are equal in some band."""
    if len(keys) < 2:
        return np.empty(0, dtype=np.int64)
    index = np.asarray(keys, dtype=np.int64)
    total = sum(prints[i].bands.size for i in keys)
    table = concatenated((prints[i].bands for i in keys), np.uint64, total)[0].reshape(len(keys), -1)
    n = len(prints)
    codes = [np.empty(0, dtype=np.int64)]
    for band in range(table.shape[1]):
        column = table[:, band]
        order = np.argsort(column, kind="stable")
        starts, sizes = runs(column[order])
        for size in np.unique(sizes[sizes > 1]).tolist():
            members = index[order[starts[sizes == size, None] + np.arange(size)]]
            a, b = upper_pairs(size)
            first, second = members[:, a].ravel(), members[:, b].ravel()
            codes.append(np.minimum(first, second) * n + np.maximum(first, second))
    return np.unique(np.concatenate(codes))


def sketch(shingles: np.ndarray) -> np.ndarray:
    """The bottom-k sketch of a sorted unique shingle hash array: its SKETCH_SIZE lowest hashes."""
    return shingles[:SKETCH_SIZE].astype(np.uint32)


def sketch_pairs(prints: Sequence[Fingerprint], keys: Sequence[int], settings: DedupSettings) -> list[tuple[int, int]]:
    """Containment candidates: pairs of articles long enough for containment, of comparable length
    (the longer at most containment_max_ratio times the shorter's shingles), whose bottom-k
    sketches share at least SKETCH_MIN_SHARED hashes; sorted.

    Two sets' k lowest hashes together hold the k lowest of their union, a random k of it, and
    each of those in both sets is in both sketches: two articles share about k * Jaccard of
    their sketch hashes, at least Binomial(k, j). At k = 32, 5 shared: a pair at Jaccard 0.3 (a
    copy 0.8 inside one 2.5 times longer) is a candidate 0.98 of the time, at 0.39 0.999; LSH
    banding (`band_pairs`) is not that steep with 128 permutations (32 bands of 4 rows: 0.22 at
    0.3; 2 rows made chance candidates quadratic). The WCXB dev cross-format copies share 11 to
    32 of their 32 sketch hashes (docs/performance.md, dedup).

    Chance pairs stay linear because of the postings' bound, not the binomial (a pair at 0.05 is
    still counted 0.02 of the time): unrelated articles share common phrases and chrome, and a
    hash in more than SKETCH_MAX_POSTING sketches proposes no pair, so an article is counted in
    at most SKETCH_SIZE * (SKETCH_MAX_POSTING - 1) pair hashes whatever the run's size (on the
    generated corpus: 0.20 sketch pairs per article at 1,000 and at 10,000 articles). The price:
    an article copied more than SKETCH_MAX_POSTING times has only LSH to propose its pairs.
    Articles too short for containment are not indexed. The exact check decides (`is_near_copy`).
    """
    return _pairs(_sketch_codes(prints, keys, settings), len(prints))


def _sketch_codes(prints: Sequence[Fingerprint], keys: Sequence[int], settings: DedupSettings) -> np.ndarray:
    """`sketch_pairs` as sorted codes first * len(prints) + second."""
    eligible = sorted(i for i in keys if prints[i].shingle_count >= settings.containment_min_shingles)
    if len(eligible) < 2:
        return np.empty(0, dtype=np.int64)
    n = len(eligible)
    total = sum(prints[i].sketch.size for i in eligible)
    values, sizes = concatenated((prints[i].sketch for i in eligible), np.uint32, total)
    owners = np.repeat(np.arange(n, dtype=np.int32), sizes)  # each hash's article
    codes = _shared_enough(owners, values, n)
    del owners, values
    lengths = np.array([prints[i].shingle_count for i in eligible], dtype=np.int64)
    first, second = codes // n, codes % n
    short, long = np.minimum(lengths[first], lengths[second]), np.maximum(lengths[first], lengths[second])
    comparable = long <= max(settings.containment_max_ratio, 1 / settings.near_threshold) * short
    index = np.asarray(eligible, dtype=np.int64)
    return index[first[comparable]] * len(prints) + index[second[comparable]]


def _shared_enough(owners: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """The sorted codes (first * n + second, first < second) of the pairs of articles whose
    sketches share at least SKETCH_MIN_SHARED hashes. `owners` (int32, ascending) and `values`:
    each sketch hash's article and value. A posting: the articles of one hash value, when
    there are 2 to SKETCH_MAX_POSTING of them.

    Nearly all pairs meet once (chance: a common phrase), so the codes made are many more than
    the pairs kept (the generated corpus at 100,000 documents: 3.3 M codes for 56,000 pairs):
    they are never all held at once. A pair (a, b), a < b, is met only where a stands in a
    posting with b after it, so the codes of a run of first articles are all made, and
    counted, in that run's chunk: memory is one chunk of about _PAIR_BUFFER codes beside a few
    32-bit arrays of one entry per hash (3.2 M at 100,000 documents), and every code is made
    once. Measured there: sketch_pairs' peak 167 MiB -> 89 MiB (`tracemalloc`; 74 MiB
    at 7f1f5ec)."""
    order = np.lexsort((owners, values)).astype(np.int32)  # posting order: by hash, then article
    starts, sizes = runs(values[order], np.int32)
    keep = (sizes > 1) & (sizes <= SKETCH_MAX_POSTING)
    in_posting = owners[order]  # the article at each posting position
    # How many members follow each posting position in its posting (0 outside kept postings).
    after = np.repeat(np.where(keep, starts + sizes, 0).astype(np.int32), sizes)
    after -= np.arange(1, order.size + 1, dtype=np.int32)
    np.maximum(after, 0, out=after)
    follows = np.empty_like(after)  # the same, in article order
    follows[order] = after
    del after, starts, sizes, keep
    position = np.empty_like(order)  # each hash's posting position, in article order
    position[order] = np.arange(order.size, dtype=np.int32)
    del order
    heads = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if owners.size else np.empty(0, dtype=np.int64)
    bounds = np.r_[heads, owners.size]
    reach = np.cumsum(np.add.reduceat(follows, heads, dtype=np.int64)) if heads.size else np.empty(0, dtype=np.int64)
    found = []
    a = 0
    while a < heads.size:  # a chunk: the articles of heads a..b-1, about _PAIR_BUFFER codes (one article at least)
        b = max(a + 1, int(np.searchsorted(reach, (reach[a - 1] if a else 0) + _PAIR_BUFFER, side="right")))
        lo, hi = bounds[a], bounds[b]
        counts = follows[lo:hi]
        if counts.any():
            rows = np.repeat(np.arange(lo, hi), counts)
            step = np.arange(rows.size) - np.repeat(np.cumsum(counts, dtype=np.int64) - counts, counts) + 1
            codes = owners[rows].astype(np.int64) * n + in_posting[position[rows].astype(np.int64) + step]
            del rows, step
            unique, seen = np.unique(codes, return_counts=True)
            found.append(unique[seen >= SKETCH_MIN_SHARED])
        a = b
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def runs(ordered: np.ndarray, dtype=np.int64) -> tuple[np.ndarray, np.ndarray]:
    """(start, length) of each run of equal values in a sorted array, as `dtype` (int32 where
    the caller's arrays are: never an int64 array of the input's size on the way)."""
    if not ordered.size:
        return np.empty(0, dtype=dtype), np.empty(0, dtype=dtype)
    boundary = np.empty(ordered.size, dtype=bool)
    boundary[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=boundary[1:])
    starts = np.arange(ordered.size, dtype=dtype)[boundary]
    del boundary
    return starts, np.diff(np.r_[starts, np.array([ordered.size], dtype=dtype)])


def connected_components(nodes: Iterable[int], pairs: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    """The groups of nodes that (weighted) pairs join, each sorted (union-find)."""
    parent = {n: n for n in nodes}

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b, _ in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for n in parent:
        groups[find(n)].append(n)
    return [sorted(g) for g in groups.values()]
