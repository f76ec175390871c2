"""Object-store locations (cleaner.storage) through fsspec's in-memory filesystem: discovery,
reading, change checks and the publish contract (run prefix, manifest written last)."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from pathlib import Path

import fsspec
import pytest

from cleaner import storage
from cleaner.config import CleanConfig
from cleaner.discover import discover, read
from cleaner.publish import DATA_FILES, PublishError, dataset_files
from cleaner.record import Article, Reject, RejectReason
from cleaner.run import run
from cleaner.storage import StorageError, TransientReadError

RAW = Path(__file__).resolve().parents[1] / "raw"
MEM = fsspec.filesystem("memory")


@pytest.fixture
def bucket():
    """A fresh memory:// prefix per test (the memory filesystem is shared by the process)."""
    name = f"/t-{uuid.uuid4().hex[:8]}"
    yield name
    if MEM.exists(name):
        MEM.rm(name, recursive=True)


def put(prefix: str, files: dict[str, bytes]) -> str:
    for key, data in files.items():
        MEM.pipe_file(f"{prefix}/{key}", data)
    return f"memory://{prefix}"


def mirror(folder: Path, files: dict[str, bytes]) -> Path:
    for key, data in files.items():
        (folder / key).parent.mkdir(parents=True, exist_ok=True)
        (folder / key).write_bytes(data)
    return folder


SAMPLE = {
    "a.html": b"<html><body><p>page</p></body></html>",
    "a.html.meta.json": b'{"url": "https://example.org/a", "site": "Example"}',
    "sub/b.txt": b"plain text",
    "feed.jsonl": b'{"url": "https://e.org/u1", "text": "one"}\n\n{"url": "https://e.org/u2", "html": "<p>two</p>"}\n',
    "notes.pdf": b"%PDF-1.4",
    ".hidden/c.txt": b"skip me",
    "sub/.d.txt": b"skip me too",
}


def test_locations_tell_folders_from_urls():
    assert storage.is_remote("s3://bucket/raw") and storage.is_remote("memory://x")
    assert not storage.is_remote("raw") and not storage.is_remote(Path("/data/raw"))
    assert not storage.is_remote("file:///data/raw")  # a folder, with every local guarantee
    assert storage.local_path("file:///data/raw") == Path("/data/raw")
    assert storage.absolute("s3://bucket/raw/") == "s3://bucket/raw"


def test_object_inventory_equals_the_folder_inventory(bucket, tmp_path):
    """Same layout, same ids, files, checksums, order and rejects; only the change stamps differ."""
    url = put(bucket, SAMPLE)
    objects, folder = discover(url), discover(mirror(tmp_path, SAMPLE))
    assert objects.files == folder.files
    assert objects.rejects == folder.rejects
    assert objects.skipped == folder.skipped
    assert [s.path for s in objects.skipped] == [".hidden/", "sub/.d.txt"]
    strip = lambda arts: [(a.id, a.source, a.record, a.offset, a.length, a.sidecar, a.stamp.partition("@")[0])  # noqa: E731
                          for a in arts]
    assert strip(objects.articles) == strip(folder.articles)
    assert {a.source for a in objects.articles} == {"a.html", "sub/b.txt", "feed.jsonl"}
    assert [r.reason for r in objects.rejects] == [RejectReason.UNSUPPORTED_FORMAT]


def test_read_objects_with_sidecar_and_records(bucket):
    url = put(bucket, SAMPLE)
    inventory = discover(url)
    got = {(a.source, a.record): read(a, url, 10_000) for a in inventory.articles}
    page = got[("a.html", None)]
    assert page.raw == SAMPLE["a.html"] and page.hints.url == "https://example.org/a"
    assert got[("feed.jsonl", 3)].raw == b"<p>two</p>" and got[("feed.jsonl", 3)].hints.url == "https://e.org/u2"


def test_changed_object_is_a_changed_during_run_reject(bucket):
    url = put(bucket, SAMPLE)
    inventory = discover(url)
    MEM.pipe_file(f"{bucket}/a.html", b"<html><body><p>edited</p></body></html>")
    MEM.pipe_file(f"{bucket}/feed.jsonl",
                  b'{"url": "https://e.org/u1", "text": "ONE"}\n\n{"url": "https://e.org/u2", "html": "<p>two</p>"}\n')
    got = {(a.source, a.record): read(a, url, 10_000) for a in inventory.articles}
    assert got[("a.html", None)].reason is RejectReason.CHANGED
    assert got[("feed.jsonl", 1)].reason is RejectReason.CHANGED
    assert isinstance(got[("feed.jsonl", 3)], Article)  # this record's bytes are what was listed
    assert isinstance(got[("sub/b.txt", None)], Article)


