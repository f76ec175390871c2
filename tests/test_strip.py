"""strip: story text with boilerplate words stays, teaser runs and threads go with their marker, zones hold."""

from __future__ import annotations

import pytest

from cleaner.record import Article, BlockKind, Format, Reject, RejectReason
from cleaner.strip import strip
from tests.conftest import CONSENT_DIALOG, blocks_of, with_hints

STORY = [
    "The city council approved the new budget on Tuesday after a debate that lasted well into the evening, "
    "with members split over how much to spend on roads, schools and the long-delayed library project.",
    "Supporters said the plan would finally fix the crumbling bridges on the east side, while critics warned "
    "that the higher property tax would hurt families who are already struggling with rising prices.",
    "The mayor, who had threatened a veto in the spring, praised the compromise and said the city could now "
    "plan for the next five years without lurching from one emergency to another, as it had in the past.",
    "A final vote on the library funding is expected next month, once engineers have reported on the cost of "
    "repairing the roof of the old building, which has been closed to the public since the storms of last year.",
]


def page(*, head: list[str] = (), middle: list[str] = (), tail: list[str] = (), title: str = "Council Passes Budget") -> str:
    """A text dump: title, head chrome, story (with `middle` inserted halfway), tail chrome."""
    body = STORY[:2] + list(middle) + STORY[2:]
    return "\n\n".join([title, *head, *body, *tail])


def run(text: str, rules, **hints) -> Article:
    article = blocks_of(text, rules)
    if hints:
        article = with_hints(article, **hints)
    result = strip(article, rules, min_words=0)
    assert isinstance(result, Article), result
    return result


def cuts(article: Article) -> dict[str, str]:
    return {r.text: r.rule_id for r in article.removals}


# What each rule cuts, block by block, is in its own `examples` (src/cleaner/rules/*.toml,
# run by tests/test_rule_examples.py). Here: what strip does around the rules.

# Story text that uses boilerplate words: it must stay.
NEGATIVE = [
    ("cookie", "The European Commission said websites that use cookies to track visitors must make refusing them as easy as accepting them, a rule that regulators in several countries have begun to enforce with fines.", "middle"),
    ("cookie", "Bakers at the fair sold more than four thousand cookies by noon, and the organisers said the proceeds would go to the food bank.", "middle"),
    ("cookie", "Measure content performance", "middle"),  # a consent purpose's name, here a story's heading
    ("cookie", "These cookies may be stored in an airtight tin for a week, the baker said, though most are eaten long before that.", "middle"),
    ("donation", "Kim responded: “We are grateful for Russia’s willingness to support us in advancing our technological capabilities.”", "middle"),
    ("donation", "The charity said donations rose by a third last year, as more residents chose to support the shelter with a monthly gift.", "middle"),
    ("related", "Read more about the budget in the council's published report, which runs to more than three hundred pages and lists every line of spending.", "middle"),
    ("related", "What’s Next?", "middle"),
    ("comments", "Residents were invited to leave a comment on the plan at the public hearing, and more than two hundred did so before the deadline closed.", "middle"),
    ("share", "Shares in the construction company rose by six percent after the vote, as investors bet on a wave of new contracts from the city.", "middle"),
    ("newsletter", "The council's newsletter, mailed to every household, will explain the new tax rates in plain language before the first bills arrive.", "middle"),
    ("author_bio", "Critics of the plan, led by a former editor of the local paper, said the numbers did not add up and called for an independent audit.", "middle"),
    ("breadcrumb", "Roads > schools > libraries was the order of priorities the mayor set out, to the dismay of the library's many supporters.", "middle"),
    ("legal", "The company said all rights to the stadium's name had been sold to a bank for ten years, in a deal worth several million euros.", "middle"),
    ("heading", "Agenda of the Meeting", "middle"),
    # A tutorial quotes a server's warning and teaches formulas in its story.
    ("leftover", "Warning: Undefined variable $post in /var/www/html/single.php on line 12", "middle"),
    ("leftover", "=SUM(A1:A9)", "middle"),
]


@pytest.mark.parametrize(("category", "text", "where"), NEGATIVE, ids=[f"{c}:{t[:30]}" for c, t, _ in NEGATIVE])
def test_story_text_with_boilerplate_words_stays(rules, category, text, where):
    result = run(page(**{where: [text]}), rules)
    assert text in result.body, cuts(result).get(text)


