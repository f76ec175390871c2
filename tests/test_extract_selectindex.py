"""The selector index (extract/_selectindex.py) selects what each html rule's own select() selects.

The plain reference is `selected.select_each`: each rule's `select()` run in turn on the tree
the rules before it left. The speed trick finds what every rule selects in one walk of the tree
first. On every page here both give the same elements, the same removals and the same tree.
"""

from __future__ import annotations

import gzip
import json
import random
import warnings
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from cleaner.config import CleanConfig
from cleaner.extract import markup_size, selected
from cleaner.extract._selectindex import select_all, selector_index
from cleaner.extract.selected import remove_selected, select_each
from cleaner.rules import RuleSet
from tests import hostile
from tests.conftest import RAW, ROOT

PARAS = [
    "Russian President Vladimir Putin arrived in Pyongyang under the cover of darkness, receiving an unexpected "
    "warm welcome from North Korean leader Kim Jong Un at the airport before dawn on Wednesday.",
    "Despite the late hour, the red carpet was rolled out, and the two leaders embraced as a sign of the growing "
    "camaraderie between their nations, setting the stage for a momentous day of talks ahead.",
    "The agenda included an official welcoming ceremony, one-on-one discussions, a gala concert and the signing "
    "of several joint documents, including a treaty on a comprehensive strategic partnership.",
]

NESTED = f"""<html><body>
<header class="site-header"><nav class="menu"><a>Home</a><a>World</a>
  <div class="ad">Buy now</div></nav></header>
<article class="share"><h1>Putin Visits Pyongyang</h1>
  <p>Putin landed before dawn.</p>
  <div class="related"><h3>More</h3><div class="related-posts"><a>Teaser one</a>
    <div class="ad"><span class="ad">Nested ad</span></div></div>
    <div class="share-buttons" data-component="share"><a>Facebook</a></div></div>
  <div id="div-gpt-ad-1" class="box"><p>Advertisement</p></div>
  <div class="OTHER epic">Support our journalism with a contribution</div>
  <div class="author-box" aria-label="Share"><div class="author-bio">About Jane Doe</div></div>
  <p style="display: NONE">hidden text</p><p>Kim met him at the airport.</p></article>
<div class="content menu"><p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p>
  <nav aria-label="Breadcrumb"><a>Home</a><a>World</a></nav><ul class="menu"><li>Sport</li></ul></div>
<footer>© 2024 The Ledger</footer><aside class="sidebar"><div class="newsletter">Sign up</div></aside>
</body></html>"""

SNIPPET_PAGES = ROOT / ".." / "shared" / "eval-data" / "trafilatura-snippets" / "pages"
SNIPPET_SAMPLE = 12  # every 12th page (70 of 840): the reference costs ~0.7 s a page


def _soup(html: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(html, "lxml")


def _removed_by_reference(html: str, rules: RuleSet, monkeypatch) -> tuple[list, str]:
    """Removals and the tree left when each rule selects in turn (`select_each`, the plain reference)."""
    soup = _soup(html)
    with monkeypatch.context() as m:
        m.setattr(selected, "select_all", lambda body, html_rules: None)
        removals = remove_selected(soup, rules)
    return removals, str(soup)


def _identities(selections) -> list[list[int]]:
    return [[id(element) for element in elements] for elements in selections]


def assert_equal_to_reference(html: str, rules: RuleSet, monkeypatch, name: str = "", elements: bool = True) -> int:
    """One page: the same elements as each rule's select() on the untouched tree (unless not
    `elements`: the costlier half), and the same removals and tree as selecting rule by rule;
    returns the number of removals."""
    soup = _soup(html)
    body = soup.body or soup
    fast = select_all(body, rules.html)
    if fast is not None and elements:  # None: a <template> in the page, so the stage selects rule by rule itself
        assert _identities(fast) == _identities(body.select(rule.selector) for rule in rules.html), name
    removals = remove_selected(soup, rules)
    assert (removals, str(soup)) == _removed_by_reference(html, rules, monkeypatch), name
    return len(removals)


def _parsed_by_the_pipeline(html: str) -> bool:
    """Whether extract would parse the page at all (deeper or larger pages are refused first)."""
    depth, elements = markup_size(html)
    config = CleanConfig()
    return depth <= config.max_html_depth and elements <= config.max_html_elements


def test_the_packaged_rules_get_an_index(rules):
    assert selector_index(rules.html) is not None  # so the pages below take the one-walk path


def test_one_walk_removes_what_rule_by_rule_selection_removes(monkeypatch, rules):
    assert assert_equal_to_reference(NESTED, rules, monkeypatch) == 12
    soup = _soup(NESTED)
    removals = remove_selected(soup, rules)
    # Rule by rule, each in page order; an outer element goes first and takes what it holds
    # (the inner ad, the author bio, the share buttons inside the related box); the wrapper
    # holding most of the text stays (the 60% guard) while the menu inside it goes; the
    # <article> is protected whatever its class.
    assert [(r.category, r.text) for r in removals] == [
        ("advertising", "Buy now"),
        ("advertising", "Nested ad"),
        ("advertising", "Advertisement"),
        ("author_bio", "About Jane Doe"),
        ("breadcrumb", "Home » World"),
        ("donation", "Support our journalism with a contribution"),
        ("hidden", "hidden text"),
        ("legal", "© 2024 The Ledger"),
        ("navigation", "Home World"),
        ("navigation", "Sport"),
        ("navigation", "Sign up"),
        ("related", "More Teaser one Facebook"),
    ]
    assert "<article" in str(soup) and PARAS[2] in str(soup)


def test_one_walk_matches_rule_by_rule_on_the_sample_pages(monkeypatch, rules):
    pages = sorted(p for p in RAW.iterdir() if p.suffix in {".html", ".htm"})
    records = [json.loads(line) for p in sorted(RAW.glob("*.jsonl")) for line in p.read_text().splitlines()]
    htmls = [(p.name, p.read_bytes().decode("utf-8", "replace")) for p in pages]
    htmls += [(f"record {n}", r["html"]) for n, r in enumerate(records) if isinstance(r.get("html"), str)]
    assert len(pages) >= 10
    assert sum(assert_equal_to_reference(html, rules, monkeypatch, name) for name, html in htmls) > 50


def test_one_walk_matches_rule_by_rule_on_the_hostile_pages(monkeypatch, rules, tmp_path):
    hostile.build(tmp_path)
    htmls = [(p.name, p.read_bytes().decode("utf-8", "replace")) for p in sorted(tmp_path.rglob("*"))
             if p.is_file() and p.suffix.lower() in {".html", ".htm", ".xhtml"}]
    for path in sorted(tmp_path.rglob("*.jsonl")):
        for n, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines()):
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):  # the hostile corpus has broken and deeply nested records
                continue
            if isinstance(record, dict) and isinstance(record.get("html"), str):
                htmls.append((f"{path.name}#{n + 1}", record["html"]))
    parsed = [(name, html) for name, html in htmls if _parsed_by_the_pipeline(html)]
    assert len(parsed) >= 25
    assert sum(assert_equal_to_reference(html, rules, monkeypatch, name) for name, html in parsed) > 0


