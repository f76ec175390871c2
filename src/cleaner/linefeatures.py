"""The lines of a plain-text page dump -> one row of numbers each, for the line model.

A page dump is a column of lines: menus, teasers and footers around one contiguous story.
What a line is can rarely be told from the line alone ("Overview" is a story heading between
two paragraphs and a menu entry among ten short links), so each row describes the line, its
neighbours, where it stands on the page, and where it stands relative to the page's densest
stretch of prose (`prose_span`), the story region's first estimate.

Pure Python per line, NumPy for the table; the same function serves training
(`cleaner.train_lines`) and cleaning (`cleaner.region`), so the two can never drift apart.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from cleaner._rulememo import match_block
from cleaner.normalize import SIMPLE_WORD, STORY_WORDS, key, word_count
from cleaner.record import Block, BlockKind
from cleaner.rules import RuleSet

_WORD = SIMPLE_WORD  # `\w+`, each letter of a script written without spaces a word of its own
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
_CAPITALISED = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž]")
_LINKISH = re.compile(r"https?://|www\.|@\w|\.(?:com|org|net|de|fr|es|co\.uk)\b", re.I)
_SEPARATORS = re.compile(r"[|»›•·/>]")
_DATE = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
    r"\d{1,2}\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|märz|mai|okt|dez)[a-zä]*\.?(?: \d{4})?)",
    re.I,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|uhr|h)?\b", re.I)
_COUNT_IN_PARENS = re.compile(r"\(\d+\)\s*$")
# The lines of a reader-comment thread: 'Jane Doe says:', 'Jane on May 5, 2024 at 4:47 pm said:', 'Reply'.
_COMMENT_CUE = re.compile(
    r"^(?:[\w .’'@-]{1,60}\s(?:says|said|wrote|writes|commented|replied|sagt|schreibt|dit|a dit|dice|escribe)\s*:?"
    r"|[\w .’'@-]{1,40}\son\s.{4,40}\d{1,2}[:.]\d{2}.{0,12}"
    r"|(?:reply|replies|report|quote|antworten|répondre|responder|reply ↓|log in to reply|like|likes?\s*\(\d+\))"
    r"|\d+\s+(?:comments?|replies|responses|likes?|votes?|points?))\s*$",
    re.I,
)
# A person's name alone on a line: 'Mallory R.', 'Dwight Williams', 'Patrick V.' (comment and testimonial authors).
_NAME_LINE = re.compile(r"^[A-ZÀ-Ý][\w’'-]+(?:\s+(?:[A-ZÀ-Ý][\w’'-]*\.?|de|van|von|der|da|di|la|le)){0,3}$")
_SPAN_MIN_WORDS = 8  # a line this long that ends a sentence scores its words in the prose span
_SPAN_COST = 3  # what any other line costs the span
_SHORT_WORDS = 4
_OFFSETS = (-3, -2, -1, 1, 2, 3)
_WINDOWS = (2, 5, 10)
# The rule categories that are features of a line (which rule would name it, zones ignored).
RULE_CATEGORIES = (
    "cookie", "donation", "related", "comments", "breadcrumb", "navigation", "share", "newsletter",
    "author_bio", "advertising", "legal", "byline",
)
# Categories that end a story when they appear after it: a marker of what follows the story.
_END_MARKERS = ("related", "comments", "share", "newsletter", "legal", "author_bio")

# ISO 639-1 (what py3langid returns) -> jusText's stop-list names.
_STOPLIST_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian",
    "ms": "Malay", "nb": "Norwegian_Bokmal", "nl": "Dutch", "nn": "Norwegian_Nynorsk",
    "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili",
    "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}


def _names() -> tuple[str, ...]:
    own = (
        "log_chars", "log_words", "mean_word_len", "stopword_density", "has_stoplist", "sentence_end",
        "ends_colon", "ends_comma", "sentences", "commas_per_word", "capitalised_share", "upper_share",
        "digit_share", "symbol_share", "separators", "linkish", "copyright", "date", "time", "count_in_parens",
        "is_heading", "is_list_item", "is_quote", "page_repeats", "repeats_nearby", "comment_cue", "name_line",
    )
    rules = tuple(f"rule_{c}" for c in RULE_CATEGORIES)
    page = (
        "rel_position", "log_lines_before", "log_lines_after", "words_share_before", "words_share_after",
        "log_page_lines", "log_page_words", "chars_vs_max",
        "before_prose", "after_prose", "log_lines_to_prose", "prose_share_after",
        "in_span", "log_lines_to_span", "span_share_of_words", "before_span", "after_span",
        "log_short_run", "log_list_run", "log_cues_before", "log_cues_after", "first_cue_after_span_before",
        "comment_head", "log_since_comment_head", "log_comment_heads_before", "log_comment_heads_after",
    )
    markers = tuple(f"{side}_{c}" for c in _END_MARKERS for side in ("log_since", "log_until"))
    neighbours = tuple(
        f"{name}_{'m' if o < 0 else 'p'}{abs(o)}"
        for o in _OFFSETS for name in ("log_words", "sentence_end", "stopwords", "list_item", "heading")
    )
    windows = tuple(
        f"{name}_w{w}" for w in _WINDOWS
        for name in ("log_words", "sentence_end", "stopwords", "prose", "rule_hit", "cue", "dated", "name")
    )
    return own + rules + page + markers + neighbours + windows


FEATURES = _names()


@lru_cache(maxsize=64)
def stoplist(language: str) -> frozenset[str] | None:
    """jusText's stop words of a language (ISO 639-1), casefolded; None where it has none."""
    name = _STOPLIST_NAMES.get(language)
    if name is None:
        return None
    import justext

    try:
        return frozenset(w.casefold() for w in justext.get_stoplist(name))
    except ValueError:
        return None


