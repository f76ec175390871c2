"""Duplicates across formats on real pages: a WCXB dev article as HTML and as its whole-page text dump
is one article, found by the real run (benchmarks/crossformat.py measures the whole set).

Twelve article pages of the dev split (by domain, `split_of`), evenly spaced in file-id order,
and four that Jaccard alone missed (their copies' Jaccard 0.39-0.44, containment 0.84-1.0: found
by containment; at 32 bands of 4 rows such a pair is a candidate 53-70 % of the time, and 0118's
is not proposed by the bands: its bottom-k sketches propose it, near.sketch_pairs),
each written as ID.html and ID.txt (the dump `cleaner eval` text mode cleans);
the library's run cleans the folder; every pair must be one duplicate group with one story, and no copy may point
at another page's copy. Skipped when ../shared/eval-data has no WCXB dev set.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from cleaner.bodyeval import load_pages, text_dump
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.publish import published_file
from cleaner.record import Article, Format
from tests.conftest import ROOT

WCXB = ROOT / ".." / "shared" / "eval-data" / "wcxb-dev"
PAGES = 12
CONTAINED = ("0118", "0331", "0475", "4503")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (WCXB / "index.json").is_file(), reason="the WCXB dev set is not in ../shared/eval-data"),
]


def chosen_pages() -> list:
    articles = sorted((p for p in load_pages(WCXB) if p.page_type == "article" and p.split == "dev"),
                      key=lambda p: p.id)
    step = len(articles) // PAGES
    spaced = articles[::step][:PAGES]
    return spaced + [p for p in articles if p.id in CONTAINED and p not in spaced]


def write_copies(pages, raw_dir: Path) -> None:
    raw_dir.mkdir()
    for page in pages:
        raw = gzip.decompress(Path(page.path).read_bytes())
        (raw_dir / f"{page.id}.html").write_bytes(raw)
        decoded = decode(Article(id=page.id, source=f"{page.id}.html", format=Format.HTML, input_format="html",
                                 raw=raw), max_bytes=10_000_000)
        (raw_dir / f"{page.id}.txt").write_text(text_dump(decoded.text), encoding="utf-8")


def test_each_page_as_html_and_as_text_dump_is_one_article(tmp_path):
    from cleaner.run import run

    pages = chosen_pages()
    assert len(pages) == PAGES + len(CONTAINED)
    write_copies(pages, tmp_path / "raw")
    out = tmp_path / "clean"
    run(CleanConfig(raw_dir=str(tmp_path / "raw"), out_dir=str(out), entities=False, keywords=0,
                    task_runner="local"), strict=True)

    rows = {}  # source -> (id, canonical id, story id)
    for line in published_file(out, "articles.jsonl").decode("utf-8").splitlines():
        a = json.loads(line)
        rows[a["source"]] = (a["id"], a["id"], a["story_id"])
    for d in csv.DictReader(io.StringIO(published_file(out, "duplicates.csv").decode("utf-8-sig"))):
        rows[d["source"]] = (d["id"], d["duplicate_of"], d["story_id"])
    assert not published_file(out, "rejects.csv").decode("utf-8-sig").strip().splitlines()[1:]  # none rejected

    page_of = {row[0]: source.split(".")[0] for source, row in rows.items()}
    for page in pages:
        html, text = rows[f"{page.id}.html"], rows[f"{page.id}.txt"]
        assert html[1] == text[1], f"{page.id}: its two copies are not one duplicate group"
        assert page_of[html[1]] == page.id, f"{page.id}: points at another page's copy"
        assert html[2] == text[2], f"{page.id}: its two copies are two stories"
    assert len({row[1] for row in rows.values()}) == len(pages)  # one group per page, none across pages
