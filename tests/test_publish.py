"""publish(): records -> CSV/JSON/JSONL + schema + manifest, balanced, deterministic, swapped in whole."""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

import cleaner.publish as publish_module
import cleaner.publish.lock as lock_module
import cleaner.publish.swap as swap_module
import cleaner.publish.writers as writers_module
from cleaner.discover import Inventory, article_id, discover
from cleaner.publish import (
    ARTICLE_FIELDS,
    SCHEMA_FILE,
    PublishError,
    article_record,
    json_schema,
    output_lock,
    publish,
    read_published,
)
from cleaner.record import Block, BlockKind, Format, Meta, Reject, RejectReason, Removal

ALL_FILES = sorted([
    "articles.csv", "articles.json", "articles.jsonl", "duplicates.csv", "rejects.csv",
    "removals.jsonl", "article.schema.json", "site_boilerplate.json", "review.html", "manifest.json",
])
CONFIG = {"max_bytes": 1000, "min_words": 5}
RAW_FILES = {
    "a.html": b"<html><body><p>Budget page</p></body></html>",
    "b.txt": b"Storm text dump",
    "feed.jsonl": b'{"text": "first"}\n{"text": "copy"}\n',
    "scan.pdf": b"%PDF-1.4",
}
BUDGET_BODY = (
    'The council said: "We approved it, finally", after a long debate.\n\n'
    "- roads\n- schools, and libraries\n- \u201cparks\u201d\n\n"
    "Items listed:\nfirst, second\nthird"
)
README = Path(__file__).resolve().parents[1] / "README.md"
PDF_DETAIL = "'.pdf' is not a format we read (.htm, .html, ...)"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, str]:
    """Every file under folder (relative path -> sha256)."""
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


class Corpus:
    """A raw folder on disk, its inventory, and the tagged articles and rejects for it."""

    def __init__(self, root: Path):
        self.raw = root / "raw"
        for name, data in RAW_FILES.items():
            (self.raw / name).parent.mkdir(parents=True, exist_ok=True)
            (self.raw / name).write_bytes(data)
        self.inventory = discover(self.raw)
        found = {(a.source, a.record): a for a in self.inventory.articles}
        self.budget = replace(
            found["a.html", None], format=Format.HTML, encoding="utf-8",
            blocks=(
                Block(BlockKind.TITLE, "Council approves budget"),
                Block(BlockKind.PARAGRAPH, 'The council said: "We approved it, finally", after a long debate.'),
                Block(BlockKind.LIST_ITEM, "roads"),
                Block(BlockKind.LIST_ITEM, "schools, and libraries"),
                Block(BlockKind.LIST_ITEM, "\u201cparks\u201d"),
                Block(BlockKind.PARAGRAPH, "Items listed:\nfirst, second\nthird"),
            ),
            removals=(
                Removal("cookie", "cookie.site_uses_cookies", "We use cookies."),
                Removal("share", "share.buttons", "Share on Facebook"),
            ),
            meta=Meta(
                title="Council approves budget", author="Jane Doe", published="2024-03-01", site="Example News",
                url="https://example.org/budget", fetched_at="2024-03-02T08:00:00Z", language="en",
                word_count=20, reading_time_min=1, keywords=("budget", "council"), people=("Jane Doe",),
                places=("Springfield",), organisations=("City Council",),
            ),
            content_hash="a" * 64, story_id="story-1",
        )
        self.storm = replace(
            found["b.txt", None], format=Format.TEXT, encoding="cp1252",
            blocks=(Block(BlockKind.PARAGRAPH, "A storm hit the coast."),),
            meta=Meta(title="Storm, \u201cworst\u201d in years", language="en", word_count=5),
            content_hash="b" * 64, story_id="story-2",
        )
        self.first = replace(
            found["feed.jsonl", 1], format=Format.TEXT, encoding="utf-8",
            blocks=(Block(BlockKind.HEADING, "Markets"), Block(BlockKind.PARAGRAPH, "Stocks rose.")),
            meta=Meta(title="Markets rise", url="https://feed.example/1"),
            content_hash="c" * 64, story_id="story-3",
        )
        self.copy = replace(
            found["feed.jsonl", 2], format=Format.TEXT, encoding="utf-8",
            blocks=self.budget.blocks, removals=(Removal("cookie", "cookie.site_uses_cookies", "We use cookies."),),
            meta=Meta(title="Council approves budget", url="https://mirror.example/budget"),
            content_hash="a" * 64, story_id="story-1",
            duplicate_of=self.budget.id, duplicate_kind="exact", similarity=1.0,
        )
        [discovered_reject] = self.inventory.rejects
        self.reject = replace(discovered_reject, detail=PDF_DETAIL)
        self.articles = [self.budget, self.storm, self.first, self.copy]
        self.rejects = [self.reject]

    def publish(self, out: Path, run_id: str = "run-1", **changes):
        args = {"articles": self.articles, "rejects": self.rejects, "inventory": self.inventory,
                "out_dir": out, "config": CONFIG, "run_id": run_id, **changes}
        return publish(**args)


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    return Corpus(tmp_path)


