"""Cleaned batches on local disk while a run goes on, so a run holds fingerprints, not articles.

A cleaned article carries its text, blocks and every removal: kilobytes to tens of kilobytes.
Deduplication needs only its summary (its fingerprint and site blocks, a kilobyte or two) and
publishing reads each article once, in order. So each batch's articles go to a file here as
soon as the batch is cleaned, and come back one batch at a time when the dataset is written:
memory stays at one batch plus the summaries, whatever the run's size.

The summaries wait here too until every batch is cleaned (`put(..., summaries)`, then
`summaries()`): kept in memory as the batches arrive, each one's few small objects were
scattered among the freed objects of its batch and held their memory pages, ~0.9 KB a
document beyond their own ~1.5 KB (docs/performance.md, memory of a 100,000-document run); read back at once,
they lie together.

The folder is private to the run (tempfile.mkdtemp: mode 0700, under $TMPDIR) and removed
when the run ends, however it ends. The files are pickles this process wrote itself; they
never outlive the run and are never read from anywhere else.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path

import numpy as np

from cleaner.dedup import Decision, DedupSettings, apply_decision, shingles_of
from cleaner.record import Article

_PREFIX = "cleaner-spool-"
_SUMMARIES = ".summaries"  # a batch's summaries file: NNNNNNNNN.summaries.pickle beside its articles


class Spool:
    def __init__(self, folder: Path | str | None = None) -> None:
        parent = Path(folder or tempfile.gettempdir())
        _remove_orphans(parent)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=parent))
        self.sizes: dict[int, int] = {}  # batch index -> number of articles

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def put(self, index: int, articles: Sequence[Article], summaries: Sequence | None = None) -> None:
        """Keep one batch's articles (any order of indexes; they come back in index order), and
        with them, if given, what the run keeps of each (one per article, the same order)."""
        if summaries is not None and len(summaries) != len(articles):
            raise ValueError(f"{len(summaries)} summaries for {len(articles)} articles of batch {index}")
        self._dump(index, articles)
        if summaries is not None:
            self._dump(index, summaries, _SUMMARIES)
        self.sizes[index] = len(articles)

    def summaries(self) -> list:
        """The summaries `put` kept, in the articles' order (index order); a batch put without
        them is an error."""
        out: list = []
        for index in sorted(self.sizes):
            out.extend(self._load(index, _SUMMARIES))
        return out

    def __len__(self) -> int:
        return sum(self.sizes.values())

    def articles(self) -> Iterator[Article]:
        """Every article, batch by batch in index order, one batch in memory at a time."""
        for index in sorted(self.sizes):
            yield from self._load(index)

    def read(self, positions: Collection[int]) -> Iterator[tuple[int, Article]]:
        """(position, article) of the articles at these positions, in order; a batch with none
        of them is not read."""
        wanted = set(positions)
        for index, start in self._holding(wanted):
            for i, article in enumerate(self._load(index), start=start):
                if i in wanted:
                    yield i, article

    def shingles(self, positions: Collection[int], settings: DedupSettings) -> dict[int, np.ndarray]:
        """Shingle hashes of the articles at these positions (dedup's candidate pairs), holding only those."""
        return {i: shingles_of(article, settings) for i, article in self.read(positions)}

    def rewrite(self, positions: Collection[int], change: Callable[[int, Article], Article]) -> None:
        """Replace the articles at these positions by change(position, article); a batch with
        none of them is neither read nor written."""
        wanted = set(positions)
        for index, start in self._holding(wanted):
            batch = self._load(index)
            self.put(index, [change(i, a) if i in wanted else a for i, a in enumerate(batch, start=start)])

    def _holding(self, positions: Collection[int]) -> Iterator[tuple[int, int]]:
        """(batch index, position of its first article) of the batches holding any of `positions`."""
        ordered = sorted(positions)
        start = 0
        for index in sorted(self.sizes):
            end = start + self.sizes[index]
            at = bisect_left(ordered, start)
            if at < len(ordered) and ordered[at] < end:
                yield index, start
            start = end

    def _dump(self, index: int, items: Sequence, kind: str = "") -> None:
        with open(self.folder / f"{index:09d}{kind}.pickle", "wb") as handle:
            pickle.dump(list(items), handle, protocol=pickle.HIGHEST_PROTOCOL)

    def _load(self, index: int, kind: str = "") -> list:
        """Batch `index`'s articles, or with kind _SUMMARIES its summaries."""
        with open(self.folder / f"{index:09d}{kind}.pickle", "rb") as handle:
            return pickle.load(handle)

    def decided(self, decisions: Sequence[Decision]) -> Iterator[Article]:
        """The articles with dedup's decisions set; `decisions` are in the same order."""
        if len(decisions) != len(self):
            raise ValueError(f"{len(decisions)} decisions for {len(self)} spooled articles")
        for article, decision in zip(self.articles(), decisions):
            yield apply_decision(article, decision)


def _remove_orphans(parent: Path) -> None:
    """Spools of runs that were killed (SIGKILL skips every cleanup): their process is gone."""
    for leftover in parent.glob(f"{_PREFIX}*-*"):
        pid = leftover.name[len(_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
