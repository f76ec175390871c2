"""Throughput on real pages, as issue 13 measures it: the first N pages of the WCXB dev set.

    uv run --frozen python benchmarks/realpages.py [--dataset ../shared/eval-data/wcxb-dev] [-n 120]

Each page is decoded once (not timed) and given twice: as HTML and as its whole-page text dump
(made as `cleaner eval --mode text` makes it: cleaner.dumps.text_dump, not timed). Timed in CPU
seconds of this process (time.process_time), models loaded and every method warmed up on one page
first: the per-document chain extract -> strip -> tag with default settings and with the fast
ones (`--no-entities --keywords 0`; for HTML also without the second reading,
`--no-second-reading`), and `trafilatura.extract` alone on the same HTML, the methods
interleaved page by page so that a busy machine slows them alike, taking turns at going first on a
page, each starting the page with the rules' memory empty (as a run meets a page once). Prints
pages per CPU-second and the pipeline's ratio to trafilatura alone. WCXB: Murrough Foley 2026, CC-BY-4.0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import time
import warnings
from dataclasses import replace
from pathlib import Path

from cleaner import _rulememo
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.dumps import text_dump
from cleaner.pipeline import run_document, stages
from cleaner.record import Article, Format, Reject
from cleaner.rules import load_rules


def pages(dataset: Path, n: int) -> list[tuple[Article, Article]]:
    """(html article, text-dump article) of the first n pages by file id, decoded."""
    index = sorted(json.loads((dataset / "index.json").read_text(encoding="utf-8")), key=lambda e: e["file_id"])
    out = []
    for entry in index[:n]:
        raw = gzip.decompress((dataset / "pages" / f"{entry['file_id']}.html.gz").read_bytes())
        html = decode(Article(id=entry["file_id"], source=f"{entry['file_id']}.html", format=Format.HTML,
                              input_format="html", raw=raw), max_bytes=CleanConfig().max_bytes)
        if isinstance(html, Reject):
            continue
        dump = text_dump(html.text)
        text = decode(replace(html, source=f"{entry['file_id']}.txt", format=Format.TEXT, input_format="text",
                              raw=dump.encode("utf-8"), text=""), max_bytes=CleanConfig().max_bytes)
        if not isinstance(text, Reject):
            out.append((html, text))
    return out


def measure(dataset: Path, n: int) -> tuple[int, dict[str, float]]:
    """(pages measured, CPU seconds of each method): the pipeline's chain with default and fast
    settings on each page as HTML and as its dump, and trafilatura.extract alone, interleaved."""
    import trafilatura

    rules = load_rules()
    chains = {name: stages(CleanConfig(**settings), rules)[2:]  # extract, strip, tag
              for name, settings in (("defaults", {}), ("fast", {"entities": False, "keywords": 0}),
                                     ("fast 1 reading", {"entities": False, "keywords": 0, "second_reading": False}))}
    docs = pages(dataset, n)
    # html mode's second reading (extract.second_reading) does nothing to a text dump
    methods = {f"{kind} {name}": (kind, chain) for name, chain in chains.items() for kind in ("html", "text")
               if kind == "html" or name != "fast 1 reading"}
    cpu = dict.fromkeys([*methods, "trafilatura"], 0.0)
    html0, text0 = docs[0]
    for kind, chain in methods.values():  # warm up: models, caches, lazy imports
        run_document(html0 if kind == "html" else text0, chain)
    trafilatura.extract(html0.text)
    names = list(cpu)
    for k, (html, text) in enumerate(docs):
        # The methods take turns at going first: a method's cost depends on what ran just before
        # it (with every method off but the order kept, the fifth of them took 25 % more CPU
        # than the third, the same chain on the same pages).
        for name in names[k % len(names):] + names[:k % len(names)]:
            # Each method reads the page as a run reads a page it has not seen: the rules' memory
            # (_rulememo) would otherwise carry the page's lines from one method to the next.
            _rulememo._fired.cache_clear()
            started = time.process_time()
            if name == "trafilatura":
                trafilatura.extract(html.text)
            else:
                kind, chain = methods[name]
                run_document(html if kind == "html" else text, chain)
            cpu[name] += time.process_time() - started
    return len(docs), cpu


def main() -> None:
    warnings.filterwarnings("ignore")
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", type=Path, default=Path("../shared/eval-data/wcxb-dev"))
    p.add_argument("-n", type=int, default=120)
    p.add_argument("--json", type=Path, default=None)
    args = p.parse_args()
    count, cpu = measure(args.dataset, args.n)
    rates = {name: count / seconds for name, seconds in cpu.items()}
    print(f"{count} pages of {args.dataset.name}; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'method':20} {'CPU s':>8} {'pages/CPU-s':>12} {'vs trafilatura':>15}")
    for name, seconds in cpu.items():
        ratio = f"{rates[name] / rates['trafilatura']:.2f}x" if name.startswith("html") else ""
        print(f"{name:20} {seconds:8.1f} {rates[name]:12.1f} {ratio:>15}")
    if args.json:
        args.json.write_text(json.dumps({"pages": count, "cpu_s": cpu, "per_cpu_s": rates}, indent=1))


if __name__ == "__main__":
    main()
