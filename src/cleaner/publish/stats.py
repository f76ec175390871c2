"""The run summary's figures (removals by category and rule, duplicates), gathered as the articles stream past."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cleaner.record import Article, Removal


@dataclass(frozen=True, slots=True)
class RemovalStats:
    """Removals of one category across the run: how many, how many characters, the first one's text."""
    count: int
    chars: int
    example: str


@dataclass(frozen=True, slots=True)
class PublishReport:
    out_dir: str
    run_id: str
    counts: dict[str, int]
    removals_by_category: dict[str, int]
    # For the run summary, gathered while the articles streamed past (publish holds no article list):
    removal_stats: dict[str, RemovalStats] = field(default_factory=dict)
    rule_counts: dict[str, int] = field(default_factory=dict)
    duplicates: list[dict] = field(default_factory=list)  # canonical, duplicate, kind, similarity, title


class Tally:
    """What PublishReport needs of the articles, noted one article at a time."""

    def __init__(self) -> None:
        self.by_category: dict[str, RemovalStats] = {}
        self.rules: Counter[str] = Counter()
        self.duplicate_rows: list[dict] = []
        self.names: dict[str, str] = {}  # id -> "source#record" of canonical articles that have copies

    def canonical(self, article: Article) -> None:
        """A published article that has copies: the report names it by its source."""
        self.names[article.id] = _name(article)

    def duplicate(self, article: Article) -> None:
        self.duplicate_rows.append({"canonical": article.duplicate_of, "duplicate": _name(article),
                                    "kind": article.duplicate_kind, "similarity": article.similarity,
                                    "title": article.meta.title})

    def removal(self, removal: Removal) -> None:
        seen = self.by_category.get(removal.category)
        self.by_category[removal.category] = (
            RemovalStats(seen.count + 1, seen.chars + len(removal.text), seen.example) if seen
            else RemovalStats(1, len(removal.text), removal.text))
        self.rules[removal.rule_id] += 1

    def removals_by_category(self) -> dict[str, int]:
        return {category: stats.count for category, stats in sorted(self.by_category.items())}

    def figures(self) -> dict:
        """PublishReport's fields other than the location, run id and counts."""
        for row in self.duplicate_rows:
            row["canonical"] = self.names.get(row["canonical"], row["canonical"])
        self.duplicate_rows.sort(key=lambda r: (r["canonical"], r["duplicate"]))
        return {"removals_by_category": self.removals_by_category(),
                "removal_stats": dict(sorted(self.by_category.items())), "rule_counts": dict(self.rules.most_common()),
                "duplicates": self.duplicate_rows}


def _name(article: Article) -> str:
    return article.source if article.record is None else f"{article.source}#{article.record}"
