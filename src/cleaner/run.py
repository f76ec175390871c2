"""The whole run, written once: discover -> clean batches -> dedup -> site boilerplate -> publish.

    discover ─► batches ─► [read … tag, fingerprint] per batch ─► spool ─► dedup ─► site pass ─► publish

`run(config, runner)` holds the output lock and chains the phases; the `Runner` says how each
phase executes and hears how the run goes. The plain `Runner` does everything in this process;
`ProcessRunner` cleans batches on every core; the Prefect flow (flows/clean.py) subclasses it to
make each phase a task and each batch a cached task run, and adds logs and artifacts. None of
them restates the run.

Streaming: a cleaned batch's articles go to the spool on disk at once, with one `Summary` per
article (its dedup fingerprint and its site blocks, a kilobyte or two). Once every batch is
cleaned the run reads the summaries back, in spool order; dedup decides on them, the site pass
cuts what the sites repeat, and publish reads the articles back one at a time.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from cleaner import sites, storage
from cleaner._memory import detached, release_free_memory
from cleaner.config import CleanConfig
from cleaner.dedup import Decision, decide, story_name
from cleaner.discover import Inventory, discover
from cleaner.normalize import content_hash
from cleaner.pipeline import BatchResult, Summary, clean_batch, dedup_settings, tag_settings
from cleaner.publish import (
    SITE_FILE,
    PublishError,
    PublishReport,
    duplicate_map,
    output_lock,
    publish_stream,
    published_file,
)
from cleaner.record import Article, Reject, RejectReason
from cleaner.rules import RuleSet, load_rules
from cleaner.spool import Spool
from cleaner.tag import tag

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunResult:
    inventory: Inventory
    article_ids: list[str]  # published and duplicates, in publishing order
    rejects: list[Reject]
    report: PublishReport


def batched(items: Sequence[Article], size: int) -> list[list[Article]]:
    return [list(items[start:start + size]) for start in range(0, len(items), size)]


class Runner:
    """How the phases of a run execute, and what the run reports: everything in this process.

    Subclasses override a phase to run it elsewhere (a process pool, a Prefect task) and the
    `on_*` hooks to report; each phase's arguments and result are the library's own."""

    strict: bool = False  # tests: a crash on a document raises instead of becoming its reject

    def discover(self, config: CleanConfig) -> Inventory:
        return discover(config.raw_dir)

    def clean(self, batches: list[list[Article]], config: CleanConfig,
              rules: RuleSet) -> Iterator[tuple[int, BatchResult, bool]]:
        """(1-based batch index, result, whether it came from a cache) of every batch, in any order."""
        for index, batch in enumerate(batches, start=1):
            yield index, clean_batch(batch, config, rules, strict=self.strict), False

    def dedup(self, spool: Spool, summaries: list[Summary], config: CleanConfig) -> list[Decision]:
        return decide_spooled(spool, summaries, config)

    def site_boilerplate(self, spool: Spool, summaries: list[Summary], decisions: list[Decision],
                         config: CleanConfig) -> bytes:
        return cut_site_boilerplate(spool, summaries, decisions, config)

    def publish(self, spool: Spool, ids: list[str], decisions: list[Decision], rejects: list[Reject],
                inventory: Inventory, config: CleanConfig, run_id: str, registry: bytes) -> PublishReport:
        return publish_spooled(spool, ids, decisions, rejects, inventory, config, run_id, registry)

    def on_discovered(self, inventory: Inventory, batches: list[list[Article]], config: CleanConfig) -> None:
        log.info("Found %d documents in %d files under %s (%d rejected on sight); %d batches of up to %d",
                 inventory.documents, len(inventory.files), config.raw_dir, len(inventory.rejects), len(batches),
                 max(map(len, batches), default=0))

    def on_batch(self, index: int, batches: int, result: BatchResult, cached: bool) -> None:
        log.info("Batch %d/%d%s: %d articles cleaned, %d rejected", index, batches, " (cached)" if cached else "",
                 len(result.kept), len(result.rejects))

    def on_deduplicated(self, decisions: list[Decision]) -> None:
        log.info("Deduplicated: %d duplicates of other articles; %d stories",
                 sum(1 for d in decisions if d.duplicate_of), len({d.story_id for d in decisions}))


class ProcessRunner(Runner):
    """Cleans batches in `workers` processes (every core by default), a window of two batches per
    worker in flight, so that finished batches are spooled while the others are cleaned; the
    run puts them back in batch order, so the output is the same whatever the number of workers."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers or os.cpu_count() or 1

    def clean(self, batches, config, rules):
        if self.workers <= 1 or len(batches) <= 1 or sum(map(len, batches)) < PROCESS_MIN_DOCUMENTS:
            yield from super().clean(batches, config, rules)
            return
        todo = list(enumerate(batches, start=1))
        while todo:
            with _pool(min(self.workers, len(todo))) as pool:
                lost, todo = yield from _windowed(
                    todo, 2 * self.workers, lambda batch: pool.submit(clean_batch, batch, config, rules, self.strict))
            # A worker died (killed, out of memory, a crash in a C extension): the pool is broken
            # and every batch in flight lost with it. Those are cleaned apart; the rest go on in a new pool.
            for index, batch in lost:
                log.warning("Batch %d: a worker process died while it was cleaned; cleaning it apart", index)
                yield index, cleaned_apart(batch, config, rules, self.strict), False


