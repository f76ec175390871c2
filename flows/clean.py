"""The `clean_articles` Prefect flow: raw/ -> clean/ (boilerplate stripped, deduplicated, tagged, published).

Run it with `cleaner run` (a temporary Prefect server starts by itself), or serve
it on a schedule with `cleaner serve` (flows/serve.py). Tasks are thin wrappers over the library
in src/cleaner; each works on a batch of articles (hundreds), never one task per article, so a
run has tens of task runs and the Prefect server keeps up (thousands of task runs swamp it).

Batches are cached by the content of their inputs, the settings that shape the output and the
code version (cleaner.cache.batch_key): an unchanged rerun skips extraction and cleaning, a run
killed half-way reuses the batches it finished, and `full_rebuild` ignores the cache.

The run itself is the library's (cleaner.run.run): this module only gives it a `PrefectRunner`,
which makes each phase a task, logs progress and leaves artifacts for the UI.

`task_runner` picks where batches are cleaned, at run time from the run's own settings (so
`cleaner run`, a served deployment and the UI's run form all honour it): "local" calls each
batch in the flow's process, one after another; "dask" submits batches to a Dask cluster
(prefect-dask's DaskTaskRunner: a local cluster of `workers` processes, or the scheduler at
`dask_address`) and takes the results as they complete; "auto" (the default) is "dask" on a
local cluster of one process per core once the run has two batches or more and
`PROCESS_MIN_DOCUMENTS` documents, "local" otherwise. Discovery, dedup and publishing always
run in the flow's process. On a Dask worker the
batch task looks up and persists its cached result in that worker's Prefect result storage
(PREFECT_HOME/storage, or PREFECT_LOCAL_STORAGE_PATH): the same folder for a local cluster;
for workers on other machines point it at a shared folder, or batches are cleaned again
(never wrong, only slower). The per-document time budget holds there too (budget.py).
"""

# No `from __future__ import annotations` here: Prefect validates the flow's parameters
# against its signature in the run's subprocess, and a string annotation 'CleanConfig'
# cannot be resolved there.
import os
import time

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State
from prefect.futures import as_completed
from prefect.runtime import flow_run, task_run
from prefect.utilities.annotations import quote

from cleaner import pipeline
from cleaner.cache import batch_key
from cleaner.config import CleanConfig
from cleaner.discover import Inventory, TransientReadError, discover
from cleaner.pipeline import BatchResult
from cleaner.publish import PublishReport
from cleaner.record import Article, Reject, RejectReason
from cleaner.report import MAX_ROWS, duplicate_rows, reject_rows, summary_markdown
from cleaner.rules import load_rules
from cleaner.run import (
    PROCESS_MIN_DOCUMENTS,
    Runner,
    cleaned_apart,
    cut_site_boilerplate,
    decide_spooled,
    publish_spooled,
    run,
)

# Transient read errors (an NFS hiccup) fail the batch and Prefect retries it with backoff;
# on the last try they become the document's reject instead. A bad document is a reject at
# once, never a retry.
READ_RETRIES = 3
READ_BACKOFF = [1, 4, 10]


def _only_transient(task, task_run, state) -> bool:
    """Retry a failed discovery only for a network hiccup in listing the location (an input the
    store cannot serve is tried again by discover itself, then rejected); a missing bucket or
    folder fails at once."""
    try:
        state.result()
    except TransientReadError:
        return True
    except BaseException:
        return False
    return False


@task(name="discover", retries=READ_RETRIES, retry_delay_seconds=READ_BACKOFF, cache_policy=NO_CACHE,
      retry_condition_fn=_only_transient)
def discover_inputs(raw_dir: str) -> Inventory:
    return discover(raw_dir)


# Rejects that tell of the moment more than of the document: a busy machine's timeout, a read
# that failed on its last try, a crash (a MemoryError under pressure, a worker killed: a bug would
# crash again, and costs one batch's cleaning). A cached batch holding one is cleaned again, not
# replayed: its key (inputs, settings, code) would otherwise return the reject on every unchanged rerun.
MOMENTARY_REJECTS = frozenset({RejectReason.TIMEOUT, RejectReason.UNREADABLE, RejectReason.INTERNAL_ERROR})


def worker_died(state: State) -> bool:
    """A batch's task run that never ended, or crashed: the Dask worker running it died (killed,
    out of memory, a crash in a C extension) and Dask gave up on it (KilledWorker), so Prefect
    never heard its end. The batch is then cleaned apart (cleaner.run.cleaned_apart)."""
    return not state.is_final() or state.is_crashed()


