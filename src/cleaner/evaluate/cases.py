"""The pages of a dataset: a folder of snippet-labelled pages (cases.jsonl), or our own labels over raw/."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.config import CleanConfig
from cleaner.discover import discover, read
from cleaner.evaluate.match import split_of
from cleaner.record import Article


@dataclass(frozen=True, slots=True)
class Case:
    id: str  # the url of a dev-set page, the source (+ '#record') of an own input
    keep: tuple[str, ...]
    drop: tuple[str, ...]
    split: str  # dev | heldout | own
    path: str = ""  # a dev-set page file (gzip or plain HTML)
    article: Article | None = None  # an own input, read (raw bytes and hints filled)
    labels: dict = field(default_factory=dict)  # true title/author/date of an own input


def load_cases(dataset: Path | str, raw_dir: Path | str = "raw") -> list[Case]:
    """The cases of a dataset folder (cases.jsonl) or of a labels file (raw_labels.json + raw_dir)."""
    dataset = Path(dataset)
    if dataset.is_dir():
        cases_file = dataset / "cases.jsonl"
        if not cases_file.is_file():
            raise FileNotFoundError(f"{dataset} has no cases.jsonl")
        cases = []
        for line in cases_file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            cases.append(Case(id=row["url"], keep=tuple(row.get("with") or ()), drop=tuple(row.get("without") or ()),
                              split=split_of(row["url"]), path=str(dataset / "pages" / row["file"])))
        return cases
    return _own_cases(dataset, Path(raw_dir))


def _own_cases(labels_file: Path, raw_dir: Path) -> list[Case]:
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    inventory = discover(raw_dir)
    cases = []
    for article in inventory.articles:
        name = article.source + (f"#{article.record}" if article.record is not None else "")
        label = labels.get(name)
        if label is None:
            continue
        read_ = read(article, raw_dir=raw_dir, max_bytes=CleanConfig().max_bytes)
        cases.append(Case(id=name, keep=tuple(label.get("keep") or ()), drop=tuple(label.get("drop") or ()),
                          split="own", article=read_ if isinstance(read_, Article) else None,
                          labels={k: label.get(k) or "" for k in ("title", "author", "date")}))
    missing = sorted(set(labels) - {c.id for c in cases})
    if missing:
        raise FileNotFoundError(f"labelled inputs not found under {raw_dir}: {', '.join(missing)}")
    return cases

