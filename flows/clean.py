"""The `clean_articles` Prefect flow: raw/ -> clean/ (boilerplate stripped, deduplicated, tagged, published).

Run it with `cleaner run` (Prefect's local mode: a temporary server starts by itself) or
`python -m flows.clean`. Tasks are thin wrappers over the library in src/cleaner; each works
on a batch of articles (hundreds), never one task per article, so a run has tens of task
runs and the Prefect server keeps up (see PREFECT_NOTES.md).
"""

from __future__ import annotations

import time

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from cleaner.config import CleanConfig
from cleaner.dedup import dedup
from cleaner.discover import Inventory, discover
from cleaner.pipeline import batched, dedup_settings, process_batch
from cleaner.publish import PublishReport, publish
from cleaner.record import Article, BatchResult, Reject
from cleaner.rules import load_rules

# Articles travel between tasks in memory; hashing them for Prefect's default cache key
# would cost a pass over every byte for nothing.
_TASK = {"cache_policy": NO_CACHE}


@task(name="discover", **_TASK)
def discover_inputs(raw_dir: str) -> Inventory:
    return discover(raw_dir)


@task(name="clean_batch", task_run_name="clean_batch-{index}", **_TASK)
def clean_batch(articles: list[Article], config: CleanConfig, index: int) -> BatchResult:
    """read -> decode -> extract -> strip -> tag over one batch of articles."""
    return process_batch(articles, config, load_rules())


@task(name="dedup", **_TASK)
def dedup_articles(articles: list[Article], config: CleanConfig) -> list[Article]:
    return dedup(articles, dedup_settings(config))


@task(name="publish", **_TASK)
def publish_dataset(
    articles: list[Article], rejects: list[Reject], inventory: Inventory, config: CleanConfig, run_id: str
) -> PublishReport:
    return publish(articles, rejects, inventory, config.out_dir, config.model_dump(), run_id)


@flow(name="clean_articles", log_prints=False)
def clean_articles(config: CleanConfig = CleanConfig()) -> dict:
    """Strip boilerplate from every article in the raw folder, deduplicate, tag and publish."""
    from prefect.runtime import flow_run

    logger = get_run_logger()
    started = time.perf_counter()
    load_rules()  # bad rules fail the run here, before any article is touched
    inventory = discover_inputs(config.raw_dir)
    batches = list(batched(inventory.articles, config.batch_size))
    logger.info(
        "Found %d documents in %d files under %s (%d rejected on sight); %d batches of up to %d",
        inventory.documents, len(inventory.files), config.raw_dir, len(inventory.rejects),
        len(batches), config.batch_size,
    )
    kept: list[Article] = []
    rejects: list[Reject] = list(inventory.rejects)
    done = 0
    for index, batch in enumerate(batches, start=1):
        result = clean_batch(batch, config, index)
        kept.extend(result.kept)
        rejects.extend(result.rejects)
        done += len(batch)
        logger.info(
            "Batch %d/%d: %d articles cleaned, %d rejected (%d/%d documents, %.0f%%)",
            index, len(batches), len(result.kept), len(result.rejects), done,
            len(inventory.articles), 100 * done / max(len(inventory.articles), 1),
        )
    articles = dedup_articles(kept, config)
    duplicates = sum(1 for a in articles if a.duplicate_of)
    stories = len({a.story_id for a in articles})
    logger.info("Deduplicated: %d duplicates of other articles; %d stories", duplicates, stories)
    report = publish_dataset(articles, rejects, inventory, config, str(flow_run.id or "local"))
    c = report.counts
    logger.info(
        "Published to %s: %d inputs = %d published + %d duplicates + %d rejects (%.1f s)",
        report.out_dir, c["inputs"], c["published"], c["duplicates"], c["rejects"],
        time.perf_counter() - started,
    )
    return {"out_dir": report.out_dir, "run_id": report.run_id, "counts": c,
            "removals_by_category": report.removals_by_category}


if __name__ == "__main__":
    clean_articles()