class DaskRunner(Runner):
    """Cleans batches on a Dask cluster: the scheduler at `address`, or a local cluster of
    `workers` processes (one per core by default), two batches per worker in flight."""

    def __init__(self, address: str = "", workers: int = 0) -> None:
        self.address, self.workers = address, workers or os.cpu_count() or 1

    def clean(self, batches, config, rules):
        from distributed import Client, LocalCluster

        # Processes, one thread each: cleaning is CPU-bound Python, which threads would serialise.
        cluster = None if self.address else LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                                         processes=True, dashboard_address=None)
        try:
            with Client(self.address or cluster) as client:
                yield from _windowed(list(enumerate(batches, start=1)), 2 * self.workers,
                                     lambda batch: client.submit(clean_batch, batch, config, rules, self.strict,
                                                                 pure=False))
        finally:
            if cluster is not None:
                cluster.close()


def _windowed(batches: list[tuple[int, list[Article]]], window: int, submit):
    """Submit (index, batch) pairs `window` at a time; yield each (index, result, False) as it
    finishes. Returns ([], []) when all are done; when a process pool breaks (a worker died),
    the batches it lost in flight and those not yet submitted.

    A finished batch's result is held until it is collected, so submitting everything at once
    would hold every cleaned article in the pool or the cluster."""
    todo = iter(batches)
    pending: dict = {}
    while True:
        for index, batch in todo:
            pending[submit(batch)] = (index, batch)
            if len(pending) >= window:
                break
        if not pending:
            return [], []
        done = _first_done(list(pending))
        index, batch = pending.pop(done)
        try:
            result = done.result()
        except BrokenProcessPool:
            return [(index, batch), *pending.values()], list(todo)
        yield index, result, False


# The reject of a document that kills the process cleaning it, whole and then alone.
WORKER_DIED = ("the process cleaning it died (killed, out of memory, or a crash inside a C extension), "
               "also when it was cleaned alone in a fresh process")


