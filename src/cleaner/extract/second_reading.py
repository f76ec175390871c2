"""html mode's second reading of a page: its shown text, line by line, through text mode's line model.

trafilatura judges a page by its markup. Text mode's line model (cleaner.region) judges each line
of a page's text by its words and the lines around it. Given the page's text as a browser shows
it (`dumps.shown_text_dump`, one of the three dumps the model learned from), the model amends
trafilatura's main text where it is sure:

- `cuts`: a block of the main text whose lines on the page the model gives under CUT_BELOW is not
  story, unless it is the page's headline, a row of a table or an item of a numbered list
  (`Block.part_of`: the story's structures stay whole), or a text rule names it (strip cuts it
  then, under the rule's own name);
- `fill`: a line the model gives FILL_FROM or more, of FILL_WORDS words or more, of whose
  shingles the main text lacks FILL_NEW or more, within FILL_REACH lines of the main text's
  lines on the page, is story that trafilatura left out (a lead paragraph, a section it took for
  a box): it is added where it stands.

Chosen on the dev pages with the line model's out-of-fold probabilities (docs/quality.md, *A
second reading of the page*). A block is matched to the page's lines by word 4-shingles: a line
that holds MATCH_SHARE of the block's shingles or more is one of its lines.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from cleaner.decode import decode
from cleaner.dumps import shown_text_dump
from cleaner.extract.text import split_text
from cleaner.linefeatures import features, page_language, rule_hits
from cleaner.normalize import key
from cleaner.record import Article, Block, Format
from cleaner.region import TextModels
from cleaner.rules import RuleSet

CATEGORY = "block_shape"  # as text mode records a line its line model does not take for story
CUT_BELOW = 0.07
FILL_FROM = 0.95
FILL_WORDS = 5
FILL_NEW = 0.8
FILL_REACH = 2
MATCH_SHARE = 0.3
_TOKEN = re.compile(r"\w+")
_SHINGLE = 4


@dataclass(frozen=True)
class Reading:
    """The page's shown lines, the line model's P(story) of each, and where each shingle stands."""

    lines: tuple[Block, ...]
    probability: np.ndarray
    at: dict[tuple[str, ...], list[int]]  # shingle -> the lines holding it

    def match(self, text: str) -> tuple[float | None, int | None]:
        """A text's lines on the page: the highest P(story) among them and the line holding most
        of its shingles (None, None: it is on no line)."""
        shingles = _shingles(text)
        counts: Counter[int] = Counter()
        for shingle in shingles:
            counts.update(self.at.get(shingle, ()))
        lines = [i for i, n in counts.items() if n >= MATCH_SHARE * len(shingles)]
        if not lines:
            return None, None
        best = max(lines, key=lambda i: (counts[i], -i))
        return float(max(self.probability[i] for i in lines)), best


def read_page(html: str, rules: RuleSet, models: TextModels) -> Reading | None:
    """The second reading of a decoded page (None: the page shows no text)."""
    lines = dump_lines(html)
    if not lines:
        return None
    return reading_of(lines, models.lines.probability(features(lines, rule_hits(lines, rules), page_language(lines))))


def reading_of(lines: tuple[Block, ...], probability: np.ndarray) -> Reading:
    """The page's lines with their P(story), indexed by shingle."""
    at: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        for shingle in set(_shingles(line.text)):
            at[shingle].append(i)
    return Reading(lines, np.asarray(probability, dtype=float), dict(at))


def dump_lines(html: str, dumper: Callable[[str], str] = shown_text_dump) -> tuple[Block, ...]:
    """The lines text mode reads in a dump of a decoded page: the dump decoded as a .txt input
    is, then split (the trainer's pages are made the same way: cleaner.train_lines.pages)."""
    raw = dumper(html).encode("utf-8")
    dump = decode(Article(id="p", source="p.txt", format=Format.TEXT, input_format="text", raw=raw),
                  max_bytes=len(raw) + 1)  # the page passed the size limit; its text is no larger
    return tuple(split_text(dump.text)) if isinstance(dump, Article) else ()


def cuts(blocks: Sequence[Block], reading: Reading, title: str, rules: RuleSet) -> dict[int, float]:
    """The blocks the second reading cuts, with the line model's score of each."""
    title_key = key(title)
    named = rule_hits(blocks, rules)
    found = {}
    for i, block in enumerate(blocks):
        if block.part_of or named[i] or (title_key and key(block.text) == title_key):
            continue
        score, _ = reading.match(block.text)
        if score is not None and score < CUT_BELOW:
            found[i] = score
    return found


def fill(blocks: Sequence[Block], reading: Reading, title: str) -> list[Block]:
    """The blocks with the story lines trafilatura left out added where they stand on the page."""
    anchors = [reading.match(b.text)[1] for b in blocks]
    placed = [a for a in anchors if a is not None]
    if not placed:
        return list(blocks)
    have = set(_shingles(title))
    for block in blocks:
        have.update(_shingles(block.text))
    added: dict[int, list[Block]] = defaultdict(list)  # after block k (-1: before the first)
    low, high = max(min(placed) - FILL_REACH, 0), min(max(placed) + FILL_REACH, len(reading.lines) - 1)
    for j in range(low, high + 1):
        line = reading.lines[j]
        if reading.probability[j] < FILL_FROM or len(line.text.split()) < FILL_WORDS:
            continue
        shingles = _shingles(line.text)
        if not shingles or sum(s not in have for s in shingles) < FILL_NEW * len(shingles):
            continue
        after = max((k for k, a in enumerate(anchors) if a is not None and a <= j), default=-1)
        added[after].append(line)
        have.update(shingles)
    if not added:
        return list(blocks)
    out = list(added[-1])
    for k, block in enumerate(blocks):
        out.append(block)
        out.extend(added.get(k, ()))
    return out


def _shingles(text: str) -> list[tuple[str, ...]]:
    """Word 4-shingles, lower-cased; a shorter text is one shingle of its words."""
    words = _TOKEN.findall(text.lower())
    if len(words) < _SHINGLE:
        return [tuple(words)] if words else []
    return [tuple(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)]
