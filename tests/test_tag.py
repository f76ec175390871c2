"""tag: metadata is found, never invented; facts from cut boilerplate fill the gaps."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cleaner.normalize import content_hash
from cleaner.record import Article, Block, BlockKind, Facts, Format, Removal
from cleaner.tag import TagSettings, detect_language, entities, keywords, tag

STORY = (
    "Russian President Vladimir Putin arrived in Pyongyang on Wednesday for talks with North Korean leader "
    "Kim Jong Un. Putin and Kim signed a treaty at the Kumsusan State Guest House. The United Nations and "
    "officials in Seoul and Washington criticised the deal. Kim said the treaty would last for decades, and "
    "Putin thanked North Korea for its support in Ukraine. The previous summit took place on April 25, 2019."
)


def article(*blocks: Block, removals=(), page=Facts(), hints=Facts(), fmt=Format.TEXT) -> Article:
    return Article(id="a", source="a.txt", format=fmt, input_format=fmt.value, blocks=blocks,
                   removals=tuple(removals), page=page, hints=hints)


def tagged(a: Article, **settings) -> Article:
    return tag(a, TagSettings(**{"entities": False, **settings}))


BODY = Block(BlockKind.PARAGRAPH, STORY)


def test_facts_from_cut_boilerplate():
    a = article(
        Block(BlockKind.TITLE, "Putin’s Historic Visit To North Korea"), BODY,
        removals=[
            Removal("breadcrumb", "breadcrumb.trail", "Home » News » World news » Putin’s Historic Visit To North Korea"),
            Removal("donation", "donation.not_a_paywall", "...", (("site", "Newslex Point"),)),
            Removal("author_bio", "author_bio.about_line", "About lukwago J", (("author", "lukwago J"),)),
        ],
    )
    meta = tagged(a).meta
    assert (meta.title, meta.section, meta.site, meta.author) == (
        "Putin’s Historic Visit To North Korea", "World news", "Newslex Point", "Lukwago J")


@pytest.mark.parametrize(("trail", "section"), [
    ("Home » News » World news » Putin’s Historic Visit To North Korea", "World news"),
    ("Home > World > Asia", "Asia"),
    ("Home » News » World news » Putin’s Historic Visit To...", "World news"),
    ("Startseite › Politik › Ausland", "Ausland"),
    ("Home", ""),
])
def test_section_is_the_last_crumb_before_the_article(trail, section):
    a = article(Block(BlockKind.TITLE, "Putin’s Historic Visit To North Korea"), BODY,
                removals=[Removal("breadcrumb", "breadcrumb.trail", trail)])
    assert tagged(a).meta.section == section


def test_user_facts_beat_page_facts_and_page_facts_beat_boilerplate():
    a = article(BODY, page=Facts(site="Page Site", author="Page Author", url="https://page/canonical"),
                hints=Facts(site="Sidecar Site", url="https://sidecar/url", fetched_at="2024-06-20T08:00:00Z"),
                removals=[Removal("author_bio", "author_bio.about_line", "About X", (("author", "Bio Author"),))])
    meta = tagged(a).meta
    assert (meta.site, meta.url, meta.author, meta.fetched_at) == (
        "Sidecar Site", "https://sidecar/url", "Page Author", "2024-06-20T08:00:00Z")


def test_nothing_is_invented():
    meta = tagged(article(BODY)).meta
    assert (meta.title, meta.author, meta.published, meta.section, meta.site, meta.url) == ("",) * 6


def test_a_date_in_the_story_is_not_the_publication_date_but_a_dateline_is():
    assert tagged(article(BODY)).meta.published == ""
    dated = article(BODY, removals=[Removal("byline", "byline.dateline", "Published: June 19, 2024", (("date", "Published: June 19, 2024"),))])
    assert tagged(dated).meta.published == "2024-06-19"
    assert tagged(article(BODY, page=Facts(published="2024-06-18"))).meta.published == "2024-06-18"


def test_counts_reading_time_and_hash():
    meta = tagged(article(BODY), words_per_minute=20)
    words = len(STORY.split())
    assert meta.meta.word_count == words
    assert meta.meta.reading_time_min == -(-words // 20)
    assert meta.content_hash == content_hash(STORY)


def test_content_hash_ignores_case_punctuation_and_spacing_only():
    assert content_hash("Putin met Kim.  In Pyongyang!") == content_hash("putin met kim in pyongyang")
    assert content_hash("Putin met Kim") != content_hash("Putin met Xi")


@pytest.mark.parametrize(("text", "language"), [
    (STORY, "en"),
    ("Die Deutsche Bahn hat für Donnerstag einen neuen Streik angekündigt. Pendler müssen sich auf Ausfälle "
     "im Fern- und Regionalverkehr einstellen, teilte die Gewerkschaft am Dienstag in Berlin mit.", "de"),
    ("Le gouvernement a présenté mercredi un projet de loi sur la protection des données personnelles des "
     "internautes, qui doit être examiné par l'Assemblée nationale avant l'été.", "fr"),
    ("Too short", ""),
])
def test_language(text, language):
    assert detect_language(text) == language


def test_keywords_are_phrases_from_the_text_without_repeats():
    found = keywords(STORY, "en", 5)
    assert 0 < len(found) <= 5
    assert all(k.casefold() in STORY.casefold() for k in found)
    assert len({k.casefold() for k in found}) == len(found)


def test_entities_people_places_organisations():
    people, places, organisations = entities(STORY, "en")
    assert people[:2] == ("Vladimir Putin", "Kim Jong Un")  # 'Putin' and 'Kim' fold into the full names
    assert {"Pyongyang", "North Korea", "Seoul"} <= set(places)
    assert "United Nations" in organisations
    assert entities(STORY, "de") == ((), (), ())


def test_tag_leaves_blocks_and_removals_alone():
    a = article(BODY, removals=[Removal("share", "share.label", "Share this")])
    out = tagged(a)
    assert out.blocks == a.blocks and out.removals == a.removals
    assert replace(out, meta=a.meta, content_hash="") == a
