"""The gated ftfy repair against ftfy on every text: the same output, and what it costs.

    uv run --frozen python benchmarks/repair.py raw /tmp/bench/raw-1000 ../shared/eval-data/wcxb-dev

Each folder is a raw input folder (every document `cleaner run` would read, JSON-lines records
included) or a WCXB-layout dataset (`pages/ID.html.gz`). Every document is taken as decode has
it just before the repair (its bytes in the character set decode picks), then repaired both
ways: `decode.repair` (ftfy.fix_text always) and `_repair.repair` (ftfy only where its mojibake
pattern fires). Prints per folder: documents, how many differ (must be 0), how many went to
ftfy, and the CPU of each way (time.process_time, best of --repeats).
"""

from __future__ import annotations

import argparse
import gzip
import time
from pathlib import Path

import ftfy

from cleaner import _repair
from cleaner.bodyeval import is_dataset, load_pages
from cleaner.config import CleanConfig
from cleaner.decode import _FTFY, _decode_bytes, repair
from cleaner.discover import discover, read
from cleaner.record import Article, Format


def texts_of(folder: Path) -> list[str]:
    """Every document of the folder as decode has it before the repair."""
    found: list[tuple[bytes, Format | None]] = []
    if is_dataset(folder):
        found = [(gzip.decompress(Path(p.path).read_bytes()), Format.HTML) for p in load_pages(folder)]
    else:
        max_bytes = CleanConfig().max_bytes
        for article in discover(folder).articles:
            got = read(article, folder, max_bytes)
            if isinstance(got, Article):
                found.append((got.raw, got.format))
    texts = []
    for raw, fmt in found:
        decoded = _decode_bytes(raw, fmt)
        if decoded is not None:
            texts.append(decoded[0])
    return texts


def _sent_to_ftfy(texts: list[str]) -> int:
    """How many of the texts the gate sends to ftfy.fix_text."""
    sent = []
    real = ftfy.fix_text
    _repair.ftfy.fix_text = lambda text, config: sent.append(1) or real(text, config=config)
    try:
        for t in texts:
            _repair.repair(t, _FTFY)
    finally:
        _repair.ftfy.fix_text = real
    return len(sent)


def _cpu(fn, texts: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        for t in texts:
            fn(t)
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    print("| inputs | documents | differ | to ftfy | ftfy always, CPU-s | gated, CPU-s |")
    print("|---|---|---|---|---|---|")
    for folder in args.folders:
        texts = texts_of(folder)
        differ = sum(_repair.repair(t, _FTFY) != repair(t) for t in texts)
        sent = _sent_to_ftfy(texts)
        always = _cpu(repair, texts, args.repeats)
        gated = _cpu(lambda t: _repair.repair(t, _FTFY), texts, args.repeats)
        chars = sum(map(len, texts))
        print(f"| {folder} ({chars / max(len(texts), 1):,.0f} chars each) | {len(texts)} | {differ} | {sent} "
              f"| {always:.2f} | {gated:.2f} |", flush=True)


if __name__ == "__main__":
    main()
