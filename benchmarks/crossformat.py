"""Duplicates across formats on real pages: each WCXB dev article given as HTML and as its text dump.

    uv run --frozen python benchmarks/crossformat.py [--split dev|heldout|all] [--limit N] [--json]

For every article page of the WCXB development set (`../shared/eval-data/wcxb-dev`, split by
domain with `cleaner.evaluate.split_of`, as `cleaner eval` splits it) a temporary raw folder
gets the page twice: `ID.html` (the page as fetched) and `ID.txt` (its whole-page plain-text
dump, made as `cleaner eval --mode text` makes it: `bodyeval.text_dump`). The library's run
(`cleaner.run.run`, what `cleaner run --no-prefect` calls) cleans the folder, and the published
dataset (articles, duplicates.csv, rejects.csv) is read back. Tagging runs without NER and
keywords (as `cleaner eval` does): neither changes a body, a duplicate or a story.

Reported, per page (a pair = its two copies):
- rejected: pairs with a copy rejected (by reason); the rest are the pairs both cleaned;
- found: of the pairs both cleaned, both copies in one duplicate group (recall): one copy is a
  duplicate of the other, or both of one copy of the same page (the set holds one page twice,
  under its URL with and without a trailing slash: such pages count as one);
- false pairs: a copy marked duplicate of a copy of another page (should be 0);
- one story: of the pairs both cleaned, both copies carry one story_id (the others are listed);
- story merges: pairs of different pages that share a story_id.
`--diagnose` adds, for each missed pair, the shingle Jaccard and containment (shared shingles
over the smaller set) of the two published bodies, their word counts, and where they differ.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from cleaner.bodyeval import load_pages, text_dump
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.dedup import DedupSettings, jaccard, shingle_hashes
from cleaner.normalize import normalized_for_hash
from cleaner.publish import published_file
from cleaner.record import Article, Format

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT.parent / "shared" / "eval-data" / "wcxb-dev"


def pages_of(dataset: Path, split: str = "all", limit: int | None = None) -> list:
    """The dataset's article pages in file-id order, of one split (or all), the first `limit`."""
    pages = sorted((p for p in load_pages(dataset) if p.page_type == "article"
                    and (split == "all" or p.split == split)), key=lambda p: p.id)
    return pages[:limit] if limit else pages


def write_pairs(pages, raw_dir: Path) -> None:
    """Each page as ID.html (as fetched) and ID.txt (its whole-page text dump)."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    for page in pages:
        raw = gzip.decompress(Path(page.path).read_bytes())
        (raw_dir / f"{page.id}.html").write_bytes(raw)
        source = Article(id=page.id, source=f"{page.id}.html", format=Format.HTML, input_format="html", raw=raw)
        decoded = decode(source, max_bytes=10_000_000)
        html = decoded.text if isinstance(decoded, Article) else ""
        (raw_dir / f"{page.id}.txt").write_text(text_dump(html), encoding="utf-8")


def clean(raw_dir: Path, out_dir: Path, **settings) -> None:
    """The library's run over the folder (no Prefect), tagging without NER and keywords."""
    from cleaner.run import run

    config = CleanConfig(raw_dir=str(raw_dir), out_dir=str(out_dir), entities=False, keywords=0, **settings)
    run(config)


def read_outputs(out_dir: Path) -> dict[str, dict]:
    """Per source file: status (published, duplicate, rejected), id, duplicate_of, story_id, body, reason."""
    rows: dict[str, dict] = {}
    for line in published_file(out_dir, "articles.jsonl").decode("utf-8").splitlines():
        a = json.loads(line)
        rows[a["source"]] = {"status": "published", "id": a["id"], "duplicate_of": None, "story_id": a["story_id"],
                             "body": a["body"], "words": a["word_count"]}
    for d in _csv(published_file(out_dir, "duplicates.csv")):
        rows[d["source"]] = {"status": "duplicate", "id": d["id"], "duplicate_of": d["duplicate_of"],
                             "story_id": d["story_id"], "similarity": d["similarity"], "kind": d["kind"]}
    for r in _csv(published_file(out_dir, "rejects.csv")):
        rows[r["source"]] = {"status": "rejected", "id": r["id"], "reason": r["reason"], "detail": r["detail"]}
    return rows


def _csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def same_page(pages) -> dict[str, str]:
    """Each page's id -> the first id of the pages at its URL (the set holds a page twice, its URL
    with and without a trailing slash: 0463 and 3035), so that such copies are not false pairs."""
    first: dict[str, str] = {}
    out = {}
    for page in pages:
        url = json.loads(gzip.decompress(Path(page.truth).read_bytes())).get("url") or page.id
        key = url.split("#")[0].split("://", 1)[-1].removeprefix("www.").rstrip("/").lower()
        out[page.id] = first.setdefault(key, page.id)
    return out


