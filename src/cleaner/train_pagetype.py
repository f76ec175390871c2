"""Train the page-type models of html mode: `cleaner train-pagetype WCXB_DIR SNIPPETS_DIR`.

Reproducible in one command, deterministic; scikit-learn only here (the `train` group), the
exported trees are applied with NumPy (cleaner.trees, cleaner.extract.pagetype).

Two models from one run: one reads the page's markup (extract.pagetype.FEATURES), the other its
markup and its second reading (+ READING_FEATURES: what text mode's line model finds in the
page's shown text). Cleaning asks the second wherever html mode reads the page a second time
(the default), the first where it does not (`--no-second-reading`, no text models).

1. Pages: the *dev* part of the WCXB development set (domains hashed by evaluate.split_of; the
   held-out part stays for `cleaner eval --split heldout`), and the dev part of the snippet
   pages (trafilatura's evaluation pages, nearly all articles: more sites and languages on
   the article side).
2. Each page is decoded and read exactly as extract_html reads it (extract.html.page_type_inputs):
   the same features, the same code, the shipped text models. Pages too large to parse,
   without main text or over the time budget are left out (the pipeline rejects them before
   the model is asked); the reading model learns from the pages that show text.
3. Labels: WCXB listing and collection pages 1; WCXB articles, forum pages and snippet pages
   0. A forum thread is not the target either way (its posts are its content, not teasers),
   but left untrained the model took 16 % of them for listings (out of fold), against 3 %
   trained as pages to keep, for 0.02 to 0.04 of listing recall: forums stay as they were.
4. scikit-learn's HistGradientBoostingClassifier; probabilities out of fold, folds by site (a
   site's pages all in one fold, so the model is scored on sites it never saw). The threshold
   is the lowest at which at most ARTICLE_LIMIT of the WCXB articles, and of the snippet
   pages, are rejected out of fold: protecting articles is the harder half.
5. Written as JSON to src/cleaner/models/page_type.json and page_type_reading.json, checked
   against scikit-learn, each with a check row: the features and probability of CHECK_PAGE,
   which tests recompute at cleaning.

The line models read the dev pages they were trained on, so the reading's features are a
little surer of an article's story there than on unseen pages: the held-out pages
(`cleaner eval --split heldout`) say what the second model rejects.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from cleaner.budget import DocumentTimeout, cpu_time_limit
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.evaluate import split_of
from cleaner.evaluate.run import init_worker, worker_rules
from cleaner.extract.guards import markup_size, refuse
from cleaner.extract.html import page_type_inputs
from cleaner.extract.pagetype import FEATURES, MODEL_FILE, READING_FEATURES, READING_MODEL_FILE
from cleaner.record import Article, Format
from cleaner.region import TextModels, load_text_models
from cleaner.rules import RuleSet, load_rules
from cleaner.train_lines.export_trees import _checked, _digest, export
from cleaner.train_lines.pages import _read
from cleaner.trees import TreeModel

MODELS = Path(__file__).with_name("models")
LABELS = {"article": 0, "forum": 0, "listing": 1, "collection": 1}  # WCXB page types
FOLDS = 5
# Out of fold, the model rejects at most this share of the articles: the pipeline's other rules
# already reject about as many WCXB dev articles as not_an_article (3 of 559: no main text, no
# paragraph), and the target is 1 % in all. At 0.5 % of WCXB and snippet articles pooled the
# threshold was 0.76: 64 % of listing and collection pages, but 1.3 % of the articles in all.
ARTICLE_LIMIT = 0.005
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.01), 2)
# Shallow trees: 170 listing and collection pages to learn from. Measured out of fold (4 fold
# assignments by site, recall of listing and collection pages at 1 % of articles rejected):
# depth 3 x 300 0.725; 8 leaves x 200 0.704; depth 2 x 500 0.707; class weights balanced 0.706.
_ESTIMATOR = dict(max_iter=300, learning_rate=0.05, max_depth=3, max_leaf_nodes=None, min_samples_leaf=10,
                  l2_regularization=1.0, random_state=0)
# Features that may only raise (+1) or only lower (-1) the probability of a listing: more teasers
# never make a page more of an article, a longer story never less. Without them the model hedged
# on textbook listings (many WCXB articles are listicles) and scored out of fold a little lower
# (recall at 0.5 % of articles 0.593 vs 0.632, 4 fold assignments). The second reading's four
# (the `reading_` ones; out of fold, 4 fold assignments by site, recall of listing / collection
# pages at 0.5 % of articles rejected: 0.434 / 0.693 with the markup alone, 0.546 / 0.750 with
# these four, monotonic; 0.517 / 0.741 with a fifth, the share of lines ending a sentence).
MORE_LISTING = (
    "page_link_share", "title_link_share", "teaser_items", "teaser_share", "teaser_items_total",
    "title_link_run", "linked_heading_run", "lone_prose_paragraphs", "og_website", "ld_collection",
    "url_section", "main_link_share", "main_link_blocks", "prices_log", "controls_per_100_words",
    "og_product", "ld_product", "reading_teasers", "reading_dates")
LESS_LISTING = (
    "prose_group_share", "prose_group_words_log", "long_page_paragraphs", "og_article", "ld_article",
    "published_time", "title_words", "h1_words", "slug_words", "url_date", "main_long_paragraphs",
    "main_share_of_page", "main_max_paragraph_words", "main_prose_run_words_log",
    "reading_story_share", "reading_story_p")


def monotonic(features: tuple[str, ...]) -> list[int]:
    """Each feature's constraint for scikit-learn: +1 only raises P(listing), -1 only lowers it."""
    return [1 if f in MORE_LISTING else -1 if f in LESS_LISTING else 0 for f in features]


