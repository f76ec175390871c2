"""extract.linknumbers: lynx's '[12]' link markers and its list of addresses are the dump's syntax."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.extract import split_text
from cleaner.extract.linknumbers import without_link_numbers

LYNX = """   [1]Skip to content
   [2]Home [3]News [4]World

Harbour council approves the new ferry terminal

   The harbour council voted on Tuesday to approve the terminal, according
   to [5]the published minutes, ending a year of public hearings in which
   residents and the [6]two ferry operators argued over the new berths.

   [7]Share this article

References

   Visible links:
   1. https://harbour.example.org/#main
   2. https://harbour.example.org/
   3. https://harbour.example.org/news/
   4. https://harbour.example.org/world/
   5. https://harbour.example.org/council/minutes.pdf
   6. https://harbour.example.org/ferries/
   7. https://www.facebook.com/sharer.php?u=https://harbour.example.org/a b
"""


def test_a_lynx_dump_loses_its_link_numbers_and_its_list_of_addresses():
    text = without_link_numbers(LYNX)
    assert "[" not in text and "https://" not in text and "References" not in text
    assert "according\n   to the published minutes" in text and "Home News World" in text


def test_a_lynx_dump_is_read_as_its_paragraphs():
    texts = [b.text for b in split_text(LYNX)]
    assert texts[:2] == ["Skip to content", "Home News World"]
    assert texts[2] == "Harbour council approves the new ferry terminal"
    assert texts[3] == ("The harbour council voted on Tuesday to approve the terminal, according to the published "
                        "minutes, ending a year of public hearings in which residents and the two ferry operators "
                        "argued over the new berths.")
    assert texts[-1] == "Share this article"


def test_citations_without_a_list_of_addresses_stay():
    text = "The survey found a rise in sales [1] and in exports [2].\n\nReferences\n\n1. Smith, J. (2020). Trade.\n"
    assert without_link_numbers(text) == text


def test_a_list_that_is_not_the_dump_end_stays():
    text = LYNX + "\n   Copyright 2024 Harbour Gazette\n"
    assert without_link_numbers(text) == text


def test_a_marker_whose_number_is_not_in_the_list_stays():
    text = "A story with a footnote [9] and a [1]link.\n\nReferences\n\n 1. https://a.example/\n" \
           " 2. https://b.example/\n 3. https://c.example/\n"
    assert without_link_numbers(text) == "A story with a footnote [9] and a link.\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab1 2.[]:/s\t", max_size=60), max_size=30).map("\n".join))
def test_a_dump_without_a_closing_list_is_unchanged(text):
    assert without_link_numbers(text) == text


def _numbered(count: int, start: int = 1) -> str:
    return " ".join(f"[{n}]Section{n}" for n in range(start, start + count))


def test_lynx_numbers_without_their_list_go_when_they_count_up():
    text = f"{_numbered(12)}\n\nThe council voted, according to [13]the minutes and [14]the operators.\n"
    out = without_link_numbers(text)
    assert "[" not in out and "according to the minutes and the operators." in out


def test_citations_and_too_few_numbers_stay():
    citations = " ".join(f"A finding of the survey.[{n}]" for n in range(1, 15))
    assert without_link_numbers(citations) == citations  # after a word, not before one
    assert without_link_numbers(_numbered(9)) == _numbered(9)  # fewer than ten
    shuffled = " ".join(f"[{n}]Section" for n in (7, 2, 9, 1, 12, 4, 3, 11, 5, 8, 6, 10))
    assert without_link_numbers(shuffled) == shuffled  # numbers that do not count up
