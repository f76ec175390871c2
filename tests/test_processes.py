"""tests/processes.py finds a test's processes by their environment, orphans included."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import processes


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
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path / "test_leak.py")], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout
    assert "1 processes started by the tests still ran at the end (killed now)" in done.stdout
    assert "sleep 60" in done.stdout