@pytest.fixture
def out(corpus, tmp_path) -> Path:
    target = tmp_path / "clean"
    corpus.publish(target)
    return target


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_corpus_inventory_is_what_the_tests_assume(corpus):
    assert corpus.inventory.documents == 5
    assert corpus.reject.reason is RejectReason.UNSUPPORTED_FORMAT
    assert corpus.budget.body == BUDGET_BODY


# --- the files ----------------------------------------------------------------------------


def test_all_files_are_written(out, tmp_path):
    assert sorted(p.name for p in out.iterdir()) == ALL_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "raw"]


def test_report_counts(corpus, tmp_path):
    report = corpus.publish(tmp_path / "clean", run_id="r7")
    assert (report.out_dir, report.run_id) == (str(tmp_path / "clean"), "r7")
    assert report.counts == {"inputs": 5, "files": 4, "published": 3, "duplicates": 1, "rejects": 1}
    assert report.removals_by_category == {"cookie": 2, "share": 1}


def test_articles_json_holds_published_records_in_source_order(corpus, out):
    records = load_json(out / "articles.json")
    assert isinstance(records, list)
    assert [r["id"] for r in records] == [corpus.budget.id, corpus.storm.id, corpus.first.id]
    budget = records[0]
    assert budget == {
        "id": article_id("a.html"), "source": "a.html", "record": None, "input_format": "html",
        "format": "html", "encoding": "utf-8", "url": "https://example.org/budget", "site": "Example News",
        "title": "Council approves budget", "author": "Jane Doe", "published": "2024-03-01", "updated": "",
        "fetched_at": "2024-03-02T08:00:00Z", "section": "", "language": "en", "word_count": 20,
        "reading_time_min": 1, "keywords": ["budget", "council"], "people": ["Jane Doe"],
        "places": ["Springfield"], "organisations": ["City Council"], "content_hash": "a" * 64,
        "story_id": "story-1", "duplicates": [corpus.copy.id],
        "boilerplate_chars": len("We use cookies.Share on Facebook"),
        "boilerplate_categories": ["cookie", "share"], "body": BUDGET_BODY,
    }
    assert (records[2]["record"], records[2]["input_format"], records[2]["body"]) == (
        1, "jsonl", "Markets\n\nStocks rose.")


def test_articles_csv_round_trips_through_plain_read_csv(out):
    frame = pd.read_csv(out / "articles.csv")
    records = load_json(out / "articles.json")
    assert list(frame.columns) == [name for name, _, _ in ARTICLE_FIELDS]
    assert list(frame["id"]) == [r["id"] for r in records]
    assert list(frame["title"]) == [r["title"] for r in records]
    assert list(frame["body"]) == [r["body"] for r in records]
    assert frame["body"][0] == BUDGET_BODY
    assert frame["keywords"][0] == "budget; council"
    assert list(frame["word_count"]) == [20, 5, 0]


