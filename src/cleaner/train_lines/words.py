"""The lexical model: a logistic regression over each line's hashed words and word pairs
(cleaner.lexical), fitted on the labelled lines; its out-of-fold scores are the line model's
lexical features in training, as its scores of unseen pages are at cleaning."""

from __future__ import annotations

from collections import Counter

import numpy as np

from cleaner.lexical import HASH_BITS, MIN_PAGES, STORED, LexicalModel, term_rows
from cleaner.train_lines.export_trees import _digest
from cleaner.train_lines.fit import FOLDS, SNIPPET_WEIGHT
from cleaner.train_lines.pages import Page

# Measured out of fold (dev pages, 5 folds by page, nearly one page per site): the line model
# with these scores as features, WCXB 4-shingle F1 0.918 -> 0.924, snippet drop 0.842 -> 0.869.
_ESTIMATOR = dict(loss="log_loss", alpha=2e-6, max_iter=20, tol=None, random_state=0)


def _matrix(pages: list[Page]):
    from scipy.sparse import csr_matrix

    values, columns, pointers = term_rows([b.text for page in pages for b in page.blocks])
    return csr_matrix((values, columns, pointers), shape=(len(pointers) - 1, 1 << HASH_BITS))


def _fit(pages: list[Page]):
    from sklearn.linear_model import SGDClassifier

    labelled = [(page, page.labels >= 0) for page in pages]
    x = _matrix(pages)[np.concatenate([known for _, known in labelled])]
    y = np.concatenate([page.labels[known] for page, known in labelled])
    weight = np.concatenate([np.full(int(known.sum()), SNIPPET_WEIGHT if page.source == "snippets" else 1.0)
                             for page, known in labelled])
    return SGDClassifier(**_ESTIMATOR).fit(x, y, sample_weight=weight)


def out_of_fold(pages: list[Page]) -> list[np.ndarray]:
    """Each line's lexical score from a model that did not see its page (folds by `Page.group`)."""
    scores: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in range(FOLDS):
        model = _fit([p for p in pages if p.group % FOLDS != fold])
        held = [k for k, p in enumerate(pages) if p.group % FOLDS == fold]
        if not held:
            continue
        probability = model.predict_proba(_matrix([pages[k] for k in held]))[:, 1]
        at = 0
        for k in held:
            scores[k], at = probability[at:at + len(pages[k].blocks)], at + len(pages[k].blocks)
    return scores


def languages(pages: list[Page]) -> list[str]:
    """The languages of at least MIN_PAGES training pages (a page's dumps by several tools count once)."""
    seen = Counter(language for language, _ in {(p.language, p.group) for p in pages if p.language})
    return sorted(language for language, n in seen.items() if n >= MIN_PAGES)


def fit_lexical(pages: list[Page], command: str) -> LexicalModel:
    """The model on every labelled line, as shipped (checked against scikit-learn's scores)."""
    clf = _fit(pages)
    weights = clf.coef_[0].astype(STORED).astype(float)  # as stored
    model = LexicalModel(weights, float(clf.intercept_[0]), {
        "version": _digest(weights[:: 1 << 8], float(clf.intercept_[0]), sorted(_ESTIMATOR.items())),
        "trained_on": f"the line model's labelled lines of {len(pages)} dev dumps",
        "estimator": f"sklearn SGDClassifier({_ESTIMATOR}) on 2**{HASH_BITS} crc32 slots of words and word pairs",
        "command": command,
        "languages": languages(pages),
    })
    sample = pages[: 50]
    texts = [b.text for page in sample for b in page.blocks]
    if texts and not np.allclose(model.scores(texts), clf.predict_proba(_matrix(sample))[:, 1], atol=5e-3):
        raise AssertionError("the lexical model's scores disagree with scikit-learn")
    return model
