"""`cleaner eval` on a reference-text dataset (WCXB's layout), on a two-page dataset made here."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cleaner import bodyeval

STORY = ("The regional council approved a new budget for the harbour district on Tuesday evening, after a debate "
         "that lasted more than four hours and drew residents from all over the town to the packed hall. "
         "Members argued over the cost of repairing the old sea wall, which engineers say could fail in a major "
         "storm, and over how much of the money should come from the national government instead.")
PAGE = ("<html><head><title>Council approves budget</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/news'>News</a> <a href='/sport'>Sport</a></nav><article><h1>Council approves budget</h1>"
        f"<p>{STORY}</p></article><footer>© 2024 Harbour Herald. All rights reserved.</footer></body></html>")


def make_dataset(folder: Path) -> Path:
    (folder / "pages").mkdir(parents=True)
    (folder / "truth").mkdir()
    index = []
    for file_id, page_type, domain in (("0001", "article", "harbourherald.example"),
                                       ("0002", "listing", "other.example")):
        (folder / "pages" / f"{file_id}.html.gz").write_bytes(gzip.compress(PAGE.encode()))
        truth = {"file_id": file_id, "page_type": page_type, "domain": domain, "title": "Council approves budget",
                 "author": "", "publish_date": "", "main_content": STORY}
        (folder / "truth" / f"{file_id}.json.gz").write_bytes(gzip.compress(json.dumps(truth).encode()))
        index.append({"file_id": file_id, "page_type": page_type, "domain": domain})
    (folder / "index.json").write_text(json.dumps(index))
    return folder


@pytest.mark.parametrize("modes", [("html", "text"), ("text",)])
def test_every_method_is_scored_per_page_type_and_the_report_prints(tmp_path, modes):
    folder = make_dataset(tmp_path / "set")
    assert bodyeval.is_dataset(folder) and not bodyeval.is_dataset(tmp_path)
    report = bodyeval.evaluate(folder, jobs=1, modes=modes)
    rows = {(r["split"], r["page_type"], r["mode"], r["method"]): r for r in report["table"]}
    expected = {m for mode in modes for m in ((mode, method) for method in bodyeval.METHODS[mode])}
    assert {(mode, method) for (split, _, mode, method) in rows if split == "all"} == expected
    pipeline = rows[("all", "article", "text", "pipeline")]
    dump = rows[("all", "article", "text", "dump")]
    assert pipeline["shingle_r"] == 1.0 and pipeline["shingle_p"] > dump["shingle_p"]
    assert dump["shingle_r"] == 1.0
    text = bodyeval.format_report(report)
    assert "4-sh P" in text and "WCXB" in text
    meta = {(m["split"], m["mode"], m["method"]): m for m in report["metadata"]}
    (article,) = [p for p in report["pages"] if p["page_type"] == "article"]
    got = article["modes"]["text"]["pipeline"]["meta"]["title"]
    assert meta[("all", "text", "pipeline")]["title"] == (1.0 if got == "Council approves budget" else 0.0)
    assert meta[("all", "text", "pipeline")]["title_stated"] == 1
    assert meta[("all", "text", "pipeline")]["author_invented"] == 0  # the page names no author


def test_the_date_or_updated_column_takes_the_updated_date_only_where_no_date_is_given():
    def page(date: str, meta: dict) -> dict:
        return {"page_type": "article", "split": "dev", "truth": {"title": "", "author": "", "date": date},
                "modes": {"text": {"pipeline": {"meta": meta}}}}

    results = [page("2025-09-09", {"date": "", "updated": "2025-09-09"}),  # only the updated date shown
               page("2025-09-01", {"date": "2025-09-01", "updated": "2025-09-09"}),  # published wins
               page("2025-09-01", {"date": "", "updated": "2025-09-09"}),  # a later update: wrong
               page("", {"date": "", "updated": "2025-09-09"})]  # no truth date: not counted
    (row,) = bodyeval.metadata_accuracy(results, ["dev"], methods=[("text", "pipeline")])
    assert (row["date"], row["date_or_updated"], row["date_invented"]) == (0.3333, 0.6667, 0)  # rounded as reported