def _batch_cache_key(context, parameters: dict) -> str:
    return batch_key(parameters["articles"], parameters["config"])


@task(
    name="clean_batch", task_run_name="clean_batch-{index}",
    cache_key_fn=_batch_cache_key, persist_result=True,
    # Streaming: the flow drops each batch once it is spooled; a result kept in memory by the
    # task run state as well would hold every cleaned article until the run ends.
    cache_result_in_memory=False,
    retries=READ_RETRIES, retry_delay_seconds=READ_BACKOFF,
)
def clean_batch(articles: list[Article], config: CleanConfig, index: int) -> BatchResult:
    """read -> decode -> extract -> strip -> tag over one batch of articles, and their dedup fingerprints."""
    last_try = (task_run.run_count or 1) > READ_RETRIES
    return pipeline.clean_batch(articles, config, load_rules(rules_dir=config.rules_dir), retry_transient=not last_try)


dedup_task = task(name="dedup", cache_policy=NO_CACHE)(decide_spooled)
site_task = task(name="site_boilerplate", cache_policy=NO_CACHE)(cut_site_boilerplate)
publish_task = task(name="publish", cache_policy=NO_CACHE)(publish_spooled)


def dask_runner(config: CleanConfig, documents: int, batches: int):
    """The DaskTaskRunner the settings ask for, or None for batches in this process."""
    workers = config.workers or os.cpu_count() or 1
    small = batches < 2 or documents < PROCESS_MIN_DOCUMENTS or workers < 2
    if not batches or config.task_runner == "local" or (config.task_runner == "auto" and small):
        return None
    from prefect_dask import DaskTaskRunner

    if config.dask_address:
        return DaskTaskRunner(address=config.dask_address)
    # Processes, one thread each: cleaning is CPU-bound Python, which threads would serialise.
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})


class PrefectRunner(Runner):
    """The library's run with each phase a Prefect task, batches cached, progress in the log and the UI."""

    def __init__(self, config: CleanConfig) -> None:
        self.logger = get_run_logger()
        self.started = time.perf_counter()
        self.cached = self.done = 0
        self.documents = 0
        self.progress = None
        self.task = clean_batch.with_options(refresh_cache=True) if config.full_rebuild else clean_batch

    def discover(self, config):
        inventory = discover_inputs(config.raw_dir)
        self.documents = len(inventory.articles)
        return inventory

    def clean(self, batches, config, rules):
        runner = dask_runner(config, self.documents, len(batches))
        if runner is None:  # in this process, one after another (the time budget uses SIGALRM here)
            for index, batch in enumerate(batches, start=1):
                yield self._collected(index, self.task(batch, config, index, return_state=True), batch, config)
            return
        where = config.dask_address or f"a local cluster of {runner.cluster_kwargs['n_workers']} worker processes"
        # A window of batches in flight, not all at once: a finished batch's result lives in the
        # cluster until its future is released, so submitting everything would hold every cleaned
        # article there. Two per worker keeps every worker busy while a result is collected.
        window = 2 * (config.workers or (runner.cluster_kwargs or {}).get("n_workers") or 8)
        self.logger.info("Cleaning %d batches on Dask (%s), up to %d at a time", len(batches), where, window)
        todo = iter(enumerate(batches, start=1))
        with runner:
            pending: dict = {}
            while True:
                for index, batch in todo:
                    pending[runner.submit(self.task, {"articles": batch, "config": config, "index": index})] = (
                        index, batch)
                    if len(pending) >= window:
                        break
                if not pending:
                    return
                future = next(as_completed(list(pending)))
                index, batch = pending.pop(future)
                future.wait()
                if worker_died(future.state):
                    self.logger.warning("Batch %d: the worker process cleaning it died; cleaning it apart", index)
                    yield index, cleaned_apart(batch, config, load_rules(rules_dir=config.rules_dir)), False
                else:
                    yield self._collected(index, future.state, batch, config)
                del future

    def _collected(self, index: int, state: State, batch: list[Article],
                   config: CleanConfig) -> tuple[int, BatchResult, bool]:
        """(index, result, from the cache); a cached result that holds a momentary reject is
        cleaned again here, and the new result replaces it in the cache."""
        result, cached = state.result(), state.name == "Cached"
        if cached and any(r.reason in MOMENTARY_REJECTS for r in result.rejects):
            self.logger.info("Batch %d: its cached result holds a timeout, an unreadable file or a crash; "
                             "cleaning it again",
                             index)
            result = clean_batch.with_options(refresh_cache=True)(batch, config, index)
            cached = False
        return index, result, cached

    def dedup(self, spool, summaries, config):
        return dedup_task(spool, quote(summaries), config)

    def site_boilerplate(self, spool, summaries, decisions, config):
        return site_task(spool, quote(summaries), quote(decisions), config)

    def publish(self, spool, ids, decisions, rejects, inventory, config, run_id, registry):
        return publish_task(spool, quote(ids), quote(decisions), quote(rejects), inventory, config, run_id,
                            registry)

    def on_discovered(self, inventory, batches, config):
        self.batches = len(batches)
        self.logger.info(
            "Found %d documents in %d files under %s (%d rejected on sight); %d batches of up to %d%s",
            inventory.documents, len(inventory.files), config.raw_dir, len(inventory.rejects),
            len(batches), max(map(len, batches), default=0),
            " (full rebuild: cache ignored)" if config.full_rebuild else "",
        )
        self.progress = create_progress_artifact(0.0 if batches else 100.0, description="Batches of articles cleaned")
        self.seen = 0

    def on_batch(self, index, batches, result, cached):
        self.cached += cached
        self.seen += 1
        self.done += len(result.kept) + len(result.rejects)
        update_progress_artifact(self.progress, 100 * self.seen / batches)
        self.logger.info(
            "Batch %d/%d%s: %d articles cleaned, %d rejected (%d/%d documents, %.0f%%)",
            index, batches, " (cached)" if cached else "", len(result.kept), len(result.rejects),
            self.done, self.documents, 100 * self.done / max(self.documents, 1),
        )

    def on_deduplicated(self, decisions):
        self.logger.info("Deduplicated: %d duplicates of other articles; %d stories",
                         sum(1 for d in decisions if d.duplicate_of), len({d.story_id for d in decisions}))


