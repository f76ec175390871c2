"""`cleaner serve`: the Prefect server and UI on loopback, and the clean_articles deployment on a schedule.

One process: it starts `prefect server start` on 127.0.0.1 (unless PREFECT_API_URL already
points at a server), waits until the API answers, then serves the `clean_articles/clean-articles`
deployment with a cron schedule. Scheduled runs and runs started from the UI's Run button run
in subprocesses of this one. Ctrl-C stops the deployment, then the server.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from cleaner.config import CleanConfig
from cleaner.storage import absolute

DEPLOYMENT = "clean-articles"
DEFAULT_CRON = "0 6 * * *"  # daily at 06:00 UTC
HEALTH_TIMEOUT = 180.0


def serve(config: CleanConfig, host: str = "127.0.0.1", port: int = 4200, cron: str = DEFAULT_CRON) -> None:
    """Serve the deployment until Ctrl-C; start (and stop) a local Prefect server when none is configured."""
    # Runs start in subprocesses: give them absolute folders, whatever their working directory.
    # (an object-store URL such as s3://bucket/raw is already absolute and stays as it is).
    config = config.model_copy(update={"raw_dir": absolute(config.raw_dir), "out_dir": absolute(config.out_dir)})
    with _server(host, port) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        from flows.clean import clean_articles

        ui = api_url.removesuffix("/api")
        print(f"cleaner: Prefect UI at {ui}  (deployment clean_articles/{DEPLOYMENT}, cron '{cron}' UTC)", flush=True)
        print(f"cleaner: start a run from the UI: Deployments > {DEPLOYMENT} > Run; Ctrl-C stops serving", flush=True)
        clean_articles.serve(
            name=DEPLOYMENT,
            cron=cron,
            parameters={"config": config.model_dump()},
            description="Clean raw news articles (strip boilerplate, deduplicate, tag) and publish CSV/JSON datasets.",
            tags=["cleaner"],
            version=_version(),
        )


@contextmanager
def _server(host: str, port: int) -> Iterator[str]:
    existing = os.environ.get("PREFECT_API_URL")
    if existing:
        yield existing
        return
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect) if prefect.exists() else "prefect", "server", "start", "--host", host, "--port", str(port)]
    env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": os.environ.get("PREFECT_SERVER_ANALYTICS_ENABLED", "false"),
        # The UI is told where its API is; left alone it assumes port 4200 whatever --port says,
        # and on any other port it shows "Can't connect to Server API".
        "PREFECT_SERVER_API_HOST": host,
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_UI_API_URL": f"http://{host}:{port}/api",
    }
    # The server's output goes to a file, never to an undrained pipe: a server that logs for days
    # would fill a pipe's buffer and block on its next write.
    log_path = _server_log_path()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"cleaner: starting the Prefect server on http://{host}:{port} (log: {log_path}) ...", flush=True)
    with open(log_path, "ab") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # Ctrl-C reaches us; we stop the server ourselves
    api_url = f"http://{host}:{port}/api"
    try:
        _wait_healthy(api_url, server, log_path)
        yield api_url
    finally:
        _stop(server)


def _server_log_path() -> Path:
    from prefect.settings import PREFECT_HOME

    return Path(PREFECT_HOME.value()) / "cleaner-server.log"


def _wait_healthy(api_url: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            error = log_path.read_bytes()[-2000:].decode(errors="replace")
            raise RuntimeError(f"the Prefect server exited with code {server.returncode} ({log_path}):\n{error}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if json.loads(response.read()) is True:
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server at {api_url} did not answer within {HEALTH_TIMEOUT:.0f} s; see {log_path}")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    print("cleaner: stopping the Prefect server ...", flush=True)
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def _version() -> str:
    from cleaner import __version__
    from cleaner.cache import code_version

    return f"{__version__}+{code_version()[:12]}"
