"""byline: the page's own author and date, read from its byline lines; never invented."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.byline import Byline, Line, iso_date, read_byline, read_line, window

HEADLINE = "Council approves new budget for city parks"
STORY = (
    "The city council voted on Tuesday to approve a new budget for parks, ending months of debate over "
    "how the money should be spent across the districts."
)
MORE = "Officials said the first projects would begin in the spring, with playgrounds and paths first."
MENU = ["Home", "News", "Politics", "Sport", "Subscribe"]


def page(*byline: str, story: tuple[str, ...] = (STORY, MORE), menu: tuple[str, ...] = tuple(MENU)) -> Byline:
    """Read a page of menu, headline, the given byline lines and the story."""
    texts = [*menu, HEADLINE, *byline, *story]
    headline = len(menu)
    return read_byline(texts, headline, headline + 1 + len(byline))


# --- author cues --------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "author"), [
    ("By Jane Doe", "Jane Doe"),
    ("BY JANE DOE |", "Jane Doe"),
    ("By Jane Doe and John Roe", "Jane Doe"),
    ("By Jane Doe, John Roe and Ann Poe", "Jane Doe"),
    ("Written by Jane Doe", "Jane Doe"),
    ("Written by: Jane Doe", "Jane Doe"),
    ("Written by by Jane Doe", "Jane Doe"),
    ("Author: Jane Doe", "Jane Doe"),
    ("By Genevieve Carlton, Ph.D.", "Genevieve Carlton"),
    ("By Rebecca Lake, CEPF®", "Rebecca Lake"),
    ("By Jeffrey A. Slotnick", "Jeffrey A. Slotnick"),
    ("By Ludwig van Beethoven", "Ludwig van Beethoven"),
    ("By Jane Doe | June 19, 2024", "Jane Doe"),
    ("By Korin MillerPublished: Jan 29, 2025", "Korin Miller"),
    ("by Jacob Trussell—10 min read", "Jacob Trussell"),
    ("by Meaghan Weeden ● December 23, 2025 ● 6 min read", "Meaghan Weeden"),  # a bullet of any shape
    ("Contributors: Janet Loughrey", "Janet Loughrey"),
    ("By Kathryn Giuffrida Mar 5, 2025 | 6 comments", "Kathryn Giuffrida"),
    ("By The Investopedia Team", "The Investopedia Team"),
    ("Posted on May 5, 2024 by jane", "jane"),
    ("October 11, 2023 by Autumn Huerter", "Autumn Huerter"),
    ("March 15, 2022 · 3 min read · By ASU Online", "ASU Online"),
    ("Von Jana Schmidt", "Jana Schmidt"),
    ("Von Jana Schmidt | 19. Juni 2024", "Jana Schmidt"),
    ("Par Claire Dubois", "Claire Dubois"),
    ("Por Juan Pérez", "Juan Pérez"),
    ("Escrito por María José García", "María José García"),
    ("Written By: Tom May", "Tom May"),
    ("By Alyssa Maio on January 21, 2023", "Alyssa Maio"),
    ("Written By: Catherine Boeckmann Executive Digital Editor and Master Gardener", "Catherine Boeckmann"),
    ("On January 12, 2025January 22, 2025 By Gabby Boucher In Budget Travel , Budget Travel Guides , "
     "Travel Resources , Travel Tips", "Gabby Boucher"),
])
def test_a_cued_author_is_read(line, author):
    assert page(line).author == author


@pytest.mark.parametrize("line", [
    "By the way, this matters.",
    "By clicking subscribe you agree to our terms",
    "By focusing on the best tools, companies can grow",
    "By May 5, the council must decide",
    "Share",
    "Follow us",
    "Follow",
    "Unfollow",
    "By Share",
    "By Me",
    "By Today",
    "By Role",
    "Photo by Jane Doe",
    "Edited by Jane Doe",
    "Reviewed by Jane Doe",
    "Sort by Price",
    "By Home Menu Login",
    "By Wedding ChecklistsJust EngagedWedding Planning",
    "By Clemson News",
    "Written by AAA Travel Editor, SMT",
    "Our contributors",
    "Become a contributor",
])
def test_no_author_is_invented_from_a_non_name(line):
    assert page(line).author == ""


def test_a_label_on_its_own_line_cues_the_next_line():
    assert page("By", "Jane Doe", "June 19, 2024").author == "Jane Doe"
    assert page("Written by", "Edzel Tabing").author == "Edzel Tabing"
    assert page("Author", "Isaiah Shelton", "Updated on", "April 19, 2025").author == "Isaiah Shelton"


def test_a_cue_whose_name_cannot_be_read_stops_guessing():
    """'By' over menu words: the bare name further down is not taken instead."""
    assert page("By", "Wedding ChecklistsJust EngagedWedding Planning", "Naoise McNally", "May 5, 2024").author == ""


# --- names without a cue ----------------------------------------------------------------------------


def test_a_bare_name_counts_above_a_dateline():
    assert page("Jane Doe", "June 19, 2024").author == "Jane Doe"
    assert page("LEONARDO GARCIA", "Sep 26, 2022", "2 min read").author == "Leonardo Garcia"
    found = page("Dylan Bailey, MS, RD, FAND", "Dylan Bailey, MS, RD, FAND", "Published Jun 4, 2025")
    assert found.author == "Dylan Bailey"


def test_a_bare_name_counts_above_a_job_title_or_a_dateline_past_one_short_line():
    assert page("Nicoletta Richardson", "Trending Editor").author == "Nicoletta Richardson"
    assert page("Audrey Huang, Print Managing Editor", "May 31, 2024").author == "Audrey Huang"
    assert page("Ridvika Arora", "Marketing", "August 26, 2025").author == "Ridvika Arora"
    assert page("Manoj Jain and Jagpreet Chhatwal | Guest Columnists").author == "Manoj Jain"


def test_a_bare_name_counts_under_a_dateline():
    """The date over the name: right above it, or above the headline with the name right under it."""
    assert page("2025-12-17 ·", "Trond Teigen").author == "Trond Teigen"
    assert page("Updated Dec. 23, 2024, 1:24 PM EST", "Nicoletta Richardson").author == "Nicoletta Richardson"
    texts = [*MENU, "Travel September 8, 2021 -- min read", HEADLINE, "Andrei Zakhareuski", STORY, MORE]
    assert read_byline(texts, len(MENU) + 1, len(MENU) + 3).author == "Andrei Zakhareuski"


def test_under_a_dateline_only_a_whole_line_name_under_a_headline_counts():
    assert page("December 18, 2025", "Nonessential Thoughts , Technology").author == ""  # categories
    texts = [*MENU, "May 5, 2024", "Jane Doe", STORY, MORE]  # no headline: a teaser's date and name
    assert read_byline(texts, None, len(MENU) + 2).author == ""
    texts = [*MENU, "Travel", HEADLINE, "Andrei Zakhareuski", STORY, MORE]  # no date over it
    assert read_byline(texts, len(MENU) + 1, len(MENU) + 3).author == ""


def test_a_name_beside_a_date_on_one_line():
    assert page("Jane Doe | May 5, 2024").author == "Jane Doe"
    assert page("Faith Katunga • Oct 20, 2025").author == "Faith Katunga"
    assert page("December 15, 2025 · 30 min · 6279 words · Ash Vardanian").author == "Ash Vardanian"
    assert page("Patrick Clarke Published 10:19am 19 December 2025").author == "Patrick Clarke"
    assert page("Dec 26, 2025 • Mahua Das in Project Management").author == "Mahua Das"
    assert page("Dec. 19, 2025 · Niko Matsakis on behalf of Vision Doc group").author == ""


def test_a_name_beside_a_date_in_the_story_s_first_lines_is_the_author_on_a_short_line():
    # The line model may start the story a line early, on a standfirst: the byline is then inside.
    texts = [*MENU, HEADLINE, STORY, "Faith Katunga • Oct 20, 2025", MORE]
    got = read_byline(texts, len(MENU), len(MENU) + 1)
    assert (got.author, got.published) == ("Faith Katunga", "2025-10-20")
    long_line = "Faith Katunga spoke to the board on Oct 20, 2025 about the parks budget and its many delays."
    texts = [*MENU, HEADLINE, STORY, long_line, MORE]
    assert read_byline(texts, len(MENU), len(MENU) + 1).author == ""


def test_a_hashtag_is_a_topic_not_a_name():
    got = page("Emmanuel Oyibo", "#Cloud Computing", "Published on Oct 21, 2025")
    assert (got.author, got.published) == ("Emmanuel Oyibo", "2025-10-21")
    assert read_line("#Cloud Computing").name == ""


def test_a_bare_name_alone_is_not_enough():
    """A two-word line under the headline may be a section, a dek, a button."""
    assert page("Andrei Zakhareuski").author == ""
    assert page("Key Points").author == ""


def test_a_bare_phrase_the_page_writes_in_lower_case_is_no_name():
    story = ("The cleaning industry trends this year favour green products, and cleaning companies "
             "that follow industry trends grow faster than the rest.", MORE)
    assert page("Cleaning Industry Trends", "December 20, 2024", story=story).author == ""


def test_the_repeated_headline_and_menu_items_are_no_names():
    texts = ["Klatch Coffee", "Get that tech stack", "Klatch Coffee", "August 28, 2024", STORY]
    assert read_byline(texts, 0, 4).author == ""
    assert page("Video - December 19, 2025").author == ""
    assert page("Go Back", "April 28, 2025").author == ""


def test_a_name_above_the_headline_is_not_read_from_a_menu():
    texts = ["Home", "Jane Doe", "Contact", HEADLINE, "June 19, 2024", STORY]
    assert read_byline(texts, 3, 5).author == ""


def test_a_byline_several_lines_above_the_headline_is_read():
    """A review site's head: byline, editor, update and trust notes, a breadcrumb, then the headline."""
    above = ["Author: Jane Doe", "Edited By: John Roe", "Last Updated: February 28, 2026", "Fact Checked",
             "Why Trust Us?", f"Home » Reviews » {HEADLINE}"]
    got = read_byline([*MENU, *above, HEADLINE, STORY, MORE], len(MENU) + len(above), len(MENU) + len(above) + 1)
    assert got.author == "Jane Doe"


