"""dedup's containment candidates from bottom-k sketches (near.sketch_pairs): a copy inside a page
dump that LSH banding does not propose is checked and found; unrelated articles are not checked."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from cleaner.dedup import DedupSettings, PlainFingerprint, Profile, decide, dedup, fingerprint, overlap, shingles_of
from cleaner.dedup.near import (
    SKETCH_MAX_POSTING,
    SKETCH_MIN_SHARED,
    SKETCH_SIZE,
    band_pairs,
    candidate_pairs,
    sketch_pairs,
)
from cleaner.normalize import content_hash
from cleaner.record import Article, Block, BlockKind, Format, Meta

SETTINGS = DedupSettings(near_threshold=0.7, story_threshold=0.3)
_VOCABULARY = [f"w{k}" for k in range(3000)]


def text(seed: int, words: int) -> list[str]:
    """Paragraphs of `words` words drawn from a large vocabulary (unrelated texts share no 5-shingle)."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(_VOCABULARY) for _ in range(20)) + "." for _ in range(words // 20)]


def art(id_: str, paragraphs: list[str]) -> Article:
    blocks = tuple(Block(BlockKind.PARAGRAPH, p) for p in paragraphs)
    a = Article(id=id_, source=f"{id_}.txt", format=Format.TEXT, input_format="text", blocks=blocks)
    body = a.body
    return replace(a, meta=Meta(word_count=len(body.split())), content_hash=content_hash(body))


def _page_pair(seed: int) -> list[Article]:
    """An article and its page's text dump: menus and links around it, 2.4 times its words
    (Jaccard 0.41, the article wholly inside: a near copy by containment)."""
    body = text(seed, 300)
    return [art("html", body), art("dump", text(1000 + seed, 220) + body + text(2000 + seed, 200))]


def test_a_contained_copy_that_lsh_banding_misses_is_found():
    pair = _page_pair(1)
    prints = [fingerprint(a, SETTINGS) for a in pair]
    found = overlap(*(shingles_of(a, SETTINGS) for a in pair))
    assert found.containment == 1.0 and 0.4 < found.jaccard < 0.45
    assert band_pairs(prints, [0, 1]) == []  # 32 bands of 4 rows: not proposed
    assert sketch_pairs(prints, [0, 1], SETTINGS) == [(0, 1)]
    assert candidate_pairs(prints, [0, 1], SETTINGS) == [(0, 1)]
    html, dump = dedup(pair, SETTINGS)
    assert (html.duplicate_of, html.duplicate_kind, dump.duplicate_of) == ("dump", "near", None)
    assert html.similarity == round(found.jaccard, 4)


def test_sketches_propose_every_such_copy_where_banding_proposes_some():
    banded = proposed = 0
    for seed in range(20):
        prints = [fingerprint(a, SETTINGS) for a in _page_pair(seed)]
        banded += band_pairs(prints, [0, 1]) == [(0, 1)]
        proposed += sketch_pairs(prints, [0, 1], SETTINGS) == [(0, 1)]
    assert proposed == 20
    assert banded < 16  # P(0.41) = 0.64 at 32 x 4


def test_unrelated_articles_are_neither_checked_nor_merged():
    articles = [art(f"a{seed}", text(seed, 300 + 40 * seed)) for seed in range(12)]
    prints = [fingerprint(a, SETTINGS) for a in articles]
    asked: list[int] = []

    def shingles(wanted):
        asked.extend(wanted)
        return {i: shingles_of(articles[i], SETTINGS) for i in wanted}

    assert sketch_pairs(prints, list(range(12)), SETTINGS) == []
    decisions = decide(prints, SETTINGS, shingles)
    assert asked == [] and all(d.duplicate_of is None for d in decisions)


