"""strip on plain-text dumps with text mode's models: the story and its headline stay, what lies
around it goes as `outside_story`, a rule that names a line explains its cut, comments go whole."""

from __future__ import annotations

import pytest

from cleaner.record import Article, BlockKind
from cleaner.region import load_text_models
from cleaner.strip import BLOCK_SHAPE, OUTSIDE_STORY, THREAD_RULE, strip
from cleaner.strip.title import _without_label
from tests.conftest import CONSENT_DIALOG, blocks_of, with_hints

STORY = [
    "The city council approved the new budget on Tuesday after a debate that lasted well into the evening, "
    "with members split over how much to spend on roads, schools and the long-delayed library project.",
    "Supporters said the plan would finally fix the crumbling bridges on the east side, while critics warned "
    "that the higher property tax would hurt families who are already struggling with rising prices.",
    "What's Next?",
    "The mayor, who had threatened a veto in the spring, praised the compromise and said the city could now "
    "plan for the next five years without lurching from one emergency to another, as it had in the past.",
    "A final vote on the library funding is expected next month, once engineers have reported on the cost of "
    "repairing the roof of the old building, which has been closed to the public since the storms of last year.",
]
MENU = ["Skip to content", "Home", "News", "Local", "Politics", "Business", "Sport", "Opinion"]
TEASERS = ["Most read", "Ferry timetable changes for the winter season", "Local bakery wins national bread award",
           "Police appeal after harbour car park fire", "School inspection report published"]
COMMENTS = ["2 Comments", "Tom Roe", "June 4, 2024 at 4:47 pm",
            "I have lived in this city for thirty years and the bridges have been crumbling for all of them, so "
            "it is about time the council found the money to repair them properly instead of patching them up.",
            "Ann Lee", "June 5, 2024 at 9:02 am",
            "The state will never pay for the library, mark my words, and the city will end up raising taxes "
            "again to cover the repairs that should have been done years ago by the people now claiming credit."]
FOOTER = ["About us", "Contact", "Privacy Policy | Terms of Use", "© 2024 The Daily Ledger. All rights reserved."]


@pytest.fixture(scope="module")
def models():
    found = load_text_models()
    assert found is not None, "the line model is not shipped"
    return found


def run(parts: list[str], rules, models, **hints) -> Article:
    article = blocks_of("\n\n".join(parts), rules)
    if hints:
        article = with_hints(article, **hints)
    result = strip(article, rules, min_words=0, models=models)
    assert isinstance(result, Article), result
    return result


BYLINE = ["Jane Doe", "June 4, 2024"]
# Lines no rule names: only the line model can tell them from the story.
WIDGET = ["Weather for the harbour district today", "Partly cloudy with a light breeze from the west",
          "High tide at the old pier at 06:12 and 18:40", "Ferry services running to the summer timetable"]


def test_the_story_and_its_headline_stay_and_the_chrome_goes(rules, models):
    result = run([*MENU, "Council Passes Budget", *BYLINE, *STORY, *TEASERS, *FOOTER], rules, models)
    assert [b.text for b in result.body_blocks] == STORY
    assert [b.text for b in result.blocks if b.kind is BlockKind.TITLE] == ["Council Passes Budget"]
    assert (result.meta.author, result.meta.published) == ("", "")  # tag has not run yet
    cut = {r.text: r for r in result.removals}
    assert set(cut) == set(MENU + BYLINE + TEASERS + FOOTER)
    assert cut["Skip to content"].rule_id == "navigation.control"  # a rule that names a line explains it
    assert cut["© 2024 The Daily Ledger. All rights reserved."].category == "legal"
    assert dict(cut["Jane Doe"].facts) == {"byline_author": "Jane Doe", "byline_date": "2024-06-04"}
    assert all(r.rule_id.startswith(f"{r.category}.") for r in result.removals)


def test_lines_no_rule_names_are_cut_as_outside_the_story(rules, models):
    result = run([*MENU, *STORY, *WIDGET], rules, models)
    assert [b.text for b in result.body_blocks] == STORY
    assert {r.text: r.category for r in result.removals if r.text in WIDGET} == dict.fromkeys(WIDGET, OUTSIDE_STORY)


