"""NER over the windows around capitalised words (cleaner/_nerwindows.py) publishes what NER over
the whole text publishes.

The plain reference is `_nerwindows.whole` (the model over the whole text). Both go through
tag.entities, so what is compared is what a record carries: its people, places and
organisations, in order. Texts: the English inputs of raw/ (whole and cut short), the tag tests' story, and the first
English WCXB dev reference texts where ../shared/eval-data has them.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache

import pytest

from cleaner import _nerwindows, tag
from cleaner.evaluate import split_of
from tests import test_langid
from tests.conftest import ROOT
from tests.test_tag import STORY

WCXB = ROOT / ".." / "shared" / "eval-data" / "wcxb-dev"
WCXB_ARTICLES = 20


def _raw_texts() -> list[str]:
    """raw/'s English inputs, decoded, whole and cut short (the language tests' texts)."""
    return [text for text in test_langid._raw_texts() if tag.detect_language(text) == "en"]


@lru_cache(maxsize=1)
def _wcxb_texts() -> tuple[str, ...]:
    texts = []
    for entry in json.loads((WCXB / "index.json").read_text()):
        if entry["page_type"] != "article" or split_of(entry["domain"]) != "dev":
            continue
        truth = json.loads(gzip.decompress((WCXB / "truth" / f"{entry['file_id']}.json.gz").read_bytes()))
        body = truth.get("main_content") or ""
        if tag.detect_language(body) == "en":
            texts.append(body)
        if len(texts) == WCXB_ARTICLES:
            break
    return tuple(texts)


def _published(texts: list[str], mentions, monkeypatch) -> list[tuple]:
    monkeypatch.setattr(tag, "_mentions", mentions)
    return [tag.entities.__wrapped__(text, "en") for text in texts]


@pytest.mark.parametrize("group", ["raw", "wcxb"])
def test_windows_publish_what_the_whole_text_publishes(group, monkeypatch):
    if group == "wcxb" and not (WCXB / "index.json").is_file():
        pytest.skip("the WCXB dev set is not in ../shared/eval-data")
    texts = _raw_texts() + [STORY] if group == "raw" else list(_wcxb_texts())
    assert len(texts) >= 5
    nlp = tag._nlp()
    whole = _published(texts, lambda text: _nerwindows.whole(nlp, text), monkeypatch)
    windowed = _published(texts, lambda text: _nerwindows.windowed(nlp, text), monkeypatch)
    assert windowed == whole
    assert sum(len(people) for people, _, _ in whole) >= len(texts)  # names were found to compare


def test_the_windows_read_less_than_the_whole_text():
    if not (WCXB / "index.json").is_file():
        pytest.skip("the WCXB dev set is not in ../shared/eval-data")
    texts = _wcxb_texts()
    read = sum(end - start for text in texts for start, end in _nerwindows.windows(text))
    assert read < 0.8 * sum(len(text) for text in texts)


def test_a_capitalised_word_opens_a_window_of_context_words_either_side():
    text = " ".join(f"w{i}" for i in range(30)) + " Moscow " + " ".join(f"v{i}" for i in range(30))
    [(start, end)] = _nerwindows.windows(text, context=3)
    assert text[start:end] == "w27 w28 w29 Moscow v0 v1 v2"


def test_windows_that_touch_are_one():
    text = "a b c Kim d e Putin f g h i j k l m n o p"
    assert [text[s:e] for s, e in _nerwindows.windows(text, context=2)] == ["b c Kim d e Putin f g"]
    text = "a b c Kim d e f g h Putin i j"
    assert [text[s:e] for s, e in _nerwindows.windows(text, context=2)] == ["b c Kim d e", "g h Putin i j"]


@pytest.mark.parametrize(("text", "opens"), [
    ("The talks went on. But nobody came.", False),  # stop words that open a sentence
    ("the talks went on.\nWhen nobody came, they left.", False),  # a line opens a sentence too
    ("“The talks went on,” he said.", False),
    ("they met in The Hague on friday", True),  # a capital inside a sentence
    ("Putin met the delegation.", True),  # a name opening a sentence
    ("The talks were held in the USA.", True),  # a capital word later on
    ("talks with iPhone makers", True),
])
def test_which_capitals_open_a_window(text, opens):
    assert bool(_nerwindows.windows(text, context=1)) is opens


def test_a_name_is_placed_back_at_its_offset_in_the_text():
    nlp = tag._nlp()
    text = "the weather was mild all week. " * 20 + "Angela Merkel flew to Paris on monday."
    found = _nerwindows.windowed(nlp, text)
    assert found and all(text[m.start_char:m.start_char + len(m.text)] == m.text for m in found)
    assert ("Angela Merkel", "PERSON") in {(m.text, m.label_) for m in found}
    assert _nerwindows.windowed(nlp, "no capitals here at all. " * 10) == []
