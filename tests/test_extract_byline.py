"""An HTML page's author and date: the byline it shows beats what its markup states, except
for a date a time zone apart; the markup's stand where the page shows none."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from cleaner.extract.byline import first_author, published, shown_byline
from cleaner.extract.discarded import leaf_lines, leaf_texts
from cleaner.normalize import one_line
from cleaner.record import Block, BlockKind
from tests.conftest import blocks_of
from tests.test_extract import PARAS

STORY = [Block(BlockKind.PARAGRAPH, PARAS[0])]
PARAS_MORE = "".join(f"<p>{p}</p>" for p in PARAS)  # the sidebar's dateline well below the story's start


def _page(head: str, byline: str) -> str:
    return (f"<html><head><title>Council passes budget</title>{head}</head><body>"
            f"<nav><a>Home</a> <a>News</a></nav><article><h1>Council passes budget</h1>{byline}"
            f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p>{PARAS_MORE}</article>"
            f"<aside><p>Posted by Tom Other on May 1, 2020</p></aside></body></html>")


def test_the_shown_byline_beats_the_markup(rules):
    head = ('<meta name="author" content="Thao Dinh">'
            '<meta property="article:published_time" content="2023-01-01T10:00:00Z">')
    page = blocks_of(_page(head, '<div class="meta">By Jane Roe | March 5, 2024</div>'), rules, fmt="html").page
    assert (page.author, page.published) == ("Jane Roe", "2024-03-05")


def test_a_date_a_day_apart_is_the_markups(rules):
    head = '<meta property="article:published_time" content="2024-03-06T01:00:00+09:00">'
    page = blocks_of(_page(head, "<p>March 5, 2024</p>"), rules, fmt="html").page
    assert page.published == "2024-03-06"
    assert published("2024-03-06", "2024-03-05") == "2024-03-06"
    assert published("2024-03-08", "2024-03-05") == "2024-03-05"
    assert published("2024-03-08", "") == "2024-03-08"
    assert published("", "2024-03-05") == "2024-03-05"


def test_without_a_shown_byline_the_markup_stands(rules):
    head = '<meta name="author" content="Jane Roe"><meta property="article:published_time" content="2023-01-01">'
    page = blocks_of(_page(head, ""), rules, fmt="html").page
    assert (page.author, page.published) == ("Jane Roe", "2023-01-01")


def test_an_updated_date_is_never_the_published_one(rules):
    page = blocks_of(_page("", "<p>Updated March 5, 2024</p>"), rules, fmt="html").page
    assert (page.published, page.updated) == ("", "2024-03-05")  # stated, as what it is


def test_a_byline_far_from_the_headline_is_not_read():
    """A date or name in a sidebar further down is not the page's byline."""
    lines = ["Home", "Council passes budget", PARAS[0], *[f"Paragraph {i}." for i in range(20)],
             "Posted by Tom Other on May 1, 2020"]
    found = shown_byline(lines, "Council passes budget", STORY)
    assert (found.author, found.published) == ("", "")


def test_a_line_break_ends_a_byline_line():
    soup = BeautifulSoup('<div class="byline">By Renée Dufresne<br>Courier Staff Writer</div>', "lxml")
    assert leaf_lines(soup.body) == [["By Renée Dufresne", "Courier Staff Writer"]]
    lines = ["Council passes budget", "By Renée Dufresne", "Courier Staff Writer", PARAS[0]]
    assert shown_byline(lines, "Council passes budget", STORY).author == "Renée Dufresne"


def test_leaf_texts_are_get_text_joined():
    html = ("<div><p> One <b>two</b><br/>three<!-- no --> </p><ul><li>a<br><br>b</li><li> </li></ul>"
            "<div><span>x</span><script>y</script></div></div>")
    soup = BeautifulSoup(html, "lxml")
    expected = [one_line(e.get_text(" ", strip=True)) for e in (soup.p, *soup.find_all("li"), soup.span.parent)]
    assert expected[-1] == "x"  # a script's text is not the element's text
    assert leaf_texts(soup.body) == [t for t in expected if t]


@pytest.mark.parametrize(("markup", "author"), [
    ("Sarah McLean; Tom O'Brien", "Sarah McLean"), ("Jane DeSantis; Staff Writer", "Jane DeSantis"),
    ("Staff Writer; Jane DeSantis", "Jane DeSantis"), ("Jane Doe", "Jane Doe"), ("", ""), ("Senior Editor", ""),
])
def test_the_markups_author_is_one_name_as_text_modes_byline_gives_one(markup, author):
    assert first_author(markup) == author
