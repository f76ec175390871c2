"""An HTML page -> trafilatura's main text as blocks, the html rules' cuts, page facts and what was left out."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import count
from typing import Any

import lxml.html
import numpy as np
import trafilatura
from bs4 import BeautifulSoup
from lxml import etree
from trafilatura.utils import repair_faulty_html

from cleaner.extract import panels, second_reading, streamed
from cleaner.extract.byline import first_author, published, shown_byline
from cleaner.extract.discarded import BLOCK_TAGS, discarded, leaf_lines, tags_named, texts_of
from cleaner.extract.pagefacts import page_facts
from cleaner.extract.pagetype import features as page_type_features
from cleaner.extract.pagetype import load_page_type_model, reading_features
from cleaner.extract.selected import apply_selected, remove_selected
from cleaner.extract.title import shown_title
from cleaner.normalize import key, one_line, title_without_site, web_url
from cleaner.record import Article, Block, BlockKind, Facts, Reject, RejectReason, Removal
from cleaner.region import TextModels
from cleaner.rules import RuleSet
from cleaner.sites import site_of

# Markup that is never visible text. Dropped silently: it is code, not boilerplate prose.
_INVISIBLE = frozenset(("script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed"))
# Articles link a phrase here and there; index pages and link lists are mostly links. In the
# main text trafilatura extracts from 400 real pages of the eval set, the densest had 0.79 of
# its text in links (a blog post that is a link list), the next 0.43; a page of links is ~1.0.
_MAX_LINK_DENSITY = 0.8
# <base href> only resolves the page's relative links; trafilatura takes it for the page's own
# url (and site) when no canonical link is given, so it never sees one.
_BASE = re.compile(r"<base\b[^<>]*>", re.I)
# The page as the reader is shown it must keep at least this share of the main text trafilatura
# finds on the page as sent (see _read_page).
SHOWN_SHARE = 0.5
# trafilatura's recall-favouring settings are tried when its main text holds under this share of
# the page's visible words, and taken when they find twice as many (see _read_page).
RECALL_SHARE = 0.5
# Only dates the page states in its markup (meta tags, structured data, <time>): htmldate's
# extensive search would take a date mentioned in the story for the publication date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract_html(article: Article, rules: RuleSet, depth: int, models: TextModels | None = None) -> Article | Reject:
    """The page's blocks and facts (`depth`: its nesting by markup_size).

    trafilatura finds the main text and the page metadata on the whole page; beautifulsoup4
    finds what the html rules select, and the lines of those elements are cut from
    trafilatura's output afterwards (each removal recorded). Text that trafilatura leaves out
    is recorded too, so every character that leaves the page is accounted for. A page of
    teasers or products (a listing or collection page, by the page-type model) is not an article.
    `models`: text mode's models, for the second reading of the page's shown text
    (extract.second_reading); None: trafilatura's main text and the html rules alone.
    """
    page = _read_page(article, rules, depth)
    doc, soup, rules = page.doc, page.soup, page.rules
    if doc is None or doc.body is None:
        return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE,
                         "the extractor found no main text on the page")
    if page.density > _MAX_LINK_DENSITY:
        return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE,
                         f"{page.density:.0%} of the main text is link text: an index or link list, not an article")
    reading = second_reading.read_page(article.text, rules, models) if models is not None else None
    model = load_page_type_model(reading=reading is not None)
    if model is not None:
        listing = float(model.probability(_page_type_features(page, article, reading))[0])
        if listing >= model.threshold:
            return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE,
                             f"a listing or collection page, not an article (page-type model "
                             f"{model.version}: {listing:.2f} >= {model.threshold:.2f})")
    title = page.title or one_line(doc.title or "")
    found = _blocks_from_tree(doc.body)
    if reading is not None:
        found = second_reading.fill(found, reading, title)
    blocks, removals = apply_selected(page.selected, found)
    # What the second reading cuts is accounted for by its own removals, not again as left out.
    accounted = blocks
    if reading is not None:
        blocks, second_cut = _second_cuts(blocks, removals, len(found), reading, title, rules, models)
        removals += second_cut
    if not blocks:
        return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE,
                         "the extractor found no main text on the page")
    shown = leaf_lines(soup.body or soup)  # the page's visible lines
    lines = texts_of(shown)
    byline = shown_byline([one_line(line) for element in shown for line in element],
                          title_without_site(title, one_line(doc.sitename or ""), doc.url or ""), blocks)
    facts = Facts(
        title=title,
        author=byline.author or first_author(doc.author or ""),
        published=published(doc.date or "", byline.published),
        updated=byline.updated,
        site=one_line(doc.sitename or ""),
        section=one_line((doc.categories or [""])[0]),
        url=web_url(doc.url or ""),
    )
    removals += discarded(lines, accounted, facts.title, rules)
    return replace(article, text="", blocks=tuple(blocks), page=facts,
                   removals=article.removals + tuple(removals))


def _second_cuts(blocks: list[Block], removals: list[Removal], extracted: int, reading: second_reading.Reading,
                 title: str, rules: RuleSet, models: TextModels) -> tuple[list[Block], list[Removal]]:
    """The blocks the second reading leaves, and its removals, each at the place its block had
    among the `extracted` blocks (apply_selected's cuts hold theirs)."""
    taken = {r.index for r in removals if r.index >= 0}
    at = [p for p in range(extracted) if p not in taken]
    cut = second_reading.cuts(blocks, reading, title, rules)
    rule_id = f"{second_reading.CATEGORY}.page_reading_{models.version}"
    return ([b for i, b in enumerate(blocks) if i not in cut],
            [Removal(second_reading.CATEGORY, rule_id, blocks[i].text, (("score", f"{score:.2f}"),), index=at[i])
             for i, score in sorted(cut.items())])


@dataclass(frozen=True)
class _Page:
    """One page read: the soup without the html rules' elements, the rules of its site, those
    elements' removals, trafilatura's document, its main text's link density and the whole
    page's facts for the page-type model (taken before the rules cut anything)."""

    soup: BeautifulSoup
    rules: RuleSet
    selected: list[Removal]
    doc: Any
    density: float
    page_facts: dict[str, float]
    link_texts: set[str]
    title: str  # the headline the page shows, when its stated titles agree (extract.title)


def _read_page(article: Article, rules: RuleSet, depth: int) -> _Page:
    soup = BeautifulSoup(article.text, "lxml")
    if rules.has_sites:  # the rules limited to sites: those of this page's site, for the html and text rules
        rules = rules.for_site(_page_site(article, soup))
    for element in tags_named(soup.body or soup, _INVISIBLE):
        if element.name == "script" and "ld+json" in (element.get("type") or ""):
            continue  # structured data: trafilatura reads the metadata from it
        element.decompose()
    # The page-type model's facts of the whole page, and the texts of its links (a related
    # list the extractor keeps counts as link text).
    facts, link_texts, unit_links = page_facts(soup)
    title = shown_title(soup, article.hints.url)
    # The html rules name boilerplate elements, but trafilatura gets the whole page, not the
    # page without them: removing elements changes how it scores the rest, and on the dev set
    # it then left out story text that it keeps on the whole page (docs/quality.md). The
    # rules' elements still go: see apply_selected.
    selected = remove_selected(soup, rules)
    page_source = _BASE.sub("", article.text)
    doc = _trafilatura(page_source, article, depth)
    if streamed.is_streamed(page_source) or panels.has_panels(page_source):
        # The page as the reader is shown it: a streamed page's pieces in place (extract.streamed),
        # its accordion panels open (extract.panels); unless trafilatura finds far less main text
        # there than on the page as sent: on 1 of 12 streamed WCXB dev articles the assembled
        # layout led it to the header (66 words, 418 as sent); on 2 it found the story only
        # assembled. As sent, a streamed page's text also holds its placeholders' 'Loading...'.
        shown = _trafilatura(page_source, article, depth, as_shown=True)
        if _words(shown) >= SHOWN_SHARE * _words(doc):
            doc = shown
    found = _words(doc)
    if not found:
        # Its default settings found nothing: on a few real articles (one of 559 on the WCXB dev
        # split, 1,903 of its 1,893 reference words) the recall-favouring settings find the story.
        doc = _trafilatura(page_source, article, depth, favor_recall=True)
    elif found < RECALL_SHARE * math.expm1(facts["page_words_log"]):
        # Little of the page in the main text: on some real articles the default settings settle
        # on a box beside the story ('Why choose LegalZoom ...', 617 words, against the 3,511 of
        # the story the recall settings find). WCXB dev articles: 92 of 559 pages are read twice,
        # 5 better (recall 0.17 -> 0.92, 0.28 -> 0.87, 0.43 -> 0.99, 0.40 -> 0.77, 0.32 -> 0.64),
        # none worse: 0.940 -> 0.942; run on every page, the same choice gained nothing more.
        # Cost: html mode's fast path 0.46x -> 0.41x trafilatura's speed on 120 real pages
        # (benchmarks/realpages.py), nothing measurable with the default tagging.
        recall = _trafilatura(page_source, article, depth, favor_recall=True)
        if _words(recall) >= 2 * found:
            doc = recall
    density = link_density(doc.body, link_texts - {""}, unit_links) if doc is not None and doc.body is not None else 0.0
    return _Page(soup, rules, selected, doc, density, facts, link_texts, title)


def _page_type_features(page: _Page, article: Article, reading: second_reading.Reading | None) -> np.ndarray:
    """The page-type model's features of a page read (one row), with its second reading's when
    there is one (pagetype.READING_FEATURES)."""
    x = page_type_features(page.page_facts, page.link_texts, page.doc, page.density,
                           page.doc.url or article.hints.url or "")
    if reading is None:
        return x
    return np.hstack([x, reading_features(reading.lines, reading.probability, reading.threshold)])


def page_type_inputs(article: Article, rules: RuleSet, depth: int,
                     models: TextModels | None = None) -> np.ndarray | None:
    """The page-type model's features of a decoded HTML page, read exactly as extract_html reads
    it (for training: cleaner.train_pagetype), with the second reading's where `models` are
    given and the page shows text; None where extract_html finds no main text, or, with
    `models`, where there is no second reading (then the markup's model judges the page)."""
    page = _read_page(article, rules, depth)
    if page.doc is None or page.doc.body is None:
        return None
    reading = second_reading.read_page(article.text, page.rules, models) if models is not None else None
    if models is not None and reading is None:
        return None
    return _page_type_features(page, article, reading)


def _trafilatura(html: str, article: Article, depth: int, favor_recall: bool = False, as_shown: bool = False):
    return trafilatura.bare_extraction(
        _for_trafilatura(html, depth, as_shown),
        url=article.hints.url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,  # its link mode also drops link-dense headings and quotes (link_density)
        date_extraction_params=_DATE_PARAMS,
        favor_recall=favor_recall,
    )


def _words(doc) -> int:
    """Words of trafilatura's main text (0 when it found none)."""
    return len(" ".join(doc.body.itertext()).split()) if doc is not None and doc.body is not None else 0


# libxml2 (under lxml, under trafilatura) builds no tree deeper than 256 elements unless asked
# for a huge tree, and trafilatura does not ask: the story of a page nested deeper was lost
# (not_an_article). Pages this deep by markup_size are parsed here without the limit (up to
# libxml2's 2,048 for huge trees, past max_html_depth's bound) and handed over as a tree.
# markup_size does not count elements whose end tag may be left out (p, li, td), which libxml2
# does, so this is well below 256.
DEEP_PARSE_DEPTH = 100
_DEEP_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                    remove_comments=True, remove_pis=True, huge_tree=True)


