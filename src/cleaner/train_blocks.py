"""Train the block model (cleaner.blockmodel) on a labelled page set: `cleaner train-blocks DATASET`.

Reproducible in one command, deterministic (fixed seeds, ordered inputs):

1. Pages: the *dev* part of the dataset only (cleaner.evaluate.split_of), never the held-out
   part, which stays for `cleaner eval --split heldout`.
2. Each page becomes what text mode sees: the HTML rendered to a plain-text dump with
   inscriptis (every visible block, boilerplate included), decoded and split into blocks
   exactly as the pipeline does, and cut by the rules (cleaner.strip.rule_cuts).
3. Labels come from the page's snippets: a block the rules left is boilerplate (1) if a
   must-drop snippet lies in it or it lies in one, story text (0) likewise for must-keep
   snippets; blocks with neither (or both) are not used.
4. scikit-learn's GradientBoostingClassifier (shallow trees) is fitted with both classes
   weighted equally. The cut threshold is the one that maximises the mean page drop while
   the mean page keep stays at or above `--keep-target` (0.95), both scored exactly as
   `cleaner eval` scores text mode (must-keep / must-drop snippets found in the page's
   output after the rules and the model), with out-of-fold probabilities for every block
   (5 folds grouped by page): the operating point is chosen on pages the trees did not see.
5. The trees are written as JSON to src/cleaner/models/text_blocks.json (numpy applies them;
   scikit-learn is needed only here, in the `train` dependency group).
"""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cleaner.blockmodel import FEATURES, MODEL_FILE, TreeModel, features, page_language
from cleaner.config import CleanConfig
from cleaner.evaluate import contains, init_worker, load_cases, norm, page_article, score, worker_rules
from cleaner.pipeline import stages
from cleaner.record import Article, Format, Reject
from cleaner.strip import rule_cuts

MODEL_PATH = Path(__file__).with_name("models") / MODEL_FILE
_MIN_CHARS = 12  # a block this short inside a snippet is too generic to label
# Text-mode keep the threshold must hold on dev (out of fold): the issue asks >= 0.93 on pages
# the model has not seen; 0.95 leaves room for the pages it will meet.
KEEP_TARGET = 0.95


def page_blocks(html_bytes: bytes, rules) -> tuple[Article, dict] | None:
    """The text-mode view of one page: (article with blocks, rule cuts), or None if rejected."""
    import inscriptis

    step = dict(stages(CleanConfig(block_model=False), rules))  # the model being (re)trained is not read
    page = step["decode"](Article(id="p", source="p.html", format=Format.HTML, input_format="html", raw=html_bytes))
    if isinstance(page, Reject):
        return None
    dump = inscriptis.get_text(page.text)
    article = step["decode"](Article(id="p", source="p.txt", format=Format.TEXT, input_format="text",
                                     raw=dump.encode("utf-8")))
    if not isinstance(article, Reject):
        article = step["extract"](article)
    if isinstance(article, Reject):
        return None
    return article, rule_cuts(article, rules)


def label_blocks(blocks, cut, keep: list[str], drop: list[str]) -> list[int | None]:
    keep_n = [k for k in (norm(s) for s in keep) if k]
    drop_n = [d for d in (norm(s) for s in drop) if d]
    labels: list[int | None] = []
    for i, block in enumerate(blocks):
        if i in cut:
            labels.append(None)
            continue
        text = norm(block.text)

        def hit(snippets: list[str]) -> bool:
            return any(s in text or (len(text) >= _MIN_CHARS and text in s) for s in snippets)

        is_keep, is_drop = hit(keep_n), hit(drop_n)
        labels.append(1 if is_drop and not is_keep else 0 if is_keep and not is_drop else None)
    return labels


@dataclass(frozen=True)
class Page:
    """One dev page as the trainer sees it: block features and labels, and what `cleaner eval`
    scores (the block texts, the rule cuts, the snippets the unchanged dump contains)."""
    id: str
    x: np.ndarray
    labels: list[int | None]
    texts: tuple[str, ...]
    cut: frozenset[int]
    keep: tuple[str, ...]
    drop: tuple[str, ...]

    def output(self, probability: np.ndarray, threshold: float) -> str:
        """The page's text after the rules and the model at this threshold."""
        return "\n\n".join(t for i, t in enumerate(self.texts) if i not in self.cut and probability[i] < threshold)


def _page_rows(case) -> Page | None:
    found = page_blocks(page_article(case).raw, worker_rules())
    if found is None:
        return None
    article, cut = found
    labels = label_blocks(article.blocks, cut, list(case.keep), list(case.drop))
    if not any(label is not None for label in labels):
        return None
    x = features(article.blocks, cut, page_language(article.blocks))
    dump = norm("\n".join(b.text for b in article.blocks))
    # Judged as `cleaner eval` judges text mode: only the snippets the unchanged dump holds.
    return Page(case.id, x, labels, tuple(b.text for b in article.blocks), frozenset(cut),
                tuple(s for s in case.keep if contains(dump, s)), tuple(s for s in case.drop if contains(dump, s)))


def build_pages(dataset: Path | str, jobs: int | None = None) -> tuple[list[Page], int]:
    """Per dev page with labelled blocks: (page id, features of all its blocks, their labels)."""
    cases = [c for c in load_cases(dataset) if c.split == "dev"]
    with ProcessPoolExecutor(max_workers=jobs, initializer=init_worker) as pool:
        pages = [found for found in pool.map(_page_rows, cases, chunksize=4) if found is not None]
    return pages, len(cases)


