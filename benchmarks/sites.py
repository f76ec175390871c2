"""What site learning (cleaner.sites, category site_repeated) learns and cuts on a generated corpus.

    uv run --frozen --group bench python benchmarks/sites.py /tmp/bench/raw-1000 [--also-without-rules]

The generator (benchmarks/corpus.py) dresses every story in one of a dozen site templates, so
each site's chrome repeats across hundreds of stories, and it knows which documents report
the same story (FOLDER.truth.jsonl). Two questions:

- rules on (the pipeline as shipped): does site learning cut anything the rules missed,
  and does it ever cut story text? Every learned block is listed for review by eye.
- `--also-without-rules` (no text or HTML rule, no block model): how much of the sites' chrome would
  site learning remove on its own? It prints the characters each run removed by category
  beside the rules-on run's, and the learned blocks.

Story text is checked against the truth: a cut block is story text if it is found in the
body that the rules-on pipeline publishes for another document of the same story
(a template line is in no published body; a story sentence is in its copies').
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from cleaner.config import CleanConfig
from cleaner.normalize import key
from cleaner.rules import RuleSet
from cleaner.run import run


def cleaned(corpus: Path, out: Path, rules: bool) -> tuple[float, dict]:
    config = CleanConfig(raw_dir=str(corpus), out_dir=str(out), entities=False, keywords=0, block_model=rules)
    started = time.perf_counter()
    if rules:
        result = run(config)
    else:
        import cleaner.pipeline as pipeline

        original = pipeline.load_rules
        pipeline.load_rules = lambda *args, **kwargs: RuleSet(text=(), html=())
        try:
            result = run(config)
        finally:
            pipeline.load_rules = original
    return time.perf_counter() - started, result.report.removal_stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--also-without-rules", action="store_true",
                        help="also run with no rules and no block model: what site learning finds on its own")
    args = parser.parse_args(argv)
    truth = {row["id"]: row for row in map(json.loads, Path(f"{args.corpus}.truth.jsonl").read_text().splitlines())}
    with tempfile.TemporaryDirectory(prefix="cleaner-sites-") as tmp:
        outs = {}
        for mode in ("on", "off") if args.also_without_rules else ("on",):
            outs[mode] = Path(tmp) / mode
            seconds, stats = cleaned(args.corpus, outs[mode], rules=mode == "on")
            chars = {c: s.chars for c, s in stats.items()}
            print(f"\n## rules {mode}: {seconds:.0f} s; characters removed by category")
            for category, n in sorted(chars.items(), key=lambda kv: -kv[1]):
                print(f"  {category:16} {n:>10,}")
        # Story text of each story, as the shipped pipeline publishes it.
        bodies: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for article in json.loads((outs["on"] / "articles.json").read_text(encoding="utf-8")):
            bodies[truth[article["id"]]["story"]].append((article["id"], key(article["body"])))
        for mode, out in outs.items():
            cut = [json.loads(line) for line in (out / "removals.jsonl").read_text(encoding="utf-8").splitlines()]
            cut = [r for r in cut if r["category"] == "site_repeated"]
            story_text = [r for r in cut if any(
                other != r["article_id"] and key(r["text"]) in body
                for other, body in bodies[truth[r["article_id"]]["story"]])]
            registry = json.loads((out / "site_boilerplate.json").read_text(encoding="utf-8"))
            learned = {site: [b for b in blocks if b["boilerplate"]] for site, blocks in registry["sites"].items()}
            print(f"\n## rules {mode}: site_repeated cut {len(cut)} blocks ({sum(r['chars'] for r in cut):,} chars) "
                  f"in {len({r['article_id'] for r in cut})} articles; {len(story_text)} of them story text; "
                  f"{sum(map(len, learned.values()))} blocks learned over {len(learned)} sites")
            for r in story_text[:10]:
                print(f"  STORY TEXT CUT: {r['source']}: {r['text'][:100]!r}")
            for site, blocks in sorted(learned.items()):
                print(f"  {site}: " + " · ".join(repr(b["text"][:60]) for b in blocks))
            print("  most cut:")
            for text, n in Counter(r["text"] for r in cut).most_common(12):
                print(f"    {n:>5} x  {text[:90]!r}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
