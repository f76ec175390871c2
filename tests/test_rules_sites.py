"""Rules limited to sites (`sites = [...]`): they fire on articles of those sites (their
subdomains too, with or without 'www.') and nowhere else, in text dumps and in the html pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.classify import match_block
from cleaner.extract import extract
from cleaner.record import Article, Facts
from cleaner.rules import RuleError, load_rules
from cleaner.strip import strip
from tests.conftest import make_article
from tests.test_strip import STORY

MY_RULES = """
[[rule]]
id = "navigation.ledger_motto"
category = "navigation"
applies_to = "text"
sites = ["dailyledger.com"]
pattern = '(?i)^all the news that fits the ledger$'
why = "the Ledger's motto under every story"
examples = ["All the news that fits the Ledger"]

[[rule]]
id = "advertising.ledger_promo"
category = "advertising"
applies_to = "html"
sites = ["dailyledger.com"]
selector = ".ledger-promo"
why = "the Ledger's house ads"
examples = ['<div class="ledger-promo">Get the Ledger app</div>']
"""
MOTTO = "All the news that fits the Ledger"


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("myrules")
    (folder / "ledger.toml").write_text(MY_RULES, encoding="utf-8")
    return load_rules(rules_dir=folder)


def text_article(url: str = "", site: str = "") -> Article:
    text = "\n\n".join(["Council Passes Budget", *STORY, MOTTO])
    return make_article(text, hints=Facts(url=url, site=site))


def cut_by(article: Article, rules) -> dict[str, str]:
    extracted = extract(article, rules)
    result = strip(extracted, rules, min_words=0)
    assert isinstance(result, Article), result
    return {r.text: r.rule_id for r in result.removals}


@pytest.mark.parametrize(("url", "site", "cut"), [
    ("https://dailyledger.com/world/a", "", True),
    ("https://www.dailyledger.com/world/a", "", True),
    ("https://news.dailyledger.com/a", "", True),  # a subdomain of a listed site
    ("", "dailyledger.com", True),  # no url: the site's name, when it is a host
    ("https://eastasiawire.net/a", "", False),
    ("https://dailyledger.com.example.net/a", "", False),
    ("https://notdailyledger.com/a", "", False),
    ("", "The Daily Ledger", False),  # a site's name is not its host
    ("", "", False),  # unknown site: a rule limited to sites never fires
])
def test_a_site_rule_fires_on_its_site_only(rules, url, site, cut):
    removed = cut_by(text_article(url, site), rules)
    assert (removed.get(MOTTO) == "navigation.ledger_motto") is cut


def test_the_site_reaches_match_block(rules):
    assert match_block(MOTTO, rules, site="dailyledger.com")[0].id == "navigation.ledger_motto"
    assert match_block(MOTTO, rules, site="eastasiawire.net") is None
    assert match_block(MOTTO, rules) is None
    assert match_block(MOTTO, rules.for_site("dailyledger.com"))[0].id == "navigation.ledger_motto"


def test_for_site_keeps_the_order_and_is_the_set_itself_without_site_rules(rules):
    ledger, other = rules.for_site("dailyledger.com"), rules.for_site("eastasiawire.net")
    assert [r.id for r in ledger.text] == [r.id for r in rules.text]
    assert [r.id for r in other.text] == [r.id for r in rules.text if r.id != "navigation.ledger_motto"]
    assert not ledger.has_sites and not other.has_sites and rules.has_sites
    packaged = load_rules()
    assert packaged.for_site("dailyledger.com") is packaged


PAGE = """<html><head><title>Council Passes Budget</title>{head}</head><body><article>
<h1>Council Passes Budget</h1>{paragraphs}
<div class="ledger-promo">Get the Ledger app today</div>
</article></body></html>"""


def html_article(url: str = "", head: str = "") -> Article:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return make_article(PAGE.format(head=head, paragraphs=paragraphs), "html", hints=Facts(url=url))


@pytest.mark.parametrize(("url", "head", "cut"), [
    ("https://www.dailyledger.com/a", "", True),
    ("https://eastasiawire.net/a", "", False),
    ("", '<link rel="canonical" href="https://www.dailyledger.com/a">', True),  # no url given: the page's own
    ("", '<meta property="og:url" content="https://dailyledger.com/a">', True),
    ("", '<link rel="canonical" href="https://eastasiawire.net/a">', False),
    # the user's url first
    ("https://eastasiawire.net/a", '<link rel="canonical" href="https://dailyledger.com/a">', False),
])
def test_a_site_html_rule_selects_on_its_site_only(rules, url, head, cut):
    result = extract(html_article(url, head), rules)
    assert isinstance(result, Article), result
    ids = {r.rule_id for r in result.removals if "Get the Ledger app" in r.text}
    assert (ids == {"advertising.ledger_promo"}) is cut
    assert cut or "advertising.ledger_promo" not in {r.rule_id for r in result.removals}


def test_the_examples_of_a_site_rule_are_checked_on_its_site(tmp_path: Path):
    """As on one of its sites: the site does not keep a counter-example from firing it."""
    motto = 'examples = ["All the news that fits the Ledger"]'
    (tmp_path / "x.toml").write_text(MY_RULES.replace(motto, motto + "\ncounter_examples = " + motto[11:]),
                                     encoding="utf-8")
    with pytest.raises(RuleError, match="counter-example 'All the news that fits the Ledger' fires the rule"):
        load_rules(rules_dir=tmp_path)
