"""Labels of a page's lines: story or boilerplate, by a reference text (WCXB) or by must-keep and must-drop snippets."""

from __future__ import annotations

import re

import numpy as np

from cleaner.evaluate import norm
from cleaner.record import Block

_TOKEN = re.compile(r"\w+")
_MIN_CHARS = 12  # a line this short inside a snippet is too generic to label by it
_SLACK = 5  # reference tokens a short line may stand beyond the story lines around it


def label_by_reference(blocks: tuple[Block, ...], reference: str) -> np.ndarray:
    """1 for a line of the reference text, 0 for any other (see the module docstring).

    A short line counts only where its words stand in the reference between the story lines
    around it: 'Overview' in a menu above the story is not the story's 'Overview' heading."""
    ref = _TOKEN.findall(reference.casefold())
    first_at: dict[tuple[str, ...], int] = {}
    for i in range(len(ref) - 3):
        first_at.setdefault(tuple(ref[i:i + 4]), i)
    n = len(blocks)
    labels = np.zeros(n, dtype=int)
    place: list[tuple[int, int] | None] = [None] * n  # where a story line's shingles stand: first, last
    tokens = [_TOKEN.findall(b.text.casefold()) for b in blocks]
    for i, words in enumerate(tokens):
        if len(words) < 4:
            continue
        hits = [first_at[g] for g in (tuple(words[j:j + 4]) for j in range(len(words) - 3)) if g in first_at]
        if len(hits) * 2 >= len(words) - 3:
            labels[i], place[i] = 1, (min(hits), max(hits))
    for i, words in enumerate(tokens):
        if len(words) >= 4 or not words:
            continue
        before = next((place[j][1] for j in range(i - 1, -1, -1) if place[j] is not None), None)
        after = next((place[j][0] for j in range(i + 1, n) if place[j] is not None), None)
        if before is None and after is None:
            continue
        lo = 0 if before is None else max(before - _SLACK, 0)
        hi = len(ref) if after is None else after + _SLACK
        labels[i] = int(_occurs(ref, words, lo, hi))
    return labels


def _occurs(tokens: list[str], seq: list[str], lo: int, hi: int) -> bool:
    """Whether `seq` stands in tokens, starting between lo and hi."""
    last = min(hi, len(tokens) - len(seq))
    return any(tokens[i] == seq[0] and tokens[i:i + len(seq)] == seq for i in range(lo, last + 1))


def label_by_snippets(blocks: tuple[Block, ...], keep: list[str], drop: list[str]) -> np.ndarray:
    """1 for a line that holds a must-keep snippet (or lies in one), 0 likewise for must-drop,
    -1 for a line with neither or both."""
    keep_n = [k for k in map(norm, keep) if k]
    drop_n = [d for d in map(norm, drop) if d]

    def hit(text: str, snippets: list[str]) -> bool:
        return any(s in text or (len(text) >= _MIN_CHARS and text in s) for s in snippets)

    labels = []
    for block in blocks:
        text = norm(block.text)
        is_keep, is_drop = hit(text, keep_n), hit(text, drop_n)
        labels.append(1 if is_keep and not is_drop else 0 if is_drop and not is_keep else -1)
    return np.array(labels, dtype=int)

