"""Published entities against the generated corpus's truth: precision and recall per kind.

    uv run --frozen --group test --group bench python benchmarks/corpus.py /tmp/bench/raw-1000 -n 1000
    uv run --frozen cleaner run --no-prefect --raw-dir /tmp/bench/raw-1000 --out-dir /tmp/bench/clean-1000
    uv run --frozen python benchmarks/entities.py /tmp/bench/raw-1000 /tmp/bench/clean-1000

Every generated story is about one event (corpus.make_event): three people (full names), a place,
a region and an organisation, all invented, so the model has never seen them. For each published
article, its `people`, `places` and `organisations` are compared with its event's: a name the
event holds in that kind is right, any other published name is a false one (the corpus writes
few names besides the event's: the site's, a writer's, a teaser's), an event name not published
is missed. Precision and recall are summed over articles. Invented syllable names are hard for
spaCy's small English model, so these figures are low in absolute terms; they are for comparing
two versions of the tagging on the same output.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import load_truth, make_event  # a sibling script, not a package

KINDS = ("people", "places", "organisations")


def event_names(seed: int, story: str) -> dict[str, set[str]]:
    event = make_event(seed, story)
    return {"people": {name for _, name in event.people}, "places": {event.place, event.region},
            "organisations": {event.org}}


def score(corpus: Path, clean: Path, seed: int) -> dict[str, dict[str, float]]:
    story_of = {row["id"]: row["story"] for row in load_truth(corpus.with_name(corpus.name + ".truth.jsonl"))}
    counts = {kind: {"right": 0, "false": 0, "missed": 0} for kind in KINDS}
    with open(clean / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            want = event_names(seed, story_of[record["id"]])
            for kind in KINDS:
                got = set(record.get(kind) or ())
                counts[kind]["right"] += len(got & want[kind])
                counts[kind]["false"] += len(got - want[kind])
                counts[kind]["missed"] += len(want[kind] - got)
    return {kind: {**c, "precision": c["right"] / max(c["right"] + c["false"], 1),
                   "recall": c["right"] / max(c["right"] + c["missed"], 1)} for kind, c in counts.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the generated corpus folder (its .truth.jsonl beside it)")
    parser.add_argument("clean", type=Path, help="a run's output folder (articles.jsonl)")
    parser.add_argument("--seed", type=int, default=7, help="the seed the corpus was generated with")
    args = parser.parse_args(argv)
    print("| kind | precision | recall | right | false | missed |\n|---|---|---|---|---|---|")
    for kind, s in score(args.corpus, args.clean, args.seed).items():
        print(f"| {kind} | {s['precision']:.3f} | {s['recall']:.3f} | {s['right']} | {s['false']} | {s['missed']} |")


if __name__ == "__main__":
    main()
