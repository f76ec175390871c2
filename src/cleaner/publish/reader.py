"""The reader contract in code: a dataset's manifest first, then the files it names (a folder or an object store)."""

from __future__ import annotations

import json
from pathlib import Path

from cleaner import storage
from cleaner.publish.manifest import MANIFEST, data_prefix


def dataset_files(out_dir: Path | str) -> dict[str, str]:
    """The published dataset's files: name -> path (a folder) or URL (an object store), per its manifest.

    The reader contract in code: read the manifest first, then the files it names (their
    sha256 are in manifest["files"]). Raises FileNotFoundError when nothing is published.
    """
    location = storage.open_location(out_dir)
    manifest = json.loads(location.read(MANIFEST))
    prefix = data_prefix(manifest)
    return {name: location.url_of(prefix + name) for name in (*manifest["files"], MANIFEST)}


def published_file(out_dir: Path | str, name: str) -> bytes | None:
    """One file of the dataset published at `out_dir` (per its manifest); None when nothing is
    published there or that dataset has no such file."""
    location = storage.open_location(out_dir)
    try:
        manifest = json.loads(location.read(MANIFEST))
    except FileNotFoundError:
        return None
    if name not in (*manifest["files"], MANIFEST):
        return None
    return location.read(data_prefix(manifest) + name)
