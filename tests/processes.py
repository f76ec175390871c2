"""Find the processes the tests started, orphans included: each carries a marker in its environment.

An orphan is re-parented to init and is no longer our descendant, but its environment (as it
was at exec, /proc/PID/environ) still holds every variable it inherited. tests/conftest.py puts
SESSION in os.environ, so every child of this session inherits it; a test that needs its own
child's processes sets CHILD to a value of its own.
"""

from __future__ import annotations

import os
import re
import signal
import time
import uuid
from pathlib import Path

SESSION = "CLEANER_TEST_SESSION"
CHILD = "CLEANER_TEST_CHILD"


def new_marker() -> str:
    return uuid.uuid4().hex


def marked(name: str, value: str) -> dict[int, str]:
    """pid -> command line of every live process (not this one) whose environment holds name=value."""
    needle = f"{name}={value}".encode()
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:  # a zombie's environ reads empty; a process may end while we look
            environ = Path(entry.path, "environ").read_bytes().split(b"\0")
            command = Path(entry.path, "cmdline").read_bytes()
        except OSError:
            continue
        if needle in environ:
            found[int(entry.name)] = command.replace(b"\0", b" ").decode(errors="replace").strip()
    return found


def wait_gone(name: str, value: str, timeout: float) -> dict[int, str]:
    """The marked processes still alive after up to `timeout` seconds (empty once all have ended)."""
    deadline = time.monotonic() + timeout
    while (left := marked(name, value)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def kill(pids) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def output_until(proc, pattern: str) -> list[str]:
    """The lines a child with a text stdout has printed, read up to the first that matches `pattern`
    (a regular expression), that one included; all of them if none does."""
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if re.search(pattern, line):
            break
    return lines
