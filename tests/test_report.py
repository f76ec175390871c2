"""report: the run summary (markdown) and its reject and duplicate rows, checked by content."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import report as report_module
from cleaner.publish import DATA_FILES, MANIFEST, PublishReport, RemovalStats
from cleaner.record import Reject, RejectReason
from cleaner.report import duplicate_rows, reject_rows, review_line, summary_markdown


def make_report(out_dir: str = "/data/clean", **fields) -> PublishReport:
    values = {
        "out_dir": out_dir, "run_id": "r1",
        "counts": {"inputs": 7, "files": 5, "published": 4, "duplicates": 1, "rejects": 2},
        "removals_by_category": {"cookie": 3, "share": 1},
        "removal_stats": {
            "share": RemovalStats(count=1, chars=12, example="Share this"),
            "cookie": RemovalStats(count=3, chars=1_234, example="We use cookies | and more\nto improve"),
        },
        "rule_counts": {"cookie.consent_line": 3, "share.bar": 1},
        "duplicates": [{"canonical": "a.html", "duplicate": "feed.jsonl#2", "kind": "near", "similarity": 0.91,
                        "title": "Budget passes"}],
        **fields,
    }
    return PublishReport(**values)


def reject(source: str, record: int | None = None, reason: RejectReason = RejectReason.EMPTY,
           detail: str = "the file is empty") -> Reject:
    return Reject(article_id=f"id-{source}-{record}", source=source, record=record, stage="read", reason=reason,
                  detail=detail)


REJECTS = [reject("z.html", detail="zero bytes"), reject("feed.jsonl", 3, RejectReason.BAD_RECORD, "not JSON"),
           reject("feed.jsonl", 1, RejectReason.TOO_LARGE, "12,000,000 bytes")]


def section(markdown: str, title: str) -> list[str]:
    """The lines under the heading '## title', up to the next heading."""
    lines = markdown.splitlines()
    start = lines.index(f"## {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return [line for line in lines[start:end] if line]


def test_section_helper():
    text = "# t\n\n## A\n\nx\n\ny\n## B\nz\n"
    assert section(text, "A") == ["x", "y"]
    assert section(text, "B") == ["z"]


def test_reject_rows_are_sorted_by_input_and_name_the_line_of_a_record():
    assert reject_rows(REJECTS) == [
        {"source": "feed.jsonl#1", "stage": "read", "reason": "too_large", "detail": "12,000,000 bytes"},
        {"source": "feed.jsonl#3", "stage": "read", "reason": "bad_record", "detail": "not JSON"},
        {"source": "z.html", "stage": "read", "reason": "empty", "detail": "zero bytes"},
    ]
    assert reject_rows([]) == []


def test_duplicate_rows_are_the_published_duplicates():
    rows = duplicate_rows(make_report())
    assert rows == [{"canonical": "a.html", "duplicate": "feed.jsonl#2", "kind": "near", "similarity": 0.91,
                     "title": "Budget passes"}]


def test_summary_balances_the_counts():
    text = summary_markdown(make_report(), REJECTS)
    assert text.startswith("# cleaner run\n")
    assert "**7 inputs** (5 files) = **4 published** + **1 duplicates** + **2 rejects**" in text
    assert text.endswith("\n")


def test_summary_names_every_published_file():
    """Every file publish writes (its DATA_FILES and the manifest) is named, so the list cannot fall behind."""
    text = summary_markdown(make_report(), [])
    [line] = [line for line in text.splitlines() if line.startswith("Published to ")]
    assert line.startswith("Published to `/data/clean`: ")
    named = line.partition(": ")[2].rstrip(".").split(", ")
    assert sorted(named) == sorted([*DATA_FILES, MANIFEST])


def test_summary_tables_of_removals_and_rules():
    text = summary_markdown(make_report(), [])
    removed = section(text, "Boilerplate removed")
    assert removed[:2] == ["| category | removals | characters | example |", "|---|---:|---:|---|"]
    # most removals first; thousands separated; the example on one line with its pipe escaped
    assert removed[2:] == ["| cookie | 3 | 1,234 | We use cookies \\| and more to improve |",
                           "| share | 1 | 12 | Share this |"]
    assert section(text, "Rules that fired most")[2:] == ["| `cookie.consent_line` | 3 |", "| `share.bar` | 1 |"]


def test_only_the_ten_rules_that_fired_most_are_listed():
    counts = {f"promo.rule{n:02d}": n for n in range(1, 16)}
    rows = section(summary_markdown(make_report(rule_counts=counts), []), "Rules that fired most")[2:]
    assert rows == [f"| `promo.rule{n:02d}` | {n} |" for n in range(15, 5, -1)]


def test_a_long_example_is_cut_with_an_ellipsis():
    long = "word " * 40
    stats = {"cookie": RemovalStats(count=1, chars=200, example=long)}
    [row] = section(summary_markdown(make_report(removal_stats=stats), []), "Boilerplate removed")[2:]
    cell = row.split(" | ")[3].removesuffix(" |")
    assert len(cell) == 90 and cell.endswith("…") and cell.startswith("word word")


def test_duplicates_and_rejects_sections():
    text = summary_markdown(make_report(), REJECTS)
    assert section(text, "Duplicates (1)") == [
        "| canonical | duplicate | kind | similarity |", "|---|---|---|---:|",
        "| a.html | feed.jsonl#2 | near | 0.91 |"]
    assert section(text, "Rejects (3)") == [
        "| input | reason | detail |", "|---|---|---|",
        "| feed.jsonl#1 | `too_large` | 12,000,000 bytes |",
        "| feed.jsonl#3 | `bad_record` | not JSON |",
        "| z.html | `empty` | zero bytes |",
    ]


def test_empty_sections_say_none():
    text = summary_markdown(make_report(duplicates=[]), [])
    assert section(text, "Duplicates (0)") == ["None."]
    assert section(text, "Rejects (0)") == ["None."]


def test_long_tables_are_cut_and_point_at_the_csv(monkeypatch):
    monkeypatch.setattr(report_module, "MAX_ROWS", 2)
    rejects = [reject(f"p{n}.html") for n in range(5)]
    rows = section(summary_markdown(make_report(), rejects), "Rejects (5)")
    assert rows[2:] == ["| p0.html | `empty` | the file is empty |", "| p1.html | `empty` | the file is empty |",
                        "... and 3 more: see rejects.csv."]


def test_batches_line_only_when_batches_are_known():
    assert "Batches:" not in summary_markdown(make_report(), [])
    text = summary_markdown(make_report(), [], cached_batches=2, batches=5)
    assert "Batches: 5, of which 2 came from the cache (unchanged input)." in text.splitlines()


def test_review_line_links_the_local_page(tmp_path):
    line = review_line(str(tmp_path / "clean"))
    page = tmp_path / "clean" / "review.html"
    assert f"[review.html]({page.as_uri()})" in line
    assert f"(`{page}`; open it in a browser)" in line
    assert line in summary_markdown(make_report(out_dir=str(tmp_path / "clean")), []).splitlines()


def test_review_line_of_an_object_store_names_the_manifest():
    line = review_line("s3://bucket/clean/")
    assert "`review.html` in the run folder that `s3://bucket/clean/manifest.json` names (`data`)" in line
    assert "file://" not in line


@pytest.mark.parametrize(("out_dir", "shown"), [("s3://bucket/clean", "s3://bucket/clean"),
                                                ("relative/clean", str(Path("relative/clean").resolve()))])
def test_where_the_run_published(out_dir, shown):
    assert f"Published to `{shown}`:" in summary_markdown(make_report(out_dir=out_dir), [])
