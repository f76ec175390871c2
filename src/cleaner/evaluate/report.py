"""The report as text: the table, metadata, removals, per-input scores, worst pages, rejects."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from cleaner.evaluate.run import MODES
from cleaner.evaluate.summary import worst


def _f(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def format_table(rows: Sequence[dict]) -> str:
    head = (f"{'split':8} {'mode':5} {'method':12} {'kept':>6} {'dropped':>7} {'pages':>6} {'rejects':>7} "
            f"{'skipped keep/drop':>18}")
    lines = [head, "-" * len(head)]
    previous = None
    for row in rows:
        if previous is not None and (row["split"], row["mode"]) != previous:
            if row["split"] != previous[0]:
                lines.append("")
        previous = (row["split"], row["mode"])
        skipped = f"{row['skipped_keep']}/{row['skipped_drop']}" if row["mode"] == "text" else "-"
        lines.append(f"{row['split']:8} {row['mode']:5} {row['method']:12} {_f(row['kept'])} {_f(row['dropped']):>7} "
                     f"{row['pages']:6d} {row['rejects']:7d} {skipped:>18}")
    return "\n".join(lines)


def format_report(report: dict, worst_n: int) -> str:
    parts = [format_table(report["table"])]
    parts.append("\nkept/dropped: mean over pages of the share of `with` snippets found / `without` snippets "
                 "absent; text mode skips snippets the unchanged dump lacks (counted under 'skipped').")
    meta = report.get("metadata") or []
    if meta:
        parts.append("\nmetadata (pipeline vs labels; native = each input as a real run gets it)")
        parts.append(f"{'mode':8} {'pages':>5} {'title':>6} {'author':>6} {'date':>6}  invented t/a/d")
        for m in meta:
            parts.append(f"{m['mode']:8} {m['pages']:5d} {m['title']:6.3f} {m['author']:6.3f} {m['date']:6.3f}  "
                         f"{m['title_invented']}/{m['author_invented']}/{m['date_invented']}")
        for e in report.get("metadata_errors", []):
            parts.append(f"  {e['id']} [{e['mode']}] {e['field']}: expected {e['expected']!r}, got {e['got']!r}")
    cats = report.get("removal_categories") or {}
    for mode, by_cat in cats.items():
        if by_cat:
            parts.append(f"\npipeline removals, {mode} mode (blocks / pages): " +
                         ", ".join(f"{c} {v['blocks']}/{v['pages']}" for c, v in by_cat.items()))
    for mode, blame in (report.get("blame") or {}).items():
        if blame:
            parts.append(f"lost `with` snippets, {mode} mode, by the rule that removed them: " +
                         ", ".join(f"{k} {v}" for k, v in list(blame.items())[:12]))
    own = [r for r in report["pages"] if r["split"] == "own"]
    if own:
        parts.append("\nper input (pipeline kept/dropped; html mode | text mode)")
        for r in own:
            cells = []
            for mode in MODES:
                if mode in r["modes"]:
                    m = r["modes"][mode]["methods"]["pipeline"]
                    rejected = f" reject {m['reject'].split(':')[0]}" if m["reject"] else ""
                    cells.append(f"{_f(m['kept'])} {_f(m['dropped'])}" + rejected)
                else:
                    cells.append(f"{'n/a':>13}")
            parts.append(f"  {r['id'][:52]:52} " + " | ".join(cells))
    if worst_n:
        for mode in MODES:
            for what in ("kept", "dropped"):
                rows = worst(report["pages"], mode, what, worst_n)
                if not rows:
                    continue
                parts.append(f"\nworst {len(rows)} pages by {what}, pipeline, {mode} mode")
                for w in rows:
                    reject = f" [reject {w['reject'].split(':')[0]}]" if w["reject"] else ""
                    parts.append(f"  {w[what]:.3f} {w['id']}{reject}")
                    for s in w["failed"][:3]:
                        parts.append(f"      {'missing' if what == 'kept' else 'survived'}: {s[:110]!r}")
    rejects = [(r["id"], mode, r["modes"][mode]["methods"]["pipeline"]["reject"]) for r in report["pages"]
               for mode in r["modes"] if r["modes"][mode]["methods"]["pipeline"]["reject"]]
    if rejects:
        parts.append(f"\npipeline rejects ({len(rejects)}; scored as empty output)")
        by_reason = Counter((mode, reason.split(":")[0]) for _, mode, reason in rejects)
        parts.append("  " + ", ".join(f"{mode} {reason} {n}" for (mode, reason), n in sorted(by_reason.items())))
        if worst_n:
            for pid, mode, reason in rejects[: worst_n * 2]:
                parts.append(f"  {mode:4} {pid}: {reason[:120]}")
    parts.append(f"\n{report['pages_total']} pages in {report['seconds']:.1f} s with {report['jobs']} processes")
    return "\n".join(parts)

