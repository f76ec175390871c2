"""Every rule's own proof, from its TOML: each example fires the rule, no counter-example does,
and in the whole rule set the example goes to this rule and not to one tried before it.

A text example is matched the way match_block matches it: told the example's zone (none for a
plain string, so the rule's zone is not checked), on one of the rule's sites. An html example
is a snippet the selector must select an element of. Loading runs the same check
(rulecheck.check_examples); this test holds it to match_block and to the order in which strip
tries the rules.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from cleaner.classify import match_block
from cleaner.rules import Rule, RuleSet, load_rules

RULES = load_rules()
TEXT = [r for r in RULES.text if r.pattern is not None]
# strip tries the rules that fire anywhere (zone "any") on every block first, and the rules of
# a zone (head, tail, edge) once the story's extent is known: see docs/rules.md, "Precedence".
ANYWHERE = RuleSet(tuple(r for r in RULES.text if r.zone == "any"), ())


def taken_by(text: str, zone: str | None, site: str | None) -> str | None:
    """The id of the rule that takes a block at `zone` (None: any zone) of an article of `site`."""
    found = match_block(text, ANYWHERE, None, site=site) or match_block(text, RULES, zone, site=site)
    return found[0].id if found else None


def site_of(rule: Rule) -> str | None:
    return rule.sites[0] if rule.sites else None


@pytest.mark.parametrize("rule", TEXT, ids=[r.id for r in TEXT])
def test_text_rule_examples(rule: Rule):
    alone = RuleSet((rule,), ())
    site = site_of(rule)
    assert rule.examples, "every rule with a pattern has examples"
    for example in rule.examples:
        found = match_block(example.text, alone, example.zone, site=site)
        assert found is not None and found[0] is rule, f"example not matched: {example}"
        assert taken_by(example.text, example.zone, site) == rule.id, f"an earlier rule takes {example}"
    for example in rule.counter_examples:
        assert match_block(example.text, alone, example.zone, site=site) is None, f"counter-example matched: {example}"


HTML = list(RULES.html)


@pytest.mark.parametrize("rule", HTML, ids=[r.id for r in HTML])
def test_html_rule_examples(rule: Rule):
    assert rule.examples, "every html rule has examples"
    for example in rule.examples:
        assert BeautifulSoup(example.text, "lxml").select(rule.selector), f"selects nothing: {example.text}"
    for example in rule.counter_examples:
        assert not BeautifulSoup(example.text, "lxml").select(rule.selector), (
            f"counter-example selected: {example.text}")


def test_every_rule_but_the_detectors_has_examples():
    assert {r.id for r in (*RULES.text, *RULES.html) if not r.examples} == {
        r.id for r in RULES.text if r.detector is not None}
