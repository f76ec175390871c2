"""html mode's second reading: the page's shown lines, scored by text mode's line model, cut the
main text's blocks the model is sure are not story and add the story lines the extractor left out."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from cleaner.extract import extract
from cleaner.extract.second_reading import CUT_BELOW, FILL_FROM, FILL_REACH, cuts, dump_lines, fill, reading_of
from cleaner.record import Block, BlockKind
from cleaner.region import load_text_models
from tests.conftest import make_article

P = BlockKind.PARAGRAPH
LEAD = "The council voted on Tuesday to close the old bridge for repairs until the spring."
MIDDLE = "Engineers found cracks in two of the supports during an inspection last month."
LAST = "Residents will be able to use a ferry across the river while the work goes on."
PROMO = "Go ad-free with Circuit Daily Plus"


def _reading(lines: list[tuple[str, float]]):
    return reading_of(tuple(Block(P, text) for text, _ in lines), np.array([p for _, p in lines]), 0.5)


def test_a_block_the_model_is_sure_is_not_story_is_cut_with_its_score(rules):
    reading = _reading([("Menu", 0.01), (LEAD, 0.99), (PROMO, CUT_BELOW / 2), (MIDDLE, 0.98)])
    blocks = [Block(P, LEAD), Block(P, PROMO), Block(P, MIDDLE)]
    assert cuts(blocks, reading, "Bridge to close", rules) == {1: pytest.approx(CUT_BELOW / 2)}


def test_a_block_the_model_doubts_but_is_not_sure_of_stays(rules):
    reading = _reading([(LEAD, 0.99), (PROMO, CUT_BELOW + 0.01), (MIDDLE, 0.98)])
    assert cuts([Block(P, LEAD), Block(P, PROMO), Block(P, MIDDLE)], reading, "", rules) == {}


def test_table_rows_numbered_items_the_headline_and_what_a_rule_names_are_never_cut_here(rules):
    row = "Harlow Vale | 12 | 9 | 27"
    cookie = "This website uses cookies to improve your experience."
    reading = _reading([("Bridge to close", 0.01), (LEAD, 0.99), (row, 0.01), (cookie, 0.01), (MIDDLE, 0.98)])
    blocks = [Block(BlockKind.HEADING, "Bridge to close"), Block(P, LEAD), Block(P, row, part_of=1),
              Block(P, cookie), Block(P, MIDDLE)]
    # the headline stays for strip to take as the title, the row for its table, the cookie line
    # for strip's rules to cut under their own name
    assert cuts(blocks, reading, "Bridge to close", rules) == {}


def test_a_block_on_no_line_of_the_page_is_not_judged(rules):
    reading = _reading([(LEAD, 0.99), (MIDDLE, 0.98)])
    assert cuts([Block(P, LEAD), Block(P, "Text the page does not show as a line")], reading, "", rules) == {}


def test_a_story_line_the_extractor_left_out_is_added_where_it_stands():
    reading = _reading([("Home News Sport", 0.01), (LEAD, 0.99), (MIDDLE, FILL_FROM), (LAST, 0.97), ("Footer", 0.0)])
    filled = fill([Block(P, LEAD), Block(P, LAST)], reading, "Bridge to close")
    assert [b.text for b in filled] == [LEAD, MIDDLE, LAST]


def test_a_lead_paragraph_just_before_the_main_text_is_added_first():
    reading = _reading([("Menu", 0.0), (LEAD, 0.99), (MIDDLE, 0.99), (LAST, 0.99)])
    filled = fill([Block(P, MIDDLE), Block(P, LAST)], reading, "")
    assert [b.text for b in filled] == [LEAD, MIDDLE, LAST]


def test_only_sure_long_new_lines_near_the_main_text_are_added():
    far = "A story line far below the main text, past the comments and the footer of the page."
    lines = [(LEAD, 0.99), ("Short but sure line", 0.99), (MIDDLE, FILL_FROM - 0.01),
             (LAST + " And more.", 0.99)]  # mostly the shingles of a block already there
    lines += [("Footer line", 0.0)] * (FILL_REACH + 1) + [(far, 0.99)]
    reading = _reading(lines)
    blocks = [Block(P, LEAD), Block(P, LAST)]
    assert fill(blocks, reading, "") == blocks


def test_the_headline_is_not_added_again():
    headline = "The council votes to close the old bridge for repairs"
    reading = _reading([(headline, 0.99), (LEAD, 0.99), (MIDDLE, 0.99)])
    assert [b.text for b in fill([Block(P, LEAD), Block(P, MIDDLE)], reading, headline)] == [LEAD, MIDDLE]


def test_the_trainer_and_the_pipeline_read_a_page_the_same_way():
    """The line model learns from the lines dump_lines gives, and the second reading scores those."""
    from cleaner.train_lines.pages import dump_blocks

    html = f"<html><body><nav><a href='/'>Home</a></nav><h1>Bridge</h1><p>{LEAD}</p><p>{MIDDLE}</p></body></html>"
    assert dump_blocks(html.encode(), "shown") == dump_lines(html)
    assert [b.text for b in dump_lines(html)] == ["Home", "Bridge", LEAD, MIDDLE]


STORY = "".join(f"<p>{text} {text}</p>" for text in (LEAD, MIDDLE, LAST))


def test_html_mode_records_the_second_readings_cuts_and_does_not_count_them_as_left_out(rules, monkeypatch):
    from cleaner.extract import second_reading

    models = load_text_models()
    if models is None:
        pytest.skip("the line model is not shipped")
    page = (f"<html><head><title>Bridge to close</title></head><body><article><h1>Bridge to close</h1>"
            f"{STORY}<p>{PROMO}</p></article></body></html>")

    def probability(lines):
        return np.array([0.01 if PROMO in b.text else 0.99 for b in lines])

    real = second_reading.reading_of
    monkeypatch.setattr(second_reading, "reading_of",
                        lambda lines, _, threshold: real(lines, probability(lines), threshold))
    without = extract(make_article(page, "html"), rules)
    out = extract(make_article(page, "html"), rules, models=models)
    assert PROMO in [b.text for b in without.blocks]
    assert PROMO not in [b.text for b in out.blocks]
    cut = [r for r in out.removals if r.text == PROMO]
    assert len(cut) == 1 and cut[0].rule_id == f"block_shape.page_reading_{models.version}"
    assert dict(cut[0].facts)["score"] == "0.01"
    # the review page shows the cut where it stood: after the headline and the three paragraphs
    assert cut[0].index == [b.text for b in without.blocks].index(PROMO)
    assert [b.text for b in out.blocks] == [b.text for b in without.blocks if b.text != PROMO]
    assert replace(out, blocks=(), removals=()) == replace(without, blocks=(), removals=())


def test_a_phrase_many_lines_repeat_tells_no_line_apart_and_is_not_looked_up():
    """A long list whose items share a phrase: counting the phrase for every item made matching
    quadratic in the page's length; the items still match by their own words."""
    from cleaner.extract.second_reading import MAX_LINES_PER_SHINGLE

    items = [f"Read more about the story {i} of {i} the {i} day {i}" for i in range(MAX_LINES_PER_SHINGLE + 5)]
    reading = _reading([(text, 0.5) for text in items])
    assert ("read", "more", "about", "the") not in reading.at
    assert reading.at[("story", "7", "of", "7")] == [7]
    assert reading.match(items[7]) == (0.5, 7)


