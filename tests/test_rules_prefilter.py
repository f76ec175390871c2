"""The rules' prefilter: a block that lacks the strings a pattern needs is not searched, and
that never changes which rule matches a block or what it captures.

Soundness rests on two facts checked here: `fold` folds every character the way `re` matches
it case-insensitively (against every Unicode character), and `required_strings` only asks for
strings that a match puts into the text.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner._prefilter import _FOLDABLE, fold, required_strings
from cleaner.classify import _facts, in_zone, match_block
from cleaner.normalize import word_count
from cleaner.rules import load_rules
from tests.test_rules_languages import NEGATIVE as LANGUAGE_NEGATIVE
from tests.test_strip import NEGATIVE

RAW = Path(__file__).resolve().parents[1] / "raw"
EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))
# Characters that `re` (?i) matches to ASCII letters although str.lower() keeps them apart.
EXOTIC = {"i": ("İ", "ı"), "k": ("\u212a",), "s": ("ſ",), "ß": ("ẞ",), "å": ("\u212b",)}


def passes(needs: tuple[tuple[str, ...], ...] | None, text: str) -> bool:
    folded = fold(text)
    return needs is None or all(any(s in folded for s in group) for group in needs)


def texts() -> list[str]:
    """Blocks of the sample raw files, the text rules' examples and counter-examples, and the
    story lines of the strip tests."""
    found = [block for path in sorted(RAW.glob("*.txt")) for block in path.read_text(encoding="utf-8").split("\n\n")]
    found += [e.text for rule in load_rules().text for e in (*rule.examples, *rule.counter_examples)]
    for cases in (NEGATIVE, LANGUAGE_NEGATIVE):
        for case in cases:
            found += [value for value in case if isinstance(value, str)]
    return [t.strip() for t in found if t.strip()]


def variants(text: str) -> list[str]:
    """The text in other cases, and with the characters `re` folds to i, k, s, ß and å."""
    out = [text, text.upper(), text.swapcase(), text.title()]
    for plain, others in EXOTIC.items():
        for other in others:
            out += [t.replace(plain, other).replace(plain.upper(), other) for t in (text, text.casefold())]
    return out


@pytest.mark.parametrize("character", sorted(_FOLDABLE))
def test_every_foldable_character_folds_like_re_matches_it(character):
    """Every character `re` matches to a _FOLDABLE one, alone or in a set, folds to the same string."""
    for pattern in (re.escape(character), f"[{re.escape(character)}\x01]"):  # (?i) matches a superset
        matched = set(re.findall(pattern, EVERY_CHARACTER, re.IGNORECASE)) - {"\x01"}
        assert character in matched
        assert {fold(c) for c in matched} == {fold(character)}, (character, matched)


def test_fold_works_one_character_at_a_time():
    """So a literal's folded string is a substring of the folded text wherever the literal matched."""
    assert fold(EVERY_CHARACTER) == "".join(map(fold, EVERY_CHARACTER))


def test_fold_meets_re_where_lower_does_not():
    rule = re.compile(r"(?i)\bkiss\b")
    for text in ("KİSS", "kıss", "\u212aISS", "kiſs", "KISS"):
        assert rule.search(text) and "kiss" in fold(text)
    assert "kiss" not in "KİSS".lower() and "kiss" not in "kıss".lower()  # why fold is not str.lower
    assert fold("STRAẞE") == fold("straße") == "strasse"


