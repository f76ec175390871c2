"""cache.batch_key: which settings, inputs and code invalidate a cached batch, and which do not.

A cached batch is the result of `pipeline.clean_batch` (its articles, rejects and dedup
fingerprints), reused by the flow when the key is unchanged. A setting left out of the key
that shapes that result serves stale batches; a setting put in the key that does not shape it
only costs cache hits. Every field of CleanConfig is decided here: adding one without deciding
fails `test_every_setting_is_decided`.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest

from cleaner import cache, pipeline
from cleaner.cache import batch_key, code_version
from cleaner.config import CleanConfig
from cleaner.discover import discover
from cleaner.record import Article, Format
from cleaner.rules import RULES_DIR

RAW = Path(__file__).resolve().parents[1] / "raw"
INPUTS = ("001_6b80a7081952d1ed.txt", "001_6b80a7081952d1ed.txt.meta.json", "003_a0526e677880017e.txt")

# Every setting: another valid value, and whether the cached batch depends on it.
IN_KEY, NOT_IN_KEY = True, False
SETTINGS = {
    # What one document becomes: limits, rules' thresholds, the model, tagging.
    "max_bytes": (2_000, IN_KEY),
    "max_seconds_per_document": (5.0, IN_KEY),  # a document over budget becomes a timeout reject
    "max_html_depth": (50, IN_KEY),
    "max_html_elements": (500, IN_KEY),
    "min_words": (3, IN_KEY),
    "block_model": (False, IN_KEY),
    "second_reading": (False, IN_KEY),
    "keywords": (3, IN_KEY),
    "entities": (False, IN_KEY),
    "words_per_minute": (100, IN_KEY),
    # The batch also holds each article's dedup fingerprint: its shingles, MinHash length and
    # the LSH banding chosen for the threshold are in it.
    "near_duplicate_threshold": (0.5, IN_KEY),
    "containment_threshold": (0.9, IN_KEY),  # with the ratio, the lowest Jaccard the banding is for
    "containment_max_ratio": (2.0, IN_KEY),
    "shingle_size": (3, IN_KEY),
    "num_perm": (64, IN_KEY),
    # Where the inputs are: they enter the key by their path relative to raw/ and their
    # content, so the same files in another folder or a bucket share cached batches.
    "raw_dir": ("/elsewhere/raw", NOT_IN_KEY),
    # Decided after the batches, over the whole run (dedup's decisions, the site pass, publish).
    "containment_min_shingles": (20, NOT_IN_KEY),  # only dedup's decision on a candidate pair
    "story_threshold": (0.5, NOT_IN_KEY),
    "story_window_days": (3, NOT_IN_KEY),
    "site_min_stories": (0, NOT_IN_KEY),
    "out_dir": ("/elsewhere/clean", NOT_IN_KEY),
    "review_articles": (5, NOT_IN_KEY),
    "lock_wait_seconds": (1.0, NOT_IN_KEY),
    # How and where batches run, not what they produce.
    "batch_size": (7, NOT_IN_KEY),  # the articles of a batch are in its key
    "task_runner": ("dask", NOT_IN_KEY),
    "workers": (2, NOT_IN_KEY),
    "dask_address": ("tcp://127.0.0.1:8786", NOT_IN_KEY),
    "full_rebuild": (True, NOT_IN_KEY),  # ignores the cache; the key stays what it is
}
# rules_dir: not its path but its rule files' content is in the key (test_rules_dir_enters_by_content).
BY_CONTENT = {"rules_dir"}


def article(n: int = 1, **fields) -> Article:
    values = {"id": f"id{n}", "source": f"page{n}.html", "format": Format.HTML, "input_format": "html",
              "stamp": f"sha{n}", **fields}
    return Article(**values)


BATCH = [article(1), article(2)]


def test_every_setting_is_decided():
    decided = set(SETTINGS) | BY_CONTENT
    assert set(CleanConfig.model_fields) == decided, (
        "decide whether each new setting changes what a batch produces (tests/test_cache.py SETTINGS, "
        "and cache._NOT_IN_KEY when it does not); a setting was removed: drop it here"
    )


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_a_setting_changes_the_key_exactly_when_the_batch_depends_on_it(name):
    value, in_key = SETTINGS[name]
    base = CleanConfig()
    assert getattr(base, name) != value  # the test changes something
    changed = base.model_copy(update={name: value})
    assert (batch_key(BATCH, changed) != batch_key(BATCH, base)) is in_key


def test_the_key_is_deterministic_and_names_a_clean_batch():
    key = batch_key(BATCH, CleanConfig())
    assert key == batch_key(list(BATCH), CleanConfig())
    assert key.startswith("clean-batch-") and len(key) == len("clean-batch-") + 64


@pytest.mark.parametrize(("change", "in_key"), [
    ({"stamp": "sha9"}, True),  # the page's bytes changed
    ({"sidecar": "side9"}, True),  # its NAME.meta.json changed
    ({"id": "id9"}, True),
    ({"source": "other.html"}, True),
    ({"record": 3}, True),
    ({"offset": 10}, True),
    ({"length": 10}, True),
    ({"stamp": "sha1@size:999"}, False),  # JSON lines: the change stamp after '@' is a check, not content
    ({"text": "already decoded"}, False),  # what a stage fills in is not an input
])
def test_inputs_that_change_the_key(change, in_key):
    base = [article(1, stamp="sha1@size:1"), article(2)]
    changed = [dataclasses.replace(base[0], **change), base[1]]
    assert (batch_key(changed, CleanConfig()) != batch_key(base, CleanConfig())) is in_key


def test_the_order_and_membership_of_a_batch_change_the_key():
    config = CleanConfig()
    assert batch_key(BATCH, config) != batch_key(BATCH[::-1], config)
    assert batch_key(BATCH, config) != batch_key(BATCH[:1], config)


def test_rules_dir_enters_by_content(tmp_path):
    mine, copy = tmp_path / "mine", tmp_path / "copy"
    mine.mkdir()
    (mine / "site.toml").write_text('[[rule]]\nid = "promo.mine"\n', encoding="utf-8")
    shutil.copytree(mine, copy)
    key = {name: batch_key(BATCH, CleanConfig(rules_dir=str(folder))) for name, folder in
           (("mine", mine), ("copy", copy))}
    assert key["mine"] == key["copy"]  # the same rules in another folder
    assert key["mine"] != batch_key(BATCH, CleanConfig())  # packaged rules only
    (mine / "site.toml").write_text('[[rule]]\nid = "promo.mine2"\n', encoding="utf-8")
    assert batch_key(BATCH, CleanConfig(rules_dir=str(mine))) != key["mine"]
    (copy / "more.toml").write_text("", encoding="utf-8")
    assert batch_key(BATCH, CleanConfig(rules_dir=str(copy))) != key["copy"]


def test_code_version_follows_the_package_files_and_nothing_else(tmp_path, monkeypatch):
    package = tmp_path / "cleaner"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", package)

    def version() -> str:
        code_version.cache_clear()
        return code_version()

    try:
        first = version()
        (package / "__pycache__").mkdir(exist_ok=True)
        (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
        (package / "notes.txt").write_text("not code", encoding="utf-8")
        assert version() == first
        rule_file = package / "rules" / sorted(p.name for p in RULES_DIR.glob("*.toml"))[0]
        rule_file.write_bytes(rule_file.read_bytes() + b"\n# a comment changes the file\n")
        assert version() != first
    finally:
        code_version.cache_clear()


def plain(value):
    """A batch result as plain nested tuples, so two can be compared with == (NumPy arrays by value)."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.tolist())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(plain(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, list | tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, plain(v)) for k, v in value.items()))
    return value


