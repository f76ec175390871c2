"""A dataset written into a local folder: every data file in one pass over the articles, checked, then the manifest."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from cleaner import review
from cleaner.discover import Inventory
from cleaner.publish import writers
from cleaner.publish.errors import PublishError
from cleaner.publish.manifest import SITE_FILE, write_manifest
from cleaner.publish.schema import (
    ARTICLE_FIELDS,
    DUPLICATE_COLUMNS,
    REJECT_COLUMNS,
    SCHEMA_FILE,
    article_record,
    json_schema,
)
from cleaner.publish.stats import Tally
from cleaner.record import Article, Reject


def write_dataset(
    folder: Path, articles: Iterable[Article], copies: Mapping[str, Sequence[str]], rejects: list[Reject],
    inventory: Inventory, config: dict, run_id: str, site_registry: bytes, extra: dict | None = None,
) -> dict:
    """Write the data files and the manifest (plus `extra` keys) into `folder`, streaming the
    articles once; returns the counts and the summary figures for PublishReport."""
    columns = [name for name, _, _ in ARTICLE_FIELDS]
    ids: set[str] = set()
    twice: list[str] = []
    last: tuple[str, int] | None = None
    published = 0
    tally = Tally()
    page = review.ReviewPage(int(config.get("review_articles", review.LIMIT)))  # every cut in place
    with (
        open(folder / "articles.json", "w", encoding="utf-8", newline="\n") as as_json,
        open(folder / "articles.jsonl", "w", encoding="utf-8", newline="\n") as as_jsonl,
        open(folder / "articles.csv", "w", encoding="utf-8-sig", newline="") as as_csv,
        open(folder / "duplicates.csv", "w", encoding="utf-8-sig", newline="") as dup_csv,
        open(folder / "removals.jsonl", "w", encoding="utf-8", newline="\n") as removals,
    ):
        articles_csv = writers.CsvWriter(as_csv, columns)
        duplicates_csv = writers.CsvWriter(dup_csv, DUPLICATE_COLUMNS)
        as_json.write("[")
        for article in articles:
            position = (article.source, article.record or 0)
            if last is not None and position < last:
                raise PublishError(f"refusing to publish: articles out of order at {article.source} (a bug)")
            last = position
            _note_id(article.id, ids, twice)
            if article.duplicate_of is None:
                record = article_record(article, copies.get(article.id, ()))
                as_json.write(("\n" if published == 0 else ",\n") + writers.indented(record))
                as_jsonl.write(writers.json_line(record))
                articles_csv.add({k: writers.LIST_SEPARATOR.join(v) if isinstance(v, list) else v
                                  for k, v in record.items()})
                published += 1
                if article.id in copies:
                    tally.canonical(article)
            else:
                duplicates_csv.add({
                    "id": article.id, "source": article.source, "record": article.record,
                    "duplicate_of": article.duplicate_of, "kind": article.duplicate_kind,
                    "similarity": article.similarity, "story_id": article.story_id, "title": article.meta.title,
                    "url": article.meta.url, "content_hash": article.content_hash,
                })
                tally.duplicate(article)
            page.add(article)
            for removal in article.removals:
                tally.removal(removal)
                removals.write(writers.json_line({
                    "article_id": article.id, "source": article.source, "category": removal.category,
                    "rule_id": removal.rule_id, "chars": len(removal.text), "text": removal.text,
                }))
        as_json.write("\n]\n" if published else "]\n")
        articles_csv.close()
        duplicates_csv.close()
    writers.write_csv(folder / "rejects.csv", REJECT_COLUMNS, [
        {"id": r.article_id, "source": r.source, "record": r.record, "stage": r.stage,
         "reason": r.reason.value, "detail": r.detail}
        for r in rejects
    ])

    counts = {
        "inputs": inventory.documents, "files": len(inventory.files),
        "published": published, "duplicates": len(tally.duplicate_rows), "rejects": len(rejects),
    }
    if counts["inputs"] != counts["published"] + counts["duplicates"] + counts["rejects"]:
        raise PublishError(
            f"refusing to publish: {counts['inputs']} inputs but {counts['published']} published + "
            f"{counts['duplicates']} duplicates + {counts['rejects']} rejects"
        )
    for r in rejects:
        _note_id(r.article_id, ids, twice)
    if twice:
        raise PublishError(f"refusing to publish: article ids occur twice: {', '.join(sorted(set(twice))[:5])}")
    (folder / SCHEMA_FILE).write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / SITE_FILE).write_bytes(site_registry)
    (folder / review.REVIEW_FILE).write_text(page.html(), encoding="utf-8", newline="\n")
    write_manifest(folder, inventory, config, run_id, counts, tally.removals_by_category(), extra)
    return {"counts": counts, **tally.figures()}


def _note_id(article_id: str, seen: set[str], twice: list[str]) -> None:
    if article_id in seen:
        twice.append(article_id)
    seen.add(article_id)
