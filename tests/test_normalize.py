"""normalize: word counts in every script, story-likeness, comparison and hash keys."""

from __future__ import annotations

import re

import pytest

from cleaner.normalize import SIMPLE_WORD, content_hash, normalized_for_hash, story_like, word_count, words


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
