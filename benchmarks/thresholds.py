"""Measure the dedup thresholds on the labelled sample corpus (raw/ + tests/data/raw_labels.json).

    uv run --frozen python benchmarks/thresholds.py

Prints, for every pair of published-or-duplicate articles, the shingle Jaccard similarity
(near-duplicate signal) and the story similarity, split by what the labels say the pair is,
and the widest gap a threshold can sit in. The defaults in CleanConfig come from this output.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

from cleaner.config import CleanConfig
from cleaner.dedup import dedup, jaccard, shingle_hashes, story_profiles, story_similarity
from cleaner.discover import discover
from cleaner.normalize import normalized_for_hash
from cleaner.pipeline import dedup_settings, process_batch

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    labels = json.loads((ROOT / "tests" / "data" / "raw_labels.json").read_text(encoding="utf-8"))
    config = CleanConfig(raw_dir=str(ROOT / "raw"))
    articles = process_batch(discover(config.raw_dir).articles, config).kept
    name = {a.id: a.source if a.record is None else f"{a.source}#{a.record}" for a in articles}
    label = {a.id: labels[name[a.id]] for a in articles if name[a.id] in labels}
    articles = [a for a in articles if a.id in label]

    def original(a) -> str:  # the input a labelled copy points at, or itself
        return label[a.id].get("duplicate_of") or name[a.id]

    dup_pairs, other_pairs, same_story, other_story = [], [], [], []
    shingles = {a.id: shingle_hashes(normalized_for_hash(a.body), config.shingle_size) for a in articles}
    profiles = {a.id: story_profiles(a) for a in articles}
    for a, b in itertools.combinations(articles, 2):
        pair = f"{name[a.id]} ~ {name[b.id]}"
        jac = jaccard(shingles[a.id], shingles[b.id])
        is_dup = original(a) == original(b)
        (dup_pairs if is_dup else other_pairs).append((jac, pair))
        if not is_dup:
            sim = story_similarity(profiles[a.id], profiles[b.id])
            same = label[a.id]["story"] == label[b.id]["story"]
            (same_story if same else other_story).append((sim, pair))

    report("near-duplicate Jaccard (word 5-shingles)", dup_pairs, other_pairs, "duplicates", "not duplicates")
    report("story similarity (pairs)", same_story, other_story, "same story", "different stories")

    # Pairs overlap, so the threshold is chosen on what the clustering makes of them.
    print("\n== same-story clusters (average linkage) by story_threshold: pairwise precision / recall")
    for threshold in (0.15, 0.2, 0.225, 0.25, 0.27, 0.3, 0.325, 0.35, 0.4):
        settings = replace(dedup_settings(config), story_threshold=threshold)
        marked = dedup(articles, settings)
        heads = [a for a in marked if a.duplicate_of is None]
        tp = fp = fn = 0
        for a, b in itertools.combinations(heads, 2):
            truth, found = label[a.id]["story"] == label[b.id]["story"], a.story_id == b.story_id
            tp, fp, fn = tp + (truth and found), fp + (found and not truth), fn + (truth and not found)
        print(f"   {threshold:.3f}  precision {tp / max(tp + fp, 1):.2f}  recall {tp / max(tp + fn, 1):.2f}"
              f"  stories {len({a.story_id for a in heads})}")


def report(title, positive, negative, pos_name, neg_name) -> None:
    print(f"\n== {title}")
    print(f"{pos_name}: {len(positive)} pairs, lowest:")
    for value, pair in sorted(positive)[:6]:
        print(f"   {value:.3f}  {pair}")
    print(f"{neg_name}: {len(negative)} pairs, highest:")
    for value, pair in sorted(negative, reverse=True)[:6]:
        print(f"   {value:.3f}  {pair}")
    low, high = min(v for v, _ in positive), max(v for v, _ in negative)
    print(f"gap: every {pos_name} pair >= {low:.3f}, every {neg_name} pair <= {high:.3f}"
          + ("" if low > high else "  (overlap: no threshold separates them all)"))


if __name__ == "__main__":
    main()
