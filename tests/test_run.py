"""The run, written once: the same data files whatever runs the batches (this process, worker
processes), whatever their size; 'auto' shares a big run out to every core and keeps a small one here."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

import cleaner.run as running
from cleaner.config import CleanConfig
from cleaner.pipeline import Summary
from cleaner.run import DaskRunner, ProcessRunner, Runner, batch_size, choose_runner, run

RAW = Path(__file__).resolve().parents[1] / "raw"
DATA_FILES = ("articles.jsonl", "articles.csv", "duplicates.csv", "rejects.csv", "removals.jsonl",
              "site_boilerplate.json", "review.html")


def published(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in DATA_FILES}


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    shutil.copytree(RAW, folder, dirs_exist_ok=True)
    return folder


@pytest.mark.slow  # two worker processes
def test_worker_processes_publish_what_one_process_publishes(raw, tmp_path, monkeypatch):
    settings = dict(raw_dir=str(raw), entities=False, keywords=0, batch_size=4)
    one = run(CleanConfig(out_dir=str(tmp_path / "one"), task_runner="local", **settings))
    monkeypatch.setattr(running, "PROCESS_MIN_DOCUMENTS", 0)  # 25 documents: share them out anyway
    seen: list[int] = []

    class Watched(ProcessRunner):
        def on_batch(self, index, batches, result, cached):
            seen.append(index)

    many = run(CleanConfig(out_dir=str(tmp_path / "many"), **settings), runner=Watched(workers=2))
    assert sorted(seen) == list(range(1, 8))  # 25 documents in batches of 4
    assert published(tmp_path / "one") == published(tmp_path / "many")
    assert one.article_ids == many.article_ids and one.report.counts == many.report.counts


@pytest.mark.slow  # worker processes, one of them killed, and the batch cleaned apart
def test_a_document_that_kills_its_worker_is_rejected_and_the_run_goes_on(raw, tmp_path, monkeypatch):
    """The OOM killer or a segfault in a C parser ends the worker process, not the run: the lost
    batches are cleaned apart in fresh processes, and only the document that kills one is rejected."""
    import csv
    import os

    from cleaner import pipeline
    from cleaner.discover import article_id

    victim = sorted(p.name for p in raw.glob("00*.txt"))[2]
    real = pipeline.stages

    def stages(config, rules):
        def poison(article):
            if article.source == victim:
                os._exit(137)
            return article
        return (*real(config, rules), ("poison", poison))

    monkeypatch.setattr(pipeline, "stages", stages)  # forked workers inherit it
    monkeypatch.setattr(running, "PROCESS_MIN_DOCUMENTS", 0)
    settings = dict(raw_dir=str(raw), entities=False, keywords=0, batch_size=4, second_reading=False)
    result = run(CleanConfig(out_dir=str(tmp_path / "out"), **settings), runner=ProcessRunner(workers=2))
    rejects = list(csv.DictReader(open(tmp_path / "out" / "rejects.csv", encoding="utf-8-sig")))
    died = [r for r in rejects if r["reason"] == "internal_error"]
    assert [(r["source"], r["detail"]) for r in died] == [(victim, running.WORKER_DIED)]
    assert result.report.counts["inputs"] == result.report.counts["published"] + result.report.counts[
        "duplicates"] + result.report.counts["rejects"]
    monkeypatch.setattr(pipeline, "stages", real)
    whole = run(CleanConfig(out_dir=str(tmp_path / "whole"), task_runner="local", **settings))
    assert set(whole.article_ids) - set(result.article_ids) == {article_id(victim)}  # every other one is cleaned


def test_auto_gives_every_worker_four_batches_and_keeps_small_runs_whole():
    auto = CleanConfig(workers=8)
    assert batch_size(auto, 10_000) == 200  # 50 batches already keep 8 workers busy
    assert batch_size(auto, 1_000) == 32  # 32 batches: four per worker
    assert batch_size(auto, 300) == running.MIN_BATCH
    assert batch_size(auto, 150) == 200  # under PROCESS_MIN_DOCUMENTS: one process, batches as set
    assert batch_size(CleanConfig(task_runner="local", batch_size=7), 10_000) == 7


def test_the_settings_choose_the_runner():
    assert type(choose_runner(CleanConfig(task_runner="local"))) is Runner
    assert isinstance(choose_runner(CleanConfig()), ProcessRunner)
    assert choose_runner(CleanConfig(workers=3)).workers == 3
    dask = choose_runner(CleanConfig(task_runner="dask", dask_address="tcp://127.0.0.1:8786"))
    assert isinstance(dask, DaskRunner) and dask.address == "tcp://127.0.0.1:8786"


def test_a_small_run_stays_in_this_process(raw, tmp_path):
    class NoPool(ProcessRunner):
        pass

    def refuse(*args, **kwargs):
        raise AssertionError("a 25-document run started worker processes")

    runner = NoPool(workers=4)
    import cleaner.run

    original = cleaner.run.ProcessPoolExecutor
    cleaner.run.ProcessPoolExecutor = refuse
    try:
        result = run(CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "out"), entities=False, keywords=0,
                                 batch_size=5), runner=runner)
    finally:
        cleaner.run.ProcessPoolExecutor = original
    assert result.report.counts["inputs"] == 25


def test_a_cleaned_batch_is_let_go_and_the_inventory_still_counts_every_document(raw, tmp_path):
    """Memory: once a batch is cleaned the run holds neither its article stubs nor (until dedup)
    its summaries; they wait in the spool."""
    seen: list[tuple[int, list, int]] = []

    class Watching(Runner):
        def clean(self, batches, config, rules):
            for index, result, cached in super().clean(batches, config, rules):
                yield index, result, cached
                seen.append((index, batches[index - 1], sum(map(len, batches))))

    result = run(CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "out"), entities=False, keywords=0,
                             batch_size=5), runner=Watching())
    assert [(index, batch) for index, batch, _ in seen] == [(i, []) for i in range(1, len(seen) + 1)]
    assert [held for *_, held in seen] == sorted((held for *_, held in seen), reverse=True)
    assert result.inventory.articles == [] and result.inventory.documents == 25
    assert result.report.counts["inputs"] == 25


def test_the_summaries_are_let_go_before_publishing(raw, tmp_path):
    """Memory: publishing needs the ids, not the summaries (a kilobyte an article)."""
    alive: list[int] = []

    class Watching(Runner):
        def publish(self, spool, ids, decisions, *rest):
            alive.append(sum(isinstance(o, Summary) for o in gc.get_objects()))
            return super().publish(spool, ids, decisions, *rest)

    result = run(CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "out"), entities=False, keywords=0),
                 runner=Watching())
    assert alive == [0]
    assert len(result.article_ids) == 23 and result.report.counts["duplicates"] == 5


@pytest.mark.parametrize("layout", ["out inside raw", "raw inside out", "the same folder"])
def test_an_output_that_overlaps_the_raw_folder_is_refused_before_any_cleaning(tmp_path, layout):
    """With the output inside raw/, the next run read its own dataset back: every cut of
    removals.jsonl became an input record (a review's run: 25 inputs, then 457)."""
    from cleaner.publish import PublishError

    raw = tmp_path / "data"
    shutil.copytree(RAW, raw)
    out = {"out inside raw": raw / "clean", "raw inside out": tmp_path, "the same folder": raw}[layout]
    with pytest.raises(PublishError, match="overlap"):
        run(CleanConfig(raw_dir=str(raw), out_dir=str(out), entities=False, keywords=0, task_runner="local"))
    assert not (raw / "clean").exists()


def test_siblings_do_not_overlap():
    running.check_apart("raw", "clean")
    running.check_apart("/data/raw", "/data/raw-clean")  # a common prefix is not a parent
