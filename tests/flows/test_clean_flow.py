"""The clean_articles flow over all of raw/: counts balance, the schema holds, no known boilerplate survives."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from cleaner.config import CleanConfig
from cleaner.discover import discover
from cleaner.publish import neutralise_formula

pytestmark = [pytest.mark.flow, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
LABELS = json.loads((ROOT / "tests" / "data" / "raw_labels.json").read_text(encoding="utf-8"))
# Phrases that must never reach a published body, from the seeds and the boilerplate catalogue.
# ("We use cookies" is not here: page 108 is a story about cookie banners that quotes it.)
KNOWN_BOILERPLATE = [
    "This website uses cookies", "You might also like", "Leave a Comment", "Leave a Reply", "Home »",
    "This is not a Paywall", "Donate Button", "About lukwago", "Posted by LUKWAGO", "Check Also", "Check also",
    "Your email address will not be published", "All rights reserved", "Share this article", "Share this:",
    "Sign up for our", "Skip to content", "Advertisement", "Required fields are marked",
]


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(prefect_harness, tmp_path_factory):
    from flows.clean import clean_articles

    out = tmp_path_factory.mktemp("run") / "clean"
    before = tree_digest(RAW)
    summary = clean_articles(config=CleanConfig(raw_dir=str(RAW), out_dir=str(out), batch_size=8))
    assert tree_digest(RAW) == before, "raw/ must never be written"
    return summary, out


def read_json(out: Path, name: str):
    return json.loads((out / name).read_text(encoding="utf-8"))


def test_counts_balance_and_every_input_is_accounted_for(published):
    summary, out = published
    manifest = read_json(out, "manifest.json")
    c = manifest["counts"]
    assert c == summary["counts"]
    assert c["inputs"] == c["published"] + c["duplicates"] + c["rejects"]
    inventory = discover(RAW)
    assert c["inputs"] == inventory.documents
    ids = ({a["id"] for a in read_json(out, "articles.json")}
           | set(pd.read_csv(out / "duplicates.csv")["id"]) | set(pd.read_csv(out / "rejects.csv")["id"]))
    assert ids == {a.id for a in inventory.articles} | {r.article_id for r in inventory.rejects}
    assert {i["path"] for i in manifest["inputs"]} == {f.path for f in inventory.files}
    for entry in manifest["inputs"]:
        assert entry["sha256"] == hashlib.sha256((RAW / entry["path"]).read_bytes()).hexdigest()


def test_every_record_matches_the_published_schema(published):
    _, out = published
    schema = read_json(out, "article.schema.json")
    validator = jsonschema.Draft202012Validator(schema)
    records = read_json(out, "articles.json")
    assert records
    for record in records:
        validator.validate(record)
    lines = [json.loads(line) for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines == records


def test_csv_loads_plainly_with_bodies_intact(published):
    _, out = published
    frame = pd.read_csv(out / "articles.csv")
    records = read_json(out, "articles.json")
    assert list(frame["id"]) == [r["id"] for r in records]
    assert list(frame["body"]) == [neutralise_formula(r["body"]) for r in records]


def test_no_known_boilerplate_phrase_survives(published):
    _, out = published
    bodies = "\n".join(r["body"] for r in read_json(out, "articles.json"))
    survivors = [p for p in KNOWN_BOILERPLATE if p in bodies]
    assert survivors == []


def test_labelled_snippets_kept_and_dropped(published):
    """Every labelled input that is published: its must-keep snippets are in the body, its must-drop ones are not."""
    _, out = published
    by_input = {}
    for r in read_json(out, "articles.json"):
        name = r["source"] if r["record"] is None else f"{r['source']}#{r['record']}"
        by_input[name] = f"{r['title']}\n{r['body']}"  # labels list the headline among what to keep
    missing, leaked = [], []
    for name, label in LABELS.items():
        if name not in by_input:
            continue
        missing += [(name, s) for s in label["keep"] if s not in by_input[name]]
        leaked += [(name, s) for s in label["drop"] if s in by_input[name]]
    assert missing == []
    assert leaked == []


def test_duplicates_point_at_published_articles_and_seed_stories_group(published):
    _, out = published
    records = read_json(out, "articles.json")
    ids = {r["id"] for r in records}
    dups = pd.read_csv(out / "duplicates.csv")
    assert len(dups) >= 2
    assert set(dups["duplicate_of"]) <= ids
    story = {r["source"][:3]: r["story_id"] for r in records if r["source"].endswith(".txt")}
    story.update({src[:3]: sid for src, sid in zip(dups["source"], dups["story_id"]) if src.endswith(".txt")})
    assert story["000"] == story["002"] == story["004"]
    assert story["001"] == story["003"]
    assert story["000"] != story["001"]


def test_rerun_publishes_byte_identical_data(published, tmp_path):
    from flows.clean import clean_articles

    _, out = published
    again = tmp_path / "clean"
    clean_articles(config=CleanConfig(raw_dir=str(RAW), out_dir=str(again), batch_size=5))
    first, second = tree_digest(out), tree_digest(again)
    first.pop("manifest.json"), second.pop("manifest.json")
    assert first == second


def test_a_bad_file_is_a_reject_not_a_failed_run(prefect_harness, tmp_path):
    from flows.clean import clean_articles

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "000_40483f80e491ad8b.txt", raw)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (raw / "feed.jsonl").write_text('{"url": "u", "text": "x"}\n{not json\n', encoding="utf-8")
    summary = clean_articles(config=CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "clean")))
    assert summary["counts"] == {"inputs": 5, "files": 4, "published": 1, "duplicates": 0, "rejects": 4}
    reasons = dict(zip(*[pd.read_csv(tmp_path / "clean" / "rejects.csv")[c] for c in ("source", "reason")]))
    assert reasons["empty.txt"] == "empty" and reasons["image.html"] == "binary"


def test_unchanged_rerun_comes_from_the_cache_and_publishes_the_same_data(prefect_harness, tmp_path):
    from flows.clean import clean_articles

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    first = clean_articles(config=CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "a"), batch_size=6))
    again = clean_articles(config=CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "b"), batch_size=6))
    assert first["batches"] == again["batches"] == again["cached_batches"] >= 4
    a, b = tree_digest(tmp_path / "a"), tree_digest(tmp_path / "b")
    a.pop("manifest.json"), b.pop("manifest.json")
    assert a == b

    # One input changes: only its batch is cleaned again, and the change is published.
    seed = raw / "004_28395860fe50ec30.txt"
    seed.chmod(0o644)
    seed.write_text(seed.read_text(encoding="utf-8").replace("over four hours of talks", "over five hours of talks"),
                    encoding="utf-8")
    changed = clean_articles(config=CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "c"), batch_size=6))
    assert changed["cached_batches"] == changed["batches"] - 1
    bodies = {r["source"]: r["body"] for r in read_json(tmp_path / "c", "articles.json")}
    assert "over five hours of talks" in bodies[seed.name]

    rebuilt = clean_articles(config=CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "d"), batch_size=6,
                                                full_rebuild=True))
    assert rebuilt["cached_batches"] == 0


@pytest.mark.parametrize("kind", ["timeout", "crash"])
def test_a_cached_timeout_or_crash_is_cleaned_again_not_replayed(prefect_harness, tmp_path, monkeypatch, kind):
    """A document that missed its wall-clock budget on a busy machine, or crashed a stage once
    (a MemoryError under pressure), is cleaned again on the next run: the batch's cached result
    is not replayed (its key, inputs, settings and code, has not changed)."""
    import time

    from cleaner import pipeline
    from flows.clean import clean_articles

    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in sorted(RAW.glob("00*.txt"))[:2]:
        shutil.copy(seed, raw / f"{kind}-{seed.name}")  # each case its own batches in the shared cache
    slow = {"source": sorted(p.name for p in raw.iterdir())[0], "on": True}
    real = pipeline.stages

    def stages(config, rules):
        def busy(article):
            if slow["on"] and article.source == slow["source"]:
                if kind == "crash":
                    raise MemoryError("a moment of memory pressure")
                time.sleep(8)
            return article
        return (("busy", busy), *real(config, rules))

    monkeypatch.setattr(pipeline, "stages", stages)
    config = {"raw_dir": str(raw), "batch_size": 1, "entities": False, "keywords": 0, "task_runner": "local",
              "max_seconds_per_document": 6.0}
    first = clean_articles(config=CleanConfig(out_dir=str(tmp_path / "a"), **config))
    assert first["counts"]["rejects"] == 1
    slow["on"] = False
    again = clean_articles(config=CleanConfig(out_dir=str(tmp_path / "b"), **config))
    assert again["counts"]["rejects"] == 0 and again["counts"]["published"] == 2
    assert again["cached_batches"] == 1  # the other document's batch still comes from the cache


def test_neither_the_run_nor_prefect_holds_the_summaries_while_publishing(prefect_harness, tmp_path, monkeypatch):
    """Memory: the summaries (a kilobyte an article) go before publishing; no task parameter or
    state keeps them. Prefect may still hold an earlier task's objects for a moment when publish
    begins (in 2 of about 8 runs of this file, 23 summaries, as many as the batch's, were alive
    at publish's first line; what held them is not traced), so the count is taken again until
    it falls, for up to ten seconds; the run itself holding them fails it."""
    import gc
    import time

    from cleaner.pipeline import Summary
    from flows import clean as flow_module

    def summaries() -> int:
        gc.collect()
        return sum(isinstance(o, Summary) for o in gc.get_objects())

    before = summaries()  # what earlier tests may have left
    seen: list[int] = []
    publish = flow_module.PrefectRunner.publish

    def watched(self, *args):
        deadline = time.monotonic() + 10
        while (alive := summaries()) > before and time.monotonic() < deadline:
            time.sleep(0.2)
        seen.append(alive)
        return publish(self, *args)

    monkeypatch.setattr(flow_module.PrefectRunner, "publish", watched)
    flow_module.clean_articles(config=CleanConfig(raw_dir=str(RAW), out_dir=str(tmp_path / "clean"),
                                                  entities=False, keywords=0))
    assert len(seen) == 1 and seen[0] <= before


def test_a_batch_whose_task_run_never_ended_or_crashed_is_cleaned_apart():
    """On Dask, a worker that dies mid-batch (and again on Dask's retries: KilledWorker) leaves
    the batch's task run unended in Prefect, or crashed: such a batch is cleaned apart in fresh
    processes (cleaner.run.cleaned_apart; tests/test_run.py kills a worker for real)."""
    from prefect.states import Cancelled, Completed, Crashed, Failed, Running

    from flows.clean import worker_died

    assert worker_died(Running()) and worker_died(Crashed())
    assert not worker_died(Completed()) and not worker_died(Failed()) and not worker_died(Cancelled())
