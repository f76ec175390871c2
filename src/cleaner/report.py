"""A run summary a person reads at a glance (markdown) and the rows of its tables.

Pure functions over the run's records; the flow turns them into Prefect artifacts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from cleaner.publish import PublishReport
from cleaner.record import Article, Reject

_EXAMPLE_CHARS = 90


def reject_rows(rejects: Sequence[Reject]) -> list[dict]:
    return [{"source": r.source if r.record is None else f"{r.source}#{r.record}", "stage": r.stage,
             "reason": r.reason.value, "detail": r.detail} for r in sorted(rejects, key=lambda r: (r.source, r.record or 0))]


def duplicate_rows(articles: Sequence[Article]) -> list[dict]:
    by_id = {a.id: a for a in articles}
    rows = []
    for a in sorted((a for a in articles if a.duplicate_of), key=lambda a: (a.duplicate_of, a.source, a.record or 0)):
        original = by_id.get(a.duplicate_of)
        rows.append({
            "canonical": _name(original) if original else a.duplicate_of,
            "duplicate": _name(a), "kind": a.duplicate_kind, "similarity": a.similarity,
            "title": a.meta.title,
        })
    return rows


def summary_markdown(report: PublishReport, articles: Sequence[Article], rejects: Sequence[Reject],
                     cached_batches: int = 0, batches: int = 0) -> str:
    c = report.counts
    lines = [
        "# cleaner run",
        "",
        f"**{c['inputs']} inputs** ({c['files']} files) = **{c['published']} published** + "
        f"**{c['duplicates']} duplicates** + **{c['rejects']} rejects**",
        "",
        f"Published to `{Path(report.out_dir).resolve()}`: articles.csv, articles.json, articles.jsonl, "
        "duplicates.csv, rejects.csv, removals.jsonl, article.schema.json, manifest.json.",
    ]
    if batches:
        lines += ["", f"Batches: {batches}, of which {cached_batches} came from the cache (unchanged input)."]

    removals = [(a, r) for a in articles for r in a.removals]
    lines += ["", "## Boilerplate removed", "", "| category | removals | characters | example |", "|---|---:|---:|---|"]
    by_category: dict[str, list] = defaultdict(list)
    for a, r in removals:
        by_category[r.category].append(r)
    for category, items in sorted(by_category.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        example = _cell(items[0].text)
        lines.append(f"| {category} | {len(items)} | {sum(len(r.text) for r in items):,} | {example} |")

    lines += ["", "## Rules that fired most", "", "| rule | removals |", "|---|---:|"]
    for rule_id, count in Counter(r.rule_id for _, r in removals).most_common(10):
        lines.append(f"| `{rule_id}` | {count} |")

    dups = duplicate_rows(articles)
    lines += _section(f"Duplicates ({len(dups)})", "| canonical | duplicate | kind | similarity |", "|---|---|---|---:|",
                      [f"| {_cell(d['canonical'])} | {_cell(d['duplicate'])} | {d['kind']} | {d['similarity']} |"
                       for d in dups])
    rows = reject_rows(rejects)
    lines += _section(f"Rejects ({len(rows)})", "| input | reason | detail |", "|---|---|---|",
                      [f"| {_cell(r['source'])} | `{r['reason']}` | {_cell(r['detail'])} |" for r in rows])
    return "\n".join(lines) + "\n"


def _section(title: str, header: str, rule: str, rows: list[str]) -> list[str]:
    """A markdown section holding a table, or 'None.' when there are no rows."""
    return ["", f"## {title}", "", *([header, rule, *rows] if rows else ["None."])]


def _name(article: Article) -> str:
    return article.source if article.record is None else f"{article.source}#{article.record}"


def _cell(text: str) -> str:
    """One markdown table cell: one line, pipes escaped, long text cut."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= _EXAMPLE_CHARS else text[: _EXAMPLE_CHARS - 1] + "…"
