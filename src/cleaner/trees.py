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

        All trees walk their levels together (one NumPy step per level, not per tree and
        level); the trees' outputs are still added one tree after the other, in order, so
        the sum is the same to the last bit as adding them in a loop."""
        if x.shape[0] == 0:
            return np.zeros(0)
        feature, threshold, left, right, value, depth = self._stacked
        trees = np.arange(len(self.trees))[:, None]
        rows = np.arange(x.shape[0])[None, :]
        node = np.zeros((len(self.trees), x.shape[0]), dtype=int)
        for level in range(int(depth.max(initial=0))):
            stay = (left[trees, node] < 0) | (depth <= level)[:, None]  # a leaf, or the tree's walk is over
            go_left = x[rows, np.where(stay, 0, feature[trees, node])] <= threshold[trees, node]
            node = np.where(stay, node, np.where(go_left, left[trees, node], right[trees, node]))
        steps = np.vstack([np.full((1, x.shape[0]), self.init), self.learning_rate * value[trees, node]])
        score = np.cumsum(steps, axis=0)[-1]  # sequential over the trees, as `score += ...` per tree
        return 1.0 / (1.0 + np.exp(-score))

    @cached_property
    def _stacked(self) -> tuple[np.ndarray, ...]:
        """The trees' node arrays as (tree, node) arrays, padded with leaves to the largest tree,
        and their depths: built once per model for probability()."""
        width = max((len(t["left"]) for t in self.trees), default=1)

        def pad(key: str, fill: float, dtype: type) -> np.ndarray:
            out: np.ndarray = np.full((len(self.trees), width), fill, dtype=dtype)
            for i, tree in enumerate(self.trees):
                out[i, :len(tree[key])] = tree[key]
            return out

        return (pad("feature", 0, int), pad("threshold", 0.0, float), pad("left", -1, int), pad("right", -1, int),
                pad("value", 0.0, float), np.array([t["depth"] for t in self.trees], dtype=int))

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