def page_language(blocks: Sequence[Block]) -> str:
    """The page's language (ISO 639-1) from its first 20,000 characters; '' for no text."""
    from cleaner import _langid  # py3langid's answer, faster

    text = " ".join(b.text for b in blocks)[:20_000]
    return _langid.classify(text)[0] if text.strip() else ""


def sentence_ends(text: str) -> bool:
    """Whether a line ends a sentence (closing quotes and brackets after the stop allowed)."""
    return bool(_SENTENCE_END.search(text))


def prose_span(words: Sequence[int], sentence: Sequence[bool]) -> tuple[int, int] | None:
    """The contiguous run of lines with the highest score, where a line of at least 8 words that
    ends a sentence scores its word count and any other line costs 3 (None: no such line).

    The story of a page dump is one stretch of sentences; menus, teasers and footers are short
    unpunctuated lines around it. This is the region's first estimate, a feature of every line.
    """
    best, best_span = 0, None
    total, start = 0, 0
    for i, (n, ends) in enumerate(zip(words, sentence)):
        if total <= 0:
            total, start = 0, i
        total += n if n >= _SPAN_MIN_WORDS and ends else -_SPAN_COST
        if total > best:
            best, best_span = total, (start, i)
    return best_span


RULES_DIGEST = "rules_digest"  # the key of rules_digest in a trained model's info


def rules_digest(rules: RuleSet) -> str:
    """A hash of what rule_hits reads of the rules (each text rule's category, pattern, detector,
    word limit and sites, in order): the trainer records it in the models it fits, and a test
    holds the shipped models to the rules, as a changed rule changes the features they learned
    from (then `cleaner train-lines` makes them again)."""
    parts = [(r.category, r.pattern.pattern if r.pattern else None, r.pattern.flags if r.pattern else 0,
              r.detector, r.max_words, r.sites) for r in rules.text]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:12]


def rule_hits(blocks: Sequence[Block], rules: RuleSet) -> list[str]:
    """For each block, the category of the first text rule that matches it wherever it stands ('' for none)."""
    hits = []
    for block in blocks:
        found = match_block(block.text, rules, None, word_count(block.text))
        hits.append(found[0].category if found else "")
    return hits


# For opening a thread (region.thread_start), not for the features: a comment's date, or a clock
# time with its colon or its unit ('4:47 pm', '16.30 Uhr'); a decimal ('Market share: 3.92%', a
# rating '4.85') is neither. A month alone ('June' over an events list) is no commenter's name.
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\.\d{2}\s*(?:[ap]\.?m\b\.?|uhr\b|h\b)", re.I)
_MONTH_ALONE = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-zäé]*\.?$", re.I)


def thread_heads(texts: Sequence[str], words: Sequence[int], head: Sequence[float]) -> list[bool]:
    """Per line: a comment head (comment_marks) whose name is not a month alone and whose date,
    on it or on the next line, is a date or a clock time (_CLOCK)."""
    def dated(i: int) -> bool:
        return i < len(texts) and words[i] <= 12 and bool(_DATE.search(texts[i]) or _CLOCK.search(texts[i]))

    return [bool(h) and not _MONTH_ALONE.match(texts[i]) and (dated(i) or dated(i + 1)) for i, h in enumerate(head)]