def test_a_cued_name_far_above_the_headline_is_a_menus():
    texts = ["+ By State", *MENU, *MENU, HEADLINE, STORY, MORE]
    assert read_byline(texts, 1 + 2 * len(MENU), 2 + 2 * len(MENU)).author == ""


def test_several_lines_above_the_headline_only_a_cued_name_counts():
    """A forum's member box above a thread's title: its dates and names are not the page's."""
    above = ["Jane Doe", "Joined Oct 28, 2023 Posts 267", "Oct 28, 2023", "Share", "Reply", "Report"]
    got = read_byline([*MENU, *above, HEADLINE, STORY, MORE], len(MENU) + len(above), len(MENU) + len(above) + 1)
    assert (got.author, got.published) == ("", "")


def test_the_byline_below_the_headline_wins_over_a_teaser_above_it():
    texts = ["by Andy Westlake", "Advertisement", HEADLINE, "Joshua Waller", "30 January 2025", STORY]
    assert read_byline(texts, 2, 5).author == "Joshua Waller"


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "date"), [
    ("June 19, 2024", "2024-06-19"),
    ("Jun 19, 2024", "2024-06-19"),
    ("Dec. 23, 2024", "2024-12-23"),
    ("Tuesday February 11 2025", "2025-02-11"),
    ("Friday, November 14, 2025", "2025-11-14"),
    ("June 9th, 2025", "2025-06-09"),
    ("19 June 2024", "2024-06-19"),
    ("2024-06-19", "2024-06-19"),
    ("2025/4/29", "2025-04-29"),
    ("Published: 05.06.2024", "2024-06-05"),
    ("Veröffentlicht am 19. Juni 2024", "2024-06-19"),
    ("Publié le 19 juin 2024", "2024-06-19"),
    ("Publicado el 4 de junio de 2024", "2024-06-04"),
    ("Posted on May 5, 2024 by jane", "2024-05-05"),
    ("Jane Doe | May 5, 2024", "2024-05-05"),
    ("Jane Doe · 5 min read · June 19, 2024", "2024-06-19"),
    ("Nov 08, 2025 7 min read", "2025-11-08"),
    ("Sat, 20 Dec, 2025 - 06:36", "2025-12-20"),
    ("On 8 Oct 2022", "2022-10-08"),
    ("13/05/2024", "2024-05-13"),
    ("2025•01•08", "2025-01-08"),
    ("March 30, 2023 | 5 min read", "2023-03-30"),
])
def test_the_publication_date_is_read(line, date):
    assert page(line).published == date


