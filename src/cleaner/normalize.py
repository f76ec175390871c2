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


def _script_chars(blocks: tuple[tuple[int, int], ...], category: str) -> str:
    """The characters of these Unicode blocks whose general category starts with `category`,
    as a regex character-class body (ranges)."""
    found = [cp for start, end in blocks for cp in range(start, end + 1)
             if unicodedata.category(chr(cp)).startswith(category)]
    ranges: list[list[int]] = []
    for cp in found:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, Japanese kana and
# Chinese characters. With no segmenter installed, each letter of these counts as one word,
# as word processors count Chinese and Japanese (a Chinese word is one to two characters); its
# vowel and tone marks belong to the letter. Korean writes spaces: its words are counted as usual.
_UNSPACED_BLOCKS = (
    (0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x3040, 0x30FF), (0x31F0, 0x31FF),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF66, 0xFF9F),
)
_RARE_IDEOGRAPHS = "\U00020000-\U000323AF"  # CJK extensions B to H: letters all
_UNSPACED_LETTERS = _script_chars(_UNSPACED_BLOCKS, "L") + _RARE_IDEOGRAPHS
_UNSPACED_MARKS = _script_chars(_UNSPACED_BLOCKS, "M")
_UNSPACED_LETTER = re.compile(f"[{_UNSPACED_LETTERS}]")
_SPACED = rf"[^\W{_UNSPACED_LETTERS}{_UNSPACED_MARKS}]"  # a word character of a script with spaces
_WORD = re.compile(rf"{_SPACED}+(?:[’'.-]{_SPACED}+)*|[{_UNSPACED_LETTERS}][{_UNSPACED_MARKS}]*")
# `\w+` with each letter of an unspaced script a token of its own: the same tokens as `\w+`
# in every other script (the block model's features were trained on those).
SIMPLE_WORD = re.compile(rf"{_SPACED}+|[{_UNSPACED_LETTERS}]")
SPACED_WORD = re.compile(rf"{_SPACED}+")  # a run of word characters of scripts written with spaces
_NON_ALNUM = re.compile(r"[\W_]+")
TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ", " · ", " » ")


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
# Full stops of Latin, Chinese and Japanese (。！？ and their full-width forms), Myanmar and
# Khmer. Thai and Lao write none (a space ends a sentence): a block ending in a letter of theirs
# ends a sentence.
_SENTENCE_END = re.compile(r"(?:[.!?…。！？．။។]|[\u0e01-\u0e5b\u0e81-\u0edf])[\"'”’»)\]」』）】]*$")


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
    """Text reduced to lower-case words separated by single spaces (each letter of a script
    written without spaces a word of its own, as word_count counts them)."""
    text = _UNSPACED_LETTER.sub(r" \g<0> ", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def content_hash(text: str) -> str:
    """sha256 of the normalised text: two bodies that differ only in case, punctuation or
    spacing get the same hash."""
    return hashlib.sha256(normalized_for_hash(text).encode("utf-8")).hexdigest()


_WEB_SCHEMES = frozenset({"http", "https"})


def web_url(url: str) -> str:
    """The URL if it is a web address (http or https, with a host), else '': a javascript:,
    data: or file: URL is no page's address and must never be published as one."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a malformed host ('http://[::1')
        return ""
    return url if parts.scheme.lower() in _WEB_SCHEMES and host else ""


def title_without_site(title: str, site: str, url: str) -> str:
    """'Budget passes | The Ledger' -> 'Budget passes' when the tail names the site (or its domain)."""
    names = {key(site)} if site else set()
    host = urlsplit(url).hostname or ""
    if host:
        labels = host.removeprefix("www.").split(".")
        names.add(key(labels[0] if len(labels) > 1 else host))
        names.add(key(host.removeprefix("www.")))
    names.discard("")
    for separator in TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and key(tail) in names:
            return head.strip()
    return title
