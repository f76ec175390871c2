"""Measure the dedup thresholds on the labelled sample corpus (raw/ + tests/data/raw_labels.json).

    uv run --frozen python benchmarks/thresholds.py

Prints, for every pair of published-or-duplicate articles, the shingle Jaccard similarity
(near-duplicate signal), and for every pair of canonical articles the story similarity as the
run weighs it (in_run), split by what the labels say the pair is, and the widest gap a
threshold can sit in. Then the same-story clusters by story threshold for raw/, for the five
text seeds alone (issue 14: their dated HTML copies in raw/ no longer part them) and for
tests/data/story_pairs.json (one cast at two events, each told twice). The defaults in
CleanConfig come from this output.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from cleaner.config import CleanConfig
from cleaner.dedup import dedup, in_run, jaccard, shingle_hashes, story_profiles, story_similarity
from cleaner.discover import discover
from cleaner.normalize import content_hash, normalized_for_hash
from cleaner.pipeline import dedup_settings, process_batch
from cleaner.record import Article, Block, BlockKind, Format, Meta

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ("000_", "001_", "002_", "003_", "004_")
THRESHOLDS = (0.15, 0.2, 0.225, 0.25, 0.27, 0.3, 0.325, 0.35, 0.4)


def main() -> None:
    labels = json.loads((ROOT / "tests" / "data" / "raw_labels.json").read_text(encoding="utf-8"))
    config = CleanConfig(raw_dir=str(ROOT / "raw"))
    articles = process_batch(discover(config.raw_dir).articles, config).kept
    name = {a.id: a.source if a.record is None else f"{a.source}#{a.record}" for a in articles}
    label = {a.id: labels[name[a.id]] for a in articles if name[a.id] in labels}
    articles = [a for a in articles if a.id in label]

    def original(a) -> str:  # the input a labelled copy points at, or itself
        return label[a.id].get("duplicate_of") or name[a.id]

    dup_pairs, other_pairs = [], []
    shingles = {a.id: shingle_hashes(normalized_for_hash(a.body), config.shingle_size) for a in articles}
    for a, b in itertools.combinations(articles, 2):
        is_dup = original(a) == original(b)
        (dup_pairs if is_dup else other_pairs).append((jaccard(shingles[a.id], shingles[b.id]),
                                                       f"{name[a.id]} ~ {name[b.id]}"))
    report("near-duplicate Jaccard (word 5-shingles)", dup_pairs, other_pairs, "duplicates", "not duplicates")

    story = {a.id: label[a.id]["story"] for a in articles}
    heads = [a for a in dedup(articles, dedup_settings(config)) if a.duplicate_of is None]
    report("story similarity of raw/'s canonical articles, as their run weighs them",
           *story_pairs([heads], story, name), "same story", "different stories")
    seeds = [a for a in articles if name[a.id].startswith(SEEDS) and a.record is None]
    report("story similarity of the five seeds alone", *story_pairs([seeds], story, name),
           "same story", "different stories")

    events = event_articles()
    story.update({a.id: a.id.rsplit("-", 1)[0] for a in events})
    name.update({a.id: a.id for a in events})
    casts = {cast: [a for a in events if a.source.startswith(cast)] for cast in sorted({a.source.split("/")[0]
                                                                                          for a in events})}
    report("story similarity in story_pairs.json, each cast's four articles a run",
           *story_pairs(list(casts.values()), story, name), "same event", "different events")
    print("\neach event alone (a run of its two reports):")
    for first, second in zip(events[::2], events[1::2]):
        print(f"   {story_similarity(*in_run([story_profiles(first), story_profiles(second)])):.3f}  {story[first.id]}")

    print("\n== same-story clusters (average linkage) by story_threshold: pairwise precision/recall, stories")
    runs = {"raw/": articles, "seeds alone": seeds, **casts, "all casts": events, "seeds + all casts": seeds + events}
    print("   " + "".join(f"{title:>18}" for title in ["threshold", *runs]))
    for threshold in THRESHOLDS:
        settings = replace(dedup_settings(config), story_threshold=threshold)
        cells = [clusters(run, story, settings) for run in runs.values()]
        print("   " + f"{threshold:>18.3f}" + "".join(f"{cell:>18}" for cell in cells))


def story_pairs(runs: Sequence[Sequence[Article]], story: dict[str, str], name: dict[str, str]) -> tuple[list, list]:
    """(same-story pairs, different-story pairs) as (similarity, 'a ~ b'), each run weighed on its own."""
    same, other = [], []
    for run in runs:
        profiles = in_run([story_profiles(a) for a in run])
        for (i, a), (j, b) in itertools.combinations(enumerate(run), 2):
            pair = (story_similarity(profiles[i], profiles[j]), f"{name[a.id]} ~ {name[b.id]}")
            (same if story[a.id] == story[b.id] else other).append(pair)
    return same, other


def clusters(run: Sequence[Article], story: dict[str, str], settings) -> str:
    """'precision/recall stories' of the run's canonical articles grouped by story_id."""
    heads = [a for a in dedup(run, settings) if a.duplicate_of is None]
    tp = fp = fn = 0
    for a, b in itertools.combinations(heads, 2):
        truth, found = story[a.id] == story[b.id], a.story_id == b.story_id
        tp, fp, fn = tp + (truth and found), fp + (found and not truth), fn + (truth and not found)
    return f"{tp / max(tp + fp, 1):.2f}/{tp / max(tp + fn, 1):.2f} {len({a.story_id for a in heads}):>2}"


def event_articles() -> list[Article]:
    """tests/data/story_pairs.json as articles: ids '<event>-0', '<event>-1', sources '<cast>/<id>'."""
    pairs = json.loads((ROOT / "tests" / "data" / "story_pairs.json").read_text(encoding="utf-8"))["articles"]
    out = []
    for n, p in enumerate(pairs):
        blocks = tuple(Block(BlockKind.PARAGRAPH, text) for text in p["text"].split("\n\n"))
        article = Article(id=f"{p['event']}-{n % 2}", source=f"{p['cast']}/{p['event']}-{n % 2}", format=Format.TEXT,
                          input_format="text", blocks=blocks)
        body = article.body
        out.append(replace(article, meta=Meta(title=p["title"], language="en", word_count=len(body.split())),
                           content_hash=content_hash(body)))
    return out


def report(title: str, positive: list, negative: list, pos_name: str, neg_name: str,
           show: Callable[[float, str], str] = lambda value, pair: f"   {value:.3f}  {pair}") -> None:
    print(f"\n== {title}")
    print(f"{pos_name}: {len(positive)} pairs, lowest:")
    for value, pair in sorted(positive)[:6]:
        print(show(value, pair))
    print(f"{neg_name}: {len(negative)} pairs, highest:")
    for value, pair in sorted(negative, reverse=True)[:6]:
        print(show(value, pair))
    low, high = min(v for v, _ in positive), max(v for v, _ in negative)
    print(f"gap: every {pos_name} pair >= {low:.3f}, every {neg_name} pair <= {high:.3f}"
          + ("" if low > high else "  (overlap: no threshold separates them all)"))


if __name__ == "__main__":
    main()