def test_an_updated_date_never_replaces_the_published_one():
    got = page("Published May 5, 2024", "Updated May 6, 2024")
    assert (got.published, got.updated) == ("2024-05-05", "2024-05-06")
    got = page("Updated May 6, 2024", "Published May 5, 2024")
    assert got.published == "2024-05-05"
    assert page("Published on Oct 21, 2025 Updated on Mar 9, 2026").published == "2025-10-21"


@pytest.mark.parametrize(("lines", "author", "published", "updated"), [
    (("Von Jana Schmidt | 19.06.2024",), "Jana Schmidt", "2024-06-19", ""),
    (("Veröffentlicht am 19. Juni 2024", "Aktualisiert am 20. Juni 2024"), "", "2024-06-19", "2024-06-20"),
    (("Par Claire Dubois, publié le 19 juin 2024 à 10h32",), "Claire Dubois", "2024-06-19", ""),
    (("Publié le 3 mars 2025", "Mis à jour le 4 mars 2025"), "", "2025-03-03", "2025-03-04"),
    (("Por Juan Pérez | 4 de junio de 2024",), "Juan Pérez", "2024-06-04", ""),
    (("Actualizado el 5 de junio de 2024",), "", "", "2024-06-05"),
    (("Jana Schmidt", "19.06.2024"), "Jana Schmidt", "2024-06-19", ""),
])
def test_german_french_spanish_bylines(lines, author, published, updated):
    got = page(*lines)
    assert (got.author, got.published, got.updated) == (author, published, updated)


