"""HTML or plain text -> ordered blocks (heading / paragraph / list item / quote) and page facts.

HTML: trafilatura finds the main text and the page metadata on the whole page (removing
elements first changes how it scores the rest); beautifulsoup4 finds what the html rules
select, and the lines of those elements are cut from trafilatura's output afterwards (each
removal recorded). Text that trafilatura leaves out is recorded too, under the text rule it
matches or as `unclassified`, so every character that leaves the page is accounted for.

Plain text: the dump is cut into blocks at blank lines; single lines inside a paragraph become
blocks of their own unless they are a hard-wrapped paragraph. Bullets become list items and
short unpunctuated lines headings. Deciding what is boilerplate is the strip stage's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import lxml.html
import soupsieve
import trafilatura
from bs4 import BeautifulSoup, Tag
from lxml import etree
from soupsieve import css_match, css_types
from trafilatura.utils import repair_faulty_html

from cleaner.classify import match_block
from cleaner.config import default
from cleaner.normalize import clean_text, key, one_line, story_like, web_url, word_count, words
from cleaner.record import Article, Block, BlockKind, Facts, Format, Reject, RejectReason, Removal
from cleaner.rules import Rule, RuleSet
from cleaner.sites import site_of

# Markup that is never visible text. Dropped silently: it is code, not boilerplate prose.
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed")
_PROTECTED = {"html", "body", "main", "article"}
# A selected element holding more than this share of the page's text is a wrapper that a
# generic class name caught by accident (<div class="content menu">): it is kept.
_MAX_SHARE_OF_PAGE = 0.6
_BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "dt", "dd",
    "figcaption", "pre", "div", "section", "article", "header", "footer", "aside", "nav",
    "main", "form", "ul", "ol", "dl", "table", "tr", "figure", "address", "details", "summary",
}
_BULLET = re.compile(r"^(?:[•·▪◦●○■□►▸‣⁃∙*]|[-–—](?=\s)|\d{1,2}[.)](?=\s))\s*")
_TERMINAL = re.compile(r"[.!?:;…\"”»)\]]$")
_MAX_REMOVAL_CHARS = 5000
# Articles link a phrase here and there; index pages and link lists are mostly links. In the
# main text trafilatura extracts from 400 real pages of the eval set, the densest had 0.79 of
# its text in links (a blog post that is a link list), the next 0.43; a page of links is ~1.0.
_MAX_LINK_DENSITY = 0.8
_FEED = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S | re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)\b[^<>]*?(/?)>")  # [^<>]: a tag never spans another '<', so no backtracking
_NO_DEPTH = frozenset(
    "area base br col embed hr img input link meta param source track wbr "  # void
    "p li dt dd tr td th thead tbody tfoot option optgroup colgroup rt rp caption".split()  # end tag optional
)
# <base href> only resolves the page's relative links; trafilatura takes it for the page's own
# url (and site) when no canonical link is given, so it never sees one.
_BASE = re.compile(r"<base\b[^<>]*>", re.I)
_CRUMB_RUN = re.compile(r"(?:\s*[»›>/|→]\s*)+")
# Only dates the page states in its markup (meta tags, structured data, <time>): htmldate's
# extensive search would take a date mentioned in the story for the publication date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract(
    article: Article, rules: RuleSet, max_depth: int = default("max_html_depth"),
    max_elements: int = default("max_html_elements"),
) -> Article | Reject:
    """Cut the decoded document into blocks and collect what the page states about itself."""
    if article.format is Format.HTML:
        depth, elements = markup_size(article.text)
        if depth > max_depth:
            return Reject.of(article, "extract", RejectReason.TOO_COMPLEX,
                             f"the HTML is nested {depth:,} elements deep (max_html_depth={max_depth:,})")
        if elements > max_elements:
            return Reject.of(article, "extract", RejectReason.TOO_COMPLEX,
                             f"the HTML has {elements:,} elements (max_html_elements={max_elements:,})")
        if _FEED.match(article.text):
            return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE, "an RSS or Atom feed, not a web page")
        return _extract_html(article, rules, depth)
    blocks = split_text(article.text)
    if not blocks:
        return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE, "the text has no paragraphs")
    return replace(article, text="", blocks=tuple(blocks))


# --- HTML -----------------------------------------------------------------------------------


def _extract_html(article: Article, rules: RuleSet, depth: int) -> Article | Reject:
    soup = BeautifulSoup(article.text, "lxml")
    if rules.has_sites:  # the rules limited to sites: those of this page's site, for the html and text rules
        rules = rules.for_site(_page_site(article, soup))
    for element in (soup.body or soup).find_all(_INVISIBLE):
        if element.name == "script" and "ld+json" in (element.get("type") or ""):
            continue  # structured data: trafilatura reads the metadata from it
        element.decompose()
    # Links of the whole page (a related list the extractor keeps counts as link text).
    link_texts = {key(a.get_text(" ", strip=True)) for a in (soup.body or soup).find_all("a")}
    # The html rules name boilerplate elements, but trafilatura gets the whole page, not the
    # page without them: removing elements changes how it scores the rest, and on the dev set
    # it then left out story text that it keeps on the whole page (docs/quality.md). The
    # rules' elements still go: see _apply_selected.
    selected = _remove_selected(soup, rules)
    doc = trafilatura.bare_extraction(
        _for_trafilatura(_BASE.sub("", article.text), depth),
        url=article.hints.url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=True,  # only to measure link density; blocks keep the link text, not the URL
        date_extraction_params=_DATE_PARAMS,
    )
    if doc is None or doc.body is None:
        return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE,
                         "the extractor found no main text on the page")
    density = link_density(doc.body, link_texts - {""})
    if density > _MAX_LINK_DENSITY:
        return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE,
                         f"{density:.0%} of the main text is link text: an index or link list, not an article")
    blocks, removals = _apply_selected(selected, _blocks_from_tree(doc.body))
    if not blocks:
        return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE,
                         "the extractor found no main text on the page")
    page = Facts(
        title=one_line(doc.title or ""),
        author=one_line(doc.author or ""),
        published=doc.date or "",
        site=one_line(doc.sitename or ""),
        section=one_line((doc.categories or [""])[0]),
        url=web_url(doc.url or ""),
    )
    removals += _discarded(soup, blocks, page.title, rules)
    return replace(article, text="", blocks=tuple(blocks), page=page,
                   removals=article.removals + tuple(removals))


# libxml2 (under lxml, under trafilatura) builds no tree deeper than 256 elements unless asked
# for a huge tree, and trafilatura does not ask: the story of a page nested deeper was lost
# (not_an_article). Pages this deep by markup_size are parsed here without the limit (up to
# libxml2's 2,048 for huge trees, past max_html_depth's bound) and handed over as a tree.
# markup_size does not count elements whose end tag may be left out (p, li, td), which libxml2
# does, so this is well below 256.
DEEP_PARSE_DEPTH = 100
_DEEP_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                    remove_comments=True, remove_pis=True, huge_tree=True)


def _for_trafilatura(html: str, depth: int):
    """The page as trafilatura gets it: the string, or for a deep page (`depth` by markup_size)
    the tree parsed as trafilatura parses (its repairs, its parser's settings) without the limit."""
    if depth < DEEP_PARSE_DEPTH:
        return html
    try:
        return lxml.html.fromstring(repair_faulty_html(html, html[:50].lower()).encode("utf-8", "surrogatepass"),
                                    parser=_DEEP_PARSER)
    except (etree.ParserError, ValueError):  # nothing to parse: trafilatura says so its own way
        return html


_WRAPPER_SHARE = 0.25  # a selected element holding this much of the extracted text wraps the story


def _apply_selected(selected: list[Removal], blocks: list[Block]) -> tuple[list[Block], list[Removal]]:
    """The extracted blocks without the text of the elements the html rules selected, and the
    removals that account for it.

    A block goes when it is one of those elements' text (all of it, or a run of three words or
    more inside it), unless it reads as story text (30 words or more ending a sentence), or
    the element holds a quarter or more of the extracted text: then the rule hit a wrapper of
    the story (an unlucky class name, a hidden-until-loaded container) and the extractor's
    judgement stands. An element whose text the extractor mostly left out anyway is recorded
    whole, under its rule; one that it mostly kept is recorded block by block, for the blocks
    cut, and a story wrapper not at all.
    """
    keys = [_spaced_words(r.text) for r in selected]
    texts = [_spaced_words(b.text) for b in blocks]
    total = sum(len(k) - 1 for k in texts if k.strip()) or 1
    kept_chars = [sum(len(k) - 1 for k in texts if k.strip() and k in rk) for rk in keys]
    wrapper = [kept >= _WRAPPER_SHARE * total for kept in kept_chars]
    whole = [not w and 2 * kept <= len(rk) - 1 for w, kept, rk in zip(wrapper, kept_chars, keys)]
    removals = [r for r, w in zip(selected, whole) if w]
    out: list[Block] = []
    for position, (block, k) in enumerate(zip(blocks, texts)):
        hit = None
        if k.strip() and not story_like(block.text):
            hit = next((n for n, rk in enumerate(keys)
                        if not wrapper[n] and (rk == k or (k.count(" ") >= 4 and k in rk))), None)
        if hit is None:
            out.append(block)
        elif not whole[hit]:
            removals.append(Removal(selected[hit].category, selected[hit].rule_id, block.text, index=position))
    return out, removals


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


def _spaced_words(text: str) -> str:
    """' word word … ': case-folded words between single spaces, for whole-word containment."""
    return f" {' '.join(w.casefold() for w in words(text))} "


def _remove_selected(soup: BeautifulSoup, rules: RuleSet) -> list[Removal]:
    """Decompose what the html rules select, outermost first; record each piece of text.

    Rule by rule, each rule's elements in document order. What every rule selects is found
    in one walk of the tree before anything is removed (`_select_all`); where a selector
    could see the removals (`_selector_index` says None) each rule selects in turn instead.
    """
    body = soup.body or soup
    total = len(body.get_text(" ", strip=True)) or 1
    removals: list[Removal] = []
    selected = _select_all(body, rules.html)
    for n, rule in enumerate(rules.html):
        for element in selected[n] if selected is not None else body.select(rule.selector):
            if _decomposed(element) or element.name in _PROTECTED or not _attached(element, body):
                continue
            # A breadcrumb keeps its crumbs apart so that tag can read the section from it.
            if rule.category == "breadcrumb":
                text = _CRUMB_RUN.sub(" » ", one_line(element.get_text(" » ", strip=True))).strip(" »")
            else:
                text = one_line(element.get_text(" ", strip=True))
            if len(text) > _MAX_SHARE_OF_PAGE * total:
                continue
            if text:
                removals.append(Removal(rule.category, rule.id, text[:_MAX_REMOVAL_CHARS]))
            element.decompose()
    return removals


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_NOT_WS = re.compile("[^ \t\r\n\f]+")  # how soupsieve splits a class attribute held as one string

# (rule number, one selector of the rule as a selector list of its own)
_Entry = tuple[int, css_types.SelectorList]


@dataclass(frozen=True, slots=True)
class _SelectorIndex:
    """The html rules' selectors by what an element must have for them to match it.

    Each selector requires of the element one tag name, id, class or attribute name (its
    `_key`), so only the selectors filed under the element's own tag, id, classes and
    attribute names can match it; soupsieve decides those.
    """

    by_tag: dict[str, tuple[_Entry, ...]]
    by_id: dict[str, tuple[_Entry, ...]]
    by_class: dict[str, tuple[_Entry, ...]]
    by_attr: dict[str, tuple[_Entry, ...]]
    always: tuple[_Entry, ...]  # selectors that require none of these: tried on every element


@lru_cache(maxsize=8)
def _selector_index(html_rules: tuple[Rule, ...]) -> _SelectorIndex | None:
    """The index of the rules' selectors, or None if matching them first would change what is removed.

    Removing an element takes its whole subtree, so an element still in the tree keeps its tag,
    attributes, parent and ancestors: a selector made of those alone (type, #id, .class,
    [attribute], descendant and child combinators, :is/:not of the same) selects the same
    remaining elements before and after earlier removals. Sibling combinators, :has(), :nth-*(),
    :empty, :contains() and the other pseudo-classes can change: then None. None too if this
    soupsieve's compiled selectors or matcher do not look as this code expects (another
    version): selecting rule by rule is slower, never different. A test checks that the
    packaged rules get an index.
    """
    try:
        return _build_selector_index(html_rules)
    except (AttributeError, TypeError, ValueError):
        return None


def _build_selector_index(html_rules: tuple[Rule, ...]) -> _SelectorIndex | None:
    probe = BeautifulSoup("<p class='a'>x</p>", "lxml").body
    if not css_match.CSSMatch(soupsieve.compile("p").selectors, probe, None, 0).match_selectors(
            probe.p, css_types.SelectorList([soupsieve.compile(".a").selectors[0]])):
        return None
    keyed: dict[str, dict[str, list[_Entry]]] = {"tag": {}, "id": {}, "class": {}, "attr": {}}
    always: list[_Entry] = []
    for n, rule in enumerate(html_rules):
        selectors = soupsieve.compile(rule.selector).selectors
        for selector in selectors:
            if selector is css_types.Null:
                continue  # matches nothing
            if not _unaffected_by_removals(selector):
                return None
            entry = (n, css_types.SelectorList([selector], is_not=selectors.is_not, is_html=selectors.is_html))
            found = _key(selector)
            if found is None:
                always.append(entry)
            else:
                kind, value = found
                keyed[kind].setdefault(value, []).append(entry)
    frozen = {kind: {value: tuple(entries) for value, entries in table.items()} for kind, table in keyed.items()}
    return _SelectorIndex(frozen["tag"], frozen["id"], frozen["class"], frozen["attr"], tuple(always))


def _unaffected_by_removals(selector) -> bool:
    if selector is css_types.Null:
        return True
    if selector.nth or selector.contains or selector.lang or selector.flags:
        return False
    if selector.rel_type not in (None, " ", ">"):
        return False
    return all(_unaffected_by_removals(s) for group in (*selector.selectors, selector.relation) for s in group)


def _key(selector) -> tuple[str, str] | None:
    """Something the element itself must have for `selector` to match it: an id, a class, an attribute, a tag."""
    if selector.ids:
        return "id", selector.ids[0]
    if selector.classes:
        return "class", selector.classes[0]
    names = [a.attribute.translate(_ASCII_LOWER) for a in selector.attributes if not a.inverse]
    for name in names:
        if name not in ("class", "id"):  # rarer than a class or an id
            return "attr", name
    if selector.tag is not None and selector.tag.name not in (None, "*"):
        return "tag", selector.tag.name.translate(_ASCII_LOWER)
    if names:
        return "attr", names[0]
    return None


def _select_all(body: Tag, html_rules: tuple[Rule, ...]) -> list[list[Tag]] | None:
    """What each rule's selector selects under `body`, in document order, from one walk of the tree.

    The same elements as `body.select(rule.selector)` on the tree as it is now: each element is
    tried against the selectors filed under its tag name, id, classes and attribute names, with
    the matcher that `select` uses, set up the same way (scope `body`, the soup's namespaces).
    None when the rules need selecting one at a time (see `_selector_index`) or the page holds
    a <template> (soupsieve does not look inside one).
    """
    index = _selector_index(html_rules)
    if index is None or not html_rules:
        return None
    by_tag, by_id, by_class, by_attr, always = index.by_tag, index.by_id, index.by_class, index.by_attr, index.always
    compiled = soupsieve.compile(html_rules[0].selector, namespaces=getattr(body, "_namespaces", None))
    match = css_match.CSSMatch(compiled.selectors, body, compiled.namespaces, compiled.flags).match_selectors
    selected: list[list[Tag]] = [[] for _ in html_rules]
    for element in body.descendants:
        if not isinstance(element, Tag):
            continue
        name = element.name.translate(_ASCII_LOWER)
        if name == "template":
            return None
        entries = by_tag.get(name, ()) + always
        # Names as soupsieve compares them (ASCII case folded); every attribute that could be
        # the one it reads, so the entries are never fewer than the selectors that can match.
        for attribute, value in element.attrs.items():
            lowered = attribute.translate(_ASCII_LOWER)
            entries += by_attr.get(lowered, ())
            local = getattr(attribute, "name", None)  # a namespaced attribute's name without its prefix
            if local:
                entries += by_attr.get(local.translate(_ASCII_LOWER), ())
            if lowered == "id":
                if isinstance(value, str):  # an id held as a list never equals a selector's id
                    entries += by_id.get(value, ())
            elif lowered == "class":
                for class_ in _NOT_WS.findall(value) if isinstance(value, str) else (value or ()):
                    entries += by_class.get(class_, ())
        matched = -1
        for n, selector in sorted(entries, key=_rule_number) if len(entries) > 1 else entries:
            if n != matched and match(element, selector):
                selected[n].append(element)
                matched = n
    return selected


def _rule_number(entry: _Entry) -> int:
    return entry[0]


def link_density(body, link_texts: set[str] = frozenset()) -> float:
    """Share of the extracted main text that is link text.

    Links show as <ref> elements when trafilatura's main extractor ran; its fallback returns
    bare text, so a line that is exactly the text of one of the page's links counts too.
    """
    text = "".join(body.itertext())
    total = len("".join(text.split()))
    if total == 0:
        return 0.0
    in_refs = sum(len("".join("".join(ref.itertext()).split())) for ref in body.iter("ref"))
    in_lines = sum(len("".join(line.split())) for line in text.split("\n") if key(line) in link_texts)
    return max(in_refs, in_lines) / total


def _attached(element: Tag, body: Tag) -> bool:
    parent = element.parent
    while parent is not None:
        if parent is body:
            return True
        if _decomposed(parent):
            return False
        parent = parent.parent
    return False


def _decomposed(element: Tag) -> bool:
    """`element.decomposed`, without its cost.

    bs4's property reads `element._decomposed`, which `decompose()` sets on the element and
    everything under it; on any other element the name is not found and bs4 takes it for
    `element.find("_decomposed")`, a search of the whole subtree for a tag of that name, which
    the lxml HTML parser never makes (an element name starts with a letter). So the answer
    is whether the flag is set, and looking only there saves a subtree search per element.
    """
    return bool(vars(element).get("_decomposed", False))


_BLOCK_ELEMENTS = {"p", "head", "list", "quote", "table"}  # trafilatura's block elements


def _blocks_from_tree(body) -> list[Block]:
    blocks: list[Block] = []
    for element in body:
        _add_element(element, blocks)
    return blocks


def _add_element(element, blocks: list[Block]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "list":
        for item in element.iter("item"):
            text = one_line("".join(item.itertext()))
            if text:
                blocks.append(Block(BlockKind.LIST_ITEM, text))
        return
    if tag == "table":
        for row in element.iter("row"):
            cells = row.findall("cell")
            if any(_holds_blocks(cell) for cell in cells):
                # A layout table (an old page's columns): its cells hold paragraphs and
                # headings, which stay blocks of their own rather than one run-on line.
                for cell in cells:
                    _add_cell(cell, blocks)
                continue
            text = " | ".join(c for c in (one_line("".join(cell.itertext())) for cell in cells) if c)
            if text:
                blocks.append(Block(BlockKind.PARAGRAPH, text))
        return
    text = one_line("".join(element.itertext()))
    if text:
        kind = {"head": BlockKind.HEADING, "quote": BlockKind.QUOTE}.get(tag, BlockKind.PARAGRAPH)
        blocks.append(Block(kind, text))


def _add_cell(cell, blocks: list[Block]) -> None:
    """A layout cell: its block elements in turn; inline text between them is a paragraph."""
    pending = [cell.text or ""]

    def flush() -> None:
        text = one_line("".join(pending))
        if text:
            blocks.append(Block(BlockKind.PARAGRAPH, text))
        pending.clear()

    for child in cell:
        if child.tag in _BLOCK_ELEMENTS:
            flush()
            _add_element(child, blocks)
        elif _holds_blocks(child):  # an inline wrapper around blocks: its own blocks and text
            flush()
            _add_cell(child, blocks)
        else:
            pending.append("".join(child.itertext()))
        pending.append(child.tail or "")
    flush()


def _holds_blocks(element) -> bool:
    """Whether a block element of trafilatura's tree lies under (or is) this element."""
    return any(e.tag in _BLOCK_ELEMENTS for e in element.iter())


def _discarded(soup: BeautifulSoup, blocks: list[Block], title: str, rules: RuleSet) -> list[Removal]:
    """Visible text that the extractor left out, each piece under the rule that names it."""
    kept = key(" ".join(b.text for b in blocks))
    title_key = key(title)
    removals: list[Removal] = []
    pending: list[str] = []  # consecutive unclassified pieces become one removal

    def flush() -> None:
        if pending:
            text = "\n".join(pending)[:_MAX_REMOVAL_CHARS]
            removals.append(Removal("unclassified", "unclassified.not_main_text", text))
            pending.clear()

    for text in _leaf_texts(soup.body or soup):
        k = key(text)
        if not k or k in kept or k == title_key:
            continue
        found = match_block(text, rules)
        if found is None:
            pending.append(text)
            continue
        flush()
        rule, facts = found
        removals.append(Removal(rule.category, rule.id, text[:_MAX_REMOVAL_CHARS], facts))
    flush()
    return removals


def _leaf_texts(root: Tag) -> list[str]:
    """Texts of block elements that hold no other block element, in document order."""
    blocks = root.find_all(_BLOCK_TAGS)
    # An element holds another block element when one of the blocks lies under it: mark the
    # ancestors of every block, stopping where an earlier block's walk already marked them.
    holders: set[int] = set()
    for element in blocks:
        parent = element.parent
        while parent is not None and parent is not root and id(parent) not in holders:
            holders.add(id(parent))
            parent = parent.parent
    out: list[str] = []
    for element in blocks:
        if id(element) in holders:
            continue
        text = one_line(element.get_text(" ", strip=True))
        if text:
            out.append(text)
    return out


# --- plain text -----------------------------------------------------------------------------


def split_text(text: str) -> list[Block]:
    """Blocks of a plain-text page dump, in order."""
    blocks: list[Block] = []
    for paragraph in re.split(r"\n\s*\n", clean_text(text)):
        lines = [ln.strip() for ln in paragraph.split("\n") if ln.strip()]
        for line in _unwrap(lines):
            blocks.append(_text_block(line))
    return blocks


def _unwrap(lines: list[str]) -> list[str]:
    """Join the lines of a hard-wrapped paragraph; keep separate lines separate.

    A line break is a wrap when the line is long, does not end a sentence or a heading, and
    the next line carries on in lower case ('... the two\\nleaders met').
    """
    out: list[str] = []
    for line in lines:
        if (
            out
            and len(out[-1]) >= 30
            and not _TERMINAL.search(out[-1])
            and not _BULLET.match(line)
            and (line[:1].islower() or line[:1] in ",;)")
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _text_block(line: str) -> Block:
    bullet = _BULLET.match(line)
    if bullet and len(line) > bullet.end():
        return Block(BlockKind.LIST_ITEM, line[bullet.end():].strip())
    if line.startswith(">"):
        return Block(BlockKind.QUOTE, line.lstrip("> ").strip())
    if is_heading_like(line):
        return Block(BlockKind.HEADING, line)
    return Block(BlockKind.PARAGRAPH, line)


def is_heading_like(text: str) -> bool:
    """Short, starts like a title, and does not end like a sentence ('What’s Next?' does)."""
    n = word_count(text)
    if n == 0 or n > 20 or len(text) > 160:
        return False
    first = text[:1]
    if not (first.isupper() or first.isdigit() or first in "“\"‘'¿¡"):
        return False
    return not re.search(r"[.,;:…]$", text) or text.endswith("?")


def markup_size(html: str) -> tuple[int, int]:
    """(deepest nesting, number of elements) of an HTML string, from its tags alone.

    A linear scan, before any parser builds a tree: a page nested 100,000 levels deep costs a
    tree builder minutes. Void elements and those whose end tag HTML lets a page leave out
    (<p>, <li>, <td> ...) do not count towards depth.
    """
    depth = deepest = elements = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if name not in _NO_DEPTH:
                depth = max(depth - 1, 0)
            continue
        elements += 1
        if self_closing or name in _NO_DEPTH:
            continue
        depth += 1
        deepest = max(deepest, depth)
    return deepest, elements