def measure(pages, rows: dict[str, dict]) -> dict:
    """The figures of one run (see the module docstring) and the ids of the pairs behind them.

    A copy's group is its canonical article (duplicate_of, or itself when published): a pair is
    found when both copies are in one group, false when a copy's group is another page's copy.
    """
    page = same_page(pages)
    page_of = {row["id"]: page[source.rsplit(".", 1)[0]] for source, row in rows.items()}
    rejected: Counter[str] = Counter()
    cleaned, found, one_story, missed, false_pairs, split_stories = [], [], [], [], [], []
    for p in pages:
        html, text = rows[f"{p.id}.html"], rows[f"{p.id}.txt"]
        for copy in (html, text):
            target = copy.get("duplicate_of")
            if target and page_of.get(target) != page[p.id]:
                false_pairs.append((p.id, page_of.get(target, target)))
        if "rejected" in (html["status"], text["status"]):
            which = "+".join(f"{kind} {c['reason']}" for kind, c in (("html", html), ("text", text))
                             if c["status"] == "rejected")
            rejected[which] += 1
            continue
        cleaned.append(p.id)
        if (html.get("duplicate_of") or html["id"]) == (text.get("duplicate_of") or text["id"]):
            found.append(p.id)
        else:
            missed.append(p.id)
        if html["story_id"] == text["story_id"]:
            one_story.append(p.id)
        else:
            split_stories.append(p.id)
    stories: dict[str, set[str]] = defaultdict(set)
    for row in rows.values():
        if row["status"] != "rejected":
            stories[row["story_id"]].add(page_of[row["id"]])
    merges = [pair for members in stories.values() for pair in combinations(sorted(members), 2)]
    n = len(cleaned)
    return {
        "pages": len(pages), "both_cleaned": n, "rejected_pairs": sum(rejected.values()),
        "rejected_by": dict(sorted(rejected.items())),
        "found": len(found), "recall": round(len(found) / n, 4) if n else None,
        "false_pairs": len(false_pairs), "one_story": len(one_story),
        "one_story_share": round(len(one_story) / n, 4) if n else None,
        "story_merges": len(merges),
        "missed_ids": missed, "false_pair_ids": false_pairs, "story_merge_ids": merges,
        "split_story_ids": split_stories,
    }


def diagnose(missed: list[str], rows: dict[str, dict], shingle_size: int) -> list[dict]:
    """For each missed pair both published: shingle Jaccard, containment, word counts and the
    text copy's lines that the html copy lacks (its leftover chrome), first few."""
    out = []
    for pid in missed:
        html, text = rows[f"{pid}.html"], rows[f"{pid}.txt"]
        entry = {"id": pid, "html": html["status"], "text": text["status"]}
        if "body" in html and "body" in text:
            a = shingle_hashes(normalized_for_hash(html["body"]), shingle_size)
            b = shingle_hashes(normalized_for_hash(text["body"]), shingle_size)
            common = len(set(a.tolist()) & set(b.tolist()))
            html_lines = {normalized_for_hash(x) for x in html["body"].split("\n") if x.strip()}
            entry.update({
                "jaccard": round(jaccard(a, b), 3),
                "containment": round(common / max(min(a.size, b.size), 1), 3),
                "html_words": html["words"], "text_words": text["words"],
                "text_only": [x[:80] for x in text["body"].split("\n")
                              if x.strip() and normalized_for_hash(x) not in html_lines][:6],
                "html_only": [x[:80] for x in html["body"].split("\n") if x.strip()
                              and normalized_for_hash(x) not in {normalized_for_hash(y)
                                                                 for y in text["body"].split("\n")}][:6],
            })
        else:
            entry["duplicate_of"] = {"html": html.get("duplicate_of"), "text": text.get("duplicate_of")}
        out.append(entry)
    return out


def format_table(result: dict) -> str:
    n = result["both_cleaned"]
    lines = [
        f"{'split':8} {'pages':>5} {'cleaned':>7} {'rejected':>8} {'found':>6} {'recall':>6} {'false':>5} "
        f"{'1 story':>7} {'share':>6} {'merges':>6}",
        f"{result['split']:8} {result['pages']:5d} {n:7d} {result['rejected_pairs']:8d} {result['found']:6d} "
        f"{result['recall'] or 0:6.3f} {result['false_pairs']:5d} {result['one_story']:7d} "
        f"{result['one_story_share'] or 0:6.3f} {result['story_merges']:6d}",
    ]
    if result["rejected_by"]:
        lines.append("rejected pairs: " + ", ".join(f"{k} {v}" for k, v in result["rejected_by"].items()))
    if result["missed_ids"]:
        lines.append("missed: " + " ".join(result["missed_ids"]))
    if result["split_story_ids"]:
        lines.append("pairs in two stories: " + " ".join(result["split_story_ids"]))
    if result["false_pair_ids"]:
        lines.append("false pairs: " + " ".join(f"{a}->{b}" for a, b in result["false_pair_ids"]))
    if result["story_merge_ids"]:
        lines.append("story merges: " + " ".join(f"{a}+{b}" for a, b in result["story_merge_ids"][:20]))
    for d in result.get("diagnosis", []):
        if "jaccard" in d:
            lines.append(f"  {d['id']}: jaccard {d['jaccard']:.3f} containment {d['containment']:.3f} "
                         f"words html {d['html_words']} text {d['text_words']}")
            lines.extend(f"      text only: {x}" for x in d["text_only"])
            lines.extend(f"      html only: {x}" for x in d["html_only"])
        else:
            lines.append(f"  {d['id']}: html {d['html']} text {d['text']} {d['duplicate_of']}")
    lines.append(f"\n{result['seconds']:.1f} s; WCXB development split (CC-BY-4.0, Murrough Foley 2026)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--limit", type=int, default=None, help="the first N article pages (by file id)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--diagnose", action="store_true", help="similarities of the missed pairs")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if not (args.dataset / "index.json").is_file():
        print(f"no dataset at {args.dataset}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    pages = pages_of(args.dataset, args.split, args.limit)
    with tempfile.TemporaryDirectory(prefix="crossformat-") as scratch:
        work = args.keep or Path(scratch)
        write_pairs(pages, work / "raw")
        clean(work / "raw", work / "clean")
        rows = read_outputs(work / "clean")
    result = {"split": args.split, **measure(pages, rows)}
    if args.diagnose:
        result["diagnosis"] = diagnose(result["missed_ids"], rows, DedupSettings().shingle_size)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
