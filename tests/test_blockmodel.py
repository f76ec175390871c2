"""The block model: features, the tree evaluator, the shipped model, and what it cuts in strip."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cleaner.blockmodel import BLOCK_SHAPE, FEATURES, TreeModel, features, load_model, stoplist
from cleaner.extract import split_text
from cleaner.record import Article, Block, BlockKind, Format, Removal
from cleaner.rules import load_rules
from cleaner.strip import strip

STORY = [
    "The regional council approved a new budget for the harbour district on Tuesday evening, after a debate "
    "that lasted more than four hours and drew residents from all over the town to the packed hall.",
    "Members argued over the cost of repairing the old sea wall, which engineers say could fail in a major "
    "storm, and over how much of the money should come from the national government instead.",
    "It was a close vote.",
    "What's Next?",
    "The plan now goes to the finance ministry, which has said it will respond before the end of the month, "
    "and the council expects the first repairs to start in the spring if the money arrives in time.",
    "Residents who spoke at the meeting said they were relieved that the wall would finally be fixed, though "
    "several of them complained that the work had been delayed for far too long by arguments over funding.",
]
MENU = ["Home", "World", "Business", "Sport", "Culture", "Opinion", "Weather", "Podcasts"]
# Teaser headlines of a widget with no marker before it: no rule names them.
TEASERS = ["Mayor opens new library wing in the old town", "Ferry timetable changes for the winter season announced",
           "Local bakery wins national bread award for second year",
           "Police appeal for witnesses after harbour car park fire",
           "Follow us on the socials for the latest harbour news"]
FOOTER = ["About us", "Contact", "Careers", "Advertise with us", "Privacy", "Terms of use", "Sitemap",
          "All rights reserved 2024 Harbour Herald"]


def dump(*parts: list[str]) -> Article:
    text = "\n\n".join(line for part in parts for line in part)
    return Article(id="t", source="t.txt", format=Format.TEXT, input_format="text", text="",
                   blocks=tuple(split_text(text)))


def test_features_have_one_column_per_name_and_are_deterministic():
    article = dump(MENU, STORY, FOOTER)
    x = features(article.blocks, {}, "en")
    assert x.shape == (len(article.blocks), len(FEATURES))
    assert np.isfinite(x).all()
    assert (features(article.blocks, {}, "en") == x).all()
    col = {name: i for i, name in enumerate(FEATURES)}
    first_story = len(MENU)
    assert x[0, col["before_story"]] == 1.0 and x[first_story, col["before_story"]] == 0.0
    assert x[0, col["log_short_run"]] > 0  # the menu is a run of short lines
    podcasts = MENU.index("Podcasts")
    assert x[first_story, col["stopword_density"]] > x[podcasts, col["stopword_density"]]


def test_features_of_a_language_without_a_stop_list_are_neutral():
    assert stoplist("en") and "the" in stoplist("en")
    assert stoplist("xx") is None
    x = features((Block(BlockKind.PARAGRAPH, "随便写点什么"),), {}, "zh")
    assert x[0, FEATURES.index("has_stoplist")] == 0.0


def test_rule_cuts_are_features_of_their_neighbours():
    article = dump(MENU, STORY)
    cut = {0: Removal("navigation", "navigation.x", MENU[0])}
    x = features(article.blocks, cut, "en")
    assert x[1, FEATURES.index("rule_cut_prev")] == 1.0
    assert x[len(MENU) + 2, FEATURES.index("rule_cut_prev")] == 0.0


def tiny_model(threshold: float = 0.5) -> TreeModel:
    """One stump on log_words: short blocks score +2, long ones -2 (log-odds)."""
    words = FEATURES.index("log_words")
    tree = {"feature": np.array([words, -2, -2]), "threshold": np.array([np.log1p(5), -2.0, -2.0]),
            "left": np.array([1, -1, -1]), "right": np.array([2, -1, -1]),
            "value": np.array([0.0, 2.0, -2.0]), "depth": 1}
    return TreeModel(FEATURES, 0.0, 1.0, (tree,), threshold, {"version": "test"})


def test_tree_evaluator_follows_the_splits():
    x = np.zeros((2, len(FEATURES)))
    x[0, FEATURES.index("log_words")] = np.log1p(2)
    x[1, FEATURES.index("log_words")] = np.log1p(50)
    p = tiny_model().probability(x)
    assert p[0] == pytest.approx(1 / (1 + np.exp(-2))) and p[1] == pytest.approx(1 / (1 + np.exp(2)))
    assert tiny_model().probability(np.zeros((0, len(FEATURES)))).shape == (0,)


def test_model_json_round_trip():
    model = tiny_model(0.7)
    again = TreeModel.from_json(model.to_json())
    x = np.random.default_rng(0).normal(size=(20, len(FEATURES)))
    assert (again.probability(x) == model.probability(x)).all()
    assert again.threshold == 0.7 and again.rule_id == "block_shape.model_test"


def one_tree_at_a_time(model: TreeModel, x: np.ndarray) -> np.ndarray:
    """The evaluator as it was before it walked all trees together: the reference."""
    score = np.full(x.shape[0], model.init)
    rows = np.arange(x.shape[0])
    for tree in model.trees:
        node = np.zeros(x.shape[0], dtype=int)
        for _ in range(tree["depth"]):
            leaf = tree["left"][node] < 0
            go_left = x[rows, np.where(leaf, 0, tree["feature"][node])] <= tree["threshold"][node]
            node = np.where(leaf, node, np.where(go_left, tree["left"][node], tree["right"][node]))
        score += model.learning_rate * tree["value"][node]
    return 1.0 / (1.0 + np.exp(-score))


def random_tree(rng: np.random.Generator, depth: int) -> dict:
    """A full-ish tree of `depth` levels in scikit-learn's layout (nodes numbered depth first)."""
    feature, threshold, left, right, value = [], [], [], [], []

    def grow(level: int) -> int:
        node = len(feature)
        for column in (feature, threshold, left, right, value):
            column.append(-2)
        value[node] = float(rng.normal())
        if level < depth and (level == 0 or rng.random() < 0.8):
            feature[node], threshold[node] = int(rng.integers(len(FEATURES))), float(rng.normal())
            left[node] = grow(level + 1)
            right[node] = grow(level + 1)
        else:
            left[node] = right[node] = -1
        return node

    grow(0)
    return {"feature": np.array(feature), "threshold": np.array(threshold, dtype=float), "left": np.array(left),
            "right": np.array(right), "value": np.array(value), "depth": depth}


