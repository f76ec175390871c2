"""The per-document stages in order, and one batch of documents taken through them.

    [read -> decode -> extract -> strip -> tag -> fingerprint] per document, each within its guard

The whole run (discover, batches, dedup, site pass, publish) is cleaner.run; a batch's work is
`clean_batch`, wherever it runs (this process, a worker process, a Prefect task, Dask).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from cleaner import sites
from cleaner.budget import DocumentTimeout, time_limit
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.dedup import DedupSettings, Fingerprint, fingerprint
from cleaner.discover import TransientReadError, read
from cleaner.extract import extract
from cleaner.record import Article, Reject, RejectReason
from cleaner.region import load_text_models
from cleaner.rules import RuleSet, load_rules
from cleaner.strip import strip
from cleaner.tag import TagSettings, tag

Stage = Callable[[Article], "Article | Reject"]


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run keeps of one cleaned article while the article waits in the spool."""

    fingerprint: Fingerprint  # dedup's view of it (its id, hash, signature and story profiles)
    site: sites.SiteBlocks  # the blocks the site pass may find repeated across its site's stories


@dataclass(frozen=True, slots=True)
class BatchResult:
    kept: list[Article]
    rejects: list[Reject]
    summaries: tuple[Summary, ...] = ()  # one per kept article, in the same order (clean_batch)


def tag_settings(config: CleanConfig) -> TagSettings:
    return TagSettings(keywords=config.keywords, entities=config.entities, words_per_minute=config.words_per_minute)


def dedup_settings(config: CleanConfig) -> DedupSettings:
    return DedupSettings(
        near_threshold=config.near_duplicate_threshold, containment_threshold=config.containment_threshold,
        containment_max_ratio=config.containment_max_ratio, containment_min_shingles=config.containment_min_shingles,
        shingle_size=config.shingle_size,
        num_perm=config.num_perm, story_threshold=config.story_threshold,
        story_window_days=config.story_window_days,
    )


def stages(config: CleanConfig, rules: RuleSet) -> tuple[tuple[str, Stage], ...]:
    """The per-article stages, each bound to the settings it uses."""
    models = load_text_models() if config.block_model or config.second_reading else None
    return (
        ("read", partial(read, raw_dir=config.raw_dir, max_bytes=config.max_bytes)),
        ("decode", partial(decode, max_bytes=config.max_bytes)),
        ("extract", partial(extract, rules=rules, max_depth=config.max_html_depth,
                            max_elements=config.max_html_elements, models=models if config.second_reading else None)),
        ("strip", partial(strip, rules=rules, min_words=config.min_words,
                          models=models if config.block_model else None)),
        ("tag", partial(tag, settings=tag_settings(config))),
    )


def run_document(
    article: Article, chain: Sequence[tuple[str, Callable]], seconds: float | None = None, strict: bool = False,
    retry_transient: bool = False,
):
    """Take one document through the stages of `chain`, within a time budget: what the last
    stage returned (the article, or what `clean_batch` keeps of it), or the document's reject.

    This is the only broad `except` in the library: an unexpected crash on one document
    becomes that document's reject (internal_error), never a failed batch. Tests pass
    strict=True to see the crash. A transient read error is raised when the caller will
    retry (`retry_transient`), else it is the document's reject (unreadable).
    """
    current = article
    name = chain[0][0] if chain else ""
    try:
        with time_limit(seconds):
            for name, stage in chain:  # noqa: B007 (the except branches name the stage that failed)
                current = stage(current)
                if isinstance(current, Reject):
                    break
    except TransientReadError as exc:
        if retry_transient:
            raise
        return Reject.of(article, name, RejectReason.UNREADABLE, f"could not read the file after retries: {exc}")
    except DocumentTimeout:
        return Reject.of(article, name, RejectReason.TIMEOUT,
                       f"cleaning took longer than the {seconds:g}-second budget (max_seconds_per_document)")
    except Exception as exc:
        if strict:
            raise
        return Reject.of(article, name, RejectReason.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:500])
    return current




def process_batch(
    articles: Sequence[Article], config: CleanConfig, rules: RuleSet | None = None, strict: bool = False,
    retry_transient: bool = False,
) -> BatchResult:
    """read -> decode -> extract -> strip -> tag over one batch, each document within its time budget."""
    chain = stages(config, rules if rules is not None else load_rules(rules_dir=config.rules_dir))
    kept, rejects = _through(articles, chain, config, strict, retry_transient)
    return BatchResult(kept=kept, rejects=rejects)


def clean_batch(
    articles: Sequence[Article], config: CleanConfig, rules: RuleSet | None = None, strict: bool = False,
    retry_transient: bool = False,
) -> BatchResult:
    """process_batch plus each kept article's Summary: one batch's work in a run, done where the
    batch is cleaned (a worker process too), so the run only collects results. Fingerprint and
    site blocks are stages of the document's chain, inside its guard and time budget: a crash
    there rejects the document, not the batch."""
    chain = (*stages(config, rules if rules is not None else load_rules(rules_dir=config.rules_dir)),
             ("fingerprint", partial(_summarise, settings=dedup_settings(config))))
    kept, rejects = _through(articles, chain, config, strict, retry_transient)
    return BatchResult(kept=[a for a, _ in kept], rejects=rejects, summaries=tuple(s for _, s in kept))


def _through(articles: Sequence[Article], chain, config: CleanConfig, strict: bool,
             retry_transient: bool) -> tuple[list, list[Reject]]:
    """What each document's chain made of it, and the documents it rejected."""
    kept: list = []
    rejects: list[Reject] = []
    for article in articles:
        result = run_document(article, chain, config.max_seconds_per_document, strict=strict,
                              retry_transient=retry_transient)
        (rejects if isinstance(result, Reject) else kept).append(result)
    return kept, rejects


def _summarise(article: Article, settings: DedupSettings) -> tuple[Article, Summary]:
    return article, Summary(fingerprint(article, settings), sites.observe(article))