def test_articles_csv_reads_as_the_readme_says_with_a_long_body(corpus, tmp_path):
    """Python's csv module needs its field limit raised for a body over 128 KB, and pandas
    needs dtype Int64 to read `record` (empty for a page file) as integers and str to read an id
    of decimal digits alone (1 id in 1,850) as the id: the README says all three."""
    readme = README.read_text(encoding="utf-8")
    recipe = 'dtype={"record": "Int64", "id": str, "duplicate_of": str,\n"duplicates": str}'
    assert recipe in readme and "csv.field_size_limit(2**31 - 1)" in readme
    long_body = (Block(BlockKind.PARAGRAPH, "The storm hit the coast again. " * 5_000),)  # 155 KB
    corpus.storm = replace(corpus.storm, blocks=long_body, id="0210778984349858")
    corpus.articles[1] = corpus.storm
    path = tmp_path / "clean" / "articles.csv"
    corpus.publish(path.parent)

    limit = csv.field_size_limit()
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle, pytest.raises(csv.Error, match="field larger"):
            list(csv.DictReader(handle))
        csv.field_size_limit(2**31 - 1)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    finally:
        csv.field_size_limit(limit)
    assert [r["record"] for r in rows] == ["", "", "1"]  # an integer or empty, never "1.0"
    assert rows[1]["body"] == corpus.storm.body
    frame = pd.read_csv(path, dtype={"record": "Int64", "id": str, "duplicate_of": str, "duplicates": str},
                        keep_default_na=False)
    assert str(frame["record"].dtype) == "Int64" and frame["record"].tolist() == [pd.NA, pd.NA, 1]
    assert frame["body"][1] == corpus.storm.body
    assert frame["id"][1] == "0210778984349858"


def test_csv_files_start_with_a_byte_order_mark(out):
    for name in ("articles.csv", "duplicates.csv", "rejects.csv"):
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf\"id\""), name


def test_articles_jsonl_has_the_same_records(out):
    lines = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == load_json(out / "articles.json")


def test_every_record_validates_against_the_schema(out):
    schema = load_json(out / SCHEMA_FILE)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    records = load_json(out / "articles.json")
    assert len(records) == 3
    for record in records:
        assert [e.message for e in validator.iter_errors(record)] == []
    # The schema does reject what it should, so the loop above is not vacuous.
    assert not validator.is_valid({**records[0], "extra": 1})
    assert not validator.is_valid({**records[0], "published": "March 2024"})
    assert not validator.is_valid({k: v for k, v in records[0].items() if k != "body"})


def test_schema_lists_exactly_the_record_keys(corpus):
    schema = json_schema()
    keys = list(article_record(corpus.budget))
    assert list(schema["properties"]) == keys
    assert schema["required"] == keys
    assert [name for name, _, _ in ARTICLE_FIELDS] == keys
    assert all(spec["description"] for spec in schema["properties"].values())


def test_duplicates_csv_points_at_a_published_id(corpus, out):
    frame = pd.read_csv(out / "duplicates.csv")
    published = {r["id"] for r in load_json(out / "articles.json")}
    assert frame.to_dict("records") == [{
        "id": corpus.copy.id, "source": "feed.jsonl", "record": 2, "duplicate_of": corpus.budget.id,
        "kind": "exact", "similarity": 1.0, "story_id": "story-1", "title": "Council approves budget",
        "url": "https://mirror.example/budget", "content_hash": "a" * 64,
    }]
    assert frame["duplicate_of"][0] in published
    assert corpus.copy.id not in published


def test_rejects_csv_has_reason_and_detail(out):
    frame = pd.read_csv(out / "rejects.csv")
    assert list(frame.columns) == ["id", "source", "record", "stage", "reason", "detail"]
    [row] = frame.to_dict("records")
    assert (row["id"], row["source"], row["stage"], row["reason"], row["detail"]) == (
        article_id("scan.pdf"), "scan.pdf", "discover", "unsupported_format", PDF_DETAIL)
    assert pd.isna(row["record"])


def test_removals_jsonl_lists_every_cut(corpus, out):
    lines = [json.loads(line) for line in (out / "removals.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {"article_id": corpus.budget.id, "source": "a.html", "category": "cookie",
         "rule_id": "cookie.site_uses_cookies", "chars": 15, "text": "We use cookies."},
        {"article_id": corpus.budget.id, "source": "a.html", "category": "share",
         "rule_id": "share.buttons", "chars": 17, "text": "Share on Facebook"},
        {"article_id": corpus.copy.id, "source": "feed.jsonl", "category": "cookie",
         "rule_id": "cookie.site_uses_cookies", "chars": 15, "text": "We use cookies."},
    ]


# --- the manifest -------------------------------------------------------------------------


