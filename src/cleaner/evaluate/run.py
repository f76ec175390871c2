"""Running one page through every method of both modes, and all pages in worker processes."""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO, TypeVar

from cleaner.baselines import c4_lines, span_lines
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.dumps import text_dump
from cleaner.evaluate.cases import Case
from cleaner.evaluate.match import contains, norm, score
from cleaner.pipeline import run_document, stages
from cleaner.record import Article, Format, Reject
from cleaner.rules import RuleSet, load_rules

T = TypeVar("T")

MODES = ("html", "text")
# text mode also scores the pipeline with its rules alone (no line model), so the model's
# gain is measured on the same pages.
METHODS = {"html": ("pipeline", "trafilatura"), "text": ("pipeline", "rules_only", "dump", "c4", "span")}

_RULES: RuleSet | None = None
_RULES_DIR = ""  # the user's rules folder (CleanConfig.rules_dir), set before the worker pool forks
_MODES: tuple[str, ...] = MODES  # which modes run_case runs (set before the worker pool forks)
_CONFIG = CleanConfig(keywords=0, entities=False)  # neither changes the title or the body
_RULES_ONLY = _CONFIG.model_copy(update={"block_model": False})


def configure_workers(*, modes: Sequence[str] | None = None, rules_dir: str | None = None) -> None:
    """Before the worker pool forks: the modes run_case runs and the user's rules folder that
    init_worker loads (None: left as they are)."""
    global _MODES, _RULES_DIR
    if modes is not None:
        _MODES = tuple(modes)
    if rules_dir is not None:
        _RULES_DIR = rules_dir


def _chain(rules: RuleSet, block_model: bool = True):
    """The pipeline's own per-document stages after read: decode, extract, strip, tag."""
    return stages(_CONFIG if block_model else _RULES_ONLY, rules)[1:]


def init_worker() -> None:
    """Once per process: load the rules, quiet the XHTML warning."""
    global _RULES
    import warnings

    from bs4 import XMLParsedAsHTMLWarning

    # XHTML pages of the dev set; the pipeline parses them as HTML on purpose.
    warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
    _RULES = load_rules(rules_dir=_RULES_DIR)


def _pipeline(article: Article, rules: RuleSet, decoded: Article | Reject | None = None,
              block_model: bool = True) -> dict:
    """The per-document chain on one article; `decoded`: decode's result when already run (it is pure)."""
    started = time.perf_counter()
    chain = _chain(rules, block_model)
    if decoded is not None and not isinstance(decoded, Reject):
        article, chain = decoded, chain[1:]
    result = decoded if isinstance(decoded, Reject) else run_document(
        article, chain, seconds=_CONFIG.max_seconds_per_document)
    seconds = round(time.perf_counter() - started, 3)
    if isinstance(result, Reject):
        return {"output": "", "reject": f"{result.reason.value}: {result.detail}", "seconds": seconds,
                "removals": [], "meta": {}}
    title = result.meta.title
    return {
        "output": f"{title}\n\n{result.body}" if title else result.body,
        "reject": "",
        "seconds": seconds,
        "removals": [[r.category, r.rule_id, r.text] for r in result.removals],
        "meta": {"title": result.meta.title, "author": result.meta.author, "date": result.meta.published,
                 "updated": result.meta.updated},
    }


def worker_rules() -> RuleSet:
    return _RULES if _RULES is not None else load_rules(rules_dir=_RULES_DIR)