@contextmanager
def _pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers die with the run.

    Forked workers share the run's open files, the output lock's among them: a worker left
    behind by a run killed with SIGTERM (systemd, docker stop, a CI timeout) held the lock, and
    every later run waited for a process nobody would end. So each worker asks the kernel for
    SIGKILL when its parent dies (`_die_with_parent`), and a run stopped by an exception
    (Ctrl-C, or SIGTERM, which the CLI turns into one) ends its workers before it goes on,
    not after they finish their batches."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        # Its own workers only (a Dask cluster's or a server's processes are not ours to end);
        # the executor keeps them in `_processes`, unchanged since Python 3.2.
        workers = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()
        raise
    finally:
        pool.shutdown(wait=True)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """In a pool worker: SIGTERM ends it (the CLI's handler, which turns SIGTERM into an
    interrupt of the run, is the run's, not its workers'); on Linux, SIGKILL when the process
    that made it dies."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform != "linux":
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def cleaned_apart(batch: list[Article], config: CleanConfig, rules: RuleSet, strict: bool = False) -> BatchResult:
    """A batch whose worker process died, cleaned again in fresh processes: whole, then in
    halves until the document that kills a process stands alone, which is rejected as
    internal_error; every other document is cleaned as ever. One bad file never stops a run,
    even one that crashes a parser."""
    try:
        with _pool(1) as pool:
            return pool.submit(clean_batch, batch, config, rules, strict).result()
    except BrokenProcessPool:
        if len(batch) == 1:
            return BatchResult(kept=[], rejects=[Reject.of(batch[0], "clean", RejectReason.INTERNAL_ERROR,
                                                           WORKER_DIED)])
        half = len(batch) // 2
        first, second = (cleaned_apart(part, config, rules, strict) for part in (batch[:half], batch[half:]))
        return BatchResult(kept=first.kept + second.kept, rejects=first.rejects + second.rejects,
                           summaries=first.summaries + second.summaries)


def _first_done(futures: list):
    """The first of these futures (concurrent.futures or Dask) to finish."""
    if isinstance(futures[0], Future):
        done, _ = wait(futures, return_when=FIRST_COMPLETED)
        return next(iter(done))
    from distributed import as_completed

    return next(as_completed(futures))


BATCHES_PER_WORKER = 4
MIN_BATCH = 25  # documents: smaller batches cost more in pickling and hand-over than they share out
# A run this small is cleaned in this process: cleaning it takes about as long as starting workers.
PROCESS_MIN_DOCUMENTS = 200


def choose_runner(config: CleanConfig) -> Runner:
    """The runner the settings ask for; 'auto': a process per core (or `workers` processes)."""
    if config.task_runner == "local":
        return Runner()
    if config.task_runner == "dask":
        return DaskRunner(config.dask_address, config.workers)
    return ProcessRunner(config.workers)


def batch_size(config: CleanConfig, documents: int) -> int:
    """`batch_size`, made smaller for 'auto' so that every worker gets four batches (but not below
    MIN_BATCH documents, unless batch_size is): with fewer, the last batches run on one core while
    the others wait (measured: 5 batches of 200 on 2 workers kept 1.6 cores busy). The output
    does not depend on it."""
    if config.task_runner != "auto" or documents < PROCESS_MIN_DOCUMENTS:
        return config.batch_size
    workers = config.workers or os.cpu_count() or 1
    share = -(-documents // (BATCHES_PER_WORKER * workers))
    return min(config.batch_size, max(share, MIN_BATCH))


def check_crashes(rejects: Sequence[Reject], documents: int) -> None:
    """Refuse to publish when most documents crashed: that is a broken environment or a bug (a
    missing spaCy model, a library that fails on import), not bad input, and publishing would
    swap the last good dataset for an empty one while the run said it completed. One bad file
    never stops a run: a crash stops it only when it is the rule, two or more documents and
    over half of them. The first crash is logged at ERROR either way."""
    crashes = [r for r in rejects if r.reason is RejectReason.INTERNAL_ERROR]
    if not crashes:
        return
    first = crashes[0]
    log.error("%d of %d documents crashed a stage; the first, %s, in %s: %s", len(crashes), documents,
              first.source if first.record is None else f"{first.source}#{first.record}", first.stage, first.detail)
    if len(crashes) >= 2 and 2 * len(crashes) > documents:
        raise PublishError(f"refusing to publish: {len(crashes)} of {documents} documents crashed (the first: "
                           f"{first.detail}); that is the environment or a bug, not the input. The previous "
                           "dataset is kept.")


def check_apart(raw_dir: str | os.PathLike, out_dir: str | os.PathLike) -> None:
    """Refuse an output inside the raw location, or a raw location inside the output: the next
    run would read its own dataset back as input (each cut in removals.jsonl a record), and
    publishing would swap the inputs away."""
    raw, out = storage.open_location(raw_dir), storage.open_location(out_dir)
    if isinstance(raw, storage.Folder) and isinstance(out, storage.Folder):
        a, b = raw.root.resolve(), out.root.resolve()
        overlap = a == b or a in b.parents or b in a.parents
    else:
        a, b = raw.url.rstrip("/") + "/", out.url.rstrip("/") + "/"
        overlap = a.startswith(b) or b.startswith(a)
    if overlap:
        raise PublishError(f"the output {out.url} and the raw location {raw.url} overlap: a run would read its "
                           "own dataset back as input; choose an output outside the raw location")


def run(config: CleanConfig, runner: Runner | None = None, strict: bool = False,
        run_id: str | None = None) -> RunResult:
    """Clean the raw folder into the output folder: the whole pipeline, under the output lock.
    `runner`: how the phases execute (by default the one `config.task_runner` names)."""
    rules = load_rules(rules_dir=config.rules_dir)  # bad rules fail here, before any article is touched
    check_apart(config.raw_dir, config.out_dir)
    runner = runner or choose_runner(config)
    runner.strict = strict
    with output_lock(config.out_dir, config.lock_wait_seconds):
        inventory = runner.discover(config)
        batches = batched(inventory.articles, batch_size(config, len(inventory.articles)))
        runner.on_discovered(inventory, batches, config)
        inventory = inventory.hand_over()
        rejects: dict[int, list[Reject]] = {}
        with Spool() as spool:
            for index, result, cached in runner.clean(batches, config, rules):
                batches[index - 1] = []  # cleaned: its stubs go (runners submit batches in order)
                spool.put(index, result.kept, result.summaries)
                rejects[index] = result.rejects
                runner.on_batch(index, len(batches), result, cached)
                del result
                release_free_memory()
            # Batch order, whatever order they finished in: dedup and publish see one sequence.
            ordered: list[Summary] = spool.summaries()
            all_rejects = list(inventory.rejects) + [r for i in sorted(rejects) for r in rejects[i]]
            del rejects
            check_crashes(all_rejects, inventory.documents)
            decisions = runner.dedup(spool, ordered, config)
            runner.on_deduplicated(decisions)
            release_free_memory()  # what finding pairs and stories held
            registry = runner.site_boilerplate(spool, ordered, decisions, config)
            # Publishing needs only the ids: the summaries (a kilobyte an article) go first,
            # with nothing kept that shares their memory (_memory.detached).
            ids = [detached(s.fingerprint.id) for s in ordered]
            del ordered
            release_free_memory()
            report = runner.publish(spool, ids, decisions, all_rejects, inventory, config,
                                    run_id or uuid.uuid4().hex, registry)
    return RunResult(inventory, ids, all_rejects, report)


def decide_spooled(spool: Spool, summaries: Sequence[Summary], config: CleanConfig) -> list[Decision]:
    """dedup's decisions for the spooled articles (candidate pairs read their shingles back from the spool)."""
    settings = dedup_settings(config)
    return decide([s.fingerprint for s in summaries], settings, lambda positions: spool.shingles(positions, settings))


