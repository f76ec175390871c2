"""Shared test helpers: build articles the way the stages see them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from cleaner.extract import extract
from cleaner.record import Article, Format
from cleaner.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


def make_article(text: str, fmt: str = "text", **fields) -> Article:
    """A decoded article, ready for extract (text is what decode would have produced)."""
    f = Format(fmt)
    return Article(id="t1", source=f"t1.{'html' if f is Format.HTML else 'txt'}", format=f,
                   input_format=f.value, text=text, **fields)


def blocks_of(text: str, rules: RuleSet, fmt: str = "text", **fields) -> Article:
    """Decoded text -> extracted article (blocks filled)."""
    result = extract(make_article(text, fmt, **fields), rules)
    assert isinstance(result, Article), result
    return result


def with_hints(article: Article, **hints) -> Article:
    return replace(article, hints=replace(article.hints, **hints))
