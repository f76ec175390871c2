"""Crash safety: a run killed with SIGKILL at any point leaves clean/ holding the previous
complete dataset or the new complete one, never a mix; the next run completes.

Each case runs the pipeline in a child process with one function patched to SIGKILL the
process at that point, then checks the output folder and runs again (in a new child). The
children are forked from one process that imported the stack once.
"""

from __future__ import annotations

import hashlib
import json
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # child processes killed at each point, then run again

RAW = Path(__file__).resolve().parents[1] / "raw"
SEEDS = sorted(RAW.glob("00*.txt"))

# One process imports the stack once (4 s of a child's 5: cleaner.run, and what the run
# imports on its way: dedup's datasketch and SciPy, publish's pandas, tag's yake) and forks a
# child per run; each child patches its kill point and runs the pipeline.
SERVER = r"""
import json, os, signal, sys, traceback
import cleaner.pipeline as pipeline
import cleaner.publish.dataset as dataset
import cleaner.publish.swap as swap
import cleaner.publish.writers as writers
import cleaner.run as running
from cleaner.config import CleanConfig
import datasketch, pandas, scipy.cluster.hierarchy, wordfreq, yake

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

def run(point, raw, out):
    if point == "mid_batch":            # after two documents of the batch
        pipeline.run_document = after(pipeline.run_document, 2)
    elif point == "before_dedup":
        running.decide = die
    elif point == "publish_start":      # staging folder made, nothing written
        dataset.write_dataset = die
    elif point == "mid_write":          # the new dataset's files part written (streamed), not all
        writers.json_line = after(writers.json_line, 5)
    elif point == "before_swap":        # the new dataset complete in staging
        swap.swap_in = die
    elif point == "after_exchange":     # swapped in, the old dataset not yet deleted
        real = swap._exchange
        def exchange_then_die(a, b):
            real(a, b)
            die()
        swap._exchange = exchange_then_die
    elif point != "none":
        raise SystemExit(f"unknown point {point}")
    running.run(CleanConfig(raw_dir=raw, out_dir=out, entities=False, batch_size=2, task_runner="local"))

def child(point, raw, out):
    code = 0
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # stdout is the answer channel
        run(point, raw, out)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stderr.flush()
        os._exit(code)

# A first run here fills the caches (rules, the block model, language ids, keywords): each
# child's run then takes 0.2 s, not 1.
running.run(CleanConfig(raw_dir=sys.argv[1], out_dir=sys.argv[2], entities=False, batch_size=2, task_runner="local"))

for line in sys.stdin:                  # one batch of [point, raw, out] jobs per line, run side by side
    pids = []
    for point, raw, out in json.loads(line):
        pid = os.fork()
        if pid == 0:
            child(point, raw, out)
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]  # -9: SIGKILL, as Popen says
    print(json.dumps(codes), flush=True)
"""
POINTS = ["mid_batch", "before_dedup", "publish_start", "mid_write", "before_swap", "after_exchange"]


@pytest.fixture(scope="module")
def run_children(tmp_path_factory):
    """run_children(jobs): run child pipelines side by side, forked from one server; their exit codes."""
    warm_up = tmp_path_factory.mktemp("warm-up")
    for seed in SEEDS:
        shutil.copy(seed, warm_up)
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(warm_up), str(warm_up.with_name("warm-up-clean"))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(jobs: list[tuple[str, Path, Path]]) -> list[int]:
        server.stdin.write(json.dumps([[point, str(raw), str(out)] for point, raw, out in jobs]) + "\n")
        server.stdin.flush()
        ready, _, _ = select.select([server.stdout], [], [], 600)
        assert ready, "the crash children took over 10 minutes"
        answer = server.stdout.readline()
        assert answer, f"the fork server ended (exit code {server.wait()}); its error is above"
        return json.loads(answer)

    try:
        yield run
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


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
def killed(tmp_path_factory, run_children):
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
    for case, code in zip(cases.values(), codes):
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