# A small page of teasers, never a development page: the trainer records its features and
# probability in the model file, and the tests recompute them through extract_html's own path.
CHECK_PAGE = """<html><head><title>World news</title><meta property="og:type" content="website">
<link rel="canonical" href="https://news.example/category/world/"></head><body>
<nav><a href="/">Home</a> <a href="/world/">World</a> <a href="/sport/">Sport</a></nav><main><h1>World</h1>
""" + "".join(f"""<article class="teaser"><h2><a href="/2026/05/0{i}/story-number-{i}-of-the-day">Story number {i}
of the day in the world news</a></h2><p>A short summary of story {i}, two lines long, the way a listing shows
it before the reader clicks through.</p><time>May {i}, 2026</time></article>""" for i in range(1, 9)) + """
</main><footer><p>© News Example</p></footer></body></html>"""

def html_features(raw: bytes, rules: RuleSet, models: TextModels | None = None) -> np.ndarray | None:
    """One HTML page's features as cleaning computes them, with its second reading's where
    `models` are given; None where the pipeline rejects the page before the model is asked
    (undecodable, too complex, no main text) or, with `models`, the page shows no text."""
    config = CleanConfig()
    article = decode(Article(id="p", source="p.html", format=Format.HTML, input_format="html", raw=raw),
                     max_bytes=config.max_bytes)
    if not isinstance(article, Article):
        return None
    depth, elements = markup_size(article.text)
    if refuse(article, depth, elements, config.max_html_depth, config.max_html_elements) is not None:
        return None
    x = page_type_inputs(article, rules, depth, models)
    return None if x is None else x[0]


_MODELS: TextModels | None = None  # text mode's models, loaded once per worker process


def _init() -> None:
    global _MODELS
    init_worker()
    _MODELS = load_text_models()


def _page(args: tuple[str, str, str, str, str]) -> tuple[str, str, str, str, np.ndarray | None, np.ndarray | None]:
    """A page's row: its id, source, type and site, its markup's features and those with its reading."""
    path, page_id, source, page_type, group = args
    raw = _read(Path(path))
    try:
        with cpu_time_limit(CleanConfig().max_seconds_per_document):
            read = html_features(raw, worker_rules(), _MODELS)
            x = read[:len(FEATURES)] if read is not None else html_features(raw, worker_rules())
    except DocumentTimeout:  # the pipeline gives up on such a page (timeout) before the model is asked
        x = read = None
    return page_id, source, page_type, group, x, read


def build_rows(wcxb: Path | str, snippets: Path | str | None, jobs: int | None = None) -> list[tuple]:
    """(id, source, page type, site, features, features with the reading) of every dev page:
    WCXB first, then snippet pages."""
    wcxb = Path(wcxb)
    index = json.loads((wcxb / "index.json").read_text(encoding="utf-8"))
    work = [(str(wcxb / "pages" / f"{e['file_id']}.html.gz"), e["file_id"], "wcxb", e["page_type"], e["domain"])
            for e in index if split_of(e["domain"]) == "dev"]
    if snippets is not None:
        snippets = Path(snippets)
        for line in (snippets / "cases.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row is not None and split_of(row["url"]) == "dev":
                work.append((str(snippets / "pages" / row["file"]), row["url"], "snippets", "article",
                             row["url"].split("/")[2] if "//" in row["url"] else row["url"]))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init) as pool:
        return list(pool.map(_page, work, chunksize=4))


