"""An HTML page's title: the headline it shows (an <h1>) when the titles it states agree with it.

trafilatura reads a page's title from what the page states in its head (og:title, <title>, ...)
before its <h1>. A stated title is often a search engine's version of the headline ('Best Tax
Preparation Software' for the page's 'The Best Tax Prep Software of 2025') or carries the site's
name; the reader, and WCXB's reference titles, take the headline the page prints. On the WCXB dev
split's articles, trafilatura's title was right on 416 of 559 pages and the printed <h1> chosen
here on 483 (cleaner.bodyeval, html mode).

An <h1> that shares no word with the stated titles, once the site's name is set aside, is a logo,
a section's name or a widget's heading ('Houstonia Magazine', 'Webcams'): then there is no shown
title and the stated one stands. The site's name: og:site_name, application-name, the page's
hosts, and a stated title's short last part after a separator ('... – The Southerner'). Of
several <h1>s, the one whose words the stated titles hold best is the headline (the first at a
tie).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from cleaner.extract.discarded import tags_named
from cleaner.normalize import TITLE_SEPARATORS, one_line

MAX_WORDS = 40  # the longest of 711 WCXB dev headlines has 24 words; a longer <h1> is not a headline
_STATED = ("og:title", "twitter:title")  # meta properties (or names) that state the title
_SITE_NAMES = ("og:site_name", "application-name")
_WORD = re.compile(r"\w+")
_LABEL_WORDS = 5  # 'Headline | Site': a site's name is short
_SEPARATOR = re.compile("|".join(re.escape(s) for s in (*TITLE_SEPARATORS, " • ")))
# Elements whose edges separate words inside a heading ('Top MBA Programs of 2025 (US)<br>Your Guide');
# inline ones join as they are ('<span>W</span>eekend').
_SPACED = frozenset(("br", "div", "p"))


def shown_title(soup: BeautifulSoup, url: str = "") -> str:
    """The <h1> that is the page's headline, or '' when none is (see the module's doc). The site's
    name: og:site_name, application-name, and the hosts of `url` (the user's), og:url and the
    canonical link."""
    body = soup.body
    if body is None:
        return ""
    headings = [text for text in (heading_text(h) for h in tags_named(body, {"h1"})) if text]
    if not headings:
        return ""
    stated, site = _stated(soup)
    site |= _words(urlsplit(url).hostname or "")
    return best_heading(headings, stated, site)


def best_heading(headings: Iterable[str], stated: set[str], site: set[str]) -> str:
    """Of the headings, the one with the largest share of its words (less `site`'s) in `stated`;
    '' when none shares a word."""
    best, best_share = "", 0.0
    for text in headings:
        own = _words(text) - site
        if not own or len(text.split()) > MAX_WORDS:
            continue
        share = len(own & stated) / len(own)
        if share > best_share:
            best, best_share = text, share
    return best


def heading_text(element: Tag) -> str:
    """The heading's text on one line, a space at the edges of its inner elements that separate words."""
    parts: list[str] = []
    for node in element.descendants:
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:  # not a comment or CDATA
                parts.append(str(node))
        elif isinstance(node, Tag) and node.name in _SPACED:
            parts.append(" ")
    return one_line("".join(parts))


def _stated(soup: BeautifulSoup) -> tuple[set[str], set[str]]:
    """The words of the titles the page states (<title>, og:title, twitter:title) and of its site's
    name and address."""
    stated: set[str] = set()
    site: set[str] = set()
    head = soup.head
    if head is None:
        return stated, site
    for element in tags_named(head, {"title", "meta", "link"}):
        if element.name == "title":
            stated |= _words(element.get_text(" "))
            site |= _label(element.get_text(" "))
            continue
        if element.name == "link":
            if "canonical" in (element.get("rel") or ()):
                site |= _words(urlsplit(str(element.get("href") or "")).hostname or "")
            continue
        name = str(element.get("property") or element.get("name") or "").casefold()
        if name in _STATED:
            stated |= _words(str(element.get("content") or ""))
            site |= _label(str(element.get("content") or ""))
        elif name in _SITE_NAMES:
            site |= _words(str(element.get("content") or ""))
        elif name == "og:url":
            site |= _words(urlsplit(str(element.get("content") or "")).hostname or "")
    return stated, site


def _label(title: str) -> set[str]:
    """The words of a title's last part after a separator ('... | Site') when that part is short,
    less those of the rest."""
    parts = _SEPARATOR.split(title)
    if len(parts) < 2 or len(parts[-1].split()) > _LABEL_WORDS:
        return set()
    return _words(parts[-1]) - _words(" ".join(parts[:-1]))


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))
