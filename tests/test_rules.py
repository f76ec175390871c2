"""rules: the packaged rule files load, and every mistake in a rule file is caught at load time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaner.rules import CATEGORIES, RuleError, load_rules

SRC = Path(__file__).resolve().parents[1] / "src" / "cleaner"


def write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "x.toml").write_text(body, encoding="utf-8")
    return tmp_path


GOOD = """
[[rule]]
id = "cookie.x"
category = "cookie"
applies_to = "text"
pattern = '(?i)^we use cookies'
why = "test"
"""


def test_packaged_rules_load_and_cover_every_required_category(rules):
    required = {"cookie", "donation", "related", "comments", "breadcrumb", "navigation", "share",
                "newsletter", "author_bio", "advertising", "legal", "repeated_title"}
    present = {r.category for r in (*rules.text, *rules.html)}
    assert required <= present
    assert all(r.why for r in (*rules.text, *rules.html))


def test_every_html_rule_has_a_selector_and_every_text_rule_a_pattern_or_detector(rules):
    assert all(r.selector for r in rules.html)
    assert all((r.pattern is None) != (r.detector is None) for r in rules.text)


def test_a_good_file_loads(tmp_path):
    ruleset = load_rules(write(tmp_path, GOOD))
    assert [r.id for r in ruleset.text] == ["cookie.x"]
    assert ruleset.by_id("cookie.x").pattern.search("We use cookies")


@pytest.mark.parametrize(("change", "message"), [
    (('category = "cookie"', 'category = "cookies"'), "unknown category 'cookies'"),
    (('id = "cookie.x"', 'id = "cookiex"'), "id must look like"),
    (('id = "cookie.x"', 'id = "share.x"'), "must start with its category"),
    (("pattern = '(?i)^we use cookies'", "pattern = '(unclosed'"), "invalid pattern regex"),
    (("pattern = '(?i)^we use cookies'", "pattern = ''"), "empty pattern"),
    (('why = "test"', 'why = ""'), "'why' is required"),
    (('applies_to = "text"', 'applies_to = "css"'), "applies_to must be"),
    (('why = "test"', 'why = "test"\nzone = "middle"'), "zone must be"),
    (('why = "test"', 'why = "test"\ncolour = "red"'), "unknown key(s) ['colour']"),
    (('why = "test"', 'why = "test"\nenabled = false'), "needs 'retired'"),
    (("pattern = '(?i)^we use cookies'", "pattern = '(?i)(?=.*cookies)accept'"), "unanchored '(?=.*' look-ahead"),
])
def test_mistakes_raise_rule_error_naming_file_and_rule(tmp_path, change, message):
    with pytest.raises(RuleError) as err:
        load_rules(write(tmp_path, GOOD.replace(*change)))
    assert message in str(err.value)
    assert str(err.value).startswith("x.toml: rule")


def test_invalid_selector_and_duplicate_ids_are_caught(tmp_path):
    bad_selector = GOOD.replace('applies_to = "text"', 'applies_to = "html"').replace(
        "pattern = '(?i)^we use cookies'", "selector = 'div[[['")
    with pytest.raises(RuleError, match="invalid selector"):
        load_rules(write(tmp_path, bad_selector))
    with pytest.raises(RuleError, match="already defined"):
        load_rules(write(tmp_path, GOOD + GOOD))


def test_retired_rule_is_skipped(tmp_path):
    body = GOOD + GOOD.replace("cookie.x", "cookie.old").replace('why = "test"', 'why = "t"\nenabled = false\nretired = "too broad"')
    assert [r.id for r in load_rules(write(tmp_path, body)).text] == ["cookie.x"]


def test_categories_are_snake_case():
    assert all(re.fullmatch(r"[a-z_]+", c) for c in CATEGORIES)


def test_the_library_never_imports_prefect():
    offenders = [
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
        if re.search(r"^\s*(?:import|from)\s+prefect\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []


def test_rule_patterns_stay_linear_on_long_blocks():
    """A 40,000-character block (a page dump with no blank lines) is classified in well under
    a second: no rule rescans the block from every offset (that took 8 s per 1,000 blocks)."""
    import time

    from cleaner.classify import match_block

    rules = load_rules()
    block = "word " * 8_000
    started = time.process_time()
    for position in ("head", "body", "tail"):
        match_block(block, rules, position)
    assert time.process_time() - started < 2.0
