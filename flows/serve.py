"""`cleaner serve`: the Prefect server and UI on loopback, and the clean_articles deployment on a schedule.

One process: it starts `prefect server start` on 127.0.0.1 (unless Prefect is configured with
an API URL already), waits until the API answers, then serves the `clean_articles/clean-articles`
deployment with a cron schedule. Scheduled runs and runs started from the UI's Run button run
in subprocesses of this one. Ctrl-C stops the deployment, then the server; SIGTERM stops the
runs in progress first, then the same.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator
from contextlib import contextmanager

from cleaner.config import CleanConfig
from cleaner.storage import absolute
from flows.server import configured_api, ui_server, use_api

DEPLOYMENT = "clean-articles"
DEFAULT_CRON = "0 6 * * *"  # daily at 06:00 UTC


def serve(config: CleanConfig, host: str = "127.0.0.1", port: int = 4200, cron: str = DEFAULT_CRON) -> None:
    """Serve the deployment until Ctrl-C; start (and stop) a local Prefect server when none is configured."""
    restore_ctrl_c()
    # Runs start in subprocesses: give them absolute folders, whatever their working directory.
    # (an object-store URL such as s3://bucket/raw is already absolute and stays as it is).
    config = config.model_copy(update={"raw_dir": absolute(config.raw_dir), "out_dir": absolute(config.out_dir)})
    with _server(host, port) as api_url, _sigterm_stops_like_ctrl_c():
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


def restore_ctrl_c() -> None:
    """Make SIGINT raise KeyboardInterrupt again, as serve promises, even when it began ignored:
    a shell without job control starts `cleaner serve &` that way, and Python keeps it so."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


# How long SIGTERM waits for the runs in progress to end (crashed) before serve stops its server.
RUN_STOP_SECONDS = 60


@contextmanager
def _sigterm_stops_like_ctrl_c() -> Iterator[None]:
    """SIGTERM (systemd, docker stop, `kill`) stops serve as Ctrl-C does, runs in progress too.

    Prefect's runner takes SIGTERM as "stop polling, then sys.exit(0)": serve's server stopped
    at once while a run in progress went on alone against it (holding the output lock, ~300
    lines of connection errors, left RUNNING in the database), and serve waited minutes for it
    at exit. Ctrl-C reaches the runs as well (the terminal signals the whole group); SIGTERM
    reaches serve alone. So: each run's process gets SIGTERM (its engine marks the run crashed
    and ends its workers), serve waits for them, then stops as on Ctrl-C."""
    from prefect.runner.runner import Runner

    def stop(self, *args, **kwargs) -> None:
        self._logger.info("SIGTERM received: stopping the runs in progress, then serving")
        runs = multiprocessing.active_children()
        for process in runs:
            process.terminate()
        for process in runs:
            process.join(RUN_STOP_SECONDS)
        raise KeyboardInterrupt

    before = Runner.handle_sigterm
    Runner.handle_sigterm = stop  # Runner.start installs its handle_sigterm for SIGTERM
    try:
        yield
    finally:
        Runner.handle_sigterm = before


@contextmanager
def _server(host: str, port: int) -> Iterator[str]:
    """The configured Prefect API, or our own server on host:port while the block runs."""
    existing = configured_api()
    if existing:
        yield existing
        return
    with ui_server(host, port) as api_url:
        use_api(api_url)
        yield api_url


def _version() -> str:
    from cleaner import __version__
    from cleaner.cache import code_version

    return f"{__version__}+{code_version()[:12]}"
