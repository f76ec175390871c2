"""Accordion panels opened, as the reader opens them, so that the extractor sees their text.

WAI-ARIA's accordion: each panel is an element with role="region", labelled by the button that
opens it (aria-labelledby), and hidden until then (the hidden attribute, display:none or
aria-hidden). A guide's steps and a FAQ's answers sit in such panels, and trafilatura drops
every hidden element. The other hidden elements stay hidden: a closed menu or a modal dialog is
not what the page is about. WCXB dev: 10 of 813 pages hold such panels; on their articles the
panels held 1,874 shingles of the reference text and 38 of others.
"""

from __future__ import annotations

import re

from lxml import etree

_DISPLAY_NONE = re.compile(r"display\s*:\s*none\s*(?:!important\s*)?;?", re.I)


def has_panels(html: str) -> bool:
    """Whether the page may hold an accordion panel (a cheap test of its markup)."""
    return 'role="region"' in html and "aria-labelledby" in html


def open_panels(tree: etree._Element) -> int:
    """Show every hidden accordion panel of the tree; returns how many were opened."""
    opened = 0
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.get("role") != "region":
            continue
        if element.get("aria-labelledby") is None:
            continue
        style = element.get("style") or ""
        hidden = (element.get("hidden") is not None or element.get("aria-hidden") == "true"
                  or _DISPLAY_NONE.search(style) is not None)
        if not hidden:
            continue
        element.attrib.pop("hidden", None)
        element.attrib.pop("aria-hidden", None)
        if style:
            element.set("style", _DISPLAY_NONE.sub("", style))
        opened += 1
    return opened
