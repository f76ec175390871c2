"""The Prefect servers cleaner starts: a temporary API for `cleaner run`, the server and UI of `cleaner serve`.

Each runs in a session of its own, so a terminal's Ctrl-C reaches cleaner alone: the run ends
and reports its end while the server still answers, and cleaner stops the server after.
(Prefect's own temporary server shares its parent's process group: the same Ctrl-C stopped it
at once, and the interrupted run then retried it for minutes of connection tracebacks.) Each
is also told to die with cleaner (PR_SET_PDEATHSIG), so a killed cleaner leaves no server behind.

Prefect reads its settings once, when first imported: `use_api` points this process at the
server after the fact, and every process it starts through the environment. A process left
without the URL starts a hidden temporary server of its own ("Cannot schedule flows on an
ephemeral server", issue 15); PREFECT_SERVER_EPHEMERAL_ENABLED=false makes that an error instead.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

HEALTH_TIMEOUT = 180.0
_PR_SET_PDEATHSIG = 1
# Looked up here, not in the child between fork and exec, where only the call itself should run;
# None where there is no prctl (not Linux): the server then outlives a killed cleaner.
_prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)


def configured_api() -> str | None:
    """The API URL Prefect is configured with (environment, profile, .env, prefect.toml), if any."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def use_api(api_url: str) -> None:
    """Point Prefect in this process, and every process it starts (runs, Dask workers), at `api_url`."""
    from prefect.context import refresh_global_settings_context

    os.environ["PREFECT_API_URL"] = api_url
    os.environ["PREFECT_SERVER_EPHEMERAL_ENABLED"] = "false"
    refresh_global_settings_context()  # Prefect read its settings at import, without the URL
    if configured_api() != api_url:
        raise RuntimeError(f"Prefect ignores PREFECT_API_URL={api_url}; it would start a hidden server of its own")


def start_temporary_server() -> str:
    """Prefect's API alone, as Prefect runs its own temporary server, on a free loopback port until
    this process exits; returns its URL."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "flows.server:temporary_app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "error", "--lifespan", "on"]
    server = start(command, dict(os.environ))
    # At exit, not earlier: Prefect sends the run's last logs and events when its threads shut
    # down, which comes before atexit.
    atexit.register(stop, server, quiet=True)
    api_url = f"http://127.0.0.1:{port}/api"
    wait_healthy(api_url, server)
    return api_url


def temporary_app():
    """uvicorn's factory for the temporary server: the API with the services a temporary server runs, no UI."""
    from prefect.server.api.server import create_app

    return create_app(ephemeral=True, final=True)


@contextmanager
def ui_server(host: str, port: int) -> Iterator[str]:
    """`prefect server start` (API, UI, scheduler) on host:port while the block runs; yields its API URL."""
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect) if prefect.exists() else "prefect", "server", "start", "--host", host, "--port", str(port)]
    env = {
        **os.environ,
        # The UI is told where its API is; left alone it assumes port 4200 whatever --port says,
        # and on any other port it shows "Can't connect to Server API".
        "PREFECT_SERVER_API_HOST": host,
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_UI_API_URL": f"http://{host}:{port}/api",
    }
    print(f"cleaner: starting the Prefect server on http://{host}:{port} (log: {log_path()}) ...", flush=True)
    server = start(command, env)
    try:
        wait_healthy(f"http://{host}:{port}/api", server)
        yield f"http://{host}:{port}/api"
    finally:
        stop(server)


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start a server in its own session, dying with this process; its output goes to log_path()."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # A file, never an undrained pipe: a server that logs for days would fill a pipe's buffer
    # and block on its next write.
    with open(path, "ab") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, preexec_fn=partial(_die_with_parent, os.getpid()))


def _die_with_parent(parent: int) -> None:
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def log_path() -> Path:
    from prefect.settings import PREFECT_HOME

    return Path(PREFECT_HOME.value()) / "cleaner-server.log"


def wait_healthy(api_url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            error = log_path().read_bytes()[-2000:].decode(errors="replace")
            raise RuntimeError(f"the Prefect server exited with code {server.returncode} ({log_path()}):\n{error}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if json.loads(response.read()) is True:
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(
        f"the Prefect server at {api_url} did not answer within {HEALTH_TIMEOUT:.0f} s; see {log_path()}")


def stop(server: subprocess.Popen, quiet: bool = False) -> None:
    if server.poll() is not None:
        return
    if not quiet:
        print("cleaner: stopping the Prefect server ...", flush=True)
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
