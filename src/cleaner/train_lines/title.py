"""The headline model: fitted on the lines near each story's start, with the line model's verdicts as a feature."""

from __future__ import annotations

import numpy as np

from cleaner import headline
from cleaner.extract import split_text
from cleaner.linefeatures import features, page_language, rule_hits
from cleaner.normalize import key
from cleaner.rules import load_rules
from cleaner.train_lines import pages as _pages  # its _RULES: the rules a worker process loaded
from cleaner.train_lines.export_trees import _checked, _digest, export
from cleaner.train_lines.fit import _ESTIMATOR, FOLDS, _fit
from cleaner.train_lines.pages import Page
from cleaner.trees import TreeModel


def _title_rows(pages: list[tuple[Page, np.ndarray]], threshold: float, line_model) -> list[tuple]:
    """Candidates of every page: (page index, line index, features, is the headline). Each page
    also comes as its story alone (the reference text's lines, no headline on them), whose
    candidates are all negatives, so that the model learns that a dump may state no headline;
    its rows carry the page's index negated minus one."""
    rows = []
    for k, (page, probability) in enumerate(pages):
        truth = key(page.title)
        for i, x in headline.candidates(page.blocks, page.x, probability, threshold):
            rows.append((k, i, x, int(key(page.blocks[i].text) == truth)))
        story = tuple(split_text(page.reference))
        if story:
            x_story = features(story, rule_hits(story, _pages._RULES or load_rules()), page_language(story))
            for i, x in headline.candidates(story, x_story, line_model.predict_proba(x_story)[:, 1], threshold):
                rows.append((-k - 1, i, x, 0))
    return rows


def _train_title(pages: list[tuple[Page, np.ndarray]], line_threshold: float, line_model,
                 command: str) -> tuple[TreeModel, dict]:
    rows = _title_rows(pages, line_threshold, line_model)
    page_of = np.array([r[0] if r[0] >= 0 else -r[0] - 1 for r in rows])
    x = np.array([r[2] for r in rows])
    y = np.array([r[3] for r in rows])
    oof = np.zeros(len(y))
    for fold in range(FOLDS):
        test = page_of % FOLDS == fold
        oof[test] = _fit(x[~test], y[~test]).predict_proba(x[test])[:, 1]
    best, best_scores = 0.0, {"net": -1.0}
    for threshold in np.round(np.arange(0.0, 0.91, 0.05), 2):
        scores = _title_scores(rows, oof, threshold, len(pages))
        if scores["net"] > best_scores["net"]:
            best, best_scores = float(threshold), scores
    clf = _fit(x, y)
    info = {
        "version": _digest(x, y, best, sorted(_ESTIMATOR.items())),
        "trained_on": f"dev split: {len(pages)} WCXB articles with a title, and each one's story alone "
                      f"(no headline), {len(y)} candidate lines",
        "estimator": f"sklearn HistGradientBoostingClassifier({_ESTIMATOR})",
        "threshold_rule": "most right titles minus wrong or invented ones (a title equal to the reference after "
                          "normalize.key), out of fold; no title below it",
        "out_of_fold": best_scores, "command": command,
    }
    return _checked(export(clf, headline.FEATURES, best, info), clf, x), best_scores


def _title_scores(rows: list[tuple], probability: np.ndarray, threshold: float, pages: int) -> dict:
    """Of the pages with a headline: share right, share wrong; of their stories alone: share
    given a title anyway (invented); net = right - wrong - invented."""
    best: dict[int, tuple[float, int]] = {}
    for (k, _, _, y), p in zip(rows, probability):
        if p >= threshold and p > best.get(k, (-1.0, 0))[0]:
            best[k] = (p, y)
    right = sum(1 for k, (_, y) in best.items() if k >= 0 and y) / pages
    wrong = sum(1 for k, (_, y) in best.items() if k >= 0 and not y) / pages
    invented = sum(1 for k in best if k < 0) / pages
    return {"right": round(right, 4), "wrong": round(wrong, 4), "invented": round(invented, 4),
            "net": round(right - wrong - invented, 4)}
