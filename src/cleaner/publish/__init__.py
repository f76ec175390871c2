"""Records -> CSV/JSON datasets + schema + manifest + removals + rejects, published whole or not at all.

Everything is written into a staging folder beside the output folder, checked, then swapped
with the published one in a single rename (Linux renameat2 RENAME_EXCHANGE, `swap.py`), so a
reader sees the old dataset or the new one, never a mix. Data files hold no clock or run id:
the same inputs and configuration give byte-identical data files; only manifest.json names the run.

An object store has no rename, so there a dataset is published as an immutable run prefix
and a pointer written last (`remote.py`):

    OUT/runs/<UTC time>-<run id>/   the data files and a copy of the manifest, never changed
    OUT/manifest.json               written last, in one PUT: the commit point; its "data" names
                                    the run prefix, its "files" the sha256 of every data file

A reader reads OUT/manifest.json first, then the files under OUT/<data> (and may check them
against "files"): it sees one complete dataset, never a mix, even while a run is publishing.
A folder is swapped in whole, but a publish can come between a reader's reads of two files:
`read_published()` checks each against the manifest's sha256 and reads again if one came.
`dataset_files()` names the files for both kinds of location (`reader.py`).

One file per job: `lock.py` (one run at a time), `schema.py` (the record and its JSON Schema),
`writers.py` (CSV, JSON, JSON lines), `stats.py` (the run summary's figures), `dataset.py`
(every file in one pass, checked), `manifest.py`, `swap.py` (folders), `remote.py` (object
stores), `reader.py`, `errors.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from cleaner import sites, storage
from cleaner.discover import Inventory
from cleaner.publish.errors import OutputLocked, PublishError
from cleaner.publish.lock import output_lock
from cleaner.publish.manifest import DATA_FILES, MANIFEST, SITE_FILE
from cleaner.publish.reader import dataset_files, published_file, read_published
from cleaner.publish.remote import RUNS, publish_objects
from cleaner.publish.schema import (
    ARTICLE_FIELDS,
    DUPLICATE_COLUMNS,
    REJECT_COLUMNS,
    SCHEMA_FILE,
    SCHEMA_VERSION,
    article_record,
    json_schema,
)
from cleaner.publish.stats import PublishReport, RemovalStats
from cleaner.publish.swap import publish_folder, swap_in
from cleaner.publish.writers import LIST_SEPARATOR, neutralise_formula
from cleaner.record import Article, Reject

__all__ = [
    "ARTICLE_FIELDS", "DATA_FILES", "DUPLICATE_COLUMNS", "LIST_SEPARATOR", "MANIFEST", "REJECT_COLUMNS", "RUNS",
    "SCHEMA_FILE", "SCHEMA_VERSION", "SITE_FILE", "OutputLocked", "PublishError", "PublishReport", "RemovalStats",
    "article_record", "dataset_files", "duplicate_map", "json_schema", "neutralise_formula", "output_lock",
    "publish", "publish_stream", "published_file", "read_published", "swap_in",
]


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
    ordered = sorted(rejects, key=lambda r: (r.source, r.record or 0))
    location = storage.open_location(out_dir)
    # The one place the two kinds part: a folder has an atomic rename, an object store a last PUT.
    if isinstance(location, storage.Folder):
        stats = publish_folder(location.root, articles, copies, ordered, inventory, config, run_id, site_registry)
    else:
        stats = publish_objects(location, articles, copies, ordered, inventory, config, run_id, site_registry)
    return PublishReport(location.url, run_id, **stats)
