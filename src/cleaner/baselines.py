"""Two published line filters for plain-text page dumps, measured beside text mode by `cleaner eval`.

- `c4_lines`: the line rules of the C4 corpus (Raffel et al. 2020): keep lines that end in a
  terminal punctuation mark and have at least three words; drop lines that mention javascript
  or a cookie/privacy policy notice.
- `span_lines`: the page's densest stretch of prose (cleaner.linefeatures.prose_span): the
  contiguous run of lines where a line of 8+ words ending a sentence scores its word count and
  any other line costs 3.
"""

from __future__ import annotations

import re

from cleaner.linefeatures import prose_span, sentence_ends
from cleaner.normalize import word_count

_C4_END = re.compile(r"[.!?\"”]$")
_C4_POLICY = re.compile(r"javascript|cookie policy|use of cookies|use cookies|privacy policy|terms of use", re.I)


def c4_lines(dump: str) -> str:
    """The lines of a dump that C4's rules keep."""
    kept = []
    for line in (ln.strip() for ln in dump.splitlines()):
        if len(line.split()) >= 3 and _C4_END.search(line) and not _C4_POLICY.search(line):
            kept.append(line)
    return "\n".join(kept)


def span_lines(dump: str) -> str:
    """The lines of a dump's densest stretch of prose."""
    lines = [ln.strip() for ln in dump.splitlines() if ln.strip()]
    span = prose_span([word_count(ln) for ln in lines], [sentence_ends(ln) for ln in lines])
    return "\n".join(lines[span[0]:span[1] + 1]) if span else ""
