"""Is this HTML page an article, or a listing of teasers or products? Features and the decision.

A category page, a news index or a shop's product grid is not an article: published, it is a
page of teasers. The page-type model (gradient-boosted trees, `cleaner train-pagetype`,
applied with cleaner.trees) reads facts that hold across sites, not any site's markup:

- the whole page (cleaner.extract.pagefacts; after invisible markup is dropped, before the
  html rules cut anything): its words and the share of them in links, headline-length links,
  teasers (sibling elements each holding a link and an excerpt, a price, a heading or an
  image), whether prose paragraphs stand side by side (a story) or one to a card (a
  listing), <article>, <time> and <h1> elements, years and prices in the text;
- what the page says it is: og:type, the schema.org types of its JSON-LD, an
  article:published_time;
- its address: path depth, a date or a long slug in the path, a section word (/category/,
  /tag/, /collections/, /page/2);
- its title's length without the site's name;
- the main text trafilatura extracted: its words and paragraphs, long ones, headings, list
  items, link share, its share of the page and its longest run of prose;
- where html mode reads the page a second time (extract.second_reading: its shown text, line by
  line, through text mode's line model), what that reading finds: the share of the page's
  words in lines the model takes for story, how sure it is of them, teasers (a short headline
  line, then a paragraph) between its first and last story line, and short dated lines. A
  second model, trained with these too, judges such pages (`load_page_type_model(reading=True)`).

Every feature is a count, a share or a flag, computed the same way here for cleaning and for
training (cleaner.train_pagetype calls `features`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

import numpy as np

from cleaner.extract.pagefacts import LONG_PARAGRAPH_WORDS, PROSE_WORDS
from cleaner.linefeatures import sentence_ends
from cleaner.normalize import key, one_line, title_without_site, word_count
from cleaner.record import Block
from cleaner.trees import TreeModel, load_model

MODEL_FILE = "page_type.json"  # the page's markup alone
READING_MODEL_FILE = "page_type_reading.json"  # and the second reading's findings (READING_FEATURES)

PAGE_FEATURES = (
    "page_words_log", "page_link_share", "links_per_100_words", "title_links_log", "title_link_run",
    "linked_headings", "linked_heading_run", "headings", "article_elements", "time_elements",
    "years_per_1000_words", "prices_log", "images_per_100_words", "long_page_paragraphs", "title_link_share",
    "h1_count", "h1_words", "controls_per_100_words", "prose_group_words_log", "prose_group_share",
    "lone_prose_paragraphs", "teaser_items", "teaser_share", "teaser_items_total", "teaser_median_words",
    "teaser_internal_share", "title_link_internal_share",
)
META_FEATURES = (
    "og_article", "og_website", "og_product", "ld_article", "ld_collection", "ld_product", "ld_forum",
    "ld_article_count", "published_time",
)
URL_FEATURES = ("has_url", "path_depth", "url_date", "slug_words", "url_section", "url_numeric_id", "title_words")
MAIN_FEATURES = (
    "main_words_log", "main_paragraphs", "main_long_paragraphs", "main_max_paragraph_words",
    "main_mean_paragraph_words", "main_headings", "main_list_items", "main_link_share", "main_share_of_page",
    "main_sentence_share", "main_link_blocks", "main_prose_run_words_log", "main_prose_share",
)
FEATURES = PAGE_FEATURES + META_FEATURES + URL_FEATURES + MAIN_FEATURES
READING_FEATURES = ("reading_story_share", "reading_story_p", "reading_teasers", "reading_dates")
# A teaser in the shown text: a headline-length line that does not end a sentence, then a
# paragraph of summary length that does.
TEASER_HEAD_WORDS = (3, 15)
TEASER_TEXT_WORDS = (12, 70)
DATED_LINE_WORDS = 12  # a line this short holding a date is a teaser's or a post's date line
# A date with its year. Not linefeatures' looser date (a day and month alone, a clock time):
# the model read through that one rejects fewer dev listings out of fold (docs/quality.md).
_DATE = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}"
    r"|\d{1,2}\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{4})\b", re.I)

_URL_DATE = re.compile(r"/(?:19|20)\d\d/(?:[01]?\d/)?|/(?:19|20)\d\d[01]\d[0-3]\d|\b(?:19|20)\d\d-[01]\d-[0-3]\d\b")
_URL_SECTION = re.compile(
    r"/(?:category|categories|cat|tag|tags|topic|topics|section|sections|collections?|archives?|page|author|"
    r"authors|search|shop|c|b|list|browse|department)(?:/|$)|[?&](?:page|p|paged|s|q)=", re.I)
_URL_ID = re.compile(r"\d{5,}")


def features(soup_facts: dict[str, float], link_texts: set[str], doc, main_link_share: float,
             url: str) -> np.ndarray:
    """The model's features in FEATURES order, one row: `soup_facts` and `link_texts` from
    page_facts, `doc` trafilatura's document (its title, its main-text tree's <p>, <head> and
    <item> elements), `url` the page's address."""
    values = {**soup_facts, **url_facts(url), "title_words": _title_words(doc, url),
              **main_facts(doc.body, main_link_share, soup_facts, link_texts)}
    return np.array([[float(values[name]) for name in FEATURES]])


