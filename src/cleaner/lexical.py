"""A line's words as evidence: a linear model over the words and word pairs of each dump line.

The line model (cleaner.linefeatures) judges a line by its shape and place; what it says is not
in it. Boilerplate has its own vocabulary in every language ('Weitere Informationen', 'min read',
'Most popular', 'Alle Rechte vorbehalten', a month and a year under a teaser), which twenty
rule files cannot list. This model reads it: each line's words and word pairs (case folded)
are hashed into 2**HASH_BITS slots (crc32, so the same on every machine and Python), scored by
a logistic regression trained with the line model (`cleaner train-lines`), and the line's score
and its neighbours' become three more features of the line model (stacked: the line model
learns from scores the lexical model gave out of fold).

It reads the languages it learnt from (its info's `languages`: those of at least
MIN_PAGES training pages; English, German, Spanish and French in the dev sets). Elsewhere a
line's words are unseen and its score is near the intercept's, a confident 'boilerplate' that
no evidence supports: text mode judges a page in another language by the line model without
lexical columns (cleaner.region.TextModels). Words of scripts written without spaces (Chinese,
Japanese, Thai) are not hashed: such a line is one run of letters that no other line shares.
"""

from __future__ import annotations

import base64
import json
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise

import numpy as np

from cleaner.normalize import SPACED_WORD

MODEL_FILE = "text_lexical.json"
HASH_BITS = 18
_MASK = (1 << HASH_BITS) - 1
STORED = "<f2"  # the weights' type in the model file
FEATURES = ("lex", "lex_prev", "lex_next")
EDGE = -1.0  # the line before the first, after the last
MIN_PAGES = 15  # a language the model reads had at least this many training pages


def terms(text: str) -> list[int]:
    """The hashed slots of a line's words and word pairs, each once, in ascending order."""
    words = SPACED_WORD.findall(text.casefold())
    found = {zlib.crc32(w.encode("utf-8")) & _MASK for w in words}
    found.update(zlib.crc32(f"{a} {b}".encode()) & _MASK for a, b in pairwise(words))
    return sorted(found)


def term_rows(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lines as a sparse matrix's parts (CSR: values, column indices, row pointers): each
    present slot weighs 1/sqrt(the line's slots), so that a long line is not louder than a short one."""
    values: list[float] = []
    columns: list[int] = []
    pointers = [0]
    for text in texts:
        slots = terms(text)
        if slots:
            columns += slots
            values += [1.0 / math.sqrt(len(slots))] * len(slots)
        pointers.append(len(columns))
    return np.array(values, dtype=float), np.array(columns, dtype=np.int64), np.array(pointers, dtype=np.int64)


@dataclass(frozen=True)
class LexicalModel:
    weights: np.ndarray  # one per slot
    intercept: float
    info: dict

    @property
    def version(self) -> str:
        return str(self.info.get("version", "unversioned"))

    def reads(self, language: str) -> bool:
        """Whether the model learnt the language (ISO 639-1) from enough pages to read it."""
        return language in self.info.get("languages", ())

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """P(story) of each line from its words alone."""
        values, columns, pointers = term_rows(texts)
        if not len(texts):
            return np.zeros(0)
        sums = np.zeros(len(texts))
        if len(columns):
            row = np.repeat(np.arange(len(texts)), np.diff(pointers))
            np.add.at(sums, row, values * self.weights[columns])
        return 1.0 / (1.0 + np.exp(-(sums + self.intercept)))

    def to_json(self) -> str:
        return json.dumps({"hash_bits": HASH_BITS, "intercept": self.intercept, "info": self.info,
                           "weights": base64.b64encode(self.weights.astype(STORED).tobytes()).decode("ascii")})


def context(scores: np.ndarray) -> np.ndarray:
    """The line model's lexical columns (FEATURES) from each line's score: its own and the line
    before and after (EDGE beyond the page's first and last line). Measured on one fold of the
    dev pages against six columns (these and the means over 2 and 5 lines and over the page):
    F1 0.909 / snippet keep 0.955 / drop 0.862 against 0.915 / 0.938 / 0.858, and the means kept
    a neutral widget under the story because the story above it lifted them."""
    if len(scores) == 0:
        return np.zeros((0, len(FEATURES)))
    edge = np.array([EDGE])
    return np.column_stack([scores, np.concatenate([edge, scores[:-1]]), np.concatenate([scores[1:], edge])])


def from_json(text: str) -> LexicalModel:
    data = json.loads(text)
    if data.get("hash_bits") != HASH_BITS:
        raise ValueError(f"lexical model hashed into 2**{data.get('hash_bits')} slots, this code reads 2**{HASH_BITS}")
    weights = np.frombuffer(base64.b64decode(data["weights"]), dtype=STORED).astype(float)
    return LexicalModel(weights, float(data["intercept"]), data.get("info", {}))


@cache
def load_lexical_model() -> LexicalModel | None:
    """The shipped model, or None when it is not there."""
    path = resources.files("cleaner").joinpath("models", MODEL_FILE)
    if not path.is_file():
        return None
    return from_json(path.read_text(encoding="utf-8"))
