"""spaCy's NER run only where a published name can be: a speed trick beside the whole-text call.

`whole` is the plain version (the model over the whole text); `windowed` gives the names
tag.entities publishes at about two thirds of its cost, and tests/test_nerwindows.py holds the two
equal on the names published. Why it may skip text:

- every name tag.entities publishes holds a capital letter (it drops the others);
- the model decides a token from a few tokens either side: its token vectors mix four
  neighbours each way, and its state reads the tokens at the edge of the name it is building.

So the model reads windows of CONTEXT words either side of each word with a capital, merged
where they touch, each as a text of its own, and the names found are placed back at their
offsets in the text. A capitalised common word opening a sentence ('The', 'But', 'When') opens
no window: every sentence has one. On 700 English WCXB articles the windows hold about 70 % of
the characters, and the published people, places and organisations were the whole-text run's
on 699 (on the other, one organisation of 20 was another; benchmarks/tagging.py and a scratch
script, docs/performance.md *Where the time goes*). CONTEXT is wider than the model looks: at 5
words all of 150 were equal, at 3 words 55 of 60, at 1 word 9 of 60.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

CONTEXT = 8  # words either side of a capitalised word

_WORD = re.compile(r"\S+")
_ENDS_SENTENCE = tuple(".!?:;\"”’…")
_OPENERS = "\"'“‘([«"


class Mention(NamedTuple):
    text: str
    label_: str
    start_char: int


def whole(nlp, text: str) -> list[Mention]:
    """The model over the whole text: the reference `windowed` is held to."""
    return [Mention(e.text, e.label_, e.start_char) for e in nlp(text).ents]


def windowed(nlp, text: str, context: int = CONTEXT) -> list[Mention]:
    """The model over the windows around capitalised words, names at their places in `text`."""
    spans = windows(text, context)
    found: list[Mention] = []
    for (start, _end), doc in zip(spans, nlp.pipe(text[start:end] for start, end in spans)):
        found += [Mention(e.text, e.label_, start + e.start_char) for e in doc.ents]
    return found


def windows(text: str, context: int = CONTEXT) -> list[tuple[int, int]]:
    """Character spans of the text to read: `context` words either side of each word with a
    capital that is not a common word opening a sentence; spans that touch are merged."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    spans: list[list[int]] = []  # first and last word of each window
    opens_sentence = True
    for i, (start, end) in enumerate(words):
        word = text[start:end]
        if i and "\n" in text[words[i - 1][1]:start]:
            opens_sentence = True
        if any(ch.isupper() for ch in word) and not (opens_sentence and _common(word)):
            first, last = max(0, i - context), min(len(words) - 1, i + context)
            if spans and first <= spans[-1][1] + 1:
                spans[-1][1] = last
            else:
                spans.append([first, last])
        opens_sentence = word.endswith(_ENDS_SENTENCE)
    return [(words[first][0], words[last][1]) for first, last in spans]


def _common(word: str) -> bool:
    """'The', 'But', '"When': a stop word written with a capital only because it opens a sentence."""
    core = word.lstrip(_OPENERS).rstrip(".,;:!?\"'”’)")
    return core[:1].isupper() and core[1:].islower() and core.lower() in _stop_words()


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy loads with the model, not with this module

    return frozenset(STOP_WORDS)
