"""A hard-wrapped dump -> one line a paragraph: its wrapped lines joined where the wrapper broke them.

Text browsers (`lynx -dump`, `w3m -dump`), html2text, mail and `fold` write a page's text at a
fixed width, each paragraph over several lines of up to that many characters. Text mode reads a
dump line by line, so a wrapped paragraph would be read as a run of short lines that look like a
menu, and a headline's line as one more piece of the paragraph above. A greedy wrapper breaks a
line only where the next word does not fit: line i was broken there exactly when its length, a
space and the first word of line i + 1 exceed the width. That test rejoins what was wrapped and
leaves a heading, a menu entry or a paragraph's last line (shorter than the width by more than
the next word) on their own. What the test cannot tell: a heading exactly as long as the width
is joined to the line after it, as a wrapper would have left it.

The width is where the lines pile up: the length between MIN_WIDTH and MAX_WIDTH with the most
lines just within it and the fewest past it. A dump is taken for wrapped at that width when
hardly a line runs past it (a word too long to break, an address, aside), at least MIN_FULL lines
are full (within a word of the width) and followed by a line, they are a good share of the lines
over half the width, and most of them stop inside a sentence and go on in lower case. A dump with
one paragraph a line (inscriptis, a browser's copy: 1 of the 1,852 dev pages' dumps is taken, a
blog's list wrapped in its own markup), a listing's headlines of one length and a text of short
lines are left as they are.
"""

from __future__ import annotations

import re
from itertools import pairwise

MIN_WIDTH, MAX_WIDTH = 60, 160  # wrappers' settings are 72-80 mostly; a dump this wide is not wrapped
MIN_LINES = 12
MIN_FULL = 5  # lines within SLACK of the width and followed by a line
SLACK = 12  # a full line is within this many characters of the width: a word and its space
LONG_WORD = 25  # a word this long (an address) is not broken: its line may run past the width
PAST_COST = 3  # choosing the width: a line just past it counts against it this many times
PAST_SHARE = 0.01  # at most this share of the lines run past the width (long words aside)
DENSE_SHARE = 0.3  # of the lines over half the width, at least this share are full
OPEN_SHARE = 0.5  # of the full lines, at least this share do not end a sentence
LOWER_SHARE = 0.3  # ... and at least this share go on in lower case on the next line
_SENTENCE_END = re.compile(r"[.!?:…][\"'”’»)\]]*$")
# a line that starts a block of its own: a bullet, a heading, a quote, a table row
_NEW_BLOCK = re.compile(r"^\s*(?:[•·▪◦●○■□►▸‣⁃∙*+#>|]|[-–—]\s|\d{1,3}[.)]\s)")
_HYPHEN_END = re.compile(r"\w-$")


def wrap_width(text: str) -> int | None:
    """The width a dump was wrapped at, or None when it is not hard-wrapped (see the module)."""
    lines = [line.rstrip() for line in text.split("\n")]
    lengths = [len(line) for line in lines if line]
    if len(lengths) < MIN_LINES:
        return None
    # a line that runs past any width (long words aside) is counted once; too many: not wrapped
    unbroken = [len(line) for line in lines if len(line) > MIN_WIDTH and not _long_word(line)]
    if sum(n > MAX_WIDTH for n in unbroken) > PAST_SHARE * len(lengths):
        return None
    width = _width(lengths, unbroken)
    if not width or sum(n > width for n in unbroken) > PAST_SHARE * len(lengths):
        return None
    full = [(a, b) for a, b in pairwise(lines) if b and width - SLACK < len(a) <= width]
    if len(full) < MIN_FULL:
        return None
    over_half = sum(width / 2 <= n <= width for n in lengths)
    open_lines = sum(not _SENTENCE_END.search(a) for a, _ in full)
    lower = sum(b.lstrip()[:1].islower() for _, b in full)
    if len(full) >= DENSE_SHARE * over_half and open_lines >= OPEN_SHARE * len(full) \
            and lower >= LOWER_SHARE * len(full):
        return width
    return None


def _long_word(line: str) -> bool:
    return max((len(w) for w in line.split()), default=0) > LONG_WORD


def _width(lengths: list[int], unbroken: list[int]) -> int:
    """The right margin: the length with the most lines just within it and the fewest just past
    it (long words aside); 0 when none between MIN_WIDTH and MAX_WIDTH has more within than past."""
    top = MAX_WIDTH + SLACK + 1
    within, past = [0] * (top + 1), [0] * (top + 1)
    for n in lengths:
        within[min(n, top)] += 1
    for n in unbroken:
        past[min(n, top)] += 1
    best, best_score = 0, 0
    for width in range(MIN_WIDTH, MAX_WIDTH + 1):
        score = sum(within[width - SLACK + 1:width + 1]) - PAST_COST * sum(past[width + 1:width + SLACK + 1])
        if score > best_score:
            best, best_score = width, score
    return best


def _next_word_overflows(line: str, following: str, width: int) -> bool:
    """Whether the first word of `following` would not have fitted at the end of `line`: after a
    space, or, where the line ends in a word's hyphen (a wrapper breaks 'well-known' there), its
    piece up to its own first hyphen, with no space."""
    word = following.split()[0]
    if _HYPHEN_END.search(line):
        return len(line) + len(word.split("-")[0]) + ("-" in word) > width
    return len(line) + 1 + len(word) > width


def _in_link_target(piece: str, inside: bool) -> bool:
    """Whether a line ends inside a Markdown link's address ('[the trial](https://example.org/posts/'),
    given its last piece and whether the piece before ended inside one: html2text breaks a long
    address wherever it likes, and the next line carries it on, with no space."""
    at = piece.rfind("](")
    if at >= 0:
        return not any(c in piece[at + 2:] for c in ") \t")
    return inside and not any(c in piece for c in ") \t")


def reflow(text: str, width: int) -> str:
    """The dump with each line that was broken at `width` joined to the line after it.

    Linear in the text: a paragraph is gathered as its pieces and joined once (a 1 MB paragraph
    joined line by line had taken minutes)."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[list[str]] = []  # each output line as its pieces, separators included
    broken = False  # the line before was broken by the wrapper: this one carries it on
    in_target = False  # the output line so far ends inside a link's address
    for i, line in enumerate(lines):
        if broken:
            glued = in_target or bool(_HYPHEN_END.search(out[-1][-1]))
            piece = line.strip()
            out[-1] += [piece] if glued else [" ", piece]
            in_target = _in_link_target(piece, in_target)  # inside an address, the piece was glued
        else:
            out.append([line])
            in_target = _in_link_target(line, False)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        broken = bool(line.strip() and following.strip()) and (in_target or (
            not _NEW_BLOCK.match(following) and (len(line) <= width or _long_word(line))
            and _next_word_overflows(line, following, width)))
    return "\n".join("".join(pieces) for pieces in out)
