"""A page streamed by React: its hidden pieces are put where their placeholders stand, as the
browser's script puts them, and the story is extracted from there."""

from __future__ import annotations

import lxml.html
from lxml import etree

from cleaner.extract import extract
from cleaner.extract.streamed import assemble, is_streamed
from cleaner.record import Article
from tests.conftest import make_article

STORY = [
    "The harbour authority approved the new ferry terminal on Tuesday after a two-year review "
    "of its effect on the bay's seagrass meadows and the fishing fleet that depends on them.",
    "Construction is due to begin in the spring, and the operator expects the first crossings "
    "to the island to run by the summer of next year, with four sailings a day each way.",
    "Residents who had opposed the plan said they would keep watching the dredging closely, "
    "while the council promised monthly reports on water quality during the works.",
]


def tree(html: str):
    return lxml.html.fromstring(html, parser=lxml.html.HTMLParser(remove_comments=False))


def text_of(element) -> str:
    etree.strip_elements(element, etree.Comment, with_tail=False)
    return " ".join(" ".join(element.itertext()).split())


def test_a_boundary_gets_its_piece_and_loses_its_fallback():
    page = tree('<html><body><main>Before <!--$?--><template id="B:0"></template>Loading...<div>spinner</div>'
                '<!--/$--> after</main><footer>Footer</footer>'
                '<div hidden id="S:0"><p>The story.</p></div><script>$RC("B:0","S:0")</script></body></html>')
    assert is_streamed(lxml.html.tostring(page, encoding="unicode"))
    assert assemble(page) == 1
    assert text_of(page.find(".//main")) == "Before The story. after"
    assert page.find(".//div[@hidden]") is None and "Loading" not in text_of(page)


def test_a_placeholder_gets_its_piece_and_pieces_nest():
    page = tree('<html><body><article><template id="P:1"></template>tail text</article>'
                '<div hidden id="S:1"><p>First part.</p><section><template id="P:2"></template></section></div>'
                '<div hidden id="S:2"><p>Second part.</p></div></body></html>')
    assert assemble(page) == 2
    assert text_of(page.find(".//article")) == "First part. Second part. tail text"


def test_a_piece_without_its_placeholder_stays_hidden_and_a_fallback_without_its_end_stays():
    page = tree('<html><body><main><template id="B:3"></template><p>Fallback, no closing comment.</p></main>'
                '<div hidden id="S:3"><p>Piece three.</p></div>'
                '<div hidden id="S:4"><p>Orphan piece.</p></div></body></html>')
    assert assemble(page) == 1
    assert text_of(page.find(".//main")) == "Piece three. Fallback, no closing comment."
    assert [d.get("id") for d in page.iter("div") if d.get("hidden") is not None] == ["S:4"]


def test_an_ordinary_page_is_not_streamed():
    assert not is_streamed('<html><body><div hidden id="menu">x</div><p>Text</p></body></html>')


def test_the_story_of_a_streamed_page_is_extracted(rules):
    """The article's body arrives as hidden pieces after the footer; the container holds only
    placeholders and their 'Loading' fallbacks."""
    slots = "".join(f'<!--$?--><template id="B:{i}"></template><div>Loading paragraph...</div><!--/$-->'
                    for i in range(len(STORY)))
    pieces = "".join(f'<div hidden id="S:{i}"><p>{text}</p></div><script>$RC("B:{i}","S:{i}")</script>'
                     for i, text in enumerate(STORY))
    html = ("<html><head><title>Ferry terminal approved</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<main><article><h1>Ferry terminal approved</h1>{slots}</article></main>"
            f"<footer><p>© 2026 The Bay Gazette. All rights reserved.</p></footer>{pieces}</body></html>")
    result = extract(make_article(html, fmt="html"), rules)
    assert isinstance(result, Article), result
    body = "\n".join(b.text for b in result.blocks)
    for text in STORY:
        assert text in body
    assert "Loading paragraph" not in body


def test_pieces_that_hold_each_others_placeholders_do_not_loop():
    """A hostile page: piece 1 holds piece 2's placeholder and piece 2 holds piece 1's. One is
    placed; the other would go inside itself and stays."""
    page = tree('<html><body><main><template id="P:0"></template></main>'
                '<div hidden id="S:0"><p>Zero.</p><template id="P:1"></template></div>'
                '<div hidden id="S:1"><p>One.</p><template id="P:2"></template></div>'
                '<div hidden id="S:2"><p>Two.</p><template id="P:1"></template></div></body></html>')
    assemble(page)
    assert "Zero." in text_of(page.find(".//main"))
    assert len(list(page.iter("p"))) == 3
