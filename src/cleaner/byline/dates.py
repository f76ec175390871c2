"""Dates on a byline line: found, labelled published or updated, read as ISO dates (day first or not)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

from dateutil import parser as dateparser

from cleaner.byline.vocabulary import _ON, _RANGE, _WORD, DATE, LABEL, MONTHS, TIME, UPDATED, WEEKDAYS


class _Names(dateparser.parserinfo):
    """dateutil's parser, taught the month names of the vocabulary's languages."""

    MONTHS: ClassVar[list] = [tuple(dict.fromkeys((*names, names[0][:3]))) for names in MONTHS]
    JUMP: ClassVar[list] = [*dateparser.parserinfo.JUMP,
                            "de", "del", "le", "el", "am", "um", "den", "vom", "à", "a", "las", "•"]


_DATE_NAMES = _Names()


def iso_date(text: str, language: str = "") -> str:
    """'June 19, 2024', '19. Juni 2024', '05.06.2024' (day first) -> ISO date; '' if none."""
    match = DATE.search(text)
    return _parse_date(match, language) if match else ""


def _parse_date(match: re.Match[str], language: str) -> str:
    """The ISO date of a DATE match; '' when it is no real date."""
    span = next(match.group(g) for g in ("mdy", "dmy", "ymd", "num") if match.group(g))
    numeric = match.group("num")
    dayfirst = bool(numeric) and _day_first(numeric, language)
    if dayfirst is None:
        return ""  # no way to tell the day from the month
    try:
        value = dateparser.parse(span.replace("•", "-"), parserinfo=_DATE_NAMES, dayfirst=dayfirst, fuzzy=True,
                                 default=datetime(1, 1, 1))
    except (ValueError, OverflowError):
        return ""
    return value.date().isoformat() if value.year >= 1980 else ""


def _day_first(numeric: str, language: str) -> bool | None:
    """05.06.2024 is the 5th of June. 05/06/2024 is too outside English; in English (or an
    unknown language) it is the 5th of June in Britain and the 6th of May in the US: None."""
    if "/" not in numeric:
        return True
    first, second = (int(p) for p in numeric.split("/")[:2])
    if first > 12 or second > 12 or first == second:
        return first > 12
    return None if language in ("", "en") else True


def _dates(text: str, language: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The dates of a line, each with the kind its label gives it, and the line with each date
    and label replaced by a separator."""
    found: list[tuple[str, str]] = []
    rest: list[str] = []
    start = 0
    for match in DATE.finditer(text):
        before = text[start:match.start()]
        labels = [label for label in LABEL.finditer(before) if _next_to_date(before[label.end():])]
        # kept when unreadable ('' for 05/06/2024 in English): a byline date that cannot be read
        # must not let the next date stand in for it
        found.append((_kind(labels[-1].group("label")) if labels else "plain", _parse_date(match, language)))
        rest.append(_ON.sub(" | ", LABEL.sub(" | ", before)) + " | ")
        start = match.end()
    rest.append(text[start:])
    if len(found) > 1 and any(_RANGE.fullmatch(part) for part in rest[1:-1]):
        return (), "".join(rest)  # '2025-12-12 - 2025-12-17': the dates of an event, not of the page
    return tuple(found), "".join(rest)


def _next_to_date(between: str) -> bool:
    """Only a time, a weekday or separators between a label and its date: 'Published: 10:19am 19 …'."""
    between = _ON.sub(" ", TIME.sub(" ", between))
    return not [w for w in _WORD.findall(between) if w.casefold().rstrip(".") not in WEEKDAYS]


def _kind(label: str) -> str:
    """'published' or 'updated': what a date label says of its date."""
    return "updated" if UPDATED.match(label.strip()) else "published"
