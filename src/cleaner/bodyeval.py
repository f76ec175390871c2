"""Whole-body scores on a reference-text dataset (WCXB's layout): `cleaner eval WCXB_DIR`.

Every page is cleaned in both modes, as a user's run would clean it alone, with default
settings: *html* (the page) and *text* (its whole-page plain-text dump, made with inscriptis, as
in `cleaner.evaluate`). Beside the pipeline: trafilatura alone (html), and in text mode the
unchanged dump, C4's line rules and the densest prose span (cleaner.baselines).

A page's output is the published body (no title: the references hold none). Scores per page
(cleaner.bodyscore): word-level and word-4-shingle precision and recall; a table row gives
their means over its pages and the F1 of those means, per split, page type, mode and method.
A rejected page scores as empty output. Metadata: title, author and date against the page's
own, counted right when equal after `evaluate.norm` (dates as YYYY-MM-DD), over the pages that
state one, and invented when the page states none.

Dataset: `index.json` (file_id, page_type, domain), `pages/ID.html.gz`, `truth/ID.json.gz`
(`main_content`, `title`, `author`, `publish_date`). Split: the page's domain hashed
(`evaluate.split_of`), so that no site is on both sides.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cleaner.baselines import c4_lines, span_lines
from cleaner.bodyscore import f1, shingle_scores, word_scores
from cleaner.decode import decode
from cleaner.dumps import text_dump
from cleaner.evaluate import HELDOUT_SHARE, SPLITS, norm, split_of
from cleaner.evaluate.run import _pipeline, configure_workers, in_processes, worker_rules
from cleaner.record import Article, Format

METHODS = {"html": ("pipeline", "trafilatura"), "text": ("pipeline", "dump", "c4", "span")}
FIELDS = ("title", "author", "date")


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    page_type: str
    domain: str
    split: str
    path: str
    truth: str  # the truth file


def is_dataset(folder: Path | str) -> bool:
    folder = Path(folder)
    return (folder / "index.json").is_file() and (folder / "truth").is_dir()


def load_pages(folder: Path | str) -> list[Page]:
    folder = Path(folder)
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return [Page(e["file_id"], e["page_type"], e["domain"], split_of(e["domain"]),
                 str(folder / "pages" / f"{e['file_id']}.html.gz"), str(folder / "truth" / f"{e['file_id']}.json.gz"))
            for e in index]


_MODES: tuple[str, ...] = ("html", "text")  # which modes run_page runs (set before the worker pool forks)


def run_page(page: Page) -> dict:
    """Every method of the chosen modes on one page: scores, rejects, metadata."""
    truth = json.loads(gzip.decompress(Path(page.truth).read_bytes()))
    reference = truth.get("main_content") or ""
    raw = gzip.decompress(Path(page.path).read_bytes())
    source = Article(id=page.id, source=f"{page.id}.html", format=Format.HTML, input_format="html", raw=raw)
    decoded = decode(source, max_bytes=10_000_000)
    html = decoded.text if isinstance(decoded, Article) else ""
    rules = worker_rules()
    outputs: dict[str, dict[str, dict]] = {mode: {} for mode in _MODES}
    if "html" in _MODES:
        outputs["html"]["pipeline"] = _body(_pipeline(source, rules, decoded))
        outputs["html"]["trafilatura"] = _trafilatura(html)
    if "text" not in _MODES:
        return _scored(page, truth, reference, outputs)
    dump = text_dump(html)
    text_article = replace(source, source=f"{page.id}.txt", format=Format.TEXT, input_format="text",
                           raw=dump.encode("utf-8"))
    no_dump = {"output": "", "reject": "empty: no dump", "meta": {}}
    outputs["text"]["pipeline"] = _body(_pipeline(text_article, rules)) if dump.strip() else no_dump
    outputs["text"]["dump"] = {"output": dump, "reject": ""}
    outputs["text"]["c4"] = {"output": c4_lines(dump), "reject": ""}
    outputs["text"]["span"] = {"output": span_lines(dump), "reject": ""}
    return _scored(page, truth, reference, outputs)


def _trafilatura(html: str) -> dict:
    """trafilatura alone: its main text and metadata (a crash scores as empty output)."""
    import trafilatura

    try:
        body = trafilatura.extract(html) or "" if html else ""
        meta = trafilatura.extract_metadata(html) if html else None
    except Exception as exc:
        return {"output": "", "reject": f"crashed: {type(exc).__name__}: {exc}"[:200], "meta": {}}
    return {"output": body, "reject": "", "meta": {
        "title": getattr(meta, "title", "") or "", "author": getattr(meta, "author", "") or "",
        "date": getattr(meta, "date", "") or ""}}


def _scored(page: Page, truth: dict, reference: str, outputs: dict[str, dict[str, dict]]) -> dict:
    result = {"id": page.id, "page_type": page.page_type, "domain": page.domain, "split": page.split,
              "has_reference": bool(reference.strip()),
              "truth": {"title": truth.get("title") or "", "author": truth.get("author") or "",
                        "date": truth.get("publish_date") or ""}, "modes": {}}
    for mode, methods in outputs.items():
        result["modes"][mode] = {}
        for method, out in methods.items():
            wp, wr = word_scores(out["output"], reference)
            sp, sr = shingle_scores(out["output"], reference)
            result["modes"][mode][method] = {
                "word_p": wp, "word_r": wr, "shingle_p": sp, "shingle_r": sr, "reject": out.get("reject", ""),
                "meta": out.get("meta", {}), "chars": len(out["output"]),
            }
    return result


def _body(out: dict) -> dict:
    """The pipeline's published body alone (evaluate._pipeline puts the title first)."""
    title = out.get("meta", {}).get("title", "")
    text = out["output"]
    if title and text.startswith(f"{title}\n\n"):
        text = text[len(title) + 2:]
    elif title and text == title:
        text = ""
    return {**out, "output": text}


