"""extract: text dumps become typed blocks; HTML loses selected chrome (recorded) before trafilatura."""

from __future__ import annotations

from cleaner.extract import extract, split_text
from cleaner.record import Article, BlockKind, Reject, RejectReason
from tests.conftest import blocks_of, make_article

PARAS = [
    "Russian President Vladimir Putin arrived in Pyongyang under the cover of darkness, receiving an unexpected "
    "warm welcome from North Korean leader Kim Jong Un at the airport before dawn on Wednesday.",
    "Despite the late hour, the red carpet was rolled out, and the two leaders embraced as a sign of the growing "
    "camaraderie between their nations, setting the stage for a momentous day of talks ahead.",
    "The agenda included an official welcoming ceremony, one-on-one discussions, a gala concert and the signing "
    "of several joint documents, including a treaty on a comprehensive strategic partnership.",
]


def kinds(text: str):
    return [(b.kind, b.text) for b in split_text(text)]


def test_blank_lines_separate_blocks_and_single_lines_stay_separate():
    text = "Home » News » World\nPutin Visits Pyongyang\n\nFirst paragraph of the story goes here."
    assert kinds(text) == [
        (BlockKind.HEADING, "Home » News » World"),  # a heading by shape; strip knows it is a breadcrumb
        (BlockKind.HEADING, "Putin Visits Pyongyang"),
        (BlockKind.PARAGRAPH, "First paragraph of the story goes here."),
    ]


def test_bullets_become_list_items_without_their_marker():
    text = "Agenda of the Meeting\n\n  • The primary focus is trade.\n  • Both nations met.\n- A dash item\n1. A numbered item"
    assert kinds(text) == [
        (BlockKind.HEADING, "Agenda of the Meeting"),
        (BlockKind.LIST_ITEM, "The primary focus is trade."),
        (BlockKind.LIST_ITEM, "Both nations met."),
        (BlockKind.LIST_ITEM, "A dash item"),
        (BlockKind.LIST_ITEM, "A numbered item"),
    ]


def test_question_heading_is_a_heading_and_sentences_are_paragraphs():
    assert kinds("What’s Next?\n\nThe talks ended.") == [
        (BlockKind.HEADING, "What’s Next?"),
        (BlockKind.PARAGRAPH, "The talks ended."),
    ]


def test_hard_wrapped_paragraph_is_joined():
    text = "The two leaders met at the spaceport where they\ndiscussed trade and satellites for hours.\n\nNext."
    assert kinds(text)[0] == (BlockKind.PARAGRAPH,
                              "The two leaders met at the spaceport where they discussed trade and satellites for hours.")


def test_html_selected_chrome_is_removed_and_recorded(rules):
    html = f"""<html><head><title>Putin Visits Pyongyang | The Ledger</title>
    <meta property="og:site_name" content="The Ledger"></head><body>
    <div id="onetrust-banner-sdk"><p>We use cookies to improve your experience. Accept all</p></div>
    <nav class="breadcrumb"><a>Home</a> &raquo; <a>World</a></nav>
    <article><h1>Putin Visits Pyongyang</h1>
    <p>{PARAS[0]}</p><h2>A warm welcome</h2><p>{PARAS[1]}</p>
    <ul><li>An official welcoming ceremony</li><li>A gala concert</li></ul>
    <div class="share-buttons"><a>Facebook</a><a>Twitter</a></div>
    <p>{PARAS[2]}</p></article>
    <aside class="related-posts"><h3>You might also like</h3><a>Another story entirely</a></aside>
    <div id="comments"><h3>Leave a Reply</h3></div>
    <footer class="site-footer">© 2024 The Ledger. All rights reserved.</footer>
    <script>var x = "script text must never reach the body";</script>
    </body></html>"""
    article = blocks_of(html, rules, fmt="html")
    by_rule = {r.rule_id: r.text for r in article.removals}
    assert by_rule["cookie.consent_manager"] == "We use cookies to improve your experience. Accept all"
    assert by_rule["breadcrumb.html"] == "Home » World"
    assert by_rule["share.widget"] == "Facebook Twitter"
    assert by_rule["related.widget"] == "You might also like Another story entirely"
    assert by_rule["comments.section"] == "Leave a Reply"
    assert by_rule["legal.footer"] == "© 2024 The Ledger. All rights reserved."
    kinds_ = [(b.kind, b.text) for b in article.blocks]
    assert (BlockKind.HEADING, "A warm welcome") in kinds_
    assert (BlockKind.LIST_ITEM, "A gala concert") in kinds_
    assert [t for k, t in kinds_ if k is BlockKind.PARAGRAPH] == PARAS
    assert all("script text" not in b.text for b in article.blocks)
    assert article.page.title == "Putin Visits Pyongyang"
    assert article.page.site == "The Ledger"
    assert article.text == ""


def test_text_the_extractor_drops_is_recorded_under_a_rule_or_unclassified(rules):
    html = f"""<html><body><div class="wrap"><div class="promo">Sign up for our daily newsletter to get the news in your inbox</div>
    <div class="odd-widget">Weather: 21 degrees and sunny</div>
    <article><p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p></article></div></body></html>"""
    article = blocks_of(html, rules, fmt="html")
    assert {(r.category, r.rule_id) for r in article.removals} >= {("newsletter", "newsletter.signup")}
    unclassified = [r.text for r in article.removals if r.category == "unclassified"]
    assert unclassified == ["Weather: 21 degrees and sunny"]


def test_a_class_name_that_selects_the_whole_story_does_not_remove_it(rules):
    html = f"<html><body><div class='menu'><p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p></div></body></html>"
    article = blocks_of(html, rules, fmt="html")
    assert [b.text for b in article.blocks] == PARAS


def test_structured_data_gives_the_date_but_a_date_in_the_story_does_not(rules):
    story = "".join(f"<p>{p}</p>" for p in PARAS) + "<p>The previous summit took place on April 25, 2019 in Vladivostok.</p>"
    dated = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
             '"headline":"Putin Visits","datePublished":"2024-06-19T08:00:00Z","author":{"@type":"Person","name":"Jane Doe"}}</script>')
    with_date = blocks_of(f"<html><head>{dated}</head><body><article>{story}</article></body></html>", rules, fmt="html")
    without = blocks_of(f"<html><body><article>{story}</article></body></html>", rules, fmt="html")
    assert with_date.page.published == "2024-06-19"
    assert with_date.page.author == "Jane Doe"
    assert without.page.published == ""


def test_a_page_without_main_text_is_rejected(rules):
    result = extract(make_article("<html><body><div></div></body></html>", "html"), rules)
    assert isinstance(result, Reject)
    assert result.reason is RejectReason.NOT_AN_ARTICLE
    assert result.stage == "extract"


def test_text_extract_keeps_every_line(rules):
    text = "\n\n".join(["Title Here", *PARAS, "Leave a Comment"])
    article = extract(make_article(text), rules)
    assert isinstance(article, Article)
    assert [b.text for b in article.blocks] == ["Title Here", *PARAS, "Leave a Comment"]
    assert article.removals == ()