@pytest.mark.parametrize(("pattern", "needs"), [
    (r"(?i)^foo bar", None),  # anchored: fails at the first character anyway
    (r"(?i)\A\bfoo", None),
    (r"(?im)^foo bar", (("foo bar",),)),  # a line start is anywhere
    (r"(?i)\bfoo bar\b", (("foo bar",),)),
    (r"(?i)(?:abc|de(?:f)?)x", (("abc", "de"), ("x",))),
    (r"colou?r", (("colo",), ("r",))),
    (r"(?=.*\bcookies)(?=.*\baccept)", (("cookies",), ("accept",))),  # a look-ahead's strings are in the text
    (r"(?<=paid )content", (("content",), ("paid ",))),
    (r"(?!.*\bfoo)bar", (("bar",),)),  # a negative look-ahead needs nothing
    (r"a*b", (("b",),)),
    (r"(?:ab){2,}", (("ab",),)),
    (r"(?:ab)?c", (("c",),)),
    (r"(?>ab|cd)e", (("ab", "cd"), ("e",))),
    (r"[$€£]\s?\d", (("$", "£", "€"),)),
    (r"[^x]y", (("y",),)),
    (r"[a-c]y", (("y",),)),  # a range is not spelled out
    (r"\d+", None),
    (r"x|\d", None),  # one branch needs nothing: the alternation needs nothing
    (r"(?:cookie|cookies)", (("cookie",),)),  # 'cookies' holds 'cookie'
    (r"(?i)STRASSE|Straße", (("trasse",), ("s",))),  # 'ß' folds to 'ss'; the common 'S' is taken out first
    (r"(?i)İstanbul", (("stanbul",),)),  # 'İ' is not _FOLDABLE
    ("ab\u0100cd", (("ab",), ("cd",))),  # a character outside _FOLDABLE breaks the string
])
def test_required_strings(pattern, needs):
    assert required_strings(pattern) == needs


def test_the_costly_packaged_rules_have_a_prefilter(rules):
    """The unanchored patterns are the ones re.search retries at every offset."""
    with_needs = {r.id for r in rules.text if r.needs}
    assert {"donation.paywall", "donation.support_us", "cookie.multilingual", "newsletter.signup",
            "comments.form", "legal.copyright"} <= with_needs


def test_a_block_the_prefilter_rules_out_never_matches(rules):
    matched = 0
    for text in texts():
        for variant in variants(text):
            for rule in rules.text:
                if rule.pattern is not None and rule.pattern.search(variant):
                    matched += 1
                    assert passes(rule.needs, variant), (rule.id, variant)
    assert matched > 500


def every_rule_tried(text: str, rules, position: str | None):
    """match_block as it was before the prefilter: the reference."""
    words = word_count(text)
    for rule in rules.text:
        if rule.pattern is None or (rule.max_words is not None and words > rule.max_words):
            continue
        if position is not None and not in_zone(rule.zone, position):
            continue
        match = rule.pattern.search(text)
        if match:
            return rule, _facts(rule, match.groupdict(), text)
    return None


def test_match_block_finds_what_trying_every_rule_finds(rules):
    for text in texts():
        for variant in variants(text)[:4]:
            for position in (None, "head", "body", "tail"):
                assert match_block(variant, rules, position) == every_rule_tried(variant, rules, position)


def test_a_case_folded_match_is_not_filtered_out(tmp_path):
    """A prefilter on str.lower() would miss these: 'İ'.lower() is two characters, 'ı' and 'ſ' stay."""
    (tmp_path / "x.toml").write_text(
        '[[rule]]\nid = "share.kiss"\ncategory = "share"\napplies_to = "text"\n'
        "pattern = '(?i)\\bkiss (?:me|us)\\b'\nwhy = \"test\"\nexamples = [\"kiss me\"]\n", encoding="utf-8")
    rules = load_rules(tmp_path)
    assert rules.text[0].needs == (("kiss ",), ("me", "us"))
    for text in ("Please KİSS ME now", "kıss us", "\u212aISS US", "KIſS me", "KISS ME"):
        found = match_block(text, rules)
        assert found is not None and found[0].id == "share.kiss", text
    assert match_block("kiss them", rules) is None


@pytest.mark.parametrize("rule_id", [r.id for r in load_rules().text if r.needs])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_a_pattern_matches_passes_its_prefilter(rule_id, data):
    """Strings drawn to match the pattern, with i, k, s, ß, å swapped for what `re` folds to them."""
    rule = load_rules().by_id(rule_id)
    text = data.draw(st.from_regex(rule.pattern))
    for variant in variants(text):
        if rule.pattern.search(variant):
            assert passes(rule.needs, variant), variant