def test_all_trees_at_once_give_the_same_bits_as_one_tree_after_another():
    rng = np.random.default_rng(7)
    trees = [random_tree(rng, int(d)) for d in rng.integers(1, 6, size=150)]
    trees[3] = {**trees[3], "depth": trees[3]["depth"] - 1}  # a walk stops where the depth says, leaf or not
    model = TreeModel(FEATURES, 0.37, 0.1, tuple(trees), 0.5, {})
    x = rng.normal(size=(300, len(FEATURES)))
    x[:50] = np.round(x[:50])  # values on the thresholds' side of equality too
    assert np.array_equal(model.probability(x), one_tree_at_a_time(model, x))
    shipped = load_model()
    article = dump(MENU, STORY, TEASERS, FOOTER)
    real = features(article.blocks, {0: Removal("navigation", "navigation.x", MENU[0])}, "en")
    assert np.array_equal(shipped.probability(real), one_tree_at_a_time(shipped, real))
    assert TreeModel(FEATURES, 0.2, 0.1, (), 0.5, {}).probability(x).tolist() == [1 / (1 + np.exp(-0.2))] * 300


def test_window_features_are_numpy_means_to_the_bit():
    """features() adds up neighbour windows in plain Python; np.mean gave these columns before."""
    article = dump(MENU, STORY, TEASERS, FOOTER)
    cut = {1: Removal("navigation", "navigation.x", MENU[1]), 9: Removal("related", "related.x", STORY[1])}
    x = features(article.blocks, cut, "en")
    n = len(article.blocks)
    col = {name: i for i, name in enumerate(FEATURES)}
    is_cut = np.array([1.0 if i in cut else 0.0 for i in range(n)])
    for i in range(n):
        window = [j for j in range(max(0, i - 2), min(n, i + 3)) if j != i]
        assert x[i, col["window_log_chars"]] == np.mean(x[window, col["log_chars"]])
        assert x[i, col["window_stopwords"]] == np.mean(x[window, col["stopword_density"]])
        assert x[i, col["window_sentence_end"]] == np.mean(x[window, col["sentence_end"]])
        assert x[i, col["rule_cut_window"]] == np.mean(is_cut[window])
    text = "© 2024 Ünïcode_news | 12 × 3 = 36 … ½ café\u00a0bar"
    row = features((Block(BlockKind.PARAGRAPH, text),), {}, "en")[0]
    assert row[col["digit_share"]] == sum(ch.isdigit() for ch in text) / len(text)
    assert row[col["symbol_share"]] == sum(not ch.isalnum() and not ch.isspace() for ch in text) / len(text)
    assert row[col["window_log_chars"]] == 0.0


