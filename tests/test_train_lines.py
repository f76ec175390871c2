"""The trainer's labels and its export of scikit-learn's trees (the fit itself runs in `cleaner train-lines`)."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.extract import split_text
from cleaner.train_lines import Page, evaluate_pages, export, label_by_reference, label_by_snippets

REFERENCE = """The council approved the budget on Tuesday after a long debate over roads and schools.

Overview

Members argued over the cost of the sea wall, which engineers say could fail in a storm."""

DUMP = """Home
Overview
Council approves budget
The council approved the budget on Tuesday after a long debate over roads and schools.
Overview
Members argued over the cost of the sea wall, which engineers say could fail in a storm.
Related: council approves budget for the library next year
Contact"""


def test_reference_labels_long_lines_by_shingles_and_short_ones_by_place():
    blocks = tuple(split_text(DUMP))
    labels = label_by_reference(blocks, REFERENCE)
    # 'Overview' in the menu stands before any story line: not labelled story; the one between
    # the two paragraphs is. A teaser sharing a few words is not story.
    assert labels.tolist() == [0, 0, 0, 1, 1, 1, 0, 0]


def test_snippet_labels():
    blocks = tuple(split_text(DUMP))
    labels = label_by_snippets(blocks, keep=["approved the budget on Tuesday"], drop=["Contact", "Home"])
    assert labels.tolist() == [0, -1, -1, 1, -1, -1, -1, 0]
    both = label_by_snippets(blocks, keep=["Overview"], drop=["Overview"])
    assert both[1] == -1


def test_page_scores_follow_the_decisions():
    blocks = tuple(split_text(DUMP))
    page = Page("wcxb:1", "wcxb", blocks, np.zeros((len(blocks), 1)), np.zeros(len(blocks), dtype=int),
                reference=REFERENCE)
    perfect = evaluate_pages([page], [np.array([0, 0, 0, 1, 1, 1, 0, 0], dtype=bool)])
    assert perfect["precision"] == perfect["recall"] == perfect["f1"] == 1.0
    everything = evaluate_pages([page], [np.ones(len(blocks), dtype=bool)])
    assert everything["recall"] == 1.0 and everything["precision"] < 0.7


@pytest.mark.slow  # importing scikit-learn takes ~2 s
def test_exported_trees_give_scikit_learns_probabilities():
    sklearn = pytest.importorskip("sklearn.ensemble")
    from threadpoolctl import threadpool_limits  # scikit-learn's own dependency
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3000, 5))
    x[::7, 2] = np.round(x[::7, 2])  # values on thresholds too
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int)
    # One OpenMP thread: on a busy two-core machine its spinning threads made this fit take 25 s, not 1.
    with threadpool_limits(1):
        clf = sklearn.HistGradientBoostingClassifier(max_iter=40, random_state=0).fit(x, y)
    model = export(clf, tuple("abcde"), 0.5, {"version": "t"})
    assert np.abs(model.probability(x) - clf.predict_proba(x)[:, 1]).max() < 1e-9


class _Stub:
    """A line model that takes the lines of eight words or more for story."""

    def probability(self, x: np.ndarray) -> np.ndarray:
        from cleaner.linefeatures import FEATURES

        return (np.expm1(x[:, FEATURES.index("log_words")]) >= 8).astype(float)


def test_headline_rows_and_the_story_alone_without_the_headline():
    from cleaner.linefeatures import features, page_language, rule_hits
    from cleaner.rules import load_rules
    from cleaner.train_lines.title import _title_rows

    blocks = tuple(split_text(DUMP))
    x = features(blocks, rule_hits(blocks, load_rules()), page_language(blocks))
    page = Page("wcxb:1", "wcxb", blocks, x, np.zeros(len(blocks), dtype=int),
                reference=f"Council approves budget\n\n{REFERENCE}", title="Council Approves Budget", domain="a.org")
    rows, lines = _title_rows([(page, _Stub().probability(x))], 0.5, _Stub())
    assert {i for k, i, _, y in rows if k == 0 and y} == {2}  # the headline, spelled otherwise
    alone = [(i, y) for k, i, _, y in rows if k == -1]
    assert alone and not any(y for _, y in alone)
    # the story alone opens with the headline: not a line that may not be given as one
    assert all(lines[-1][i].text != "Council approves budget" for i, _ in alone)
    assert lines[0] == blocks


def test_headline_scores_count_the_chosen_line_and_keep_a_site_in_one_fold():
    from cleaner.train_lines.title import _fold, _title_scores

    blocks = tuple(split_text("Home Council Approves Budget\n\nCouncil Approves Budget\n\n" + REFERENCE))
    story = tuple(split_text(REFERENCE))
    rows = [(0, 0, [], 0), (0, 1, [], 1), (-1, 0, [], 0)]
    lines = {0: blocks, -1: story}
    # the glued crumb scores best, the headline next to it is chosen; the story alone gets a title at 0.2
    assert _title_scores(rows, np.array([0.9, 0.5, 0.3]), 0.2, lines, ["councilapprovesbudget"]) == {
        "right": 1.0, "wrong": 0.0, "invented": 1.0}
    assert _title_scores(rows, np.array([0.9, 0.5, 0.3]), 0.4, lines, ["councilapprovesbudget"])["invented"] == 0.0
    assert _title_scores(rows, np.array([0.3, 0.2, 0.1]), 0.4, lines, ["councilapprovesbudget"])["right"] == 0.0
    assert _fold("example.org") == _fold("example.org") and {_fold(f"site{n}.org") for n in range(40)} == set(range(5))


def test_a_pages_dumps_by_every_tool_are_in_one_fold(monkeypatch):
    from cleaner.train_lines import fit

    seen: list[set[int]] = []

    class Remembers:
        def __init__(self, groups: set[int]):
            self.groups = groups

        def predict_proba(self, x: np.ndarray) -> np.ndarray:
            return np.tile([0.0, 1.0], (len(x), 1))

    def fake_fit(x, y, weight=None):
        groups = {int(g) for g in x[:, 0]}
        seen.append(groups)
        return Remembers(groups)

    monkeypatch.setattr(fit, "_fit", fake_fit)
    blocks = tuple(split_text(DUMP))
    pages = [Page(f"wcxb:{g}", "wcxb", blocks, np.full((len(blocks), 1), g), np.ones(len(blocks), dtype=int),
                  dumper=dumper, group=g)
             for g in range(12) for dumper in ("inscriptis", "get_text", "shown")]
    probability = fit.out_of_fold(pages)
    assert len(seen) == fit.FOLDS and all(len(p) == len(blocks) for p in probability)
    for fold, groups in enumerate(seen):
        # the model of a fold saw every dump of the other folds' pages and none of its own
        assert groups == {g for g in range(12) if g % fit.FOLDS != fold}


def test_the_lexical_scores_of_a_page_come_from_a_model_that_did_not_see_it():
    pytest.importorskip("sklearn")
    from cleaner.train_lines import words

    story = ("The council approved the budget on Tuesday after a long debate over roads and schools.",
             "Members argued over the cost of the sea wall, which engineers say could fail in a storm.")
    chrome = ("Share on Facebook", "Related stories", "Sign up for our newsletter")
    pages = []
    for g in range(10):
        blocks = tuple(split_text("\n\n".join(chrome + story + (f"Page {g} says something quite different.",))))
        labels = np.array([0] * len(chrome) + [1] * len(story) + [-1])
        pages.append(Page(f"wcxb:{g}", "wcxb", blocks, np.zeros((len(blocks), 1)), labels, group=g))
    scores = words.out_of_fold(pages)
    assert [len(s) for s in scores] == [len(p.blocks) for p in pages]
    assert all(s[:3].max() < 0.5 < s[3:5].min() for s in scores)
    model = words.fit_lexical(pages, "cleaner train-lines test")  # checked against scikit-learn inside
    assert model.scores(["Share on Facebook"])[0] < 0.5


def test_the_lexical_model_reads_languages_of_enough_pages_each_counted_once():
    from cleaner.lexical import MIN_PAGES
    from cleaner.train_lines import words

    blocks = tuple(split_text(DUMP))
    x, labels = np.zeros((len(blocks), 1)), np.zeros(len(blocks), dtype=int)
    pages = [Page(f"wcxb:{g}", "wcxb", blocks, x, labels, group=g, dumper=dumper, language=language)
             for g, language in enumerate(["en"] * MIN_PAGES + ["ko"] * (MIN_PAGES - 1) + [""] * MIN_PAGES)
             for dumper in ("inscriptis", "get_text")]
    assert words.languages(pages) == ["en"]  # ko: one page short, its two dumps counted once
