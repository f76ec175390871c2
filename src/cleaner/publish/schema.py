"""The published article record: its fields, the CSV columns, and the JSON Schema built from them."""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.record import Article

SCHEMA_VERSION = "1.2.1"  # 1.2.1: body's numbered items, fetched_at, encoding and author each in one form
# 1.2.0: updated, the byline's 'Updated' date
# 1.1.0: language may be a three-letter ISO 639-3 code; 1.0.1: story_id described as made
SCHEMA_FILE = "article.schema.json"

# The published article record: name, JSON type, description. One list feeds the CSV column
# order, the JSON objects and the JSON Schema, so the three cannot drift apart.
ARTICLE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("id", "string",
     "Stable article id: sha256 of the source path (and '#line' for a JSON-lines record), first 16 hex digits."),
    ("source", "string", "Input path relative to the raw folder."),
    ("record", "integer|null", "1-based line number inside a JSON-lines file; null for a page file."),
    ("input_format", "string", "Kind of input file: html, text or jsonl."),
    ("format", "string", "Kind of page: html or text."),
    ("encoding", "string", "Character set the input was decoded from, as Python names it ('utf-8', 'cp1252', "
                           "'koi8-r'); a crawler record's is its JSON file's, 'utf-8'."),
    ("url", "string",
     "Page URL from the sidecar, the crawler record or the page's canonical link; empty when unknown."),
    ("site", "string", "Site name; empty when neither the user nor the page states it."),
    ("title", "string", "Headline as the page states it; empty when the page has none (never invented)."),
    ("author", "string", "The (first) author as the page states it, one name in both modes; empty when unknown."),
    ("published", "string", "Publication date, ISO 8601 (YYYY-MM-DD); empty when the page does not state it."),
    ("updated", "string", "Date the page's byline says it was last updated ('Updated', 'Last modified'), ISO 8601 "
                          "(YYYY-MM-DD); empty when it states none. Never stands in for published."),
    ("fetched_at", "string", "When the crawler fetched the page, from the sidecar or record: YYYY-MM-DD, a "
                             "time in UTC ('2024-06-20T08:00:00Z'), or a time without a zone as given."),
    ("section", "string", "Section of the site (from metadata or the breadcrumb); empty when unknown."),
    ("language", "string", "ISO 639-1 code of the body's language, or its ISO 639-3 code where it has no 639-1 "
                             "code (yue, arz, ...); empty when the text is too short or not language."),
    ("word_count", "integer", "Words in the body."),
    ("reading_time_min", "integer", "Minutes to read the body at the configured reading speed."),
    ("keywords", "array", "Key phrases (YAKE), best first."),
    ("people", "array", "People named in the body, most mentioned first (English bodies only)."),
    ("places", "array", "Places named in the body, most mentioned first (English bodies only)."),
    ("organisations", "array", "Organisations named in the body, most mentioned first (English bodies only)."),
    ("content_hash", "string", "sha256 of the body in lower case without punctuation: equal for exact duplicates."),
    ("story_id", "string",
     "Shared by articles about the same story: average-linkage clusters of rarity-weighted names and event places, "
     "within a date window."),
    ("duplicates", "array", "Ids of the articles published in duplicates.csv as copies of this one."),
    ("boilerplate_chars", "integer", "Characters of boilerplate removed from the page."),
    ("boilerplate_categories", "array", "Categories of boilerplate removed, sorted."),
    ("body", "string",
     "The clean text: blocks separated by blank lines, list items as '- ' lines ('1. ' where numbered)."),
)
DUPLICATE_COLUMNS = ("id", "source", "record", "duplicate_of", "kind", "similarity", "story_id", "title", "url",
                     "content_hash")
REJECT_COLUMNS = ("id", "source", "record", "stage", "reason", "detail")


def article_record(article: Article, duplicates: Sequence[str] = ()) -> dict:
    m = article.meta
    return {
        "id": article.id, "source": article.source, "record": article.record,
        "input_format": article.input_format, "format": article.format.value if article.format else "",
        "encoding": article.encoding, "url": m.url, "site": m.site, "title": m.title, "author": m.author,
        "published": m.published, "updated": m.updated, "fetched_at": m.fetched_at, "section": m.section,
        "language": m.language,
        "word_count": m.word_count, "reading_time_min": m.reading_time_min, "keywords": list(m.keywords),
        "people": list(m.people), "places": list(m.places), "organisations": list(m.organisations),
        "content_hash": article.content_hash, "story_id": article.story_id, "duplicates": list(duplicates),
        "boilerplate_chars": sum(len(r.text) for r in article.removals),
        "boilerplate_categories": sorted({r.category for r in article.removals}),
        "body": article.body,
    }


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of one published article record."""
    properties = {}
    for name, kind, description in ARTICLE_FIELDS:
        if kind == "array":
            spec: dict = {"type": "array", "items": {"type": "string"}}
        elif kind == "integer|null":
            spec = {"type": ["integer", "null"], "minimum": 1}
        elif kind == "integer":
            spec = {"type": "integer", "minimum": 0}
        else:
            spec = {"type": kind}
        properties[name] = {**spec, "description": description}
    properties["published"]["pattern"] = properties["updated"]["pattern"] = r"^(\d{4}-\d{2}-\d{2}.*)?$"
    properties["language"]["pattern"] = r"^([a-z]{2,3})?$"
    properties["format"]["enum"] = ["html", "text"]
    properties["input_format"]["enum"] = ["html", "text", "jsonl"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://cleaner.invalid/schema/article/{SCHEMA_VERSION}",
        "title": "cleaner article",
        "description": "One clean article as published in articles.json / articles.jsonl / articles.csv "
                       f"(schema {SCHEMA_VERSION}).",
        "version": SCHEMA_VERSION,
        "type": "object",
        "properties": properties,
        "required": [name for name, _, _ in ARTICLE_FIELDS],
        "additionalProperties": False,
    }
