"""Small text helpers shared by the stages: whitespace, comparison keys, word counts."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

# Every Unicode space (no-break, thin, ideographic ...) and zero-width marks; newlines are kept.
_SPACES = re.compile(r"[^\S\n]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")
_NON_ALNUM = re.compile(r"[\W_]+")
_TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " » ")


def clean_text(text: str) -> str:
    """NFC, no-break and other odd spaces to plain spaces, control characters out, lines trimmed.

    Typographic quotes and dashes are kept as they are.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines included) to single spaces."""
    return " ".join(clean_text(text).split())


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


STORY_WORDS = 30  # a block this long that ends a sentence reads as story text
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


def story_like(text: str) -> bool:
    """Long enough and ending a sentence: story text, not a label, a menu or a widget line."""
    return word_count(text) >= STORY_WORDS and bool(_SENTENCE_END.search(text.rstrip()))


def key(text: str) -> str:
    """A comparison key: case, punctuation, apostrophes and spacing do not matter.

    'Putin 's Historic Visit' and 'Putin’s historic visit' give the same key.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return _NON_ALNUM.sub("", text)


def normalized_for_hash(text: str) -> str:
    """Text reduced to lower-case words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def content_hash(text: str) -> str:
    """sha256 of the normalised text: two bodies that differ only in case, punctuation or
    spacing get the same hash."""
    return hashlib.sha256(normalized_for_hash(text).encode("utf-8")).hexdigest()


def title_without_site(title: str, site: str, url: str) -> str:
    """'Budget passes | The Ledger' -> 'Budget passes' when the tail names the site (or its domain)."""
    names = {key(site)} if site else set()
    host = urlsplit(url).hostname or ""
    if host:
        labels = host.removeprefix("www.").split(".")
        names.add(key(labels[0] if len(labels) > 1 else host))
        names.add(key(host.removeprefix("www.")))
    names.discard("")
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and key(tail) in names:
            return head.strip()
    return title
