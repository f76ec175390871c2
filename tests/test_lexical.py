"""The lexical model: a line's words hashed the same everywhere, scored as scikit-learn scores them."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

from cleaner import lexical
from cleaner.lexical import EDGE, FEATURES, HASH_BITS, LexicalModel, context, from_json, terms


def test_terms_are_the_lines_words_and_word_pairs_case_folded_each_once():
    mask = (1 << HASH_BITS) - 1
    expected = sorted({zlib.crc32(t.encode()) & mask for t in ("most", "read", "most read")})
    assert terms("Most READ") == expected == terms("most read!") == terms("Most read Most read"[:9])
    assert terms("") == [] and terms("—") == []


def test_a_lines_score_is_the_logistic_of_its_slots_weights_normalised():
    weights = np.zeros(1 << HASH_BITS)
    slots = terms("Weitere Informationen")  # two words and their pair: three slots
    weights[slots] = [-1.0, -2.0, -3.0]
    model = LexicalModel(weights, 0.5, {})
    scores = model.scores(["Weitere Informationen", "", "weitere"])
    assert scores[0] == pytest.approx(1 / (1 + math.exp(-(0.5 - 6.0 / math.sqrt(3)))))
    assert scores[1] == pytest.approx(1 / (1 + math.exp(-0.5)))  # no words: the intercept alone
    assert scores[2] == pytest.approx(1 / (1 + math.exp(-(0.5 + weights[terms("weitere")[0]]))))
    assert model.scores([]).shape == (0,)


def test_the_context_columns_of_a_page():
    rows = context(np.array([0.2, 0.4, 0.9]))
    assert rows.shape == (3, len(FEATURES))
    assert rows[:, 0].tolist() == [0.2, 0.4, 0.9]
    assert rows[:, 1].tolist() == [EDGE, 0.2, 0.4] and rows[:, 2].tolist() == [0.4, 0.9, EDGE]
    assert context(np.zeros(0)).shape == (0, len(FEATURES))


def test_words_of_scripts_without_spaces_are_not_hashed():
    """A Chinese, Japanese or Thai line is one run of letters that no other line shares."""
    assert terms("新华社北京 Xinhua") == terms("Xinhua")
    assert terms("ข่าวล่าสุด") == [] and terms("ニュース") == []
    assert terms("Москва сегодня") != []  # spaced scripts are read, whatever their alphabet


def test_the_model_reads_the_languages_it_learnt():
    model = LexicalModel(np.zeros(1 << HASH_BITS), 0.0, {"languages": ["de", "en"]})
    assert model.reads("en") and model.reads("de") and not model.reads("ko") and not model.reads("")
    assert not LexicalModel(np.zeros(1 << HASH_BITS), 0.0, {}).reads("en")


def test_a_model_survives_its_file_and_refuses_another_hash_size():
    weights = np.random.default_rng(0).normal(size=1 << HASH_BITS).astype(lexical.STORED).astype(float)
    model = LexicalModel(weights, -0.25, {"version": "x"})
    again = from_json(model.to_json())
    assert np.array_equal(again.weights, weights) and again.intercept == -0.25 and again.version == "x"
    with pytest.raises(ValueError, match="slots"):
        from_json(model.to_json().replace(f'"hash_bits": {HASH_BITS}', '"hash_bits": 12'))


def test_the_shipped_model_reads_boilerplate_words_as_boilerplate():
    model = lexical.load_lexical_model()
    assert model is not None and model.info.get("command", "").startswith("cleaner train-lines")
    chrome, story = model.scores([
        "Share on Facebook", "The council approved the budget on Tuesday after a long debate over roads and schools.",
    ])
    assert chrome < 0.5 < story
    assert model.reads("en") and model.reads("de") and not model.reads("ko")
