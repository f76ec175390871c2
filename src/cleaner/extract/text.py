"""A plain-text dump -> blocks: at blank lines, hard wraps and split sentences joined, Markdown read as
text, bullets, quotes and headings by shape."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from cleaner.extract.linknumbers import without_link_numbers
from cleaner.extract.markdown import looks_like_markdown, plain_text
from cleaner.extract.reflow import reflow, wrap_width
from cleaner.normalize import clean_text, word_count
from cleaner.record import Block, BlockKind

# A bullet, or a numbered item's number. '*' only before a space: glued to a word it is a
# footnote's mark or emphasis ('*Prices as of May', '**Update:** …'; 112 such lines in the WCXB dev
# pages' dumps, none a list item).
_BULLET = re.compile(r"^(?:[•·▪◦●○■□►▸‣⁃∙]|[*\-–—](?=\s)|\d{1,2}[.)](?=\s))\s*")
_TERMINAL = re.compile(r"[.!?:;…\"”»)\]]$")

# A dump written one line per text node of the page (BeautifulSoup's get_text("\n"), many
# crawlers' exports) breaks a sentence wherever a link or an emphasis starts or ends: 'See the' /
# 'deadlines' / '.'. Two kinds of break say so, as no whole line ends or starts that way: a line
# that is closing punctuation alone (or starts with it) after a word, and a line that ends in a
# function word. When such breaks are at least FRAGMENTED_SHARE of a dump's lines (WCXB dev
# pages: 99 % of inscriptis dumps are under 0.021, half of get_text's are over 0.042) and
# FRAGMENTED_MIN in number (a short text's one headline ending 'four years on' is no sign), the
# dump's lines are rejoined at them, and a lower-case line carries on the one before it.
FRAGMENTED_SHARE = 0.02
FRAGMENTED_MIN = 3
EDGE = 200  # a joined line's start and end that the patterns above read (_Joined.edges)
_CLOSING_LINE = re.compile(r"^[,.;!?)»”’%]+(?:$|\s+\S)")
_ENDS_IN_WORD = re.compile(r"[\w%)]$")
_STARTS_WORD = re.compile(r"^[\w“\"‘']")
# Articles, prepositions and conjunctions a sentence does not end with (en, de, fr, es, it, nl);
# the particle of a control ('Sign in', 'Log on') is not one.
_FUNCTION_END = re.compile(
    r"\s(?:the|a|an|of|to|in|on|at|by|for|with|from|and|or|but|as|that|than|into|about"
    r"|der|die|das|den|dem|und|von|mit|zu|im|le|la|les|des|du|et|de|el|los|las|del|y|il|di|e"
    r"|van|het|een)$")
_PARTICLE_END = re.compile(r"(?i:sign|log|logged|signed|check|opt|plug|add)\s+(?:in|on)$")


def split_text(text: str) -> list[Block]:
    """Blocks of a plain-text page dump, in order.

    A dump wrapped at a fixed width is joined back into one line a paragraph (extract.reflow),
    and a text browser's link numbers and list of addresses go (extract.linknumbers). Cut at
    blank lines; single lines inside a paragraph become blocks of their own unless they are a
    hard-wrapped paragraph, or pieces of one sentence in a dump that breaks its sentences
    (`is_fragmented`); a Markdown dump is read without its syntax (extract.markdown). Deciding
    what is boilerplate is the strip stage's job.
    """
    width = wrap_width(text)
    if width is not None:
        text = reflow(text, width)
    text = without_link_numbers(text)
    if looks_like_markdown(text):
        text = plain_text(text)
    paragraphs = [[ln.strip() for ln in paragraph.split("\n") if ln.strip()]
                  for paragraph in re.split(r"\n\s*\n", clean_text(text))]
    join = _rejoin if is_fragmented(paragraphs) else _unwrap
    return [_text_block(line) for lines in paragraphs for line in join(lines)]


def is_fragmented(paragraphs: list[list[str]]) -> bool:
    """Whether the dump breaks its lines inside sentences (see FRAGMENTED_SHARE)."""
    count = sum(len(lines) for lines in paragraphs)
    breaks = sum(_breaks_sentence(a, b) for lines in paragraphs for a, b in pairwise(lines))
    return breaks >= max(FRAGMENTED_MIN, FRAGMENTED_SHARE * count)


def _breaks_sentence(line: str, following: str) -> bool:
    if _BULLET.match(line):  # a renderer's list item ('* 06.11.23 von Hans zu' / a linked headline)
        return False
    if _CLOSING_LINE.match(following):
        return bool(_ENDS_IN_WORD.search(line))
    return bool(_FUNCTION_END.search(line) and _STARTS_WORD.match(following) and not _PARTICLE_END.search(line))


def _unwrap(lines: list[str]) -> list[str]:
    """Join the lines of a hard-wrapped paragraph; keep separate lines separate.

    A line break is a wrap when the line is long, does not end a sentence or a heading, and
    the next line carries on in lower case ('... the two\\nleaders met').
    """
    out: list[_Joined] = []
    for line in lines:
        if (
            out
            and out[-1].size >= 30
            and not _TERMINAL.search(out[-1].edges())
            and not _BULLET.match(line)
            and (line[:1].islower() or line[:1] in ",;)")
        ):
            out[-1].add(" ", line)
        else:
            out.append(_Joined(line))
    return [joined.text() for joined in out]


def _rejoin(lines: list[str]) -> list[str]:
    """The lines of a dump that breaks sentences at its page's inline elements, rejoined: at
    those breaks, and where a lower-case word carries on a line that does not end a sentence."""
    out: list[_Joined] = []
    for line in lines:
        if out and not _BULLET.match(line):
            joined = out[-1]
            before = joined.edges()
            if _CLOSING_LINE.match(line) and _ENDS_IN_WORD.search(before):
                joined.add("", line)
                continue
            if _breaks_sentence(before, line) or (
                not _TERMINAL.search(before)
                and (line[:1].islower() or line[:1] in ",;)")
                and (joined.size >= 30 or (_ENDS_IN_WORD.search(before) and re.match(r"\w\w", line)))
            ):
                joined.add(" ", line)
                continue
        out.append(_Joined(line))
    return [joined.text() for joined in out]


class _Joined:
    """A line joined from a paragraph's lines, in time linear in their number: the tests read
    only its length, its start and its end (`edges`), never the whole (a 2 MB paragraph joined
    string by string, each test searching the whole, had taken over five minutes)."""

    __slots__ = ("parts", "size")

    def __init__(self, first: str) -> None:
        self.parts = [first]
        self.size = len(first)

    def add(self, separator: str, line: str) -> None:
        if separator:
            self.parts.append(separator)
        self.parts.append(line)
        self.size += len(separator) + len(line)

    def edges(self) -> str:
        """The line itself, or, when long, its first and last EDGE characters: what a pattern
        anchored at its start or its end sees."""
        if self.size <= 2 * EDGE:
            return self.text()
        head = "".join(_holding(self.parts, EDGE))[:EDGE]
        tail = "".join(reversed(_holding(reversed(self.parts), EDGE)))[-EDGE:]
        return head + tail

    def text(self) -> str:
        return "".join(self.parts)


def _holding(parts: Iterable[str], size: int) -> list[str]:
    """The first parts, as many as it takes to hold `size` characters."""
    taken, total = [], 0
    for part in parts:
        taken.append(part)
        total += len(part)
        if total >= size:
            break
    return taken


def _text_block(line: str) -> Block:
    bullet = _BULLET.match(line)
    if bullet and len(line) > bullet.end():
        marker = bullet.group().strip()
        return Block(BlockKind.LIST_ITEM, line[bullet.end():].strip(), marker=marker if marker[:1].isdigit() else "")
    if line.startswith(">"):
        return Block(BlockKind.QUOTE, line.lstrip("> ").strip())
    if is_heading_like(line):
        return Block(BlockKind.HEADING, line)
    return Block(BlockKind.PARAGRAPH, line)


def is_heading_like(text: str) -> bool:
    """Short, starts like a title, and does not end like a sentence ('What’s Next?' does).

    A title starts with a capital, a digit or an opening quote; in a script without case (Chinese,
    Japanese, Thai, Arabic, Hebrew, Devanagari ...) with any letter."""
    n = word_count(text)
    if n == 0 or n > 20 or len(text) > 160:
        return False
    first = text[:1]
    caseless = first.isalpha() and first.lower() == first.upper()
    if not (first.isupper() or caseless or first.isdigit() or first in "“\"‘'¿¡"):
        return False
    return not re.search(r"[.,;:…]$", text) or text.endswith("?")
