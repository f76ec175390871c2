"""The line model: fitted on the labelled lines, scored out of fold (folds by page), its threshold chosen."""

from __future__ import annotations

import numpy as np

from cleaner.bodyscore import shingle_scores
from cleaner.evaluate import score
from cleaner.train_lines.pages import Page

FOLDS = 5
# The operating point: among thresholds whose mean page keep of must-keep snippets (out of
# fold) is at least KEEP_TARGET, the one with the best WCXB 4-shingle F1.
KEEP_TARGET = 0.93
THRESHOLDS = np.round(np.arange(0.10, 0.71, 0.02), 2)
# A snippet page labels a handful of its lines, a WCXB page all of them: a snippet-labelled line
# weighs three, so that the second set, other languages and news pages, is heard (measured out
# of fold: snippet keep 0.931 -> 0.941 at threshold 0.3, WCXB F1 unchanged).
SNIPPET_WEIGHT = 3.0
_ESTIMATOR = dict(max_iter=200, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=40, l2_regularization=1.0,
                  random_state=0)


def _fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**_ESTIMATOR).fit(x, y, sample_weight=weight)


def _labelled(pages: list[Page]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stacked labelled lines: features, labels, weights."""
    rows = [(p.inputs[p.labels >= 0], p.labels[p.labels >= 0], SNIPPET_WEIGHT if p.source == "snippets" else 1.0)
            for p in pages]
    return (np.vstack([r[0] for r in rows]), np.concatenate([r[1] for r in rows]),
            np.concatenate([np.full(len(r[1]), r[2]) for r in rows]))


def out_of_fold(pages: list[Page]) -> list[np.ndarray]:
    """P(story) of every line of every page from a model that did not see the page in any of its
    dumps (folds by page: `Page.group`)."""
    probability: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in range(FOLDS):
        model = _fit(*_labelled([p for p in pages if p.group % FOLDS != fold]))
        for k, page in enumerate(pages):
            if page.group % FOLDS == fold:
                probability[k] = model.predict_proba(page.inputs)[:, 1]
    return probability


def _choose_threshold(pages: list[Page], probability: list[np.ndarray]) -> tuple[float, dict]:
    """The threshold with the best mean WCXB 4-shingle F1 among those whose mean page keep of
    must-keep snippets is at least KEEP_TARGET (the lowest threshold if none reaches it)."""
    best, best_scores = float(THRESHOLDS[0]), {"f1": -1.0}
    for threshold in THRESHOLDS:
        scores = evaluate_pages(pages, [p >= threshold for p in probability])
        if scores["keep"] >= KEEP_TARGET and scores["f1"] > best_scores["f1"]:
            best, best_scores = float(threshold), scores
    if best_scores["f1"] < 0:
        best_scores = evaluate_pages(pages, [p >= best for p in probability])
    return best, best_scores


def evaluate_pages(pages: list[Page], keep: list[np.ndarray]) -> dict:
    """WCXB 4-shingle P/R/F1 (means over pages) and snippet keep/drop of these line decisions."""
    precision, recall, kept, dropped = [], [], [], []
    for page, k in zip(pages, keep):
        out = page.output(k)
        if page.source == "wcxb":
            p, r = shingle_scores(out, page.reference)
            precision.append(p)
            recall.append(r)
        else:
            s = score(out, page.keep, page.drop)
            if s.kept is not None:
                kept.append(s.kept)
            if s.dropped is not None:
                dropped.append(s.dropped)
    p, r = _mean(precision), _mean(recall)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "keep": round(_mean(kept), 4), "drop": round(_mean(dropped), 4)}


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else 0.0

