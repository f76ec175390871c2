"""One line of the window by itself: the author, name, dates, cue or job title it states."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cleaner.byline.dates import _dates, _kind
from cleaner.byline.names import _bare_name, _cued_author, _segment_name
from cleaner.byline.vocabulary import (
    _DASH,
    _GLUED_DATE,
    _GLUED_LABEL,
    _MONEY,
    _SENTENCE,
    _WORD,
    AUTHOR_CUE,
    AUTHOR_CUES,
    COMMENT_HEAD,
    DATE,
    FURNITURE,
    LABEL,
    OTHER_ROLE,
    READING_TIME,
    ROLE_WORDS,
    SEPARATORS,
    TIME,
    WEEKDAYS,
    YEARLESS_DATE,
)

MAX_WORDS = 20  # a byline line is short; a longer line is story or chrome …
MAX_LEADING_WORDS = 30  # … unless it starts with a date, a date label or an author cue (then lists categories)
MAX_CHARS = 400  # 30 words of a byline fit; a longer line is not read at all (bounds the regex work)
MAX_OTHER_WORDS = 3  # words on a date line that are neither date, label, name nor furniture
MAX_OTHER_WORDS_LABELLED = 8  # … more when a label says the date is the page's: 'Essay - Published: …'


@dataclass(frozen=True)
class Line:
    """What one line says by itself, before its neighbours are considered."""

    author: str = ""  # a name behind a byline cue on this line: 'By Jane Doe'
    dated_name: str = ""  # a name beside a date, without a cue: 'Jane Doe | May 5, 2024'
    name: str = ""  # the line is nothing but a name; it needs a byline beside it to count
    dates: tuple[tuple[str, str], ...] = ()  # (published | updated | plain, ISO date)
    cue: str = ""  # a bare cue: 'author' (the name follows on the next line) or a date label's kind
    failed_cue: bool = False  # 'By' followed by no readable name: guess nothing
    role: bool = False  # a job title: 'Senior Editor', 'VP - Technology'
    yearless: bool = False  # 'Apr 12': a dateline without its year
    furniture: bool = False  # reading time, '6 comments', 'Share', 'Photo by …'

    @property
    def dateline(self) -> bool:
        """The line is a dateline: it states a date, or is a date label or a date without a year."""
        return bool(self.dates or self.yearless or self.cue in ("published", "updated"))


def labelled_dates(lines: Iterable[tuple[int, Line, str]]) -> Iterator[tuple[int, str, str]]:
    """(index, kind, ISO date) of every date of `lines` ((index, Line, text), in page order): a
    bare 'Published' or 'Updated' label line gives its kind to the plain dates of the next line
    that says something (a line of separators between them keeps it)."""
    label = ""
    for i, line, text in lines:
        for kind, iso in line.dates:
            yield i, (label if kind == "plain" and label else kind), iso
        if line.cue in ("published", "updated"):
            label = line.cue
        elif text.strip(SEPARATORS):
            label = ""


def _leads(text: str) -> bool:
    """The line starts with a date, a date label or an author cue."""
    text = re.sub(r"(?i)^(?:on|le|am|el)\s+", "", text)
    return bool(DATE.match(text) or LABEL.match(text) or AUTHOR_CUE.match(text))


def read_line(text: str, language: str = "") -> Line:
    """What a single line states: an author behind a cue, a bare name, dates, a bare cue."""
    if len(text) > MAX_CHARS:
        return Line()
    text = _GLUED_DATE.sub(" ", _GLUED_LABEL.sub(" ", _DASH.sub(lambda m: f" {m.group()} ", text.strip())))
    words = text.split()
    if not words or len(words) > (MAX_LEADING_WORDS if _leads(text) else MAX_WORDS):
        return Line()
    if OTHER_ROLE.match(text):
        return Line(furniture=True)
    if COMMENT_HEAD.search(text):
        return Line()  # a reader comment's head: its name and date are the commenter's
    cue = _bare_cue(text)
    if cue:
        return Line(cue=cue)
    if YEARLESS_DATE.match(text.strip(SEPARATORS)):
        return Line(yearless=True)
    dates, rest = _dates(text, language)
    author, rest, cued = _cued_author(rest, handles=bool(dates))
    rest = FURNITURE.sub(" | ", READING_TIME.sub(" | ", TIME.sub(" | ", rest)))
    other = [w for w in _WORD.findall(rest) if w.casefold() not in WEEKDAYS]
    if dates and not author:
        dated_name, name_words = _segment_name(rest)
        labelled = any(kind != "plain" for kind, _ in dates)
        if len(other) - name_words > (MAX_OTHER_WORDS_LABELLED if labelled else MAX_OTHER_WORDS):
            return Line()  # a line of its own that mentions a date: 'Events in the city on June 5, 2024'
        if _SENTENCE.search(text) and not labelled:
            return Line()  # a sentence: 'On June 5, 2024, the board met.'
        if not labelled and _MONEY.search(rest):
            return Line()  # '1/1/2013 +13.1%': a row of a table
        return Line(dated_name=dated_name if len(dated_name.split()) > 1 else "", dates=dates)
    if author or dates or cued:
        return Line(author=author, dates=dates, failed_cue=cued and not author)
    if not other and rest.strip(SEPARATORS) != text.strip(SEPARATORS):
        return Line(furniture=True)
    name = _bare_name(text)
    role = len(words) <= 8 and any(w.casefold().strip(SEPARATORS) in ROLE_WORDS for w in words)
    return Line(name=name, role=role)


def _bare_cue(text: str) -> str:
    """'By', 'Author:', 'Written by' alone -> 'author'; 'Published on', 'Last updated:' alone -> their kind."""
    bare = text.strip(SEPARATORS)
    if bare.casefold() in _CUES:
        return "author"
    label = LABEL.fullmatch(bare)
    return _kind(label.group("label")) if label and bare.casefold() != "date" else ""


_CUES = frozenset(AUTHOR_CUES) | {"written by by"}
