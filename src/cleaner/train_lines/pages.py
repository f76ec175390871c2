"""The development pages as the trainer sees them: each dump's lines, their features and labels."""

from __future__ import annotations

import gzip
import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.dumps import DUMPERS
from cleaner.evaluate import contains, norm, split_of
from cleaner.extract.second_reading import dump_lines
from cleaner.linefeatures import features, page_language, rule_hits
from cleaner.record import Article, Block, Format
from cleaner.rules import RuleSet, load_rules
from cleaner.train_lines.labels import label_by_reference, label_by_snippets

_RULES: RuleSet | None = None  # the rules, loaded once per worker process (_init)


@dataclass
class Page:
    """One development page as the trainer sees it."""

    id: str
    source: str  # "wcxb" | "snippets"
    blocks: tuple[Block, ...]
    x: np.ndarray
    labels: np.ndarray  # 1 story, 0 boilerplate, -1 not labelled
    reference: str = ""  # WCXB: the reference text
    title: str = ""  # WCXB: the page's headline
    domain: str = ""  # WCXB: the page's site (the headline model's folds keep a site's pages together)
    keep: tuple[str, ...] = ()  # snippets the unchanged dump holds
    drop: tuple[str, ...] = ()
    dumper: str = "inscriptis"  # which of cleaner.dumps.DUMPERS made the dump
    group: int = 0  # the page's number among the dev pages: its dumps by every tool share it (and a fold)
    language: str = ""  # the page's language, as the features saw it (linefeatures.page_language)
    words: np.ndarray | None = None  # the lexical columns of its lines (cleaner.lexical.context), once scored

    @property
    def inputs(self) -> np.ndarray:
        """The line model's input rows: the shape features `x`, then the lexical columns."""
        return self.x if self.words is None else np.hstack([self.x, self.words])

    def output(self, keep: np.ndarray) -> str:
        return "\n".join(b.text for b, k in zip(self.blocks, keep) if k)


# --- pages -------------------------------------------------------------------------------------


def dump_blocks(html: bytes, dumper: str = "inscriptis") -> tuple[Block, ...]:
    """The lines text mode gets for one HTML page: decoded, rendered by one of cleaner.dumps's
    tools (inscriptis by default, as `cleaner eval` renders it), split."""
    page = decode(Article(id="p", source="p.html", format=Format.HTML, input_format="html", raw=html),
                  max_bytes=CleanConfig().max_bytes)
    if not isinstance(page, Article):
        return ()
    return dump_lines(page.text, DUMPERS[dumper])


def _init() -> None:
    global _RULES
    import warnings

    from bs4 import XMLParsedAsHTMLWarning

    warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
    _RULES = load_rules()


def _read(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def _wcxb_page(args: tuple[str, str, str, int]) -> Page | None:
    folder, file_id, dumper, group = args
    truth = json.loads(gzip.decompress((Path(folder) / "truth" / f"{file_id}.json.gz").read_bytes()))
    blocks = dump_blocks(_read(Path(folder) / "pages" / f"{file_id}.html.gz"), dumper)
    if not blocks or not truth.get("main_content"):
        return None
    language = page_language(blocks)
    x = features(blocks, rule_hits(blocks, _RULES), language)
    return Page(f"wcxb:{file_id}", "wcxb", blocks, x, label_by_reference(blocks, truth["main_content"]),
                reference=truth["main_content"], title=truth.get("title") or "", domain=truth.get("domain") or "",
                dumper=dumper, group=group, language=language)


def _snippet_page(args: tuple[str, dict, str, int]) -> Page | None:
    folder, row, dumper, group = args
    blocks = dump_blocks(_read(Path(folder) / "pages" / row["file"]), dumper)
    if not blocks:
        return None
    dump = norm("\n".join(b.text for b in blocks))
    keep = [s for s in row.get("with") or () if contains(dump, s)]  # judged as `cleaner eval` judges text mode
    drop = [s for s in row.get("without") or () if contains(dump, s)]
    labels = label_by_snippets(blocks, keep, drop)
    if not (labels >= 0).any():
        return None
    language = page_language(blocks)
    x = features(blocks, rule_hits(blocks, _RULES), language)
    return Page(f"snippets:{row['url']}", "snippets", blocks, x, labels, keep=tuple(keep), drop=tuple(drop),
                dumper=dumper, group=group, language=language)


def build_pages(wcxb: Path | str, snippets: Path | str, jobs: int | None = None,
                dumpers: tuple[str, ...] = tuple(DUMPERS)) -> list[Page]:
    """The dev-split pages of both sets, each dumped by each of `dumpers`: WCXB articles first,
    then snippet pages, each in file order, a page's dumps together in the order of `dumpers`."""
    wcxb, snippets = Path(wcxb), Path(snippets)
    index = json.loads((wcxb / "index.json").read_text(encoding="utf-8"))
    wcxb_ids = [e["file_id"] for e in index if e["page_type"] == "article" and split_of(e["domain"]) == "dev"]
    lines = (snippets / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [row for row in (json.loads(line) for line in lines if line.strip()) if split_of(row["url"]) == "dev"]
    wcxb_jobs = [(str(wcxb), file_id, dumper, k) for k, file_id in enumerate(wcxb_ids) for dumper in dumpers]
    snippet_jobs = [(str(snippets), row, dumper, len(wcxb_ids) + k) for k, row in enumerate(rows) for dumper in dumpers]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init) as pool:
        pages = list(pool.map(_wcxb_page, wcxb_jobs, chunksize=4))
        pages += list(pool.map(_snippet_page, snippet_jobs, chunksize=4))
    return [p for p in pages if p is not None]
