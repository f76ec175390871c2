"""Gradient-boosted trees stored as plain JSON and applied with NumPy alone.

The line model and the headline model of text mode are such trees: trained with scikit-learn
(`cleaner.train_lines`, the `train` dependency group) and written as arrays of nodes, so that
cleaning needs neither scikit-learn nor pickles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class TreeModel:
    """Gradient-boosted regression trees on the log-odds scale (scikit-learn's layout)."""

    features: tuple[str, ...]
    init: float
    learning_rate: float
    trees: tuple[dict, ...]  # feature, threshold, left, right, value (arrays)
    threshold: float  # the operating point on probability() that the trainer chose
    info: dict

    @property
    def version(self) -> str:
        return str(self.info.get("version", "unversioned"))

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(positive class) of each row of features.

        All trees walk their levels together, over one flat array of every tree's nodes (one
        NumPy step per level, not per tree and level; a leaf, or a node where its tree's walk
        ends, leads to itself, so no test of whether a walk is over); the trees' outputs are
        still added one tree after the other, in order, so the sum is the same to the last bit
        as adding them in a loop (tests/test_trees.py holds it to that plain walk)."""
        if x.shape[0] == 0:
            return np.zeros(0)
        start, feature, threshold, left, right, value, inner, depth = self._flat
        rows, width = x.shape
        node = np.repeat(start[:, None], rows, axis=1)  # (tree, row): where each walk stands
        at_row = (np.arange(rows) * width)[None, :]
        cells = np.ascontiguousarray(x, dtype=float).ravel()
        for level in range(depth):
            go_left = cells.take(at_row + feature.take(node)) <= threshold.take(node)
            node = np.where(go_left, left.take(node), right.take(node))
            if level % 4 == 3 and not inner.take(node).any():  # every walk has ended
                break
        steps = np.vstack([np.full((1, rows), self.init), self.learning_rate * value.take(node)])
        score = np.cumsum(steps, axis=0)[-1]  # sequential over the trees, as `score += ...` per tree
        return 1.0 / (1.0 + np.exp(-score))

    @cached_property
    def _flat(self) -> tuple:
        """Every tree's nodes in one array (tree k's from start[k]), children as indices into it;
        a leaf, and a node at or below its tree's `depth` (where the walk stops), is its own
        child on both sides with threshold +inf. Built once per model for probability()."""
        sizes = [len(t["left"]) for t in self.trees]
        start = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp) if sizes else np.zeros(0, np.intp)
        total = int(sum(sizes))
        feature = np.zeros(total, dtype=np.intp)
        threshold = np.full(total, np.inf)
        left = np.arange(total, dtype=np.intp)
        right = np.arange(total, dtype=np.intp)
        value = np.zeros(total)
        for first, tree in zip(start.tolist(), self.trees):
            level = np.zeros(len(tree["left"]), dtype=int)
            for n, (lo, hi) in enumerate(zip(tree["left"].tolist(), tree["right"].tolist())):
                value[first + n] = tree["value"][n]
                if lo >= 0:  # nodes are numbered parents first (scikit-learn's depth-first layout)
                    level[lo] = level[hi] = level[n] + 1
                    if level[n] < tree["depth"]:
                        feature[first + n], threshold[first + n] = tree["feature"][n], tree["threshold"][n]
                        left[first + n], right[first + n] = first + lo, first + hi
        inner = left != np.arange(total)
        return start, feature, threshold, left, right, value, inner, max((t["depth"] for t in self.trees), default=0)

    def to_json(self) -> str:
        trees = [{k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in t.items()} for t in self.trees]
        return json.dumps({"features": list(self.features), "init": self.init, "learning_rate": self.learning_rate,
                           "threshold": self.threshold, "info": self.info, "trees": trees})

    @classmethod
    def from_json(cls, text: str) -> TreeModel:
        data = json.loads(text)
        trees = tuple({
            "feature": np.array(t["feature"], dtype=int), "threshold": np.array(t["threshold"], dtype=float),
            "left": np.array(t["left"], dtype=int), "right": np.array(t["right"], dtype=int),
            "value": np.array(t["value"], dtype=float), "depth": int(t["depth"]),
        } for t in data["trees"])
        return cls(tuple(data["features"]), float(data["init"]), float(data["learning_rate"]), trees,
                   float(data["threshold"]), data.get("info", {}))


@lru_cache(maxsize=8)
def load_model(name: str, features: tuple[str, ...]) -> TreeModel | None:
    """A model shipped in the package's models/ folder, or None when it is not there.

    Raises ValueError when the file was trained on other features than `features`."""
    path = resources.files("cleaner").joinpath("models", name)
    if not path.is_file():
        return None
    model = TreeModel.from_json(path.read_text(encoding="utf-8"))
    if model.features != features:
        raise ValueError(f"{name} was trained on other features; retrain it with `cleaner train-lines`")
    return model
