"""Which line of a plain-text page dump is the page's own headline.

A dump states no <title>: the headline is one of the short lines just before the story (after
the menus), often printed twice (a breadcrumb's last crumb, a teaser of the same story) and
followed by the byline; its words come back in the story's first paragraphs. The lines around
the story's start are candidates; the headline model (gradient-boosted trees, trained by
`cleaner.train_lines`) scores each from its line features, the line model's verdicts around it
and these cues; the best candidate at or above the model's threshold is the headline, and none
is when no candidate reaches it: a title is never invented. A breadcrumb or kicker glued to the
headline ('Home Cybersecurity Best Practices' above 'Cybersecurity Best Practices') gives way to
the headline alone when that stands on a line next to it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import pairwise

import numpy as np

from cleaner.linefeatures import FEATURES as LINE_FEATURES
from cleaner.normalize import key
from cleaner.record import Block
from cleaner.trees import TreeModel, load_model

MODEL_FILE = "text_title.json"
BEFORE, AFTER = 60, 10  # candidates: this many lines before the story's anchor, this many into it
# ... and this many before and into the first story line: on a long list page the densest run of
# story lines (the anchor) may start far below the headline, under the first items.
FIRST_BEFORE, FIRST_AFTER = 20, 5
MAX_WORDS = 25  # the longest of 711 WCXB headlines has 24 words
NEAR = 10  # lines on each side where the headline's other spellings stand (breadcrumb, kicker + headline)
GLUED_NEAR = 2  # a line this close that is the end of the chosen one is the headline without its kicker
GLUED_SHARE = 0.3  # ... when it holds at least this share of the chosen line's characters
# A line that a rule of these categories names is chrome whatever its shape says ('We Care About
# Your Privacy' over a consent dialog, a newsletter box's heading): never the headline, however
# the model scores it. (The trainer chooses the threshold without this veto; on the dev articles'
# dumps no headline the model chose stands on such a line.)
NOT_HEADLINE = frozenset({"cookie", "donation", "newsletter", "share", "comments", "legal", "advertising",
                          "author_bio", "leftover"})
_MARK_WORDS = 12  # a dateline or byline is short
_ANCHOR_COST = 10  # what a line the line model does not keep costs the story's densest run
_LEAD_WORDS = 300  # the story words a headline's words are looked up in
_WORD = re.compile(r"\w{3,}")
_OWN = (
    "line_p", "prev_p", "next_p", "log_lines_to_anchor", "before_anchor", "log_lines_to_first_story",
    "log_contained_in_others", "byline_after", "date_after", "log_candidates_between", "log_headings_between",
    "lead_overlap",
    # its other spellings nearby: a longer line ends or starts with it (breadcrumb, 'Title | Site'),
    # the same line again, it ends or starts with a shorter line (a kicker glued on)
    "near_ends_with_it", "near_starts_with_it", "same_near", "glued_to_near",
    "byline_before", "date_before", "lead_bigram_overlap",
    # datelines and bylines: the headline stands just above or below them, a subheading below
    "log_lines_to_next_mark", "log_lines_since_mark", "marks_to_anchor", "marks_before", "is_mark",
    # its words in the story's lines and in the others' (menus, teasers)
    "story_word_log_lines", "story_word_share", "other_word_log_lines", "story_over_other_share",
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
    tokens = [_WORD.findall(b.text.casefold()) for b in blocks]
    lead = _lead_words(tokens, story, anchor)
    lead_pairs = set(pairwise(lead))
    lead_words = set(lead)
    keys = [key(b.text) for b in blocks]
    marks = [i for i in range(n) if x[i, _BYLINE] > 0 or (x[i, _DATE] > 0 and words[i] <= _MARK_WORDS)]
    in_story: Counter[str] = Counter()  # lines of the story / of the rest of the page each word stands in
    elsewhere: Counter[str] = Counter()
    for i in range(n):
        (in_story if story[i] else elsewhere).update(set(tokens[i]))
    span = set(range(max(0, anchor - BEFORE), min(n, anchor + AFTER)))
    span |= set(range(max(0, first - FIRST_BEFORE), min(n, first + FIRST_AFTER)))
    eligible = [i for i in sorted(span) if keys[i] and words[i] <= MAX_WORDS]
    for i in eligible:
        own = keys[i]
        contained = sum(1 for j, other in enumerate(keys) if j != i and own in other and len(other) > len(own))
        after = range(i + 1, min(n, i + 4))
        before = range(max(0, i - 3), i)
        between = [j for j in eligible if i < j < anchor]
        near = [keys[j] for j in range(max(0, i - NEAR), min(n, i + NEAR + 1)) if j != i and keys[j]]
        longer = [other for other in near if len(other) > len(own)]
        shorter = [other for other in near if 6 <= len(other) < len(own)]
        title_words = set(tokens[i])
        pairs = set(pairwise(tokens[i]))
        next_mark = next((m for m in marks if m > i), None)
        last_mark = next((m for m in reversed(marks) if m < i), None)
        # in how many other lines of the story and of the rest each of its words stands
        found = [(in_story[w] - story[i], elsewhere[w] - (not story[i])) for w in sorted(title_words)]
        yield i, [
            *x[i].tolist(),
            float(probability[i]), float(probability[i - 1]) if i else -1.0,
            float(probability[i + 1]) if i + 1 < n else -1.0,
            _signed_log(anchor - i), float(i < anchor), _signed_log(first - i),
            math.log1p(contained), max((x[j, _BYLINE] for j in after), default=0.0),
            max((x[j, _DATE] for j in after), default=0.0), math.log1p(len(between)),
            math.log1p(sum(x[j, _HEADING] for j in between)),
            len(title_words & lead_words) / len(title_words) if title_words else 0.0,
            float(any(other.endswith(own) for other in longer)), float(any(other.startswith(own) for other in longer)),
            float(sum(other == own for other in near)),
            float(any(own.endswith(other) or own.startswith(other) for other in shorter)),
            max((x[j, _BYLINE] for j in before), default=0.0), max((x[j, _DATE] for j in before), default=0.0),
            len(pairs & lead_pairs) / len(pairs) if pairs else 0.0,
            math.log1p(next_mark - i) if next_mark is not None else -1.0,
            math.log1p(i - last_mark) if last_mark is not None else -1.0,
            float(sum(1 for m in marks if i < m < anchor)), float(sum(1 for m in marks if m < i)),
            float(x[i, _BYLINE] > 0 or x[i, _DATE] > 0),
            float(np.mean([math.log1p(s) for s, _ in found])) if found else 0.0,
            float(np.mean([s > 0 for s, _ in found])) if found else 0.0,
            float(np.mean([math.log1p(o) for _, o in found])) if found else 0.0,
            float(np.mean([s > o for s, o in found])) if found else 0.0,
        ]


def _signed_log(value: int) -> float:
    return math.copysign(math.log1p(abs(value)), value)


def _lead_words(tokens: Sequence[list[str]], story: np.ndarray, anchor: int) -> list[str]:
    """The story's first _LEAD_WORDS words from the anchor on (story lines only), in order."""
    found: list[str] = []
    for i in range(anchor, len(tokens)):
        if story[i]:
            found += tokens[i]
            if len(found) >= _LEAD_WORDS:
                break
    return found[:_LEAD_WORDS]


