"""Where the story of a plain-text page dump is: its lines, its extent, where its comments begin.

The line model (cleaner.linefeatures -> trees in models/text_lines.json) gives each line the
probability that it is story text, judged from the line, its neighbours and its place on the
page; a line at or above the model's threshold is story. The story's extent runs from the
first such line to the last: what lies before it is the page's head (menus, headline, byline),
what lies after it its tail (related links, comments, footer). A reader-comment thread is cut
whole, from its first marker to the end of the page: its comments read like prose line by line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.headline import find_headline, load_headline_model
from cleaner.linefeatures import FEATURES, comment_marks, features, page_language, rule_hits, thread_heads
from cleaner.normalize import word_count
from cleaner.record import Block
from cleaner.rules import RuleSet
from cleaner.trees import TreeModel, load_model

MODEL_FILE = "text_lines.json"
# A comment thread starts only after the story: at least this many words of story lines, and
# this share of them, stand before its marker ('3 Comments' under a headline is not a thread).
THREAD_AFTER_WORDS = 50
THREAD_AFTER_SHARE = 0.5
_THREAD_HEADS = 3  # comment heads (author + date) within _THREAD_REACH lines that open a thread
_THREAD_REACH = 40


@dataclass(frozen=True)
class TextModels:
    """The trained models of text mode: story lines and the headline."""

    lines: TreeModel
    headline: TreeModel | None

    @property
    def version(self) -> str:
        return self.lines.version


@dataclass(frozen=True)
class Story:
    """What the line model found on one page."""

    probability: np.ndarray  # P(story) of each line
    story: tuple[bool, ...]  # the model's verdict on each line (False from the thread on)
    start: int | None  # first and last story line (None: no story line)
    end: int | None
    thread: int | None  # the line a reader-comment thread starts at, if any
    headline: int | None  # the page's headline line, if found
    language: str  # the page's language, as the features saw it


def load_text_models() -> TextModels | None:
    """The shipped models, or None when the line model is missing (then the rules alone cut)."""
    lines = load_model(MODEL_FILE, FEATURES)
    return TextModels(lines, load_headline_model()) if lines is not None else None


def score_lines(
    blocks: Sequence[Block], rules: RuleSet, models: TextModels
) -> tuple[list[str], str, np.ndarray, np.ndarray]:
    """Each line's rule category ('' for none), the page's language, the line features and the
    line model's P(story) of each line: one way for every reader of a page's lines (text mode
    here, html mode's second reading)."""
    hits = rule_hits(blocks, rules)
    language = page_language(blocks)
    x = features(blocks, hits, language)
    return hits, language, x, models.lines.probability(x)


def find_story(blocks: Sequence[Block], rules: RuleSet, models: TextModels) -> Story:
    """Score every line, find the story's lines and extent, its comment thread and its headline."""
    hits, language, x, probability = score_lines(blocks, rules, models)
    story = probability >= models.lines.threshold
    words = [word_count(b.text) for b in blocks]
    thread = thread_start([b.text for b in blocks], words, hits, story)
    if thread is not None:
        story[thread:] = False
    kept = np.flatnonzero(story)
    start, end = (int(kept[0]), int(kept[-1])) if len(kept) else (None, None)
    headline = find_headline(blocks, x, probability, models.lines.threshold, models.headline)
    return Story(probability, tuple(bool(s) for s in story), start, end, thread, headline, language)


def thread_start(texts: Sequence[str], words: Sequence[int], hits: Sequence[str], story: np.ndarray) -> int | None:
    """The first line of a reader-comment thread after the story, or None.

    A thread opens at a comments rule's line ('59 Comments on “…”', 'Leave a Reply') or at a
    comment head (linefeatures.thread_heads: a name with a date or a clock time, not a decimal)
    followed by two more within 40 lines, once at least THREAD_AFTER_WORDS words and
    THREAD_AFTER_SHARE of the page's story words stand before it."""
    _, _, _, marks = comment_marks(texts, words, hits)
    head = thread_heads(texts, words, marks)
    story_words = np.where(story, np.asarray(words, dtype=float), 0.0)
    total = story_words.sum()
    before = np.cumsum(story_words) - story_words
    heads_at = np.flatnonzero(head)
    for i in range(len(texts)):
        opens = hits[i] == "comments" or (
            head[i] and np.count_nonzero((heads_at > i) & (heads_at <= i + _THREAD_REACH)) >= _THREAD_HEADS - 1
        )
        if opens and before[i] >= THREAD_AFTER_WORDS and before[i] >= THREAD_AFTER_SHARE * total:
            return i
    return None