def comment_marks(
    texts: Sequence[str], words: Sequence[int], hits: Sequence[str]
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Per line, 1.0 or 0.0: a comment cue (a comments rule, 'NAME says:', 'Reply', '12 comments'),
    a dated short line, a name alone, and a comment's head (an author line, a name or a cue, with
    the date on it or on the next line)."""
    cue = [1.0 if h == "comments" or (w <= 12 and _COMMENT_CUE.match(t)) else 0.0
           for h, w, t in zip(hits, words, texts)]
    dated = [1.0 if w <= 12 and (_DATE.search(t) or _TIME.search(t)) else 0.0 for w, t in zip(words, texts)]
    name = [1.0 if w <= 4 and _NAME_LINE.match(t) else 0.0 for w, t in zip(words, texts)]
    n = len(texts)
    head = [1.0 if (name[i] or cue[i]) and (dated[i] or (i + 1 < n and dated[i + 1])) else 0.0 for i in range(n)]
    return cue, dated, name, head


def features(blocks: Sequence[Block], hits: Sequence[str], language: str) -> np.ndarray:
    """One row of FEATURES per block; `hits[i]`: the category of the first text rule that
    matches block i wherever it stands ('' for none)."""
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    stops = stoplist(language)
    texts = [b.text for b in blocks]
    tokens = [_WORD.findall(t.casefold()) for t in texts]
    words = [len(t) for t in tokens]
    log_words = [math.log1p(w) for w in words]
    chars = [len(t) for t in texts]
    density = [
        (sum(map(stops.__contains__, ws)) / len(ws) if ws else 0.0) if stops else 0.3 for ws in tokens
    ]
    sentence = [sentence_ends(t) for t in texts]
    ends = [1.0 if s else 0.0 for s in sentence]
    list_item = [1.0 if b.kind is BlockKind.LIST_ITEM else 0.0 for b in blocks]
    heading = [1.0 if b.kind is BlockKind.HEADING else 0.0 for b in blocks]
    prose = [1.0 if w >= STORY_WORDS and s else 0.0 for w, s in zip(words, sentence)]
    rule_hit = [1.0 if h else 0.0 for h in hits]
    cue, dated, name, head = comment_marks(texts, words, hits)
    cues_before = np.cumsum([0.0, *cue[:-1]]).tolist()
    heads_at = [i for i in range(n) if head[i]]
    heads_before = np.cumsum([0.0, *head[:-1]]).tolist()
    total_cues = sum(cue)
    prose_at = [i for i in range(n) if prose[i]]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (n, -1)
    prose_after = np.cumsum(np.array(prose[::-1]))[::-1].tolist()
    total_prose = max(len(prose_at), 1)
    span = prose_span(words, sentence)
    total_words = max(sum(words), 1)
    words_before = np.cumsum([0, *words[:-1]]).tolist()
    span_words = sum(words[span[0]:span[1] + 1]) if span else 0
    keys = [key(t) for t in texts]
    counts = Counter(keys)
    short_run = _run_lengths([w <= _SHORT_WORDS and not s for w, s in zip(words, sentence)])
    list_run = _run_lengths([bool(x) for x in list_item])
    max_chars = max(max(chars), 1)
    markers = {c: [i for i, h in enumerate(hits) if h == c] for c in _END_MARKERS}
    window_means = {
        w: [_window(values, w) for values in (log_words, ends, density, prose, rule_hit, cue, dated, name)]
        for w in _WINDOWS
    }
    # The first comment cue after the prose span begins: where a reader thread most likely starts.
    first_cue = next((i for i in range(span[0] + 1 if span else 0, n) if cue[i]), n)

    rows = []
    for i in range(n):
        text = texts[i]
        length = max(chars[i], 1)
        split = text.split()
        alnum, space = sum(map(str.isalnum, text)), sum(map(str.isspace, text))
        row = [
            math.log1p(chars[i]), log_words[i], (sum(map(len, tokens[i])) / words[i]) if words[i] else 0.0,
            density[i], 1.0 if stops else 0.0, ends[i],
            1.0 if text.endswith(":") else 0.0, 1.0 if text.endswith(",") else 0.0,
            float(len(re.findall(r"[.!?](?:\s|$)", text))), text.count(",") / max(words[i], 1),
            len(list(filter(_CAPITALISED.match, split))) / max(len(split), 1),
            sum(map(str.isupper, text)) / max(alnum, 1),
            sum(map(str.isdigit, text)) / length, (length - alnum - space) / length,
            float(len(_SEPARATORS.findall(text))), 1.0 if _LINKISH.search(text) else 0.0,
            1.0 if "©" in text or "(c)" in text.casefold() else 0.0,
            1.0 if _DATE.search(text) else 0.0, 1.0 if _TIME.search(text) else 0.0,
            1.0 if _COUNT_IN_PARENS.search(text) else 0.0,
            heading[i], list_item[i], 1.0 if blocks[i].kind is BlockKind.QUOTE else 0.0,
            math.log1p(counts[keys[i]] - 1) if keys[i] else 0.0,
            1.0 if keys[i] and any(keys[j] == keys[i] for j in range(max(0, i - 3), min(n, i + 4)) if j != i) else 0.0,
            cue[i], name[i],
        ]
        row += [1.0 if hits[i] == c else 0.0 for c in RULE_CATEGORIES]
        to_span = 0 if span is None or span[0] <= i <= span[1] else min(abs(i - span[0]), abs(i - span[1]))
        row += [
            i / max(n - 1, 1), math.log1p(i), math.log1p(n - 1 - i),
            words_before[i] / total_words, (total_words - words_before[i] - words[i]) / total_words,
            math.log1p(n), math.log1p(total_words), chars[i] / max_chars,
            float(i < first), float(i > last), math.log1p(_nearest(prose_at, i, n)), prose_after[i] / total_prose,
            float(span is not None and span[0] <= i <= span[1]), math.log1p(to_span if span else n),
            span_words / total_words, float(span is not None and i < span[0]), float(span is not None and i > span[1]),
            math.log1p(short_run[i]), math.log1p(list_run[i]),
            math.log1p(cues_before[i]), math.log1p(total_cues - cues_before[i] - cue[i]), float(first_cue < i),
            head[i], math.log1p(_since(heads_at, i + 1, n)), math.log1p(heads_before[i]),
            math.log1p(len(heads_at) - heads_before[i] - head[i]),
        ]
        for c in _END_MARKERS:
            row += [math.log1p(_since(markers[c], i, n)), math.log1p(_until(markers[c], i, n))]
        for o in _OFFSETS:
            j = i + o
            if 0 <= j < n:
                row += [log_words[j], ends[j], density[j], list_item[j], heading[j]]
            else:
                row += [-1.0, -1.0, -1.0, -1.0, -1.0]
        for w in _WINDOWS:
            row += [values[i] for values in window_means[w]]
        rows.append(row)
    return np.array(rows, dtype=float)


def _window(values: Sequence[float], width: int) -> list[float]:
    """For each position, the mean of the values within `width` lines on each side, itself excluded."""
    n = len(values)
    total = np.concatenate([[0.0], np.cumsum(values)])
    at = np.arange(n)
    lo, hi = np.maximum(at - width, 0), np.minimum(at + width + 1, n)
    count = hi - lo - 1
    sums = total[hi] - total[lo] - np.asarray(values, dtype=float)
    return np.divide(sums, count, out=np.zeros(n), where=count > 0).tolist()


def _since(positions: list[int], i: int, default: int) -> int:
    """Lines since the nearest of the sorted `positions` before i (default if none)."""
    k = bisect_left(positions, i)
    return i - positions[k - 1] if k else default


def _until(positions: list[int], i: int, default: int) -> int:
    """Lines until the nearest of the sorted `positions` after i (default if none)."""
    k = bisect_right(positions, i)
    return positions[k] - i if k < len(positions) else default


def _nearest(positions: list[int], i: int, default: int) -> int:
    """Distance from i to the nearest of the sorted `positions` (default if none)."""
    k = bisect_left(positions, i)
    near = [abs(positions[j] - i) for j in (k - 1, k) if 0 <= j < len(positions)]
    return min(near) if near else default


def _run_lengths(flags: Sequence[bool]) -> list[int]:
    """For each position, the length of the run of True it sits in (0 where False)."""
    out = [0] * len(flags)
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        out[i:j] = [j - i] * (j - i)
        i = j
    return out
