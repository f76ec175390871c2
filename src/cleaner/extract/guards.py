"""Pages refused before any parser runs: markup too deep or too large (a linear scan of the tags), feeds."""

from __future__ import annotations

import re

from cleaner.record import Article, Reject, RejectReason

# A comment's text never holds '-->' ((?:(?!-->).)*): with a lazy '.*?' a page opening with 99
# comments took minutes to fail this match (each comment could also end at any later '-->').
_FEED = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:(?!-->).)*-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S | re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)\b[^<>]*?(/?)>")  # [^<>]: a tag never spans another '<', so no backtracking
_NO_DEPTH = frozenset(
    "area base br col embed hr img input link meta param source track wbr "  # void
    "p li dt dd tr td th thead tbody tfoot option optgroup colgroup rt rp caption".split()  # end tag optional
)


def refuse(article: Article, depth: int, elements: int, max_depth: int, max_elements: int) -> Reject | None:
    """The reject of an HTML page too complex to parse (by its `markup_size`) or that is a feed, else None."""
    if depth > max_depth:
        return Reject.of(article, "extract", RejectReason.TOO_COMPLEX,
                         f"the HTML is nested {depth:,} elements deep (max_html_depth={max_depth:,})")
    if elements > max_elements:
        return Reject.of(article, "extract", RejectReason.TOO_COMPLEX,
                         f"the HTML has {elements:,} elements (max_html_elements={max_elements:,})")
    if _FEED.match(article.text):
        return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE, "an RSS or Atom feed, not a web page")
    return None


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
