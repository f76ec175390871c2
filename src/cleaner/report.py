"""A run summary a person reads at a glance (markdown) and the rows of its tables.

Pure functions over the run's records; the flow turns them into Prefect artifacts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cleaner.publish import PublishReport
from cleaner.record import Reject
from cleaner.review import REVIEW_FILE

_EXAMPLE_CHARS = 90
MAX_ROWS = 500  # rows shown per table in the summary; the CSV files have them all


def reject_rows(rejects: Sequence[Reject]) -> list[dict]:
    return [{"source": r.source if r.record is None else f"{r.source}#{r.record}", "stage": r.stage,
             "reason": r.reason.value, "detail": r.detail}
            for r in sorted(rejects, key=lambda r: (r.source, r.record or 0))]


def duplicate_rows(report: PublishReport) -> list[dict]:
    """canonical, duplicate, kind, similarity, title of every duplicate the run published."""
    return list(report.duplicates)


def summary_markdown(report: PublishReport, rejects: Sequence[Reject], cached_batches: int = 0,
                     batches: int = 0) -> str:
    c = report.counts
    lines = [
        "# cleaner run",
        "",
        f"**{c['inputs']} inputs** ({c['files']} files) = **{c['published']} published** + "
        f"**{c['duplicates']} duplicates** + **{c['rejects']} rejects**",
        "",
        f"Published to `{_where(report.out_dir)}`: articles.csv, articles.json, articles.jsonl, "
        "duplicates.csv, rejects.csv, removals.jsonl, article.schema.json, site_boilerplate.json, review.html, "
        "manifest.json.",
        "",
        review_line(report.out_dir),
    ]
    if batches:
        lines += ["", f"Batches: {batches}, of which {cached_batches} came from the cache (unchanged input)."]

    lines += ["", "## Boilerplate removed", "", "| category | removals | characters | example |", "|---|---:|---:|---|"]
    for category, stats in sorted(report.removal_stats.items(), key=lambda kv: (-kv[1].count, kv[0])):
        lines.append(f"| {category} | {stats.count} | {stats.chars:,} | {_cell(stats.example)} |")

    lines += ["", "## Rules that fired most", "", "| rule | removals |", "|---|---:|"]
    for rule_id, count in sorted(report.rule_counts.items(), key=lambda kv: -kv[1])[:10]:
        lines.append(f"| `{rule_id}` | {count} |")

    dups = duplicate_rows(report)
    lines += _section(f"Duplicates ({len(dups)})", "| canonical | duplicate | kind | similarity |",
                      "|---|---|---|---:|",
                      [f"| {_cell(d['canonical'])} | {_cell(d['duplicate'])} | {d['kind']} | {d['similarity']} |"
                       for d in dups[:MAX_ROWS]], more=len(dups) - MAX_ROWS, where="duplicates.csv")
    rows = reject_rows(rejects)
    lines += _section(f"Rejects ({len(rows)})", "| input | reason | detail |", "|---|---|---|",
                      [f"| {_cell(r['source'])} | `{r['reason']}` | {_cell(r['detail'])} |" for r in rows[:MAX_ROWS]],
                      more=len(rows) - MAX_ROWS, where="rejects.csv")
    return "\n".join(lines) + "\n"


def review_line(out_dir: str) -> str:
    """A markdown line that leads to the run's review page (review.html: every cut in place)."""
    what = "**Review every cut in place** (struck through, by category and rule; filters by site, category, rule):"
    if "://" in out_dir:  # an object store: the page is in the run folder its manifest names
        return f"{what} `{REVIEW_FILE}` in the run folder that `{out_dir.rstrip('/')}/manifest.json` names (`data`)."
    page = Path(out_dir).resolve() / REVIEW_FILE
    return f"{what} [{REVIEW_FILE}]({page.as_uri()}) (`{page}`; open it in a browser)."


def _where(out_dir: str) -> str:
    return out_dir if "://" in out_dir else str(Path(out_dir).resolve())


def _section(title: str, header: str, rule: str, rows: list[str], more: int = 0, where: str = "") -> list[str]:
    """A markdown section holding a table, or 'None.' when there are no rows; `more` rows not shown."""
    tail = ["", f"... and {more:,} more: see {where}."] if more > 0 else []
    return ["", f"## {title}", "", *([header, rule, *rows, *tail] if rows else ["None."])]


def _cell(text: str) -> str:
    """One markdown table cell: one line, pipes escaped, long text cut."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= _EXAMPLE_CHARS else text[: _EXAMPLE_CHARS - 1] + "…"
