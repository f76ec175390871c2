"""The page's own author and publication date, read from the byline and dateline lines of a
plain-text page dump.

A text dump holds every visible line of a page: menus, headline, byline, story, related links,
comments, footer. Other models find the headline and the story's first line; the byline sits
between them, just above the headline, or a line or two into the story. Only that window is
read, so a date in a related-links list, a comment or the story itself is never taken for the
publication date, and a name in a menu or an author box further down is never the author.

Precision first: an empty field is far better than a wrong one. A name counts only when a
byline cue says it is one: 'By …', 'Written by …', 'Von …', 'Par …', 'Por …'; a 'By' or
'Author' label on the line above; a date on the same line ('Jane Doe | May 5, 2024'); a
dateline or a job title ('Senior Editor') on the line below. It must look like a person's
name: 1 to 5 capitalised words, no interface or function words, and (without a cue) no word
the page also writes in lower case, which a common noun does and a surname rarely does.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import ClassVar

from dateutil import parser as dateparser

# --- the window -------------------------------------------------------------------------------

LINES_ABOVE_HEADLINE = 3  # blogs put 'June 6, 2021' or 'Posted on … by …' above the headline
LINES_BEFORE_STORY = 8  # with no headline: how far above the story's first line a byline may sit
LINES_INTO_STORY = 4  # a byline after the dek or the first paragraph
MAX_HEAD_TO_STORY = 30  # a longer gap between headline and story is menus, tables of contents …
LINES_WITHOUT_STORY = 12  # the headline is known but the story start is not (or lies above it)
MAX_WORDS = 20  # a byline line is short; a longer line is story or chrome …
MAX_LEADING_WORDS = 30  # … unless it starts with a date, a date label or an author cue (then lists categories)
MAX_CHARS = 400  # 30 words of a byline fit; a longer line is not read at all (bounds the regex work)
MAX_OTHER_WORDS = 3  # words on a date line that are neither date, label, name nor furniture
MAX_OTHER_WORDS_LABELLED = 8  # … more when a label says the date is the page's: 'Essay - Published: …'
MAX_DATELINE_WORDS = 8  # inside the story a date counts only on a line this short
PAIRED_DATES = 2  # 'May 5, 2024' then 'May 9, 2024' a line or two below: published, then modified
PROSE_WORDS = 6  # lines this long are sentences: their lower-case words are common nouns


@dataclass(frozen=True)
class Byline:
    """What the page's own byline states; empty fields where it states nothing."""

    author: str = ""  # the first author, as the page writes it, cleaned: 'By JANE DOE |' -> 'Jane Doe'
    published: str = ""  # ISO date YYYY-MM-DD; never a date labelled 'Updated' or 'Modified'
    updated: str = ""  # the first date labelled 'Updated', 'Last modified' …, for a caller that wants it
    lines: tuple[int, ...] = ()  # indexes of the byline and dateline lines read


# --- data ------------------------------------------------------------------------------------

WORDS_FILE = Path(__file__).with_name("byline_words.toml")


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
NOT_FIRST_NAME_WORDS = frozenset(names[0] for names in MONTHS) | _words(_VOCABULARY["not_first_name"])
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
# A team or desk may be the author when a cue names it: 'By The Investopedia Team'.
TEAM = re.compile(rf"^(?:[Tt]he\s+)?(?:[A-Z][\w.&'’-]*\s+){{1,3}}(?i:{_alternation(TEAM_WORDS)})\b")
_MONTH = rf"(?:{_alternation([m for names in MONTHS for m in names])})\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th|er|º|°)?\.?"
_YEAR = r"(?:19[89]\d|20\d\d)"
_WEEKDAY = rf"(?:(?:{_alternation(WEEKDAYS)})\.?,?\s+)?"
# Dates with a month name, ISO dates, and numeric dates with a four-digit year (or a two-digit
# one after dots, '05.06.24'). A month and year without a day is not a date here.
DATE = re.compile(
    rf"(?i)(?<![\w.])(?:"
    rf"{_WEEKDAY}(?P<mdy>{_MONTH}\s*{_DAY},?\s*{_YEAR})"
    rf"|{_WEEKDAY}(?P<dmy>{_DAY}(?:\s*|-)(?:de\s+)?{_MONTH}(?:,?\s*|-)(?:de\s+|del\s+)?{_YEAR})"
    rf"|(?P<ymd>{_YEAR}(?P<sep>[-/.•])\d{{1,2}}(?P=sep)\d{{1,2}})"
    rf"|(?P<num>\d{{1,2}}(?P<sep2>[./-])\d{{1,2}}(?P=sep2)(?:{_YEAR}|\d\d(?=\s|$|[,|]))|\d{{1,2}}/\d{{1,2}}/{_YEAR})"
    rf")(?!\d)"
)
# 'Apr 12', '23 Jan': a date without its year. It says 'this is a dateline', not which date.
YEARLESS_DATE = re.compile(rf"(?i)^(?:{_MONTH}\s*{_DAY}|{_DAY}\s*{_MONTH})$")
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
SEPARATORS = " \t|·•・⋅,;:–—-/()[]+*>»›#"
_SPLIT = re.compile(r"\s*[|·•・⋅,;–—]\s*|\s+-+\s+|\s+/\s+")
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
_GLUED_DATE = re.compile(rf"(?<=\d)(?=(?i:{_MONTH})\s*\d)")


