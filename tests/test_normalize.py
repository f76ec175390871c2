"""normalize: word counts in every script, story-likeness, comparison and hash keys."""

from __future__ import annotations

import hashlib
import re

import pytest

from cleaner.normalize import (
    SIMPLE_WORD,
    clean_text,
    content_hash,
    key,
    normalized_for_hash,
    one_line,
    story_like,
    title_without_site,
    word_count,
    words,
)


@pytest.mark.parametrize(("text", "count"), [
    ("The council met on Monday, didn't it?", 7),
    ("Putin’s well-known visit to U.S. bases", 6),
    # Korean writes spaces between words: a word is what stands between them.
    ("시의회는 목요일 저녁 계획을 통과시켰다.", 5),
    # Chinese, Japanese and Thai do not: each character of those scripts counts as one word,
    # as word processors count them (and their punctuation, like any, is no word).
    ("市政府周四宣布，将修建新桥。", 12),
    ("市議会は木曜日、計画を可決した。", 14),
    ("カタカナ・ひらがな", 8),
    # Thai: letters count, the vowel and tone marks written above or below them do not.
    ("สะพานใหม่", 8),
    ("北京Olympics 2024年", 5),
], ids=["english", "latin-marks", "korean", "chinese", "japanese", "kana", "thai", "mixed"])
def test_word_count_in_every_script(text, count):
    assert word_count(text) == count
    assert len(words(text)) == count


def test_a_long_chinese_paragraph_reads_as_story_text():
    paragraph = "市长在新闻发布会上表示，新桥将把城市东西两岸的社区连接起来，方便数万居民日常出行。"
    assert story_like(paragraph)
    assert not story_like("首页")
    assert not story_like(paragraph.rstrip("。"))  # no sentence end: a label or a teaser


def test_hash_key_separates_characters_of_unspaced_scripts():
    """Shingles of Chinese text are runs of characters, not whole clauses; spacing between them
    does not change the content hash."""
    assert normalized_for_hash("新桥，全长约三百米。Big Bridge") == "新 桥 全 长 约 三 百 米 big bridge"
    assert content_hash("新桥 全长") == content_hash("新桥全长")
    assert normalized_for_hash("Don't stop, Zürich!") == "don t stop zürich"


@pytest.mark.parametrize("text", [
    "Die Bürger von Süderwald — 62 % dafür, don't-stop_here!",
    "Вчера в Москве прошла встреча министров.",
    "시의회는 목요일 저녁 계획을 통과시켰다.",
    "الحكومة أعلنت اليوم عن خطة جديدة",
])
def test_simple_words_are_w_runs_outside_unspaced_scripts(text):
    """The block model's tokens: unchanged wherever words are written with spaces."""
    assert SIMPLE_WORD.findall(text) == re.findall(r"\w+", text)
    assert SIMPLE_WORD.findall("新桥ab全长") == ["新", "桥", "ab", "全", "长"]


@pytest.mark.parametrize(("a", "b"), [
    ("Putin 's Historic Visit", "Putin’s historic visit"),  # the docstring's own example
    ("  Budget\u00a0passes!  ", "budget passes"),
    ("ＦＵＬＬ width", "full width"),  # NFKC: full-width letters are the plain ones
    ("STRASSE", "straße"),  # casefold, not lower()
    ("snake_case-and-dashes", "snakecaseanddashes"),  # '_' is punctuation to a key
])
def test_key_ignores_case_punctuation_and_spacing(a, b):
    assert key(a) == key(b)


def test_key_keeps_letters_and_digits_of_every_script():
    assert key("Die Bürger — 62 %") == "dieb\u00fcrger62"
    assert key("市政府周四") == "市政府周四"
    assert key("2024") != key("2025")
    assert key("... !!") == ""


def test_content_hash_is_sha256_of_the_normalised_text():
    assert content_hash("Hello, World!") == hashlib.sha256(b"hello world").hexdigest()
    assert content_hash("HELLO   world") == content_hash("hello,\nworld.")
    assert content_hash("hello world") != content_hash("hello there world")
    assert content_hash("") == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(("title", "site", "url", "expected"), [
    ("Budget passes | The Ledger", "The Ledger", "", "Budget passes"),
    ("Budget passes - the ledger", "The Ledger", "", "Budget passes"),  # compared by key
    ("Budget passes – Daily Ledger", "", "https://www.dailyledger.com/a", "Budget passes"),  # the domain's name
    ("Budget passes · dailyledger.com", "", "https://www.dailyledger.com/a", "Budget passes"),  # the host
    ("Budget passes | Sports", "The Ledger", "", "Budget passes | Sports"),  # the tail is not the site
    ("Budget passes | The Ledger", "", "", "Budget passes | The Ledger"),  # nothing names the site
    ("The Ledger", "The Ledger", "", "The Ledger"),  # nothing before a separator: kept
    ("A - B | The Ledger", "The Ledger", "", "A - B"),  # the last separator that names the site
    ("Budget passes :: The Ledger", "The Ledger", "", "Budget passes"),
    ("Budget passes » The Ledger", "The Ledger", "", "Budget passes"),
])
def test_title_without_site(title, site, url, expected):
    assert title_without_site(title, site, url) == expected


def test_clean_text():
    assert clean_text("e\u0301t\u00e9") == "\u00e9t\u00e9"  # NFC
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("no\u00a0break\u2009thin\u3000ideographic") == "no break thin ideographic"
    assert clean_text("zero\u200bwidth\u00adsoft\ufeff") == "zerowidthsoft"
    assert clean_text("bell\x07 and\x00null\x7f") == "bell andnull"
    assert clean_text("  indented  \n\ttabbed\t\n\n  ") == "indented\ntabbed"
    assert clean_text("“Quoted” — dash") == "“Quoted” — dash"  # typographic marks kept
    assert clean_text("one\n\n\ntwo") == "one\n\n\ntwo"  # blank lines kept: blocks are split on them


def test_one_line():
    assert one_line("  A headline\n  over two lines\u00a0here ") == "A headline over two lines here"
    assert one_line("tab\tand\n\nparagraphs") == "tab and paragraphs"
    assert one_line("") == ""
