"""Two runs against one output folder never interleave: the second waits, then fails clearly."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from cleaner.publish import OutputLocked, output_lock

HOLD = """
import sys, time
from cleaner.publish import output_lock
with output_lock(sys.argv[1], 0):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_run_fails_with_a_clear_message_when_the_wait_runs_out(tmp_path):
    out = tmp_path / "clean"
    with output_lock(out, 0):
        started = time.monotonic()
        with pytest.raises(OutputLocked) as err, output_lock(out, 0.6):
            pass
        assert 0.5 <= time.monotonic() - started < 5
    message = str(err.value)
    assert f"another run is publishing to {out}" in message
    assert "pid " in message and "lock_wait_seconds" in message


@pytest.mark.slow  # a child process holds the lock for 1.5 s
def test_a_second_run_waits_for_the_first(tmp_path):
    out = tmp_path / "clean"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out), "1.5"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    with output_lock(out, 30):
        waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert 0.5 < waited < 10


@pytest.mark.slow  # a child process, SIGKILLed
def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    out = tmp_path / "clean"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out), "60"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait(timeout=30)
    with output_lock(out, 2):
        pass
