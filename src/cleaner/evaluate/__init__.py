"""Score boilerplate removal against labelled snippets: our pipeline beside two baselines.

Two kinds of dataset, both "pages with snippets that must stay (`with`) and must go (`without`)":

- a folder with `cases.jsonl` (`url`, `file` under `pages/`, gzip or plain HTML, `with`,
  `without`): the format of the trafilatura evaluation pages;
- the project's own labels, `tests/data/raw_labels.json` (`keep`, `drop`, `title`, `author`,
  `date` per input of `raw/`), read together with the `raw/` folder through the pipeline's own
  discover and read stages (sidecars and crawler records included).

Two modes: **html** (the pipeline gets the page) and **text** (it gets a plain-text dump of
the whole page made with `inscriptis.get_text`, boilerplate included, as the seed articles
are). Methods: `pipeline` (decode -> extract -> strip -> tag; the output scored is the title
plus the body), `trafilatura` (`trafilatura.extract` alone on the HTML, html mode), and in text
mode `rules_only` (the pipeline without its line model), `dump` (the text dump unchanged), `c4`
and `span` (two published line filters, cleaner.baselines).

A page's kept = share of its `with` snippets found in the output, dropped = share of its
`without` snippets absent from it; both are averaged over the pages that have such snippets.
Matching is on normalised text (see `norm`). In text mode a snippet that the unchanged dump
does not contain cannot be judged and is skipped for every method of that mode.

No Prefect here: `flows/cli.py` exposes this as `cleaner eval`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from cleaner.evaluate.cases import Case, load_cases
from cleaner.evaluate.match import HELDOUT_SHARE, SPLITS, Score, contains, norm, score, split_of
from cleaner.evaluate.report import format_report, format_table
from cleaner.evaluate.run import (
    METHODS,
    MODES,
    configure_workers,
    init_worker,
    page_article,
    run_case,
    run_cases,
    worker_rules,
)
from cleaner.evaluate.summary import (
    blame_counts,
    metadata_accuracy,
    metadata_errors,
    removal_categories,
    summarise,
    worst,
)
from cleaner.rules import load_rules

__all__ = [
    "HELDOUT_SHARE", "METHODS", "MODES", "SPLITS", "Case", "Score", "blame_counts", "configure_workers", "contains",
    "evaluate", "format_report", "format_table", "init_worker", "load_cases", "metadata_accuracy", "metadata_errors",
    "norm", "page_article", "removal_categories", "run_case", "run_cases", "score", "split_of", "summarise",
    "worker_rules", "worst",
]


def evaluate(dataset: Path | str, split: str = "all", limit: int | None = None, jobs: int | None = None,
             raw_dir: Path | str = "raw", progress: bool = False, modes: Sequence[str] = MODES,
             rules_dir: str = "") -> dict:
    """Load, run and summarise: the report as a JSON-ready dict. `rules_dir`: a folder of the
    user's own rules, tried before the packaged ones (as in a run)."""
    unknown = set(modes) - set(MODES)
    if unknown or not modes:
        raise ValueError(f"modes must be among {MODES}, got {list(modes)}")
    chosen = tuple(m for m in MODES if m in modes)
    configure_workers(modes=chosen)
    load_rules(rules_dir=rules_dir)  # bad rules fail here, before any page
    configure_workers(rules_dir=rules_dir)
    started = time.perf_counter()
    cases = load_cases(dataset, raw_dir)
    own = any(c.split == "own" for c in cases)
    if not own and split != "all":
        cases = [c for c in cases if c.split == split]
    if limit:
        cases = cases[:limit]
    jobs = jobs or os.cpu_count() or 1
    results = run_cases(cases, jobs, progress)
    splits = ["own"] if own else ([split] if split != "all" else list(SPLITS))
    report = {
        "dataset": str(dataset),
        "split": split,
        "limit": limit,
        "modes": list(chosen),
        "rules_dir": rules_dir,
        "heldout_share": HELDOUT_SHARE,
        "table": summarise(results, splits),
        "metadata": metadata_accuracy(results) if own else [],
        "metadata_errors": metadata_errors(results) if own else [],
        "removal_categories": removal_categories(results),
        "blame": blame_counts(results),
        "pages_total": len(results),
        "jobs": jobs,
        "pages": results,
    }
    report["seconds"] = time.perf_counter() - started
    return report
