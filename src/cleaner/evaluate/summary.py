"""The results summarised: kept and dropped per split, mode and method; metadata accuracy; removals; worst pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from cleaner.evaluate.match import norm
from cleaner.evaluate.run import METHODS, MODES


def _mean(values: Iterable[float | None]) -> tuple[float | None, int]:
    vals = [v for v in values if v is not None]
    return (sum(vals) / len(vals) if vals else None), len(vals)


def summarise(results: Sequence[dict], splits: Sequence[str]) -> list[dict]:
    """One row per split x mode x method: kept, dropped, pages, rejects."""
    rows = []
    for split in splits:
        part = [r for r in results if split == "all" or r["split"] == split]
        for mode in MODES:
            judged = [r for r in part if mode in r["modes"]]
            if not judged:
                continue
            for method in METHODS[mode]:
                ms = [r["modes"][mode]["methods"][method] for r in judged]
                kept, kept_pages = _mean(m["kept"] for m in ms)
                dropped, dropped_pages = _mean(m["dropped"] for m in ms)
                rows.append({
                    "split": split, "mode": mode, "method": method, "kept": kept, "dropped": dropped,
                    "pages": len(judged), "kept_pages": kept_pages, "dropped_pages": dropped_pages,
                    "rejects": sum(1 for m in ms if m["reject"]),
                    "skipped_keep": sum(r["modes"][mode]["skipped_keep"] for r in judged),
                    "skipped_drop": sum(r["modes"][mode]["skipped_drop"] for r in judged),
                })
    return rows


def metadata_accuracy(results: Sequence[dict]) -> list[dict]:
    """Title, author, date of the pipeline against the labels (own set), per mode and native.

    A field is right when the normalised output equals the normalised label; an empty label
    must give an empty output (metadata is never invented).
    """
    rows = []
    for mode in ("native", *MODES):
        counts = {f: [0, 0] for f in ("title", "author", "date")}
        invented = Counter()
        pages = 0
        for r in results:
            if not r.get("labels"):
                continue
            m = r.get("native_mode") if mode == "native" else mode
            if m not in r["modes"]:
                continue
            pages += 1
            meta = r["modes"][m]["methods"]["pipeline"].get("meta") or {}
            for f in counts:
                truth, got = norm(r["labels"].get(f, "")), norm(meta.get(f, ""))
                counts[f][0] += truth == got
                counts[f][1] += 1
                if not truth and got:
                    invented[f] += 1
        if pages:
            rows.append({"mode": mode, "pages": pages,
                         **{f: counts[f][0] / counts[f][1] for f in counts},
                         **{f"{f}_right": counts[f][0] for f in counts},
                         **{f"{f}_invented": invented[f] for f in counts}})
    return rows


def metadata_errors(results: Sequence[dict]) -> list[dict]:
    errors = []
    for r in results:
        if not r.get("labels"):
            continue
        m = r.get("native_mode")
        if m not in r["modes"]:
            continue
        meta = r["modes"][m]["methods"]["pipeline"].get("meta") or {}
        for f in ("title", "author", "date"):
            if norm(r["labels"].get(f, "")) != norm(meta.get(f, "")):
                errors.append({"id": r["id"], "mode": m, "field": f, "expected": r["labels"].get(f, ""),
                               "got": meta.get(f, "")})
    return errors


def removal_categories(results: Sequence[dict]) -> dict[str, dict[str, dict[str, int]]]:
    """Per mode: blocks removed by the pipeline per category, and on how many pages."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for mode in MODES:
        blocks, pages = Counter(), Counter()
        for r in results:
            if mode not in r["modes"]:
                continue
            cats = r["modes"][mode]["methods"]["pipeline"].get("removal_categories") or {}
            blocks.update(cats)
            pages.update(cats.keys())
        out[mode] = {c: {"blocks": blocks[c], "pages": pages[c]} for c in sorted(blocks, key=lambda c: -blocks[c])}
    return out


def blame_counts(results: Sequence[dict]) -> dict[str, dict[str, int]]:
    """Per mode: the rules whose removals held `with` snippets the pipeline lost."""
    out = {}
    for mode in MODES:
        c = Counter()
        for r in results:
            if mode in r["modes"]:
                for b in r["modes"][mode]["methods"]["pipeline"].get("missed_blame", []):
                    c[b or "(not in any removal)"] += 1
        out[mode] = dict(c.most_common())
    return out


def worst(results: Sequence[dict], mode: str, what: str, n: int) -> list[dict]:
    """The n pages where the pipeline scored lowest on `what` (kept or dropped) in `mode`."""
    scored = [r for r in results if mode in r["modes"] and r["modes"][mode]["methods"]["pipeline"][what] is not None]
    scored.sort(key=lambda r: (r["modes"][mode]["methods"]["pipeline"][what], r["id"]))
    rows = []
    for r in scored[:n]:
        m = r["modes"][mode]["methods"]["pipeline"]
        rows.append({"id": r["id"], "split": r["split"], what: m[what], "reject": m["reject"],
                     "failed": m["missed"] if what == "kept" else m["survived"]})
    return rows

