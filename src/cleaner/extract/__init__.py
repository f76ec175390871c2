"""HTML or plain text -> ordered blocks (heading / paragraph / list item / quote) and page facts."""

# One file per job: guards.py (pages refused before parsing), html.py (trafilatura's main text
# as blocks), selected.py (the html rules' elements; _selectindex.py its speed trick),
# discarded.py (text the extractor left out), second_reading.py (the page's shown text through
# text mode's line model), text.py (plain-text dumps).

from __future__ import annotations

from dataclasses import replace

from cleaner.config import default
from cleaner.extract.guards import markup_size, refuse
from cleaner.extract.html import extract_html, link_density
from cleaner.extract.text import is_heading_like, split_text
from cleaner.record import Article, Format, Reject, RejectReason
from cleaner.region import TextModels
from cleaner.rules import RuleSet

__all__ = ["extract", "is_heading_like", "link_density", "markup_size", "split_text"]


def extract(
    article: Article, rules: RuleSet, max_depth: int = default("max_html_depth"),
    max_elements: int = default("max_html_elements"), models: TextModels | None = None,
) -> Article | Reject:
    """Cut the decoded document into blocks and collect what the page states about itself.
    `models`: text mode's models, for html mode's second reading of the page (extract.second_reading)."""
    if article.format is Format.HTML:
        depth, elements = markup_size(article.text)
        refused = refuse(article, depth, elements, max_depth, max_elements)
        if refused is not None:
            return refused
        try:
            return extract_html(article, rules, depth, models)
        except RecursionError:  # a parser or trafilatura walks a tree this deep by recursion (nested lists)
            return Reject.of(article, "extract", RejectReason.TOO_COMPLEX,
                             f"the HTML is nested too deeply for the extractor ({depth:,} elements deep)")
    blocks = split_text(article.text)
    if not blocks:
        return Reject.of(article, "extract", RejectReason.NOT_AN_ARTICLE, "the text has no paragraphs")
    return replace(article, text="", blocks=tuple(blocks))
