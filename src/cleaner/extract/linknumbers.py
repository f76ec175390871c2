"""A text browser's link numbers out: '[12]' before each link's text and the list of addresses.

`lynx -dump` numbers every link on the page: it writes '[12]' before the link's text ('according
to [12]state media') and lists the addresses at the end, under 'References' ('  12. https://…';
newer versions add 'Visible links:' and 'Hidden links:'). Read as text, every marker is a word in
the middle of a sentence, and the list is a page of addresses. Like a Markdown link's target, they
are the dump's syntax, not the page's text: a dump that ends in such a list (at least MIN_LINKS
numbered addresses) loses the list and the markers whose numbers it holds. Without the list
(`lynx -dump -nolist`), the markers go when they count up one by one, glued to the words they
number, ten of them at least (`_numbered_links`); a citation ('the study.[3]', 'see [1]') stays.
"""

from __future__ import annotations

import re
from itertools import pairwise

MIN_LINKS = 3
MIN_NUMBERED, MAX_STEP, COUNTING_SHARE = 10, 3, 0.8
_HEADING = re.compile(r"^[ \t]*(?:References|Visible links:?|Hidden links:?)[ \t]*$")
_ENTRY = re.compile(r"^[ \t]*(\d{1,5})\.[ \t]+[A-Za-z][\w+.-]*:\S.*$")  # '  12. https://example.org/page'
_MARKER = re.compile(r"\[(\d{1,5})\]")
_AT_WORD_START = re.compile(r"(?<![\w.,;:!?)\]])\[(\d{1,5})\]")  # not after a word: 'study.[3]' is a citation
_GLUED = re.compile(_AT_WORD_START.pattern + r"(?=[^\W\d]|[(\"“‘'])")  # ... and glued to the word it numbers


def without_link_numbers(text: str) -> str:
    """The dump less its link list and the markers that point into it; unchanged when it has none."""
    lines = text.split("\n")
    start = _list_start(lines)
    if start is None:
        return _AT_WORD_START.sub("", text) if _numbered_links(text) else text
    numbers = {m.group(1) for line in lines[start:] if (m := _ENTRY.match(line))}
    body = "\n".join(lines[:start]).rstrip()
    return _MARKER.sub(lambda m: "" if m.group(1) in numbers else m.group(0), body) + "\n"


def _numbered_links(text: str) -> bool:
    """Whether the dump numbers its links as lynx does without printing their list ('-nolist'):
    at least MIN_NUMBERED markers glued to the word they number ('[12]state'), counting up one by
    one in the order they come (a form field takes a number too). A citation is glued to the word
    before it ('the study.[3]'), and a page's citations rarely count up that long."""
    numbers = [int(m.group(1)) for m in _GLUED.finditer(text)]
    if len(numbers) < MIN_NUMBERED:
        return False
    steps = sum(0 < b - a <= MAX_STEP for a, b in pairwise(numbers))
    return steps >= COUNTING_SHARE * (len(numbers) - 1)


def _list_start(lines: list[str]) -> int | None:
    """The line the dump's link list starts at (its first heading), when all that follows is the
    list: its headings, numbered addresses and blank lines, MIN_LINKS addresses at least."""
    start = None
    entries = 0
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line.strip():
            continue
        if _ENTRY.match(line):
            entries += 1
        elif _HEADING.match(line):
            start = i
        else:
            break
    return start if start is not None and entries >= MIN_LINKS else None