def test_vanished_large_and_broken_sidecar_objects_are_rejects(bucket):
    url = put(bucket, {"big.txt": b"x" * 5000, "gone.txt": b"text", "p.html": b"<p>x</p>",
                       "p.html.meta.json": b"{not json"})
    inventory = discover(url)
    MEM.rm(f"{bucket}/gone.txt")
    got = {a.source: read(a, url, 1000) for a in inventory.articles}
    assert got["big.txt"].reason is RejectReason.TOO_LARGE
    assert got["gone.txt"].reason is RejectReason.UNREADABLE
    assert got["p.html"].reason is RejectReason.BAD_RECORD and "p.html.meta.json" in got["p.html"].detail


def test_empty_or_missing_raw_location_is_a_clear_error(bucket):
    with pytest.raises(StorageError, match="holds no objects"):
        discover(f"memory://{bucket}/nothing-here")
    with pytest.raises(StorageError, match="cannot open nosuchproto://x"):
        discover("nosuchproto://x/raw")


def test_network_errors_are_transient_and_credentials_errors_are_clear():
    class BotoCoreError(Exception):  # botocore's classes are matched by name, through the bases
        pass

    class NoCredentialsError(BotoCoreError):
        pass

    class Endpoint(BotoCoreError):
        pass

    with pytest.raises(TransientReadError), storage.translate_errors("s3://b/k", "read"):
        raise Endpoint("could not connect")
    with pytest.raises(TransientReadError), storage.translate_errors("s3://b/k", "read"):
        raise ConnectionResetError("reset")
    with pytest.raises(StorageError, match=r"no credentials found.*AWS_ACCESS_KEY_ID"), \
            storage.translate_errors("s3://b/k", "list"):
        raise NoCredentialsError("Unable to locate credentials")
    with pytest.raises(FileNotFoundError), storage.translate_errors("s3://b/k", "read"):
        raise FileNotFoundError("gone")  # one object: the caller makes it a reject
    with pytest.raises(ValueError, match="a bug stays a bug"), storage.translate_errors("s3://b/k", "read"):
        raise ValueError("a bug stays a bug")


@pytest.fixture(scope="module")
def seeds_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("seeds")
    for seed in sorted(RAW.glob("00[0-2]*")):
        shutil.copy(seed, raw)
    return raw


def published(url: str) -> dict[str, bytes]:
    files = dataset_files(url)
    return {name: fsspec.open(path, "rb").open().read() if storage.is_remote(path) else Path(path).read_bytes()
            for name, path in files.items()}


def test_publish_to_an_object_store_commits_with_the_manifest_last(bucket, seeds_raw, tmp_path):
    config = dict(raw_dir=str(seeds_raw), entities=False, batch_size=2)
    local = run(CleanConfig(out_dir=str(tmp_path / "clean"), **config), strict=True, run_id="r1")
    out = f"memory://{bucket}/clean"
    first = run(CleanConfig(out_dir=out, **config), strict=True, run_id="r1")
    assert first.report.counts == local.report.counts

    files = published(out)
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["data"].startswith("runs/") and manifest["data"].endswith("-r1/")
    assert sorted(files) == sorted(DATA_FILES)
    assert {n: hashlib.sha256(b).hexdigest() for n, b in files.items()} == manifest["files"]
    local_files = published(str(tmp_path / "clean"))
    local_files.pop("manifest.json")
    assert files == local_files  # byte-identical data files, folder or bucket
    # The run prefix holds its own copy of the manifest; the root one is the pointer.
    copy, pointer = (MEM.cat_file(f"{bucket}/clean/{name}") for name in (f"{manifest['data']}manifest.json",
                                                                          "manifest.json"))
    assert copy == pointer

    # Two more runs: the previous dataset stays readable for one publish cycle, older ones go.
    second = run(CleanConfig(out_dir=out, **config), strict=True, run_id="r2")
    third = run(CleanConfig(out_dir=out, **config), strict=True, run_id="r3")
    assert second.report.counts == third.report.counts == first.report.counts
    runs = sorted(p.rsplit("-", 1)[-1] for p in MEM.ls(f"{bucket}/clean/runs", detail=False))
    assert runs == ["r2", "r3"]
    assert json.loads(MEM.cat_file(f"{bucket}/clean/manifest.json"))["run_id"] == "r3"