def test_a_line_found_goes_after_the_last_block_standing_before_it_on_the_page():
    # the main text gives a box (line 4) before the story's start (line 1): a story line at 2
    # goes after the block of line 1, not after the box
    box = "A box the extractor placed first on its own page"
    reading = _reading([("Menu", 0.0), (LEAD, 0.99), (MIDDLE, 0.99), ("Footer", 0.0), (box, 0.5)])
    filled = fill([Block(P, box), Block(P, LEAD)], reading, "")
    assert [b.text for b in filled] == [box, LEAD, MIDDLE]


def test_the_last_paragraph_is_not_cut_when_the_rest_is_list_items(rules):
    """A dictionary entry given as a list item, with a citation the model takes for chrome: cutting
    the one paragraph would leave strip a page of list items, a listing. Headings still go."""
    entry = "micropolitics: Deleuze and Guattari oppose micropolitics to the politics of molarisation."
    citation = "The Deleuze dictionary. Revised Edition Edited by Adrian Parr. 2010."
    reading = _reading([(entry, 0.9), (citation, 0.02), ("Look at other dictionaries:", 0.01)])
    blocks = [Block(BlockKind.LIST_ITEM, entry), Block(P, citation),
              Block(BlockKind.HEADING, "Look at other dictionaries:")]
    assert cuts(blocks, reading, "", rules) == {2: pytest.approx(0.01)}
    with_story = [Block(P, LEAD), *blocks]
    reading = _reading([(LEAD, 0.99), (entry, 0.9), (citation, 0.02), ("Look at other dictionaries:", 0.01)])
    assert set(cuts(with_story, reading, "", rules)) == {2, 3}