def test_a_heading_inside_the_story_is_story(rules, models):
    result = run([*MENU, *STORY, *FOOTER], rules, models)
    assert "What's Next?" in [b.text for b in result.body_blocks]


def test_a_comment_thread_after_the_story_goes_whole(rules, models):
    result = run(["Council Passes Budget", *STORY, *COMMENTS, *FOOTER], rules, models)
    assert [b.text for b in result.body_blocks] == STORY
    assert [b.text for b in result.blocks if b.kind is BlockKind.TITLE] == ["Council Passes Budget"]
    thread = [r for r in result.removals if r.rule_id == THREAD_RULE or r.category == "comments"]
    assert {r.text for r in thread} >= set(COMMENTS[1:])


def test_a_page_that_is_all_story_stays_all_story(rules, models):
    result = run(STORY, rules, models)
    assert [b.text for b in result.blocks] == STORY and result.removals == ()


STEPS = ["Draw up a budget", "Book the venue", "Choose a photographer", "Send the invitations"]


def test_a_story_alone_keeps_its_short_lines(rules, models):
    """A text with no line a rule names, mostly story by the line model, is a clean story (a feed's
    full text, an article given alone): the model cuts neither the short items of its list, which
    it would take for chrome on a page's dump, nor what stands after its last paragraph (a
    closing list, a short last section; here a widget no rule names, the price). What stands
    before its first line it still cuts (tests/flows/test_hostile.py: an opening formula line)."""
    story = [*STORY[:2], *STEPS, *STORY[3:]]
    assert [b.text for b in run(story, rules, models).blocks] == story
    result = run([*story, *WIDGET], rules, models)
    assert [b.text for b in result.blocks] == [*story, *WIDGET] and result.removals == ()
    on_a_page = run([*MENU, *story, *FOOTER], rules, models)  # a dump: the model decides every line
    assert {b.text for b in on_a_page.body_blocks} <= set(story)


def test_the_model_cuts_carry_their_score(rules, models):
    result = run([*MENU, *STORY, *WIDGET, *FOOTER], rules, models)
    scored = [r for r in result.removals if r.category in (OUTSIDE_STORY, BLOCK_SHAPE)]
    assert scored and all(dict(r.facts)["score"] for r in scored)
    assert all(r.rule_id.endswith(f"model_{models.version}") for r in scored)


def test_a_crawler_title_wins_over_the_headline_model(rules, models):
    result = run([*MENU, "Council Passes Budget", *STORY], rules, models, title="Council passes budget")
    assert [b.text for b in result.blocks if b.kind is BlockKind.TITLE] == ["Council Passes Budget"]


def test_strip_with_models_is_idempotent_and_only_cuts_input(rules, models):
    article = blocks_of("\n\n".join([*MENU, "Council Passes Budget", *STORY, *TEASERS]), rules)
    once = strip(article, rules, min_words=0, models=models)
    before = [b.text for b in article.blocks]
    assert all(r.text in before for r in once.removals)
    assert len(once.blocks) + len(once.removals) == len(before)
    twice = strip(once, rules, min_words=0, models=models)
    assert [b.text for b in twice.body_blocks] == [b.text for b in once.body_blocks]


def test_a_site_name_after_the_headline_goes_when_the_page_prints_it_on_a_line_of_its_own(rules):
    article = blocks_of("\n\n".join(["The Daily Ledger", *MENU, "Council Passes Budget | The Daily Ledger", *STORY]),
                        rules)
    at = len(MENU) + 1
    assert _without_label(article.blocks, at) == "Council Passes Budget"