def _labelled(pages: list[Page]):
    """Stacked labelled rows: x, y, page index per row."""
    xs, ys, index = [], [], []
    for k, page in enumerate(pages):
        rows = [i for i, label in enumerate(page.labels) if label is not None]
        xs.append(page.x[rows])
        ys.extend(page.labels[i] for i in rows)
        index.extend([k] * len(rows))
    return np.vstack(xs), np.array(ys), np.array(index)


def _export(clf, threshold: float, info: dict) -> TreeModel:
    trees = []
    for estimator in clf.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append({
            "feature": tree.feature.astype(int), "threshold": tree.threshold.astype(float),
            "left": tree.children_left.astype(int), "right": tree.children_right.astype(int),
            "value": tree.value[:, 0, 0].astype(float), "depth": int(tree.max_depth),
        })
    prior = float(np.clip(clf.init_.class_prior_[1], 1e-9, 1 - 1e-9))
    return TreeModel(FEATURES, float(np.log(prior / (1 - prior))), float(clf.learning_rate), tuple(trees),
                     threshold, info)


THRESHOLDS = np.round(np.arange(0.30, 0.91, 0.02), 2)


def _choose_threshold(pages: list[Page], probabilities: list[np.ndarray], keep_target: float) -> tuple[float, dict]:
    """The threshold with the highest mean page drop among those whose mean page keep is at
    least `keep_target`, both scored as `cleaner eval` scores text mode (snippets found in the
    output), on out-of-fold probabilities; of equal drops, the one that keeps more. Returns it
    and its (keep, drop)."""
    best, best_scores = float(THRESHOLDS[-1]), {"keep": 0.0, "drop": -1.0}
    for threshold in THRESHOLDS:
        scores = [score(page.output(p, threshold), page.keep, page.drop) for page, p in zip(pages, probabilities)]
        kept = _mean([s.kept for s in scores if s.kept is not None])
        dropped = _mean([s.dropped for s in scores if s.dropped is not None])
        if kept >= keep_target and (dropped, kept) > (best_scores["drop"], best_scores["keep"]):
            best, best_scores = float(threshold), {"keep": round(kept, 4), "drop": round(dropped, 4)}
    return best, best_scores


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else 0.0


def train(dataset: Path | str, out: Path | str = MODEL_PATH, jobs: int | None = None, keep_target: float = KEEP_TARGET,
          trees: int = 200, depth: int = 3) -> dict:
    from sklearn.ensemble import GradientBoostingClassifier

    started = time.monotonic()
    pages, n_pages = build_pages(dataset, jobs)
    folds = 5

    def fitted(x, y):
        weights = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
        return GradientBoostingClassifier(n_estimators=trees, max_depth=depth, learning_rate=0.1, subsample=0.8,
                                          random_state=0).fit(x, y, sample_weight=weights)

    x, y, index = _labelled(pages)
    fold_of = index % folds  # pages are in dataset order; folds interleave them
    oof = np.zeros(len(y))
    page_oof: list[np.ndarray] = [np.zeros(0)] * len(pages)  # every block of each page, labelled or not
    for fold in range(folds):
        test = fold_of == fold
        model = fitted(x[~test], y[~test])
        oof[test] = model.predict_proba(x[test])[:, 1]
        for k in range(fold, len(pages), folds):
            page_oof[k] = model.predict_proba(pages[k].x)[:, 1]
    threshold, oof_scores = _choose_threshold(pages, page_oof, keep_target)
    clf = fitted(x, y)

    digest = hashlib.sha256(json.dumps([x.round(6).tolist(), y.tolist(), threshold, trees, depth]).encode()).hexdigest()[:12]
    info = {
        "version": digest,
        "trained_on": f"{Path(dataset).name}: dev split, {len(pages)} of {n_pages} pages with labelled blocks",
        "blocks": int(len(y)), "boilerplate_blocks": int(y.sum()),
        "estimator": f"sklearn GradientBoostingClassifier(n_estimators={trees}, max_depth={depth}, "
                     "learning_rate=0.1, subsample=0.8, random_state=0), classes weighted equally",
        "threshold_rule": f"max mean page drop with mean page keep >= {keep_target}, snippets scored as "
                          f"`cleaner eval` scores text mode, on {folds}-fold out-of-fold probabilities (folds by page)",
        "command": f"cleaner train-blocks {dataset}",
    }
    model = _export(clf, threshold, info)
    if not np.allclose(model.probability(x[:2000]), clf.predict_proba(x[:2000])[:, 1], atol=1e-6):
        raise AssertionError("exported trees disagree with scikit-learn")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(model.to_json() + "\n", encoding="utf-8")
    cutting = oof >= threshold
    importances = sorted(zip(FEATURES, clf.feature_importances_), key=lambda t: -t[1])
    return {
        **info, "threshold": threshold, "out": str(out), "seconds": round(time.monotonic() - started, 1),
        "oof_block_keep": float(np.mean(~cutting[y == 0])), "oof_block_drop": float(np.mean(cutting[y == 1])),
        "oof_page_keep": oof_scores["keep"], "oof_page_drop": oof_scores["drop"],
        "top_features": [(name, round(float(v), 3)) for name, v in importances[:10]],
    }