def test_plain_compares_arrays_by_value():
    @dataclasses.dataclass
    class Holder:
        values: np.ndarray
        more: tuple

    assert plain(Holder(np.array([1, 2], dtype=np.uint64), ({"a": 1},))) == plain(
        Holder(np.array([1, 2], dtype=np.uint64), ({"a": 1},)))
    assert plain(Holder(np.array([1, 2]), ())) != plain(Holder(np.array([1, 3]), ()))
    assert plain(Holder(np.array([1, 2], dtype=np.uint64), ())) != plain(Holder(np.array([1, 2], dtype=np.int64), ()))


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory) -> tuple[Path, str, tuple]:
    """(raw folder, key, batch) of a small batch cleaned with the defaults (entities off: spaCy
    is slow to load, and the setting is in the key anyway)."""
    raw = tmp_path_factory.mktemp("raw")
    for name in INPUTS:
        shutil.copy(RAW / name, raw)
    return (raw, *clean(CleanConfig(raw_dir=str(raw), entities=False)))


def clean(config: CleanConfig) -> tuple[str, tuple]:
    articles = discover(config.raw_dir).articles
    assert len(articles) == 2
    return batch_key(articles, config), plain(pipeline.clean_batch(articles, config, strict=True))


def test_settings_left_out_of_the_key_do_not_change_a_batch(cleaned, tmp_path):
    """The settings outside the key, all changed at once (the inputs copied to another folder),
    give the same key and the same batch: a cached batch is the batch the run would make."""
    _, base_key, base_batch = cleaned
    for name in INPUTS:
        shutil.copy(RAW / name, tmp_path)
    changed = {name: value for name, (value, in_key) in SETTINGS.items() if not in_key} | {"raw_dir": str(tmp_path)}
    key, batch = clean(CleanConfig(entities=False, **changed))
    assert key == base_key
    assert batch == base_batch


def test_a_setting_in_the_key_can_change_a_batch(cleaned):
    """The check above can fail: num_perm (in the key) changes the fingerprints of the same batch."""
    raw, base_key, base_batch = cleaned
    key, batch = clean(CleanConfig(raw_dir=str(raw), entities=False, num_perm=64))
    assert key != base_key
    assert batch != base_batch
