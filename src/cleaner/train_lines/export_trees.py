"""A fitted scikit-learn model as a TreeModel (its trees as node arrays), checked against scikit-learn; its version."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from cleaner.trees import TreeModel


def export(clf, names: tuple[str, ...], threshold: float, info: dict) -> TreeModel:
    """A fitted HistGradientBoostingClassifier as a TreeModel (its node arrays, leaves as -1)."""
    trees = []
    for (predictor,) in clf._predictors:  # binary: one tree per iteration
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({  # node indexes are unsigned in scikit-learn: made signed before leaves get -1
            "feature": np.where(leaf, 0, nodes["feature_idx"].astype(np.int64)),
            "threshold": np.where(leaf, 0.0, nodes["num_threshold"].astype(float)),
            "left": np.where(leaf, -1, nodes["left"].astype(np.int64)),
            "right": np.where(leaf, -1, nodes["right"].astype(np.int64)),
            "value": np.where(leaf, nodes["value"].astype(float), 0.0),
            "depth": int(nodes["depth"].max()),
        })
    baseline = float(np.ravel(clf._baseline_prediction)[0])
    return TreeModel(names, baseline, 1.0, tuple(trees), threshold, info)


def _checked(model: TreeModel, clf, x: np.ndarray) -> TreeModel:
    if not np.allclose(model.probability(x[:5000]), clf.predict_proba(x[:5000])[:, 1], atol=1e-6):
        raise AssertionError("exported trees disagree with scikit-learn")
    return model


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps([np.asarray(p).round(6).tolist() if isinstance(p, np.ndarray) else p
                                      for p in parts]).encode()).hexdigest()[:12]