def test_manifest_balances_and_lists_inputs(corpus, out):
    manifest = load_json(out / "manifest.json")
    counts = manifest["counts"]
    assert counts == {"inputs": 5, "files": 4, "published": 3, "duplicates": 1, "rejects": 1}
    assert counts["inputs"] == counts["published"] + counts["duplicates"] + counts["rejects"]
    assert manifest["inputs"] == [
        {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
         "documents": 2 if name == "feed.jsonl" else 1}
        for name, data in sorted(RAW_FILES.items())
    ]
    assert (manifest["run_id"], manifest["config"]) == ("run-1", CONFIG)
    assert manifest["removals_by_category"] == {"cookie": 2, "share": 1}


def test_manifest_file_hashes_match_the_files(out):
    files = load_json(out / "manifest.json")["files"]
    assert sorted(files) == [name for name in ALL_FILES if name != "manifest.json"]
    for name, digest in files.items():
        assert sha256(out / name) == digest, name


# --- determinism --------------------------------------------------------------------------


def test_same_inputs_give_byte_identical_data_files(corpus, tmp_path):
    corpus.publish(tmp_path / "one", run_id="run-1")
    corpus.publish(tmp_path / "two", run_id="run-2", articles=list(reversed(corpus.articles)))
    one, two = listing(tmp_path / "one"), listing(tmp_path / "two")
    assert one.pop("manifest.json") != two.pop("manifest.json")
    assert one == two
    assert len(one) == 9
    one, two = (load_json(tmp_path / name / "manifest.json")["files"] for name in ("one", "two"))
    assert one == two


# --- refusing to publish ------------------------------------------------------------------


