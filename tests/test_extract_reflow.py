"""extract.reflow: a hard-wrapped dump (lynx, w3m, html2text, mail) is read one paragraph a line."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.extract import split_text
from cleaner.extract.reflow import MAX_WIDTH, MIN_WIDTH, reflow, wrap_width

MENU = ["Home", "News", "World", "Business", "Sport", "Contact us"]
HEADLINE = "Harbour council approves the new ferry terminal after a year of hearings"
PARAGRAPHS = [
    "The harbour council voted on Tuesday to approve the long-delayed ferry terminal on the "
    "eastern quay, ending a year of public hearings in which residents, fishermen and the two "
    "ferry operators argued over where the new berths should go.",
    "Councillor Maria Lindqvist, who chaired the planning committee, said the final design "
    "moves the car ramps away from the fish market and adds a covered walkway from the bus "
    "station, two changes that residents had asked for at every hearing since last spring.",
    "Construction is expected to start in March and to take about eighteen months. The "
    "operators will keep running from the old pier until the terminal opens, and the council "
    "has promised a well-signposted temporary route for foot passengers during the works.",
    "Opponents of the plan, led by the harbour residents' association, said they would study "
    "the decision before deciding whether to appeal to the regional planning board.",
]
SUBHEADING = "What happens next"
FOOTER = ["Share this article", "Privacy policy", "Terms of use", "© 2024 Harbour Gazette"]


def _page(width: int, margin: str = "", blank_after_paragraph: bool = True, **wrap) -> str:
    """The page as a text browser or html2text prints it: every block wrapped at `width`."""
    out: list[str] = []
    for block in [*MENU, HEADLINE, *PARAGRAPHS[:3], SUBHEADING, PARAGRAPHS[3], *FOOTER]:
        out += textwrap.wrap(block, width, initial_indent=margin, subsequent_indent=margin, **wrap)
        if blank_after_paragraph and len(block.split()) >= 8:
            out.append("")
    return "\n".join(out)


def test_a_text_browser_dump_is_read_one_paragraph_a_line():
    dump = _page(79, margin="   ", break_on_hyphens=False)
    assert wrap_width(dump) == 79
    texts = [b.text for b in split_text(dump)]
    assert texts == [*MENU, HEADLINE, *PARAGRAPHS[:3], SUBHEADING, PARAGRAPHS[3], *FOOTER]


def test_a_dump_wrapped_without_blank_lines_keeps_its_headings_and_menus_apart():
    dump = _page(70, blank_after_paragraph=False)  # the headline itself wraps, its last word alone
    assert wrap_width(dump) == 70
    texts = [b.text for b in split_text(dump)]
    assert HEADLINE in texts and SUBHEADING in texts and "Contact us" in texts
    # Each paragraph whole; without a blank line between them, one whose last line is nearly
    # full runs on into the next (the wrapper left no sign of the paragraph's end).
    assert all(any(p in t for t in texts) for p in PARAGRAPHS)


def test_a_word_broken_at_its_hyphen_is_joined_without_a_space():
    text = (
        "The operators will keep running from the old pier and the council promised a well-\n"
        "signposted temporary route for foot passengers, with a ramp at the northern end.\n"
    )
    assert reflow(text, 82).split("\n")[0].endswith("promised a well-signposted temporary route for foot "
                                                      "passengers, with a ramp at the northern end.")


def test_a_link_longer_than_the_width_is_joined_to_its_line():
    text = (
        "The report is published on the council's website in full, with its annexes and the\n"
        "[minutes of every hearing](https://harbour.example.org/council/planning/ferry-terminal/\n"
        "minutes) and a summary in plain language for residents who missed the meetings.\n"
    )
    joined = reflow(text, 86)
    # inside a link's address the break is no space: the address is whole again
    assert "(https://harbour.example.org/council/planning/ferry-terminal/minutes) and a summary" \
        in joined.split("\n")[0]


def test_a_bullet_after_a_full_line_starts_its_own_block():
    text = "We asked three questions of every operator who bid for the contract this year:\n* cost\n* dates\n"
    assert reflow(text, 80).split("\n")[1] == "* cost"


def test_a_megabyte_paragraph_is_joined_whole():
    # 16,000 wrapped lines and no blank line: joined line by line, this had taken minutes
    paragraph = " ".join(["the harbour council voted again on the ferry terminal plan"] * 20000)
    dump = "\n".join(textwrap.wrap(paragraph, 76))
    assert reflow(dump, wrap_width(dump) or 0) == paragraph


def test_a_dump_with_one_paragraph_a_line_is_not_wrapped():
    dump = "\n".join([*MENU, HEADLINE, *PARAGRAPHS, *FOOTER])
    assert wrap_width(dump) is None
    assert [b.text for b in split_text(dump)] == [*MENU, HEADLINE, *PARAGRAPHS, *FOOTER]


def test_a_listing_of_headlines_of_one_length_is_not_wrapped():
    headlines = [
        "Harbour council approves the new ferry terminal after a year of hearings",
        "Fishermen say the new quay rules will cost them the early morning market",
        "Bus company adds a night service between the station and the old harbour",
        "School board names a new head for the academy on the western hillside road",
        "Library reopens after repairs to the roof damaged in the January storms",
        "Football club signs two players from the regional league before the derby",
        "Ferry operators agree a joint timetable for the summer season on the islands",
        "Police appeal for witnesses after a break-in at the marina office on Sunday",
        "Hospital trust opens a new outpatient wing with forty consultation rooms",
        "Art festival returns to the warehouse district with a programme of sixty events",
        "Council sets the budget for next year with a rise in the harbour dues",
        "Market traders win their case against the new parking charges in the square",
    ]
    assert wrap_width("\n".join(headlines)) is None


def test_a_short_text_is_left_as_it_is():
    assert wrap_width("A short note\nwith two lines") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab Cd-.*  ", max_size=120), max_size=40).map("\n".join),
       st.integers(min_value=MIN_WIDTH, max_value=100))
def test_reflow_only_joins_lines(text, width):
    """Whatever the text and width: no character but line breaks and the spaces around them is
    added, lost or moved, and a detected width is one reflow accepts."""
    out = reflow(text, width)
    assert "".join(out.split()) == "".join(text.split())
    assert out.count("\n") <= text.count("\n")
    found = wrap_width(text)
    assert found is None or MIN_WIDTH <= found <= MAX_WIDTH