def cut_site_boilerplate(spool: Spool, summaries: Sequence[Summary], decisions: Sequence[Decision],
                         config: CleanConfig) -> bytes:
    """Learn each site's repeated blocks over the stories dedup found (this run and the dataset
    published before) and cut them from the spooled articles that hold them, which are tagged
    again. Exact copies are cut alike or not at all, so they keep equal content hashes (the
    schema's promise). Returns the registry to publish (site_boilerplate.json)."""
    previous = sites.EMPTY
    if config.site_min_stories >= 2 and not config.full_rebuild:
        try:
            previous = sites.read_registry(published_file(config.out_dir, SITE_FILE))
        except (OSError, ValueError, KeyError, TypeError) as exc:  # a damaged or missing file: learn afresh, say so
            log.warning("ignoring the published %s, which cannot be read (%s); learning from this run only",
                        SITE_FILE, exc)
    observed = [s.site for s in summaries]
    registry = sites.learn([d.story_id for d in decisions], observed, config.site_min_stories, previous,
                           own_names=[story_name(s.fingerprint.id) for s in summaries])
    hashes = [s.fingerprint.digest for s in summaries]  # the content hashes' bytes: exact copies are equal
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


def _copies_cut_unalike(spool: Spool, plan: dict[int, dict[int, str]], hashes: Sequence[bytes],
                        registry: sites.Registry, min_words: int) -> list[int]:
    """Positions in `plan` of exact copies that the cut would leave with different hashes (their
    blocks split apart differently, or the guards keep the blocks in one copy): none of those
    copies is cut. Only articles with an exact copy are read."""
    copies = Counter(hashes)
    after: dict[bytes, set[str]] = defaultdict(set)
    for position, article in spool.read([p for p in plan if copies[hashes[p]] > 1]):
        after[hashes[position]].add(content_hash(sites.cut(article, registry, min_words, plan[position]).body))
    return [p for p in plan if len(after.get(hashes[p], ())) > 1]


def publish_spooled(spool: Spool, ids: Sequence[str], decisions: Sequence[Decision],
                    rejects: Sequence[Reject], inventory: Inventory, config: CleanConfig, run_id: str,
                    site_registry: bytes = b"") -> PublishReport:
    """Publish the spooled articles (`ids`: theirs, in spool order) with dedup's decisions set on them."""
    copies = duplicate_map((i, d.duplicate_of) for i, d in zip(ids, decisions))
    return publish_stream(spool.decided(decisions), copies, rejects, inventory, config.out_dir,
                          config.model_dump(), run_id, site_registry)