def test_an_updated_date_alone_is_not_the_publication_date():
    got = page("By Jane Doe", "Updated May 6, 2024")
    assert (got.published, got.updated) == ("", "2024-05-06")
    assert page("Last updated:", "August 19, 2025").published == ""
    assert page("Last Updated: Dec 17, 2025 • 5 min read").published == ""


def test_a_label_counts_only_right_before_its_date():
    got = read_line("Posted on the community forum of the association on 2025-07-09:")
    assert got.dates == () or all(kind == "plain" for kind, _ in got.dates)
    assert read_line("Published: 10:19am 19 December 2025").dates == (("published", "2025-12-19"),)


def test_a_published_and_modified_pair_gives_the_earlier():
    assert page("June 29, 2020November 12, 2021").published == "2020-06-29"
    assert page("May 21, 2025April 24, 2025 by The Ritualist").published == "2025-04-24"


def test_a_date_inside_a_story_paragraph_is_never_the_published_date():
    story = ("On June 5, 2024, the council met to discuss the budget for the parks in every district.", MORE)
    assert page(story=story).published == ""
    assert page("By Jane Doe", story=story).published == ""
    assert page("On June 5, 2024, the board met.").published == ""


def test_a_list_of_dates_gives_none():
    lines = ("March 16, 2026", "FABCON", "Atlanta, United States", "A conference on data for all.",
             "March 16, 2026", "NVIDIA GTC", "San Jose, United States", "March 17, 2026")
    assert page(*lines).published == ""
    assert page("1/1/2013 +13.1%").published == ""


def test_a_date_range_is_an_event_not_a_publication():
    assert page("DATE: 2025-12-12 - 2025-12-17").published == ""


def test_dates_that_cannot_be_read_give_none():
    assert page("05/06/2024").published == ""  # 5 June in Britain, 6 May in the US
    assert page("Apr 12").published == ""  # no year
    assert page("2 hours ago").published == ""
    assert page("Originally published in March 2022").published == ""  # no day


def test_slashed_dates_are_day_first_outside_english():
    texts = ["Titel", "05/06/2024", STORY]
    assert read_byline(texts, 0, 2, language="de").published == "2024-06-05"
    assert read_byline(texts, 0, 2, language="en").published == ""


def test_iso_date():
    assert iso_date("Veröffentlicht am 05.06.2024 um 10:32 Uhr") == "2024-06-05"
    assert iso_date("le 3 mars 2025") == "2025-03-03"
    assert iso_date("no date here") == ""


# --- lines and window ---------------------------------------------------------------------------


def test_the_byline_lines_are_reported_for_cutting():
    texts = [*MENU, HEADLINE, "By Jane Doe", "June 19, 2024", "5 min read", "Share", STORY, MORE]
    got = read_byline(texts, 5, 10)
    assert (got.author, got.published) == ("Jane Doe", "2024-06-19")
    assert got.lines == (6, 7, 8, 9)


def test_nothing_found_reports_no_lines():
    assert page() == Byline()
    assert read_byline([], None, None) == Byline()
    assert read_byline(["a", "b"], None, None) == Byline()


def test_the_window_without_a_headline_looks_above_the_story():
    texts = [*MENU, "By Jane Doe", "June 19, 2024", STORY, MORE]
    got = read_byline(texts, None, 7)
    assert (got.author, got.published) == ("Jane Doe", "2024-06-19")