def run_pages(pages: Sequence[Page], jobs: int, progress: bool = False) -> list[dict]:
    return in_processes(run_page, pages, jobs, chunksize=2, progress=sys.stdout if progress else None)


def summarise(results: Sequence[dict], splits: Sequence[str]) -> list[dict]:
    """One row per split, page type, mode and method: mean P and R, F1 of the means, rejects."""
    rows = []
    types = sorted({r["page_type"] for r in results})
    for split in splits:
        chosen = [r for r in results if r["has_reference"] and (split == "all" or r["split"] == split)]
        for page_type in types:
            group = [r for r in chosen if r["page_type"] == page_type]
            if not group:
                continue
            for mode, methods in METHODS.items():
                if mode not in _MODES:
                    continue
                for method in methods:
                    scored = [r["modes"][mode][method] for r in group if method in r["modes"].get(mode, {})]
                    if not scored:
                        continue
                    means = {k: sum(s[k] for s in scored) / len(scored)
                             for k in ("word_p", "word_r", "shingle_p", "shingle_r")}
                    rows.append({"split": split, "page_type": page_type, "mode": mode, "method": method,
                                 "pages": len(scored), **{k: round(v, 4) for k, v in means.items()},
                                 "word_f1": round(f1(means["word_p"], means["word_r"]), 4),
                                 "shingle_f1": round(f1(means["shingle_p"], means["shingle_r"]), 4),
                                 "rejects": sum(1 for s in scored if s["reject"])})
    return rows


def _same(field: str, got: str, want: str) -> bool:
    if field == "date":
        return got[:10] == want[:10]
    return norm(got) == norm(want)


def metadata_accuracy(results: Sequence[dict], splits: Sequence[str], page_type: str = "article",
                      methods: Sequence[tuple[str, str]] | None = None) -> list[dict]:
    """Per split, mode and method with metadata: share right of the pages that state each field,
    and how many pages that state none got one anyway (invented). `methods`: the (mode, method)
    pairs to score (default: those of the modes run that give metadata)."""
    if methods is None:
        methods = [(mode, method) for mode, method in (("html", "pipeline"), ("html", "trafilatura"),
                                                        ("text", "pipeline")) if mode in _MODES]
    rows = []
    for split in splits:
        chosen = [r for r in results if r["page_type"] == page_type and (split == "all" or r["split"] == split)]
        for mode, method in methods:
            row = {"split": split, "mode": mode, "method": method, "pages": len(chosen)}
            for field in FIELDS:
                stated = [r for r in chosen if r["truth"][field]]
                right = sum(_same(field, r["modes"][mode][method]["meta"].get(field, "") or "", r["truth"][field])
                            for r in stated)
                invented = sum(1 for r in chosen if not r["truth"][field]
                               and (r["modes"][mode][method]["meta"].get(field) or ""))
                row[field] = round(right / len(stated), 4) if stated else None
                row[f"{field}_stated"], row[f"{field}_invented"] = len(stated), invented
            # The page's date as a reader takes it: the published date, else the one labelled
            # 'Updated' (WCXB's truth takes that on a page that states no other; `published` never does).
            dated = [r for r in chosen if r["truth"]["date"]]
            shown = [_shown_date(r["modes"][mode][method]["meta"]) for r in dated]
            row["date_or_updated"] = (round(sum(_same("date", got, r["truth"]["date"]) for got, r in zip(shown, dated))
                                            / len(dated), 4) if dated else None)
            rows.append(row)
    return rows


