"""Matching snippets against an output (the normal form, containment, one page's score) and the held-out split."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

SPLITS = ("dev", "heldout", "all")
HELDOUT_SHARE = 0.2

_FOLD = str.maketrans({
    # single quotes, apostrophes, primes, grave and acute accents used as quotes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u2035": "'",
    "\u02bc": "'", "\u0060": "'", "\u00b4": "'", "\u2039": "'", "\u203a": "'",
    # double quotes and guillemets
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u2036": '"',
    "\u00ab": '"', "\u00bb": '"', "\u300c": '"', "\u300d": '"',
    # hyphens, dashes and the minus sign
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
    # invisible characters: soft hyphen, zero-width space/joiners, word joiner, BOM
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
})
_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """The matching form of a snippet or an output.

    NFKC (no-break and other odd spaces become spaces, ligatures and full-width forms fold,
    '…' becomes '...'), typographic quotes, apostrophes and dashes fold to ASCII ' " -,
    zero-width characters and soft hyphens go, case folds (casefold: 'ß' -> 'ss'), and every
    run of whitespace (newlines included) becomes one space; leading/trailing space goes.
    """
    text = unicodedata.normalize("NFKC", text or "").translate(_FOLD).casefold()
    return _WS.sub(" ", text).strip()


def contains(output_norm: str, snippet: str) -> bool:
    """Whether a snippet occurs in an already normalised output (substring of the normal forms)."""
    s = norm(snippet)
    return bool(s) and s in output_norm


@dataclass(frozen=True, slots=True)
class Score:
    """One page, one method: which snippets were kept, which boilerplate survived."""

    kept: float | None  # None: no judgeable `with` snippet
    dropped: float | None  # None: no judgeable `without` snippet
    missed: tuple[str, ...] = ()  # `with` snippets not found
    survived: tuple[str, ...] = ()  # `without` snippets still there


def score(output: str, keep: Sequence[str], drop: Sequence[str]) -> Score:
    """Score one output against its snippets (empty snippets are ignored)."""
    out = norm(output)
    keep = [s for s in keep if norm(s)]
    drop = [s for s in drop if norm(s)]
    missed = tuple(s for s in keep if not contains(out, s))
    survived = tuple(s for s in drop if contains(out, s))
    return Score(
        kept=(len(keep) - len(missed)) / len(keep) if keep else None,
        dropped=(len(drop) - len(survived)) / len(drop) if drop else None,
        missed=missed,
        survived=survived,
    )


def split_of(url: str, share: float = HELDOUT_SHARE) -> str:
    """Deterministic held-out split: the first 32 bits of sha256(url) below `share` of 2**32."""
    value = int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16)
    return "heldout" if value < share * 2**32 else "dev"

