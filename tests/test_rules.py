"""rules: the packaged rule files load, and every mistake in a rule file is caught at load time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaner.rules import CATEGORIES, RuleError, load_rules, rules_digest

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
examples = ["We use cookies."]
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
    retired = 'why = "t"\nenabled = false\nretired = "too broad"'
    body = GOOD + GOOD.replace("cookie.x", "cookie.old").replace('why = "test"', retired)
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


# --- examples, phrases, selector lists, sites -------------------------------------------------


@pytest.mark.parametrize(("change", "message"), [
    (('examples = ["We use cookies."]', ""), "needs 'examples'"),
    (('examples = ["We use cookies."]', 'examples = ["We bake cookies."]'),
     "example 'We bake cookies.' does not fire the rule: the pattern does not match"),
    (('examples = ["We use cookies."]', 'examples = ["We use cookies."]\nmax_words = 2'),
     "3 words, over max_words = 2"),
    (('examples = ["We use cookies."]', 'examples = [{ text = "We use cookies.", zone = "body" }]\nzone = "tail"'),
     "zone 'body' is outside the rule's zone 'tail'"),
    (('examples = ["We use cookies."]', 'examples = [{ text = "We use cookies.", zone = "middle" }]'), "zone one of"),
    (('examples = ["We use cookies."]', 'examples = ["We use cookies."]\ncounter_examples = ["we use cookies too"]'),
     "counter-example 'we use cookies too' fires the rule"),
    (('examples = ["We use cookies."]', 'examples = "We use cookies."'), "'examples' must be a list"),
    (("pattern = '(?i)^we use cookies'", "pattern = '(?i)^(?:{phrases})'"), "has no 'phrases' list"),
    (("pattern = '(?i)^we use cookies'", "pattern = '(?i)^{phrases}'\nphrases = ['we use cookies']"),
     "as a group of its own"),
    (("pattern = '(?i)^we use cookies'",
      "pattern = '(?i)^(?:{phrases})'\nphrases = ['we use cookies', 'we use (cookies']"),
     "phrase 2 'we use (cookies' is not a valid regex fragment"),
    (("pattern = '(?i)^we use cookies'", "pattern = '(?i)^(?:{phrases})'\nphrases = ['we use', 'we use']"),
     "phrase 2 'we use' is listed twice"),
    (("pattern = '(?i)^we use cookies'", "pattern = '(?i)^(?:{phrases})'\nphrases = []"), "'phrases' must be a list"),
    (('why = "test"', 'why = "test"\nsites = ["https://example.com/news"]'), "is not a host name"),
    (('why = "test"', 'why = "test"\nsites = "example.com"'), "'sites' must be a list"),
])
def test_example_phrase_and_site_mistakes_raise_rule_error(tmp_path, change, message):
    with pytest.raises(RuleError) as err:
        load_rules(write(tmp_path, GOOD.replace(*change)))
    assert message in str(err.value)
    assert str(err.value).startswith("x.toml: rule 'cookie.x'")


def test_phrases_are_joined_into_the_pattern(tmp_path):
    body = GOOD.replace("pattern = '(?i)^we use cookies'", """pattern = '(?i)^(?:{phrases})\\s*[.!]?$'
