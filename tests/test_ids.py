"""Stable ids pinned to literal values: a change of the id scheme (README: "the first 16 hex digits
of sha256 of its path relative to raw/, plus #LINE for a JSON-lines record") fails here.

The values were computed once from that scheme, by hand, and are written out, not recomputed:
every other test derives its expected ids with `article_id`, so they would follow any change.
Published ids are what consumers join on across runs; changing them is a breaking change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.discover import article_id, discover

RAW = Path(__file__).resolve().parents[1] / "raw"

PINNED = {
    # a page file: its path relative to raw/
    ("000_40483f80e491ad8b.txt", None): "9f7809881aee89ca",
    ("105_millbrookcourier_council-budget-vote.htm", None): "8c5f2df7936cbdbc",
    # a JSON-lines record: the path plus '#LINE' (1-based)
    ("200_crawl_2024-06-20.jsonl", 1): "a9d8fd998bd25bc8",
    ("200_crawl_2024-06-20.jsonl", 2): "1fd4957cd50383e3",
    ("201_crawl_2024-06-21.jsonl", 2): "cf5e1b7a4e4f3d58",
}


@pytest.mark.parametrize(("source", "record"), list(PINNED))
def test_ids_of_the_sample_corpus_are_pinned(source, record):
    [article] = [a for a in discover(RAW).articles if (a.source, a.record) == (source, record)]
    assert article.id == PINNED[(source, record)]


@pytest.mark.parametrize(("source", "record", "expected"), [
    # posix separators inside raw/, never the absolute path or the raw folder's own name
    ("sub/dir/page.html", None, "204435ff7383ea60"),
    # the path's UTF-8 bytes, as written (not NFC/NFD-normalised, not escaped)
    ("naïve café.html", None, "0bfb1dfb7ba36754"),
])
def test_article_id_scheme(source, record, expected):
    assert article_id(source, record) == expected


def test_the_raw_folder_does_not_enter_the_id(tmp_path):
    page = tmp_path / "elsewhere" / "sub" / "dir" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body><p>A page.</p></body></html>", encoding="utf-8")
    [article] = discover(tmp_path / "elsewhere").articles
    assert (article.source, article.id) == ("sub/dir/page.html", "204435ff7383ea60")
