"""Names on a byline line: a person's name at a cue, beside a date, or alone; cleaned as the page writes it."""

from __future__ import annotations

import re

from cleaner.byline.vocabulary import (
    _GLUED_WORDS,
    _NAME_WORD,
    _SPLIT,
    _TOKEN,
    _WORD,
    AUTHOR_CUE,
    CREDENTIAL,
    DATE,
    FURNITURE,
    GIVEN_NAME_MONTHS,
    LABEL,
    NOT_FIRST_NAME_WORDS,
    NOT_NAME_WORDS,
    PARTICLES,
    READING_TIME,
    ROLE_WORDS,
    SEPARATORS,
    TEAM,
    TIME,
)


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
    if len(taken) == 1 and taken[0].casefold() in GIVEN_NAME_MONTHS:
        return "", text  # 'June 19, 2024', 'By May 5': a month, not a first name without a surname
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
    credentials or a role after a comma or bar. A hashtag ('#Cloud Computing') is a topic: '#' is
    a separator that the strip below would drop."""
    if text.lstrip().startswith("#"):
        return ""
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
