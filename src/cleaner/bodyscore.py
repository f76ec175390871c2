"""Whole-body scores of an extracted text against a reference text: word and word-4-shingle
precision and recall, as the public article-extraction benchmarks score them.

Tokens are the lower-cased `\\w+` runs of each text (WCXB's word level). Both measures count
with multiplicity: an output that repeats a paragraph is charged for the copy. A page's
precision is 0 when the output is empty (a rejected page scored as such); a page without a
reference text has no recall and is left out of the means by the caller (None).
"""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def tokens(text: str) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def word_scores(output: str, reference: str) -> tuple[float, float | None]:
    """(precision, recall) of the output's words against the reference's, as bags of words."""
    return _overlap(Counter(tokens(output)), Counter(tokens(reference)))


def shingle_scores(output: str, reference: str, size: int = SHINGLE) -> tuple[float, float | None]:
    """(precision, recall) of the output's word `size`-shingles against the reference's.

    A text shorter than one shingle counts as one shingle of all its words."""
    return _overlap(Counter(shingles(output, size)), Counter(shingles(reference, size)))


def shingles(text: str, size: int = SHINGLE) -> list[tuple[str, ...]]:
    """The text's word `size`-shingles in order; a text shorter than one shingle is one shingle
    of all its words, an empty one none."""
    words = tokens(text)
    if len(words) < size:
        return [tuple(words)] if words else []
    return [tuple(words[i:i + size]) for i in range(len(words) - size + 1)]


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _overlap(got: Counter, want: Counter) -> tuple[float, float | None]:
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(want.values()) if want else None
    return precision, recall
