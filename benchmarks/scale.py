"""Scale benchmarks on a generated corpus (benchmarks/corpus.py): stages, HTML vs trafilatura,
text end to end, flow vs plain loop, peak memory, dedup quality and dedup scaling; and on real
pages (`--run realpages`: the first --pages pages of a WCXB-layout set, benchmarks/realpages.py).

    uv run --frozen --group test --group bench python benchmarks/scale.py \
        --corpus /tmp/bench/raw-1000 -n 1000 --run stages,html,text,dedup [--sample 200] [--patch]
    uv run --frozen --group test --group bench python benchmarks/scale.py --run realpages \
        [--dataset ../shared/eval-data/wcxb-dev] [--pages 120]

The corpus is generated first when the folder does not exist. Prints a results table; writes
raw results as JSON to --json (default /tmp/bench/scale-<N>.json). Every figure is recorded
with the load average at the time, since the machine may be shared.

--patch applies, inside this process only, a fix for the rules (the
text rules whose leading `(?=.*...)` look-ahead makes `re.search` quadratic in the block length)
so that their effect can be measured without changing src/.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus as gen  # noqa: E402

from cleaner import dedup as dedup_mod  # noqa: E402
from cleaner import extract as extract_mod  # noqa: E402
from cleaner import pipeline as pipeline_mod  # noqa: E402
from cleaner import region as region_mod  # noqa: E402
from cleaner import tag as tag_mod  # noqa: E402
from cleaner.config import CleanConfig  # noqa: E402
from cleaner.discover import discover  # noqa: E402
from cleaner.extract import html as extract_html_mod  # noqa: E402
from cleaner.pipeline import dedup_settings, stages  # noqa: E402
from cleaner.publish import publish  # noqa: E402
from cleaner.record import Article, Reject  # noqa: E402
from cleaner.rules import RuleSet, load_rules  # noqa: E402
from cleaner.run import run as run_all  # noqa: E402
from cleaner.strip import zones as strip_zones  # noqa: E402

RESULTS: dict = {}
ROWS: list[tuple[str, str, str, str]] = []  # (measurement, figure, target, load)


def load() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def machine() -> dict:
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name")), "")
    except OSError:
        pass
    mem = ""
    with open("/proc/meminfo") as handle:
        mem = f"{int(handle.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    return {"nproc": os.cpu_count(), "cpu": model, "ram": mem, "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M")}


def row(name: str, figure: str, target: str = "", key: str | None = None, value=None) -> None:
    ROWS.append((name, figure, target, load()))
    if key:
        RESULTS.setdefault("figures", {})[key] = {"value": value, "figure": figure, "target": target, "load": load()}
    print(f"  {name}: {figure}  {target}  [load {load()}]", flush=True)


# --- proposed fixes, applied in this process only ------------------------------------------


def _split_lookaheads(src: str) -> tuple[list[str], str]:
    """Leading '(?=...)' groups of a pattern (after its inline flags) and the rest."""
    heads, i = [], 0
    while src.startswith("(?=", i):
        depth, j, in_class = 0, i, False
        while j < len(src):
            ch = src[j]
            if ch == "\\":
                j += 2
                continue
            if in_class:
                in_class = ch != "]"
            elif ch == "[":
                in_class = True
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        heads.append(src[i:j + 1])
        i = j + 1
    return heads, src[i:]


def fixed_pattern(pattern: re.Pattern) -> re.Pattern | None:
    """`(?i)(?=.*A)B` searched at every offset scans the rest of the block from each one:
    quadratic. `(?i)(?=B)(?=.*A)` tests the cheap B first, so the scan runs only where B
    starts (same truth value at the same positions). `(?i)(?=.*A)(?=.*C)` with nothing after
    becomes `(?im)^(?=.*A)(?=.*C)`: `.` stops at a newline, so a line's start is as good as any
    offset in it."""
    src = pattern.pattern
    flags = re.match(r"\(\?[a-zA-Z]+\)", src)
    prefix = flags.group(0) if flags else ""
    heads, rest = _split_lookaheads(src[len(prefix):])
    if not heads or not all(h.startswith("(?=.*") for h in heads):
        return None
    if rest:
        return re.compile(f"{prefix}(?={rest})" + "".join(heads), pattern.flags & ~re.UNICODE)
    letters = prefix[2:-1] if prefix else ""
    return re.compile(f"(?{letters}m)^" + "".join(heads), pattern.flags & ~re.UNICODE)


def patched_rules() -> RuleSet:
    rules = load_rules()
    text = []
    for rule in rules.text:
        new = fixed_pattern(rule.pattern) if rule.pattern is not None else None
        text.append(replace(rule, pattern=new) if new is not None else rule)
    return replace(rules, text=tuple(text))


def apply_patch() -> list[str]:
    rules = patched_rules()
    original = load_rules()
    pipeline_mod.load_rules = lambda *a, **k: rules
    return [r.id for r, o in zip(rules.text, original.text) if r.pattern is not o.pattern]


# --- per-stage timing -----------------------------------------------------------------------


class Timers:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._undo: list = []

    def wrap(self, owner, attr: str, name: str) -> None:
        original = getattr(owner, attr)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - start
                self.calls[name] += 1

        setattr(owner, attr, timed)
        self._undo.append((owner, attr, original))

    def undo(self) -> None:
        for owner, attr, original in reversed(self._undo):
            setattr(owner, attr, original)
        self._undo.clear()


class _TrafProxy:
    def __init__(self, module, timers: Timers) -> None:
        self._m, self._t = module, timers

    def __getattr__(self, name):
        return getattr(self._m, name)

    def bare_extraction(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self._m.bare_extraction(*args, **kwargs)
        finally:
            self._t.seconds["extract.trafilatura"] += time.perf_counter() - start
            self._t.calls["extract.trafilatura"] += 1


def sample_inventory(config: CleanConfig, articles: list[Article]):
    """An inventory of just these articles, so that publish's accounting adds up."""
    from cleaner.discover import Inventory

    inv = discover(config.raw_dir)
    sources = {a.source for a in articles}
    return Inventory(files=[f for f in inv.files if f.path in sources], articles=list(articles), rejects=[])


