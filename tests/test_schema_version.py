"""The published record shape is versioned: changing it without a new SCHEMA_VERSION fails here.

When the record changes on purpose: bump SCHEMA_VERSION in src/cleaner/publish/schema.py (major for a
removed or retyped field, minor for an added one), then write the new snapshot with
`uv run --frozen --group test python -c "import json; from cleaner.publish import json_schema, SCHEMA_VERSION; open(f'tests/data/article.schema.{SCHEMA_VERSION}.json', 'w').write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + chr(10))"`
and keep the old snapshots: they document what consumers of older datasets read.
"""  # noqa: E501 (the command, to copy whole)

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from cleaner.publish import SCHEMA_VERSION, article_record, json_schema
from cleaner.record import Article, Block, BlockKind, Format, Meta, Removal

DATA = Path(__file__).resolve().parent / "data"


def test_schema_matches_the_snapshot_of_its_version():
    snapshot = DATA / f"article.schema.{SCHEMA_VERSION}.json"
    assert snapshot.is_file(), f"no snapshot for schema {SCHEMA_VERSION}: write one (see this file's docstring)"
    assert json_schema() == json.loads(snapshot.read_text(encoding="utf-8")), (
        f"the article record changed but SCHEMA_VERSION is still {SCHEMA_VERSION}: bump it and add a snapshot"
    )


def test_every_snapshot_names_its_own_version():
    for path in DATA.glob("article.schema.*.json"):
        version = path.name.removeprefix("article.schema.").removesuffix(".json")
        assert json.loads(path.read_text(encoding="utf-8"))["version"] == version


def test_a_published_record_has_exactly_the_snapshots_fields():
    """The committed snapshot, not the list the schema is built from: a record as publish writes
    it has the snapshot's properties, all required, in order, and validates against it."""
    snapshot = json.loads((DATA / f"article.schema.{SCHEMA_VERSION}.json").read_text(encoding="utf-8"))
    article = Article(
        id="9f7809881aee89ca", source="feed.jsonl", format=Format.TEXT, input_format="jsonl", record=2,
        encoding="utf-8", blocks=(Block(BlockKind.PARAGRAPH, "The council passed the budget."),),
        removals=(Removal("cookie", "cookie.consent_line", "We use cookies."),),
        meta=Meta(title="Budget passes", published="2024-03-01", language="en", word_count=5, keywords=("budget",)),
        content_hash="a" * 64, story_id="story-9f7809881aee89ca",
    )
    record = article_record(article, duplicates=["1fd4957cd50383e3"])
    assert list(record) == list(snapshot["properties"]) == snapshot["required"]
    jsonschema.Draft202012Validator(snapshot).validate(record)