def with_deployment_settings(config: CleanConfig) -> CleanConfig:
    """A run of a deployment given only some settings ('prefect deployment run --param
    config={"full_rebuild": true}', the API, an automation) takes the others from the
    deployment, not from CleanConfig's defaults.

    Prefect merges a run's parameters into its deployment's one parameter deep, and all of
    cleaner's settings are one parameter: a partial `config` replaced the deployment's whole,
    and the run cleaned ./raw into ./clean of wherever serve was started. Pydantic records
    which fields a run gave (`model_fields_set`); the UI's form gives them all."""
    from prefect.runtime import deployment

    given = config.model_fields_set
    if deployment.id is None or given >= CleanConfig.model_fields.keys():
        return config
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        settings = (client.read_deployment(deployment.id).parameters or {}).get("config") or {}
    return CleanConfig.model_validate({**settings, **config.model_dump(include=given)})


@flow(name="clean_articles", log_prints=False)
def clean_articles(config: CleanConfig = CleanConfig()) -> dict:
    """Strip boilerplate from every article in the raw folder, deduplicate, tag and publish."""
    config = with_deployment_settings(config)
    runner = PrefectRunner(config)
    result = run(config, runner, run_id=str(flow_run.id or "local"))
    report: PublishReport = result.report
    rejects: list[Reject] = result.rejects
    c = report.counts
    create_markdown_artifact(
        key="cleaner-run-summary", description="What this run published, removed and rejected",
        markdown=summary_markdown(report, rejects, cached_batches=runner.cached, batches=runner.batches),
    )
    create_table_artifact(key="cleaner-rejects",
                          table=reject_rows(rejects)[:MAX_ROWS] or [{"source": "", "reason": "none"}],
                          description="Inputs that were not published, with the reason")
    create_table_artifact(key="cleaner-duplicates",
                          table=duplicate_rows(report)[:MAX_ROWS] or [{"canonical": "", "duplicate": "none"}],
                          description="Duplicates and the canonical article each one points at")
    runner.logger.info(
        "Published to %s: %d inputs = %d published + %d duplicates + %d rejects (%.1f s, %d/%d batches from cache)",
        report.out_dir, c["inputs"], c["published"], c["duplicates"], c["rejects"],
        time.perf_counter() - runner.started, runner.cached, runner.batches,
    )
    return {"out_dir": report.out_dir, "run_id": report.run_id, "counts": c,
            "removals_by_category": report.removals_by_category,
            "batches": runner.batches, "cached_batches": runner.cached}


if __name__ == "__main__":
    clean_articles()
