"""HTML or plain text -> ordered blocks (heading / paragraph / list item / quote) and page facts.

HTML: beautifulsoup4 removes the elements that the html rules select (each removal recorded),
then trafilatura finds the main text and the page metadata. Text that trafilatura leaves out
is recorded too, under the text rule it matches or as `unclassified`, so every character
that leaves the page is accounted for.

Plain text: the dump is cut into blocks at blank lines; single lines inside a paragraph become
blocks of their own unless they are a hard-wrapped paragraph. Bullets become list items and
short unpunctuated lines headings. Deciding what is boilerplate is the strip stage's job.
"""

from __future__ import annotations

import re
from dataclasses import replace

import trafilatura
from bs4 import BeautifulSoup, Tag

from cleaner.classify import match_block
from cleaner.normalize import clean_text, key, one_line, word_count
from cleaner.record import Article, Block, BlockKind, Facts, Format, Reject, RejectReason, Removal
from cleaner.rules import RuleSet

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
_CRUMB_RUN = re.compile(r"(?:\s*[»›>/|→]\s*)+")
# Only dates the page states in its markup (meta tags, structured data, <time>): htmldate's
# extensive search would take a date mentioned in the story for the publication date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract(
    article: Article, rules: RuleSet, max_depth: int = 1000, max_elements: int = 200_000
) -> Article | Reject:
    """Cut the decoded document into blocks and collect what the page states about itself."""
    if article.format is Format.HTML:
        depth, elements = markup_size(article.text)
        if depth > max_depth:
            return _reject(article, f"the HTML is nested {depth:,} elements deep (max_html_depth={max_depth:,})",
                           RejectReason.TOO_COMPLEX)
        if elements > max_elements:
            return _reject(article, f"the HTML has {elements:,} elements (max_html_elements={max_elements:,})",
                           RejectReason.TOO_COMPLEX)
        if _FEED.match(article.text):
            return _reject(article, "an RSS or Atom feed, not a web page")
        return _extract_html(article, rules)
    blocks = split_text(article.text)
    if not blocks:
        return _reject(article, "the text has no paragraphs")
    return replace(article, text="", blocks=tuple(blocks))


# --- HTML -----------------------------------------------------------------------------------


def _extract_html(article: Article, rules: RuleSet) -> Article | Reject:
    soup = BeautifulSoup(article.text, "lxml")
    for element in (soup.body or soup).find_all(_INVISIBLE):
        if element.name == "script" and "ld+json" in (element.get("type") or ""):
            continue  # structured data: trafilatura reads the metadata from it
        element.decompose()
    removals = _remove_selected(soup, rules)
    doc = trafilatura.bare_extraction(
        str(soup),
        url=article.hints.url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=True,  # only to measure link density; blocks keep the link text, not the URL
        date_extraction_params=_DATE_PARAMS,
    )
    if doc is None or doc.body is None:
        return _reject(article, "the extractor found no main text on the page")
    link_texts = {key(a.get_text(" ", strip=True)) for a in (soup.body or soup).find_all("a")}
    density = link_density(doc.body, link_texts - {""})
    if density > _MAX_LINK_DENSITY:
        return _reject(article, f"{density:.0%} of the main text is link text: an index or link list, not an article")
    blocks = _blocks_from_tree(doc.body)
    if not blocks:
        return _reject(article, "the extractor found no main text on the page")
    page = Facts(
        title=one_line(doc.title or ""),
        author=one_line(doc.author or ""),
        published=doc.date or "",
        site=one_line(doc.sitename or ""),
        section=one_line((doc.categories or [""])[0]),
        url=doc.url or "",
    )
    removals.extend(_discarded(soup, blocks, page.title, rules))
    return replace(article, text="", blocks=tuple(blocks), page=page,
                   removals=article.removals + tuple(removals))


def _remove_selected(soup: BeautifulSoup, rules: RuleSet) -> list[Removal]:
    """Decompose what the html rules select, outermost first; record each piece of text."""
    body = soup.body or soup
    total = len(body.get_text(" ", strip=True)) or 1
    removals: list[Removal] = []
    for rule in rules.html:
        for element in body.select(rule.selector):
            if element.decomposed or element.name in _PROTECTED or not _attached(element, body):
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
        if getattr(parent, "decomposed", False):
            return False
        parent = parent.parent
    return False


def _blocks_from_tree(body) -> list[Block]:
    blocks: list[Block] = []
    for element in body:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "list":
            for item in element.iter("item"):
                text = one_line("".join(item.itertext()))
                if text:
                    blocks.append(Block(BlockKind.LIST_ITEM, text))
            continue
        if tag == "table":
            for row in element.iter("row"):
                cells = [one_line("".join(c.itertext())) for c in row.iter("cell")]
                text = " | ".join(c for c in cells if c)
                if text:
                    blocks.append(Block(BlockKind.PARAGRAPH, text))
            continue
        text = one_line("".join(element.itertext()))
        if not text:
            continue
        kind = {"head": BlockKind.HEADING, "quote": BlockKind.QUOTE}.get(tag, BlockKind.PARAGRAPH)
        blocks.append(Block(kind, text))
    return blocks


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
    out: list[str] = []
    for element in root.find_all(_BLOCK_TAGS):
        if element.find(_BLOCK_TAGS) is not None:
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


def _reject(article: Article, detail: str, reason: RejectReason = RejectReason.NOT_AN_ARTICLE) -> Reject:
    return Reject(article_id=article.id, source=article.source, record=article.record,
                  stage="extract", reason=reason, detail=detail)
