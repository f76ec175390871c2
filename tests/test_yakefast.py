"""cleaner/_yakefast.py gives what yake's own KeywordExtractor gives: the same phrases, in the same
order, with the same scores (the floats equal, not close).

The plain reference is `extract_keywords` of the extractor tag.py builds (yake 0.7.3). Texts:
raw/'s inputs (whole and cut short), the tag tests' story, texts made to reach yake's corners,
and the first WCXB dev reference texts where ../shared/eval-data has them.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache

import pytest
import yake

from cleaner import _yakefast, tag
from cleaner.evaluate import split_of
from cleaner.normalize import clean_text
from tests import test_langid
from tests.conftest import ROOT
from tests.test_tag import STORY

WCXB = ROOT / ".." / "shared" / "eval-data" / "wcxb-dev"
WCXB_ENGLISH = 30
WCXB_OTHER = 6  # read with each other stop-word list tag.py uses

CORNERS = [
    "",
    "... !!! ??? --- ***",
    "the of and to in a is it that for on with as was at by",  # stop words only: no term scored
    "the the the the of of and and",
    "Bank of England raises rates. The Bank of England said rates rise. Bank of England again.",
    "In 2024 the 3.5% rise cost 1,200,000 dollars; in 2025, 4.1% and 1,300,000. COVID-19 and G7 too.",
    "NASA and ESA. NASA said so. Mr. O'Neil's cats' toys: cats, cat, Cats! CAT? cat's. Cats again.",
    "Première ligne.\nDeuxième ligne sans point\nTroisième: «citation» — fin.",
    "word " * 300,
]


def _extractors() -> dict[str, yake.KeywordExtractor]:
    return {language: tag._yake(language, 30) for language in ("en", "de", "es", "fr")}


def _assert_equal(texts: list[str], extractors: dict[str, yake.KeywordExtractor]) -> None:
    assert texts and extractors
    for text in texts:
        text = clean_text(text)[:50_000]  # as tag.keywords hands it over
        for language, extractor in extractors.items():
            # the module's own computation, not its way back to yake where it fails
            fast = _yakefast._extract(extractor, text) if text else _yakefast.extract_keywords(extractor, text)
            assert fast == extractor.extract_keywords(text), (language, text[:80])


@lru_cache(maxsize=1)
def _wcxb_texts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The first English dev references, and the next few for the other stop-word lists."""
    english, other = [], []
    for entry in json.loads((WCXB / "index.json").read_text()):
        if entry["page_type"] != "article" or split_of(entry["domain"]) != "dev":
            continue
        truth = json.loads(gzip.decompress((WCXB / "truth" / f"{entry['file_id']}.json.gz").read_bytes()))
        body = truth.get("main_content") or ""
        (english if len(english) < WCXB_ENGLISH else other).append(body)
        if len(other) == WCXB_OTHER:
            break
    return tuple(english), tuple(other)


def test_corner_texts_give_what_yake_gives():
    _assert_equal(CORNERS, _extractors())


def test_raw_inputs_give_what_yake_gives():
    extractors = _extractors()
    texts = test_langid._raw_texts() + [STORY]
    _assert_equal(texts, {"en": extractors["en"]})
    _assert_equal([t for t in texts if len(t) <= 300], extractors)  # the cut-short ones, every list


def test_wcxb_references_give_what_yake_gives():
    if not (WCXB / "index.json").is_file():
        pytest.skip("the WCXB dev set is not in ../shared/eval-data")
    english, other = _wcxb_texts()
    extractors = _extractors()
    _assert_equal(list(english), {"en": extractors["en"]})
    _assert_equal(list(other), {k: v for k, v in extractors.items() if k != "en"})


def test_keywords_are_yakes_through_the_fast_path(monkeypatch):
    """tag.keywords publishes through _yakefast; with yake's own extraction in its place the
    published phrases are the same."""
    fast = tag.keywords.__wrapped__(STORY, "en", 10)
    assert fast
    monkeypatch.setattr(_yakefast, "extract_keywords", lambda extractor, text: extractor.extract_keywords(text))
    assert tag.keywords.__wrapped__(STORY, "en", 10) == fast


def test_other_configurations_are_yakes_own():
    """Settings the module does not compute (yake's features chosen, lemmatising, no
    deduplication) are yake's, unchanged."""
    text = clean_text(STORY)
    chosen = yake.KeywordExtractor(lan="en", n=3, top=10, features=["wfreq", "wrel"])
    assert not _yakefast.covered(chosen)
    assert _yakefast.extract_keywords(chosen, text) == chosen.extract_keywords(text)
    whole = yake.KeywordExtractor(lan="en", n=2, top=10, dedup_lim=1.0)
    assert _yakefast.covered(whole)
    assert _yakefast.extract_keywords(whole, text) == whole.extract_keywords(text)


def test_a_text_it_fails_on_gets_yakes_own_answer(monkeypatch):
    extractor = tag._yake("en", 30)
    text = clean_text(STORY)

    def fails(extractor, text):
        raise ZeroDivisionError("a corner this module got wrong")

    monkeypatch.setattr(_yakefast, "_extract", fails)
    assert _yakefast.extract_keywords(extractor, text) == extractor.extract_keywords(text) != []
