"""A story given alone stays whole: each WCXB article's reference text cleaned as a text input.

    uv run --frozen python benchmarks/allstory.py [--split dev|heldout] [--step 4]

Text mode is built for whole-page dumps; a text that is only the story (a feed's full text, an
article already clean) must come out as it went in. Each chosen WCXB article's reference text
(every `--step`-th article of the split) is given to the pipeline as a plain-text input, with
default settings, and its published body scored against that same text (4-shingle precision,
recall and F1, as `cleaner eval`). Prints the means and the pages under 0.9 recall.
WCXB: Murrough Foley 2026, CC-BY-4.0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import warnings
from pathlib import Path

from cleaner.bodyeval import _body, load_pages
from cleaner.bodyscore import f1, shingle_scores
from cleaner.evaluate.run import _pipeline, worker_rules
from cleaner.record import Article, Format


def main() -> None:
    warnings.filterwarnings("ignore")
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", type=Path, default=Path("../shared/eval-data/wcxb-dev"))
    p.add_argument("--split", default="dev", choices=("dev", "heldout"))
    p.add_argument("--step", type=int, default=4)
    args = p.parse_args()
    rules = worker_rules()
    pages = [pg for pg in load_pages(args.dataset) if pg.page_type == "article" and pg.split == args.split]
    precision = recall = 0.0
    n = 0
    low = []
    for page in pages[::args.step]:
        reference = json.loads(gzip.decompress(Path(page.truth).read_bytes())).get("main_content") or ""
        if not reference.strip():
            continue
        text = Article(id=page.id, source=f"{page.id}.txt", format=Format.TEXT, input_format="text",
                       raw=reference.encode("utf-8"))
        p_, r_ = shingle_scores(_body(_pipeline(text, rules))["output"], reference)
        precision, recall, n = precision + p_, recall + (r_ or 0.0), n + 1
        if (r_ or 0.0) < 0.9:
            low.append(f"{page.id} {r_:.2f}")
    precision, recall = precision / n, recall / n
    print(f"{n} reference texts ({args.split}, every {args.step}): 4-shingle P {precision:.3f} R {recall:.3f} "
          f"F1 {f1(precision, recall):.3f}")
    print(f"under 0.9 recall: {len(low)}: {', '.join(low)}")


if __name__ == "__main__":
    main()
