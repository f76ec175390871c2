"""An HTML page's title is the headline it prints (its <h1>) when the titles it states agree with
it; a logo's or a section's <h1> never is, and the stated title stands then."""

from __future__ import annotations

from bs4 import BeautifulSoup

from cleaner.extract.title import best_heading, heading_text, shown_title
from tests.conftest import blocks_of
from tests.test_extract import PARAS


def _soup(head: str, body: str) -> BeautifulSoup:
    return BeautifulSoup(f"<html><head>{head}</head><body>{body}</body></html>", "lxml")


def test_the_printed_headline_beats_a_search_engine_title():
    soup = _soup('<title>Best Tax Preparation Software | Money Guide</title>'
                 '<meta property="og:title" content="Best Tax Preparation Software">',
                 '<h1>The Best Tax Prep Software of 2025</h1><p>Text.</p>')
    assert shown_title(soup) == "The Best Tax Prep Software of 2025"


def test_a_logo_h1_that_is_the_site_name_is_not_the_headline():
    head = ('<title>Where to Bike in Houston | Houstonia Magazine</title>'
            '<meta property="og:site_name" content="Houstonia Magazine">')
    assert shown_title(_soup(head, "<h1>Houstonia Magazine</h1><p>Text.</p>")) == ""
    # the site's name known from the address alone
    head = '<title>Klatch Coffee | Shopify App Store</title><link rel="canonical" href="https://apps.shopify.com/x">'
    assert shown_title(_soup(head, "<h1>Shopify</h1>")) == ""
    assert shown_title(_soup("<title>Opening night | Playful Tones</title>", "<h1>Playful Tones</h1>"),
                       url="https://playful-tones.com/blog/1") == ""


def test_an_h1_sharing_no_word_with_the_stated_titles_is_not_the_headline():
    soup = _soup("<title>Electrical Safety | Mine Safety and Health Administration</title>",
                 "<h1>Webcams</h1><p>Text.</p>")
    assert shown_title(soup) == ""
    # a page that states no title has nothing to agree with its <h1>
    assert shown_title(_soup("", "<h1>Anything at all</h1>")) == ""


def test_of_several_h1s_the_one_the_stated_title_holds_best_wins():
    soup = _soup("<title>A Beginner's Guide to Skincare – The Southerner</title>",
                 "<h1>The Southerner</h1><h1>Menu</h1><article><h1>A Beginner's Guide to Skincare</h1></article>")
    assert shown_title(soup) == "A Beginner's Guide to Skincare"
    assert best_heading(["Skincare news", "A Beginner's Guide to Skincare"],
                        {"a", "beginner", "s", "guide", "to", "skincare"}, set()) == "A Beginner's Guide to Skincare"
    assert best_heading(["One", "Two"], {"one", "two"}, set()) == "One"  # a tie: the first


def test_a_headline_broken_over_lines_keeps_its_words_apart():
    soup = _soup("", "<h1> WEEKEND<br>CODING<br> <span>AGE</span>NT <!-- x --></h1>")
    assert heading_text(soup.h1) == "WEEKEND CODING AGENT"


def test_an_overlong_h1_is_not_a_headline():
    words = " ".join(f"word{i}" for i in range(41))
    assert shown_title(_soup(f"<title>{words}</title>", f"<h1>{words}</h1>")) == ""


def test_the_extracted_page_takes_the_shown_headline(rules):
    html = (f"<html><head><title>Putin visits Pyongyang, meets Kim - The Ledger</title></head><body>"
            f"<header><h1>The Ledger</h1></header><article><h1>Putin Visits Pyongyang</h1>"
            f"<p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p></article></body></html>")
    assert blocks_of(html, rules, fmt="html").page.title == "Putin Visits Pyongyang"
    # no <h1>: the stated title, as trafilatura reads it
    plain = html.replace("<h1>Putin Visits Pyongyang</h1>", "").replace("<header><h1>The Ledger</h1></header>", "")
    assert blocks_of(plain, rules, fmt="html").page.title.startswith("Putin visits Pyongyang, meets Kim")
