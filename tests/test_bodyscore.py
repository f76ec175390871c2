"""Whole-body scores and the two line-filter baselines `cleaner eval` prints beside text mode."""

from __future__ import annotations

import pytest

from cleaner.baselines import c4_lines, span_lines
from cleaner.bodyscore import f1, shingle_scores, tokens, word_scores

REFERENCE = "The council approved the budget on Tuesday. The vote was close."


def test_tokens_are_lower_case_word_runs():
    assert tokens("The Council's vote — 7:2!") == ["the", "council", "s", "vote", "7", "2"]


def test_word_scores_count_with_multiplicity():
    assert word_scores(REFERENCE, REFERENCE) == (1.0, 1.0)
    precision, recall = word_scores("the the the the council", REFERENCE)
    assert precision == pytest.approx(4 / 5)  # 'the' stands three times in the reference: the fourth is extra
    assert recall == pytest.approx(4 / 11)


def test_shingles_charge_a_repeated_paragraph_and_reward_order():
    twice = f"{REFERENCE}\n\n{REFERENCE}"
    precision, recall = shingle_scores(twice, REFERENCE)
    assert recall == 1.0 and precision == pytest.approx(8 / 19)
    shuffled = "Tuesday on budget the approved council The"
    assert word_scores(shuffled, "The council approved the budget on Tuesday")[0] == 1.0
    assert shingle_scores(shuffled, "The council approved the budget on Tuesday")[0] == 0.0


def test_empty_output_and_missing_reference():
    assert shingle_scores("", REFERENCE) == (0.0, 0.0)
    assert word_scores("anything at all", "") == (0.0, None)
    assert shingle_scores("two words", "two words") == (1.0, 1.0)  # shorter than a shingle: one shingle
    assert f1(0.0, 0.0) == 0.0 and f1(0.5, 1.0) == pytest.approx(2 / 3)


DUMP = """Home
News
Sport
Council approves harbour budget
The regional council approved a new budget for the harbour district on Tuesday evening after a long debate.
Members argued over the cost of repairing the old sea wall, which engineers say could fail in a storm.
Related stories
Ferry timetable changes
Enable JavaScript to see comments.
© 2024 Harbour Herald"""


def test_c4_keeps_sentences_of_three_words_and_drops_policy_lines():
    kept = c4_lines(DUMP).splitlines()
    assert kept == [DUMP.splitlines()[4], DUMP.splitlines()[5]]
    assert c4_lines("Read our cookie policy.\nIt was fine.\nOk.") == "It was fine."


def test_span_is_the_densest_run_of_prose():
    assert span_lines(DUMP).splitlines() == DUMP.splitlines()[4:6]
    assert span_lines("Home\nNews") == ""