def test_the_window_reaches_a_few_lines_into_the_story():
    texts = [HEADLINE, STORY, "By Jane Doe", MORE]
    assert read_byline(texts, 0, 1).author == "Jane Doe"
    far = [HEADLINE, STORY, MORE, MORE, MORE, MORE, "By Jane Doe"]
    assert read_byline(far, 0, 1).author == ""


def test_window_bounds():
    assert window(100, 10, 14) == (1, 14, 18)
    assert window(100, None, 20) == (12, 20, 24)
    assert window(100, None, None) == (0, 0, 0)
    assert window(5, 3, 4) == (0, 4, 5)


def test_a_long_line_is_no_byline():
    assert read_line("By Jane Doe " + "and more words " * 10) == read_line("")


LINE = st.one_of(
    st.sampled_from(["By Jane Doe", "June 19, 2024", "Share", "Updated May 6, 2024", "Jane Doe", "By", "|",
                     "Von Jana Schmidt", "05.06.2024", "Key Points", "Posted on May 5, 2024 by jane", STORY]),
    st.text(max_size=80),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=14), st.data())
def test_never_crashes_and_never_invents(texts, data):
    """Whatever the lines, the author's words are words of the page, the date is ISO, and the
    lines reported exist."""
    headline = data.draw(st.none() | st.integers(0, max(0, len(texts) - 1)))
    story = data.draw(st.none() | st.integers(0, max(0, len(texts))))
    got = read_byline(texts, headline, story)
    page_words = " ".join(texts).casefold()
    assert all(word.casefold() in page_words for word in got.author.split())
    assert got.published == "" or (len(got.published) == 10 and got.published[4] == "-")
    assert all(0 <= i < len(texts) for i in got.lines)


@pytest.mark.parametrize(("capture", "name"), [
    ("lukwago J", "lukwago J"), ("JANE DOE", "Jane Doe"), ("Jane Doe", "Jane Doe"),
    ("Me On Instagram", ""), ("Nutrition", ""), ("Authors", ""), ("UsCareersLogin", ""), ("Us", ""),
])
def test_a_rules_capture_is_an_author_only_when_it_is_a_name(capture, name):
    from cleaner.byline import person

    assert person(capture) == name


# --- comments and teasers: their names and dates are never the page's ---------------------------


@pytest.mark.parametrize("head", [
    "Tom Roe on June 4, 2024 said:",
    "Tom Roe says:",
    "Ann Lee am 4. Juni 2024 schreibt:",
])
def test_a_comment_head_gives_no_author_and_no_date(head):
    assert read_line(head) == Line()
    got = page("By Jane Doe", story=(STORY, head, MORE))  # a short story: the comment is in the window
    assert (got.author, got.published) == ("Jane Doe", "")
    got = page(story=(STORY, head, MORE))
    assert (got.author, got.published) == ("", "")


def test_a_byline_line_gives_the_author_beside_a_comment_head():
    got = page("By Jane Doe | June 3, 2024", story=(STORY, "Tom Roe on June 4, 2024 said:", MORE))
    assert (got.author, got.published) == ("Jane Doe", "2024-06-03")


def test_a_teaser_date_above_the_headline_gives_way_to_the_byline_below_it():
    texts = ["Ferry timetable changes for the winter", "May 2, 2024", HEADLINE, "By Jane Doe", "June 3, 2024",
             STORY, MORE]
    assert read_byline(texts, 2, 5).published == "2024-06-03"


def test_a_related_teasers_date_after_the_story_is_not_the_page_date():
    texts = [*MENU, HEADLINE, STORY, MORE, MORE, MORE, MORE, "Related articles",
             "Ferry timetable changes for the winter", "May 2, 2024"]
    assert read_byline(texts, len(MENU), len(MENU) + 1).published == ""


# --- a closing dateline after the story -----------------------------------------------------------


def closing(*after: str, byline: tuple[str, ...] = (), stops: tuple[int, ...] = ()) -> Byline:
    """Read a page whose story (six lines: past the byline's window) is followed by the given lines;
    `stops`: indexes into `after` of lines past which the page is no longer its own."""
    story = (STORY, MORE) * 3
    texts = [*MENU, HEADLINE, *byline, *story, *after]
    start = len(MENU) + 1 + len(byline)
    end = start + len(story) - 1
    return read_byline(texts, len(MENU), start, "en", story_end=end, stops={end + 1 + i for i in stops})


