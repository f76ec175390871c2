"""The published record shape is versioned: changing it without a new SCHEMA_VERSION fails here.

When the record changes on purpose: bump SCHEMA_VERSION in src/cleaner/publish.py (major for a
removed or retyped field, minor for an added one), then write the new snapshot with
`uv run --frozen --group test python -c "import json; from cleaner.publish import json_schema, SCHEMA_VERSION; open(f'tests/data/article.schema.{SCHEMA_VERSION}.json', 'w').write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + chr(10))"`
and keep the old snapshots: they document what consumers of older datasets read.
"""

from __future__ import annotations

import json
from pathlib import Path

from cleaner.publish import ARTICLE_FIELDS, SCHEMA_VERSION, json_schema

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


def test_record_fields_and_schema_agree():
    assert list(json_schema()["properties"]) == [name for name, _, _ in ARTICLE_FIELDS]