def page_article(case: Case) -> Article:
    """The input of one case as the pipeline gets it (a dev-set page is gunzipped)."""
    if case.article is not None:
        return case.article
    if not case.path:  # an own input that could not be read: scores as empty output
        return Article(id=case.id, source=case.id, format=Format.TEXT, input_format="text", raw=b"")
    raw = Path(case.path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    name = Path(case.path).name.removesuffix(".gz")
    return Article(id=hashlib.sha256(case.id.encode()).hexdigest()[:16], source=name, format=Format.HTML,
                   input_format="html", raw=raw)


def run_case(case: Case) -> dict:
    """All methods of both modes on one page: outputs, scores, rejects, removals."""
    import trafilatura

    rules = worker_rules()
    source = page_article(case)
    is_html = source.format is Format.HTML
    result: dict = {"id": case.id, "split": case.split, "labels": case.labels, "modes": {}}
    if case.article is None and case.split == "own":
        result["error"] = "unreadable"  # read rejected it: every method scores empty output
    decoded = decode(source, max_bytes=_CONFIG.max_bytes)
    text = decoded.text if isinstance(decoded, Article) else ""

    outputs: dict[str, dict[str, dict]] = {}
    if is_html and "html" in _MODES:
        html_out = _pipeline(source, rules, decoded)
        try:
            traf = trafilatura.extract(text or source.raw) or ""
        except Exception as exc:  # a baseline crash scores as empty output
            traf = ""
            result["trafilatura_error"] = f"{type(exc).__name__}: {exc}"[:200]
        outputs["html"] = {"pipeline": html_out, "trafilatura": {"output": traf, "reject": ""}}
    dump = text_dump(text) if is_html else text
    text_article = replace(source, format=Format.TEXT, input_format="text", raw=dump.encode("utf-8"), text="")
    no_dump = {"output": "", "reject": "empty: no dump", "removals": [], "meta": {}}
    if "text" in _MODES:
        outputs["text"] = {
            "pipeline": _pipeline(text_article, rules) if dump.strip() else no_dump,
            "rules_only": _pipeline(text_article, rules, block_model=False) if dump.strip() else no_dump,
            "dump": {"output": dump, "reject": ""},
            "c4": {"output": c4_lines(dump), "reject": ""},
            "span": {"output": span_lines(dump), "reject": ""},
        }

    dump_norm = norm(dump)
    for mode, methods in outputs.items():
        keep, drop = list(case.keep), list(case.drop)
        skipped_keep = skipped_drop = 0
        if mode == "text":  # judge only what the unchanged dump contains
            keep_ok = [s for s in keep if contains(dump_norm, s)]
            drop_ok = [s for s in drop if contains(dump_norm, s)]
            skipped_keep, skipped_drop = len([s for s in keep if norm(s)]) - len(keep_ok), \
                len([s for s in drop if norm(s)]) - len(drop_ok)
            keep, drop = keep_ok, drop_ok
        entry = {"skipped_keep": skipped_keep, "skipped_drop": skipped_drop, "methods": {}}
        for method, out in methods.items():
            s = score(out["output"], keep, drop)
            row = {"kept": s.kept, "dropped": s.dropped, "missed": list(s.missed), "survived": list(s.survived),
                   "reject": out.get("reject", ""), "chars": len(out["output"])}
            if method in ("pipeline", "rules_only"):
                row["seconds"] = out.get("seconds")
                row["meta"] = out.get("meta", {})
                row["removal_categories"] = dict(Counter(r[0] for r in out["removals"]))
                row["missed_blame"] = [_blame(m, out["removals"]) for m in s.missed]
            entry["methods"][method] = row
        result["modes"][mode] = entry
    if case.split == "own":
        result["native_mode"] = "html" if is_html else "text"
    return result


def _blame(snippet: str, removals: list[list[str]]) -> str:
    """The rule whose removal holds a lost `with` snippet, '' if no removal holds it."""
    s = norm(snippet)
    for category, rule_id, text in removals:
        if s and s in norm(text):
            return rule_id or category
    for category, rule_id, text in removals:  # partial: a removal inside the snippet
        t = norm(text)
        if len(t) >= 20 and t in s:
            return (rule_id or category) + " (part)"
    return ""


def run_cases(cases: Sequence[Case], jobs: int | None = None, progress: bool = False) -> list[dict]:
    """run_case over all cases, in `jobs` processes; results in case order."""
    return in_processes(run_case, cases, jobs or os.cpu_count() or 1, progress=sys.stderr if progress else None)


def in_processes(function: Callable[[T], dict], items: Sequence[T], jobs: int, chunksize: int = 1,
                 progress: TextIO | None = None) -> list[dict]:
    """`function` over `items`, results in their order: here when `jobs` <= 1, else in `jobs`
    processes forked from this one (init_worker in each); "eval: N/TOTAL pages" every 50 to
    `progress` when given.

    The pool is closed and joined, not terminated as leaving its `with` block does: each worker
    ends on the stop signal the pool queues for it. Terminating drains the queue and sends each
    worker SIGTERM; where SIGTERM has a Python handler (the test suite's, Prefect's in a flow
    run) a worker forked late, after the others had done all the work, could get it before its
    interpreter was ready (Python drops a forked child's pending signals as it starts) and
    then wait forever on the drained queue. The test suite hung so once; a scratch reproduction
    (pools of 2 workers over 10 tiny tasks, 3 threads busy beside them) hung on 4 of 1,761
    exits with such a handler, on none of 1,200 with the default one and on none of 2,400
    closed and joined."""
    if jobs <= 1 or len(items) <= 1:
        init_worker()
        return [_tick(i, len(items), progress, function(item)) for i, item in enumerate(items, 1)]
    with multiprocessing.get_context("fork").Pool(jobs, initializer=init_worker) as pool:
        results = [_tick(i, len(items), progress, r)
                   for i, r in enumerate(pool.imap(function, items, chunksize=chunksize), 1)]
        pool.close()
        pool.join()
    return results


def _tick(done: int, total: int, progress: TextIO | None, result: dict) -> dict:
    if progress is not None and (done % 50 == 0 or done == total):
        print(f"eval: {done}/{total} pages", file=progress, flush=True)
    return result