def _synthetic(n: int, shared: np.ndarray, shingle_count: int = 500) -> list[PlainFingerprint]:
    empty = Profile(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.float64), 0.0)
    rng = np.random.default_rng(n)
    out = []
    for k in range(n):
        own = rng.choice(1 << 31, SKETCH_SIZE - shared.size, replace=False).astype(np.uint32) | np.uint32(1 << 31)
        out.append(PlainFingerprint(f"s{k}", (k,), f"{k:064x}", None, np.array([k], dtype=np.uint64),
                                    np.sort(np.concatenate([shared, own])), shingle_count, empty, empty))
    return out


def test_a_hash_in_more_sketches_than_the_bound_proposes_no_pair():
    shared = np.arange(SKETCH_MIN_SHARED, dtype=np.uint32)
    within = _synthetic(SKETCH_MAX_POSTING, shared)
    every = SKETCH_MAX_POSTING * (SKETCH_MAX_POSTING - 1) // 2
    assert len(sketch_pairs(within, list(range(len(within))), SETTINGS)) == every
    beyond = _synthetic(SKETCH_MAX_POSTING + 1, shared)
    assert sketch_pairs(beyond, list(range(len(beyond))), SETTINGS) == []


def test_sketch_pairs_need_enough_shared_hashes_comparable_lengths_and_containments_floor():
    few = _synthetic(2, np.arange(SKETCH_MIN_SHARED - 1, dtype=np.uint32))
    assert sketch_pairs(few, [0, 1], SETTINGS) == []
    pair = _synthetic(2, np.arange(SKETCH_MIN_SHARED, dtype=np.uint32))
    assert sketch_pairs(pair, [0, 1], SETTINGS) == [(0, 1)]
    assert sketch_pairs(pair, [1], SETTINGS) == []  # only the keys asked for
    longer = [pair[0], replace(pair[1], shingle_count=int(500 * SETTINGS.containment_max_ratio) + 1)]
    assert sketch_pairs(longer, [0, 1], SETTINGS) == []
    short = [replace(p, shingle_count=SETTINGS.containment_min_shingles - 1) for p in pair]
    assert sketch_pairs(short, [0, 1], SETTINGS) == []


def test_an_articles_sketch_is_its_lowest_shingle_hashes():
    article = art("a", text(7, 400))
    hashes = shingles_of(article, SETTINGS)
    print_ = fingerprint(article, SETTINGS)
    assert print_.shingle_count == hashes.size
    assert print_.sketch.dtype == np.uint32 and print_.sketch.tolist() == hashes[:SKETCH_SIZE].tolist()


def _plain_sketch_pairs(prints, keys, settings: DedupSettings) -> list[tuple[int, int]]:
    """sketch_pairs' definition, counted pair by pair in Python."""
    from collections import Counter, defaultdict
    from itertools import combinations

    eligible = sorted(i for i in keys if prints[i].shingle_count >= settings.containment_min_shingles)
    postings = defaultdict(list)
    for i in eligible:
        for value in set(prints[i].sketch.tolist()):
            postings[value].append(i)
    shared = Counter(pair for members in postings.values() if len(members) <= SKETCH_MAX_POSTING
                     for pair in combinations(sorted(members), 2))
    ratio = max(settings.containment_max_ratio, 1 / settings.near_threshold)
    return sorted((i, j) for (i, j), count in shared.items() if count >= SKETCH_MIN_SHARED and
                  max(prints[i].shingle_count, prints[j].shingle_count)
                  <= ratio * min(prints[i].shingle_count, prints[j].shingle_count))


