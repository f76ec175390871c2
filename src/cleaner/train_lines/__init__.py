"""Train text mode's models: `cleaner train-lines WCXB_DIR SNIPPETS_DIR`.

Reproducible in one command, deterministic (fixed seeds, ordered inputs), scikit-learn only here
(the `train` dependency group); cleaning applies the exported trees with NumPy (cleaner.trees).

1. Pages: the *dev* part of both development sets, never their held-out part (pages whose
   domain, for WCXB, or URL, for the snippets set, hashes into the held-out 20 %:
   cleaner.evaluate.split_of), which stays for `cleaner eval --split heldout`.
2. Each page becomes what text mode sees: its HTML decoded and rendered to a plain-text dump
   (every visible block, boilerplate included) by each of cleaner.dumps's tools (inscriptis, a
   renderer; BeautifulSoup's get_text, a line per text node; a browser's copy of the page as
   shown), then decoded and split into lines exactly as the pipeline does. A page's dumps are
   in one fold.
3. Labels. WCXB articles (a human-reviewed reference text each): a line of four words or more
   is story when half its word 4-shingles are in the reference; a shorter one when its words
   stand in the reference between the places of the story lines around it. Snippet pages: a
   line holding a must-keep snippet (or held by one) is story, likewise must-drop, others unused.
4. The lexical model (cleaner.lexical: each line's hashed words -> P(story)), a logistic
   regression on the labelled lines (`words.py`); it reads the languages of at least
   lexical.MIN_PAGES pages.
   The line models (-> P(story)): scikit-learn's HistGradientBoostingClassifier, on the lines
   of every dump, once on linefeatures.FEATURES (the shape model, for pages in other languages)
   and once with the lexical model's out-of-fold scores of each line and its neighbours too
   (region.FEATURES). Each threshold is chosen on 5-fold out-of-fold probabilities (folds by
   page) of the inscriptis dumps, scored as `cleaner eval` scores text mode (`_choose_threshold`).
5. The headline model (headline.FEATURES -> P(the page's headline)) is fitted on the lines
   near the story's start of the WCXB articles' inscriptis dumps, with the line model's out-of-fold
   probabilities as a feature, so it learns from what cleaning will really see, and on each
   page's story alone (no headline to find, so none may be given). Its threshold is the lowest
   at which at most 2.5 % of the stories alone get a title, out of fold, folds by site.
6. All are written as JSON to src/cleaner/models/ and checked against scikit-learn.
"""

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from cleaner import lexical, region
from cleaner.dumps import DUMPERS
from cleaner.linefeatures import FEATURES as SHAPE_FEATURES
from cleaner.linefeatures import RULES_DIGEST, rules_digest
from cleaner.rules import load_rules
from cleaner.train_lines import words
from cleaner.train_lines.export_trees import _checked, _digest, export
from cleaner.train_lines.fit import (
    _ESTIMATOR,
    FOLDS,
    KEEP_TARGET,
    _choose_threshold,
    _fit,
    _labelled,
    evaluate_pages,
    out_of_fold,
)
from cleaner.train_lines.labels import label_by_reference, label_by_snippets
from cleaner.train_lines.pages import Page, build_pages, dump_blocks
from cleaner.train_lines.title import _train_title
from cleaner.trees import TreeModel

__all__ = [
    "LINE_MODEL", "MODELS", "SHAPE_MODEL", "TITLE_MODEL", "Page", "build_pages", "dump_blocks", "evaluate_pages",
    "export", "label_by_reference", "label_by_snippets", "out_of_fold", "train",
]

MODELS = Path(__file__).parent.with_name("models")
LINE_MODEL, SHAPE_MODEL, TITLE_MODEL = region.MODEL_FILE, region.SHAPE_MODEL_FILE, "text_title.json"
DEFAULT_DUMPER = next(iter(DUMPERS))  # inscriptis, as `cleaner eval` dumps a page


