"""html mode's second reading of a page: its shown text, line by line, through text mode's line model.

trafilatura judges a page by its markup. Text mode's line model (cleaner.region) judges each line
of a page's text by its words and the lines around it. Given the page's text as a browser shows
it (`dumps.shown_text_dump`, one of the three dumps the model learned from), the model amends
trafilatura's main text where it is sure:

- `cuts`: a block of the main text whose lines on the page the model gives under CUT_BELOW is not
  story, unless it is the page's headline, a row of a table or an item of a numbered list
  (`Block.part_of`: the story's structures stay whole), a text rule names it (strip's rules
  decide it, under their own names), or it is the last of the page's paragraphs;
- `fill`: a line the model gives FILL_FROM or more, of FILL_WORDS words or more, of whose
  shingles the main text lacks FILL_NEW or more, within FILL_REACH lines of the main text's
  lines on the page, is story that trafilatura left out (a lead paragraph, a section it took for
  a box): it is added where it stands.

Chosen on the dev pages with the line model's out-of-fold probabilities (docs/quality.md, *A
second reading of the page*). A block is matched to the page's lines by word 4-shingles, as
`cleaner eval` counts them (bodyscore.shingles): a line that holds MATCH_SHARE of the block's
shingles or more is one of its lines.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

import numpy as np

from cleaner import bodyscore
from cleaner.decode import decode
from cleaner.dumps import shown_text_dump
from cleaner.extract.text import split_text
from cleaner.linefeatures import rule_hits
from cleaner.normalize import key
from cleaner.record import Article, Block, BlockKind, Format
from cleaner.region import TextModels, score_lines
from cleaner.rules import RuleSet

CATEGORY = "block_shape"  # as text mode records a line its line model does not take for story
CUT_BELOW = 0.07
FILL_FROM = 0.95
FILL_WORDS = 5
FILL_NEW = 0.8
FILL_REACH = 2
MATCH_SHARE = 0.3
# A shingle on more lines of the page than this (a phrase every item of a long list repeats)
# tells no line from another and is not looked up: counting it made matching quadratic (a page
# of 5,000 such paragraphs took 55 s against 5 s without the second reading).
MAX_LINES_PER_SHINGLE = 20
_RUNNING = (BlockKind.PARAGRAPH, BlockKind.QUOTE)  # running text, to strip's check for a listing


@dataclass
class Reading:
    """The page's shown lines, the line model's P(story) of each, the P at which a line is story
    (the threshold of the model that judged the page), and where each shingle stands (not
    frozen: it remembers what `match` answered, as cuts and fill ask about the same blocks)."""

    lines: tuple[Block, ...]
    probability: np.ndarray
    threshold: float
    at: dict[tuple[str, ...], list[int]]  # shingle -> the lines holding it (MAX_LINES_PER_SHINGLE at most)
    matched: dict[str, tuple[float | None, int | None]] = field(default_factory=dict)  # match's answers

    def match(self, text: str) -> tuple[float | None, int | None]:
        """A text's lines on the page: the highest P(story) among them and the line holding most
        of its shingles (None, None: it is on no line)."""
        if text not in self.matched:
            shingles = bodyscore.shingles(text)
            counts: Counter[int] = Counter()
            for shingle in shingles:
                counts.update(self.at.get(shingle, ()))
            lines = [i for i, n in counts.items() if n >= MATCH_SHARE * len(shingles)]
            self.matched[text] = (float(self.probability[lines].max()), max(lines, key=lambda i: (counts[i], -i))) \
                if lines else (None, None)
        return self.matched[text]


def read_page(html: str, rules: RuleSet, models: TextModels) -> Reading | None:
    """The second reading of a decoded page (None: the page shows no text)."""
    lines = dump_lines(html)
    if not lines:
        return None
    _, language, _, probability, _ = score_lines(lines, rules, models)
    return reading_of(lines, probability, models.line_model(language).threshold)


def reading_of(lines: tuple[Block, ...], probability: np.ndarray, threshold: float) -> Reading:
    """The page's lines with their P(story), indexed by shingle; `threshold`: the P of a story line."""
    at: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        for shingle in set(bodyscore.shingles(line.text)):
            at[shingle].append(i)
    return Reading(lines, np.asarray(probability, dtype=float), threshold,
                   {shingle: held for shingle, held in at.items() if len(held) <= MAX_LINES_PER_SHINGLE})


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
    running = [i for i, b in enumerate(blocks) if b.kind in _RUNNING]
    if running and all(i in found for i in running):
        # Not the page's last paragraph: a page of headings and list items is a listing to
        # strip, and whether this one is (a dictionary entry given as a list item, with a
        # citation the model takes for chrome) is not the line model's call.
        found = {i: score for i, score in found.items() if blocks[i].kind not in _RUNNING}
    return found


def fill(blocks: Sequence[Block], reading: Reading, title: str) -> list[Block]:
    """The blocks with the story lines trafilatura left out added where they stand on the page."""
    # A line found goes after the last block whose line on the page stands at or before it:
    # the blocks by their line (`starts`), with the largest block number so far (`last`).
    by_line = sorted((a, k) for k, b in enumerate(blocks) if (a := reading.match(b.text)[1]) is not None)
    if not by_line:
        return list(blocks)
    starts = [a for a, _ in by_line]
    last = list(accumulate((k for _, k in by_line), max))
    have = set(bodyscore.shingles(title))
    for block in blocks:
        have.update(bodyscore.shingles(block.text))
    added: dict[int, list[Block]] = defaultdict(list)  # after block k (-1: before the first)
    low, high = max(starts[0] - FILL_REACH, 0), min(starts[-1] + FILL_REACH, len(reading.lines) - 1)
    for j in range(low, high + 1):
        line = reading.lines[j]
        if reading.probability[j] < FILL_FROM or len(line.text.split()) < FILL_WORDS:
            continue
        shingles = bodyscore.shingles(line.text)
        if not shingles or sum(s not in have for s in shingles) < FILL_NEW * len(shingles):
            continue
        before = bisect_right(starts, j)
        added[last[before - 1] if before else -1].append(line)
        have.update(shingles)
    if not added:
        return list(blocks)
    out = list(added[-1])
    for k, block in enumerate(blocks):
        out.append(block)
        out.extend(added.get(k, ()))
    return out