class _Names(dateparser.parserinfo):
    """dateutil's parser, taught the month names of the languages above."""

    MONTHS: ClassVar[list] = [tuple(dict.fromkeys((*names, names[0][:3]))) for names in MONTHS]
    JUMP: ClassVar[list] = [*dateparser.parserinfo.JUMP,
                            "de", "del", "le", "el", "am", "um", "den", "vom", "à", "a", "las", "•"]


_DATE_NAMES = _Names()

# --- dates -------------------------------------------------------------------------------------


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


# --- names -------------------------------------------------------------------------------------


def _name_at(text: str, handles: bool = False) -> tuple[str, str]:
    """The person's name at the start of `text` and what follows it; ('', text) if none.

    With `handles`, a lower-case user name counts too ('Posted on May 5, 2024 by jane').
    """
    team = TEAM.match(text)
    if team:
        return team.group().strip(), text[team.end():]
    taken: list[str] = []
    end = 0
    for token in _TOKEN.finditer(text):
        word = token.group().rstrip(SEPARATORS)
        if not _name_token(word, first=not taken, handles=handles and not taken):
            break
        taken.append(word)
        end = token.start() + len(word)
        if word != token.group():
            break  # 'Doe,' or 'Team•' ends the name
    while taken and taken[-1] in PARTICLES:
        taken.pop()
    if len(taken) > 1 and any(_GLUED_WORDS.match(t) for t in taken):
        return "", text  # 'Wedding ChecklistsJust EngagedWedding': menu items run together
    rest = text[end:]
    if not taken or len(taken) > 5 or not _ends_name(rest):
        return "", text
    if _starts_with_role(rest) and any(map(_shouted, taken)):
        return "", text  # 'AAA Travel Editor': an outlet's desk, not a person
    name = _clean_name(taken)
    return (name, rest) if name else ("", text)


def person(text: str) -> str:
    """`text` cleaned as a person's name of two words or more ('lukwago J', 'JANE DOE'), or ''
    when it is anything else: a rule's capture ('Follow Me On Instagram' -> 'Me On Instagram',
    'About Nutrition') is an author only if it passes this."""
    name, rest = _name_at(text.strip(), handles=True)
    return name if len(name.split()) >= 2 and not rest.strip(SEPARATORS) else ""


def _name_token(word: str, first: bool, handles: bool) -> bool:
    """A capitalised word, an initial, or (not first) a particle; never an interface or function word."""
    folded = word.casefold()
    if folded in PARTICLES and not first:
        return True  # 'van', 'de'; 'Mahua Das', 'Dick Van Dyke'; never a name's first word
    if folded in NOT_NAME_WORDS or not _NAME_WORD.fullmatch(word) or len(word) > 20:
        return False
    if first and folded.rstrip(".") in NOT_FIRST_NAME_WORDS:
        return False
    if handles and word.isalpha() and word.islower():
        return True  # a user name: 'by jane'
    return word[0].isupper()


def _ends_name(rest: str) -> bool:
    """What follows a name is a separator, a date, a label, another author, or nothing."""
    rest = rest.strip()
    if rest[:1].isdigit():  # '6 comments', '10 min read', '10:32', not 'Juni 2024'
        return bool(READING_TIME.match(rest) or FURNITURE.match(rest) or TIME.match(rest))
    if not rest or rest[0] in SEPARATORS or rest[0] in "&®™":
        return True
    head = rest.split()[0].casefold().strip(",.:")
    if head in _AFTER_NAME or _starts_with_role(rest):
        return True
    return bool(DATE.match(rest) or LABEL.match(rest) or READING_TIME.match(rest))