def test_what_follows_the_headline_stays_unless_the_page_prints_it_alone(rules):
    article = blocks_of("\n\n".join([*MENU, "Real Estate Investing for Beginners - Real Estate 101",
                                     "Council Passes Budget | The Daily Ledger of the Harbour District",
                                     "The Daily Ledger of the Harbour District", "Covid-19 cases rise", "cases rise",
                                     *STORY]), rules)
    at = len(MENU)
    assert _without_label(article.blocks, at) == "Real Estate Investing for Beginners - Real Estate 101"
    # a name of more than five words is no site's name; a hyphen inside a word is no separator
    assert _without_label(article.blocks, at + 1) == "Council Passes Budget | The Daily Ledger of the Harbour District"
    assert _without_label(article.blocks, at + 3) == "Covid-19 cases rise"


def _dates(result: Article) -> dict[str, str]:
    """The dates the cuts hand to tag: {line: date}."""
    return {r.text: value for r in result.removals for name, value in r.facts if name in ("date", "byline_date")}


def test_an_updated_date_is_never_the_published_date(rules, models):
    result = run([*MENU, "Council Passes Budget", "Updated: 6/2/2025", *STORY, *FOOTER], rules, models)
    assert _dates(result) == {}  # byline.dateline still cuts the line, its date is not the page's
    assert any(r.text == "Updated: 6/2/2025" for r in result.removals)


def test_an_updated_date_is_handed_to_tag_as_updated(rules, models):
    result = run([*MENU, "Council Passes Budget", "Updated: June 2, 2025", *STORY, *FOOTER], rules, models)
    facts = {name: value for r in result.removals for name, value in r.facts}
    assert facts.get("byline_updated") == "2025-06-02" and "byline_date" not in facts


def test_teasers_dates_are_not_the_page_date(rules, models):
    teasers = ["Related articles", "Ferry timetable changes for the winter season", "01/31/2025",
               "Local bakery wins national bread award", "01/06/2025"]
    result = run([*MENU, "Council Passes Budget", *STORY, *teasers, *FOOTER], rules, models)
    assert _dates(result) == {}
    result = run([*MENU, "Council Passes Budget", *BYLINE, *STORY, *teasers, *FOOTER], rules, models)
    assert _dates(result) == {"Jane Doe": "2024-06-04"}


def test_an_about_heading_names_an_author_only_above_a_bio(rules, models):
    bio = "Jane Roe writes about city hall and the state budget for the paper."
    menu = ["Footer Menu", "About Steam Ritual", "Contact", "Privacy Policy"]
    for lines, heading, author in ((["About Jane Roe", bio], "About Jane Roe", "Jane Roe"),
                                   (menu, "About Steam Ritual", None),
                                   (["About the Daily Ledger", bio], "About the Daily Ledger", None)):
        result = run([*MENU, "Council Passes Budget", *STORY, *lines, *FOOTER], rules, models)
        cut = next(r for r in result.removals if r.text == heading)
        assert dict(cut.facts).get("author") == author


def test_a_closing_byline_names_the_author_unless_a_related_marker_stands_before_it(rules, models):
    def author(result):
        return {name: value for r in result.removals for name, value in r.facts}.get("byline_author")

    head = [*MENU, "City council approves new budget after long debate", "June 4, 2024"]  # no author at the top
    result = run([*head, *STORY, "Written by Jane Roe",
                  "Jane Roe writes about city hall and the state budget for the paper.", *FOOTER], rules, models)
    assert author(result) == "Jane Roe"
    teasers = ["Related Articles", "Ferry timetable changes for the winter season", "by Ann Poe"]
    result = run([*head, *STORY, *teasers, *FOOTER], rules, models)
    assert author(result) is None


def test_a_consent_preference_centre_is_neither_story_nor_headline(rules, models):
    """The rules cut it; the line model takes much of it for story (it saw few such dialogs), and
    its heading, the first line the model takes for the story's, is never the headline."""
    result = run([*MENU, *CONSENT_DIALOG, "Council Passes Budget", *STORY, *FOOTER], rules, models)
    assert [b.text for b in result.body_blocks] == STORY
    assert not {b.text for b in result.blocks if b.kind is BlockKind.TITLE} & set(CONSENT_DIALOG)
    cut = {r.text: r.category for r in result.removals}
    assert {cut[line] for line in CONSENT_DIALOG} == {"cookie"}