def test_count_mismatch_raises_and_leaves_published_folder_untouched(corpus, out, tmp_path):
    before, parent = listing(out), sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(PublishError, match="5 inputs but 3 published \\+ 1 duplicates \\+ 0 rejects"):
        corpus.publish(out, run_id="run-2", rejects=[])
    assert listing(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == parent


def test_extra_article_is_a_count_mismatch(corpus, tmp_path):
    stray = replace(corpus.storm, id="stray", source="stray.txt")
    with pytest.raises(PublishError, match="refusing to publish"):
        corpus.publish(tmp_path / "clean", articles=corpus.articles + [stray])
    assert not (tmp_path / "clean").exists()


def test_id_published_twice_raises(corpus, tmp_path):
    clash = Reject(article_id=corpus.budget.id, source="other.html", record=None, stage="read",
                   reason=RejectReason.UNREADABLE, detail="could not read the file")
    inventory = Inventory(corpus.inventory.files, corpus.inventory.articles, corpus.inventory.rejects + [clash])
    with pytest.raises(PublishError, match=corpus.budget.id):
        corpus.publish(tmp_path / "clean", rejects=corpus.rejects + [clash], inventory=inventory)
    assert not (tmp_path / "clean").exists()


def test_non_empty_folder_without_manifest_is_refused(corpus, tmp_path):
    target = tmp_path / "clean"
    target.mkdir()
    (target / "notes.txt").write_text("my own notes\n")
    (target / "sub").mkdir()
    (target / "sub" / "data.csv").write_text("a,b\n")
    before, parent = listing(target), sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(PublishError, match=r"no manifest\.json"):
        corpus.publish(target)
    assert listing(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == parent


@pytest.mark.parametrize(("manifest", "extra", "says"), [
    ('{"name": "my web app", "start_url": "/"}', {}, "not a cleaner dataset's"),  # a web app's manifest
    ("{not json", {}, "cannot be read"),
    (None, {"notes.txt": "my own notes\n", ".DS_Store": "Finder's"}, "not its dataset's: notes.txt:"),
])
def test_a_folder_that_is_not_only_a_dataset_is_refused(corpus, tmp_path, manifest, extra, says):
    target = tmp_path / "clean"
    corpus.publish(target)
    if manifest is not None:
        for path in target.iterdir():
            path.unlink()
        (target / "manifest.json").write_text(manifest)
        (target / "src").mkdir()
        (target / "src" / "main.js").write_text("important work\n")
    for name, text in extra.items():
        (target / name).write_text(text)
    before = listing(target)
    with pytest.raises(PublishError, match=re.escape(says)):
        corpus.publish(target)
    assert listing(target) == before


def test_a_file_managers_metadata_in_a_dataset_is_no_reason_to_refuse(corpus, out):
    (out / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")  # macOS Finder, once the folder is opened
    corpus.publish(out, run_id="run-2")
    assert load_json(out / "manifest.json")["run_id"] == "run-2"


def test_file_at_the_output_path_is_refused(corpus, tmp_path):
    (tmp_path / "clean").write_text("not a folder")
    with pytest.raises(PublishError, match="not a folder"):
        corpus.publish(tmp_path / "clean")
    assert (tmp_path / "clean").read_text() == "not a folder"


def test_empty_folder_is_published_into(corpus, tmp_path):
    (tmp_path / "clean").mkdir()
    corpus.publish(tmp_path / "clean")
    assert sorted(p.name for p in (tmp_path / "clean").iterdir()) == ALL_FILES


# --- replacing an earlier dataset ---------------------------------------------------------


def _old_dataset_file(out, name):
    """A file an older dataset wrote and its manifest lists (a data file since renamed)."""
    (out / name).write_text("only in the old dataset\n")
    manifest = load_json(out / "manifest.json")
    manifest["files"][name] = "0" * 64
    (out / "manifest.json").write_text(json.dumps(manifest))


def test_republish_replaces_the_old_dataset_completely(corpus, out, tmp_path):
    _old_dataset_file(out, "stale.csv")
    fewer = [corpus.budget, corpus.first, corpus.copy]
    inventory = Inventory(corpus.inventory.files, fewer, corpus.inventory.rejects + [_storm_reject(corpus)])
    corpus.publish(out, run_id="run-2", articles=fewer, rejects=corpus.rejects + [_storm_reject(corpus)],
                   inventory=inventory)
    assert sorted(p.name for p in out.iterdir()) == ALL_FILES
    assert load_json(out / "manifest.json")["run_id"] == "run-2"
    assert [r["id"] for r in load_json(out / "articles.json")] == [corpus.budget.id, corpus.first.id]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "raw"]


def test_republish_without_atomic_exchange_leaves_nothing_behind(corpus, out, tmp_path, monkeypatch):
    monkeypatch.setattr(swap_module, "_exchange", lambda a, b: False)
    _old_dataset_file(out, "stale.csv")
    corpus.publish(out, run_id="run-2")
    assert sorted(p.name for p in out.iterdir()) == ALL_FILES
    assert load_json(out / "manifest.json")["run_id"] == "run-2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "raw"]


def test_a_dataset_left_aside_by_a_run_killed_between_two_renames_is_put_back(corpus, out, tmp_path, monkeypatch):
    monkeypatch.setattr(swap_module, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def killed_after_the_first(src, dst):
        real_rename(src, dst)
        if Path(dst).name.startswith(".clean.old-"):
            raise KeyboardInterrupt

    before = listing(out)
    monkeypatch.setattr(swap_module.os, "rename", killed_after_the_first)
    with pytest.raises(KeyboardInterrupt):
        corpus.publish(out, run_id="run-2")
    monkeypatch.setattr(swap_module.os, "rename", real_rename)
    assert not out.exists() and len(list(tmp_path.glob(".clean.old-*"))) == 1
    with output_lock(out, 0):  # the next run, before it cleans anything: the last dataset is back
        assert listing(out) == before
    corpus.publish(out, run_id="run-3")
    assert load_json(out / "manifest.json")["run_id"] == "run-3"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".clean.lock", "clean", "raw"]


def test_leftovers_are_matched_by_name_not_as_a_glob_pattern(corpus, tmp_path):
    other = tmp_path / ".clean1.staging-run-9"  # another output's run in progress
    other.mkdir()
    corpus.publish(tmp_path / "clean[1]", run_id="run-1")
    assert other.is_dir()


def test_the_output_folder_given_as_dot_is_published_by_its_name(corpus, out, tmp_path, monkeypatch):
    monkeypatch.chdir(out)
    with output_lock(".", 0):
        corpus.publish(Path("."), run_id="run-2")
    assert sorted(p.name for p in out.iterdir()) == ALL_FILES  # no lock or staging folder inside
    assert load_json(out / "manifest.json")["run_id"] == "run-2"
    assert (tmp_path / ".clean.lock").exists()


def test_a_reader_never_gets_files_of_two_runs(corpus, out, monkeypatch):
    """A publish between a reader's two reads: read_published notices (the second file does not
    hash to the manifest it read first) and reads the new dataset whole."""
    from cleaner import storage

    real_read = storage.Folder.read
    reads = []

    def publish_after_the_first_file(self, key):
        data = real_read(self, key)
        reads.append(key)
        if reads == ["manifest.json", "articles.csv"]:
            fewer = [corpus.budget, corpus.first, corpus.copy]
            corpus.publish(out, run_id="run-2", articles=fewer, rejects=corpus.rejects + [_storm_reject(corpus)],
                           inventory=Inventory(corpus.inventory.files, fewer,
                                               corpus.inventory.rejects + [_storm_reject(corpus)]))
        return data

    monkeypatch.setattr(storage.Folder, "read", publish_after_the_first_file)
    files = read_published(out, ["articles.csv", "articles.json", "manifest.json"])
    assert json.loads(files["manifest.json"])["run_id"] == "run-2"
    assert len(json.loads(files["articles.json"])) == 2
    assert files["articles.csv"] == (out / "articles.csv").read_bytes()
    assert read_published(out, ["no-such-file"]) == {}


def test_a_dataset_whose_files_never_match_its_manifest_is_refused(corpus, out):
    (out / "articles.json").write_text("[]")
    with pytest.raises(ValueError, match="do not match their manifest"):
        read_published(out, ["articles.json"])


def test_leftover_staging_folder_of_the_same_run_is_replaced(corpus, tmp_path):
    staging = tmp_path / ".clean.staging-run-1"
    staging.mkdir()
    (staging / "junk.txt").write_text("from a crashed run")
    corpus.publish(tmp_path / "clean", run_id="run-1")
    assert sorted(p.name for p in (tmp_path / "clean").iterdir()) == ALL_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "raw"]


# --- an output the system refuses to write ----------------------------------------------------
# The tests may run as root, where chmod stops no write: here the system's answer is raised with
# its errno; tests/flows/test_output_errors.py makes the real ones in a private mount namespace.


def fail_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


def test_a_full_disk_is_one_sentence_and_the_previous_dataset_stays(corpus, out, tmp_path, monkeypatch):
    before = listing(out)
    monkeypatch.setattr(writers_module.CsvWriter, "flush", fail_with(errno.ENOSPC))
    with pytest.raises(PublishError, match=f"^cannot publish to {re.escape(str(out))}: no space left on the device "
                                           f"that holds {re.escape(str(tmp_path))}$"):
        corpus.publish(out, run_id="run-2")
    assert listing(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "raw"]  # no staging folder


@pytest.mark.parametrize(("code", "cause"), [
    (errno.EROFS, "{parent} is on a read-only file system"),
    (errno.EACCES, "no permission to write in {parent}"),
])
def test_a_folder_that_refuses_writes_is_one_sentence(corpus, out, tmp_path, monkeypatch, code, cause):
    before = listing(out)
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self.name.startswith(".clean.staging"):
            raise OSError(code, os.strerror(code), str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    expected = f"cannot publish to {out}: " + cause.format(parent=tmp_path)
    with pytest.raises(PublishError, match=f"^{re.escape(expected)}$"):
        corpus.publish(out, run_id="run-2")
    assert listing(out) == before


def test_a_failed_swap_removes_the_staging_folder(corpus, out, tmp_path, monkeypatch):
    before = listing(out)
    monkeypatch.setattr(swap_module, "_exchange", fail_with(errno.EBUSY))
    with pytest.raises(PublishError, match=f"cannot publish to {re.escape(str(out))}: .*mount point"):
        corpus.publish(out, run_id="run-2")
    assert listing(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "raw"]


def test_a_failed_second_rename_puts_the_previous_dataset_back(corpus, out, tmp_path, monkeypatch):
    before = listing(out)
    monkeypatch.setattr(swap_module, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def rename(src, dst):
        if ".staging-" in str(src):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(src))
        return real_rename(src, dst)

    monkeypatch.setattr(swap_module.os, "rename", rename)
    with pytest.raises(PublishError, match=f"cannot publish to {re.escape(str(out))}: Input/output error"):
        corpus.publish(out, run_id="run-2")
    assert listing(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean", "raw"]


def test_a_run_that_could_not_publish_fails_when_it_takes_the_lock(tmp_path, monkeypatch):
    """Before any article is cleaned: a mount point, a read-only dataset, a folder that refuses writes."""
    out = tmp_path / "clean"
    out.mkdir()
    monkeypatch.setattr(swap_module.os.path, "ismount", lambda path: Path(path) == out)
    with pytest.raises(PublishError, match=f"^cannot publish to {re.escape(str(out))}: it is a mount point"):
        with output_lock(out, 0):
            pass
    monkeypatch.undo()
    monkeypatch.setattr(swap_module.os, "access", lambda path, mode: Path(path) != out)
    with pytest.raises(PublishError, match=f"^cannot publish to {re.escape(str(out))}: the folder is read-only"):
        with output_lock(out, 0):
            pass
    monkeypatch.undo()
    monkeypatch.setattr(swap_module.tempfile, "mkdtemp", fail_with(errno.EROFS))
    with pytest.raises(PublishError, match=f"^cannot publish to {re.escape(str(out))}: "
                                           f"{re.escape(str(tmp_path))} is on a read-only file system$"):
        with output_lock(out, 0):
            pass
    monkeypatch.undo()
    monkeypatch.setattr(lock_module, "open", fail_with(errno.EACCES), raising=False)
    with pytest.raises(PublishError, match=f"no permission to write in {re.escape(str(tmp_path))}$"):
        with output_lock(out, 0):
            pass
    monkeypatch.undo()
    with output_lock(out, 0):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == [".clean.lock", "clean"]


def _storm_reject(corpus: Corpus) -> Reject:
    return Reject(article_id=corpus.storm.id, source="b.txt", record=None, stage="strip",
                  reason=RejectReason.EMPTY_AFTER_STRIP, detail="only 3 words left after stripping")


# --- streaming: publish_stream reads each article once, in order --------------------------------


def test_chunked_csv_equals_one_write(corpus, tmp_path, monkeypatch):
    """CSV files are written a chunk of rows at a time; chunk edges change no byte."""
    corpus.publish(tmp_path / "whole")
    monkeypatch.setattr(writers_module.CsvWriter, "CHUNK", 1)
    corpus.publish(tmp_path / "chunks")
    for name in ("articles.csv", "duplicates.csv", "rejects.csv", "articles.json", "articles.jsonl"):
        assert (tmp_path / "whole" / name).read_bytes() == (tmp_path / "chunks" / name).read_bytes(), name


def test_articles_json_is_what_json_dump_writes(corpus, out):
    """articles.json is streamed record by record, byte for byte what json.dump(list, indent=1) gives."""
    records = json.loads((out / "articles.json").read_text(encoding="utf-8"))
    expected = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    assert (out / "articles.json").read_text(encoding="utf-8") == expected


def test_stream_is_read_once_and_lazily(corpus, tmp_path):
    """publish_stream pulls articles one at a time from an iterator (never a list of them all)."""
    ordered = sorted(corpus.articles, key=lambda a: (a.source, a.record or 0))
    pulled = []

    def stream():
        for a in ordered:
            pulled.append(a.id)
            yield a

    copies = publish_module.duplicate_map((a.id, a.duplicate_of) for a in ordered)
    report = publish_module.publish_stream(stream(), copies, corpus.rejects, corpus.inventory, tmp_path / "clean",
                                           CONFIG, "run-1")
    assert pulled == [a.id for a in ordered]
    assert report.counts["published"] + report.counts["duplicates"] == len(ordered)
    assert report.duplicates == [{"canonical": "a.html", "duplicate": "feed.jsonl#2", "kind": "exact",
                                  "similarity": 1.0, "title": corpus.copy.meta.title}]


def test_stream_out_of_order_is_refused_and_leaves_no_staging(corpus, tmp_path):
    backwards = sorted(corpus.articles, key=lambda a: (a.source, a.record or 0), reverse=True)
    copies = publish_module.duplicate_map((a.id, a.duplicate_of) for a in backwards)
    with pytest.raises(PublishError, match="out of order"):
        publish_module.publish_stream(iter(backwards), copies, corpus.rejects, corpus.inventory, tmp_path / "clean",
                                      CONFIG, "run-1")
    assert not any(p.name.startswith(".clean.staging") for p in tmp_path.iterdir())