_IN_CATEGORY = re.compile(r"^\s+(?:in|en|dans|im)\s+[A-Z][\w&]*(?:\s+[A-Z&][\w&]*){0,3}\s*$")
def _starts_with_role(rest: str) -> bool:
    """'Catherine Boeckmann Executive Digital Editor': a job title follows the name."""
    words = rest.split()
    return bool(words) and words[0].casefold().strip(",.:") in ROLE_WORDS


_AND = re.compile(r"\s*(?:and|und|et|y|&)\s+", re.I)
_AFTER_NAME = frozenset("and und et y e & on at in for am um le el en published updated posted".split())


def _clean_name(tokens: list[str]) -> str:
    """Drop credentials and a trailing outlet; capitalise a name typed in one case ('JANE DOE')."""
    while len(tokens) > 1 and CREDENTIAL.match(tokens[-1]) and not all(map(_shouted, tokens)):
        tokens = tokens[:-1]
    half = len(tokens) // 2
    if half and tokens[:half] == tokens[half:]:
        tokens = tokens[:half]  # 'Colin Gray Colin Gray': the dump repeats the byline
    cut = next((i for i, t in enumerate(tokens) if i and _shouted(t)), None)
    if cut is not None and not all(map(_shouted, tokens)):
        tokens = tokens[:cut]  # 'Brian Truitt USA TODAY': the outlet follows the name
    if not tokens or (len(tokens) == 1 and len(tokens[0].rstrip(".")) <= 2):
        return ""  # an initial alone
    if all(map(_shouted, tokens)) or (all(t.islower() for t in tokens if t not in PARTICLES) and len(tokens) > 1):
        tokens = [t if t in PARTICLES else t[:1].upper() + t[1:].lower() for t in tokens]
    return " ".join(tokens)


