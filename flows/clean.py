"""The `clean_articles` Prefect flow: raw/ -> clean/ (boilerplate stripped, deduplicated, tagged, published).

Run it with `cleaner run` (a temporary Prefect server starts by itself), or serve
it on a schedule with `cleaner serve` (flows/serve.py). Tasks are thin wrappers over the library
in src/cleaner; each works on a batch of articles (hundreds), never one task per article, so a
run has tens of task runs and the Prefect server keeps up (see PREFECT_NOTES.md).

Batches are cached by the content of their inputs, the settings that shape the output and the
code version (cleaner.cache.batch_key): an unchanged rerun skips extraction and cleaning, a run
killed half-way reuses the batches it finished, and `full_rebuild` ignores the cache.

`task_runner` picks where batches are cleaned, at run time from the run's own settings (so
`cleaner run`, a served deployment and the UI's run form all honour it): "local" calls each
batch in the flow's process, one after another, as before; "dask" submits every batch at
once to a Dask cluster (prefect-dask's DaskTaskRunner: a local cluster of `dask_workers`
processes, or the scheduler at `dask_address`) and takes the results as they complete.
Discovery, dedup and publishing always run in the flow's process. On a Dask worker the
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
from collections.abc import Iterator

from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, create_table_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State
from prefect.futures import as_completed
from prefect.runtime import flow_run, task_run
from prefect.utilities.annotations import quote

from cleaner.cache import batch_key
from cleaner.config import CleanConfig
from cleaner.dedup import Decision, Fingerprint
from cleaner.discover import Inventory, TransientReadError, discover
from cleaner import pipeline
from cleaner.pipeline import batched, cut_site_boilerplate, decide_spooled, publish_spooled
from cleaner.publish import PublishReport, output_lock
from cleaner.record import Article, BatchResult, Reject
from cleaner.sites import SiteBlocks
from cleaner.spool import Spool
from cleaner.report import MAX_ROWS, duplicate_rows, reject_rows, summary_markdown
from cleaner.rules import load_rules

# Transient read errors (an NFS hiccup) fail the batch and Prefect retries it with backoff;
# on the last try they become the document's reject instead. A bad document is a reject at
# once, never a retry.
READ_RETRIES = 3
READ_BACKOFF = [1, 4, 10]


def _only_transient(task, task_run, state) -> bool:
    """Retry a failed discovery only for a network hiccup; a missing bucket or folder fails at once."""
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


@task(name="dedup", cache_policy=NO_CACHE)
def dedup_articles(spool: Spool, prints: list[Fingerprint], config: CleanConfig) -> list[Decision]:
    return decide_spooled(spool, prints, config)


@task(name="site_boilerplate", cache_policy=NO_CACHE)
def site_boilerplate(spool: Spool, prints: list[Fingerprint], decisions: list[Decision], observed: list[SiteBlocks],
                     config: CleanConfig) -> bytes:
    """Learn blocks each site repeats across stories and cut them (cleaner.sites), exact copies alike."""
    return cut_site_boilerplate(spool, prints, decisions, observed, config)


@task(name="publish", cache_policy=NO_CACHE)
def publish_dataset(
    spool: Spool, prints: list[Fingerprint], decisions: list[Decision], rejects: list[Reject],
    inventory: Inventory, config: CleanConfig, run_id: str, site_registry: bytes,
) -> PublishReport:
    return publish_spooled(spool, prints, decisions, rejects, inventory, config, run_id, site_registry)


def dask_runner(config: CleanConfig):
    """The DaskTaskRunner the settings ask for, or None for the local runner."""
    if config.task_runner != "dask":
        return None
    from prefect_dask import DaskTaskRunner

    if config.dask_address:
        return DaskTaskRunner(address=config.dask_address)
    # Processes, one thread each: cleaning is CPU-bound Python, which threads would serialise.
    workers = config.dask_workers or os.cpu_count() or 1
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})


def run_batches(cleaner_task: Task, batches: list[list[Article]], config: CleanConfig) -> Iterator[tuple[int, State]]:
    """(1-based batch index, final state) of every batch, in the order they finish."""
    runner = dask_runner(config) if batches else None
    if runner is None:  # in this process, one after another (the time budget uses SIGALRM here)
        for index, batch in enumerate(batches, start=1):
            yield index, cleaner_task(batch, config, index, return_state=True)
        return
    where = config.dask_address or f"a local cluster of {runner.cluster_kwargs['n_workers']} worker processes"
    # A window of batches in flight, not all at once: a finished batch's result lives in the
    # cluster until its future is released, so submitting everything would hold every cleaned
    # article there. Two per worker keeps every worker busy while a result is collected.
    window = 2 * (config.dask_workers or (runner.cluster_kwargs or {}).get("n_workers") or 8)
    get_run_logger().info("Cleaning %d batches on Dask (%s), up to %d at a time", len(batches), where, window)
    todo = iter(enumerate(batches, start=1))
    with runner:
        pending: dict = {}
        while True:
            for index, batch in todo:
                pending[runner.submit(cleaner_task, {"articles": batch, "config": config, "index": index})] = index
                if len(pending) >= window:
                    break
            if not pending:
                return
            future = next(as_completed(list(pending)))
            index = pending.pop(future)
            future.wait()
            yield index, future.state
            del future


@flow(name="clean_articles", log_prints=False)
def clean_articles(config: CleanConfig = CleanConfig()) -> dict:
    """Strip boilerplate from every article in the raw folder, deduplicate, tag and publish."""
    logger = get_run_logger()
    started = time.perf_counter()
    load_rules(rules_dir=config.rules_dir)  # bad rules (yours too) fail the run here, before any article is touched
    with output_lock(config.out_dir, config.lock_wait_seconds):
        inventory = discover_inputs(config.raw_dir)
        batches = list(batched(inventory.articles, config.batch_size))
        logger.info(
            "Found %d documents in %d files under %s (%d rejected on sight); %d batches of up to %d%s",
            inventory.documents, len(inventory.files), config.raw_dir, len(inventory.rejects),
            len(batches), config.batch_size, " (full rebuild: cache ignored)" if config.full_rebuild else "",
        )
        progress = create_progress_artifact(0.0, description="Batches of articles cleaned")
        cleaner_task = clean_batch.with_options(refresh_cache=True) if config.full_rebuild else clean_batch
        # Streaming: a finished batch's articles go to the spool on disk at once; the flow keeps
        # their fingerprints (for dedup) and the rejects, never the articles (spool.py).
        prints: dict[int, tuple[Fingerprint, ...]] = {}
        observed: dict[int, tuple[SiteBlocks, ...]] = {}
        batch_rejects: dict[int, list[Reject]] = {}
        done = cached = 0
        with Spool() as spool:
            for index, state in run_batches(cleaner_task, batches, config):
                result: BatchResult = state.result()
                from_cache = state.name == "Cached"
                cached += from_cache
                spool.put(index, result.kept)
                prints[index], observed[index], batch_rejects[index] = result.fingerprints, result.sites, result.rejects
                done += len(batches[index - 1])
                update_progress_artifact(progress, 100 * len(prints) / len(batches))
                logger.info(
                    "Batch %d/%d%s: %d articles cleaned, %d rejected (%d/%d documents, %.0f%%)",
                    index, len(batches), " (cached)" if from_cache else "", len(result.kept), len(result.rejects),
                    done, len(inventory.articles), 100 * done / max(len(inventory.articles), 1),
                )
                del result, state
            if not batches:
                update_progress_artifact(progress, 100.0)
            # Batch order, whatever order they finished in: dedup and publish see the same sequence.
            fingerprints = [p for i in sorted(prints) for p in prints[i]]
            site_blocks = [o for i in sorted(observed) for o in observed[i]]
            del prints, observed
            rejects: list[Reject] = list(inventory.rejects) + [r for i in sorted(batch_rejects) for r in batch_rejects[i]]
            decisions = dedup_articles(spool, quote(fingerprints), config)
            logger.info("Deduplicated: %d duplicates of other articles; %d stories",
                        sum(1 for d in decisions if d.duplicate_of), len({d.story_id for d in decisions}))
            registry = site_boilerplate(spool, quote(fingerprints), quote(decisions), quote(site_blocks), config)
            del site_blocks
            report = publish_dataset(spool, quote(fingerprints), quote(decisions), quote(rejects), inventory, config,
                                     str(flow_run.id or "local"), registry)

    c = report.counts
    create_markdown_artifact(
        key="cleaner-run-summary", description="What this run published, removed and rejected",
        markdown=summary_markdown(report, rejects, cached_batches=cached, batches=len(batches)),
    )
    create_table_artifact(key="cleaner-rejects", table=reject_rows(rejects)[:MAX_ROWS] or [{"source": "", "reason": "none"}],
                          description="Inputs that were not published, with the reason")
    create_table_artifact(key="cleaner-duplicates", table=duplicate_rows(report)[:MAX_ROWS] or [{"canonical": "", "duplicate": "none"}],
                          description="Duplicates and the canonical article each one points at")
    logger.info(
        "Published to %s: %d inputs = %d published + %d duplicates + %d rejects (%.1f s, %d/%d batches from cache)",
        report.out_dir, c["inputs"], c["published"], c["duplicates"], c["rejects"],
        time.perf_counter() - started, cached, len(batches),
    )
    return {"out_dir": report.out_dir, "run_id": report.run_id, "counts": c,
            "removals_by_category": report.removals_by_category,
            "batches": len(batches), "cached_batches": cached}


if __name__ == "__main__":
    clean_articles()