def sample_articles(config: CleanConfig, size: int | None, fmt: str | None = None) -> list[Article]:
    articles = discover(config.raw_dir).articles
    if fmt is not None:
        articles = [a for a in articles if a.input_format == fmt or (fmt == "html" and a.format and a.format.value == "html")]
    if size and len(articles) > size:
        step = len(articles) / size
        articles = [articles[int(k * step)] for k in range(size)]
    return articles


def measure_stages(config: CleanConfig, sample: int) -> None:
    """Documents/s and share of time of each stage, with extract split into its parts."""
    rules = pipeline_mod.load_rules()
    articles = sample_articles(config, sample)
    chain = stages(config, rules)
    timers = Timers()
    traf = extract_html_mod.trafilatura
    extract_html_mod.trafilatura = _TrafProxy(traf, timers)
    # Each part wrapped where the extract stage looks it up: the package (the guards, plain text) or html.py.
    for owner, attr, name in ((extract_mod, "markup_size", "extract.markup_scan"),
                              (extract_html_mod, "BeautifulSoup", "extract.bs4_parse"),
                              (extract_html_mod, "remove_selected", "extract.bs4_rules(select)"),
                              (extract_html_mod, "discarded", "extract.discarded_text"),
                              (extract_html_mod, "link_density", "extract.link_density"),
                              (extract_mod, "split_text", "extract.text_split")):
        timers.wrap(owner, attr, name)
    timers.wrap(strip_zones, "match_block", "strip.text_rules")  # the rules are tried in strip/zones.py
    for attr in ("detect_language", "keywords", "entities"):
        timers.wrap(tag_mod, attr, f"tag.{attr}")
    timers.wrap(region_mod, "page_language", "strip.page_language")  # text mode: the dump's language
    # decode's repair: ftfy.fix_text on every text, or since the gate cleaner._repair.repair
    try:
        from cleaner import _repair
        timers.wrap(_repair, "repair", "decode.repair(ftfy)")
    except ImportError:
        import ftfy
        timers.wrap(ftfy, "fix_text", "decode.repair(ftfy)")
    # warm up (spaCy model, YAKE, rule compilation) outside the measurement
    for a in articles[:3]:
        pipeline_mod.run_document(a, chain)
    timers.seconds.clear(), timers.calls.clear()
    stage_s: dict[str, float] = defaultdict(float)
    stage_n: dict[str, int] = defaultdict(int)
    kept: list[Article] = []
    rejects: list[Reject] = []
    started = time.perf_counter()
    cpu0 = time.process_time()
    for article in articles:
        current = article
        for name, stage in chain:
            t0 = time.perf_counter()
            current = stage(current)
            stage_s[name] += time.perf_counter() - t0
            stage_n[name] += 1
            if isinstance(current, Reject):
                break
        (rejects if isinstance(current, Reject) else kept).append(current)
    t0 = time.perf_counter()
    deduped = dedup_mod.dedup(kept, dedup_settings(config))
    stage_s["dedup"] = time.perf_counter() - t0
    stage_n["dedup"] = len(kept)
    out = Path(tempfile.mkdtemp(prefix="scale-publish-", dir="/tmp/bench"))
    inv = sample_inventory(config, articles)
    t0 = time.perf_counter()
    publish(deduped, rejects, inv, out / "clean", config.model_dump(), "bench")
    stage_s["publish"] = time.perf_counter() - t0
    stage_n["publish"] = len(deduped) + len(rejects)
    shutil.rmtree(out, ignore_errors=True)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    extract_html_mod.trafilatura = traf
    timers.undo()
    # extract's own remainder: str(soup), decompose invisible, blocks from the tree, ...
    sub = {k: v for k, v in timers.seconds.items() if k.startswith("extract.")}
    timers.seconds["extract.other"] = stage_s["extract"] - sum(sub.values())
    total = sum(stage_s.values())
    print(f"\nstages over {len(articles)} documents ({len(kept)} kept, {len(rejects)} rejected): "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU, load {load()}")
    table = []
    for name in ("read", "decode", "extract", "strip", "tag", "dedup", "publish"):
        s, n = stage_s.get(name, 0.0), stage_n.get(name, 0)
        table.append({"stage": name, "seconds": round(s, 3), "docs": n, "docs_per_s": round(n / s, 1) if s else None,
                      "share": round(s / total, 4)})
        print(f"  {name:<10} {s:8.2f} s  {n / s if s else 0:9.1f} docs/s  {100 * s / total:5.1f}%")
    parts = []
    for name in sorted(timers.seconds, key=lambda k: -timers.seconds[k]):
        s = timers.seconds[name]
        parts.append({"part": name, "seconds": round(s, 3), "calls": timers.calls.get(name, 0), "share": round(s / total, 4)})
        print(f"    {name:<28} {s:8.2f} s  {100 * s / total:5.1f}%  ({timers.calls.get(name, 0)} calls)")
    RESULTS["stages"] = {"documents": len(articles), "kept": len(kept), "rejects": len(rejects),
                         "reject_reasons": sorted({f"{r.stage}:{r.reason.value}" for r in rejects}),
                         "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "load": load(), "table": table, "parts": parts}
    for t in table:
        row(f"stage {t['stage']}", f"{t['docs_per_s']} docs/s, {100 * t['share']:.1f}% of time", "", f"stage_{t['stage']}", t["docs_per_s"])
    pre = sum(timers.seconds[k] for k in ("extract.bs4_parse", "extract.bs4_rules(select)"))
    html_docs = timers.calls.get("extract.bs4_parse", 0)
    row("stage HTML pre-clean (bs4 parse + rule selectors)", f"{html_docs / pre if pre else 0:.1f} docs/s, {100 * pre / total:.1f}% of time",
        "", "stage_preclean", html_docs / pre if pre else None)


# --- HTML: whole pipeline vs trafilatura alone -----------------------------------------------


def measure_html(config: CleanConfig, sample: int, repeats: int) -> None:
    import trafilatura

    rules = pipeline_mod.load_rules()
    articles = sample_articles(config, sample, fmt="html")
    chain = stages(config, rules)
    read = dict(chain)["read"]
    decode = dict(chain)["decode"]
    pages = []
    for a in articles:
        r = read(a)
        if isinstance(r, Reject) or r.format is None or r.format.value != "html":
            continue
        pages.append((a, decode(r).text))
    for a, _ in pages[:3]:
        pipeline_mod.run_document(a, chain)
        trafilatura.extract(_)
    runs = {"pipeline": [], "trafilatura": []}
    for _ in range(repeats):
        t0 = time.process_time()
        for a, _text in pages:
            pipeline_mod.run_document(a, chain)
        runs["pipeline"].append(len(pages) / (time.process_time() - t0))
        t0 = time.process_time()
        for _a, text in pages:
            trafilatura.extract(text)
        runs["trafilatura"].append(len(pages) / (time.process_time() - t0))
    pipe, traf = max(runs["pipeline"]), max(runs["trafilatura"])
    RESULTS["html"] = {"pages": len(pages), "runs_docs_per_cpu_s": runs, "ratio": pipe / traf, "load": load()}
    row("HTML pipeline (read..tag), 1 core", f"{pipe:.1f} pages/CPU-s", "", "html_pipeline", pipe)
    row("trafilatura.extract alone, 1 core", f"{traf:.1f} pages/CPU-s", "", "html_trafilatura", traf)
    row("HTML pipeline / trafilatura", f"{pipe / traf:.2f}", "target >= 0.8: " + ("met" if pipe / traf >= 0.8 else "MISSED"),
        "html_ratio", pipe / traf)


# --- plain text end to end -------------------------------------------------------------------


def measure_text(config: CleanConfig, sample: int) -> None:
    """strip + tag + dedup + publish per CPU-second on plain-text dumps (read/decode/extract
    are done before the clock starts, as the target names those four stages)."""
    rules = pipeline_mod.load_rules()
    chain = dict(stages(config, rules))
    articles = sample_articles(config, sample, fmt="text")
    pre = []
    for a in articles:
        r = pipeline_mod.run_document(a, [(n, chain[n]) for n in ("read", "decode", "extract")])
        if not isinstance(r, Reject):
            pre.append(r)
    for a in pre[:3]:
        pipeline_mod.run_document(a, [("strip", chain["strip"]), ("tag", chain["tag"])])
    inv = sample_inventory(config, [a for a in articles if a.id in {p.id for p in pre}])
    out = Path(tempfile.mkdtemp(prefix="scale-text-", dir="/tmp/bench"))
    c0 = time.process_time()
    w0 = time.perf_counter()
    kept, rejects = [], []
    for a in pre:
        r = pipeline_mod.run_document(a, [("strip", chain["strip"]), ("tag", chain["tag"])])
        (rejects if isinstance(r, Reject) else kept).append(r)
    c1 = time.process_time()
    deduped = dedup_mod.dedup(kept, dedup_settings(config))
    c2 = time.process_time()
    publish(deduped, rejects, inv, out / "clean", config.model_dump(), "bench")
    c3 = time.process_time()
    wall = time.perf_counter() - w0
    shutil.rmtree(out, ignore_errors=True)
    rate = len(pre) / (c3 - c0)
    RESULTS["text"] = {"documents": len(pre), "cpu_s": {"strip+tag": c1 - c0, "dedup": c2 - c1, "publish": c3 - c2},
                       "wall_s": wall, "docs_per_cpu_s": rate, "load": load(),
                       "note": "publish writes the manifest of the whole corpus folder"}
    row(f"plain text strip+tag+dedup+publish ({len(pre)} docs)", f"{rate:.1f} docs/CPU-s "
        f"(strip+tag {c1 - c0:.1f} s, dedup {c2 - c1:.2f} s, publish {c3 - c2:.2f} s CPU)",
        "target >= 500: " + ("met" if rate >= 500 else "MISSED"), "text_rate", rate)


# --- dedup quality and scaling ---------------------------------------------------------------


def truth_for(folder: Path) -> dict[str, dict]:
    path = folder.with_name(folder.name + ".truth.jsonl")
    return {r["id"]: r for r in gen.load_truth(path)}


def cleaned(config: CleanConfig, fmt: str | None, sample: int | None, cheap_tag: bool = True) -> list[Article]:
    """Articles through read..tag. cheap_tag: no keywords or entities (dedup does not use them)."""
    cfg = config.model_copy(update={"keywords": 0, "entities": False}) if cheap_tag else config
    chain = stages(cfg, pipeline_mod.load_rules())
    out = []
    for a in sample_articles(cfg, sample, fmt):
        r = pipeline_mod.run_document(a, chain)
        if not isinstance(r, Reject):
            out.append(r)
    return out


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for members in groups.values() for p in combinations(members, 2)}


def prf(predicted: set, actual: set) -> dict:
    tp = len(predicted & actual)
    return {"precision": tp / len(predicted) if predicted else 1.0, "recall": tp / len(actual) if actual else 1.0,
            "predicted": len(predicted), "actual": len(actual), "true_positive": tp}


def measure_dedup(config: CleanConfig, sample: int | None, articles: list[Article] | None = None) -> list[Article]:
    truth = truth_for(Path(config.raw_dir))
    t0 = time.perf_counter()
    articles = articles if articles is not None else cleaned(config, None, sample)
    prep = time.perf_counter() - t0
    timers = Timers()
    counts = _near_timers(timers, "near_pairs (MinHash LSH + Jaccard, containment)")  # in the dedup package
    timers.wrap(dedup_mod, "story_ids", "stories (similar pairs + linkage)")
    t0 = time.perf_counter()
    out = dedup_mod.dedup(articles, dedup_settings(config))
    took = time.perf_counter() - t0
    timers.undo()
    ids = {a.id for a in out}
    canon = {a.id: (a.duplicate_of or a.id) for a in out}
    pred_dup: dict[str, list[str]] = defaultdict(list)
    pred_story: dict[str, list[str]] = defaultdict(list)
    true_dup: dict[str, list[str]] = defaultdict(list)
    true_story: dict[str, list[str]] = defaultdict(list)
    for a in out:
        pred_dup[canon[a.id]].append(a.id)
        pred_story[a.story_id].append(a.id)
        t = truth[a.id]
        true_dup[t["text"]].append(a.id)
        true_story[t["story"]].append(a.id)
    dup = prf(_pairs(pred_dup), _pairs(true_dup))
    story = prf(_pairs(pred_story), _pairs(true_story))
    kinds = defaultdict(int)
    for a in out:
        t = truth[a.id]
        if a.duplicate_of:
            kinds[f"pred {a.duplicate_kind} / truth {t['copy']}"] += 1
    missed = [(a.id, truth[a.id]["copy"]) for a in out
              if truth[a.id]["of"] and not a.duplicate_of and len(true_dup[truth[a.id]["text"]]) > 1
              and all(canon[x] == x for x in true_dup[truth[a.id]["text"]])]
    RESULTS.setdefault("dedup", []).append({
        "articles": len(articles), "dedup_s": took, "prep_s": prep, "parts_s": dict(timers.seconds),
        "dup_pairs": dup, "story_pairs": story, "kinds": dict(kinds), "missed_examples": missed[:10],
        "load": load(), "ids_known": len(ids & set(truth)), "candidates": counts["candidates"],
    })
    print(f"\ndedup over {len(articles)} cleaned articles: {took:.2f} s "
          + ", ".join(f"{k} {v:.2f} s" for k, v in timers.seconds.items()) + f"; {counts['candidates']} candidate pairs")
    row(f"duplicate pairs ({len(articles)} articles)", f"precision {dup['precision']:.3f}, recall {dup['recall']:.3f} "
        f"({dup['true_positive']}/{dup['actual']} true pairs, {dup['predicted']} predicted)",
        "target P>=0.99, R>=0.95: " + ("met" if dup["precision"] >= 0.99 and dup["recall"] >= 0.95 else "MISSED"),
        f"dup_pairs_{len(articles)}", dup)
    row(f"same-story pairs ({len(articles)} articles)", f"precision {story['precision']:.3f}, recall {story['recall']:.3f} "
        f"({story['true_positive']}/{story['actual']} true pairs, {story['predicted']} predicted)", "",
        f"story_pairs_{len(articles)}", story)
    return articles


def _near_timers(timers: Timers, name: str) -> dict:
    """Time the near-pair step (candidate_pairs and the exact check: `_overlaps`, `_jaccards` before
    2226635) and count what it does: candidate pairs checked, pairs accepted as near copies."""
    counts = {"candidates": 0}
    original = dedup_mod.candidate_pairs

    def counted(*args, **kwargs):
        out = original(*args, **kwargs)
        counts["candidates"] += len(out)
        return out

    dedup_mod.candidate_pairs = counted
    timers._undo.append((dedup_mod, "candidate_pairs", original))
    timers.wrap(dedup_mod, "candidate_pairs", name)
    timers.wrap(dedup_mod, "_overlaps" if hasattr(dedup_mod, "_overlaps") else "_jaccards", name)
    return counts


def fingerprint_size(articles: list[Article], config: CleanConfig) -> dict:
    """Bytes per article of the fingerprints dedup keeps: the packed array's data, and all
    allocations (tracemalloc) of a list of them."""
    import tracemalloc

    settings = dedup_settings(config)
    for a in articles:  # caches (permutations, banding, word hashes) outside the count
        dedup_mod.fingerprint(a, settings)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    prints = [dedup_mod.fingerprint(a, settings) for a in articles]
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return {"articles": len(prints), "bands": int(prints[0].bands.size),
            "packed_bytes": sum(p.packed.nbytes for p in prints) / len(prints), "traced_bytes": held / len(prints)}


def measure_dedup_scaling(articles: list[Article], config: CleanConfig, sizes: list[int]) -> None:
    """Dedup time at growing sizes, on prefixes of the same cleaned articles; candidate pairs
    checked per article (chance candidates grow with the square of the articles)."""
    size = fingerprint_size(articles[:1000], config)
    RESULTS["fingerprint"] = size
    row(f"dedup fingerprint ({size['articles']} articles)", f"{size['bands']} band keys, packed array "
        f"{size['packed_bytes']:.0f} B, tracemalloc {size['traced_bytes']:.0f} B per article", "", "fingerprint", size)
    points = []
    for size in sizes:
        subset = articles[:size]
        timers = Timers()
        counts = _near_timers(timers, "near")
        timers.wrap(dedup_mod, "story_ids", "stories")
        t0 = time.perf_counter()
        out = dedup_mod.dedup(subset, dedup_settings(config))
        took = time.perf_counter() - t0
        timers.undo()
        near = sum(a.duplicate_kind == "near" for a in out)
        points.append({"articles": len(subset), "seconds": took, "near_s": timers.seconds["near"],
                       "stories_s": timers.seconds["stories"], "candidates": counts["candidates"],
                       "near_copies": near, "load": load()})
        print(f"  dedup {len(subset)}: {took:.2f} s (near pairs {timers.seconds['near']:.2f} s, "
              f"{counts['candidates']} candidate pairs, {counts['candidates'] / len(subset):.2f} per article, "
              f"{near} near copies; stories {timers.seconds['stories']:.2f} s)  [load {load()}]", flush=True)
    RESULTS["dedup_scaling"] = points
    if len(points) >= 2:
        a, b = points[0], points[-1]
        k = b["articles"] / a["articles"]
        row(f"dedup candidates x{k:.0f} articles ({a['articles']}->{b['articles']})",
            f"time x{b['near_s'] / a['near_s']:.1f} (linear would be x{k:.0f})", "near-linear: " +
            ("met" if b["near_s"] / a["near_s"] <= 1.5 * k else "MISSED"), "dedup_near_scaling", b["near_s"] / a["near_s"])
        row(f"candidate pairs x{k:.0f} articles", f"{a['candidates']} -> {b['candidates']}: "
            f"x{b['candidates'] / max(a['candidates'], 1):.1f} ({a['candidates'] / a['articles']:.2f} -> "
            f"{b['candidates'] / b['articles']:.2f} per article)", "", "dedup_candidate_scaling",
            b["candidates"] / max(a["candidates"], 1))
        row(f"dedup stories x{k:.0f} articles", f"time x{b['stories_s'] / a['stories_s']:.1f} (quadratic would be x{k * k:.0f})",
            "", "dedup_story_scaling", b["stories_s"] / a["stories_s"])


# --- flow vs plain loop, peak memory -------------------------------------------------------------


def _child(cmd: list[str], env: dict | None = None) -> tuple[float, int, float]:
    """Run a child python; (wall seconds, peak RSS in KiB of it or its largest descendant,
    CPU seconds of it and its descendants: the flow's temporary Prefect server counts)."""
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.execvpe(cmd[0], cmd, dict(os.environ, **(env or {})))
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed: {' '.join(cmd)}")
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


class RssTrace:
    """This process's resident memory every `every` seconds, and when the run reaches each phase
    (the flow's or the library's log lines: batches cleaned, deduplicated; the flow's published):
    where a run's peak comes from."""

    PHASES = ("Batch ", "Deduplicated", "Published")

    def __init__(self, every: float = 1.0) -> None:
        import logging
        import threading

        self.every, self.t0 = every, time.perf_counter()
        self.samples: list[tuple[float, float]] = []
        self.marks: list[tuple[float, float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        trace = self

        class _Marks(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                text = record.getMessage()
                if text.startswith(trace.PHASES):
                    trace.marks.append((round(time.perf_counter() - trace.t0, 1), _rss_mib(), text[:60]))

        self._handler = _Marks()
        # The flow's run logger does not propagate, and Prefect configures logging (replacing the
        # handlers of its loggers) when it starts: the sampler puts the handler back each time.
        self._loggers = [logging.getLogger(name) for name in ("prefect.flow_runs", "cleaner")]

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            for logger in self._loggers:
                if self._handler not in logger.handlers:
                    logger.addHandler(self._handler)
            self.samples.append((round(time.perf_counter() - self.t0, 1), _rss_mib()))

    def __enter__(self) -> RssTrace:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        """The samples, the phase marks (the first and every 50th batch, and the rest) and the peak."""
        batches = [m for m in self.marks if m[2].startswith("Batch ")]
        marks = [m for i, m in enumerate(batches) if i % 50 == 0 or i == len(batches) - 1]
        marks += [m for m in self.marks if not m[2].startswith("Batch ")]
        peak = max(self.samples, key=lambda s: s[1], default=(0.0, 0.0))
        return {"rss_samples": self.samples, "rss_marks": sorted(marks), "rss_peak_sampled": peak}


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return round(int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def child_main(mode: str, raw: str, out: str, result: str, patch: bool, tagging: dict) -> None:
    """Run inside a fresh process: the plain loop or the flow, timed, results to a JSON file."""
    with RssTrace() as trace:
        _child_run(mode, raw, out, result, patch, tagging, trace)


def _child_run(mode: str, raw: str, out: str, result: str, patch: bool, tagging: dict, trace: RssTrace) -> None:
    if patch:
        apply_patch()
    config = CleanConfig(raw_dir=raw, out_dir=out, full_rebuild=True, **tagging)
    t0 = time.perf_counter()
    if mode == "loop":
        r = run_all(config)
        counts = r.report.counts
        body_s = time.perf_counter() - t0
        extra = {}
    else:
        from prefect import get_client  # noqa: F401

        from flows.server import configured_api, start_temporary_server, use_api

        # As `cleaner run` does (flows/cli.py): our temporary server, its URL exported, so the
        # Dask workers report to it; left to Prefect, each worker started a temporary server of its own.
        if not configured_api():
            use_api(start_temporary_server())
        from flows.clean import clean_articles

        state = clean_articles(config, return_state=True)
        body_s = time.perf_counter() - t0
        counts = state.result()["counts"]
        extra = {"flow_state_start": str(state.timestamp)}
        try:
            import anyio
            from prefect.client.orchestration import get_client as gc

            async def times():
                async with gc() as client:
                    fr = await client.read_flow_run(state.state_details.flow_run_id)
                    return fr.start_time, fr.end_time
            start, end = anyio.run(times)
            extra["flow_run_s"] = (end - start).total_seconds()
        except Exception as exc:
            extra["flow_run_s_error"] = repr(exc)
    Path(result).write_text(json.dumps({"mode": mode, "seconds": body_s, "counts": counts,
                                        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, **extra,
                                        **trace.summary()}))


def measure_runs(config: CleanConfig, modes: list[str], repeats: int, patch: bool, tag_args: list[str]) -> None:
    results = defaultdict(list)
    for rep in range(repeats):
        for mode in modes:
            out = Path(tempfile.mkdtemp(prefix=f"scale-{mode}-", dir="/tmp/bench"))
            res = out / "result.json"
            env = {}
            if mode == "flow":
                env = {"PREFECT_HOME": str(out / "prefect-home"), "PREFECT_LOCAL_STORAGE_PATH": str(out / "storage"),
                       "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
                       "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}  # as `cleaner run` sets it (flows/cli.py)
            cmd = [sys.executable, __file__, "--child", mode, "--corpus", config.raw_dir, "--out", str(out / "clean"),
                   "--json", str(res)] + (["--patch"] if patch else []) + tag_args
            l0 = load()
            wall, rss, cpu = _child(cmd, env)
            data = json.loads(res.read_text())
            data.update({"wall_s": wall, "child_maxrss_kib": rss, "cpu_s": cpu, "load_before": l0, "load_after": load()})
            results[mode].append(data)
            print(f"  {mode} #{rep + 1}: body {data['seconds']:.1f} s, process {wall:.1f} s, CPU {cpu:.1f} s, "
                  f"peak RSS {rss / 1024:.0f} MiB (the run's own process {data['maxrss_kib'] / 1024:.0f} MiB), "
                  f"counts {data['counts']} {('flow run ' + str(round(data.get('flow_run_s', 0), 1)) + ' s') if mode == 'flow' else ''} [load {l0} -> {load()}]", flush=True)
            print("    RSS of the run's process (MiB) at its phases: "
                  + "; ".join(f"{t:.0f} s {m:.0f} ({what})" for t, m, what in data.get("rss_marks", []))
                  + f"; sampled peak {data.get('rss_peak_sampled', [0, 0])[1]:.0f} at {data.get('rss_peak_sampled', [0, 0])[0]:.0f} s",
                  flush=True)
            shutil.rmtree(out, ignore_errors=True)
    RESULTS.setdefault("runs", {})[config.raw_dir] = results
    n = results[modes[0]][0]["counts"]["inputs"]
    if "loop" in results:
        best = min(results["loop"], key=lambda d: d["seconds"])
        row(f"plain loop cleaner.run.run ({n} docs)", f"{best['seconds']:.1f} s ({n / best['seconds']:.1f} docs/s), "
            f"CPU {best['cpu_s']:.1f} s, peak RSS {best['child_maxrss_kib'] / 1024:.0f} MiB", "", f"loop_{n}", best["seconds"])
        row(f"peak memory, whole pipeline, {n} docs", f"{max(d['child_maxrss_kib'] for d in results['loop']) / 1024:.0f} MiB",
            "", f"maxrss_{n}", max(d['child_maxrss_kib'] for d in results['loop']))
    if "flow" in results:
        best = min(results["flow"], key=lambda d: d["seconds"])
        fr = best.get("flow_run_s")
        row(f"flow clean_articles ({n} docs)", f"{best['seconds']:.1f} s call incl. server start; flow run {fr:.1f} s"
            if fr else f"{best['seconds']:.1f} s", "", f"flow_{n}", best)
        row(f"peak memory, flow, {n} docs", f"{best['maxrss_kib'] / 1024:.0f} MiB flow process; "
            f"{best['child_maxrss_kib'] / 1024:.0f} MiB largest process", "", f"flow_maxrss_{n}", best["maxrss_kib"])
        if "loop" in results and fr:
            loop_best = min(results["loop"], key=lambda d: d["seconds"])
            loop = loop_best["seconds"]
            row(f"flow run / plain loop ({n} docs)", f"wall {fr / loop:.2f}; CPU {best['cpu_s'] / loop_best['cpu_s']:.2f} "
                f"(flow incl. server {best['cpu_s']:.0f} s, loop {loop_best['cpu_s']:.0f} s); "
                f"server start-up etc. {best['seconds'] - fr:.1f} s",
                "target <= 1.15: " + ("met" if fr / loop <= 1.15 else "MISSED"), f"flow_ratio_{n}", fr / loop)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=None, help="corpus folder (generated when absent)")
    p.add_argument("--dataset", type=Path, default=Path("../shared/eval-data/wcxb-dev"),
                   help="realpages: a WCXB-layout set of real pages (read in place, never copied)")
    p.add_argument("--pages", type=int, default=120, help="realpages: its first N pages by file id")
    p.add_argument("-n", type=int, default=1000, help="documents to generate when the corpus is absent")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--run", default="stages,html,text,dedup",
                   help="comma list of: stages, html, text, dedup, dedup-scaling, loop, flow, memory")
    p.add_argument("--sample", type=int, default=200, help="documents for stages/html/text (spread over the corpus)")
    p.add_argument("--dedup-sample", type=int, default=0, help="documents cleaned for dedup (0: all)")
    p.add_argument("--dedup-format", default=None, help="only this input format for dedup (html, text, jsonl)")
    p.add_argument("--cleaned-cache", type=Path, default=None,
                   help="dedup: pickle of the cleaned articles, written when absent, read when present (the same "
                        "articles for two commits' dedup: run the other with PYTHONPATH=<its checkout>/src)")
    p.add_argument("--scaling-sizes", default="", help="e.g. 1000,2000,4000 for dedup-scaling")
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--patch", action="store_true", help="apply the proposed src/ fixes in this process")
    p.add_argument("--json", type=Path, default=None)
    p.add_argument("--no-entities", action="store_true", help="loop/flow/memory: run without named entities")
    p.add_argument("--keywords", type=int, default=None, help="loop/flow/memory: keywords per article (0: none)")
    p.add_argument("--dask-workers", type=int, default=None, help="flow: clean batches on a local Dask cluster of N processes")
    p.add_argument("--batch-size", type=int, default=None, help="loop/flow: articles per batch (default: CleanConfig's)")
    p.add_argument("--out", default=None, help=argparse.SUPPRESS)
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    tagging = {k: v for k, v in (("entities", False if args.no_entities else None), ("keywords", args.keywords))
               if v is not None}
    if args.dask_workers:
        tagging.update(task_runner="dask", workers=args.dask_workers)
    if args.batch_size:
        tagging.update(batch_size=args.batch_size)
    tag_args = (["--no-entities"] if args.no_entities else []) + (
        ["--keywords", str(args.keywords)] if args.keywords is not None else []) + (
        ["--dask-workers", str(args.dask_workers)] if args.dask_workers else []) + (
        ["--batch-size", str(args.batch_size)] if args.batch_size else [])
    if args.child:
        child_main(args.child, str(args.corpus), args.out, str(args.json), args.patch, tagging)
        return
    Path("/tmp/bench").mkdir(parents=True, exist_ok=True)
    todo = args.run.split(",")
    if args.corpus is None:
        if todo != ["realpages"]:
            p.error("--corpus is needed for every run but realpages")
        measure_realpages(args.dataset, args.pages)
        finish(args.json or Path(f"/tmp/bench/scale-realpages-{int(time.time())}.json"))
        return
    if not args.corpus.exists():
        t0 = time.perf_counter()
        gen.generate(args.corpus, args.n, args.seed, jobs=min(2, os.cpu_count() or 1))
        row(f"generate corpus {args.n}", f"{time.perf_counter() - t0:.1f} s", "", "generate_s", time.perf_counter() - t0)
    patched = apply_patch() if args.patch else []
    RESULTS.update({"machine": machine(), "command": " ".join(sys.argv), "patch": patched, "started_load": load()})
    # --no-entities / --keywords shape the stage, html and text measurements too
    config = CleanConfig(raw_dir=str(args.corpus), out_dir="/tmp/bench/unused",
                         **{k: v for k, v in tagging.items() if k in ("entities", "keywords")})
    print(f"machine {RESULTS['machine']}; patch {patched or 'none'}; load {load()}")
    if "realpages" in todo:
        measure_realpages(args.dataset, args.pages)
    if "stages" in todo:
        measure_stages(config, args.sample)
    if "html" in todo:
        measure_html(config, max(20, args.sample // 4), args.repeats)
    if "text" in todo:
        measure_text(config, args.sample)
    articles = None
    if "dedup" in todo or "dedup-scaling" in todo:
        if args.cleaned_cache and args.cleaned_cache.exists():
            articles = pickle.loads(args.cleaned_cache.read_bytes())
            print(f"{len(articles)} cleaned articles from {args.cleaned_cache}")
        else:
            t0 = time.perf_counter()
            articles = cleaned(config, args.dedup_format, args.dedup_sample or None)
            row(f"clean {len(articles)} articles for dedup", f"{time.perf_counter() - t0:.0f} s")
            if args.cleaned_cache:
                args.cleaned_cache.write_bytes(pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL))
    if "dedup" in todo:
        measure_dedup(config, None, articles)
    if "dedup-scaling" in todo:
        sizes = [int(s) for s in args.scaling_sizes.split(",") if s] or [len(articles) // 4, len(articles) // 2, len(articles)]
        measure_dedup_scaling(articles, config, sizes)
    modes = [m for m in ("loop", "flow") if m in todo] or (["loop"] if "memory" in todo else [])
    if modes:
        RESULTS["tagging"] = tagging or "defaults (entities, 10 keywords)"
        measure_runs(config, modes, args.repeats, args.patch, tag_args)
    finish(args.json or Path(f"/tmp/bench/scale-{args.corpus.name}-{int(time.time())}.json"))


def finish(path: Path) -> None:
    """Write the raw results and print the table."""
    path.write_text(json.dumps(RESULTS, indent=1, default=str))
    print("\n| measurement | result | target | load avg (1/5/15 min) |\n|---|---|---|---|")
    for r in ROWS:
        print("| " + " | ".join(r) + " |")
    print(f"\nraw results: {path}")


def measure_realpages(dataset: Path, n: int) -> None:
    """Issue 13's real-page throughput: realpages.measure, as rows of the table."""
    import warnings

    import realpages

    warnings.filterwarnings("ignore")
    RESULTS.setdefault("machine", machine())
    count, cpu = realpages.measure(dataset, n)
    rates = {name: count / seconds for name, seconds in cpu.items()}
    RESULTS["realpages"] = {"dataset": str(dataset), "pages": count, "cpu_s": cpu, "per_cpu_s": rates, "load": load()}
    targets = {"text defaults": "≥ 100", "text fast": "≥ 500", "html defaults": "≥ 0.5× trafilatura",
               "html fast": "≥ 0.8× trafilatura"}
    for name, rate in rates.items():
        ratio = f" ({rate / rates['trafilatura']:.2f}× trafilatura)" if name.startswith("html") else ""
        row(f"real pages ({count}), {name}", f"{rate:.1f} pages/CPU-s{ratio}", targets.get(name, ""),
            f"realpages_{name.replace(' ', '_')}", rate)


if __name__ == "__main__":
    main()
