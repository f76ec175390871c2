"""tests/processes.py finds a test's processes by their environment, orphans included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import processes
from tests.conftest import ROOT


def test_a_marked_orphan_is_found_until_it_ends():
    value = processes.new_marker()
    env = {**os.environ, processes.CHILD: value}
    # A child that starts a grandchild and exits: the grandchild is an orphan, no longer ours.
    code = ("import subprocess; "
            "print(subprocess.Popen(['sleep', '60'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid)")
    orphan = int(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                check=True).stdout)
    assert list(processes.marked(processes.CHILD, value)) == [orphan]
    assert processes.marked(processes.CHILD, processes.new_marker()) == {}
    processes.kill([orphan])
    assert processes.wait_gone(processes.CHILD, value, timeout=10) == {}


LEAK = """
import subprocess

def test_leaks_a_process():
    subprocess.Popen(["sleep", "60"])
"""


@pytest.mark.slow  # a whole pytest session in a child process
def test_the_session_fails_when_a_test_leaves_a_process_running(tmp_path):
    (tmp_path / "test_leak.py").write_text(LEAK)
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path / "test_leak.py")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout
    assert "1 processes started by the tests still ran at the end (killed now)" in done.stdout
    assert "sleep 60" in done.stdout


TERMINATED = """
import signal, subprocess, sys, time
from pathlib import Path

import pytest

@pytest.fixture(scope="session")
def server():
    child = subprocess.Popen(["sleep", "300"])  # stands in for prefect_test_harness's server
    Path(sys.argv[-1]).with_name("child.pid").write_text(str(child.pid))
    yield child
    child.terminate()
    child.wait()

def test_runs_until_terminated(server, tmp_path_factory):
    Path(sys.argv[-1]).with_name("ready").write_text("")
    time.sleep(60)
"""


@pytest.mark.slow  # a whole pytest session in a child process
def test_a_terminated_session_still_stops_what_its_fixtures_started(tmp_path):
    """A run stopped by SIGTERM (a CI job's timeout, `kill`) tears its fixtures down as Ctrl-C does:
    with the default SIGTERM, pytest died at once and prefect_test_harness's server outlived it."""
    test = tmp_path / "test_terminated.py"
    test.write_text(TERMINATED)
    run = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-q", "-p", "no:cacheprovider",
                            str(test)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "ready").exists():
            assert run.poll() is None and time.monotonic() < deadline, run.stdout.read() if run.stdout else ""
            time.sleep(0.1)
        child = int((tmp_path / "child.pid").read_text())
        run.send_signal(signal.SIGTERM)
        out, _ = run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            run.kill()
    deadline = time.monotonic() + 10
    while _is_sleeping(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    leftover = _is_sleeping(child)
    processes.kill([child] if leftover else [])
    assert not leftover, f"the fixture's process outlived the terminated session:\n{out}"
    assert "KeyboardInterrupt" in out, out  # torn down as an interrupted run, not killed


def _is_sleeping(pid: int) -> bool:
    """The fixture's `sleep 300` still runs (its pid not reused by another program)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:2] == [b"sleep", b"300"]
    except OSError:
        return False


@pytest.mark.slow  # a pytest session in a child process
def test_a_session_leaves_no_prefect_home_behind(tmp_path):
    """The flow tests' PREFECT_HOME (tests/flows/conftest.py) is a fresh temporary folder per
    session; it goes when the session ends (181 of them had piled up in one developer's /tmp)."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only",
                           "tests/flows/test_clean_flow.py"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, TMPDIR=str(tmp_path)))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tests collected" in done.stdout or "test collected" in done.stdout, done.stdout
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cleaner-test-prefect-")) == []