def test_sketch_pairs_equal_the_pair_by_pair_count_whatever_the_chunks(monkeypatch):
    """The pairs are counted in chunks of about _PAIR_BUFFER codes (memory); any number of chunks
    gives the pairs the plain count gives. Sketches drawn from a small pool of hashes, so that
    pairs meet by chance, many once and some five times or more."""
    from cleaner.dedup import near

    rng = np.random.default_rng(7)
    empty = Profile(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.float64), 0.0)
    prints = [PlainFingerprint(f"r{k}", (k,), f"{k:064x}", None, np.array([k], dtype=np.uint64),
                               np.sort(rng.choice(400, SKETCH_SIZE, replace=False)).astype(np.uint32),
                               int(rng.integers(30, 900)), empty, empty) for k in range(300)]
    keys = sorted(rng.choice(300, 260, replace=False).tolist())
    want = _plain_sketch_pairs(prints, keys, SETTINGS)
    assert len(want) > 50
    assert sketch_pairs(prints, keys, SETTINGS) == want
    for buffer in (1, 997, 5000):  # one article a chunk, a prime, a few thousand
        monkeypatch.setattr(near, "_PAIR_BUFFER", buffer)
        assert sketch_pairs(prints, keys, SETTINGS) == want


def test_band_pairs_and_candidate_pairs_equal_their_plain_definitions():
    """Band pairs counted in NumPy (by posting size) give the pairs of every run of equal band
    keys, combination by combination; candidate_pairs is their union with the sketch pairs.
    Band keys drawn from a few values, so that runs of every size up to dozens occur, over
    keys (representatives) that skip some fingerprints and come unsorted."""
    from itertools import combinations

    from cleaner.dedup.near import concatenated

    rng = np.random.default_rng(11)
    empty = Profile(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.float64), 0.0)
    prints = [PlainFingerprint(f"b{k}", (k,), f"{k:064x}", None,
                               rng.integers(0, 12 if k % 3 else 400, 4).astype(np.uint64),
                               np.sort(rng.choice(400, SKETCH_SIZE, replace=False)).astype(np.uint32),
                               int(rng.integers(30, 900)), empty, empty) for k in range(200)]
    keys = rng.permutation(rng.choice(200, 170, replace=False)).tolist()
    want = set()
    for band in range(4):
        runs: dict[int, list[int]] = {}
        for i in keys:
            runs.setdefault(int(prints[i].bands[band]), []).append(i)
        want.update(pair for members in runs.values() for pair in combinations(sorted(members), 2))
    assert len(want) > 500
    assert band_pairs(prints, keys) == sorted(want)
    assert candidate_pairs(prints, keys, SETTINGS) == sorted(want | set(sketch_pairs(prints, keys, SETTINGS)))
    joined, sizes = concatenated((prints[i].sketch for i in keys), np.uint32)
    assert joined.tolist() == np.concatenate([prints[i].sketch for i in keys]).tolist()
    assert sizes.tolist() == [SKETCH_SIZE] * len(keys)


def test_concatenated_joins_parts_in_groups_or_in_place_alike(monkeypatch):
    """near.concatenated: the parts end to end and their sizes, whether the total is announced
    (filled in place) or not (joined in groups); a wrong total is an error, not a short array."""
    import cleaner.dedup.near as near

    rng = np.random.default_rng(5)
    parts = [rng.integers(0, 2**40, int(rng.integers(0, 9))).astype(np.uint64) for _ in range(50)]
    want = np.concatenate(parts)
    monkeypatch.setattr(near, "_GROUP", 7)  # several groups and a last short one
    for total in (None, want.size):
        joined, sizes = near.concatenated(iter(parts), np.uint64, total)
        assert joined.dtype == np.uint64 and joined.tolist() == want.tolist()
        assert sizes.tolist() == [p.size for p in parts]
    assert near.concatenated(iter([]), np.uint32)[0].dtype == np.uint32
    with pytest.raises(ValueError, match="announced"):
        near.concatenated(iter(parts), np.uint64, want.size + 1)


def test_runs_gives_each_run_of_equal_values_in_the_type_asked():
    from cleaner.dedup.near import runs

    starts, sizes = runs(np.array([3, 3, 5, 7, 7, 7], dtype=np.uint32), np.int32)
    assert starts.dtype == sizes.dtype == np.int32
    assert starts.tolist() == [0, 2, 3] and sizes.tolist() == [2, 1, 3]
    assert [a.tolist() for a in runs(np.empty(0, dtype=np.uint64))] == [[], []]
