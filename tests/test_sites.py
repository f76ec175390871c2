"""Site-learned boilerplate (cleaner.sites): what is observed, what is learned, what is cut."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from cleaner.config import CleanConfig
from cleaner.dedup import story_name
from cleaner.normalize import word_count
from cleaner.record import Article, Block, BlockKind, Facts, Format
from cleaner.run import run
from cleaner.sites import (
    EMPTY,
    PROTECT_WORDS,
    RULE_ID,
    SITE_REPEATED,
    Learned,
    Registry,
    affected,
    block_key,
    cut,
    eligible,
    learn,
    observe,
    plan,
    read_registry,
    site_of,
)

SITE = "harbourgazette.co.uk"
PODCAST = "Listen to the Morning Brief podcast, every weekday at six"
# The runs below clean with the rules alone (block_model=False): text mode's line model would cut
# these promo lines itself, before site learning could see them repeat.
MOTTO = "Harbour Gazette: independent since 1921"
# Distinct stories: each paragraph is story-like (30+ words, ends a sentence).
TOPICS = ["the new ferry terminal", "the school budget vote", "a storm that flooded the old market",
          "the hospital's night clinic", "the bridge repairs on the river road", "a record harvest in the valley"]


_VOCABULARY = ("council harbour ferry school budget storm market hospital clinic bridge river harvest valley "
               "residents officials teachers farmers nurses drivers engineers families shops commuters winter "
               "summer evening morning plans costs repairs delays votes meeting report figures funding rain "
               "flood roof road tunnel station orchard wheat barley cattle weather doctors patients beds ward "
               "night shift queue tickets timetable fares pier crane cargo tide wind warning sandbags volunteers "
               "pupils classes exams heating buses lorries traffic detour closure contract tender survey").split()


_NAMES = ("Quigley Mbeki Ferrante Haldane Okonkwo Lindqvist Tremayne Castellano Nakamura Oyelaran Brannock "
          "Vasquez Pemberton Ilunga Sorensen Abernathy Kowalczyk Delacroix").split()
_PLACES = "Portree Ardmore Kilcreggan Tobermory Dunvegan Carradale Lochinver Ullapool Plockton Crail".split()


def paragraph(topic: str, n: int) -> str:
    """A story paragraph (a 40-word sentence) of its own, with its story's names and place:
    no two topics share a 5-word run or a name."""
    rng = np.random.default_rng([n, *map(ord, topic)])
    t = TOPICS.index(topic) if topic in TOPICS else len(TOPICS)
    words = " ".join(rng.choice(_VOCABULARY, size=35))
    return (f"About {topic}, {words} said {_NAMES[(3 * t) % len(_NAMES)]} and {_NAMES[(3 * t + 1) % len(_NAMES)]} "
            f"in {_PLACES[t % len(_PLACES)]}.")


def story(topic: str, *extra: str, url: str = "https://www.harbourgazette.co.uk/news/x", kind=BlockKind.PARAGRAPH,
          id: str | None = None) -> Article:
    blocks = (Block(BlockKind.TITLE, f"News about {topic}"),
              *(Block(BlockKind.PARAGRAPH, paragraph(topic, n)) for n in range(3)),
              *(Block(kind, text) for text in extra))
    article = Article(id=id or f"id-{topic}", source=f"{topic}.txt", format=Format.TEXT, input_format="text",
                      blocks=blocks, hints=Facts(url=url))
    return article


def test_the_site_is_the_url_host_without_www_else_the_site_name():
    assert site_of(story("a")) == "harbourgazette.co.uk"
    assert site_of(Article(id="x", source="x", format=Format.TEXT, input_format="text",
                           hints=Facts(site="Harbour  Gazette"))) == "harbour gazette"
    unknown = Article(id="x", source="x", format=Format.TEXT, input_format="text",
                      blocks=(Block(BlockKind.PARAGRAPH, PODCAST),))
    assert site_of(unknown) == ""
    assert observe(unknown).site == "" and len(observe(unknown).keys) == 0


def test_story_like_blocks_titles_and_headings_before_a_story_paragraph_are_never_observed():
    article = story("a", PODCAST)
    heading = Article(id="h", source="h", format=Format.TEXT, input_format="text", hints=article.hints,
                      blocks=(Block(BlockKind.HEADING, "What happens next?"),
                              Block(BlockKind.PARAGRAPH, paragraph("a", 9)),
                              Block(BlockKind.HEADING, "More from the Gazette")))
    assert [article.blocks[i].text for i in eligible(article)] == [PODCAST]
    assert [heading.blocks[i].text for i in eligible(heading)] == ["More from the Gazette"]
    assert word_count(paragraph("a", 0)) >= PROTECT_WORDS
    # A long block that does not end a sentence (a link list, a tag cloud) may be chrome.
    tags = "Tags: " + ", ".join(f"topic{n}" for n in range(40))
    assert eligible(story("a", tags)) == [4]


def test_keys_ignore_case_punctuation_and_spacing():
    assert block_key("Listen to the podcast!") == block_key("listen  to the PODCAST")
    assert block_key("Listen to the podcast") != block_key("Listen to the radio")


def observed(*articles: Article):
    return [observe(a) for a in articles]


def test_a_block_in_three_stories_of_a_site_is_learned_and_cut():
    articles = [story(t, PODCAST) for t in TOPICS[:3]]
    registry = learn([f"story-{a.id}" for a in articles], observed(*articles), 3)
    assert registry.boilerplate("harbourgazette.co.uk") == {block_key(PODCAST)}
    assert affected(observed(*articles), registry) == [0, 1, 2]
    result = cut(articles[0], registry)
    assert PODCAST not in result.body
    assert result.body == articles[0].body.replace(f"\n\n{PODCAST}", "")
    (removal,) = result.removals
    assert (removal.category, removal.rule_id, removal.text) == (SITE_REPEATED, RULE_ID, PODCAST)
    assert dict(removal.facts) == {"site_key": "harbourgazette.co.uk", "stories": "3"}


def test_two_stories_are_not_enough_but_are_remembered():
    articles = [story(t, PODCAST) for t in TOPICS[:2]]
    registry = learn([a.id for a in articles], observed(*articles), 3)
    assert registry.boilerplate("harbourgazette.co.uk") == frozenset()
    assert registry.sites["harbourgazette.co.uk"][block_key(PODCAST)].stories == tuple(sorted(a.id for a in articles))
    assert cut(articles[0], registry) is articles[0]


def test_copies_and_follow_ups_of_one_story_count_once():
    """Three reports of one story share their short paragraphs: that is the story, not the site."""
    quote = "“We will not give up,” the mayor said."
    articles = [story(t, quote, id=f"copy-{n}") for n, t in enumerate(TOPICS[:3])]
    registry = learn(["story-1", "story-1", "story-1"], observed(*articles), 3)
    assert registry.boilerplate("harbourgazette.co.uk") == frozenset()


def test_a_block_repeated_across_different_sites_is_not_any_site_boilerplate():
    articles = [story(t, PODCAST, url=f"https://site{n}.example/news") for n, t in enumerate(TOPICS[:3])]
    registry = learn([a.id for a in articles], observed(*articles), 3)
    assert all(not registry.boilerplate(site) for site in registry.sites)


def test_what_was_published_before_counts_once_per_story():
    first = [story(t, MOTTO) for t in TOPICS[:2]]
    before = learn([a.id for a in first], observed(*first), 3)
    assert not before.boilerplate("harbourgazette.co.uk")
    # A later run with one new story: 2 earlier + 1 now.
    new = story(TOPICS[2], MOTTO)
    after = learn([new.id], observed(new), 3, read_registry(before.to_json()))
    assert after.boilerplate("harbourgazette.co.uk") == {block_key(MOTTO)}
    assert MOTTO not in cut(new, after).body
    # Rerunning the first run's stories against its own registry learns nothing more.
    again = learn([a.id for a in first], observed(*first), 3, read_registry(before.to_json()))
    assert again.to_json() == before.to_json()


def test_an_earlier_story_renamed_in_this_run_counts_once():
    # The first run: two stories, each one article, named after it; the motto in both.
    b, c = story(TOPICS[0], MOTTO, id="id-b"), story(TOPICS[1], MOTTO, id="id-c")
    before = read_registry(learn([story_name(b.id), story_name(c.id)], observed(b, c), 3).to_json())
    # The next run holds b again, now with a new article "id-a" of the same story: the story is
    # "story-id-a" now, and the earlier "story-id-b" is that story, not a third one.
    a = story(TOPICS[0], MOTTO, id="id-a")
    again = learn([story_name(a.id)] * 2, observed(a, b), 3, before, own_names=[story_name(a.id), story_name(b.id)])
    assert not again.boilerplate("harbourgazette.co.uk")
    # Unaware of the renaming, the three names counted as three stories.
    assert learn([story_name(a.id)] * 2, observed(a, b), 3, before).boilerplate("harbourgazette.co.uk")


def test_an_article_made_mostly_of_learned_blocks_keeps_them():
    short = Article(id="s", source="s", format=Format.TEXT, input_format="text", hints=story("a").hints,
                    blocks=(Block(BlockKind.PARAGRAPH, PODCAST), Block(BlockKind.PARAGRAPH, "A short note.")))
    registry = Registry(3, {"harbourgazette.co.uk": {block_key(PODCAST): Learned(block_key(PODCAST), ("a", "b", "c"))}})
    assert cut(short, registry) is short
    # ... and a cut that would leave fewer than min_words is not made either.
    article = story("a", PODCAST)
    assert cut(article, registry, min_words=word_count(article.body)) is article
    assert cut(article, registry, min_words=10) is not article


def test_a_story_paragraph_is_never_cut_even_if_a_registry_names_it():
    text = paragraph(TOPICS[0], 0)
    registry = Registry(3, {"harbourgazette.co.uk": {block_key(text): Learned(block_key(text), ("a", "b", "c"))}})
    article = story(TOPICS[0])
    assert cut(article, registry) is article


def test_the_registry_file_is_deterministic_and_reads_back():
    articles = [story(t, PODCAST, MOTTO) for t in TOPICS[:4]]
    ids = [a.id for a in articles]
    registry = learn(ids, observed(*articles), 3).with_texts({("harbourgazette.co.uk", block_key(PODCAST)): PODCAST})
    data = registry.to_json()
    assert learn(ids[::-1], observed(*articles[::-1]), 3).with_texts(
        {("harbourgazette.co.uk", block_key(PODCAST)): PODCAST}).to_json() == data
    document = json.loads(data)
    assert document["version"] == 1 and document["min_stories"] == 3
    entries = document["sites"]["harbourgazette.co.uk"]
    assert {e["text"] for e in entries} == {PODCAST, ""}
    assert all(e["boilerplate"] and len(e["stories"]) == 3 for e in entries)
    assert read_registry(data).to_json() == data
    assert read_registry(None) is EMPTY and read_registry(b'{"version": 99}') is EMPTY


def test_off_below_two_stories():
    articles = [story(t, PODCAST) for t in TOPICS[:3]]
    assert learn([a.id for a in articles], observed(*articles), 0).sites == {}


def test_learning_takes_arrays_of_a_large_run():
    """10,000 articles over 20 sites: one block per site learned, nothing else."""
    rng = np.random.default_rng(7)
    sites = [f"site{n}.example" for n in range(20)]
    observed_ = []
    for n in range(10_000):
        site = sites[n % 20]
        keys = rng.integers(1, 2**63, size=8, dtype=np.uint64)
        keys[0] = block_key(f"chrome of {site}")
        observed_.append(type(observe(story("a")))(site, keys))
    registry = learn([f"story-{n}" for n in range(10_000)], observed_, 3)
    assert {s: registry.boilerplate(s) for s in sites} == {s: {block_key(f"chrome of {s}")} for s in sites}


# -- in a run ------------------------------------------------------------------------------

def write_run(raw, topics, extra=PODCAST, host="www.harbourgazette.co.uk"):
    raw.mkdir(parents=True, exist_ok=True)
    lines = []
    for topic in topics:
        text = "\n\n".join([f"News about {topic}", *(paragraph(topic, n) for n in range(3)), extra])
        lines.append(json.dumps({"url": f"https://{host}/news/{topic.replace(' ', '-')}",
                                 "title": f"News about {topic}", "text": text}))
    (raw / "crawl.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def published(out):
    return {a["title"]: a for a in json.loads((out / "articles.json").read_text(encoding="utf-8"))}


def test_a_run_cuts_what_a_site_repeats_and_the_next_run_remembers_it(tmp_path):
    config = CleanConfig(raw_dir=str(tmp_path / "raw"), out_dir=str(tmp_path / "clean"), entities=False, keywords=0,
                         block_model=False)
    write_run(tmp_path / "raw", TOPICS[:3])
    result = run(config)
    assert result.report.removals_by_category.get(SITE_REPEATED) == 3
    articles = published(tmp_path / "clean")
    assert len(articles) == 3 and all(PODCAST not in a["body"] for a in articles.values())
    assert all(a["word_count"] == word_count(a["body"]) for a in articles.values())
    registry = json.loads((tmp_path / "clean" / "site_boilerplate.json").read_text(encoding="utf-8"))
    assert [e["text"] for e in registry["sites"]["harbourgazette.co.uk"] if e["boilerplate"]] == [PODCAST]
    removals = [json.loads(line) for line in (tmp_path / "clean" / "removals.jsonl").read_text().splitlines()]
    assert sum(r["category"] == SITE_REPEATED for r in removals) == 3

    # The next run holds one other story only: the block is cut because it was learned before.
    write_run(tmp_path / "raw", TOPICS[3:4])
    run(config)
    (article,) = published(tmp_path / "clean").values()
    assert PODCAST not in article["body"]


def test_a_full_rebuild_forgets_what_earlier_runs_learned(tmp_path):
    config = CleanConfig(raw_dir=str(tmp_path / "raw"), out_dir=str(tmp_path / "clean"), entities=False, keywords=0,
                         block_model=False)
    write_run(tmp_path / "raw", TOPICS[:3])
    run(config)
    write_run(tmp_path / "raw", TOPICS[3:4])
    run(config.model_copy(update={"full_rebuild": True}))
    (article,) = published(tmp_path / "clean").values()
    assert PODCAST in article["body"]  # as a first run on this one input gives


def test_a_missing_registry_file_is_learned_afresh_not_a_crash(tmp_path, caplog):
    config = CleanConfig(raw_dir=str(tmp_path / "raw"), out_dir=str(tmp_path / "clean"), entities=False, keywords=0,
                         block_model=False)
    write_run(tmp_path / "raw", TOPICS[:3])
    run(config)
    (tmp_path / "clean" / "site_boilerplate.json").unlink()  # the manifest still names it
    result = run(config)
    assert result.report.removals_by_category.get(SITE_REPEATED) == 3
    assert "cannot be read" in caplog.text


def test_a_run_without_repeats_learns_nothing_and_cuts_nothing(tmp_path):
    config = CleanConfig(raw_dir=str(tmp_path / "raw"), out_dir=str(tmp_path / "clean"), entities=False, keywords=0,
                         block_model=False)
    write_run(tmp_path / "raw", TOPICS[:2])
    result = run(config)
    assert SITE_REPEATED not in result.report.removals_by_category
    assert all(PODCAST in a["body"] for a in published(tmp_path / "clean").values())


@pytest.mark.parametrize("setting", [0, 1])
def test_off(tmp_path, setting):
    config = CleanConfig(raw_dir=str(tmp_path / "raw"), out_dir=str(tmp_path / "clean"), entities=False, keywords=0,
                         site_min_stories=setting)
    write_run(tmp_path / "raw", TOPICS[:3])
    assert SITE_REPEATED not in run(config).report.removals_by_category


def test_nothing_to_learn_from():
    assert learn([], [], 3).sites == {}
    assert learn(["s"], [observe(Article(id="x", source="x", format=Format.TEXT, input_format="text"))], 3).sites == {}
    before = learn([f"s{n}" for n in range(2)], observed(*(story(t, MOTTO) for t in TOPICS[:2])), 3)
    assert learn([], [], 3, before).to_json() == before.to_json()


@pytest.mark.parametrize("copy_url", ["", "https://amp.harbourgazette.co.uk/news/copy"],
                         ids=["copy-without-site", "copy-on-another-host"])
def test_exact_copies_keep_equal_hashes_when_one_copys_site_learned_a_block(tmp_path, copy_url):
    """A learned block is cut from every exact copy alike, whichever copy's site learned it:
    the schema promises exact duplicates the content_hash of their canonical article."""
    raw = tmp_path / "raw"
    write_run(raw, TOPICS[:3])
    copy = "\n\n".join([f"News about {TOPICS[0]}", *(paragraph(TOPICS[0], n) for n in range(3)), PODCAST])
    (raw / "copy.txt").write_text(copy, encoding="utf-8")
    if copy_url:  # as complete as the crawl record, and first in path order: the canonical copy
        (raw / "copy.txt.meta.json").write_text(json.dumps({"url": copy_url, "title": f"News about {TOPICS[0]}"}),
                                                encoding="utf-8")
    config = CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "clean"), entities=False, keywords=0,
                         block_model=False)
    result = run(config)
    assert result.report.counts["duplicates"] == 1
    articles = {a["id"]: a for a in json.loads((tmp_path / "clean" / "articles.json").read_text(encoding="utf-8"))}
    with open(tmp_path / "clean" / "duplicates.csv", encoding="utf-8-sig", newline="") as handle:
        (duplicate,) = csv.DictReader(handle)
    canonical = articles[duplicate["duplicate_of"]]
    assert duplicate["kind"] == "exact" and duplicate["content_hash"] == canonical["content_hash"]
    assert PODCAST not in canonical["body"]
    assert all(PODCAST not in a["body"] for a in articles.values())
    removals = [json.loads(line) for line in (tmp_path / "clean" / "removals.jsonl").read_text().splitlines()]
    cut_from = {r["article_id"] for r in removals if r["category"] == SITE_REPEATED}
    assert duplicate["id"] in cut_from and canonical["id"] in cut_from


def test_exact_copies_that_a_cut_would_part_are_not_cut(tmp_path):
    """One copy holds the learned line as a block of its own, the other at the end of a
    paragraph: cutting the first alone would part their hashes, so neither is cut."""
    raw = tmp_path / "raw"
    write_run(raw, TOPICS[:3])
    paragraphs = [paragraph(TOPICS[0], n) for n in range(3)]
    copy = "\n\n".join([f"News about {TOPICS[0]}", *paragraphs[:2], f"{paragraphs[2]} {PODCAST}"])
    (raw / "copy.txt").write_text(copy, encoding="utf-8")
    config = CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "clean"), entities=False, keywords=0,
                         block_model=False)
    result = run(config)
    assert result.report.removals_by_category.get(SITE_REPEATED) == 2  # the two other stories
    articles = {a["id"]: a for a in json.loads((tmp_path / "clean" / "articles.json").read_text(encoding="utf-8"))}
    with open(tmp_path / "clean" / "duplicates.csv", encoding="utf-8-sig", newline="") as handle:
        (duplicate,) = csv.DictReader(handle)
    assert duplicate["content_hash"] == articles[duplicate["duplicate_of"]]["content_hash"]
    assert PODCAST in articles[duplicate["duplicate_of"]]["body"]


def test_plan_cuts_every_exact_copy_alike():
    a, b, c = story(TOPICS[0], PODCAST), story(TOPICS[0], PODCAST, url="", id="copy"), story(TOPICS[1], PODCAST)
    learned = learn(["s0", "s1", "s2"], observed(a, c, story(TOPICS[2], PODCAST)), 3)
    key = block_key(PODCAST)
    assert plan(observed(a, b, c), ["h0", "h0", "h1"], learned) == {0: {key: SITE}, 1: {key: SITE}, 2: {key: SITE}}
    assert PODCAST not in cut(b, learned, 0, {key: SITE}).body  # b has no site of its own
    assert cut(b, learned) is b
