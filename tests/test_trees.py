"""The tree evaluator: it follows the splits, round-trips through JSON, and its all-trees-at-once
walk (the speed trick) gives the same bits as walking one tree after another (the reference)."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.trees import TreeModel, load_model

WIDTH = 6


def tiny_model(threshold: float = 0.5) -> TreeModel:
    """One stump on feature 1: below 1.0 the score is +2, above it -2."""
    tree = {"feature": np.array([1, 0, 0]), "threshold": np.array([1.0, 0.0, 0.0]), "left": np.array([1, -1, -1]),
            "right": np.array([2, -1, -1]), "value": np.array([0.0, 2.0, -2.0]), "depth": 1}
    return TreeModel(tuple(f"f{i}" for i in range(WIDTH)), 0.0, 1.0, (tree,), threshold, {"version": "test"})


def test_evaluator_follows_the_splits():
    x = np.zeros((2, WIDTH))
    x[0, 1], x[1, 1] = 0.5, 3.0
    p = tiny_model().probability(x)
    assert p[0] == pytest.approx(1 / (1 + np.exp(-2))) and p[1] == pytest.approx(1 / (1 + np.exp(2)))
    x[0, 1] = 1.0  # equal to the threshold goes left, as scikit-learn does
    assert tiny_model().probability(x)[0] == pytest.approx(1 / (1 + np.exp(-2)))
    assert tiny_model().probability(np.zeros((0, WIDTH))).shape == (0,)


def test_json_round_trip():
    model = tiny_model(0.7)
    again = TreeModel.from_json(model.to_json())
    x = np.random.default_rng(0).normal(size=(20, WIDTH))
    assert (again.probability(x) == model.probability(x)).all()
    assert again.threshold == 0.7 and again.version == "test" and again.features == model.features


def one_tree_at_a_time(model: TreeModel, x: np.ndarray) -> np.ndarray:
    """The plain evaluator: each tree walked on its own, scores added in order."""
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
    """A tree of up to `depth` levels in scikit-learn's layout (nodes numbered depth first)."""
    feature, threshold, left, right, value = [], [], [], [], []

    def grow(level: int) -> int:
        node = len(feature)
        for column in (feature, threshold, left, right, value):
            column.append(-2)
        value[node] = float(rng.normal())
        if level < depth and (level == 0 or rng.random() < 0.8):
            feature[node], threshold[node] = int(rng.integers(WIDTH)), float(rng.normal())
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
    model = TreeModel(tuple(f"f{i}" for i in range(WIDTH)), 0.37, 0.1, tuple(trees), 0.5, {})
    x = rng.normal(size=(300, WIDTH))
    x[:50] = np.round(x[:50])  # values on the thresholds' side of equality too
    x[50:60, 1], x[60:70, 2] = np.nan, np.inf  # a missing value goes right, as in the plain walk
    assert np.array_equal(model.probability(x), one_tree_at_a_time(model, x))
    assert np.array_equal(model.probability(x[:, ::-1][:, ::-1]), one_tree_at_a_time(model, x))  # not contiguous
    assert TreeModel(model.features, 0.2, 0.1, (), 0.5, {}).probability(x).tolist() == [1 / (1 + np.exp(-0.2))] * 300


def shipped_models() -> list[tuple[str, tuple[str, ...], TreeModel | None]]:
    """Text mode's shipped tree models: (file, features, the model as loaded)."""
    from cleaner.headline import FEATURES as HEADLINE_FEATURES
    from cleaner.headline import MODEL_FILE as HEADLINE_FILE
    from cleaner.linefeatures import FEATURES as SHAPE_FEATURES
    from cleaner.region import FEATURES as LINE_FEATURES
    from cleaner.region import MODEL_FILE as LINE_FILE
    from cleaner.region import SHAPE_MODEL_FILE

    return [(name, features, load_model(name, features))
            for name, features in ((LINE_FILE, LINE_FEATURES), (SHAPE_MODEL_FILE, SHAPE_FEATURES),
                                   (HEADLINE_FILE, HEADLINE_FEATURES))]


def test_shipped_models_walk_like_the_reference():
    rng = np.random.default_rng(3)
    for name, features, model in shipped_models():
        assert model is not None, f"{name} is not shipped"
        x = rng.normal(size=(200, len(features)))
        assert np.array_equal(model.probability(x), one_tree_at_a_time(model, x))
        assert model.info.get("command", "").startswith("cleaner train-lines")


def test_the_line_models_were_trained_beside_the_shipped_lexical_model():
    """The line model learned from the lexical model's scores, and the shape model judges the
    pages in the languages that model does not read: the three ship from one training run."""
    from cleaner.lexical import load_lexical_model

    (_, _, lines), (_, _, shape), _ = shipped_models()
    words = load_lexical_model()
    assert words is not None and lines.info.get("lexical_model") == shape.info.get("lexical_model") == words.version


def test_shipped_models_were_trained_with_todays_rules():
    """The line and headline models read which rule names each line: a rule changed since they
    were trained makes features they never saw, and their training command no longer makes them."""
    from cleaner.linefeatures import RULES_DIGEST, rules_digest
    from cleaner.rules import load_rules

    today = rules_digest(load_rules())
    for name, _, model in shipped_models():
        trained = model.info.get(RULES_DIGEST)
        assert trained == today, (
            f"{name} was trained with other text rules ({trained}, today {today}): retrain with "
            "`uv run --frozen --group train cleaner train-lines ../shared/eval-data/wcxb-dev "
            "../shared/eval-data/trafilatura-snippets` (docs/quality.md)")


def test_a_model_trained_on_other_features_is_refused():
    from cleaner.region import MODEL_FILE

    load_model.cache_clear()
    with pytest.raises(ValueError, match="other features"):
        load_model(MODEL_FILE, ("not", "these"))
    load_model.cache_clear()
    assert load_model("no_such_model.json", ("a",)) is None