def _shouted(token: str) -> bool:
    """'DOE', 'USA': two or more letters, all capitals."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _cued_author(text: str, handles: bool) -> tuple[str, str, bool]:
    """The name behind the first author cue that only dates, labels or separators precede.

    Returns (name, the line without cue and name, whether a cue stood there at all).
    """
    cued = False
    for match in AUTHOR_CUE.finditer(text):
        before = text[:match.start()]
        if _WORD.search(FURNITURE.sub(" ", READING_TIME.sub(" ", TIME.sub(" ", before)))):
            continue  # 'Photo by …', 'Sort by …', 'Stand by me'
        cued = True
        name, rest = _name_at(text[match.end():], handles)
        if name:
            return name, before + " | " + rest, True
    return "", text, cued


def _segment_name(text: str) -> tuple[str, int]:
    """The one part of a dated line, between separators, that is a name, and its words:
    'Jane Doe | May 5, 2024', 'Dec 26, 2025 • Mahua Das in Project Management' (a category)."""
    names = []
    for part in _SPLIT.split(text):
        part = part.strip(SEPARATORS)
        if not part:
            continue
        name, rest = _name_at(part)
        if not name or (rest.strip(SEPARATORS) and not _IN_CATEGORY.match(rest)):
            return "", 0  # another word: 'Editorial', 'Niko Matsakis on behalf of …'
        names.append((name, len(_WORD.findall(part))))
    return names[0] if len(names) == 1 else ("", 0)


def _bare_name(text: str) -> str:
    """The line is nothing but a name (or names: 'Manoj Jain and Jagpreet Chhatwal'), maybe with
    credentials or a role after a comma or bar."""
    head = _SPLIT.split(text.strip(SEPARATORS))[0]
    name, rest = _name_at(head)
    return name if len(name.split()) >= 2 and not _more_names(rest).strip(SEPARATORS) else ""


def _more_names(rest: str) -> str:
    """What follows ' and Jane Roe', ' & Jane Roe' after a name."""
    while match := _AND.match(rest):
        name, after = _name_at(rest[match.end():])
        if not name:
            break
        rest = after
    return rest


# --- one line ----------------------------------------------------------------------------------


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

# --- the window ----------------------------------------------------------------------------------


def read_byline(texts: Sequence[str], headline: int | None, story_start: int | None, language: str = "") -> Byline:
    """The page's own author and publication date, from the lines around its headline and story start.

    `texts`: the page's lines; `headline`, `story_start`: their indexes, None when unknown.
    `language` (ISO 639-1, may be empty) only tells how to read 05/06/2024.
    """
    lo, start, hi = window(len(texts), headline, story_start)
    if lo >= hi:
        return Byline()
    page = _Page(texts, {i: read_line(texts[i], language) for i in range(lo, hi)}, start, headline)
    author_lines, author = page.author()
    date_lines, published = page.published()
    updated_lines, updated = page.updated()
    if not (author or published or updated):
        return Byline()
    return Byline(author, published, updated, page.byline_lines(author_lines | date_lines | updated_lines))


def window(count: int, headline: int | None, story_start: int | None) -> tuple[int, int, int]:
    """(lo, story, hi): the byline may sit in lines [lo, hi); from `story` on only in short lines
    that a cue or a date marks."""
    if headline is not None:
        lo = headline - LINES_ABOVE_HEADLINE
        if story_start is not None and headline < story_start <= headline + MAX_HEAD_TO_STORY:
            story, hi = story_start, story_start + LINES_INTO_STORY
        else:
            story = hi = headline + 1 + LINES_WITHOUT_STORY
    elif story_start is not None:
        lo, story, hi = story_start - LINES_BEFORE_STORY, story_start, story_start + LINES_INTO_STORY
    else:
        return 0, 0, 0
    return max(0, lo), min(count, story), min(count, hi)


_PUNCTUATION = ".,;:!?()[]\"'“”‘’«»"


@dataclass
class _Page:
    """The window's lines, read, with what the page around them says."""

    texts: Sequence[str]
    read: dict[int, Line]
    story: int
    headline: int | None

    @cached_property
    def _lower(self) -> frozenset[str]:
        """The words the page's sentences write in lower case."""
        return frozenset(
            word for text in self.texts if len(text.split()) >= PROSE_WORDS
            for word in (token.strip(_PUNCTUATION) for token in text.split()) if word.isalpha() and word.islower()
        )

    def author(self) -> tuple[set[int], str]:
        """(lines, name) of the first author: cued names, then names beside a date, then bare
        names; below the headline before above it (where the previous story's teaser may sit)."""
        cued, failed = self._cued
        tiers = (cued, self._dated_names(), self._bare_names())
        for below in (True, False):
            for candidates in tiers:
                candidates = [(i, name) for i, name in candidates if self._below_headline(i) == below]
                if candidates:
                    i, name = min(candidates)
                    return {i}, name
                if below and any(self._below_headline(i) for i in failed):
                    return set(), ""  # a cue whose name cannot be read: guess nothing
        return set(), ""

    @cached_property
    def _cued(self) -> tuple[list[tuple[int, str]], list[int]]:
        """(line, name) of each name a cue introduces, and the lines of cues that introduce none."""
        found = [(i, line.author) for i, line in self.read.items() if line.author and self._allowed(i)]
        failed = [i for i, line in self.read.items() if line.failed_cue]
        for i, line in self.read.items():
            j = self._following(i)
            if line.cue == "author" and j >= 0 and self._allowed(j):
                name = self.read[j].name or _name_at(self.texts[j].strip(SEPARATORS))[0]
                if name:
                    found.append((j, name))
                else:
                    failed.append(i)
        return found, failed

    def _dated_names(self) -> list[tuple[int, str]]:
        """(line, name) of names beside a date on one line, above the story."""
        return [(i, line.dated_name) for i, line in self.read.items()
                if line.dated_name and i < self.story and self._looks_personal(line.dated_name)]

    def _bare_names(self) -> list[tuple[int, str]]:
        """(line, name) of lines that are a name and nothing else, with a dateline or a job title under them."""
        return [(i, line.name) for i, line in self.read.items()
                if line.name and self._below_headline(i) and (line.role or self._byline_below(i))
                and self._looks_personal(line.name)
                and not self._is_headline(i)]

    def _allowed(self, i: int) -> bool:
        """Above the headline, only a line that is not a menu item: menus list names too."""
        return self.headline is None or i > self.headline or len(self.texts[i].split()) >= 3 or i == self.headline - 1

    def _below_headline(self, i: int) -> bool:
        """Line i is below the headline (or there is no headline)."""
        return self.headline is None or i > self.headline

    def _looks_personal(self, name: str) -> bool:
        """Without a cue, a name whose words the page's sentences also write in lower case is a
        common noun ('Cleaning Industry Trends'); short words and team words are not tested."""
        words = [w.casefold() for w in name.split()]
        return not any(w in self._lower for w in words if len(w) > 2 and w not in PARTICLES and w not in ROLE_WORDS)

    def _is_headline(self, i: int) -> bool:
        """The repeated headline ('Klatch Coffee') is not a name."""
        if self.headline is None:
            return False
        return self.texts[i].strip().casefold() == self.texts[self.headline].strip().casefold()

    def _following(self, i: int) -> int:
        """The next line after i that says something (not '•', '|', '*'), or -1 outside the window."""
        j = i + 1
        while j in self.read and not self.texts[j].strip(SEPARATORS):
            j += 1
        return j if j in self.read else -1

    def _byline_below(self, i: int) -> bool:
        """A dateline or a job title follows the name, past separators, furniture, a repeat of
        the name and one short line ('Marketing', 'on Elementor')."""
        j, skipped = i + 1, 0
        while j in self.read:
            line, text = self.read[j], self.texts[j].strip()
            if (line.dateline and (j < self.story or j == i + 1)) or (line.role and j < self.story):
                return True  # in the story's first lines only a dateline right below the name
            if not text.strip(SEPARATORS) or line.furniture or text == self.texts[i].strip():
                j += 1
                continue
            if skipped or line.name or len(text.split()) > 5:
                return False
            skipped, j = 1, j + 1
        return False

    def published(self) -> tuple[set[int], str]:
        """(lines, date): the first date not labelled updated, below the headline if any is.

        Dates on the same or the next line are one byline ('May 5, 2024May 9, 2024': published,
        then modified): the earliest of them is the publication. An unlabelled date with other
        dates further off is one of a list (events, table rows): then only a labelled one counts.
        """
        dated = [d for d in self._dates() if self._below_headline(d[0])] or self._dates()
        dated = [(i, kind, iso) for i, (kind, iso) in dated if kind != "updated"]
        if not dated:
            return set(), ""
        block = [(i, kind, iso) for i, kind, iso in dated if i - dated[0][0] <= PAIRED_DATES]
        labelled = [(i, kind, iso) for i, kind, iso in dated if kind == "published"]
        chosen = [d for d in block if d[1] == "published"] or block
        others = {iso for i, _, iso in dated if i - dated[0][0] > PAIRED_DATES} - {iso for _, _, iso in block}
        if others and not any(kind == "published" for _, kind, _ in block):
            chosen = labelled[:1]  # one date of a list: only a labelled date says which is the page's
        if not chosen or any(not iso for _, _, iso in chosen):
            return set(), ""
        iso = min(iso for _, _, iso in chosen)
        return {i for i, _, value in chosen if value == iso}, iso

    def updated(self) -> tuple[set[int], str]:
        """(lines, date) of the first date labelled updated or modified."""
        found = [(i, iso) for i, (kind, iso) in self._dates() if kind == "updated" and iso]
        return ({found[0][0]}, found[0][1]) if found else (set(), "")

    def _dates(self) -> list[tuple[int, tuple[str, str]]]:
        """(line, (kind, date)) of each date; a bare label line gives its kind to the next line's dates."""
        found: list[tuple[int, tuple[str, str]]] = []
        label = ""
        for i, line in sorted(self.read.items()):
            if i >= self.story and not self._byline_in_story(i):
                continue
            for kind, iso in line.dates:
                found.append((i, (label if kind == "plain" and label else kind, iso)))
            if line.cue in ("published", "updated"):
                label = line.cue
            elif self.texts[i].strip(SEPARATORS):
                label = ""
        return found

    def _byline_in_story(self, i: int) -> bool:
        """Inside the story a date counts only on a byline line: a cue or a label on it, or a
        short dateline of its own; never a date a paragraph mentions."""
        line = self.read[i]
        return bool(line.author or line.failed_cue or line.dated_name or line.cue or self._short_dateline(i)
                    or any(kind != "plain" for kind, _ in line.dates))

    def _short_dateline(self, i: int) -> bool:
        """Line i states a date and little else."""
        return bool(self.read[i].dates) and len(self.texts[i].split()) <= MAX_DATELINE_WORDS

    def byline_lines(self, used: set[int]) -> tuple[int, ...]:
        """The lines read, with the byline lines around them: cue lines, datelines, furniture."""
        lines = set(used)
        grown = True
        while grown:
            grown = False
            for i in sorted(lines):
                for j in (i - 1, i + 1):
                    if j in self.read and j not in lines and self._joins_byline(j):
                        lines.add(j)
                        grown = True
        return tuple(sorted(lines))

    def _joins_byline(self, j: int) -> bool:
        """A line beside a byline line that belongs to the byline block."""
        line = self.read[j]
        if j >= self.story and not (line.author or line.dated_name or self._short_dateline(j)):
            return False
        return bool(line.author or line.dated_name or line.dates or line.cue or line.yearless or line.furniture
                    or line.role or (line.name and self._is_byline_name(j)))

    def _is_byline_name(self, j: int) -> bool:
        """Line j holds a name that a cue introduced."""
        return any(j == i for i, _ in self._cued[0])
