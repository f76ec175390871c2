"""raw_dir and out_dir on S3: the flow against a real S3-compatible server (moto's server, run as
a subprocess on a free loopback port), reached the standard way, through AWS_ENDPOINT_URL and
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pandas as pd
import pytest

from cleaner.config import CleanConfig
from cleaner.storage import StorageError
from tests.flows.test_clean_flow import RAW, tree_digest

pytestmark = [pytest.mark.flow, pytest.mark.slow]

BUCKET = "cleaner-test"
INPUTS = ("000", "001", "002", "003", "004", "100", "105", "200")  # seeds, two pages, a crawler export
BAD = {"empty.txt": b"", "image.html": b"\x89PNG\r\n\x1a\n" + bytes(200), ".cache/skip.txt": b"never listed"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto_server on loopback; the AWS_* variables point every client (boto3, s3fs) at it."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.2)
    env = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield endpoint
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(RAW.iterdir()) if p.name[:3] in INPUTS}
    files.update(BAD)
    return files


@pytest.fixture(scope="module")
def runs(prefect_harness, s3_server, corpus, tmp_path_factory):
    """The same inputs cleaned from a bucket into a bucket, and from a folder into a folder."""
    import boto3

    from flows.clean import clean_articles

    s3 = boto3.client("s3")  # endpoint and keys from the environment, like s3fs
    s3.create_bucket(Bucket=BUCKET)
    for key, data in corpus.items():
        s3.put_object(Bucket=BUCKET, Key=f"raw/{key}", Body=data)
    base = tmp_path_factory.mktemp("s3")
    raw = base / "raw"
    for key, data in corpus.items():
        (raw / key).parent.mkdir(parents=True, exist_ok=True)
        (raw / key).write_bytes(data)
    local = clean_articles(config=CleanConfig(raw_dir=str(raw), out_dir=str(base / "clean"), batch_size=4))
    config = CleanConfig(raw_dir=f"s3://{BUCKET}/raw", out_dir=f"s3://{BUCKET}/clean", batch_size=4)
    remote = clean_articles(config=config)
    again = clean_articles(config=config)
    return s3, base / "clean", local, remote, again


def get(s3, key: str) -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_bucket_to_bucket_publishes_the_same_data_files_as_folder_to_folder(runs):
    s3, local_out, local, remote, _ = runs
    assert remote["counts"] == local["counts"]
    assert remote["out_dir"] == f"s3://{BUCKET}/clean"
    manifest = json.loads(get(s3, "clean/manifest.json"))
    prefix = "clean/" + manifest["data"]
    published = {name: get(s3, prefix + name) for name in manifest["files"]}
    assert {n: hashlib.sha256(b).hexdigest() for n, b in published.items()} == manifest["files"]
    local_files = tree_digest(local_out)
    local_files.pop("manifest.json")
    assert {n: hashlib.sha256(b).hexdigest() for n, b in published.items()} == local_files  # byte-identical
    local_manifest = json.loads((local_out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"] == local_manifest["inputs"]  # same keys, sizes and sha256 as the files


def test_bad_objects_become_rejects_and_hidden_ones_are_skipped(runs):
    s3, _, _, _, _ = runs
    manifest = json.loads(get(s3, "clean/manifest.json"))
    rejects = pd.read_csv(pd.io.common.BytesIO(get(s3, "clean/" + manifest["data"] + "rejects.csv")))
    reasons = dict(zip(rejects["source"], rejects["reason"]))
    assert reasons["empty.txt"] == "empty" and reasons["image.html"] == "binary"
    assert ".cache/skip.txt" not in {i["path"] for i in manifest["inputs"]}


def test_rerun_from_the_bucket_is_cached_and_keeps_the_previous_run_prefix(runs):
    s3, _, _, remote, again = runs
    assert again["cached_batches"] == again["batches"]
    runs_listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="clean/runs/", Delimiter="/")
    run_prefixes = sorted(p["Prefix"] for p in runs_listed.get("CommonPrefixes", []))
    assert len(run_prefixes) == 2  # runs/<UTC time>-<run id>/, oldest first
    runs = (remote["run_id"], again["run_id"])
    assert [p.rstrip("/").endswith(r) for p, r in zip(run_prefixes, runs)] == [True, True]
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="clean/")["Contents"]}
    assert {k for k in keys if not k.startswith("clean/runs/")} == {"clean/manifest.json"}


def test_missing_bucket_fails_at_once_with_a_clear_message(runs):
    from flows.clean import clean_articles

    started = time.monotonic()
    with pytest.raises(StorageError, match="s3://no-such-bucket/raw does not exist"):
        clean_articles(config=CleanConfig(raw_dir="s3://no-such-bucket/raw", out_dir=f"s3://{BUCKET}/other"))
    assert time.monotonic() - started < 15  # not retried like a network hiccup


def test_missing_credentials_give_a_clear_message(s3_server, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_ACCESS_KEY", "AWS_SECRET", "AWS_PROFILE"))}
    env.update(AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_CONFIG_FILE=str(tmp_path / "none"))
    code = f"from cleaner.discover import discover; discover('s3://{BUCKET}/raw')"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("cleaner.storage.StorageError: cannot list s3://cleaner-test/raw: no credentials found")
    assert "AWS_ACCESS_KEY_ID" in last
