"""The byline reader's vocabulary (words.toml) and the patterns built from it: dates, times, labels, cues."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("words.toml")


def _load_words(path: Path = WORDS_FILE) -> dict:
    """The vocabulary: month names, date labels, author cues, job titles, words that are no names."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _words(value: str | list[str]) -> frozenset[str]:
    """A word list from the vocabulary file: a whitespace-separated string or a list."""
    return frozenset(value.split() if isinstance(value, str) else value)


_VOCABULARY = _load_words()
MONTHS: tuple[tuple[str, ...], ...] = tuple(tuple(names) for names in _VOCABULARY["months"])
WEEKDAYS = _words(_VOCABULARY["weekdays"])
PUBLISHED_LABELS = _words(_VOCABULARY["published_labels"])
UPDATED_LABELS = _words(_VOCABULARY["updated_labels"])
AUTHOR_CUES = _words(_VOCABULARY["author_cues"])
ROLE_WORDS = _words(_VOCABULARY["role_words"])
TEAM_WORDS = _words(_VOCABULARY["team_words"])
PARTICLES = _words(_VOCABULARY["particles"])
GIVEN_NAME_MONTHS = _words(_VOCABULARY["given_name_months"])
NOT_FIRST_NAME_WORDS = ((frozenset(names[0] for names in MONTHS) - GIVEN_NAME_MONTHS)
                        | _words(_VOCABULARY["not_first_name"]))
NOT_NAME_WORDS = _words(_VOCABULARY["not_name_words"]) | WEEKDAYS | (ROLE_WORDS - TEAM_WORDS)
# Degrees and credentials after a name: 'Jane Doe, Ph.D.', 'Rebecca Lake, CEPF®', 'Jo Roe MD'.
CREDENTIAL = re.compile(
    r"^(?:(?i:ph\.?\s?d\.?|m\.?\s?d\.?|d\.?o\.?|r\.?n\.?|mba|msc?|bsc?|mph|cpa|cfa|cfp|esq\.?)|[A-Z]{2,6}[®™]?)$")

