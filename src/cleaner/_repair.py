"""Speed: ftfy's repair of a whole text at once, its mojibake repair only where ftfy's own test fires."""

# A speed trick beside its plain reference, `decode.repair` (ftfy.fix_text with decode's
# configuration); tests/test_repair.py holds the two equal on the repository's inputs, the
# decode tests' texts, made-up mojibake and random strings.
#
# ftfy.fix_text cuts the text into lines and, line by line, runs its fixes in rounds until the
# line stops changing: the mojibake repair (fix_encoding), then fix_c1_controls,
# fix_latin_ligatures, fix_line_breaks, fix_surrogates, remove_terminal_escapes,
# remove_control_chars and NFC. Two facts let this module take the whole text as one line:
#
# - the mojibake repair leaves a line as it is unless ftfy.badness.BADNESS_RE finds something in
#   it. Searched over the whole text (with ^ at every line start, as it is at the start of each
#   line alone), the pattern finds whatever it finds in any one line, since it has no other
#   anchor and looks neither ahead nor behind. So when it finds nothing in the text at the start
#   of any round, the repair would have changed no line, and the rounds are the other fixes';
# - each other fix changes a character, or a pair that never spans a line break ('\r\n', a
#   surrogate pair, an escape sequence), or (NFC) a letter and the marks after it, which a line
#   break stops: run on the whole text, each gives what it gives the lines, joined.
#
# Where the pattern finds something (or the text is longer than ftfy's 1,000,000-character
# segments), ftfy.fix_text itself runs. The search itself is the cost: the pattern tries ~40
# alternatives at every character. Every alternative needs one of a few hundred non-ASCII
# characters (_ANCHOR, read from the pattern) and no match is longer than _WIDTH characters, so
# the pattern is searched only near those characters: the same answer, a fraction of the work.

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy import badness, chardata, fixes

# The configuration this module repeats (decode._FTFY); any other goes to ftfy.fix_text.
_DOES = {"unescape_html": False, "fix_encoding": True, "fix_c1_controls": True, "fix_latin_ligatures": True,
         "fix_character_width": False, "uncurl_quotes": False, "fix_line_breaks": True, "fix_surrogates": True,
         "remove_terminal_escapes": True, "remove_control_chars": True, "normalization": "NFC"}
_MOJIBAKE = re.compile(badness.BADNESS_RE.pattern, badness.BADNESS_RE.flags | re.MULTILINE)


def _char_class(codes: set[int] | range) -> str:
    """A regex class of the code points, consecutive ones as ranges."""
    ranges: list[list[int]] = []
    for c in sorted(codes):
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]"


# ftfy's other fixes in its order, each with the characters it acts on: without any of them in
# the text it returns the text as it is, so it is skipped.
_FIXES = tuple((re.compile(_char_class(codes)), fix) for codes, fix in (
    (range(0x80, 0xA0), fixes.fix_c1_controls),
    (set(chardata.LIGATURES), fixes.fix_latin_ligatures),
    ({0x0D, 0x85, 0x2028, 0x2029}, fixes.fix_line_breaks),
    (range(0xD800, 0xE000), fixes.fix_surrogates),
    ({0x1B}, fixes.remove_terminal_escapes),
    (set(chardata.CONTROL_CHARS), fixes.remove_control_chars),
))


def _anchors(pattern: re.Pattern) -> tuple[set[int], int] | None:
    """(characters one of which every match of the pattern holds, the longest match), read from
    the pattern; None when some alternative needs no non-ASCII character (then search it all)."""
    from re import _constants as sre  # the parser of re itself: the pattern as re reads it
    from re import _parser

    tree = _parser.parse(pattern.pattern, pattern.flags)
    top = list(tree)
    if len(top) != 1 or top[0][0] is not sre.BRANCH:
        return None
    needed: set[int] = set()
    for alternative in top[0][1][1]:
        best = None
        for op, av in alternative:  # an element that must match once: a literal or a plain class
            chars = {av} if op is sre.LITERAL else _class_chars(av, sre) if op is sre.IN else None
            if chars and min(chars) >= 0x80 and (best is None or len(chars) < len(best)):
                best = chars
        if best is None:
            return None
        needed |= best
    return needed, tree.getwidth()[1]


def _class_chars(items, sre) -> set[int] | None:
    chars: set[int] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(av)
        elif op is sre.RANGE:
            chars.update(range(av[0], av[1] + 1))
        else:  # a negated class or a category (\w, \s): not a plain set of characters
            return None
    return chars


_FOUND = _anchors(_MOJIBAKE)
if _FOUND is not None:
    _ANCHOR_CHARS, _WIDTH = _FOUND
    _ANCHOR = _char_class(_ANCHOR_CHARS)
    # Anchors close enough that their stretches (_WIDTH - 1 characters each side) touch: one run.
    _RUNS: re.Pattern | None = re.compile(f"{_ANCHOR}(?:[^{_ANCHOR[1:-1]}]{{0,{2 * (_WIDTH - 1)}}}{_ANCHOR})*")
else:
    _RUNS = None


def _mojibake(text: str) -> bool:
    """Whether ftfy's mojibake pattern (with ^ at every line start) finds something in the text."""
    if text.isascii():  # every alternative needs a non-ASCII character
        return False
    if _RUNS is None:
        return _MOJIBAKE.search(text) is not None
    reach = _WIDTH - 1
    for run in _RUNS.finditer(text):  # any match holds an anchor, so lies within `reach` of a run
        if _MOJIBAKE.search(text, max(0, run.start() - reach), run.end() + reach):
            return True
    return False


def repair(text: str, config: ftfy.TextFixerConfig) -> str:
    """ftfy.fix_text(text, config=config), faster where the text shows no mojibake."""
    if len(text) > config.max_decode_length or any(getattr(config, k) != v for k, v in _DOES.items()):
        return ftfy.fix_text(text, config=config)
    fixed = text
    while True:  # ftfy's rounds: until a round changes nothing
        before = fixed
        if _mojibake(fixed):
            return ftfy.fix_text(text, config=config)
        for acts_on, fix in _FIXES:
            if acts_on.search(fixed):
                fixed = fix(fixed)
        fixed = unicodedata.normalize("NFC", fixed)
        if fixed == before:
            return fixed
