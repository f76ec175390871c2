"""The rules' prefilter: the strings a pattern needs, so that a block without them is not searched.

A speed trick beside its plain reference (trying every rule, tests/test_rules_prefilter.py holds
the two equal): rules.py computes `Rule.needs` with required_strings at load, and
classify.match_block skips a rule whose needs the block's folded text lacks.
"""

from __future__ import annotations

import re
import re._parser as _regex_parser
from re._constants import (
    ASSERT,
    AT,
    AT_BEGINNING,
    AT_BEGINNING_STRING,
    ATOMIC_GROUP,
    BRANCH,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    POSSESSIVE_REPEAT,
    SUBPATTERN,
)

# Pattern characters whose every case-insensitive match (as `re` decides it) folds to what
# they fold to; test_rules_prefilter checks each one against every Unicode character.
_FOLDABLE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    "¡£©«°»¿€’“”„–—…"
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸŒ"
)


def fold(text: str) -> str:
    """Text with case folded the way `re` matches case-insensitively, one character at a time:
    casefold, and the two i's that casefold leaves apart ('ı'; 'İ' becomes 'i' plus a combining
    dot, which is dropped). A pattern literal made of _FOLDABLE characters that matches some
    characters of a text, with or without (?i), folds to a substring of the folded text."""
    return text.casefold().replace("ı", "i").replace("\u0307", "")


def required_strings(pattern: str) -> tuple[tuple[str, ...], ...] | None:
    """Groups of folded strings such that the folded text of every block `pattern` matches
    holds a string of each group, so that a block missing one group is not searched at all:
    most of the cost of the unanchored patterns, which re.search tries at every offset. The
    most selective group comes first. None when the pattern is anchored at the start or
    guarantees no string."""
    parsed = _regex_parser.parse(pattern)  # re's own parser: the literals are what re will match
    first = parsed[0] if parsed else None
    if first == (AT, AT_BEGINNING_STRING) or (first == (AT, AT_BEGINNING) and not parsed.state.flags & re.MULTILINE):
        return None  # tried at the first character only: it fails there as fast as strings are looked up
    # a string that holds another of its group adds nothing: the shorter one is there too
    groups = {tuple(sorted(s for s in group if not any(t != s and t in s for t in group)))
              for group in _needs(parsed)}
    return tuple(sorted(sorted(groups), key=_selectivity, reverse=True)) or None


def _needs(items) -> list[frozenset[str]]:
    """What a parsed sequence needs, as groups of folded strings with one string of each group
    in the text: its runs of literal characters and sets of literal characters, and what its
    groups, repeats (of at least one) and positive look-arounds need (they match inside the
    text too). An alternation needs one string of the most selective group of each branch."""
    groups: list[frozenset[str]] = []
    run = ""
    for op, arg in items:
        if op is LITERAL and chr(arg) in _FOLDABLE:
            run += fold(chr(arg))
            continue
        if run:
            groups.append(frozenset((run,)))
            run = ""
        if op is BRANCH:
            best = [max(_needs(branch), key=_selectivity, default=None) for branch in arg[1]]
            if None not in best:
                groups.append(frozenset().union(*best))
        elif op is IN and all(kind is LITERAL and chr(value) in _FOLDABLE for kind, value in arg):
            groups.append(frozenset(fold(chr(value)) for _, value in arg))
        elif op is SUBPATTERN:
            groups += _needs(arg[3])
        elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT) and arg[0] >= 1:
            groups += _needs(arg[2])
        elif op is ASSERT:
            groups += _needs(arg[1])
        elif op is ATOMIC_GROUP:
            groups += _needs(arg)
    if run:
        groups.append(frozenset((run,)))
    return groups


def _selectivity(group) -> tuple[int, int]:
    """Longer strings, then fewer of them, are less likely to be in a block by chance."""
    return min(map(len, group)), -len(group)
