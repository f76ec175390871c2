"""A page's whole visible text as a plain-text dump, made three ways: what text mode is given.

Users' dumps come from different tools, and text mode's line model learns from all three
(cleaner.train_lines); `cleaner eval` scores the first, `benchmarks/dumpers.py` all three.
- `text_dump`: inscriptis, a renderer of the page's layout (blocks, lists with bullets, tables);
- `get_text_dump`: BeautifulSoup's `get_text("\\n", strip=True)`, one line per text node of the
  page, as many crawlers export it (a sentence breaks at every link and emphasis);
- `shown_text_dump`: a browser's copy of the page as shown, approximated: block elements on
  lines of their own, a blank line around paragraphs, headings, lists and tables, `<br>` a line
  break, table cells apart, hidden elements left out (a React-streamed page assembled first, as
  the page's script would show it: cleaner.extract.streamed).
Each is empty when there is no page or the tool fails on it.
"""

from __future__ import annotations

import re

from cleaner.budget import DocumentTimeout, time_limit

# inscriptis has no budget of its own: on one dev page it ran for over 15 minutes. Far above
# what any other page takes (under 2 s), so that no score depends on the machine's speed.
DUMP_SECONDS = 120

_NOT_SHOWN = {"script", "style", "noscript", "template", "head", "title", "iframe", "svg", "canvas", "object"}
_BLOCK = frozenset("address article aside blockquote dd details dialog div dl dt fieldset figcaption figure "
                   "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table ul tr summary "
                   "menu".split())
_SPACED = frozenset("p h1 h2 h3 h4 h5 h6 blockquote pre figure table ul ol dl hr".split())
_SPACES = re.compile(r"\s+")


def text_dump(html: str) -> str:
    """inscriptis on the decoded page (boilerplate included); empty when inscriptis fails on it
    or takes longer than DUMP_SECONDS."""
    import inscriptis

    try:
        with time_limit(DUMP_SECONDS):
            return inscriptis.get_text(html) if html else ""
    except (Exception, DocumentTimeout):
        return ""


def get_text_dump(html: str) -> str:
    """One line per text node, scripts and styles left out."""
    from bs4 import BeautifulSoup

    if not html:
        return ""
    soup = BeautifulSoup(html, "lxml")
    for element in soup(["script", "style", "noscript", "template", "head"]):
        element.decompose()
    return soup.get_text("\n", strip=True)


def shown_text_dump(html: str) -> str:
    """The page's text as a browser shows and copies it (approximated, see the module)."""
    import lxml.html

    from cleaner.extract import streamed

    if not html.strip():
        return ""
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception:  # lxml's ParserError on a page with no elements
        return ""
    if streamed.is_streamed(html):
        streamed.assemble(tree)
    body = tree.find(".//body")
    out: list[str] = []
    _shown(body if body is not None else tree, out)
    text = "\n".join(line.strip(" \t") for line in "".join(out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _shown(element, out: list[str]) -> None:
    """Append the element's shown text and its tail (an explicit stack: pages nest deeply)."""
    stack: list = [(element, False)]
    while stack:
        el, closing = stack.pop()
        name = el.tag if isinstance(el.tag, str) else ""
        edge = "\n\n" if name in _SPACED else "\n" if name in _BLOCK else ""
        if closing:
            out.append("\t" if name in ("td", "th") else edge)
            out.append(_spaced(el.tail))
            continue
        if not name or name in _NOT_SHOWN or _hidden(el):
            out.append(_spaced(el.tail))
            continue
        out.append("\n" if name == "br" else edge)
        out.append(_spaced(el.text))
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))


def _hidden(element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return element.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style


def _spaced(text: str | None) -> str:
    return _SPACES.sub(" ", text) if text else ""


# The tools by name, in the order the trainer builds each page's dumps.
DUMPERS = {"inscriptis": text_dump, "get_text": get_text_dump, "shown": shown_text_dump}