# The page as shown is parsed with its comments (they close a streamed placeholder's fallback),
# which go once its pieces are in place, as trafilatura's own parser drops them.
_SHOWN_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                     remove_comments=False, remove_pis=True, huge_tree=True)


def _for_trafilatura(html: str, depth: int, as_shown: bool = False):
    """The page as trafilatura gets it: the string, or for a deep page (`depth` by markup_size)
    or as the reader is shown it (`as_shown`: a streamed page's pieces in place, accordion panels
    open) the tree parsed as trafilatura parses (its repairs, its parser's settings) without the
    depth limit."""
    if depth < DEEP_PARSE_DEPTH and not as_shown:
        return html
    try:
        tree = lxml.html.fromstring(repair_faulty_html(html, html[:50].lower()).encode("utf-8", "surrogatepass"),
                                    parser=_SHOWN_PARSER if as_shown else _DEEP_PARSER)
    except (etree.ParserError, ValueError):  # nothing to parse: trafilatura says so its own way
        return html
    if as_shown:
        streamed.assemble(tree)
        panels.open_panels(tree)
        etree.strip_elements(tree, etree.Comment, with_tail=False)
    return tree


def _page_site(article: Article, soup: BeautifulSoup) -> str:
    """The page's site as sites.site_of gives it: the host of the user's url, else of the page's
    canonical or og:url address (read here: trafilatura has not run yet), else the site's name."""
    if not article.hints.url:
        for name, attrs, attribute in (("link", {"rel": "canonical"}, "href"),
                                       ("meta", {"property": "og:url"}, "content")):
            element = soup.find(name, attrs=attrs)
            url = web_url(str(element.get(attribute) or "")) if element is not None else ""
            if url:
                return site_of(replace(article, page=replace(article.page, url=url)))
    return site_of(article)