def reading_features(lines: Sequence[Block], probability: np.ndarray, threshold: float) -> np.ndarray:
    """READING_FEATURES of a page's shown lines, from the line model's P(story) of each and the
    threshold at which a line is story: one row."""
    words = np.array([word_count(line.text) for line in lines], dtype=float)
    story = np.asarray(probability) >= threshold
    ends = np.array([sentence_ends(line.text) for line in lines], dtype=bool)
    head = ~ends & (words >= TEASER_HEAD_WORDS[0]) & (words <= TEASER_HEAD_WORDS[1])
    text = ends & (words >= TEASER_TEXT_WORDS[0]) & (words <= TEASER_TEXT_WORDS[1])
    kept = np.flatnonzero(story)
    teasers = int(np.count_nonzero(head[kept[0]:kept[-1]] & text[kept[0] + 1:kept[-1] + 1])) if len(kept) else 0
    dated = sum(1 for n, line in zip(words, lines) if n <= DATED_LINE_WORDS and _DATE.search(line.text))
    return np.array([[
        words[story].sum() / max(words.sum(), 1.0),
        float(np.asarray(probability)[story].mean()) if len(kept) else 0.0,
        teasers / max(len(kept), 1),
        float(dated),
    ]])


def _title_words(doc, url: str) -> int:
    """Words of the page's title without the site's name: a story's headline is a sentence, a
    section's or a shop category's title a word or two ("Science", "Men's Sneakers")."""
    return len(title_without_site(one_line(doc.title or ""), one_line(doc.sitename or ""), url).split())


def url_facts(url: str) -> dict[str, float]:
    """The address's shape: deep dated slugs are stories, short section paths are indexes."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = urlsplit("")
    path = parts.path or ""
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    last = re.sub(r"\.\w{2,5}$", "", last)  # .html, .php, .aspx
    return {
        "has_url": float(bool(parts.netloc)),
        "path_depth": len(segments),
        "url_date": float(bool(_URL_DATE.search(path))),
        "slug_words": len([w for w in re.split(r"[-_+]", last) if w]),
        "url_section": float(bool(_URL_SECTION.search(path + ("?" + parts.query if parts.query else "")))),
        "url_numeric_id": float(bool(_URL_ID.search(path))),
    }


def main_facts(body, link_share: float, page: dict[str, float], link_texts: set[str]) -> dict[str, float]:
    """The extracted main text's shape: an article has long paragraphs of prose one after the
    other; a listing's main text is headlines (the page's link texts) with a line or two each."""
    lengths, headings, items, sentences, link_blocks, prose_words = [], 0, 0, 0, 0, 0
    run = longest_run = 0
    for element in body.iter("p", "head", "item"):
        text = " ".join("".join(element.itertext()).split())
        if not text:
            continue
        words = len(text.split())
        is_link = words >= 2 and key(text) in link_texts
        link_blocks += is_link
        if element.tag == "head":
            headings += 1
        elif element.tag == "item":
            items += 1
        else:
            lengths.append(words)
            sentences += text.endswith((".", "!", "?", '"', "”", "»", "。"))
        if element.tag == "p" and words >= PROSE_WORDS and not is_link:
            prose_words += words
            run += words
            longest_run = max(longest_run, run)
        else:
            run = 0
    main_chars = len("".join("".join(body.itertext()).split()))
    main_words = len(" ".join(body.itertext()).split())
    return {
        "main_words_log": math.log1p(main_words),
        "main_paragraphs": len(lengths),
        "main_long_paragraphs": sum(1 for n in lengths if n >= LONG_PARAGRAPH_WORDS),
        "main_max_paragraph_words": max(lengths, default=0),
        "main_mean_paragraph_words": sum(lengths) / len(lengths) if lengths else 0.0,
        "main_headings": headings,
        "main_list_items": items,
        "main_link_share": link_share,
        "main_share_of_page": min(main_chars / page["_page_chars"], 1.0),
        "main_sentence_share": sentences / len(lengths) if lengths else 0.0,
        "main_link_blocks": link_blocks,
        "main_prose_run_words_log": math.log1p(longest_run),
        "main_prose_share": min(prose_words / main_words, 1.0) if main_words else 0.0,
    }


def load_page_type_model(reading: bool = False) -> TreeModel | None:
    """The shipped page-type model of a page's markup, or with `reading` of its markup and its
    second reading (FEATURES + READING_FEATURES); None when it is not there (then no page is judged)."""
    return load_model(READING_MODEL_FILE, FEATURES + READING_FEATURES) if reading else load_model(MODEL_FILE, FEATURES)
