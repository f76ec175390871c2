"""Train text mode's two models: `cleaner train-lines WCXB_DIR SNIPPETS_DIR`.

Reproducible in one command, deterministic (fixed seeds, ordered inputs), scikit-learn only here
(the `train` dependency group); cleaning applies the exported trees with NumPy (cleaner.trees).

1. Pages: the *dev* part of both development sets, never their held-out part (pages whose
   domain, for WCXB, or URL, for the snippets set, hashes into the held-out 20 %:
   cleaner.evaluate.split_of), which stays for `cleaner eval --split heldout`.
2. Each page becomes what text mode sees: its HTML decoded and rendered to a plain-text dump
   with inscriptis (every visible block, boilerplate included), then decoded and split into
   lines exactly as the pipeline does.
3. Labels. WCXB articles (a human-reviewed reference text each): a line of four words or more
   is story when half its word 4-shingles are in the reference; a shorter one when its words
   stand in the reference between the places of the story lines around it. Snippet pages: a
   line holding a must-keep snippet (or held by one) is story, likewise must-drop, others unused.
4. The line model (linefeatures.FEATURES -> P(story)): scikit-learn's
   HistGradientBoostingClassifier. Its threshold is chosen on 5-fold out-of-fold probabilities
   (folds by page), scored as `cleaner eval` scores text mode (see `_choose_threshold`).
5. The headline model (headline.FEATURES -> P(the page's headline)) is fitted on the lines
   near the story's start of the WCXB articles, with the line model's out-of-fold
   probabilities as a feature, so it learns from what cleaning will really see, and on each
   page's story alone (no headline to find, so none may be given). Its threshold maximises
   right minus wrong and invented titles, out of fold.
6. Both are written as JSON to src/cleaner/models/ and checked against scikit-learn.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cleaner import headline
from cleaner.bodyscore import shingle_scores
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.evaluate import contains, norm, score, split_of
from cleaner.extract import split_text
from cleaner.linefeatures import FEATURES, features, page_language, rule_hits
from cleaner.normalize import key
from cleaner.record import Article, Block, Format
from cleaner.rules import RuleSet, load_rules
from cleaner.trees import TreeModel

MODELS = Path(__file__).with_name("models")
LINE_MODEL, TITLE_MODEL = "text_lines.json", "text_title.json"
FOLDS = 5
_TOKEN = re.compile(r"\w+")
_MIN_CHARS = 12  # a line this short inside a snippet is too generic to label by it
_SLACK = 5  # reference tokens a short line may stand beyond the story lines around it
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

_RULES: RuleSet | None = None


@dataclass
class Page:
    """One development page as the trainer sees it."""

    id: str
    source: str  # "wcxb" | "snippets"
    blocks: tuple[Block, ...]
    x: np.ndarray
    labels: np.ndarray  # 1 story, 0 boilerplate, -1 not labelled
    reference: str = ""  # WCXB: the reference text
    title: str = ""  # WCXB: the page's headline
    keep: tuple[str, ...] = ()  # snippets the unchanged dump holds
    drop: tuple[str, ...] = ()

    def output(self, keep: np.ndarray) -> str:
        return "\n".join(b.text for b, k in zip(self.blocks, keep) if k)


# --- pages -------------------------------------------------------------------------------------


def dump_blocks(html: bytes) -> tuple[Block, ...]:
    """The lines text mode gets for one HTML page: decoded, rendered by inscriptis, split."""
    import inscriptis

    page = decode(Article(id="p", source="p.html", format=Format.HTML, input_format="html", raw=html),
                  max_bytes=CleanConfig().max_bytes)
    if not isinstance(page, Article):
        return ()
    dump = decode(Article(id="p", source="p.txt", format=Format.TEXT, input_format="text",
                          raw=inscriptis.get_text(page.text).encode("utf-8")), max_bytes=CleanConfig().max_bytes)
    return tuple(split_text(dump.text)) if isinstance(dump, Article) else ()


def label_by_reference(blocks: tuple[Block, ...], reference: str) -> np.ndarray:
    """1 for a line of the reference text, 0 for any other (see the module docstring).

    A short line counts only where its words stand in the reference between the story lines
    around it: 'Overview' in a menu above the story is not the story's 'Overview' heading."""
    ref = _TOKEN.findall(reference.casefold())
    first_at: dict[tuple[str, ...], int] = {}
    for i in range(len(ref) - 3):
        first_at.setdefault(tuple(ref[i:i + 4]), i)
    n = len(blocks)
    labels = np.zeros(n, dtype=int)
    place: list[tuple[int, int] | None] = [None] * n  # where a story line's shingles stand: first, last
    tokens = [_TOKEN.findall(b.text.casefold()) for b in blocks]
    for i, words in enumerate(tokens):
        if len(words) < 4:
            continue
        hits = [first_at[g] for g in (tuple(words[j:j + 4]) for j in range(len(words) - 3)) if g in first_at]
        if len(hits) * 2 >= len(words) - 3:
            labels[i], place[i] = 1, (min(hits), max(hits))
    for i, words in enumerate(tokens):
        if len(words) >= 4 or not words:
            continue
        before = next((place[j][1] for j in range(i - 1, -1, -1) if place[j] is not None), None)
        after = next((place[j][0] for j in range(i + 1, n) if place[j] is not None), None)
        if before is None and after is None:
            continue
        lo = 0 if before is None else max(before - _SLACK, 0)
        hi = len(ref) if after is None else after + _SLACK
        labels[i] = int(_occurs(ref, words, lo, hi))
    return labels


