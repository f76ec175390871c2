"""dedup: exact and near duplicates point at one canonical article (stories: test_dedup_stories.py)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from cleaner.dedup import DedupSettings, dedup, fingerprint
from cleaner.normalize import content_hash
from cleaner.record import Article, Block, BlockKind, Format, Meta

WORDS = ("council budget library roads schools mayor vote tax bridge engineers roof storm families prices "
         "plan compromise veto spring evening debate members critics supporters city east side").split()


def story(seed: int, n: int = 220) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(20)) + "." for _ in range(n // 20)]


def art(id_: str, paragraphs: list[str], **meta) -> Article:
    blocks = tuple(Block(BlockKind.PARAGRAPH, p) for p in paragraphs)
    a = Article(id=id_, source=f"{id_}.txt", format=Format.TEXT, input_format="text", blocks=blocks)
    body = a.body
    return Article(id=id_, source=f"{id_}.txt", format=Format.TEXT, input_format="text", blocks=blocks,
                   meta=Meta(word_count=len(body.split()), **meta), content_hash=content_hash(body))


SETTINGS = DedupSettings(near_threshold=0.7, story_threshold=0.3)


def by_id(articles):
    return {a.id: a for a in articles}


def test_exact_copies_point_at_the_one_with_more_metadata():
    text = story(1)
    out = by_id(dedup([art("a", text), art("b", [p.upper() for p in text], title="T", author="A")], SETTINGS))
    assert out["b"].duplicate_of is None
    assert (out["a"].duplicate_of, out["a"].duplicate_kind, out["a"].similarity) == ("b", "exact", 1.0)
    assert out["a"].story_id == out["b"].story_id


def test_near_copy_points_at_the_longer_original():
    text = story(2)
    edited = text[:-1]  # the last paragraph dropped: a truncated copy
    edited[3] = edited[3].replace(edited[3].split()[0], "amended", 1)
    out = by_id(dedup([art("copy", edited), art("orig", text)], SETTINGS))
    assert out["orig"].duplicate_of is None
    assert out["copy"].duplicate_of == "orig"
    assert out["copy"].duplicate_kind == "near"
    assert 0.7 <= out["copy"].similarity < 1.0


def test_different_stories_are_not_duplicates():
    out = dedup([art("a", story(3)), art("b", story(4)), art("c", story(5))], SETTINGS)
    assert [a.duplicate_of for a in out] == [None, None, None]


def test_threshold_is_respected():
    text = story(6)
    half = text[: len(text) // 2] + story(7)[: len(text) // 2]
    strict = by_id(dedup([art("a", text), art("b", half)], DedupSettings(near_threshold=0.9)))
    loose = by_id(dedup([art("a", text), art("b", half)], DedupSettings(near_threshold=0.2)))
    assert strict["b"].duplicate_of is None
    assert loose["b"].duplicate_of == "a"


def test_chains_resolve_to_one_canonical_and_order_is_kept():
    text = story(8)
    exact_of_near = list(text[:-1])
    arts = [art("n1", text[:-1]), art("full", text), art("n1copy", exact_of_near)]
    out = dedup(arts, SETTINGS)
    assert [a.id for a in out] == ["n1", "full", "n1copy"]
    assert {a.id: a.duplicate_of for a in out} == {"n1": "full", "full": None, "n1copy": "full"}


def test_ties_go_to_the_first_source_in_sort_order():
    text = story(9)
    out = by_id(dedup([art("zz", text), art("aa", text)], SETTINGS))
    assert out["zz"].duplicate_of == "aa"


# The canonical-article tie-breakers (CANONICAL_RULE), one case each. The winner is always "zz"
# and it loses on every later tie-breaker (fewer fields, a later date, a source path that sorts
# last), so a case passes only when its own tie-breaker decides, and decides before the later ones.
_FULL = story(21)
_SHORTER = _FULL[:-1]  # a near copy: one paragraph fewer
TIE_BREAKERS = {
    "most words, before metadata": (
        art("zz", _FULL), art("aa", _SHORTER, title="T", author="A", published="2020-01-01")),
    "most metadata fields, before the date": (
        art("zz", _FULL, title="T", author="A", published="2024-05-01"), art("aa", _FULL, published="2020-01-01")),
    "earliest publication date, before the source path": (
        art("zz", _FULL, published="2020-01-01"), art("aa", _FULL, published="2024-05-01")),
    "a stated date before none, at equal fields": (
        art("zz", _FULL, published="2024-05-01"), art("aa", _FULL, author="A")),
    "first source path": (
        replace(art("zz", _FULL), source="a.txt"), replace(art("aa", _FULL), source="b.txt")),
}


@pytest.mark.parametrize("case", list(TIE_BREAKERS))
def test_canonical_article_tie_breakers(case):
    winner, loser = TIE_BREAKERS[case]
    out = by_id(dedup([loser, winner], SETTINGS))
    assert out["zz"].duplicate_of is None
    assert out["aa"].duplicate_of == "zz"


def test_first_source_path_then_first_line():
    """Equal in all else: the source path that sorts first, then (one JSON-lines file) the first line."""
    later_path = replace(art("p2", _FULL), source="b.jsonl", record=1)
    later_line = replace(art("l2", _FULL), source="a.jsonl", record=2)
    first = replace(art("l1", _FULL), source="a.jsonl", record=1)
    out = by_id(dedup([later_path, later_line, first], SETTINGS))
    assert {k: a.duplicate_of for k, a in out.items()} == {"p2": "l1", "l2": "l1", "l1": None}


def test_empty_input():
    assert dedup([], SETTINGS) == []


def test_hashed_shingles_give_the_exact_jaccard_of_the_shingle_sets():
    from cleaner.dedup import jaccard, shingle_hashes

    rng = random.Random(3)
    for _ in range(30):
        a = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 120)))
        b = " ".join(w if rng.random() < 0.8 else rng.choice(WORDS) for w in a.split())
        sets = []
        for text in (a, b):
            tokens = text.split()
            size = min(5, len(tokens))
            sets.append({" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)})
        exact = len(sets[0] & sets[1]) / len(sets[0] | sets[1])
        assert jaccard(shingle_hashes(a, 5), shingle_hashes(b, 5)) == pytest.approx(exact)
        assert len(shingle_hashes(a, 5)) == len(sets[0])


def test_minhash_is_datasketchs_minhash():
    import numpy as np
    from datasketch import MinHash

    from cleaner.dedup import minhash, shingle_hashes

    hashes = shingle_hashes(" ".join(story(5)), 5)
    reference = MinHash(num_perm=64, seed=1, hashfunc=int, scheme="legacy")  # the scheme of datasketch < 2
    reference.update_batch([int(h) for h in hashes])
    assert np.array_equal(minhash(hashes, 64), reference.hashvalues.astype(np.uint32))


def test_shingles_are_asked_for_a_bounded_number_of_articles_at_a_time(monkeypatch):
    """Candidate pairs are checked in chunks (memory), with the same decisions as all at once."""
    from cleaner.dedup import decide, shingles_of

    articles = []
    for seed in range(6):  # six stories, each with two edited copies: many candidate pairs
        text = story(100 + seed)
        articles.append(art(f"s{seed}", text))
        for copy in range(2):
            edited = list(text)
            edited[copy] = edited[copy].replace(edited[copy].split()[1], "amended", 1)
            articles.append(art(f"s{seed}c{copy}", edited[:len(edited) - copy]))
    prints = [fingerprint(a, SETTINGS) for a in articles]
    asked: list[int] = []

    def source(wanted):
        asked.append(len(wanted))
        return {i: shingles_of(articles[i], SETTINGS) for i in wanted}

    whole = decide(prints, SETTINGS, source)
    assert max(asked) > 4
    asked.clear()
    monkeypatch.setattr("cleaner.dedup.SHINGLE_CHUNK", 4)
    chunked = decide(prints, SETTINGS, source)
    assert chunked == whole
    assert max(asked) <= 4 and len(asked) > 2
    assert sum(d.duplicate_kind == "near" for d in whole) == 12
