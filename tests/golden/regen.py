"""Regenerate the seed goldens: `uv run --frozen --group test python -m tests.golden.regen`.

Goldens change only through this command, and the diff is read by a person before it is
committed (git diff tests/golden/).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cleaner.config import CleanConfig
from cleaner.discover import discover
from cleaner.pipeline import process_batch
from cleaner.record import Article

HERE = Path(__file__).resolve().parent
RAW = HERE.parents[1] / "raw"
SEED_PREFIXES = ("000_", "001_", "002_", "003_", "004_")


def seed_outputs() -> dict[str, dict]:
    """What the per-article stages make of each seed (dedup and publish are tested elsewhere)."""
    config = CleanConfig(raw_dir=str(RAW))
    inventory = discover(RAW)
    seeds = [a for a in inventory.articles if a.source.startswith(SEED_PREFIXES) and a.source.endswith(".txt")]
    result = process_batch(seeds, config, strict=True)
    return {a.source: golden(a) for a in result.kept}


def golden(article: Article) -> dict:
    m = article.meta
    return {
        "title": m.title, "author": m.author, "published": m.published, "section": m.section,
        "site": m.site, "language": m.language, "word_count": m.word_count,
        "removals": [[r.category, r.rule_id, r.text] for r in article.removals],
        "body": article.body.split("\n"),
    }


def main() -> int:
    for source, data in seed_outputs().items():
        path = HERE / (Path(source).stem + ".json")
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