@pytest.mark.parametrize(("after", "date"), [
    (("Posted on April 13, 2023",), "2023-04-13"),
    (("Share this", "Published On: 15 August 2025"), "2025-08-15"),
    (("Published", "August 30, 2024"), "2024-08-30"),  # a label line gives its kind to the next
    (("Published", "|", "August 30, 2024"), "2024-08-30"),  # … past separators, as at the top
])
def test_a_labelled_date_right_after_the_story_is_the_publication_date(after, date):
    got = closing(*after)
    assert got.published == date and got.lines  # its line is a byline line, cut with the facts


@pytest.mark.parametrize("after", [
    ("Related: Ferry timetable changes", "January 31, 2025"),  # a teaser's bare date
    ("Updated April 13, 2023",),
    ("Share", "Tweet", "Email", "Posted on April 13, 2023"),  # too far below the story
    ("Published", "Share", "August 30, 2024"),  # a line that says something ends the label
])
def test_no_other_date_after_the_story_is_taken(after):
    assert closing(*after).published == ""


def test_a_date_at_the_top_wins_over_a_closing_one():
    assert closing("Posted on April 13, 2023", byline=("June 19, 2024",)).published == "2024-06-19"
    texts = [HEADLINE, *(STORY, MORE) * 3, "Posted on April 13, 2023"]
    assert read_byline(texts, 0, 1).published == ""  # the story's end unknown (html mode)


# --- a closing byline after the story -------------------------------------------------------------


@pytest.mark.parametrize("after", [
    ("Written by Jane Doe", "Jane Doe is a reporter who covers city hall and the state budget."),
    ("By Jane Doe", "Related Topics"),
    ("Pin this for later!", "Posted By: Jane Doe · In: Parks, Budget"),
    ("Previous Post", "Parks open late", "Next Post", "Budget hearing set", "Written by Jane Doe"),
])
def test_a_cued_name_right_after_the_story_is_the_author(after):
    got = closing(*after)
    assert got.author == "Jane Doe" and got.lines


def test_a_cued_name_on_the_storys_last_line_but_one_is_the_author():
    story = (STORY, MORE) * 3
    texts = [*MENU, HEADLINE, *story, "Text by Jane Doe", "Enjoyed this piece? We need your help to keep publishing."]
    got = read_byline(texts, len(MENU), len(MENU) + 1, "en", story_end=len(texts) - 1)
    assert got.author == "Jane Doe"


@pytest.mark.parametrize(("after", "stops"), [
    (("Related Articles", "Budget hearing set for May", "by Ann Poe"), (0,)),  # a teaser's byline
    (("Share", "Tweet", "Email", "Print", "Save", "Written by Jane Doe"), ()),  # too far below the story
    (("2 Comments", "By Tom Roe"), (0,)),  # a comment thread's
    (("By",), ()),  # a cue with no name
])
def test_no_other_name_after_the_story_is_the_author(after, stops):
    assert closing(*after, stops=stops).author == ""


def test_the_window_reads_no_teaser_past_a_related_marker():
    """The headline taken for the story's first line leaves the window open a dozen lines below it:
    past a related-links marker (`stops`), those are teasers."""
    texts = [*MENU, HEADLINE, STORY, MORE, "Related articles", "Ferry timetable changes for the winter", "by Ann Poe"]
    assert read_byline(texts, len(MENU), len(MENU)).author == "Ann Poe"  # the reason for stops
    assert read_byline(texts, len(MENU), len(MENU), stops={len(MENU) + 3}).author == ""


def test_the_byline_at_the_top_wins_over_a_closing_one():
    assert closing("Written by Ann Poe", byline=("By Jane Doe",)).author == "Jane Doe"


def test_without_a_headline_no_closing_name_is_the_author():
    """A listing's last teaser byline ends what the line model took for its story."""
    story = (STORY, MORE) * 3
    texts = [*MENU, *story, "by Ann Poe"]
    got = read_byline(texts, None, len(MENU), "en", story_end=len(texts) - 1)
    assert got.author == ""


# --- months that are given names ------------------------------------------------------------------


@pytest.mark.parametrize(("line", "author"), [
    ("By April Fulton", "April Fulton"),
    ("By June Carter | May 5, 2024", "June Carter"),
    ("Written by August Wilson", "August Wilson"),
    ("By May 5, 2024", ""),  # a month that starts a date
    ("By June", ""),
])
def test_a_month_that_is_a_given_name_starts_a_name_only_with_a_surname(line, author):
    assert read_line(line).author == author


def test_a_bare_name_that_starts_with_a_month_counts_under_a_cue_line():
    assert page("By", "April Fulton").author == "April Fulton"
    assert page("Updated", "June 19, 2024").author == ""