def test_a_servers_warning_above_the_story_and_a_planted_formula_are_cut_as_leftovers(rules):
    warning = "Warning: Undefined variable $post in /var/www/html/single.php on line 12"
    formula = '=HYPERLINK("http://evil.example/","Click")'
    result = run(page(head=[warning], middle=[formula]), rules)
    assert cuts(result) == {warning: "leftover.server_error", formula: "leftover.formula"}
    assert all(line in result.body for line in STORY)


def test_a_consent_preference_centre_above_the_story_is_cut(rules):
    """A consent manager's dialog, hidden in the markup, flattened into the dump: its heading, the
    consent framework's purposes with their partner counts and toggles, their fixed descriptions
    and OneTrust's category texts all go as cookie; the story stays whole."""
    result = run(page(head=CONSENT_DIALOG), rules)
    assert {cuts(result).get(line, "")[:7] for line in CONSENT_DIALOG} == {"cookie."}
    assert all(line in result.body for line in STORY)


def test_teasers_after_a_related_marker_go_with_it(rules):
    teasers = [
        "Check Also",
        "Joe Biden's Powerful Speech Strengthens Nato Alliance Amid Election Challenge From Trump",
        "Joe Biden’s Resilience Shines As Allies Rally Behind Him In Face Of Criticism",
        "As Joe Biden graced the stage for a rally in Detroit, Michigan, on Friday evening, ...",
    ]
    result = run(page(tail=teasers), rules)
    assert [cuts(result).get(t) for t in teasers] == ["related.marker"] * 4
    assert all(r.category == "related" for r in result.removals)


def test_teasers_stop_at_the_next_story_section(rules):
    """A related box in the middle of a story: the section heading after it is content."""
    middle = ["Related", "Mayor threatens veto over budget", "What the council decided"]
    result = run(page(middle=middle), rules)
    assert cuts(result).get("Mayor threatens veto over budget") == "related.marker"
    assert "What the council decided" in result.body


def test_teasers_stop_at_another_category(rules):
    tail = ["You might also like", "This website uses cookies to improve your experience. Accept Read More"]
    result = run(page(tail=tail), rules)
    assert cuts(result) == {tail[0]: "related.marker", tail[1]: "cookie.site_uses_cookies"}


def test_a_comment_thread_goes_with_its_heading(rules):
    thread = ["2 Comments", "Jen P. says:", "June 20, 2024 at 9:14 am",
              "Finally! The walk from the light rail to my office is the worst part of my commute.", "Reply",
              "Leave a Reply"]
    result = run(page(tail=thread), rules)
    assert [cuts(result).get(t) for t in thread] == [
        "comments.thread", "comments.form", "comments.thread", "comments.thread", "comments.prompt", "comments.prompt"]


def test_zone_limited_rules_do_not_fire_in_the_story(rules):
    bio_like = "Jane Doe is a senior correspondent covering city hall and state politics."
    result = run(page(head=[bio_like]), rules)
    assert bio_like in result.body


def test_title_is_the_first_heading_and_repeats_are_cut(rules):
    text = page(title="Council Passes Budget", head=["Council Passes Budget: What It Means for You", "Council  Passes Budget"])
    result = run(text, rules)
    assert [b.text for b in result.blocks if b.kind is BlockKind.TITLE] == ["Council Passes Budget"]
    assert {r.rule_id for r in result.removals} == {"repeated_title.same_as_title"}
    assert len(result.removals) == 2


def test_the_cleanest_spelling_of_a_repeated_headline_is_the_title(rules):
    text = "\n".join(["Home » News » World news » Putin’s Historic Visit", "Putin 's Historic Visit"]) + "\n\n" + page(title="Putin’s Historic Visit")
    result = run(text, rules)
    title = [b.text for b in result.blocks if b.kind is BlockKind.TITLE]
    assert title == ["Putin’s Historic Visit"]
    assert cuts(result)["Putin 's Historic Visit"] == "repeated_title.same_as_title"


def test_no_title_is_invented_when_the_dump_opens_with_a_paragraph(rules):
    result = run("\n\n".join(STORY), rules)
    assert not [b for b in result.blocks if b.kind is BlockKind.TITLE]


def test_crawler_title_marks_the_matching_block(rules):
    result = run(page(title="Council Passes Budget"), rules, title="Council passes budget")
    assert [b.text for b in result.blocks if b.kind is BlockKind.TITLE] == ["Council Passes Budget"]


def test_captured_facts_ride_on_the_removal(rules):
    result = run(page(tail=["About lukwago J", "This is not a Paywall, but Newslex Point's journalism costs money. Support us with as little as $1."]), rules)
    facts = {k: v for r in result.removals for k, v in r.facts}
    assert facts == {"author": "lukwago J", "site": "Newslex Point"}