def link_density(body, link_texts: set[str] = frozenset(), unit_links: dict[str, float] | None = None) -> float:
    """Share of the extracted main text's words that are link text.

    Each block of the main text (a paragraph, an item, a heading, a cell, a quote) is matched to
    the page's text unit of the same text (`unit_links`: the share of its words in links, from
    pagefacts); a block that matches none is read line by line, each line as the unit it spells, or
    as all link text when it is exactly the text of one of the page's links (a related list the
    extractor kept), else as none.
    """
    unit_links = unit_links or {}
    words = linked = 0.0
    leaves = [element for element in body.iter(*_DENSITY_UNITS)
              if not any(isinstance(e.tag, str) and e.tag in _DENSITY_UNITS for e in element.iterdescendants())]
    for element in leaves or [body]:  # no block at all: trafilatura's fallback, bare lines of text
        text = "".join(element.itertext())
        share = unit_links.get(key(text))
        if share is not None:
            parts = [(text, share)]
        else:  # a block no unit spells, line by line: trafilatura's fallback gives a whole page's
            # table as one paragraph of lines (a jobs board's, WCXB dev 2911)
            parts = [(line, _line_share(line, unit_links, link_texts)) for line in text.split("\n") if line.split()]
        for part, part_share in parts:
            n = len(part.split())
            words += n
            linked += part_share * n
    return linked / words if words else 0.0


