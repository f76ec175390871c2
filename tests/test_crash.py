"""Crash safety: a run killed with SIGKILL at any point leaves clean/ holding the previous
complete dataset or the new complete one, never a mix; the next run completes.

Each case runs the pipeline in a child process with one function patched to SIGKILL the
process at that point, then checks the output folder and runs again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # child processes killed at each point, then run again

RAW = Path(__file__).resolve().parents[1] / "raw"
SEEDS = sorted(RAW.glob("00*.txt"))

CHILD = r"""
import os, signal, sys
import cleaner.pipeline as pipeline
import cleaner.publish as publish
import cleaner.run as running
from cleaner.config import CleanConfig

point, raw, out = sys.argv[1], sys.argv[2], sys.argv[3]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def after(fn, calls):
    count = {"n": 0}
    def wrapper(*args, **kwargs):
        count["n"] += 1
        if count["n"] > calls:
            die()
        return fn(*args, **kwargs)
    return wrapper

if point == "mid_batch":            # after two documents of the batch
    pipeline.run_document = after(pipeline.run_document, 2)
elif point == "before_dedup":
    running.decide = die
elif point == "publish_start":      # staging folder made, nothing written
    publish._write_dataset = die
elif point == "mid_write":          # the new dataset's files part written (streamed), not all
    publish._json_line = after(publish._json_line, 5)
elif point == "before_swap":        # the new dataset complete in staging
    publish.swap_in = die
elif point == "after_exchange":     # swapped in, the old dataset not yet deleted
    real = publish._exchange
    def exchange_then_die(a, b):
        real(a, b)
        die()
    publish._exchange = exchange_then_die
elif point != "none":
    raise SystemExit(f"unknown point {point}")

running.run(CleanConfig(raw_dir=raw, out_dir=out, entities=False, batch_size=2, task_runner="local"))
"""
POINTS = ["mid_batch", "before_dedup", "publish_start", "mid_write", "before_swap", "after_exchange"]


def run_children(jobs: list[tuple[str, Path, Path]]) -> list[int]:
    """Run child pipelines side by side (each loads its libraries for seconds); their exit codes."""
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, point, str(raw), str(out)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for point, raw, out in jobs]
    codes = []
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        if proc.returncode not in (0, -signal.SIGKILL):
            print(err.decode(errors="replace"))
        codes.append(proc.returncode)
    return codes


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def consistent(folder: Path) -> dict:
    """The dataset in `folder` is complete: every file the manifest lists, with its checksum."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = digest(folder)
    files.pop("manifest.json")
    assert files == manifest["files"]
    c = manifest["counts"]
    assert c["inputs"] == c["published"] + c["duplicates"] + c["rejects"]
    return manifest


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    """For each kill point: the dataset before, after the killed run, and after the next run."""
    base = tmp_path_factory.mktemp("crash")
    seeds_raw = base / "raw"
    seeds_raw.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, seeds_raw)
    two_raw = base / "raw-two"
    two_raw.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, two_raw)
    previous = base / "previous"
    assert run_children([("none", two_raw, previous)]) == [0]

    cases = {}
    for point in POINTS:
        work = base / point
        work.mkdir()
        shutil.copytree(previous, work / "clean")
        cases[point] = {"work": work, "before": digest(work / "clean")}
    codes = run_children([(p, seeds_raw, c["work"] / "clean") for p, c in cases.items()])
    for (point, case), code in zip(cases.items(), codes):
        case["killed_code"] = code
        case["after_kill"] = digest(case["work"] / "clean")
        case["manifest_after_kill"] = consistent(case["work"] / "clean")
    codes = run_children([("none", seeds_raw, c["work"] / "clean") for c in cases.values()])
    for case, code in zip(cases.values(), codes):
        case["rerun_code"] = code
        case["manifest_after_rerun"] = consistent(case["work"] / "clean")
        case["leftovers"] = sorted(p.name for p in case["work"].iterdir())
    return cases


@pytest.mark.parametrize("point", POINTS)
def test_killed_run_leaves_old_or_new_dataset_and_the_next_run_completes(killed, point):
    case = killed[point]
    assert case["killed_code"] == -signal.SIGKILL
    if point == "after_exchange":
        assert case["manifest_after_kill"]["counts"]["inputs"] == len(SEEDS)  # the new dataset is in place
    else:
        assert case["after_kill"] == case["before"]  # the previous dataset, untouched
    assert case["rerun_code"] == 0
    assert case["manifest_after_rerun"]["counts"]["inputs"] == len(SEEDS)
    # No staging or old folders left beside it; the run's lock file (.clean.lock, an flock the
    # kernel releases when the process dies) stays, as it does after every run.
    assert case["leftovers"] == [".clean.lock", "clean"]
