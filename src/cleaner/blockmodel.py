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
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy as np

from cleaner.record import Block, BlockKind, Removal

MODEL_FILE = "text_blocks.json"
BLOCK_SHAPE = "block_shape"  # the removal category of the model's cuts
_WORD = re.compile(r"\w+")
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
    """One row of FEATURES per block; `cut`: the blocks the rules already cut (by index)."""
    n = len(blocks)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    stops = stoplist(language)
    words = [_WORD.findall(b.text.casefold()) for b in blocks]
    chars = np.array([len(b.text) for b in blocks], dtype=float)
    log_chars = np.log1p(chars)
    density = np.array([
        (sum(w in stops for w in ws) / len(ws) if ws else 0.0) if stops else 0.3 for ws in words
    ])
    sentence = np.array([1.0 if _SENTENCE_END.search(b.text.rstrip()) else 0.0 for b in blocks])
    prose = [i for i, ws in enumerate(words) if len(ws) >= _PROSE_WORDS and sentence[i] and i not in cut]
    first, last = (prose[0], prose[-1]) if prose else (n, -1)
    short = [len(ws) <= 4 and not sentence[i] for i, ws in enumerate(words)]
    run = _run_lengths(short)
    counts = Counter(b.text for b in blocks)
    is_cut = np.array([1.0 if i in cut else 0.0 for i in range(n)])
    is_prose = np.zeros(n)
    is_prose[prose] = 1.0
    prose_after = np.cumsum(is_prose[::-1])[::-1]
    cut_at = sorted(cut)
    total_prose = max(len(prose), 1)

    rows = []
    for i, block in enumerate(blocks):
        text = block.text
        ws = words[i]
        tokens = text.split()
        lo, hi = max(0, i - 2), min(n, i + 3)
        window = [j for j in range(lo, hi) if j != i]
        to_prose = _nearest(prose, i, n, skip_self=False)
        to_cut = _nearest(cut_at, i, n, skip_self=True)
        rows.append((
            log_chars[i], math.log1p(len(ws)), density[i], 1.0 if stops else 0.0, sentence[i],
            sum(bool(_CAPITALISED.match(t)) for t in tokens) / max(len(tokens), 1),
            sum(ch.isdigit() for ch in text) / max(len(text), 1),
            sum(not ch.isalnum() and not ch.isspace() for ch in text) / max(len(text), 1),
            float(len(_SEPARATORS.findall(text))), 1.0 if _LINKISH.search(text) else 0.0,
            1.0 if "©" in text or "(c)" in text.casefold() else 0.0,
            float(block.kind is BlockKind.HEADING), float(block.kind is BlockKind.LIST_ITEM),
            float(block.kind is BlockKind.QUOTE), float(block.kind is BlockKind.TITLE),
            i / max(n - 1, 1), float(i < first), float(i > last), math.log1p(to_prose),
            prose_after[i] / total_prose,
            math.log1p(run[i]), float(counts[text] - 1), chars[i] / max(chars.max(), 1.0), math.log1p(n),
            log_chars[i - 1] if i > 0 else 0.0, log_chars[i + 1] if i + 1 < n else 0.0,
            float(np.mean(log_chars[window])) if window else 0.0,
            float(np.mean(density[window])) if window else 0.0,
            float(np.mean(sentence[window])) if window else 0.0,
            is_cut[i - 1] if i > 0 else 1.0, is_cut[i + 1] if i + 1 < n else 1.0,
            float(np.mean(is_cut[window])) if window else 0.0, math.log1p(to_cut),
        ))
    return np.array(rows, dtype=float)


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
        """P(boilerplate) of each row of block features."""
        if x.shape[0] == 0:
            return np.zeros(0)
        score = np.full(x.shape[0], self.init)
        rows = np.arange(x.shape[0])
        for tree in self.trees:
            node = np.zeros(x.shape[0], dtype=int)
            feature, threshold, left, right, value = (tree[k] for k in ("feature", "threshold", "left", "right", "value"))
            for _ in range(tree["depth"]):
                leaf = left[node] < 0
                go_left = x[rows, np.where(leaf, 0, feature[node])] <= threshold[node]
                node = np.where(leaf, node, np.where(go_left, left[node], right[node]))
            score += self.learning_rate * value[node]
        return 1.0 / (1.0 + np.exp(-score))

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
