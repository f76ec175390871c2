"""The NumPy walk of py3langid's automaton (cleaner/_langid.py) gives py3langid's own answer.

The plain reference is `py3langid.classify`. The speed trick finds the automaton's state after
every byte at once from the bytes just before it. Both must give the same language and the same
score, to the bit, on the repository's inputs, the decode tests' texts, the WCXB dev pages'
reference texts where ../shared/eval-data has them, and random bytes and letters.
"""

from __future__ import annotations

import gzip
import json
import random

import numpy as np
import py3langid
import pytest
from py3langid import langid

from cleaner import _langid
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.discover import discover, read
from cleaner.record import Article
from tests import test_decode
from tests.conftest import RAW, ROOT

WCXB = ROOT / ".." / "shared" / "eval-data" / "wcxb-dev" / "truth"


def _raw_texts() -> list[str]:
    texts = []
    for article in discover(RAW).articles:
        got = read(article, RAW, CleanConfig().max_bytes)
        if isinstance(got, Article):
            done = decode(got, CleanConfig().max_bytes)
            if isinstance(done, Article):
                texts += [done.text, done.text[:20_000], done.text[:300]]
    return texts


def _random_texts() -> list[str]:
    rng = random.Random(5)
    words = "der die und the of and le la de el y на и в 的 是 ٱل في ob ja".split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 400))) for _ in range(100)]
    texts += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000))).decode("latin-1") for _ in range(100)]
    texts += ["", " ", "a", "ab", "abcdef", "x" * 255, "x" * 256, "ÄÖÜ SHOUTED TEXT IN CAPITALS " * 20, "e\u0301" * 200]
    return texts


@pytest.mark.parametrize("group", ["raw", "decode_tests", "random"])
def test_fast_walk_equals_py3langid(group):
    if group == "raw":
        texts = _raw_texts()
    elif group == "decode_tests":
        texts = [v for k, v in vars(test_decode).items() if k.isupper() and isinstance(v, str)]
        texts += [text for _codec, text in test_decode.MIXED_LINES + test_decode.SINGLE_BYTE]
    else:
        texts = _random_texts()
    assert texts
    for text in texts:
        assert _langid.classify(text) == py3langid.classify(text), text[:100]


@pytest.mark.slow
@pytest.mark.skipif(not WCXB.is_dir(), reason="the WCXB dev set is not in ../shared/eval-data")
def test_fast_walk_equals_py3langid_on_real_pages():
    for path in sorted(WCXB.glob("*.json.gz")):
        text = (json.loads(gzip.decompress(path.read_bytes())).get("main_content") or "")[:20_000]
        assert _langid.classify(text) == py3langid.classify(text), path.name


def test_every_state_is_the_sequential_walks():
    """The state after each byte, not only the answer: random bytes, letters and real text."""
    ident, moves, rows, _out, two, depth = _langid._automaton()
    assert 2 <= depth <= 8
    rng = random.Random(11)
    samples = [bytes(rng.randrange(256) for _ in range(3000)),
               ("Die Bürger der Stadt " * 50 + "The people of the town " * 50).encode(),
               bytes(rng.choice(b"aeiou tnsrl") for _ in range(3000))]
    for data in samples:
        want, state = [], 0
        for letter in data:
            state = ident.tk_nextmove[ident._rowbase[state] + letter]
            want.append(state)
        got = _langid._states(np.frombuffer(data, dtype=np.uint8), ident, moves, rows, two, depth)
        assert got.tolist() == want
    assert langid.RAW_FLOOR  # the module leans on py3langid's internals: the lock pins its version


@pytest.mark.slow
def test_each_state_stands_for_its_last_bytes_alone():
    """Why the walk is exact: every transition of py3langid's automaton goes to the state whose
    label is the longest suffix of (the state's label + the byte) that is a state's label, so the
    state after a byte is fixed by the last DEPTH bytes. Checked on all 256 moves of every state."""
    _ident, moves, rows, _out, _two, depth = _langid._automaton()
    n = len(rows)
    byte = np.arange(256, dtype=np.uint64)
    length = np.full(n, -1, dtype=np.int64)  # each state's label from a shortest path: its bytes as a number
    value = np.zeros(n, dtype=np.uint64)
    length[0], frontier = 0, np.array([0])
    while len(frontier):
        target = moves[(rows[frontier][:, None] + byte.astype(np.uint32)).ravel()].astype(np.int64)
        source, via = np.repeat(frontier, 256), np.tile(byte, len(frontier))
        new = length[target] < 0
        reached, first = np.unique(target[new], return_index=True)
        length[reached] = length[source[new][first]] + 1
        value[reached] = value[source[new][first]] * np.uint64(256) + via[new][first]
        frontier = reached
    assert (length >= 0).all() and length.max() == depth
    key = value | (length.astype(np.uint64) << np.uint64(56))
    order = np.argsort(key)
    keys = key[order]
    assert len(np.unique(key)) == n  # one label per state
    for lo in range(0, n, 4096):
        states = np.arange(lo, min(n, lo + 4096))
        target = moves[(rows[states][:, None] + byte.astype(np.uint32)).ravel()].astype(np.int64)
        full = np.repeat(value[states], 256) * np.uint64(256) + np.tile(byte, len(states))
        full_length = np.repeat(length[states], 256) + 1
        want = np.zeros(len(target), dtype=np.int64)  # the start state unless a longer suffix is a label
        found = np.zeros(len(target), dtype=bool)
        for k in range(depth + 1, 0, -1):
            ok = (full_length >= k) & ~found
            suffix = (full[ok] & np.uint64((1 << (8 * k)) - 1)) | np.uint64(k << 56)
            at = np.minimum(np.searchsorted(keys, suffix), n - 1)
            hit = keys[at] == suffix
            where = np.flatnonzero(ok)[hit]
            want[where], found[where] = order[at[hit]], True
        assert np.array_equal(want, target)