def test_the_shipped_model_loads_and_documents_its_training():
    model = load_model()
    assert model is not None and model.features == FEATURES
    assert 0.0 < model.threshold < 1.0 and len(model.trees) >= 50
    assert "train-blocks" in model.info["command"] and "dev split" in model.info["trained_on"]


def test_strip_with_the_model_cuts_unnamed_widgets_and_keeps_the_story():
    article = dump(["Harbour Herald"], MENU, ["Council approves the harbour budget after a long debate"], STORY,
                   TEASERS, FOOTER)
    model = load_model()
    result = strip(article, load_rules(), min_words=25, model=model)
    body = result.body
    for paragraph in STORY:  # a short sentence and a "What's Next?" heading inside the story stay
        assert paragraph in body
    assert result.blocks[0].kind is BlockKind.TITLE and result.blocks[0].text.startswith("Council approves")
    shaped = [r for r in result.removals if r.category == BLOCK_SHAPE]
    assert all(r.rule_id == model.rule_id and float(dict(r.facts)["score"]) >= model.threshold for r in shaped)
    # The rules take the menu and the footer; the model scores every teaser above every story
    # block and cuts those it is sure of (the widget's tail, furthest from the story).
    from cleaner.strip import rule_cuts

    p = dict(zip((b.text for b in article.blocks),
                 model.probability(features(article.blocks, rule_cuts(article, load_rules()), "en"))))
    assert min(p[t] for t in TEASERS) > max(p[s] for s in STORY)
    assert sum(t in {r.text for r in shaped} for t in TEASERS) >= 2
    rules_only = strip(article, load_rules(), min_words=25, model=None)
    assert all(t in rules_only.body for t in TEASERS)


def test_strip_without_the_model_leaves_what_no_rule_names():
    article = dump(MENU[:2], STORY)
    rules_only = strip(article, load_rules(), min_words=25, model=None)
    assert not [r for r in rules_only.removals if r.category == BLOCK_SHAPE]


def test_the_model_never_touches_html_pages():
    article = dump(MENU, STORY, FOOTER)
    html = Article(**{**{f: getattr(article, f) for f in ("id", "source", "input_format", "text", "blocks")},
                      "format": Format.HTML})
    result = strip(html, load_rules(), min_words=25, model=load_model())
    assert not [r for r in result.removals if r.category == BLOCK_SHAPE]


def test_the_model_file_is_plain_json():
    from importlib import resources

    data = json.loads(resources.files("cleaner").joinpath("models", "text_blocks.json").read_text())
    assert data["features"] == list(FEATURES) and data["trees"]


def test_training_picks_the_threshold_as_eval_scores_pages():
    """The cut threshold: the most page drop among thresholds whose mean page keep (snippets
    found in the output, as `cleaner eval` scores) is at least the keep target."""
    from cleaner.train_blocks import Page, _choose_threshold

    texts = ("The council approved the budget on Tuesday after a long debate.", "Share this article",
             "Officials said the plan would be reviewed next spring.", "Subscribe to our newsletter")
    page = Page("p", np.zeros((4, 1)), [0, 1, 0, 1], texts, frozenset(), keep=(texts[0], texts[2]),
                drop=(texts[1], texts[3]))
    # Boilerplate scores 0.9 and 0.6; the second story paragraph 0.5.
    probability = np.array([0.1, 0.9, 0.5, 0.6])
    assert page.output(probability, 0.55) == f"{texts[0]}\n\n{texts[2]}"
    assert page.output(probability, 0.45) == texts[0]
    threshold, scores = _choose_threshold([page], [probability], keep_target=1.0)
    assert 0.5 < threshold <= 0.6 and scores == {"keep": 1.0, "drop": 1.0}
    # A lower keep target allows cutting the story paragraph, which gains no drop: not taken.
    assert _choose_threshold([page], [probability], keep_target=0.5) == (threshold, scores)
    # A keep target no threshold meets: the highest threshold (the model cuts least).
    page = Page("p", np.zeros((4, 1)), [0, 1, 0, 1], texts, frozenset(), keep=(texts[0], texts[2]), drop=())
    assert _choose_threshold([page], [np.array([0.95, 0.1, 0.95, 0.1])], keep_target=1.0)[0] == 0.9