def test_only_boilerplate_is_rejected_with_a_reason(rules):
    article = blocks_of("Leave a Comment\n\nThis website uses cookies. Accept Read More\n\nShare this article", rules)
    result = strip(article, rules, min_words=25)
    assert isinstance(result, Reject)
    assert result.reason is RejectReason.EMPTY_AFTER_STRIP
    assert result.stage == "strip"
    assert "comments" in result.detail and "cookie" in result.detail


def test_a_short_story_is_published_and_a_page_that_is_only_an_error_message_is_not(rules):
    from cleaner.config import CleanConfig

    min_words = CleanConfig().min_words
    short = blocks_of("The harbour ferry will not run on Sunday because of the storm warning, the operator said.", rules)
    assert isinstance(strip(short, rules, min_words=min_words), Article)
    for message in ("404 Not Found\n\nThe requested URL /news/harbour-ferry.html was not found on this server.",
                    "Oops! That page can’t be found.\n\nSorry, we can't find the page you're looking for.",
                    "You need to enable JavaScript to run this app.",
                    "Just a moment...\n\nChecking your browser before accessing news.example.com."):
        result = strip(blocks_of(message, rules), rules, min_words=min_words)
        assert isinstance(result, Reject) and result.reason is RejectReason.EMPTY_AFTER_STRIP, message
        assert "leftover" in result.detail
    # the same words inside a story are the story's
    story = blocks_of("Just a moment later, the lights went out across the stadium and the match was stopped for an hour.\n\n"
                      "The page was not found in the archive, the clerk said, and the record of the vote is lost.", rules)
    assert isinstance(strip(story, rules, min_words=min_words), Article)


def test_a_page_titled_as_an_error_page_with_little_text_is_no_article(rules):
    from cleaner.config import CleanConfig

    min_words = CleanConfig().min_words
    # what a 404 page says besides its title, glued to its menu in one line no whole-line rule matches
    glued = ("<html><head><title>Page not found – The Courier</title></head><body><nav><a href='/'>Home</a>"
             "<a href='/news'>News</a></nav><main><h1>Oops! That page can’t be found.</h1><p>It looks like "
             "nothing was found here, so maybe try a search of our archive instead?</p></main></body></html>")
    result = strip(blocks_of(glued, rules, fmt="html"), rules, min_words=min_words)
    assert isinstance(result, Reject) and result.reason is RejectReason.NOT_AN_ARTICLE
    assert "leftover.error_page" in result.detail
    # a crawler record's title says so just as well
    text = blocks_of("Home News Search. We could not show this address, sorry about that, try the archive.", rules)
    result = strip(with_hints(text, title="404 Not Found"), rules, min_words=min_words)
    assert isinstance(result, Reject) and result.reason is RejectReason.NOT_AN_ARTICLE
    # a story with such a title is a story
    story = " ".join(["The film follows a reporter who is refused entry to a summit and spends the night outside."] * 5)
    film = blocks_of(f"<html><head><title>Access Denied</title></head><body><article><h1>Access Denied</h1>"
                     f"<p>{story}</p></article></body></html>", rules, fmt="html")
    assert isinstance(strip(film, rules, min_words=min_words), Article)


def test_stripping_never_adds_text_and_every_removal_comes_from_the_input(rules):
    text = page(head=["Home » News » Local", "Skip to content"], tail=["Leave a Comment", "© 2024 The Ledger"])
    article = blocks_of(text, rules)
    result = strip(article, rules, min_words=0)
    before = [b.text for b in article.blocks]
    after = [b.text for b in result.blocks]
    assert all(t in before for t in after)
    assert all(r.text in before for r in result.removals)
    assert len(after) + len(result.removals) == len(before)


def test_strip_is_idempotent(rules):
    once = run(page(head=["Home » News » Local"], tail=["Leave a Comment"]), rules)
    twice = strip(once, rules, min_words=0)
    assert twice.blocks == once.blocks
    assert twice.removals == once.removals


def test_html_blocks_get_the_same_text_rules(rules):
    html = (
        "<html><head><title>Council Passes Budget</title></head><body><article><h1>Council Passes Budget</h1>"
        + "".join(f"<p>{p}</p>" for p in STORY)
        + "<p>READ MORE: Mayor threatens veto over budget</p></article></body></html>"
    )
    article = blocks_of(html, rules, fmt="html")
    result = strip(article, rules, min_words=0)
    assert article.format is Format.HTML
    assert "READ MORE" not in result.body
    assert cuts(result).get("READ MORE: Mayor threatens veto over budget") == "related.inline_link"



