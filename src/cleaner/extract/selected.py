"""The html rules' elements: selected and taken out of the page, then their lines cut from the extracted blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from cleaner.extract._selectindex import select_all
from cleaner.normalize import one_line, story_like, words
from cleaner.record import Block, BlockKind, Removal
from cleaner.rules import Rule, RuleSet

_PROTECTED = {"html", "body", "main", "article"}
# A selected element holding more than this share of the page's text is a wrapper that a
# generic class name caught by accident (<div class="content menu">): it is kept.
_MAX_SHARE_OF_PAGE = 0.6
MAX_REMOVAL_CHARS = 5000
_CRUMB_RUN = re.compile(r"(?:\s*[»›>/|→]\s*)+")
_WRAPPER_SHARE = 0.25  # a selected element holding this much of the extracted text wraps the story
# A selected element that repeats this many of the story's section headings (each over story
# text it does not hold) is the story's table of contents: the headings stay in the story. One
# such heading is not enough: a box's heading may stand right above the story's next paragraph.
TOC_SECTIONS = 2
SECTION_TEXT_WORDS = 3  # the fewest words of what stands under a section heading


def remove_selected(soup: BeautifulSoup, rules: RuleSet) -> list[Removal]:
    """Decompose what the html rules select, outermost first; record each piece of text.

    Rule by rule, each rule's elements in document order, each rule selecting on the tree as
    the rules before it left it (`select_each`). Where the rules allow it, what every rule
    selects is found in one walk of the tree before anything is removed instead: the same
    elements (`_selectindex.select_all`, tested equal).
    """
    body = soup.body or soup
    total = len(body.get_text(" ", strip=True)) or 1
    removals: list[Removal] = []
    fast = select_all(body, rules.html)  # speed: None where it cannot stand in for select_each
    selections = select_each(body, rules.html) if fast is None else fast
    for rule, elements in zip(rules.html, selections):
        for element in elements:
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
                removals.append(Removal(rule.category, rule.id, text[:MAX_REMOVAL_CHARS]))
            element.decompose()
    return removals


def select_each(body: Tag, html_rules: tuple[Rule, ...]) -> Iterator[list[Tag]]:
    """What each rule selects under `body`, in rule order: its `select()` run when its turn comes,
    so that it sees the tree as the removals of the rules before it left it."""
    for rule in html_rules:
        yield body.select(rule.selector)


def apply_selected(selected: list[Removal], blocks: list[Block]) -> tuple[list[Block], list[Removal]]:
    """The extracted blocks without the text of the elements the html rules selected, and the
    removals that account for it.

    A block goes when it is one of those elements' text (all of it, or a run of three words or
    more inside it), unless it reads as story text (30 words or more ending a sentence), or it
    is one of the story's section headings that the element lists (TOC_SECTIONS), or
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
    hits: list[int | None] = []
    for block, k in zip(blocks, texts):
        hit = None
        if k.strip() and not story_like(block.text):
            hit = next((n for n, rk in enumerate(keys)
                        if not wrapper[n] and (rk == k or (k.count(" ") >= 4 and k in rk))), None)
        hits.append(hit)
    # The story's table of contents (in a nav or a sidebar) repeats its section headings.
    sections: dict[int, list[int]] = {}
    for position, hit in enumerate(hits):
        if hit is not None and _opens_section(blocks, texts, position, keys[hit]):
            sections.setdefault(hit, []).append(position)
    for positions in sections.values():
        if len(positions) >= TOC_SECTIONS:
            for position in positions:
                hits[position] = None
    out: list[Block] = []
    for position, (block, hit) in enumerate(zip(blocks, hits)):
        if hit is None:
            out.append(block)
        elif not whole[hit]:
            removals.append(Removal(selected[hit].category, selected[hit].rule_id, block.text, index=position))
    return out, removals


def _opens_section(blocks: list[Block], texts: list[str], position: int, selected_key: str) -> bool:
    """A heading over text that the selected element does not hold (a teaser's heading and
    excerpt are both in their widget): a paragraph, a list item or a line of code, not another
    heading. A guide's section often opens with a short line ('Clean up your history before
    pushing:'), a code block or a checklist: demanding story text there (30 words ending a
    sentence) had cut the section headings of two WCXB dev guides (0426, 4589)."""
    following = position + 1
    return (blocks[position].kind is BlockKind.HEADING and following < len(blocks)
            and blocks[following].kind is not BlockKind.HEADING
            and len(texts[following].split()) >= SECTION_TEXT_WORDS and texts[following] not in selected_key)


def _spaced_words(text: str) -> str:
    """' word word … ': case-folded words between single spaces, for whole-word containment."""
    return f" {' '.join(w.casefold() for w in words(text))} "


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
