"""The clean_articles flow on a real Dask cluster publishes exactly what the local runner publishes.

Two ways in: the address of a running scheduler (a LocalCluster of two worker processes on
loopback, started here), and task_runner="dask" with workers=2 (the flow starts its own).
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from cleaner.budget import DocumentTimeout, time_limit
from cleaner.config import CleanConfig
from tests.flows.test_clean_flow import RAW, tree_digest

pytestmark = [pytest.mark.flow, pytest.mark.slow]


def subset(folder: Path) -> Path:
    """Seeds, five HTML pages (with sidecars) and a crawler export: enough batches, less waiting."""
    folder.mkdir()
    for path in RAW.iterdir():
        if path.name[:3] in {"000", "001", "002", "003", "004", "100", "101", "102", "103", "104", "200"}:
            shutil.copy(path, folder)
    return folder


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory):
    from distributed import LocalCluster

    from flows.clean import clean_articles

    base = tmp_path_factory.mktemp("dask")
    raw = subset(base / "raw")
    settings = dict(raw_dir=str(raw), batch_size=3)
    fresh = dict(settings, full_rebuild=True)  # cleaned, never taken from the cache
    summaries = {"local": clean_articles(config=CleanConfig(out_dir=str(base / "local"), **fresh))}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        summaries["address"] = clean_articles(config=CleanConfig(
            out_dir=str(base / "address"), task_runner="dask", dask_address=cluster.scheduler_address, **fresh))
        # Unchanged rerun on Dask: every batch comes from the cache the workers wrote.
        summaries["cached"] = clean_articles(config=CleanConfig(
            out_dir=str(base / "cached"), task_runner="dask", dask_address=cluster.scheduler_address, **settings))
    summaries["workers"] = clean_articles(config=CleanConfig(
        out_dir=str(base / "workers"), task_runner="dask", workers=2, **fresh))
    return base, summaries


def data_files(folder: Path) -> dict[str, str]:
    files = tree_digest(folder)
    files.pop("manifest.json")
    return files


@pytest.mark.parametrize("how", ["address", "workers"])
def test_dask_publishes_the_same_data_files_as_the_local_runner(runs, how):
    base, summaries = runs
    assert summaries[how]["counts"] == summaries["local"]["counts"]
    assert summaries[how]["batches"] == summaries["local"]["batches"] >= 4
    assert summaries[how]["cached_batches"] == 0
    assert data_files(base / how) == data_files(base / "local")  # byte-identical


def test_an_unchanged_rerun_on_dask_comes_from_the_cache(runs):
    base, summaries = runs
    assert summaries["cached"]["cached_batches"] == summaries["cached"]["batches"]
    assert data_files(base / "cached") == data_files(base / "local")


def test_time_budget_holds_outside_the_main_thread():
    """Dask workers run tasks in executor threads, where SIGALRM cannot reach: the budget still holds."""
    seen = {}

    def slow_document():
        started = time.monotonic()
        try:
            with time_limit(0.2):
                while True:
                    sum(range(1000))
        except DocumentTimeout:
            seen["after"] = time.monotonic() - started
        with time_limit(0.2):  # a document within its budget is not interrupted later
            pass
        time.sleep(0.4)
        seen["finished"] = True

    worker = threading.Thread(target=slow_document)
    worker.start()
    worker.join(10)
    assert 0.15 < seen["after"] < 2
    assert seen["finished"]