# --- patterns ----------------------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of these words, longest first so 'last updated' beats 'updated'."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# 'Edited by', 'Photo by', 'Recipe by': the line is byline furniture, the name is not the author's.
OTHER_ROLE = re.compile(
    rf"(?i)^(?:medically |fact |additional )?(?:{_alternation(_words(_VOCABULARY['other_roles']))})"
    r"(?:\s+\w+)?\s*(?:by|von|par|por|de)\b"
)
# A reader comment's head: 'Tom Roe on June 4, 2024 said:', 'Ann Lee schreibt:'.
COMMENT_HEAD = re.compile(rf"(?i)\b(?:{_alternation(_words(_VOCABULARY['comment_verbs']))})\s*:\s*$")
# A team or desk may be the author when a cue names it: 'By The Investopedia Team'.
TEAM = re.compile(rf"^(?:[Tt]he\s+)?(?:[A-Z][\w.&'’-]*\s+){{1,3}}(?i:{_alternation(TEAM_WORDS)})\b")
# A month name or abbreviation, a dot after it allowed.
MONTH = rf"(?:{_alternation([m for names in MONTHS for m in names])})\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th|er|º|°)?\.?"
_YEAR = r"(?:19[89]\d|20\d\d)"
_WEEKDAY = rf"(?:(?:{_alternation(WEEKDAYS)})\.?,?\s+)?"
# Dates with a month name, ISO dates, and numeric dates with a four-digit year (or a two-digit
# one after dots, '05.06.24'). A month and year without a day is not a date here.
DATE = re.compile(
    rf"(?i)(?<![\w.])(?:"
    rf"{_WEEKDAY}(?P<mdy>{MONTH}\s*{_DAY},?\s*{_YEAR})"
    rf"|{_WEEKDAY}(?P<dmy>{_DAY}(?:\s*|-)(?:de\s+)?{MONTH}(?:,?\s*|-)(?:de\s+|del\s+)?{_YEAR})"
    rf"|(?P<ymd>{_YEAR}(?P<sep>[-/.•])\d{{1,2}}(?P=sep)\d{{1,2}})"
    rf"|(?P<num>\d{{1,2}}(?P<sep2>[./-])\d{{1,2}}(?P=sep2)(?:{_YEAR}|\d\d(?=\s|$|[,|]))|\d{{1,2}}/\d{{1,2}}/{_YEAR})"
    rf")(?!\d)"
)
# 'Apr 12', '23 Jan': a date without its year. It says 'this is a dateline', not which date.
YEARLESS_DATE = re.compile(rf"(?i)^(?:{MONTH}\s*{_DAY}|{_DAY}\s*{MONTH})$")
TIME = re.compile(
    r"(?i)(?:\b(?:at|um|à|a las|alle|-)\s+)?\b\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*(?:uhr|h|hrs?|[A-Z]{2,5}|UTC[+-]?\d*|GMT[+-]?\d*|[+-]\d{4}))?(?!\w)"
    r"|\b\d{1,2}\s*[ap]\.?m\.?(?:\s*[A-Z]{2,5})?(?!\w)"
)
READING_TIME = re.compile(
    r"(?i)\b\d+\s*(?:min(?:ute)?s?|minuten|minutos|mn)\.?"
    r"(?:\s*(?:read|reading|lesezeit|lesedauer|de lecture|de lectura|lectura))?\b"
    r"|\b(?:reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura)\b\s*:?"
    r"|\b[\d,.]+\s*(?:words|wörter|mots|palabras)\b"
)
FURNITURE = re.compile(
    r"(?i)\b(?:\d+\s+)?(?:comments?|views?|shares?|likes?|reactions?|responses?)\b|\b(?:share|follow|"
    r"source|listen|print|save|copy link|full bio|bio)\b"
)
_LABEL = _alternation([*PUBLISHED_LABELS, *UPDATED_LABELS])
LABEL = re.compile(rf"(?i)(?<!\w)(?P<label>{_LABEL})(?:\s+(?:on|at|am|le|el|em|den|vom|il|op|in))?\s*:?(?!\w)")
UPDATED = re.compile(rf"(?i)^(?:{_alternation(UPDATED_LABELS)})$")
AUTHOR_CUE = re.compile(rf"(?i)(?:^|(?<=[\s|·•,–—:-]))(?P<cue>{_alternation(AUTHOR_CUES)})\s*:?(?:\s+by)?(?:\s+|$)")
SEPARATORS = " \t|·•・⋅∙●◦,;:–—-/()[]+*>»›#"
_SPLIT = re.compile(r"\s*[|·•・⋅∙●◦,;–—]\s*|\s+-+\s+|\s+/\s+")
_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_ON = re.compile(r"(?i)\b(?:on|le|am|el|em|vom|den)\s*$")  # 'by Jane on May 5': a preposition, not a label
_RANGE = re.compile(r"(?i)\s*(?:-|–|—|to|bis|au|al|a)\s*\|\s*")  # between two dates, after the first is cut
_SENTENCE = re.compile(r"\b[a-zà-ÿ]+[.!?]$")  # ends like a sentence: a lower-case word and a full stop
_MONEY = re.compile(r"\d\s*%|[$€£¥]\s*\d")
# 'Jacob Trussell—10 min read' is two words; '2025•01•08' is one date
_DASH = re.compile(r"(?<=[^\W\d_])([—–•|·])(?=\w)|(?<=\w)([—–•|·])(?=[^\W\d_])")
_GLUED_WORDS = re.compile(r"[A-Z]?[a-z]{4,}[A-Z]")  # 'ChecklistsJust': two menu words run together
_GLUED_LABEL = re.compile(  # 'By Korin MillerPublished: …'
    r"(?<=[a-zà-ÿ])(?=(?:Published|Updated|Posted|Last updated|Veröffentlicht|Aktualisiert|Publié|Publicado"
    r"|Actualizado)\b)")
_GLUED_DATE = re.compile(rf"(?<=\d)(?=(?i:{MONTH})\s*\d)")
