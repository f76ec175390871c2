"""The reader contract in code: a dataset's manifest first, then the files it names, checked
against its sha256s (a folder or an object store)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
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
    try:
        return read_published(out_dir, (name,)).get(name)
    except FileNotFoundError:
        return None


def read_published(out_dir: Path | str, names: Sequence[str], attempts: int = 3) -> dict[str, bytes]:
    """The named files of one published dataset, each checked against its manifest's sha256.

    A folder's dataset is swapped in whole, but a reader reads one file after another: a
    publish between two reads would hand it files of two runs. So each file read must hash to
    what the manifest read first says; if one does not (or is gone), a publish came between and
    the reader starts over, up to `attempts` times. A name the dataset does not have is left
    out. Raises FileNotFoundError when nothing is published, ValueError when the files never
    match their manifest (a damaged dataset, or publishes faster than the reads)."""
    location = storage.open_location(out_dir)
    for _ in range(max(attempts, 1)):
        raw = location.read(MANIFEST)
        manifest = json.loads(raw)
        files = manifest["files"]
        out: dict[str, bytes] = {}
        try:
            for name in names:
                if name == MANIFEST:
                    out[name] = raw
                elif name in files:
                    out[name] = location.read(data_prefix(manifest) + name)
        except FileNotFoundError:
            continue
        if all(hashlib.sha256(data).hexdigest() == files[name] for name, data in out.items() if name != MANIFEST):
            return out
    raise ValueError(f"the files published at {location.url} do not match their manifest "
                     f"after {max(attempts, 1)} reads")
