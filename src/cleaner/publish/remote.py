"""A dataset into an object store: an immutable run prefix uploaded, then manifest.json written last as the commit."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from cleaner.discover import Inventory
from cleaner.publish import dataset
from cleaner.publish.errors import PublishError
from cleaner.publish.manifest import DATA_FILES, MANIFEST, data_prefix
from cleaner.record import Article, Reject
from cleaner.storage import ObjectStore, location_error

RUNS = "runs"  # the prefix of the immutable run folders


def publish_objects(
    store: ObjectStore, articles: Iterable[Article], copies: Mapping[str, Sequence[str]],
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
        raise location_error(store.url, exc, "output location") from exc
    foreign = [k for k in existing if k != MANIFEST and not k.startswith(RUNS + "/")]
    if foreign and MANIFEST not in existing:
        raise PublishError(
            f"output {store.url} holds objects but no {MANIFEST} ({foreign[0]} ...): it is not a cleaner "
            "dataset, and publishing would mix with it; choose an empty or new prefix"
        )
    previous = data_prefix(json.loads(store.read(MANIFEST))) if MANIFEST in existing else ""

    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S.%fZ}-{run_id}"  # to the microsecond: two runs in one second sort in order
    prefix = f"{RUNS}/{name}/"
    with tempfile.TemporaryDirectory(prefix="cleaner-publish-") as tmp:
        folder = Path(tmp)
        stats = dataset.write_dataset(folder, articles, copies, rejects, inventory, config, run_id, site_registry,
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