def train(wcxb: Path | str, snippets: Path | str, out: Path | str = MODELS, jobs: int | None = None) -> dict:
    """Fit, choose, export and check the models; returns what was measured out of fold."""
    started = time.monotonic()
    pages = build_pages(wcxb, snippets, jobs)
    command = f"cleaner train-lines {wcxb} {snippets}"
    # The operating points and the headline model on the dumps `cleaner eval` scores (inscriptis);
    # the line models learn from every tool's dumps.
    by_dumper: dict[str, list[int]] = {}  # each tool's pages, by index, the tools in build order
    for k, page in enumerate(pages):
        by_dumper.setdefault(page.dumper, []).append(k)
    word_model = words.fit_lexical(pages, command)
    paired = {RULES_DIGEST: rules_digest(load_rules()), "lexical_model": word_model.version}
    # The line model without words first (pages in languages the lexical model does not read),
    # then with them: it learns from the lexical model's out-of-fold scores of each line.
    shape_model, shape_probability = _line_model(pages, by_dumper, SHAPE_FEATURES, command, paired)
    for page, scores in zip(pages, words.out_of_fold(pages)):
        page.words = lexical.context(scores)
    # A line is story when both take it for story (region.TextModels): the line model's
    # threshold is chosen on the lower of the two probabilities.
    line_model, _ = _line_model(pages, by_dumper, region.FEATURES, command, paired,
                                (shape_probability, word_model.reads))

    # The headline model reads the shape model's verdicts, as at cleaning (region.find_story).
    title_pages = [(pages[k], shape_probability[k]) for k in by_dumper[DEFAULT_DUMPER]
                   if pages[k].source == "wcxb" and pages[k].title]
    title_model, _ = _train_title(title_pages, shape_model.threshold, shape_model, command)
    title_model = replace(title_model, info={**title_model.info, RULES_DIGEST: paired[RULES_DIGEST]})

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / LINE_MODEL).write_text(line_model.to_json() + "\n", encoding="utf-8")
    (out / SHAPE_MODEL).write_text(shape_model.to_json() + "\n", encoding="utf-8")
    (out / TITLE_MODEL).write_text(title_model.to_json() + "\n", encoding="utf-8")
    (out / lexical.MODEL_FILE).write_text(word_model.to_json() + "\n", encoding="utf-8")
    return {"line_model": line_model.info, "shape_model": shape_model.info, "title_model": title_model.info,
            "lexical_model": word_model.info, "seconds": round(time.monotonic() - started, 1), "out": str(out)}


def _line_model(pages: list[Page], by_dumper: dict[str, list[int]], features: tuple[str, ...], command: str,
                paired: dict, beside: tuple[list[np.ndarray], Callable[[str], bool]] | None = None,
                ) -> tuple[TreeModel, list[np.ndarray]]:
    """A line model on `pages`' inputs (`Page.inputs`, named by `features`), exported and checked
    against scikit-learn, and its out-of-fold probabilities of every page. `beside`: the
    shape model's out-of-fold probabilities and which languages the lexical model reads; then
    the threshold, the scores and the probabilities returned are cleaning's: the lower of the
    two on a page in a language read, the shape model's on another."""
    probability = out_of_fold(pages)
    if beside is not None:
        shape, reads = beside
        probability = [np.minimum(mine, theirs) if reads(page.language) else theirs
                       for mine, theirs, page in zip(probability, shape, pages)]
    first = by_dumper[DEFAULT_DUMPER]
    threshold, oof_scores = _choose_threshold([pages[k] for k in first], [probability[k] for k in first])
    others = {name: evaluate_pages([pages[k] for k in ks], [probability[k] >= threshold for k in ks])
              for name, ks in by_dumper.items() if name != DEFAULT_DUMPER}
    x, y, weight = _labelled(pages)
    clf = _fit(x, y, weight)
    counts = Counter(pages[k].source for k in first)
    info = {
        "version": _digest(x, y, threshold, sorted(_ESTIMATOR.items())),
        "trained_on": f"dev split: {counts['wcxb']} WCXB articles, {counts['snippets']} snippet pages, each "
                      f"dumped by {', '.join(by_dumper)} (cleaner.dumps)",
        "lines": len(y), "story_lines": int(y.sum()),
        "estimator": f"sklearn HistGradientBoostingClassifier({_ESTIMATOR})",
        "threshold_rule": f"best WCXB 4-shingle F1 with snippet keep >= {KEEP_TARGET}, {FOLDS}-fold out of fold, "
                          f"on the {DEFAULT_DUMPER} dumps" + (", of the lower of its and the shape model's "
                                                              "probabilities" if beside is not None else ""),
        "out_of_fold": oof_scores, "out_of_fold_other_dumps": others, "command": command, **paired,
    }
    return _checked(export(clf, features, threshold, info), clf, x), probability
