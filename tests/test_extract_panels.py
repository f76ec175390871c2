"""Accordion panels (role=region, labelled by the button that opens them) are opened before the
extractor reads the page; other hidden elements stay hidden."""

from __future__ import annotations

import lxml.html

from cleaner.extract import extract
from cleaner.extract.panels import has_panels, open_panels
from cleaner.record import Article
from tests.conftest import make_article
from tests.test_extract_streamed import STORY


def test_hidden_accordion_panels_are_opened_and_nothing_else():
    html = ('<html><body>'
            '<div role="region" aria-labelledby="h1" style="display: none; color: red">One</div>'
            '<div role="region" aria-labelledby="h2" hidden>Two</div>'
            '<div role="region" aria-labelledby="h3" aria-hidden="true">Three</div>'
            '<div role="region" style="display:none">No label</div>'
            '<div role="dialog" aria-labelledby="d" style="display:none">Sign up</div>'
            '<nav hidden>Menu</nav></body></html>')
    assert has_panels(html)
    page = lxml.html.fromstring(html)
    assert open_panels(page) == 3
    shown = {e.text: (e.get("style"), e.get("hidden"), e.get("aria-hidden")) for e in page.iter("div", "nav")}
    assert shown["One"] == (" color: red", None, None)
    assert shown["Two"] == (None, None, None) and shown["Three"] == (None, None, None)
    assert shown["No label"] == ("display:none", None, None)
    assert shown["Sign up"] == ("display:none", None, None)
    assert shown["Menu"][1] is not None
    assert not has_panels("<html><body><p>Plain page</p></body></html>")


def test_a_page_with_panels_is_given_to_the_extractor_with_them_open(rules, monkeypatch):
    """trafilatura drops every element hidden by style: the page it gets has the panels open."""
    from cleaner.extract import html as extract_html

    steps = "".join(
        f'<h3><button id="step{i}" aria-expanded="false">Step {i}</button></h3>'
        f'<div role="region" aria-labelledby="step{i}" style="display:none;"><p>{text}</p></div>'
        for i, text in enumerate(STORY, 1))
    html = ("<html><head><title>How the ferry terminal gets built</title></head><body>"
            "<nav><a href='/'>Home</a></nav><main><article><h1>How the ferry terminal gets built</h1>"
            f"<p>{STORY[0]}</p>{steps}</article></main><footer><p>© 2026 The Bay Gazette</p></footer></body></html>")
    given = []
    plain = extract_html._for_trafilatura

    def recording(page, depth, as_shown=False):
        tree = plain(page, depth, as_shown)
        given.append(tree if not isinstance(tree, str) else lxml.html.fromstring(tree))
        return tree

    monkeypatch.setattr(extract_html, "_for_trafilatura", recording)
    result = extract(make_article(html, fmt="html"), rules)
    assert isinstance(result, Article), result
    panels = [[e for e in tree.iter("div") if e.get("role") == "region"] for tree in given]
    assert len(given) == 2  # as sent, and as shown
    assert all("display:none" in (e.get("style") or "") for e in panels[0])
    assert panels[1] and not any("display:none" in (e.get("style") or "") for e in panels[1])
    body = "\n".join(b.text for b in result.blocks)
    for text in STORY:
        assert text in body
