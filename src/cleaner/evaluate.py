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

import gzip
import hashlib
import json
import multiprocessing
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cleaner.baselines import c4_lines, span_lines
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.discover import discover, read
from cleaner.pipeline import run_document, stages
from cleaner.record import Article, Format, Reject
from cleaner.rules import RuleSet, load_rules

MODES = ("html", "text")
# text mode also scores the pipeline with its rules alone (no line model), so the model's
# gain is measured on the same pages.
METHODS = {"html": ("pipeline", "trafilatura"), "text": ("pipeline", "rules_only", "dump", "c4", "span")}
SPLITS = ("dev", "heldout", "all")
HELDOUT_SHARE = 0.2

# --- matching -----------------------------------------------------------------------------

_FOLD = str.maketrans({
    # single quotes, apostrophes, primes, grave and acute accents used as quotes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u2035": "'",
    "\u02bc": "'", "\u0060": "'", "\u00b4": "'", "\u2039": "'", "\u203a": "'",
    # double quotes and guillemets
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u2036": '"',
    "\u00ab": '"', "\u00bb": '"', "\u300c": '"', "\u300d": '"',
    # hyphens, dashes and the minus sign
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    # invisible characters: soft hyphen, zero-width space/joiners, word joiner, BOM
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
})
_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """The matching form of a snippet or an output.

    NFKC (no-break and other odd spaces become spaces, ligatures and full-width forms fold,
    '…' becomes '...'), typographic quotes, apostrophes and dashes fold to ASCII ' " -,
    zero-width characters and soft hyphens go, case folds (casefold: 'ß' -> 'ss'), and every
    run of whitespace (newlines included) becomes one space; leading/trailing space goes.
    """
    text = unicodedata.normalize("NFKC", text or "").translate(_FOLD).casefold()
    return _WS.sub(" ", text).strip()


def contains(output_norm: str, snippet: str) -> bool:
    """Whether a snippet occurs in an already normalised output (substring of the normal forms)."""
    s = norm(snippet)
    return bool(s) and s in output_norm


@dataclass(frozen=True, slots=True)
class Score:
    """One page, one method: which snippets were kept, which boilerplate survived."""

    kept: float | None  # None: no judgeable `with` snippet
    dropped: float | None  # None: no judgeable `without` snippet
    missed: tuple[str, ...] = ()  # `with` snippets not found
    survived: tuple[str, ...] = ()  # `without` snippets still there


def score(output: str, keep: Sequence[str], drop: Sequence[str]) -> Score:
    """Score one output against its snippets (empty snippets are ignored)."""
    out = norm(output)
    keep = [s for s in keep if norm(s)]
    drop = [s for s in drop if norm(s)]
    missed = tuple(s for s in keep if not contains(out, s))
    survived = tuple(s for s in drop if contains(out, s))
    return Score(
        kept=(len(keep) - len(missed)) / len(keep) if keep else None,
        dropped=(len(drop) - len(survived)) / len(drop) if drop else None,
        missed=missed,
        survived=survived,
    )


def split_of(url: str, share: float = HELDOUT_SHARE) -> str:
    """Deterministic held-out split: the first 32 bits of sha256(url) below `share` of 2**32."""
    value = int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16)
    return "heldout" if value < share * 2**32 else "dev"


# --- datasets ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    id: str  # the url of a dev-set page, the source (+ '#record') of an own input
    keep: tuple[str, ...]
    drop: tuple[str, ...]
    split: str  # dev | heldout | own
    path: str = ""  # a dev-set page file (gzip or plain HTML)
    article: Article | None = None  # an own input, read (raw bytes and hints filled)
    labels: dict = field(default_factory=dict)  # true title/author/date of an own input


def load_cases(dataset: Path | str, raw_dir: Path | str = "raw") -> list[Case]:
    """The cases of a dataset folder (cases.jsonl) or of a labels file (raw_labels.json + raw_dir)."""
    dataset = Path(dataset)
    if dataset.is_dir():
        cases_file = dataset / "cases.jsonl"
        if not cases_file.is_file():
            raise FileNotFoundError(f"{dataset} has no cases.jsonl")
        cases = []
        for line in cases_file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            cases.append(Case(id=row["url"], keep=tuple(row.get("with") or ()), drop=tuple(row.get("without") or ()),
                              split=split_of(row["url"]), path=str(dataset / "pages" / row["file"])))
        return cases
    return _own_cases(dataset, Path(raw_dir))


def _own_cases(labels_file: Path, raw_dir: Path) -> list[Case]:
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    inventory = discover(raw_dir)
    cases = []
    for article in inventory.articles:
        name = article.source + (f"#{article.record}" if article.record is not None else "")
        label = labels.get(name)
        if label is None:
            continue
        read_ = read(article, raw_dir=raw_dir, max_bytes=CleanConfig().max_bytes)
        cases.append(Case(id=name, keep=tuple(label.get("keep") or ()), drop=tuple(label.get("drop") or ()),
                          split="own", article=read_ if isinstance(read_, Article) else None,
                          labels={k: label.get(k) or "" for k in ("title", "author", "date")}))
    missing = sorted(set(labels) - {c.id for c in cases})
    if missing:
        raise FileNotFoundError(f"labelled inputs not found under {raw_dir}: {', '.join(missing)}")
    return cases


# --- running one page ------------------------------------------------------------------------

_RULES: RuleSet | None = None
_RULES_DIR = ""  # the user's rules folder (CleanConfig.rules_dir), set before the worker pool forks
_MODES: tuple[str, ...] = MODES  # which modes run_case runs (set before the worker pool forks)
_CONFIG = CleanConfig(keywords=0, entities=False)  # neither changes the title or the body
_RULES_ONLY = _CONFIG.model_copy(update={"block_model": False})


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
        "meta": {"title": result.meta.title, "author": result.meta.author, "date": result.meta.published},
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
    import inscriptis
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
    if is_html:
        try:
            dump = inscriptis.get_text(text) if text else ""
        except Exception:
            dump = ""
    else:
        dump = text
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
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(cases) <= 1:
        init_worker()
        return [_tick(i, len(cases), progress, run_case(c)) for i, c in enumerate(cases, 1)]
    with multiprocessing.get_context("fork").Pool(jobs, initializer=init_worker) as pool:
        return [_tick(i, len(cases), progress, r) for i, r in enumerate(pool.imap(run_case, cases, chunksize=1), 1)]


def _tick(done: int, total: int, progress: bool, result: dict) -> dict:
    if progress and (done % 50 == 0 or done == total):
        print(f"eval: {done}/{total} pages", file=sys.stderr, flush=True)
    return result


# --- summarising ------------------------------------------------------------------------------


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


# --- report -------------------------------------------------------------------------------


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


def evaluate(dataset: Path | str, split: str = "all", limit: int | None = None, jobs: int | None = None,
             raw_dir: Path | str = "raw", progress: bool = False, modes: Sequence[str] = MODES,
             rules_dir: str = "") -> dict:
    """Load, run and summarise: the report as a JSON-ready dict. `rules_dir`: a folder of the
    user's own rules, tried before the packaged ones (as in a run)."""
    global _MODES, _RULES_DIR
    unknown = set(modes) - set(MODES)
    if unknown or not modes:
        raise ValueError(f"modes must be among {MODES}, got {list(modes)}")
    _MODES = tuple(m for m in MODES if m in modes)
    load_rules(rules_dir=rules_dir)  # bad rules fail here, before any page
    _RULES_DIR = rules_dir
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
        "modes": list(_MODES),
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