STANDINGS = ("<table><tr><th>Team</th><th>W</th><th>D</th><th>L</th><th>Pts</th></tr>"
             "<tr><td>Reds</td><td>10</td><td>2</td><td>1</td><td>32</td></tr>"
             "<tr><td>Blues</td><td>9</td><td>3</td><td>1</td><td>30</td></tr>"
             "<tr><td>Greens</td><td>8</td><td>1</td><td>4</td><td>25</td></tr></table>")
STEPS = "<ol><li>Find your team</li><li>Read across</li><li>Compare points</li><li>Check the dates</li></ol>"


def html_story(middle: str = "", after: str = "") -> str:
    return ("<html><head><title>Council Passes Budget</title></head><body><article><h1>Council Passes Budget</h1>"
            + "".join(f"<p>{p}</p>" for p in STORY[:2]) + middle + "".join(f"<p>{p}</p>" for p in STORY[2:])
            + after + "</article></body></html>")


@pytest.mark.parametrize("where", ["middle", "after"])
def test_a_table_in_the_story_keeps_its_rows(rules, where):
    """Rows of a table read as a flattened menu ('Reds | 10 | 2 | 1 | 32') one by one; a table
    inside the story, or under a heading right after it, is the story's."""
    table = STANDINGS if where == "middle" else "<h2>Standings</h2>" + STANDINGS
    result = strip(blocks_of(html_story(**{where: table}), rules, fmt="html"), rules, min_words=0)
    assert "Reds | 10 | 2 | 1 | 32" in result.body
    assert "Team | W | D | L | Pts" in result.body
    assert not any(r.text.startswith(("Reds", "Team")) for r in result.removals)


def test_numbered_steps_after_the_story_stay(rules):
    result = strip(blocks_of(html_story(after="<h2>How to read it</h2>" + STEPS), rules, fmt="html"), rules,
                   min_words=0)
    assert all(step in result.body for step in ("Find your team", "Read across", "Check the dates"))


def test_a_menu_line_outside_any_table_is_still_cut(rules):
    """The protection is the table's, not the line shape's: a flattened menu after the story goes."""
    menu = "<p>World | Politics | Business | Sport | Culture</p>"
    result = strip(blocks_of(html_story(after=menu), rules, fmt="html"), rules, min_words=0)
    assert cuts(result).get("World | Politics | Business | Sport | Culture") == "navigation.menu_line"


def test_a_table_the_rules_cut_less_than_half_of_stays_whole(rules):
    """Past the story too, a table's rows stand or fall together: a ranking table whose rows
    without a decimal point read as flattened menus had lost those rows alone (WCXB dev 0103)."""
    rows = [("1", "Alder School of Business", "3.6", "729", "48%"), ("2", "Birch School of Business", "3.7", "731", "52%"),
            ("3", "Cedar School of Business", "N/A", "664", "35%"), ("4", "Dune School of Business", "3.5", "702", "44%"),
            ("5", "Elm School of Business", "3.4", "698", "41%")]
    table = "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</table>"
    far = ("<p>Sign up for our newsletter and never miss a story from the council chamber again.</p>"
           "<h3>More</h3><h3>Sections</h3><h3>Elsewhere</h3>" + table)
    result = strip(blocks_of(html_story(after=far), rules, fmt="html"), rules, min_words=0)
    assert "3 | Cedar School of Business | N/A | 664 | 35%" in result.body
    assert all(" | ".join(row) in result.body for row in rows)


def test_a_table_far_from_the_story_gets_the_rules(rules):
    """A table of links in the page's tail, away from the story, is no part of it: its rows
    are cut like any other lines."""
    far = ("<p>Sign up for our newsletter and never miss a story from the council chamber again.</p>"
           "<h3>More</h3><h3>Sections</h3><h3>Elsewhere</h3>"
           "<table><tr><td>World</td><td>Politics</td><td>Business</td><td>Sport</td></tr></table>")
    result = strip(blocks_of(html_story(after=far), rules, fmt="html"), rules, min_words=0)
    assert "World | Politics | Business | Sport" not in result.body



def test_a_story_printed_twice_is_kept_once(rules):
    """A print view or a slider repeats the story: each paragraph stays where it first stands."""
    text = "\n\n".join(["Council Passes Budget", *STORY, *STORY[:2]])
    result = run(text, rules)
    assert [p for p in result.body.split("\n\n") if p in STORY] == STORY
    assert [r.rule_id for r in result.removals if r.text in STORY] == ["repeated_text.same_paragraph"] * 2