def _occurs(tokens: list[str], seq: list[str], lo: int, hi: int) -> bool:
    """Whether `seq` stands in tokens, starting between lo and hi."""
    last = min(hi, len(tokens) - len(seq))
    return any(tokens[i] == seq[0] and tokens[i:i + len(seq)] == seq for i in range(lo, last + 1))


def label_by_snippets(blocks: tuple[Block, ...], keep: list[str], drop: list[str]) -> np.ndarray:
    """1 for a line that holds a must-keep snippet (or lies in one), 0 likewise for must-drop,
    -1 for a line with neither or both."""
    keep_n = [k for k in map(norm, keep) if k]
    drop_n = [d for d in map(norm, drop) if d]

    def hit(text: str, snippets: list[str]) -> bool:
        return any(s in text or (len(text) >= _MIN_CHARS and text in s) for s in snippets)

    labels = []
    for block in blocks:
        text = norm(block.text)
        is_keep, is_drop = hit(text, keep_n), hit(text, drop_n)
        labels.append(1 if is_keep and not is_drop else 0 if is_drop and not is_keep else -1)
    return np.array(labels, dtype=int)


def _init() -> None:
    global _RULES
    import warnings

    from bs4 import XMLParsedAsHTMLWarning

    warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
    _RULES = load_rules()


def _read(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def _wcxb_page(args: tuple[str, str]) -> Page | None:
    folder, file_id = args
    truth = json.loads(gzip.decompress((Path(folder) / "truth" / f"{file_id}.json.gz").read_bytes()))
    blocks = dump_blocks(_read(Path(folder) / "pages" / f"{file_id}.html.gz"))
    if not blocks or not truth.get("main_content"):
        return None
    x = features(blocks, rule_hits(blocks, _RULES), page_language(blocks))
    return Page(f"wcxb:{file_id}", "wcxb", blocks, x, label_by_reference(blocks, truth["main_content"]),
                reference=truth["main_content"], title=truth.get("title") or "")


def _snippet_page(args: tuple[str, dict]) -> Page | None:
    folder, row = args
    blocks = dump_blocks(_read(Path(folder) / "pages" / row["file"]))
    if not blocks:
        return None
    dump = norm("\n".join(b.text for b in blocks))
    keep = [s for s in row.get("with") or () if contains(dump, s)]  # judged as `cleaner eval` judges text mode
    drop = [s for s in row.get("without") or () if contains(dump, s)]
    labels = label_by_snippets(blocks, keep, drop)
    if not (labels >= 0).any():
        return None
    x = features(blocks, rule_hits(blocks, _RULES), page_language(blocks))
    return Page(f"snippets:{row['url']}", "snippets", blocks, x, labels, keep=tuple(keep), drop=tuple(drop))


def build_pages(wcxb: Path | str, snippets: Path | str, jobs: int | None = None) -> list[Page]:
    """The dev-split pages of both sets: WCXB articles first, then snippet pages, each in file order."""
    wcxb, snippets = Path(wcxb), Path(snippets)
    index = json.loads((wcxb / "index.json").read_text(encoding="utf-8"))
    wcxb_jobs = [(str(wcxb), e["file_id"]) for e in index
                 if e["page_type"] == "article" and split_of(e["domain"]) == "dev"]
    lines = (snippets / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    snippet_jobs = [(str(snippets), row) for row in rows if split_of(row["url"]) == "dev"]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init) as pool:
        pages = list(pool.map(_wcxb_page, wcxb_jobs, chunksize=4))
        pages += list(pool.map(_snippet_page, snippet_jobs, chunksize=4))
    return [p for p in pages if p is not None]


# --- fitting ----------------------------------------------------------------------------------


def _fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**_ESTIMATOR).fit(x, y, sample_weight=weight)


