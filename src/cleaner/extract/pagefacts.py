"""The whole page's facts for the page-type model (cleaner.extract.pagetype): one walk over
the page's elements, before the html rules cut anything.

Its words and the share of them in links; headline-length links and how many of them stand in
one repeated position; teasers (sibling elements of one kind each holding a link and an
excerpt, a date, a price, a heading or an image) and whether they lead within the site; prose
paragraphs and whether they stand side by side (a story) or one to a card (a listing);
<article>, <time>, <h1> elements, controls, years and prices in the text; og:type, the JSON-LD
types and an article:published_time.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, CData, NavigableString, Tag

from cleaner.normalize import key

_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_CONTROLS = frozenset(("button", "select", "input"))  # a shop's grid: add to cart, sort by, filters
TEASER_MAX_WORDS = 250  # words besides the link in a teaser: an excerpt, not a story
_NOT_TEASERS = frozenset(("p", "span", "em", "strong", "b", "i", "td", "tr", "option"))  # prose and table cells
PROSE_WORDS = 15  # a paragraph of the main text this long, not a link's text, is prose
TITLE_LINK_WORDS = 4  # a link of this many words reads as a headline (menus and tags are shorter)
LONG_PARAGRAPH_WORDS = 40
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # a feed of teasers states a date, with its year, for each
_PRICE = re.compile(r"[$£€¥]\s?\d[\d,.]*|\d[\d,.]*\s?(?:€|(?:EUR|USD|zł|kr)\b)")
_LD_TYPE = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_LD_ARTICLE = re.compile(r"Article$|BlogPosting$|^Report$|^LiveBlogPosting$")
_LD_COLLECTION = frozenset(("CollectionPage", "ItemList", "SearchResultsPage", "OfferCatalog", "ProductCollection"))
_LD_PRODUCT = frozenset(("Product", "ProductGroup", "AggregateOffer"))
_LD_FORUM = frozenset(("DiscussionForumPosting", "QAPage", "Question"))


def page_facts(soup: BeautifulSoup) -> tuple[dict[str, float], set[str], dict[str, float]]:
    """The whole page's facts (pagetype.PAGE_FEATURES and META_FEATURES), the comparison keys
    of its links' texts, and the share of words in links of each of its text units by the key of
    its text (both for extract.html.link_density): one walk over its elements."""
    body = soup.body or soup
    text = body.get_text(" ")
    words = len(text.split())
    chars = len("".join(text.split())) or 1
    link_chars = title_link_chars = links = headings = articles = times = images = long_paragraphs = controls = 0
    h1_words: list[int] = []
    prose: dict[int, int] = {}  # words of the prose paragraphs under each parent element
    prose_count: dict[int, int] = {}
    title_links: list[Tag] = []
    linked_headings: list[Tag] = []
    link_texts: set[str] = set()
    og_type, published, ld_types = "", False, []
    head = soup.head.find_all(("meta", "script", "link")) if soup.head is not None and soup.body is not None else []
    own_url = ""
    elements = body.find_all(True)
    counts = _subtree_counts(elements)
    for element in (*head, *elements):
        name = element.name
        if name == "a":
            link_text = element.get_text(" ", strip=True)
            link_texts.add(key(link_text))
            links += 1
            link_chars += len("".join(link_text.split()))
            if len(link_text.split()) >= TITLE_LINK_WORDS:
                title_links.append(element)
                title_link_chars += len("".join(link_text.split()))
        elif name in _HEADINGS:
            headings += 1
            if name == "h1":
                h1_words.append(counts[id(element)][0])
            if counts[id(element)][2] or element.find_parent("a") is not None:
                linked_headings.append(element)
        elif name == "article":
            articles += 1
        elif name == "time":
            times += 1
        elif name == "img":
            images += 1
        elif name == "p":
            words_in = counts[id(element)][0]
            long_paragraphs += words_in >= LONG_PARAGRAPH_WORDS
            if words_in >= PROSE_WORDS:
                parent = id(element.parent)
                prose[parent] = prose.get(parent, 0) + words_in
                prose_count[parent] = prose_count.get(parent, 0) + 1
        elif name in _CONTROLS:
            controls += 1
        elif name == "meta":
            prop = str(element.get("property") or "").lower()
            if prop == "og:type":
                og_type = str(element.get("content") or "").strip().lower()
            elif prop == "og:url":
                own_url = own_url or str(element.get("content") or "")
            published |= prop == "article:published_time"
        elif name == "link" and "canonical" in (element.get("rel") or ()):
            own_url = str(element.get("href") or "") or own_url
        elif name == "script" and "ld+json" in str(element.get("type") or ""):
            for found in _LD_TYPE.findall(element.get_text()):
                ld_types += [t.strip().strip('"').rsplit("/", 1)[-1] for t in found.strip("[]").split(",")]
    per_100 = 100 / max(words, 1)
    items, item_words, all_items, item_links, item_median = _teasers(elements, counts)
    site = _site(own_url) or _commonest_site([str(a.get("href") or "") for a in title_links])
    facts = {
        "page_words_log": math.log1p(words),
        "page_link_share": min(link_chars / chars, 1.0),
        "links_per_100_words": links * per_100,
        "title_links_log": math.log1p(len(title_links)),
        "title_link_run": _longest_run(title_links),
        "linked_headings": len(linked_headings),
        "linked_heading_run": _longest_run(linked_headings),
        "headings": headings,
        "article_elements": articles,
        "time_elements": times,
        "years_per_1000_words": 10 * per_100 * len(_YEAR.findall(text)),
        "prices_log": math.log1p(len(_PRICE.findall(text))),
        "images_per_100_words": images * per_100,
        "long_page_paragraphs": long_paragraphs,
        "title_link_share": min(title_link_chars / chars, 1.0),
        "h1_count": len(h1_words),
        "h1_words": h1_words[0] if h1_words else 0,
        "controls_per_100_words": controls * per_100,
        # A story's paragraphs stand side by side in one container; a listing's excerpts one to a card.
        "prose_group_words_log": math.log1p(max(prose.values(), default=0)),
        "prose_group_share": max(prose.values(), default=0) / max(words, 1),
        "lone_prose_paragraphs": sum(1 for n in prose_count.values() if n == 1),
        "teaser_items": items,
        "teaser_share": min(item_words * per_100 / 100, 1.0),
        "teaser_items_total": all_items,
        "teaser_median_words": item_median,
        # A listing's teasers and a shop's cards lead to pages of the same site; the items of a
        # listicle (an article) to the sites of the things it reviews.
        "teaser_internal_share": _internal_share(item_links, site),
        "title_link_internal_share": _internal_share([str(a.get("href") or "") for a in title_links], site),
        "og_article": float(og_type == "article"),
        "og_website": float(og_type == "website"),
        "og_product": float(og_type.startswith("product")),
        "ld_article": float(any(_LD_ARTICLE.search(t) for t in ld_types)),
        "ld_collection": float(any(t in _LD_COLLECTION for t in ld_types)),
        "ld_product": float(any(t in _LD_PRODUCT for t in ld_types)),
        "ld_forum": float(any(t in _LD_FORUM for t in ld_types)),
        "ld_article_count": float(sum(1 for t in ld_types if _LD_ARTICLE.search(t))),
        "published_time": float(published),
        "_page_chars": chars,
    }
    return facts, link_texts, _unit_links(elements, counts)


# The page's text units: a paragraph, an item, a heading, a cell with no such unit under it. The
# main text's blocks are made of them, and how much of a unit is link text says how much of the
# block is (trafilatura's own link marks are not asked for: its link mode also drops link-dense
# headings and quotes of the story).
_UNITS = frozenset(("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "blockquote",
                    "figcaption", "pre"))


def _unit_links(elements: list[Tag], counts: dict[int, tuple[int, int, int, bool]]) -> dict[str, float]:
    """Share of words in links of each text unit (no unit under it), by the key of its text: all
    of it inside a link. Two walks (`elements` in document order), no subtree searched: bs4's
    find() and find_parent() per unit took 13 ms a page on real pages."""
    in_link: dict[int, bool] = {}  # the element is a link or lies inside one
    for element in elements:
        in_link[id(element)] = element.name == "a" or in_link.get(id(element.parent), False)
    holds: dict[int, bool] = {}  # a unit lies under the element
    shares: dict[str, float] = {}
    for element in reversed(elements):  # children before parents
        below = any(type(child) is Tag and (child.name in _UNITS or holds[id(child)]) for child in element.contents)
        holds[id(element)] = below
        if element.name in _UNITS and not below:
            words, linked = counts[id(element)][:2]
            if words:
                inside = in_link.get(id(element.parent), False)
                # a text that several units spell: the last one's (walking back, the first met)
                shares.setdefault(key(element.get_text(" ")), 1.0 if inside else linked / words)
    return shares


TEASER_MIN_ITEMS = 4


_STRINGS = (NavigableString, CData)  # the strings get_text() joins (not comments, not a script's JSON)


def _subtree_counts(elements: list[Tag]) -> dict[int, tuple[int, int, int, bool]]:
    """For each element (by id): the words of its text (as get_text(" ").split() counts them), the
    words of the links in it, its links, and whether it holds a heading or an image. Children
    before parents (`elements` in reverse document order): one pass, no element read twice."""
    counts: dict[int, tuple[int, int, int, bool]] = {}
    for element in reversed(elements):
        words = linked = links = 0
        holds = element.name in _HEADINGS or element.name == "img"
        for child in element.contents:
            if type(child) in _STRINGS:
                words += len(str(child).split())
            elif isinstance(child, Tag):
                w, lw, n, h = counts[id(child)]
                words, linked, links, holds = words + w, linked + lw, links + n, holds or h
        if element.name == "a":
            linked, links = linked + words, links + 1
        counts[id(element)] = (words, linked, links, holds)
    return counts


def _teasers(elements: list[Tag],
             counts: dict[int, tuple[int, int, int, bool]]) -> tuple[int, int, int, list[str], float]:
    """Teasers: sibling elements of one kind (tag and classes), four or more, each holding a
    link and either words besides it (an excerpt, a date, a price) or a heading or an image
    (a card). A menu's items are short links alone; a story's paragraphs are <p>s, never
    teasers. Returns the most teasers under one parent, their words, the teasers of all such
    sets, and of the largest set each one's first link and the median of their words."""
    groups: dict[tuple, list[Tag]] = {}
    for element in elements:
        if counts[id(element)][2] and element.parent is not None and element.name not in _NOT_TEASERS:
            groups.setdefault((id(element.parent), element.name, tuple(element.get("class") or ())), []).append(element)
    best: list[Tag] = []
    best_words: list[int] = []
    total_items = 0
    for members in groups.values():
        if len(members) < TEASER_MIN_ITEMS:
            continue
        teasers, words = [], []
        for member in members:
            total, linked, _, holds = counts[id(member)]
            other = total - linked
            if total >= 3 and other <= TEASER_MAX_WORDS and (other >= 2 or holds):
                teasers.append(member)
                words.append(total)
        if len(teasers) >= TEASER_MIN_ITEMS:
            total_items += len(teasers)
        if len(teasers) > len(best):
            best, best_words = teasers, words
    links = [member if member.name == "a" else member.find("a") for member in best]
    median = float(sorted(best_words)[len(best_words) // 2]) if best_words else 0.0
    return len(best), sum(best_words), total_items, [str(a.get("href") or "") for a in links if a], median


def _site(url: str) -> str:
    """A host's last two labels ('news.example.com' -> 'example.com'); '' for a relative address."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return ".".join(host.split(".")[-2:])


def _commonest_site(hrefs: list[str]) -> str:
    """Without a canonical address, the page's own site is the one its absolute links name most."""
    counts: dict[str, int] = {}
    for href in hrefs:
        site = _site(href)
        if site:
            counts[site] = counts.get(site, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else ""


def _internal_share(hrefs: list[str], site: str) -> float:
    """Share of these links that lead within the page's own site (relative, or to its host)."""
    if not hrefs:
        return 0.0
    return sum(1 for h in hrefs if not h.startswith(("http:", "https:", "//")) or _site(h) == site) / len(hrefs)


def _longest_run(elements: list[Tag]) -> int:
    """How many of these elements share one position on the page: the same chain of tag names
    and classes from them up to the root. A teaser grid repeats one position for every teaser;
    a story's links and a related box of three or four are scattered or few."""
    counts: dict[tuple, int] = {}
    for element in elements:
        chain = tuple((e.name, tuple(e.get("class") or ())) for e in (element, *element.parents))
        counts[chain] = counts.get(chain, 0) + 1
    return max(counts.values(), default=0)