@pytest.mark.slow  # ~50 s: the reference selects rule by rule
@pytest.mark.skipif(not SNIPPET_PAGES.is_dir(), reason="the trafilatura snippets set is not in ../shared/eval-data")
def test_one_walk_matches_rule_by_rule_on_real_pages(monkeypatch, rules):
    """Real web pages of the trafilatura snippets set (news, blogs, institutions, several languages)."""
    pages = sorted(Path(SNIPPET_PAGES).glob("*.html.gz"))[::SNIPPET_SAMPLE]
    assert pages
    removed = sum(assert_equal_to_reference(gzip.decompress(p.read_bytes()).decode("utf-8", "replace"), rules,
                                            monkeypatch, p.name) for p in pages)
    assert removed > 3 * len(pages)


def test_selectors_that_see_earlier_removals_select_rule_by_rule(monkeypatch, rules):
    # '.first + p' matches the paragraph after .first only while .first is still there, and
    # ':has(.ad)' only while the ad is: each rule must see the tree the earlier rules left.
    extra = replace(rules.html[0], id="advertising.next", selector=".first + p, div:has(> .ad), div:empty")
    ordered = RuleSet(text=rules.text, html=(rules.html[0], extra, *rules.html[1:]))
    assert selector_index(ordered.html) is None
    html = "<html><body><div class='ad first'>Ad</div><p>After the ad</p>" \
           "<div class='box'><span class='ad'>x</span></div>" \
           f"<article><p>{PARAS[0]}</p><p>{PARAS[1]}</p></article></body></html>"
    soup = _soup(html)
    assert select_all(soup.body, ordered.html) is None
    assert (remove_selected(soup, ordered), str(soup)) == _removed_by_reference(html, ordered, monkeypatch)
    assert "After the ad" in str(soup)  # .first was gone when the second rule looked


def test_the_reference_selects_each_rule_on_the_tree_the_earlier_rules_left(rules):
    soup = _soup("<html><body><div class='ad'><p class='x'>one</p></div><p class='x'>two</p></body></html>")
    first = replace(rules.html[0], id="t.first", selector=".ad")
    second = replace(rules.html[0], id="t.second", selector=".x")
    selections = select_each(soup.body, (first, second))
    ads = next(selections)
    ads[0].decompose()
    assert [e.get_text() for e in next(selections)] == ["two"]


def test_one_walk_matches_rule_by_rule_on_random_nested_pages(monkeypatch, rules):
    classes = ["ad", "ads", "related", "related-posts", "share", "share-buttons", "menu", "sidebar", "footer",
               "comments", "newsletter", "breadcrumb", "author-box", "donate", "cookie-banner", "epic", "ad-banner x",
               "Ad", "content"]
    ids = ["comments", "footer", "menu", "sidebar", "div-gpt-ad-1", "taboola-x", "paywall", "story"]
    tags = ["div", "p", "span", "nav", "footer", "header", "aside", "ins", "section", "ul", "li", "input", "article"]
    attributes = ['hidden', 'style="display: none"', 'data-ad', 'role="navigation"', 'aria-label="Share"',
                  'data-component="share"', 'type="HIDDEN"', 'DATA-AD', 'Class="ad"', 'ID="menu"']

    def element(rng: random.Random, depth: int) -> str:
        tag = rng.choice(tags)
        attrs = [f'class="{" ".join(rng.sample(classes, rng.randint(1, 2)))}"'] if rng.random() < 0.5 else []
        attrs += [f'id="{rng.choice(ids)}"'] if rng.random() < 0.3 else []
        attrs += [rng.choice(attributes)] if rng.random() < 0.3 else []
        words = " ".join(rng.choice(["alpha", "beta", "gamma"]) for _ in range(rng.randint(0, 30)))
        inner = "".join(element(rng, depth + 1) for _ in range(rng.randint(0, 3 if depth < 4 else 0)))
        return f"<{tag} {' '.join(attrs)}>{words}{inner}</{tag}>"

    removed = 0
    for seed in range(150):
        rng = random.Random(seed)
        html = "<html><body>" + "".join(element(rng, 0) for _ in range(rng.randint(1, 5))) + "</body></html>"
        removed += assert_equal_to_reference(html, rules, monkeypatch, str(seed), elements=False)
    assert removed > 500
