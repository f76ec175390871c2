"""The rules' memory (cleaner._rulememo) answers what classify.match_block answers: for every
position, in any order of questions, for each rule set and site on its own."""

from __future__ import annotations

import pytest

from cleaner import _rulememo
from cleaner.classify import match_block
from cleaner.normalize import word_count
from cleaner.rules import RuleSet, load_rules
from tests.test_rules_prefilter import texts, variants
from tests.test_rules_sites import MOTTO, MY_RULES

POSITIONS = (None, "head", "body", "tail")


def test_the_memory_answers_what_match_block_answers(rules):
    _rulememo._fired.cache_clear()
    checked = matched = 0
    for text in texts():
        for variant in variants(text)[:3]:
            for position in (*POSITIONS, *reversed(POSITIONS)):  # the second round from the memory
                expected = match_block(variant, rules, position, word_count(variant))
                assert _rulememo.match_block(variant, rules, position, word_count(variant)) == expected, variant
                checked += 1
                matched += expected is not None
    assert _rulememo._fired.cache_info().hits > checked / 2
    assert matched > 500


def test_each_rule_set_has_its_own_answers(rules):
    text = "Share this article"
    assert _rulememo.match_block(text, rules)[0].category == "share"
    alone = RuleSet(tuple(r for r in rules.text if r.category != "share"), ())
    assert _rulememo.match_block(text, alone) == match_block(text, alone)
    assert _rulememo.match_block(text, alone) is None or _rulememo.match_block(text, alone)[0].category != "share"
    assert _rulememo.match_block(text, RuleSet((), ())) is None


@pytest.fixture(scope="module")
def site_rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    (folder / "ledger.toml").write_text(MY_RULES, encoding="utf-8")
    return load_rules(rules_dir=folder)


def test_a_site_is_part_of_the_question(site_rules):
    assert _rulememo.match_block(MOTTO, site_rules, site="dailyledger.com")[0].id == "navigation.ledger_motto"
    assert _rulememo.match_block(MOTTO, site_rules, site="eastasiawire.net") is None
    assert _rulememo.match_block(MOTTO, site_rules) is None
    assert _rulememo.match_block(MOTTO, site_rules.for_site("dailyledger.com"))[0].id == "navigation.ledger_motto"


def test_the_memory_is_bounded():
    assert _rulememo._fired.cache_info().maxsize == _rulememo.MEMO_TEXTS


def test_a_long_text_is_answered_but_not_kept(rules):
    long = "Share this article " + "and read on. " * (_rulememo.MEMO_CHARS // 12)
    _rulememo._fired.cache_clear()
    for position in POSITIONS:
        assert _rulememo.match_block(long, rules, position) == match_block(long, rules, position)
    assert _rulememo._fired.cache_info().currsize == 0