def test_a_short_line_or_a_table_row_may_stand_twice(rules):
    """Under eight words a line can well repeat in a story (a refrain, a chant); so may the rows
    of a table."""
    refrain = "We want our library back."
    text = "\n\n".join(["Council Passes Budget", STORY[0], refrain, STORY[1], refrain, *STORY[2:]])
    assert run(text, rules).body.count(refrain) == 2
    rows = "<tr><td>Library repairs and the new roof</td><td>2,000,000</td><td>approved by the council</td></tr>" * 2
    html = html_story(middle=f"<table>{rows}</table>")
    result = strip(blocks_of(html, rules, fmt="html"), rules, min_words=0)
    assert result.body.count("Library repairs and the new roof | 2,000,000 | approved by the council") == 2


def test_a_page_of_headings_and_teaser_items_is_not_an_article(rules):
    listing = "\n\n".join(["Korean Peninsula", "- Kim and Putin meet at Russian spaceport as fears grow",
                            "- Kim’s armoured train crosses into Russia", "- Paramilitary parade marks anniversary"])
    result = strip(blocks_of(listing, rules), rules, min_words=0)
    assert isinstance(result, Reject)
    assert result.reason is RejectReason.NOT_AN_ARTICLE


BULLET_STORY = [
    "Sixers Beat Celtics",
    "- The Sixers opened slowly, and Embiid carried the offence through the first quarter.",
    "- Reed gave the bench a lift in the second quarter with six points and two blocks.",
    "- The third quarter belonged to Embiid, who scored thirteen points in the period.",
    "- Team defence in the final minutes decided the game, as the coach said afterwards.",
]


def test_a_story_told_in_bullet_sentences_is_an_article_in_a_text_dump(rules):
    """A list item that is a whole sentence is running text in a dump (two snippet dev pages, a
    game's notes and a diary's list of sentences, had been rejected as index pages); list items
    that are headlines (no stop) still make an index page (the test above)."""
    result = strip(blocks_of("\n\n".join(BULLET_STORY), rules), rules, min_words=0)
    assert not isinstance(result, Reject), result
    assert all(line[2:] in result.body for line in BULLET_STORY[1:])
    short = "\n\n".join(["Sixers Beat Celtics", "- Embiid scores.", "- Reed blocks two.", "- Defence wins it."])
    assert isinstance(strip(blocks_of(short, rules), rules, min_words=0), Reject)


def test_in_html_mode_list_items_alone_stay_an_index_page(rules):
    """In html mode the check stays as it was: it is the page-type model's second listing check
    (two WCXB dev listing pages of sentence-long items are rejected by it alone)."""
    items = "".join(f"<li>{line[2:]}</li>" for line in BULLET_STORY[1:])
    html = f"<html><body><article><h1>{BULLET_STORY[0]}</h1><ul>{items}</ul></article></body></html>"
    result = strip(blocks_of(html, rules, fmt="html"), rules, min_words=0)
    assert isinstance(result, Reject) and result.reason is RejectReason.NOT_AN_ARTICLE


TRANSCRIPT = ("Welcome to this lesson on smartphones. A smartphone is a lot like a tablet computer, but small "
              "enough to fit in your pocket and able to make or receive calls. There are two main types of "
              "smartphone, and they do the same things a bit differently. Like a tablet, a smartphone has a "
              "battery inside that lasts several hours before it needs charging again.")


def test_a_story_that_is_one_item_of_a_list_is_an_article(rules):
    """A course page whose transcript is one item of its activity list, beside one-line items
    (WCXB dev 2157), is the story wrapped in a list; a list of several such items is an index."""
    items = ["Join or sign in", TRANSCRIPT, "Activities", "1 Get to know your smartphone 6 min",
             "2 Using your smartphone 6 min"]
    html = ("<html><body><article><h1>What is a smartphone?</h1><ul>"
            + "".join(f"<li>{item}</li>" for item in items) + "</ul></article></body></html>")
    result = strip(blocks_of(html, rules, fmt="html"), rules, min_words=0)
    assert not isinstance(result, Reject), result
    assert TRANSCRIPT in result.body
    posts = "".join(f"<li><h2>Post {n}</h2>{TRANSCRIPT}</li>" for n in range(4))
    listing = f"<html><body><article><h1>Latest posts</h1><ul>{posts}</ul></article></body></html>"
    result = strip(blocks_of(listing, rules, fmt="html"), rules, min_words=0)
    assert isinstance(result, Reject) and result.reason is RejectReason.NOT_AN_ARTICLE