def _line_share(line: str, unit_links: dict[str, float], link_texts: set[str]) -> float:
    """A line's share of link words: its unit's, else all when it is the text of one of the page's links."""
    line_key = key(line)
    return unit_links.get(line_key, float(line_key in link_texts))


_DENSITY_UNITS = ("p", "head", "item", "cell", "quote")


# --- trafilatura's tree -> blocks -----------------------------------------------------------

_BLOCK_ELEMENTS = {"p", "head", "list", "quote", "table"}  # trafilatura's block elements
# Elements of trafilatura's tree whose edges separate words: a line break (<br> becomes <lb/>),
# and blocks, items, rows and cells met inside another element. Joining an element's text
# without them glued the lines of an address or a dateline ("Miami Beach, FLJune 10"). Inside
# a list item trafilatura leaves a table's cells as HTML's own <th> and <td> ("Equipment
# CostsPackages starting at $250.96Monitoring Options", WCXB dev 4601): HTML's block and
# cell elements (discarded.BLOCK_TAGS) and a <br> separate words too.
_SPACED = _BLOCK_ELEMENTS | {"lb", "item", "row", "cell", "code", "br", "tbody", "thead"} | BLOCK_TAGS


def _text(element, skip: str = "") -> str:
    """The element's text, its descendants' in order, with a space at each _SPACED element's
    edges (inline elements such as <hi> and <ref> join as they are; a comment's text is left
    out, the text after it kept). Elements named `skip` are left out, their tails kept (a list
    nested in a list item is blocks of its own). Iterative: a deep tree must not hit the
    recursion limit."""
    parts = [element.text or ""]
    stack = [(element, iter(element))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if node is not element:
                parts.append(" " if node.tag in _SPACED else "")
                parts.append(node.tail or "")
            continue
        if not isinstance(child.tag, str) or child.tag == skip:  # a comment, or left out
            parts.append(" " if child.tag == skip else "")
            parts.append(child.tail or "")
            continue
        parts.append(" " if child.tag in _SPACED else "")
        parts.append(child.text or "")
        stack.append((child, iter(child)))
    return "".join(parts)


def _blocks_from_tree(body) -> list[Block]:
    """The main text's blocks. Text that stands between its elements is a paragraph of its own:
    trafilatura leaves a page's paragraph that had no element of its own (text after a heading,
    between <br>s in a bare <div>) as the tail of the element before it, or the body's text."""
    blocks: list[Block] = []
    parts = count(1)  # numbers for the rows of a table or the items of a numbered list (Block.part_of)
    _add_loose(body.text, blocks)
    for element in body:
        _add_element(element, blocks, parts)
        _add_loose(element.tail, blocks)
    return blocks


def _add_loose(text: str | None, blocks: list[Block]) -> None:
    text = one_line(text or "")
    if text:
        blocks.append(Block(BlockKind.PARAGRAPH, text))


def _add_element(element, blocks: list[Block], parts: Iterator[int]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "list":
        part = next(parts) if element.get("rend") == "ol" else 0
        numbers: dict = {}  # each numbered list's count of items so far (a nested list counts its own)
        for item in element.iter("item"):
            text = one_line(_text(item, skip="list"))  # a nested list's items follow as their own
            owner = item.getparent()
            numbers[owner] = numbers.get(owner, 0) + 1
            if text:
                marker = f"{numbers[owner]}." if owner is not None and owner.get("rend") == "ol" else ""
                blocks.append(Block(BlockKind.LIST_ITEM, text, part, marker))
        return
    if tag == "table":
        part = next(parts)
        for row in element.iter("row"):
            cells = row.findall("cell")
            if any(_holds_blocks(cell) for cell in cells):
                # A layout table (an old page's columns): its cells hold paragraphs and
                # headings, which stay blocks of their own rather than one run-on line.
                for cell in cells:
                    _add_cell(cell, blocks, parts)
                continue
            text = " | ".join(c for c in (one_line(_text(cell)) for cell in cells) if c)
            if text:
                blocks.append(Block(BlockKind.PARAGRAPH, text, part))
        return
    text = one_line(_text(element))
    if text:
        kind = {"head": BlockKind.HEADING, "quote": BlockKind.QUOTE}.get(tag, BlockKind.PARAGRAPH)
        blocks.append(Block(kind, text))


def _add_cell(cell, blocks: list[Block], parts: Iterator[int]) -> None:
    """A layout cell: its block elements in turn; inline text between them is a paragraph."""
    pending = [cell.text or ""]

    def flush() -> None:
        _add_loose("".join(pending), blocks)
        pending.clear()

    for child in cell:
        if child.tag in _BLOCK_ELEMENTS:
            flush()
            _add_element(child, blocks, parts)
        elif _holds_blocks(child):  # an inline wrapper around blocks: its own blocks and text
            flush()
            _add_cell(child, blocks, parts)
        else:
            pending.append(" " if child.tag in _SPACED else "")
            pending.append(_text(child))
            pending.append(" " if child.tag in _SPACED else "")
        pending.append(child.tail or "")
    flush()


def _holds_blocks(element) -> bool:
    """Whether a block element of trafilatura's tree lies under (or is) this element."""
    return any(e.tag in _BLOCK_ELEMENTS for e in element.iter())
