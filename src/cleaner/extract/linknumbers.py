"""A text browser's link numbers out: '[12]' before each link's text and the list of addresses.

`lynx -dump` numbers every link on the page: it writes '[12]' before the link's text ('according
to [12]state media') and lists the addresses at the end, under 'References' ('  12. https://…';
newer versions add 'Visible links:' and 'Hidden links:'). Read as text, every marker is a word in
the middle of a sentence, and the list is a page of addresses. Like a Markdown link's target, they
are the dump's syntax, not the page's text: a dump that ends in such a list (at least MIN_LINKS
numbered addresses) loses the list and the markers whose numbers it holds. A '[1]' in a dump
without the list (a footnote, a citation) stays.
"""

from __future__ import annotations

import re

MIN_LINKS = 3
_HEADING = re.compile(r"^[ \t]*(?:References|Visible links:?|Hidden links:?)[ \t]*$")
_ENTRY = re.compile(r"^[ \t]*(\d{1,5})\.[ \t]+[A-Za-z][\w+.-]*:\S.*$")  # '  12. https://example.org/page'
_MARKER = re.compile(r"\[(\d{1,5})\]")


def without_link_numbers(text: str) -> str:
    """The dump less its link list and the markers that point into it; unchanged when it has none."""
    lines = text.split("\n")
    start = _list_start(lines)
    if start is None:
        return text
    numbers = {m.group(1) for line in lines[start:] if (m := _ENTRY.match(line))}
    body = "\n".join(lines[:start]).rstrip()
    return _MARKER.sub(lambda m: "" if m.group(1) in numbers else m.group(0), body) + "\n"


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