phrases = [
    'we use cookies',
    'this site uses (?:cookies|trackers)',
]""")
    rule = load_rules(write(tmp_path, body)).by_id("cookie.x")
    assert rule.pattern.pattern == r"(?i)^(?:we use cookies|this site uses (?:cookies|trackers))\s*[.!]?$"
    assert rule.needs is None  # anchored: the prefilter is computed on the joined pattern as before


def test_a_selector_list_is_joined_and_each_selector_checked(tmp_path):
    body = GOOD.replace('applies_to = "text"', 'applies_to = "html"').replace(
        "pattern = '(?i)^we use cookies'", "selector = ['.cookie-bar', '#consent']").replace(
        'examples = ["We use cookies."]', """examples = ['<div id="consent">We use cookies</div>']""")
    assert load_rules(write(tmp_path, body)).by_id("cookie.x").selector == ".cookie-bar, #consent"
    with pytest.raises(RuleError, match=r"invalid selector 'div\[\[\['"):
        load_rules(write(tmp_path, body.replace("'#consent'", "'div[[['")))
    with pytest.raises(RuleError, match="selects nothing"):
        load_rules(write(tmp_path, body.replace('id="consent"', 'id="other"')))


def test_a_detector_rule_takes_no_examples(tmp_path):
    body = GOOD.replace("pattern = '(?i)^we use cookies'", 'detector = "site_name"').replace("cookie", "navigation")
    assert load_rules(write(tmp_path, body.replace('examples = ["We use navigations."]', ""))).text[0].detector
    with pytest.raises(RuleError, match="a detector's examples cannot be run"):
        load_rules(write(tmp_path, body))


def test_sites_are_hosts_without_www_and_match_subdomains(tmp_path):
    body = GOOD.replace('why = "test"', 'why = "test"\nsites = ["WWW.Example.com", "news.example.org"]')
    rule = load_rules(write(tmp_path, body)).by_id("cookie.x")
    assert rule.sites == ("example.com", "news.example.org")
    assert [rule.on_site(s) for s in ("example.com", "blog.example.com", "news.example.org")] == [True] * 3
    assert [rule.on_site(s) for s in ("example.org", "notexample.com", "example.com.evil.net", "", None)] == [False] * 5


# --- a user's own folder: precedence, replacing and retiring a packaged rule ------------------


def rule_file(folder: Path, name: str, *rules: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("\n".join(rules), encoding="utf-8")
    return folder


def text_rule(rule_id: str, pattern: str, example: str, extra: str = "") -> str:
    return (f'[[rule]]\nid = "{rule_id}"\ncategory = "{rule_id.split(".")[0]}"\napplies_to = "text"\n'
            f"pattern = '{pattern}'\nwhy = \"test\"\nexamples = [\"{example}\"]\n{extra}\n")


def test_user_rules_come_first_then_the_packaged_ones_in_file_order(tmp_path):
    packaged = rule_file(tmp_path / "packaged", "b.toml", text_rule("share.b1", "^b1", "b1"),
                         text_rule("share.b2", "^b2", "b2"))
    rule_file(packaged, "a.toml", text_rule("share.a1", "^a1", "a1"))
    mine = rule_file(tmp_path / "mine", "z.toml", text_rule("share.z1", "^z1", "z1"))
    rule_file(mine, "m.toml", text_rule("share.m1", "^m1", "m1"))
    rules = load_rules(packaged, rules_dir=mine)
    assert [r.id for r in rules.text] == ["share.m1", "share.z1", "share.a1", "share.b1", "share.b2"]
    assert [r.source for r in rules.text] == [str(mine / "m.toml"), str(mine / "z.toml"), "a.toml", "b.toml", "b.toml"]
    assert [r.id for r in load_rules(packaged).text] == ["share.a1", "share.b1", "share.b2"]


def test_a_user_rule_replaces_or_retires_the_packaged_rule_of_its_id(tmp_path):
    packaged = rule_file(tmp_path / "packaged", "a.toml", text_rule("share.a1", "^a1", "a1"),
                         text_rule("share.a2", "^a2", "a2"))
    mine = rule_file(tmp_path / "mine", "x.toml", text_rule("share.a2", "^mine", "mine"))
    rules = load_rules(packaged, rules_dir=mine)
    assert [(r.id, r.pattern.pattern) for r in rules.text] == [("share.a2", "^mine"), ("share.a1", "^a1")]
    rule_file(mine, "x.toml", text_rule("share.a1", "^a1", "a1", 'enabled = false\nretired = "misfires on our pages"'))
    assert [r.id for r in load_rules(packaged, rules_dir=mine).text] == ["share.a2"]


def test_user_rule_mistakes_name_the_users_file(tmp_path):
    mine = rule_file(tmp_path / "mine", "x.toml", text_rule("share.a1", "^a1", "b1"))
    with pytest.raises(RuleError) as err:
        load_rules(rules_dir=mine)
    assert str(err.value).startswith(f"{mine / 'x.toml'}: rule 'share.a1': example 'b1' does not fire the rule")
    rule_file(mine, "x.toml", text_rule("share.a1", "^a1", "a1"), text_rule("share.a1", "^a1", "a1"))
    with pytest.raises(RuleError, match="already defined"):
        load_rules(rules_dir=mine)
    with pytest.raises(RuleError, match="rules_dir is not a folder"):
        load_rules(rules_dir=tmp_path / "missing")


def test_a_changed_rule_file_is_read_again(tmp_path):
    """load_rules caches by the files' content, not their folder's name."""
    mine = rule_file(tmp_path / "mine", "x.toml", text_rule("share.a1", "^a1", "a1"))
    first = rules_digest(mine)
    assert load_rules(rules_dir=mine).text[0].pattern.pattern == "^a1"
    rule_file(mine, "x.toml", text_rule("share.a1", "^a2", "a2"))
    assert rules_digest(mine) != first
    assert load_rules(rules_dir=mine).text[0].pattern.pattern == "^a2"
