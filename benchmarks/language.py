"""How often py3langid on a bounded prefix agrees with today's full-text answer, and what it saves.

    uv run --frozen python benchmarks/language.py ../shared/eval-data/wcxb-dev [--pages N] [--reuse]

Every page of a WCXB-layout dataset is cleaned as `cleaner eval WCXB_DIR` cleans it (fast
settings: no entities, no keywords; neither changes the body or the language), in both modes:
*html* (the page) and *text* (its inscriptis dump). Two languages are identified per article:

- strip's, text mode only: `linefeatures.page_language` on the dump's lines (up to 20,000
  characters), which picks jusText's stop list for the line features;
- tag's, the published `language`: `tag.detect_language` on the clean body (up to 20,000
  characters).

For each, the answer from the first N characters (N in --prefixes) is compared with today's;
option (a), one call on a prefix of the text before strip shared by strip and tag, is compared
with both. CPU: `time.process_time` of the calls alone, each repeated --repeats times. The
exact fast walk (`cleaner._langid`) is timed on today's windows too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
import warnings
from collections import Counter
from dataclasses import replace
from pathlib import Path

import py3langid
from bs4 import XMLParsedAsHTMLWarning

from cleaner import _langid
from cleaner.bodyeval import load_pages
from cleaner.config import CleanConfig
from cleaner.dumps import text_dump
from cleaner.linefeatures import page_language
from cleaner.normalize import word_count
from cleaner.pipeline import run_document, stages
from cleaner.record import Article, Format, Reject
from cleaner.rules import load_rules
from cleaner.tag import detect_language

WINDOW = 20_000  # today's bound, both calls


def _classify(text: str, limit: int) -> str:
    return py3langid.classify(text[:limit])[0]


def _tag_language(body: str, limit: int) -> str:
    """tag.detect_language with another bound."""
    return "" if word_count(body) < 5 else _classify(body, limit)


def _cpu(ways: dict, texts: list[str], repeats: int) -> dict:
    """Best CPU seconds of each way over the texts; the ways take turns, so that a change in the
    machine's load weighs on all of them alike."""
    best = dict.fromkeys(ways, float("inf"))
    for _ in range(repeats):
        for name, fn in ways.items():
            t0 = time.process_time()
            for t in texts:
                fn(t)
            best[name] = min(best[name], time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--pages", type=int, default=None, help="the first N pages only")
    ap.add_argument("--prefixes", default="1000,2000,3000,5000,10000")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench/language.json"))
    ap.add_argument("--reuse", action="store_true", help="the pages' texts from the last run (OUT.rows.json.gz)")
    args = ap.parse_args()
    prefixes = [int(p) for p in args.prefixes.split(",")]
    warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
    config = CleanConfig(keywords=0, entities=False)
    chain = dict(stages(config, load_rules()))
    pages = load_pages(args.dataset)[: args.pages]
    budget = config.max_seconds_per_document  # as a run has it: a page past it is rejected (timeout)
    cache = args.out.with_suffix(".rows.json.gz")
    if args.reuse and cache.is_file():
        rows = json.loads(gzip.decompress(cache.read_bytes()))
    else:
        rows = _rows(pages, chain, budget)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(gzip.compress(json.dumps(rows).encode()))
    _report(rows, pages, prefixes, args)


def _rows(pages, chain, budget) -> list[dict]:
    """Per page: the texts both modes identify a language on, and today's answers."""
    rows = []
    for n, page in enumerate(pages, 1):
        raw = gzip.decompress(Path(page.path).read_bytes())
        source = Article(id=page.id, source=f"{page.id}.html", format=Format.HTML, input_format="html", raw=raw)
        decoded = chain["decode"](source)
        if isinstance(decoded, Reject):
            continue
        row: dict = {"id": page.id}
        # html: tag's language on the clean body; (a) would see the extracted blocks before strip
        extracted = run_document(decoded, [("extract", chain["extract"])], budget)
        if not isinstance(extracted, Reject):
            row["html_pre"] = " ".join(b.text for b in extracted.blocks)
            done = run_document(extracted, [("strip", chain["strip"]), ("tag", chain["tag"])], budget)
            if not isinstance(done, Reject):
                row["html_body"], row["html_lang"] = done.body, done.meta.language
        # text: strip's language on the dump's lines, tag's on the clean body
        dump = text_dump(decoded.text)
        if dump.strip():
            text_article = replace(source, source=f"{page.id}.txt", format=Format.TEXT, input_format="text",
                                   raw=dump.encode("utf-8"))
            lines = run_document(text_article, [("decode", chain["decode"]), ("extract", chain["extract"])], budget)
            if not isinstance(lines, Reject) and lines.blocks:
                row["dump"] = " ".join(b.text for b in lines.blocks)
                row["dump_lang"] = page_language(lines.blocks)
                done = run_document(lines, [("strip", chain["strip"]), ("tag", chain["tag"])], budget)
                if not isinstance(done, Reject):
                    row["text_body"], row["text_lang"] = done.body, done.meta.language
        rows.append(row)
        if n % 100 == 0:
            print(f"{n} pages ({time.process_time():.0f} CPU-s)", flush=True)
    return rows


def _report(rows: list[dict], pages, prefixes: list[int], args) -> None:
    report: dict = {"pages": len(pages), "articles": {}}
    print(f"\n{len(pages)} pages of {args.dataset}")
    # sanity: today's answers are what the windows give
    for r in rows:
        for mode in ("html", "text"):
            if f"{mode}_lang" in r:
                assert r[f"{mode}_lang"] == detect_language(r[f"{mode}_body"]), r["id"]
        if "dump_lang" in r:
            assert r["dump_lang"] == (_classify(r["dump"], WINDOW) if r["dump"].strip() else ""), r["id"]

    def agreement(name: str, keyed: list[tuple[str, str, str]], guess) -> None:
        """keyed: (page id, text, today's answer) per article; guess(text, limit)."""
        counts, which = {}, {}
        for limit in prefixes:
            which[limit] = [(i, want, got) for i, text, want in keyed if (got := guess(text, limit)) != want]
            counts[limit] = len(which[limit])
        report["articles"][name] = {"n": len(keyed), "differ": counts, "pages": which}
        cells = ", ".join(f"{limit:,}: {d}" for limit, d in counts.items())
        print(f"  {name:<44} {len(keyed):5} articles; differing at prefix {cells}")

    html = [(r["id"], r["html_body"], r["html_lang"]) for r in rows if "html_lang" in r]
    html_a = [(r["id"], r["html_pre"], r["html_lang"]) for r in rows if "html_lang" in r]
    dump = [(r["id"], r["dump"], r["dump_lang"]) for r in rows if "dump_lang" in r]
    text = [(r["id"], r["text_body"], r["text_lang"]) for r in rows if "text_lang" in r]
    text_a = [(r["id"], r["dump"], r["text_lang"]) for r in rows if "text_lang" in r]
    print("articles whose language differs from today's:")
    agreement("html tag: body prefix (b)", html, _tag_language)
    agreement("html tag: extracted text prefix (a)", html_a, _tag_language)
    agreement("text strip: dump prefix (a, b)", dump, lambda t, n: _classify(t, n) if t.strip() else "")
    agreement("text tag: body prefix (b)", text, _tag_language)
    agreement("text tag: dump prefix, shared with strip (a)", text_a, _tag_language)
    agreement("text tag: dump, full window (a, no bound)", text_a, lambda t, n: _tag_language(t, WINDOW))

    print(f"\nCPU of the calls alone (best of {args.repeats}, the ways taken in turn), seconds:")
    cpu: dict = {}
    for name, texts in (("html tag (body)", [t for _, t, _ in html]), ("text strip (dump)", [t for _, t, _ in dump]),
                        ("text tag (body)", [t for _, t, _ in text])):
        ways = {"today": lambda t: py3langid.classify(t[:WINDOW]), "fast_walk": lambda t: _langid.classify(t[:WINDOW])}
        ways |= {n: (lambda t, n=n: py3langid.classify(t[:n])) for n in prefixes}
        cpu[name] = _cpu(ways, texts, args.repeats)
        chars = sum(min(len(t), WINDOW) for t in texts)
        cells = ", ".join(f"{n:,}: {cpu[name][n]:.2f}" for n in prefixes)
        print(f"  {name:<18} {len(texts)} calls, {chars / max(len(texts), 1):,.0f} chars each: "
              f"today {cpu[name]['today']:.2f}, exact fast walk {cpu[name]['fast_walk']:.2f}; prefix {cells}")
    report["cpu_s"] = cpu
    print("\npages that differ at 5,000 characters:")
    for name, found in report["articles"].items():
        for page_id, want, got in found["pages"].get(5000, []):
            print(f"  {name}: {page_id} today {want!r}, prefix {got!r}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    print(f"\nwritten: {args.out}")
    languages = Counter(r.get("html_lang", "-") for r in rows)
    print("html languages:", dict(languages.most_common(12)))


if __name__ == "__main__":
    main()