def best_candidate(blocks: Sequence[Block], lines: Sequence[int], scores: np.ndarray, threshold: float) -> int | None:
    """The line of the best-scored candidate if it reaches `threshold`, else None; a line next to it
    (GLUED_NEAR) that is its end ('Cybersecurity Best Practices' under 'Home Cybersecurity Best
    Practices') is the headline without the crumb or kicker glued to it."""
    if not len(lines):
        return None
    best = int(np.argmax(scores))
    if scores[best] < threshold:
        return None
    chosen = lines[best]
    own = key(blocks[chosen].text)
    for j in range(max(0, chosen - GLUED_NEAR), min(len(blocks), chosen + GLUED_NEAR + 1)):
        other = key(blocks[j].text)
        if (j != chosen and GLUED_SHARE * len(own) <= len(other) < len(own) and own.endswith(other)
                and len(blocks[j].text.split()) >= 2):
            return j
    return chosen


def find_headline(
    blocks: Sequence[Block], x: np.ndarray, probability: np.ndarray, threshold: float, model: TreeModel | None,
    hits: Sequence[str] = (),
) -> int | None:
    """The index of the page's headline line, or None when no candidate is likely enough.
    `hits`: each line's rule category ('' for none; linefeatures.rule_hits): a line of a
    NOT_HEADLINE category is never chosen."""
    rows = list(candidates(blocks, x, probability, threshold))
    if model is None or not rows:
        return None
    lines = [i for i, _ in rows]
    scores = model.probability(np.array([row for _, row in rows], dtype=float))
    if hits:
        scores = np.where([hits[i] in NOT_HEADLINE for i in lines], 0.0, scores)
    return best_candidate(blocks, lines, scores, model.threshold)


def load_headline_model() -> TreeModel | None:
    return load_model(MODEL_FILE, FEATURES)
