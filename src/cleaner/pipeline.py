"""The stages in order, run over a batch, and the whole run without Prefect.

    discover -> [read -> decode -> extract -> strip -> tag] per batch -> dedup -> publish

The Prefect flow (flows/clean.py) and the tests call these same functions; the flow adds
tasks, logging and the UI around them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.dedup import DedupSettings, dedup
from cleaner.discover import Inventory, discover, read
from cleaner.extract import extract
from cleaner.publish import PublishReport, publish
from cleaner.record import Article, BatchResult, Reject, RejectReason
from cleaner.rules import RuleSet, load_rules
from cleaner.strip import strip
from cleaner.tag import TagSettings, tag

Stage = Callable[[Article], "Article | Reject"]


def tag_settings(config: CleanConfig) -> TagSettings:
    return TagSettings(keywords=config.keywords, entities=config.entities, words_per_minute=config.words_per_minute)


def dedup_settings(config: CleanConfig) -> DedupSettings:
    return DedupSettings(
        near_threshold=config.near_duplicate_threshold, shingle_size=config.shingle_size,
        num_perm=config.num_perm, story_threshold=config.story_threshold,
        story_window_days=config.story_window_days,
    )


def stages(config: CleanConfig, rules: RuleSet) -> tuple[tuple[str, Stage], ...]:
    """The per-article stages, each bound to the settings it uses."""
    return (
        ("read", partial(read, raw_dir=config.raw_dir, max_bytes=config.max_bytes)),
        ("decode", partial(decode, max_bytes=config.max_bytes)),
        ("extract", partial(extract, rules=rules)),
        ("strip", partial(strip, rules=rules, min_words=config.min_words)),
        ("tag", partial(tag, settings=tag_settings(config))),
    )


def apply(name: str, stage: Stage, articles: Sequence[Article], strict: bool = False) -> BatchResult:
    """Run one stage over a batch. A crash on one article rejects that article, not the batch.

    This is the only broad `except` in the library; tests pass strict=True to see the crash.
    """
    kept: list[Article] = []
    rejects: list[Reject] = []
    for article in articles:
        try:
            result = stage(article)
        except Exception as exc:
            if strict:
                raise
            result = Reject(
                article_id=article.id, source=article.source, record=article.record, stage=name,
                reason=RejectReason.INTERNAL_ERROR, detail=f"{type(exc).__name__}: {exc}"[:500],
            )
        (rejects if isinstance(result, Reject) else kept).append(result)
    return BatchResult(kept=kept, rejects=rejects)


def process_batch(
    articles: Sequence[Article], config: CleanConfig, rules: RuleSet | None = None, strict: bool = False
) -> BatchResult:
    """read -> decode -> extract -> strip -> tag over one batch."""
    rules = rules if rules is not None else load_rules()
    current = list(articles)
    rejects: list[Reject] = []
    for name, stage in stages(config, rules):
        result = apply(name, stage, current, strict=strict)
        current = result.kept
        rejects.extend(result.rejects)
    return BatchResult(kept=current, rejects=rejects)


def batched(items: Sequence[Article], size: int) -> Iterator[list[Article]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


@dataclass(frozen=True, slots=True)
class RunResult:
    inventory: Inventory
    articles: list[Article]
    rejects: list[Reject]
    report: PublishReport


def run(config: CleanConfig, strict: bool = False, run_id: str | None = None) -> RunResult:
    """The whole pipeline in a plain loop: what the flow does, without Prefect."""
    rules = load_rules()
    inventory = discover(config.raw_dir)
    kept: list[Article] = []
    rejects: list[Reject] = list(inventory.rejects)
    for batch in batched(inventory.articles, config.batch_size):
        result = process_batch(batch, config, rules, strict=strict)
        kept.extend(result.kept)
        rejects.extend(result.rejects)
    articles = dedup(kept, dedup_settings(config))
    report = publish(articles, rejects, inventory, config.out_dir, config.model_dump(), run_id or uuid.uuid4().hex)
    return RunResult(inventory, articles, rejects, report)
