"""The stages in order, run over a batch, and the whole run without Prefect.

    discover -> [read -> decode -> extract -> strip -> tag] per batch -> dedup -> site boilerplate -> publish

The Prefect flow (flows/clean.py) and the tests call these same functions; the flow adds
tasks, logging and the UI around them.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.dedup import Decision, DedupSettings, Fingerprint, decide, fingerprint
from cleaner.discover import Inventory, TransientReadError, discover, read
from cleaner.extract import extract
from cleaner.normalize import content_hash
from cleaner.publish import SITE_FILE, PublishReport, duplicate_map, published_file, publish_stream
from cleaner.record import Article, BatchResult, Reject, RejectReason
from cleaner.region import load_text_models
from cleaner.rules import RuleSet, load_rules
from cleaner.budget import DocumentTimeout, time_limit
from cleaner import sites
from cleaner.spool import Spool
from cleaner.strip import strip
from cleaner.tag import TagSettings, tag

Stage = Callable[[Article], "Article | Reject"]
log = logging.getLogger(__name__)


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
        ("extract", partial(extract, rules=rules, max_depth=config.max_html_depth,
                            max_elements=config.max_html_elements)),
        ("strip", partial(strip, rules=rules, min_words=config.min_words,
                          models=load_text_models() if config.block_model else None)),
        ("tag", partial(tag, settings=tag_settings(config))),
    )


def apply(name: str, stage: Stage, articles: Sequence[Article], strict: bool = False) -> BatchResult:
    """Run one stage over a batch. A crash on one article rejects that article, not the batch."""
    kept: list[Article] = []
    rejects: list[Reject] = []
    for article in articles:
        result = run_document(article, ((name, stage),), strict=strict)
        (rejects if isinstance(result, Reject) else kept).append(result)
    return BatchResult(kept=kept, rejects=rejects)


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
            for name, stage in chain:
                current = stage(current)
                if isinstance(current, Reject):
                    break
    except TransientReadError as exc:
        if retry_transient:
            raise
        return _reject(article, name, RejectReason.UNREADABLE, f"could not read the file after retries: {exc}")
    except DocumentTimeout:
        return _reject(article, name, RejectReason.TIMEOUT,
                       f"cleaning took longer than the {seconds:g}-second budget (max_seconds_per_document)")
    except Exception as exc:
        if strict:
            raise
        return _reject(article, name, RejectReason.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:500])
    return current


def _reject(article: Article, stage: str, reason: RejectReason, detail: str) -> Reject:
    return Reject(article_id=article.id, source=article.source, record=article.record,
                  stage=stage, reason=reason, detail=detail)


def process_batch(
    articles: Sequence[Article], config: CleanConfig, rules: RuleSet | None = None, strict: bool = False,
    retry_transient: bool = False,
) -> BatchResult:
    """read -> decode -> extract -> strip -> tag over one batch, each document within its time budget."""
    chain = stages(config, rules if rules is not None else load_rules(rules_dir=config.rules_dir))
    kept: list[Article] = []
    rejects: list[Reject] = []
    for article in articles:
        result = run_document(article, chain, config.max_seconds_per_document, strict=strict,
                              retry_transient=retry_transient)
        (rejects if isinstance(result, Reject) else kept).append(result)
    return BatchResult(kept=kept, rejects=rejects)


@dataclass(frozen=True, slots=True)
class _Cleaned:
    """One cleaned document and what the run keeps of it while the article waits in the spool."""
    article: Article
    fingerprint: Fingerprint
    site: sites.SiteBlocks


def _summarise(article: Article, settings: DedupSettings) -> _Cleaned:
    return _Cleaned(article, fingerprint(article, settings), sites.observe(article))


def clean_batch(
    articles: Sequence[Article], config: CleanConfig, rules: RuleSet | None = None, strict: bool = False,
    retry_transient: bool = False,
) -> BatchResult:
    """process_batch plus each kept article's dedup fingerprint and site blocks: one batch's
    work in a run, done where the batch is cleaned (a Dask worker too), so the run only
    collects results. Fingerprint and site blocks are stages of the document's chain, inside
    its guard and time budget: a crash there rejects the document, not the batch."""
    chain = (*stages(config, rules if rules is not None else load_rules(rules_dir=config.rules_dir)),
             ("fingerprint", partial(_summarise, settings=dedup_settings(config))))
    kept: list[_Cleaned] = []
    rejects: list[Reject] = []
    for article in articles:
        result = run_document(article, chain, config.max_seconds_per_document, strict=strict,
                              retry_transient=retry_transient)
        (rejects if isinstance(result, Reject) else kept).append(result)
    return BatchResult(kept=[c.article for c in kept], rejects=rejects,
                       fingerprints=tuple(c.fingerprint for c in kept), sites=tuple(c.site for c in kept))


def batched(items: Sequence[Article], size: int) -> Iterator[list[Article]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


@dataclass(frozen=True, slots=True)
class RunResult:
    inventory: Inventory
    article_ids: list[str]  # published and duplicates, in publishing order
    rejects: list[Reject]
    report: PublishReport


def run(config: CleanConfig, strict: bool = False, run_id: str | None = None) -> RunResult:
    """The whole pipeline in a plain loop: what the flow does, without Prefect.

    Streaming: each cleaned batch goes to the spool on disk at once; the run keeps the
    fingerprints, dedup decides on them, and publish reads the articles back one at a time.
    """
    rules = load_rules(rules_dir=config.rules_dir)
    inventory = discover(config.raw_dir)
    rejects: list[Reject] = list(inventory.rejects)
    prints: list[Fingerprint] = []
    observed: list[sites.SiteBlocks] = []
    with Spool() as spool:
        for index, batch in enumerate(batched(inventory.articles, config.batch_size), start=1):
            result = clean_batch(batch, config, rules, strict=strict)
            spool.put(index, result.kept)
            prints.extend(result.fingerprints)
            observed.extend(result.sites)
            rejects.extend(result.rejects)
        decisions = decide_spooled(spool, prints, config)
        registry = cut_site_boilerplate(spool, prints, decisions, observed, config)
        del observed
        report = publish_spooled(spool, prints, decisions, rejects, inventory, config, run_id or uuid.uuid4().hex,
                                 registry)
    return RunResult(inventory, [p.id for p in prints], rejects, report)


def cut_site_boilerplate(spool: Spool, prints: Sequence[Fingerprint], decisions: Sequence[Decision],
                         observed: Sequence[sites.SiteBlocks], config: CleanConfig) -> bytes:
    """Learn each site's repeated blocks over the stories dedup found (this run and the dataset
    published before) and cut them from the spooled articles that hold them, which are tagged
    again. Exact copies are cut alike or not at all, so they keep equal content hashes (the
    schema's promise). Returns the registry to publish (site_boilerplate.json)."""
    previous = sites.EMPTY
    if config.site_min_stories >= 2:
        try:
            previous = sites.read_registry(published_file(config.out_dir, SITE_FILE))
        except (ValueError, KeyError, TypeError) as exc:  # a damaged file: learn afresh, say so
            log.warning("ignoring the published %s, which cannot be read (%s); learning from this run only",
                        SITE_FILE, exc)
    registry = sites.learn([d.story_id for d in decisions], observed, config.site_min_stories, previous)
    hashes = [p.content_hash for p in prints]
    plan = sites.plan(observed, hashes, registry)
    for position in _copies_cut_unalike(spool, plan, hashes, registry, config.min_words):
        del plan[position]
    texts: dict[tuple[str, int], str] = {}
    retag = partial(tag, settings=tag_settings(config))

    def change(position: int, article: Article) -> Article:
        stripped = sites.cut(article, registry, config.min_words, plan[position])
        if stripped is article:
            return article
        texts.update(sites.texts(stripped))
        return retag(stripped)

    spool.rewrite(plan, change)
    return registry.with_texts(texts).to_json()


def _copies_cut_unalike(spool: Spool, plan: dict[int, dict[int, str]], hashes: Sequence[str],
                        registry: sites.Registry, min_words: int) -> list[int]:
    """Positions in `plan` of exact copies that the cut would leave with different hashes (their
    blocks split apart differently, or the guards keep the blocks in one copy): none of those
    copies is cut. Only articles with an exact copy are read."""
    copies = Counter(hashes)
    after: dict[str, set[str]] = defaultdict(set)
    for position, article in spool.read([p for p in plan if copies[hashes[p]] > 1]):
        after[hashes[position]].add(content_hash(sites.cut(article, registry, min_words, plan[position]).body))
    return [p for p in plan if len(after.get(hashes[p], ())) > 1]


def decide_spooled(spool: Spool, prints: Sequence[Fingerprint], config: CleanConfig) -> list[Decision]:
    """dedup's decisions for the spooled articles (candidate pairs read their shingles back from the spool)."""
    settings = dedup_settings(config)
    return decide(prints, settings, lambda positions: spool.shingles(positions, settings))


def publish_spooled(spool: Spool, prints: Sequence[Fingerprint], decisions: Sequence[Decision],
                    rejects: Sequence[Reject], inventory: Inventory, config: CleanConfig, run_id: str,
                    site_registry: bytes = b"") -> PublishReport:
    """Publish the spooled articles with dedup's decisions (in the fingerprints' order) set on them."""
    copies = duplicate_map((p.id, d.duplicate_of) for p, d in zip(prints, decisions))
    return publish_stream(spool.decided(decisions), copies, rejects, inventory, config.out_dir,
                          config.model_dump(), run_id, site_registry)
