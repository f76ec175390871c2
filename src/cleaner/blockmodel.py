"""A statistical second opinion on the blocks of a plain-text page dump.

Rules name the boilerplate they know ("Check also;", a cookie banner); a page dump also
carries menus, footers, teaser lists and widgets in words no rule lists. Those differ from
story text in shape: short lines in runs, few function words, no sentence punctuation, far
from the story's long paragraphs, next to blocks the rules already cut. This module turns
each block into such shape features and scores it with a small gradient-boosted tree model
whose trees ship as JSON in `models/` (trained by `cleaner train-blocks`, see
`cleaner.train_blocks`). Only numpy is needed to apply it.

The features are language-aware through stop-word lists (jusText's, 100 languages); the
density of function words is the strongest single signal for running text, as jusText
showed (Pomikálek 2011).
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Sequence

import numpy as np

from cleaner.normalize import SIMPLE_WORD
from cleaner.record import Block, BlockKind, Removal

MODEL_FILE = "text_blocks.json"
BLOCK_SHAPE = "block_shape"  # the removal category of the model's cuts
_WORD = SIMPLE_WORD  # \w+, each Chinese, Japanese or Thai letter a word of its own
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
_CAPITALISED = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž]")
_LINKISH = re.compile(r"https?://|www\.|@\w|\.(?:com|org|net|de|fr|es)\b", re.I)
_SEPARATORS = re.compile(r"[|»›•·/>]")
_PROSE_WORDS = 30

# ISO 639-1 (what py3langid returns) -> jusText's stop-list names.
_STOPLIST_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian",
    "ms": "Malay", "nb": "Norwegian_Bokmal", "nl": "Dutch", "nn": "Norwegian_Nynorsk",
    "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili",
    "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}

FEATURES = (
    "log_chars", "log_words", "stopword_density", "has_stoplist", "sentence_end", "capitalised_share",
    "digit_share", "symbol_share", "separators", "linkish", "copyright",
    "is_heading", "is_list_item", "is_quote", "is_title",
    "rel_position", "before_story", "after_story", "log_blocks_to_prose", "prose_share_after",
    "log_short_run", "page_repeats", "chars_vs_max", "log_page_blocks",
    "prev_log_chars", "next_log_chars", "window_log_chars", "window_stopwords", "window_sentence_end",
    "rule_cut_prev", "rule_cut_next", "rule_cut_window", "log_blocks_to_rule_cut",
)


@lru_cache(maxsize=64)
def stoplist(language: str) -> frozenset[str] | None:
    name = _STOPLIST_NAMES.get(language)
    if name is None:
        return None
    import justext

    try:
        return frozenset(w.casefold() for w in justext.get_stoplist(name))
    except ValueError:
        return None


def page_language(blocks: Sequence[Block]) -> str:
    import py3langid

    text = " ".join(b.text for b in blocks)[:20_000]
    return py3langid.classify(text)[0] if text.strip() else ""


def features(blocks: Sequence[Block], cut: dict[int, Removal], language: str) -> np.ndarray:
    """One row of FEATURES per block; `cut`: the blocks the rules already cut (by index).

    Plain Python per block (NumPy only for whole columns): a NumPy call on a window of four
    numbers costs more than the arithmetic. Window means add their values in index order and
    divide by the count, as np.mean does on so few values, so the floats are the same."""
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    stops = stoplist(language)
    words = [_WORD.findall(b.text.casefold()) for b in blocks]
    chars = [len(b.text) for b in blocks]
    log_chars = np.log1p(np.array(chars, dtype=float)).tolist()
    density = [
        (sum(map(stops.__contains__, ws)) / len(ws) if ws else 0.0) if stops else 0.3 for ws in words
    ]
    sentence = [1.0 if _SENTENCE_END.search(b.text.rstrip()) else 0.0 for b in blocks]
    prose = [i for i, ws in enumerate(words) if len(ws) >= _PROSE_WORDS and sentence[i] and i not in cut]
    first, last = (prose[0], prose[-1]) if prose else (n, -1)
    short = [len(ws) <= 4 and not sentence[i] for i, ws in enumerate(words)]
    run = _run_lengths(short)
    counts = Counter(b.text for b in blocks)
    is_cut = [1.0 if i in cut else 0.0 for i in range(n)]
    is_prose = np.zeros(n)
    is_prose[prose] = 1.0
    prose_after = np.cumsum(is_prose[::-1])[::-1].tolist()
    cut_at = sorted(cut)
    total_prose = max(len(prose), 1)
    max_chars = max(float(max(chars)), 1.0)
    log_blocks = math.log1p(n)
    has_stoplist = 1.0 if stops else 0.0

    rows = []
    for i, block in enumerate(blocks):
        text = block.text
        length = max(len(text), 1)
        tokens = text.split()
        window = [j for j in range(max(0, i - 2), min(n, i + 3)) if j != i]
        to_prose = _nearest(prose, i, n, skip_self=False)
        to_cut = _nearest(cut_at, i, n, skip_self=True)
        alnum, space = sum(map(str.isalnum, text)), sum(map(str.isspace, text))  # no character is both
        rows.append((
            log_chars[i], math.log1p(len(words[i])), density[i], has_stoplist, sentence[i],
            len(list(filter(_CAPITALISED.match, tokens))) / max(len(tokens), 1),
            sum(map(str.isdigit, text)) / length,
            (len(text) - alnum - space) / length,
            float(len(_SEPARATORS.findall(text))), 1.0 if _LINKISH.search(text) else 0.0,
            1.0 if "©" in text or "(c)" in text.casefold() else 0.0,
            float(block.kind is BlockKind.HEADING), float(block.kind is BlockKind.LIST_ITEM),
            float(block.kind is BlockKind.QUOTE), float(block.kind is BlockKind.TITLE),
            i / max(n - 1, 1), float(i < first), float(i > last), math.log1p(to_prose),
            prose_after[i] / total_prose,
            math.log1p(run[i]), float(counts[text] - 1), chars[i] / max_chars, log_blocks,
            log_chars[i - 1] if i > 0 else 0.0, log_chars[i + 1] if i + 1 < n else 0.0,
            _mean(log_chars, window), _mean(density, window), _mean(sentence, window),
            is_cut[i - 1] if i > 0 else 1.0, is_cut[i + 1] if i + 1 < n else 1.0,
            _mean(is_cut, window), math.log1p(to_cut),
        ))
    return np.array(rows, dtype=float)


def _mean(values: list[float], window: list[int]) -> float:
    """The mean of values[window], added left to right (0.0 for an empty window)."""
    total = 0.0
    for j in window:
        total += values[j]
    return total / len(window) if window else 0.0


def _nearest(positions: list[int], i: int, default: int, skip_self: bool) -> int:
    """Distance from i to the nearest of the sorted `positions` (other than i itself if skip_self)."""
    k = bisect_left(positions, i)
    best = default
    for j in (k - 1, k, k + 1):
        if 0 <= j < len(positions) and not (skip_self and positions[j] == i):
            best = min(best, abs(positions[j] - i))
    return best


def _run_lengths(flags: Sequence[bool]) -> list[int]:
    """For each position, the length of the run of True it sits in (0 where False)."""
    out = [0] * len(flags)
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        for k in range(i, j):
            out[k] = j - i
        i = j
    return out


@dataclass(frozen=True)
class TreeModel:
    """Gradient-boosted regression trees on the log-odds scale (scikit-learn's layout)."""

    features: tuple[str, ...]
    init: float
    learning_rate: float
    trees: tuple[dict, ...]  # feature, threshold, left, right, value (arrays)
    threshold: float  # cut a block when P(boilerplate) >= threshold
    info: dict

    @property
    def rule_id(self) -> str:
        return f"block_shape.model_{self.info.get('version', 'unversioned')}"

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(boilerplate) of each row of block features.

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
            out = np.full((len(self.trees), width), fill, dtype=dtype)
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
    def from_json(cls, text: str) -> "TreeModel":
        data = json.loads(text)
        trees = tuple({
            "feature": np.array(t["feature"], dtype=int), "threshold": np.array(t["threshold"], dtype=float),
            "left": np.array(t["left"], dtype=int), "right": np.array(t["right"], dtype=int),
            "value": np.array(t["value"], dtype=float), "depth": int(t["depth"]),
        } for t in data["trees"])
        return cls(tuple(data["features"]), float(data["init"]), float(data["learning_rate"]), trees,
                   float(data["threshold"]), data.get("info", {}))


@lru_cache(maxsize=1)
def load_model() -> TreeModel | None:
    """The shipped model, or None when there is none (then only the rules cut)."""
    path = resources.files("cleaner").joinpath("models", MODEL_FILE)
    if not path.is_file():
        return None
    model = TreeModel.from_json(path.read_text(encoding="utf-8"))
    if model.features != FEATURES:
        raise ValueError(f"{MODEL_FILE} was trained on other features; retrain with `cleaner train-blocks`")
    return model
