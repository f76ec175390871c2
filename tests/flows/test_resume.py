"""A run killed in the middle (the process gone, not an exception) leaves the published dataset
intact and no Prefect server behind; the next run finishes the job and reuses the batches the
killed run had finished."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests import processes

pytestmark = [pytest.mark.flow, pytest.mark.slow]

RAW = Path(__file__).resolve().parents[2] / "raw"
CLEANER = Path(sys.executable).with_name("cleaner")


def test_killed_flow_run_resumes_from_its_finished_batches(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    marker = processes.new_marker()
    env.update({"PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                processes.CHILD: marker})
    out = tmp_path / "clean"
    command = [str(CLEANER), "run", "--raw-dir", str(RAW), "--out-dir", str(out), "--batch-size", "3"]

    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        seen = processes.output_until(proc, r"Batch 4/\d+")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=120)
        assert proc.returncode == -signal.SIGKILL, "".join(seen[-20:])
        # Its temporary Prefect server went with it (it once outlived the whole test session).
        assert processes.wait_gone(processes.CHILD, marker, timeout=30) == {}
    finally:
        processes.kill(processes.marked(processes.CHILD, marker))
    assert not out.exists()  # nothing was published, and nothing half-written
    assert not list(tmp_path.glob(".clean.*staging*"))

    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    match = re.search(r"(\d+)/(\d+) batches from cache", done.stdout)
    assert match, done.stdout[-3000:]
    cached, total = int(match.group(1)), int(match.group(2))
    assert total == 9 and cached >= 4
    assert (out / "manifest.json").is_file()