def test_runs_within_one_second_keep_their_order(bucket, seeds_raw, monkeypatch):
    """Run folders sort oldest first, and the pruning relies on it, even when two runs publish in
    the same second and the later one's id sorts first (a cached rerun takes well under a second)."""
    from datetime import UTC, datetime

    import cleaner.publish.remote as remote

    ticks = iter(range(1, 10))

    class SameSecond(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 11, 30, 14, 38, 14, next(ticks), tzinfo=UTC)

    monkeypatch.setattr(remote, "datetime", SameSecond)
    config = dict(raw_dir=str(seeds_raw), entities=False, batch_size=2)
    out = f"memory://{bucket}/clean"
    for run_id in ("z-first", "m-second", "a-third"):
        run(CleanConfig(out_dir=out, **config), strict=True, run_id=run_id)
    runs = sorted(MEM.ls(f"{bucket}/clean/runs", detail=False))
    assert [p.rsplit("Z-", 1)[-1] for p in runs] == ["m-second", "a-third"]  # the first pruned, in order
    assert json.loads(MEM.cat_file(f"{bucket}/clean/manifest.json"))["run_id"] == "a-third"


def test_a_run_killed_before_its_commit_changes_nothing_a_reader_sees(bucket, seeds_raw, monkeypatch):
    import cleaner.publish as publish_module

    config = dict(raw_dir=str(seeds_raw), entities=False, batch_size=2)
    out = f"memory://{bucket}/clean"
    run(CleanConfig(out_dir=out, **config), strict=True, run_id="good")
    before = published(out)
    real_write = storage.ObjectStore.write

    def die_at_commit(self, key, data):
        if key == "manifest.json":
            raise KeyboardInterrupt("killed")
        real_write(self, key, data)

    monkeypatch.setattr(storage.ObjectStore, "write", die_at_commit)
    with pytest.raises(KeyboardInterrupt):
        run(CleanConfig(out_dir=out, **config), strict=True, run_id="killed")
    monkeypatch.undo()
    assert published(out) == before  # its run prefix exists, but the manifest never named it
    run(CleanConfig(out_dir=out, **config), strict=True, run_id="next")
    assert json.loads(published(out)["manifest.json"])["run_id"] == "next"
    assert publish_module.RUNS == "runs"


def test_publish_refuses_a_prefix_that_is_not_a_dataset(bucket, seeds_raw):
    put(f"{bucket}/clean", {"someone-elses.csv": b"a,b\n"})
    with pytest.raises(PublishError, match="not a cleaner dataset"):
        run(CleanConfig(raw_dir=str(seeds_raw), out_dir=f"memory://{bucket}/clean", entities=False), run_id="x")


def test_raw_objects_run_end_to_end_with_bad_objects_as_rejects(bucket, tmp_path):
    files = {p.name: p.read_bytes() for p in sorted(RAW.glob("00[0-1]*"))}
    files.update({"empty.txt": b"", "image.html": b"\x89PNG\r\n\x1a\n" + bytes(200)})
    url = put(f"{bucket}/raw", files)
    result = run(CleanConfig(raw_dir=url, out_dir=str(tmp_path / "clean"), entities=False), run_id="x")
    reasons = {r.source: r.reason for r in result.rejects}
    assert reasons == {"empty.txt": RejectReason.EMPTY, "image.html": RejectReason.BINARY}
    assert all(isinstance(r, Reject) for r in result.rejects)
    local = discover(mirror(tmp_path / "raw", files))
    assert set(result.article_ids) | {r.article_id for r in result.rejects} == (
        {a.id for a in local.articles} | {r.article_id for r in local.rejects})


def test_an_object_the_store_cannot_serve_is_its_own_reject_not_a_failed_discovery(bucket, monkeypatch):
    """A key that keeps answering with a reset connection (a persistent 5xx) is tried three times,
    then rejected unreadable; a key that fails once is read on its second try. The listing
    itself is not at fault, so discovery goes on."""
    from fsspec.implementations.memory import MemoryFileSystem

    from cleaner import discover as discover_module

    url = put(bucket, {"a.txt": b"One story. " * 20, "bad.html": b"<p>x</p>", "flaky.txt": b"Another story. " * 20})
    tries = {"bad.html": 0, "flaky.txt": 0}
    real_open = MemoryFileSystem._open

    def failing(self, path, *args, **kwargs):
        name = path.rsplit("/", 1)[-1]
        if name in tries:
            tries[name] += 1
            if name == "bad.html" or tries[name] == 1:
                raise ConnectionError("connection reset by peer")
        return real_open(self, path, *args, **kwargs)

    monkeypatch.setattr(MemoryFileSystem, "_open", failing)
    monkeypatch.setattr(discover_module, "SCAN_BACKOFF", (0.0, 0.0))
    inventory = discover(url)
    assert [a.source for a in inventory.articles] == ["a.txt", "flaky.txt"]
    [reject] = inventory.rejects
    assert (reject.source, reject.reason) == ("bad.html", RejectReason.UNREADABLE)
    assert "after 3 tries" in reject.detail and "connection reset" in reject.detail
    assert tries == {"bad.html": 3, "flaky.txt": 2}
