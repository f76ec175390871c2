"""Which line of a plain-text page dump is the page's own headline.

A dump states no <title>: the headline is one of the short lines just before the story (after
the menus), often printed twice (a breadcrumb's last crumb, a teaser of the same story) and
followed by the byline; its words come back in the story's first paragraphs. The lines around
the story's start are candidates; the headline model (gradient-boosted trees, trained by
`cleaner.train_lines`) scores each from its line features, the line model's verdicts around it
and these cues; the best candidate at or above the model's threshold is the headline, and none
is when no candidate reaches it: a title is never invented.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence

import numpy as np

from cleaner.linefeatures import FEATURES as LINE_FEATURES
from cleaner.normalize import key
from cleaner.record import Block
from cleaner.trees import TreeModel, load_model

MODEL_FILE = "text_title.json"
BEFORE, AFTER = 60, 10  # candidates: this many lines before the story's anchor, this many into it
MAX_WORDS = 25  # the longest of 711 WCXB headlines has 24 words
_ANCHOR_COST = 10  # what a line the line model does not keep costs the story's densest run
_LEAD_WORDS = 300  # the story words a headline's words are looked up in
_WORD = re.compile(r"\w{3,}")
_OWN = (
    "line_p", "prev_p", "next_p", "log_lines_to_anchor", "before_anchor", "log_lines_to_first_story",
    "log_contained_in_others", "byline_after", "date_after", "log_candidates_between", "log_headings_between",
    "lead_overlap",
)
FEATURES = tuple(f"line_{name}" for name in LINE_FEATURES) + _OWN
_WORDS = LINE_FEATURES.index("log_words")
_BYLINE = LINE_FEATURES.index("rule_byline")
_DATE = LINE_FEATURES.index("date")
_HEADING = LINE_FEATURES.index("is_heading")


def story_anchor(words: Sequence[int], story: np.ndarray) -> int:
    """The first line of the densest run of story lines: a kept line scores its words, any other
    line costs 10 (stray lines kept high up the page do not move it); len(words) with none."""
    best, anchor, total, start = 0, len(words), 0, 0
    for i, (n, kept) in enumerate(zip(words, story)):
        if total <= 0:
            total, start = 0, i
        total += n if kept else -_ANCHOR_COST
        if total > best:
            best, anchor = total, start
    return anchor


def candidates(
    blocks: Sequence[Block], x: np.ndarray, probability: np.ndarray, threshold: float
) -> Iterator[tuple[int, list[float]]]:
    """(line index, headline features) of each line that could be the headline.

    `x`: the page's line features; `probability`: the line model's P(story) of each line;
    `threshold`: its operating point, which says which lines are story."""
    n = len(blocks)
    story = probability >= threshold
    words = [round(math.expm1(v)) for v in x[:, _WORDS]]
    anchor = story_anchor(words, story)
    kept = np.flatnonzero(story)
    first = int(kept[0]) if len(kept) else n
    lead = _lead_words(blocks, story, anchor)
    keys = [key(b.text) for b in blocks]
    eligible = [i for i in range(max(0, anchor - BEFORE), min(n, anchor + AFTER)) if keys[i] and words[i] <= MAX_WORDS]
    for i in eligible:
        own = keys[i]
        contained = sum(1 for j, other in enumerate(keys) if j != i and own in other and len(other) > len(own))
        after = range(i + 1, min(n, i + 4))
        between = [j for j in eligible if i < j < anchor]
        title_words = set(_WORD.findall(blocks[i].text.casefold()))
        yield i, [
            *x[i].tolist(),
            float(probability[i]), float(probability[i - 1]) if i else -1.0,
            float(probability[i + 1]) if i + 1 < n else -1.0,
            _signed_log(anchor - i), float(i < anchor), _signed_log(first - i),
            math.log1p(contained), max((x[j, _BYLINE] for j in after), default=0.0),
            max((x[j, _DATE] for j in after), default=0.0), math.log1p(len(between)),
            math.log1p(sum(x[j, _HEADING] for j in between)),
            len(title_words & lead) / len(title_words) if title_words else 0.0,
        ]


def _signed_log(value: int) -> float:
    return math.copysign(math.log1p(abs(value)), value)


def _lead_words(blocks: Sequence[Block], story: np.ndarray, anchor: int) -> set[str]:
    """The words of the story's first _LEAD_WORDS words from the anchor on (story lines only)."""
    found: list[str] = []
    for i in range(anchor, len(blocks)):
        if story[i]:
            found += _WORD.findall(blocks[i].text.casefold())
            if len(found) >= _LEAD_WORDS:
                break
    return set(found[:_LEAD_WORDS])


def find_headline(
    blocks: Sequence[Block], x: np.ndarray, probability: np.ndarray, threshold: float, model: TreeModel | None
) -> int | None:
    """The index of the page's headline line, or None when no candidate is likely enough."""
    rows = list(candidates(blocks, x, probability, threshold))
    if model is None or not rows:
        return None
    scores = model.probability(np.array([row for _, row in rows], dtype=float))
    best = int(np.argmax(scores))
    return rows[best][0] if scores[best] >= model.threshold else None


def load_headline_model() -> TreeModel | None:
    return load_model(MODEL_FILE, FEATURES)