def _shown_date(meta: dict) -> str:
    return meta.get("date") or meta.get("updated") or ""


def format_report(report: dict) -> str:
    head = (f"{'split':8} {'type':10} {'mode':5} {'method':11} {'pages':>5}  {'word P':>6} {'R':>6} {'F1':>6}  "
            f"{'4-sh P':>6} {'R':>6} {'F1':>6} {'rejects':>7}")
    lines = [head, "-" * len(head)]
    previous = None
    for row in report["table"]:
        if previous is not None and (row["split"], row["page_type"]) != previous:
            lines.append("")
        previous = (row["split"], row["page_type"])
        lines.append(f"{row['split']:8} {row['page_type']:10} {row['mode']:5} {row['method']:11} {row['pages']:5d}  "
                     f"{row['word_p']:6.3f} {row['word_r']:6.3f} {row['word_f1']:6.3f}  {row['shingle_p']:6.3f} "
                     f"{row['shingle_r']:6.3f} {row['shingle_f1']:6.3f} {row['rejects']:7d}")
    lines.append("\nmetadata of article pages: share right of the pages that state it "
                 "(invented: pages that state none)")
    lines.append(f"{'split':8} {'mode':5} {'method':11} {'title':>6} {'author':>6} {'date':>6}  invented t/a/d  "
                 "date or updated")
    for m in report["metadata"]:
        cells = " ".join("   -  " if m[f] is None else f"{m[f]:6.3f}" for f in FIELDS)
        either = "   -  " if m.get("date_or_updated") is None else f"{m['date_or_updated']:6.3f}"
        lines.append(f"{m['split']:8} {m['mode']:5} {m['method']:11} {cells}  "
                     f"{m['title_invented']}/{m['author_invented']}/{m['date_invented']:<6} {either}")
    rejects = Counter((mode, r["page_type"], r["modes"][mode]["pipeline"]["reject"].split(":")[0])
                      for r in report["pages"] for mode in r["modes"] if r["modes"][mode]["pipeline"]["reject"])
    if rejects:
        lines.append("\npipeline rejects by mode, page type and reason: " +
                     ", ".join(f"{m}/{t}/{why} {n}" for (m, t, why), n in sorted(rejects.items())))
    lines.append(f"\n{len(report['pages'])} pages in {report['seconds']:.1f} s with {report['jobs']} processes; "
                 "WCXB development split (CC-BY-4.0, Murrough Foley 2026)")
    return "\n".join(lines)


def evaluate(folder: Path | str, split: str = "all", limit: int | None = None, jobs: int | None = None,
             progress: bool = False, page_types: Sequence[str] | None = None, rules_dir: str = "",
             modes: Sequence[str] = ("html", "text")) -> dict:
    """Load, run and summarise: the report as a JSON-ready dict. `rules_dir`: a folder of the
    user's own rules, tried before the shipped ones (CleanConfig.rules_dir)."""
    global _MODES
    configure_workers(rules_dir=rules_dir)  # the workers load the rules (evaluate.run.init_worker) after the fork
    _MODES = tuple(m for m in ("html", "text") if m in modes)
    started = time.perf_counter()
    pages = load_pages(folder)
    if split != "all":
        pages = [p for p in pages if p.split == split]
    if page_types:
        pages = [p for p in pages if p.page_type in page_types]
    if limit:
        pages = pages[:limit]
    jobs = jobs or os.cpu_count() or 1
    results = run_pages(pages, jobs, progress)
    splits = [split] if split != "all" else list(SPLITS)
    return {"dataset": str(folder), "split": split, "limit": limit, "heldout_share": HELDOUT_SHARE,
            "table": summarise(results, splits), "metadata": metadata_accuracy(results, splits),
            "pages": results, "jobs": jobs, "seconds": time.perf_counter() - started}
