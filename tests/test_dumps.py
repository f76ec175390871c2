"""cleaner.dumps: a page's visible text as three tools dump it."""

from __future__ import annotations

from cleaner.dumps import DUMPERS, get_text_dump, shown_text_dump, text_dump

PAGE = """<html><head><title>Council budget</title><style>p{color:red}</style></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<h1>Council approves budget</h1>
<p>The council approved the budget on <a href="/tue">Tuesday</a> after a <em>long</em> debate.<br>Members
   argued over the sea wall.</p>
<div hidden>A hidden promo</div><div style="display: none">Another hidden promo</div>
<table><tr><td>Roads</td><td>4.2m</td></tr><tr><td>Schools</td><td>3.1m</td></tr></table>
<script>var tracking = 1;</script>
</body></html>"""


def test_get_text_writes_a_line_per_text_node():
    lines = get_text_dump(PAGE).split("\n")
    assert lines[:5] == ["Home", "News", "Council approves budget", "The council approved the budget on", "Tuesday"]
    assert "long" in lines and "var tracking = 1;" not in lines and "Council budget" not in lines


def test_the_shown_text_keeps_sentences_whole_and_leaves_hidden_elements_out():
    dump = shown_text_dump(PAGE)
    lines = dump.split("\n")
    assert "The council approved the budget on Tuesday after a long debate." in lines
    assert "Members argued over the sea wall." in lines  # <br>: a line break
    assert "Roads\t4.2m" in lines and "Schools\t3.1m" in lines
    assert "hidden promo" not in dump and "tracking" not in dump and "Council budget" not in dump
    assert "\n\nCouncil approves budget\n\n" in dump  # a heading stands apart


def test_a_streamed_pages_pieces_are_shown_where_the_page_puts_them():
    page = ('<html><body><main><h1>Headline</h1><template id="B:0"></template><p>Loading…</p><!--/$--></main>'
            '<footer>Footer</footer><div hidden id="S:0"><p>The story, streamed after the footer.</p></div>'
            '</body></html>')
    dump = shown_text_dump(page)
    assert "The story, streamed after the footer." in dump
    assert dump.index("The story") < dump.index("Footer")


def test_every_tool_gives_nothing_for_no_page():
    for dumper in DUMPERS.values():
        assert dumper("") == ""
    assert shown_text_dump("   ") == ""
    assert text_dump(PAGE).startswith("Home")