def _fit(x: np.ndarray, y: np.ndarray, features: tuple[str, ...]):
    """The model on rows whose columns are `features` (they say which are monotonic)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**_ESTIMATOR, monotonic_cst=monotonic(features)).fit(x, y)


def _folds(groups: list[str]) -> np.ndarray:
    """A fold per site: its sites in order of first appearance, dealt round the folds."""
    order = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    return np.array([order[g] % FOLDS for g in groups])


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: list[str], features: tuple[str, ...]) -> np.ndarray:
    """P(listing) of every row from a model that saw none of its site's pages."""
    fold = _folds(groups)
    probability = np.zeros(len(y))
    for k in range(FOLDS):
        model = _fit(x[fold != k], y[fold != k], features)
        probability[fold == k] = model.predict_proba(x[fold == k])[:, 1]
    return probability


def rejected_shares(probability: np.ndarray, kinds: list[str], threshold: float) -> dict[str, float]:
    """Share of each kind of page (WCXB page type, or `snippets`) at or over the threshold."""
    kinds_array = np.array(kinds)
    return {kind: round(float((probability[kinds_array == kind] >= threshold).mean()), 4)
            for kind in sorted(set(kinds))}


def choose_threshold(probability: np.ndarray, kinds: list[str], limit: float = ARTICLE_LIMIT) -> float:
    """The lowest threshold at which at most `limit` of the WCXB articles, and of the snippet
    pages, are rejected (each set on its own: the WCXB articles are where the target is measured)."""
    sets = [probability[np.array(kinds) == kind] for kind in ("article", "snippets")]
    for threshold in THRESHOLDS:
        if all((s >= threshold).mean() <= limit for s in sets if len(s)):
            return float(threshold)
    return float(THRESHOLDS[-1])


def tradeoff(probability: np.ndarray, kinds: list[str]) -> dict[str, dict[str, float]]:
    """What other article limits would have cost and bought, out of fold."""
    return {f"{limit:.1%}": {"threshold": (t := choose_threshold(probability, kinds, limit)),
                             **rejected_shares(probability, kinds, t)} for limit in (0.005, 0.01, 0.02, 0.05)}


def train(wcxb: Path | str, snippets: Path | str | None, out: Path | str = MODELS, jobs: int | None = None) -> dict:
    """Fit, choose, export and check both page-type models; returns what was measured out of fold."""
    started = time.monotonic()
    rows = build_rows(wcxb, snippets, jobs)
    command = f"cleaner train-pagetype {wcxb} {snippets or ''}".strip()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = {}
    for name, column, features, file in (("markup", 4, FEATURES, MODEL_FILE),
                                         ("reading", 5, FEATURES + READING_FEATURES, READING_MODEL_FILE)):
        model = _train_one([r for r in rows if r[column] is not None], column, features, command)
        (out / file).write_text(model.to_json() + "\n", encoding="utf-8")
        report[name] = {**model.info, "threshold": model.threshold}
    return {**report, "seconds": round(time.monotonic() - started, 1), "out": str(out)}


def _train_one(rows: list[tuple], column: int, features: tuple[str, ...], command: str) -> TreeModel:
    """One page-type model on the rows' features in `column`, exported and checked."""
    x = np.vstack([r[column] for r in rows])
    kinds = [r[2] if r[1] == "wcxb" else "snippets" for r in rows]
    y = np.array([LABELS.get(k, 0) for k in kinds])
    probability = out_of_fold(x, y, [r[3] for r in rows], features)
    threshold = choose_threshold(probability, kinds)
    clf = _fit(x, y, features)
    check = html_features(CHECK_PAGE.encode("utf-8"), load_rules(),
                          load_text_models() if len(features) > len(FEATURES) else None)
    if check is None:
        raise AssertionError("the check page has no main text")
    mono = monotonic(features)
    info = {
        "version": _digest(x, y, threshold, sorted(_ESTIMATOR.items()), mono),
        "trained_on": f"dev split: {dict(sorted(Counter(kinds).items()))}",
        "estimator": f"sklearn HistGradientBoostingClassifier({_ESTIMATOR}), monotonic: "
                     f"+{[f for f in features if f in MORE_LISTING]} -{[f for f in features if f in LESS_LISTING]}",
        "threshold_rule": f"lowest with at most {ARTICLE_LIMIT:.1%} of the WCXB articles and of the snippet pages "
                          f"rejected, {FOLDS}-fold by site",
        "out_of_fold_rejected": rejected_shares(probability, kinds, threshold),
        "out_of_fold_tradeoff": tradeoff(probability, kinds),
        "command": command,
    }
    model = _checked(export(clf, features, threshold, info), clf, x)
    info["check"] = {"features": [round(float(v), 6) for v in check],
                     "probability": round(float(model.probability(check[None, :])[0]), 6)}
    return model