def _labelled(pages: list[Page]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stacked labelled lines: features, labels, weights."""
    rows = [(p.x[p.labels >= 0], p.labels[p.labels >= 0], SNIPPET_WEIGHT if p.source == "snippets" else 1.0)
            for p in pages]
    return (np.vstack([r[0] for r in rows]), np.concatenate([r[1] for r in rows]),
            np.concatenate([np.full(len(r[1]), r[2]) for r in rows]))


def out_of_fold(pages: list[Page]) -> list[np.ndarray]:
    """P(story) of every line of every page from a model that did not see the page (folds by page)."""
    probability: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in range(FOLDS):
        model = _fit(*_labelled([p for k, p in enumerate(pages) if k % FOLDS != fold]))
        for k in range(fold, len(pages), FOLDS):
            probability[k] = model.predict_proba(pages[k].x)[:, 1]
    return probability


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


def _checked(model: TreeModel, clf, x: np.ndarray) -> TreeModel:
    if not np.allclose(model.probability(x[:5000]), clf.predict_proba(x[:5000])[:, 1], atol=1e-6):
        raise AssertionError("exported trees disagree with scikit-learn")
    return model


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps([np.asarray(p).round(6).tolist() if isinstance(p, np.ndarray) else p
                                      for p in parts]).encode()).hexdigest()[:12]


def train(wcxb: Path | str, snippets: Path | str, out: Path | str = MODELS, jobs: int | None = None) -> dict:
    """Fit, choose, export and check both models; returns what was measured out of fold."""
    started = time.monotonic()
    pages = build_pages(wcxb, snippets, jobs)
    probability = out_of_fold(pages)
    threshold, oof_scores = _choose_threshold(pages, probability)
    x, y, weight = _labelled(pages)
    clf = _fit(x, y, weight)
    command = f"cleaner train-lines {wcxb} {snippets}"
    counts = Counter(p.source for p in pages)
    line_info = {
        "version": _digest(x, y, threshold, sorted(_ESTIMATOR.items())),
        "trained_on": f"dev split: {counts['wcxb']} WCXB articles, {counts['snippets']} snippet pages",
        "lines": len(y), "story_lines": int(y.sum()),
        "estimator": f"sklearn HistGradientBoostingClassifier({_ESTIMATOR})",
        "threshold_rule": f"best WCXB 4-shingle F1 with snippet keep >= {KEEP_TARGET}, {FOLDS}-fold out of fold",
        "out_of_fold": oof_scores, "command": command,
    }
    line_model = _checked(export(clf, FEATURES, threshold, line_info), clf, x)

    title_pages = [(p, q) for p, q in zip(pages, probability) if p.source == "wcxb" and p.title]
    title_model, _ = _train_title(title_pages, threshold, clf, command)

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / LINE_MODEL).write_text(line_model.to_json() + "\n", encoding="utf-8")
    (out / TITLE_MODEL).write_text(title_model.to_json() + "\n", encoding="utf-8")
    return {"line_model": line_info, "title_model": title_model.info,
            "seconds": round(time.monotonic() - started, 1), "out": str(out)}


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
            x_story = features(story, rule_hits(story, _RULES or load_rules()), page_language(story))
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
