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


def test_a_chain_of_contained_copies_does_not_make_a_brief_a_copy_of_the_whole_story():
    # brief (10 paragraphs) inside longer (20) inside full (40): each pair is a contained copy of
    # comparable length (ratio 2), but full is four times the brief, over containment_max_ratio.
    brief = story(30, 200)
    longer = brief + story(31, 200)
    full = longer + story(32, 400)
    out = by_id(dedup([art("brief", brief), art("longer", longer), art("full", full)], SETTINGS))
    assert out["full"].duplicate_of is None
    assert out["longer"].duplicate_of == "full"
    assert out["brief"].duplicate_of is None  # not a near copy of the original it would have pointed at


def test_a_chain_of_jaccard_copies_keeps_only_the_head_s_own_near_copies():
    # a -> b -> c: each step swaps 3 of 20 paragraphs (Jaccard 0.74 and 0.72), a and c share 0.54
    base, other = story(40, 400), story(41, 400)
    a, b, c = base, base[:17] + other[:3], base[:14] + other[:6]
    out = by_id(dedup([art("a", a), art("b", b), art("c", c)], SETTINGS))
    assert (out["a"].duplicate_of, out["b"].duplicate_of, out["c"].duplicate_of) == (None, "a", None)
    assert out["b"].similarity >= SETTINGS.near_threshold


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
    # The originals' ids are copies: a run lets the fingerprints go before it publishes (run.py).
    by_id = {p.id: p.id for p in prints}
    assert all(d.duplicate_of == by_id[d.duplicate_of] and d.duplicate_of is not by_id[d.duplicate_of]
               for d in whole if d.duplicate_of)


# Containment (near.is_near_copy): a copy that kept some chrome is a duplicate though its Jaccard
# is below the near threshold; articles that share chrome, and a brief quoted word for word in a
# story several times its length, are not.
CHROME = ("home menu subscribe newsletter sign in share facebook twitter related stories most read "
          "advertisement cookie settings privacy terms contact careers about us app download").split()


def chrome(seed: int, words: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(CHROME) for _ in range(10)) + "." for _ in range(words // 10)]


def test_a_copy_with_extra_chrome_is_a_near_duplicate():
    text = story(30)
    dump = chrome(1, 60) + text + chrome(2, 60)  # the page's text dump: menus above, links below
    out = by_id(dedup([art("html", text), art("dump", dump)], SETTINGS))
    assert out["dump"].duplicate_of is None  # the most words (CANONICAL_RULE)
    assert (out["html"].duplicate_of, out["html"].duplicate_kind) == ("dump", "near")
    assert out["html"].similarity < SETTINGS.near_threshold  # found by containment, Jaccard reported
    assert out["html"].story_id == out["dump"].story_id


def test_a_contained_copy_points_at_the_canonical_article_of_its_group():
    text = story(31)
    arts = [art("html", text), art("dump", chrome(3, 80) + text), art("edited", text[:-1])]
    out = by_id(dedup(arts, SETTINGS))
    assert {k: a.duplicate_of for k, a in out.items()} == {"html": "dump", "dump": None, "edited": "dump"}


def test_articles_of_one_site_sharing_chrome_are_not_duplicates():
    shared = chrome(4, 60)
    arts = [art(f"a{seed}", shared + story(seed) + shared[:2]) for seed in (32, 33, 34)]
    assert [a.duplicate_of for a in dedup(arts, SETTINGS)] == [None, None, None]


def test_a_brief_inside_a_much_longer_story_is_not_a_duplicate():
    full = story(35, n=700)
    brief = full[:8]  # its first 160 words, word for word: a summary of the story, not a copy
    out = by_id(dedup([art("full", full), art("brief", brief)], SETTINGS))
    assert out["brief"].duplicate_of is None


def test_a_short_text_inside_another_is_not_a_duplicate():
    text = story(36, n=40)  # 40 words, 36 shingles: fewer than containment_min_shingles
    out = by_id(dedup([art("short", text), art("dump", text + chrome(5, 30))], SETTINGS))
    assert out["short"].duplicate_of is None


@pytest.mark.parametrize(("pair", "near"), [
    ((700, 1000, 1000), False),    # Jaccard 0.54 and containment 0.7: neither
    ((40, 40, 40), True),          # Jaccard 1: the guards are containment's only
    ((0, 0, 0), True),             # two empty sets: Jaccard 1 (as before containment)
    ((80, 100, 250), True),        # containment 0.8, ratio 2.5: both at their limit
    ((79, 100, 250), False),       # containment just under 0.8
    ((100, 100, 251), False),      # wholly inside, but the longer is more than 2.5 times as long
    ((49, 49, 80), False),         # wholly inside, but under 50 shingles
    ((50, 50, 80), True),
])
def test_near_copy_decision(pair, near):
    from cleaner.dedup import Overlap, is_near_copy

    settings = replace(SETTINGS, containment_threshold=0.8, containment_max_ratio=2.5, containment_min_shingles=50)
    assert is_near_copy(Overlap(*pair), settings) is near


def test_lsh_bands_find_near_pairs_and_contained_copies_while_chance_pairs_stay_rare():
    from cleaner.dedup.near import _banding, candidate_floor

    def p(j, bands, rows):  # probability that a pair of Jaccard j is a candidate
        return 1 - (1 - j ** rows) ** bands

    floor = candidate_floor(SETTINGS)
    assert floor == pytest.approx(0.8 / (1 + 2.5 - 0.8))  # a contained copy's lowest Jaccard
    bands, rows = _banding(SETTINGS.near_threshold, floor, SETTINGS.num_perm)
    assert bands * rows <= SETTINGS.num_perm
    assert p(SETTINGS.near_threshold, bands, rows) >= 0.99
    assert p(floor, bands, rows) >= 0.2 and p(0.5, bands, rows) >= 0.85  # WCXB dev copies: Jaccard 0.39 and up
    assert p(0.05, bands, rows) < 0.001  # unrelated articles sharing common phrases (2 rows: 0.15)
    nxt = SETTINGS.num_perm // (rows + 1)
    assert p(floor, nxt, rows + 1) < 0.2 or p(SETTINGS.near_threshold, nxt, rows + 1) < 0.99  # the most rows that do
