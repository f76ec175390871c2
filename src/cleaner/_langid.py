"""Speed: py3langid's answer with its byte automaton walked by NumPy, every position at once."""

# A speed trick beside its plain reference, `py3langid.classify`; tests/test_langid.py holds the
# two equal (language and score) on real pages, the repository's inputs and random bytes, and
# checks every move of the automaton for the property below.
#
# py3langid counts the n-gram features of a text by walking a byte automaton (Aho-Corasick: a
# state is the longest suffix of the bytes read so far that is the start of some feature) one
# byte at a time in Python: about half of what a call costs, ~2.5 ms for 10,000 bytes (the rest
# is mostly the scoring's matrix product, left as it is). A state is at most DEPTH bytes long,
# so the state after byte i depends on bytes i-DEPTH+1 .. i alone: walking those from the start
# state gives it. That is DEPTH array steps over all positions at once instead of one Python
# step per byte. The scoring after the count is py3langid's own
# expression, with the features in the same order, so the score comes out the same to the bit.
# (Text windows are unchanged: on the WCXB dev pages a 5,000- or 10,000-character prefix changed
# one published language in ~2,000 articles; benchmarks/language.py.)

from __future__ import annotations

from functools import lru_cache

import numpy as np
import py3langid
from py3langid import langid

_SHORT = 256  # bytes: below this py3langid's own walk is as fast


@lru_cache(maxsize=1)
def _automaton():
    """(identifier, transitions, row offsets, output feature per state, two-byte table, DEPTH)."""
    ident = langid._get_identifier()
    moves = np.asarray(ident.tk_nextmove)
    rows = np.asarray(ident._rowbase, dtype=np.uint32)
    out = np.asarray(ident.tk_output, dtype=np.int32)
    depth = _depth(moves, rows)
    byte = np.arange(256, dtype=np.uint32)
    first = moves[rows[0] + byte]
    two = moves[(rows[first][:, None] + byte[None, :]).ravel()]  # the state after bytes (a, b) from the start
    return ident, moves, rows, out, two, depth


def _depth(moves: np.ndarray, rows: np.ndarray) -> int:
    """The most bytes any state stands for: the longest shortest path from the start state."""
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    byte = np.arange(256, dtype=np.uint32)
    while True:
        reached = np.zeros(len(rows), dtype=bool)
        for chunk in np.array_split(frontier, 1 + len(frontier) // 4096):  # bounds the temporary arrays
            reached[moves[(rows[chunk][:, None] + byte).ravel()]] = True
        new = reached & ~seen
        if not new.any():
            return depth
        seen |= new
        frontier, depth = np.flatnonzero(new), depth + 1


def classify(text: str) -> tuple[str, float]:
    """py3langid.classify(text): the language (ISO 639-1) and its score."""
    ident, moves, rows, out, two, depth = _automaton()
    if ident._norm_probs or ident.min_confidence is not None:  # not how the library is set up
        return py3langid.classify(text)
    data = ident._encode(text)
    if len(data) < max(_SHORT, 2 * depth) or depth < 2:
        visits = langid.visit_counts(ident.tk_nextmove, ident._rowbase, ident.tk_output, data)
        if not visits:
            return py3langid.classify(text)
        idx = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
        counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
    else:
        features = out[_states(np.frombuffer(data, dtype=np.uint8), ident, moves, rows, two, depth)]
        features = features[features >= 0]
        if not len(features):
            return py3langid.classify(text)
        # py3langid's Counter lists the features in the order they first occur: the same order
        # here, so that the sum below adds in the same order and rounds the same
        found, first, count = np.unique(features, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        idx = found[order].astype(np.intp)
        counts = count[order].astype(np.float32)
    scores = np.log1p(counts) @ ident.nb_ptc[idx] + ident.nb_pc
    for i, j in ident._alias_pairs:  # a label with two columns (srl -> sr): the better one counts
        scores[i] = max(scores[i], scores[j])
        scores[j] = langid.RAW_FLOOR
    best = int(scores.argmax())
    return ident.nb_classes[best], float(scores[best])


def _states(data: np.ndarray, ident, moves: np.ndarray, rows: np.ndarray, two: np.ndarray, depth: int) -> np.ndarray:
    """The automaton's state after each byte."""
    head, state = [], 0
    for letter in data[: depth - 1].tolist():  # the first bytes have fewer before them: walked one by one
        state = ident.tk_nextmove[ident._rowbase[state] + letter]
        head.append(state)
    m = len(data) - depth + 1  # every later byte: its last `depth` bytes walked from the start state
    states = two[(data[:m].astype(np.uint32) << 8) | data[1:m + 1]]
    for k in range(2, depth):
        states = moves[rows[states] + data[k:k + m]]
    return np.concatenate([np.asarray(head, dtype=states.dtype), states])
