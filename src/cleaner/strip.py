"""Blocks minus boilerplate: every cut is recorded as a Removal naming its rule; the headline is marked.

Decide first, then cut: one pass finds which blocks match which rule, a second builds the
new block list, so every cut already has its Removal.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from cleaner.blockmodel import BLOCK_SHAPE, TreeModel, features, page_language
from cleaner.classify import match_block
from cleaner.extract import is_heading_like
from cleaner.normalize import key, title_without_site, word_count
from cleaner.record import Article, Block, BlockKind, Format, Reject, RejectReason, Removal
from cleaner.rules import RuleSet
from cleaner.sites import site_of

MAX_TEASERS = 12  # a related-links widget rarely lists more; past that we are in a story again
MENU_RUN = 4  # this many one-to-four-word lines in a row outside the story are a menu
_MENU_WORDS = 4
MAX_THREAD = 60  # blocks of a comment thread (author line, time, text, 'Reply' per comment)
_COMMENT_WORDS = 150  # a block this long after a comment heading is not a reader comment
_TEASER_WORDS = 25  # a teaser headline is short ...
_EXCERPT_WORDS = 80  # ... and a teaser excerpt ends in an ellipsis
_PROSE_WORDS = 30  # a block this long that ends a sentence is story text
_TITLE_SEARCH = 3  # the headline is among the first kept blocks of a text dump
_SUBTITLE = re.compile(r"^\s*[:|–—-]\s*")


def strip(article: Article, rules: RuleSet, min_words: int, model: TreeModel | None = None) -> Article | Reject:
    """Remove boilerplate blocks and mark the headline; reject what has too little text left.

    `model`: the block model that, for a plain-text dump, also cuts what the rules do not
    name but whose shape is boilerplate (menus, footers, widgets); None: rules only.
    """
    if rules.has_sites:  # of the rules limited to sites, only this article's site's apply
        rules = rules.for_site(site_of(article))
    blocks = article.blocks
    block_words = [word_count(b.text) for b in blocks]  # counted once: the rules and the headline need them
    cut = rule_cuts(article, rules, block_words)
    if model is not None and article.format is Format.TEXT:
        cut.update(_model_cuts(article, cut, model))
    title_index, title = _find_title(article, cut)
    cut.update(_repeated_titles(blocks, block_words, cut, title_index, title, rules))

    kept: list[Block] = []
    for i, block in enumerate(blocks):
        if i in cut:
            continue
        kept.append(Block(BlockKind.TITLE, block.text) if i == title_index else block)
    removals = article.removals + tuple(cut[i] for i in sorted(cut))
    stripped = replace(article, blocks=tuple(kept), removals=removals)

    if kept and not any(b.kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE) for b in kept):
        return Reject(
            article_id=article.id, source=article.source, record=article.record, stage="strip",
            reason=RejectReason.NOT_AN_ARTICLE,
            detail="no paragraph of running text, only headings and list items: an index or listing page",
        )
    words = word_count(stripped.body)
    if words < max(min_words, 1):
        categories = Counter(r.category for r in removals)
        summary = ", ".join(f"{c} ×{n}" for c, n in sorted(categories.items())) or "nothing"
        return Reject(
            article_id=article.id, source=article.source, record=article.record, stage="strip",
            reason=RejectReason.EMPTY_AFTER_STRIP,
            detail=f"only {words} words of story text are left (min_words={min_words}); removed: {summary}",
        )
    return stripped


def rule_cuts(article: Article, rules: RuleSet, words: list[int] | None = None) -> dict[int, Removal]:
    """What the rules and detectors cut, by block index (before the block model and the headline).
    `words`: each block's word_count, when the caller has them already (every pass needs them)."""
    if rules.has_sites:
        rules = rules.for_site(site_of(article))
    blocks = article.blocks
    if words is None:
        words = [word_count(b.text) for b in blocks]
    cut = _rule_cuts(blocks, words, rules)
    cut.update(_menu_runs(blocks, words, cut, rules))
    cut.update(_site_name_lines(article, words, cut, rules))
    return cut


def _model_cuts(article: Article, cut: dict[int, Removal], model: TreeModel) -> dict[int, Removal]:
    """Blocks the model scores as boilerplate, among those the rules kept. A block that is the
    page's known headline is never cut (the model has not seen markup titles)."""
    blocks = article.blocks
    open_ = [i for i in range(len(blocks)) if i not in cut]
    if not open_:
        return {}
    known = key(article.page.title or article.hints.title)
    probability = model.probability(features(blocks, cut, page_language(blocks)))
    return {
        i: Removal(BLOCK_SHAPE, model.rule_id, blocks[i].text, (("score", f"{probability[i]:.2f}"),))
        for i in open_
        if probability[i] >= model.threshold and not (known and key(blocks[i].text) == known)
    }


def _rule_cuts(blocks: tuple[Block, ...], words: list[int], rules: RuleSet) -> dict[int, Removal]:
    """Two passes: rules for anywhere first; then, once the story's extent is known from what
    is left, the rules limited to the head (before the story) or the tail (after it)."""
    cut: dict[int, Removal] = {}
    rough = _zones(_story_extent(blocks, words, cut))  # boilerplate paragraphs still count as story
    _apply_rules(blocks, words, rules, cut, lambda i: "body", rough)
    final = _zones(_story_extent(blocks, words, cut))
    _apply_rules(blocks, words, rules, cut, final, final)
    return cut


def _zones(extent: tuple[int, int] | None):
    if extent is None:  # no story paragraph at all: every zone is possible everywhere
        return lambda i: None
    first, last = extent
    return lambda i: "head" if i < first else "tail" if i > last else "body"


def _apply_rules(
    blocks: tuple[Block, ...], words: list[int], rules: RuleSet, cut: dict[int, Removal], position, stop_position
) -> None:
    """Cut what the rules match at `position`; a marker's run of teasers or comments ends at
    any block that a rule matches where it stands (`stop_position`), so that the other rule
    takes it, even a zone-limited one that this pass does not apply yet."""
    total = len(blocks)
    i = 0
    while i < total:
        found = None if i in cut else match_block(blocks[i].text, rules, position(i), words[i])
        if found is None:
            i += 1
            continue
        rule, facts = found
        cut[i] = Removal(rule.category, rule.id, blocks[i].text, facts)
        i += 1
        if rule.action == "drop":
            continue
        start = i
        limit, follows = (MAX_TEASERS, _is_teaser) if rule.action == "drop_with_teasers" else (MAX_THREAD, _is_comment)
        while i < total and i - start < limit:
            if i in cut:  # cut by the first pass: part of the run if it is the same kind
                if cut[i].category != rule.category:
                    break
                i += 1
                continue
            if not follows(blocks, words, i):
                break
            other = match_block(blocks[i].text, rules, stop_position(i), words[i])
            if other is None:
                cut[i] = Removal(rule.category, rule.id, blocks[i].text)
            elif other[0].category == rule.category:  # 'Jen P. says:' inside a comment thread
                cut[i] = Removal(other[0].category, other[0].id, blocks[i].text, other[1])
            else:
                break
            i += 1


def _story_extent(blocks: tuple[Block, ...], words: list[int], cut: dict[int, Removal]) -> tuple[int, int] | None:
    """Indexes of the first and last story paragraphs still kept; None when there are none."""
    prose = [
        i for i, b in enumerate(blocks)
        if i not in cut and words[i] >= _PROSE_WORDS and not _is_excerpt(b.text)
    ]
    return (prose[0], prose[-1]) if prose else None


def _menu_runs(
    blocks: tuple[Block, ...], words: list[int], cut: dict[int, Removal], rules: RuleSet
) -> dict[int, Removal]:
    """Runs of MENU_RUN or more short, unpunctuated lines outside the story: a flattened menu."""
    detector = next((r for r in rules.text if r.detector == "menu_run"), None)
    if detector is None:
        return {}
    position = _zones(_story_extent(blocks, words, cut))
    found: dict[int, Removal] = {}
    run: list[int] = []
    for i in [*range(len(blocks)), None]:
        if i is not None and i in cut:
            continue  # lines already cut (a breadcrumb inside the menu) do not break the run
        if i is not None and position(i) != "body" and _is_menu_item(blocks[i], words[i]):
            run.append(i)
            continue
        if len(run) >= MENU_RUN:
            found.update({j: Removal(detector.category, detector.id, blocks[j].text) for j in run})
        run = []
    return found


def _site_name_lines(article: Article, words: list[int], cut: dict[int, Removal], rules: RuleSet) -> dict[int, Removal]:
    """A line that is only the site's name (the masthead of a page dump), outside the story."""
    detector = next((r for r in rules.text if r.detector == "site_name"), None)
    site = key(article.hints.site or article.page.site)
    if detector is None or not site:
        return {}
    position = _zones(_story_extent(article.blocks, words, cut))
    return {
        i: Removal(detector.category, detector.id, b.text)
        for i, b in enumerate(article.blocks)
        if i not in cut and position(i) != "body" and key(b.text) == site
    }


def _is_menu_item(block: Block, words: int) -> bool:
    text = block.text
    return block.kind is not BlockKind.LIST_ITEM and words <= _MENU_WORDS and not re.search(r"[.,;:!?…]$", text)


def _is_teaser(blocks: tuple[Block, ...], words: list[int], i: int) -> bool:
    """A teaser headline or excerpt after a related-links marker.

    A short heading followed by a long story paragraph is the story's next section, not a
    teaser: the widget sat in the middle of the article.
    """
    text = blocks[i].text
    if _is_excerpt(text) and words[i] <= _EXCERPT_WORDS:
        return True
    if words[i] > _TEASER_WORDS or re.search(r"[.!]$", text):
        return False
    nxt = i + 1
    return not (nxt < len(blocks) and words[nxt] >= _PROSE_WORDS and not _is_excerpt(blocks[nxt].text))


def _is_comment(blocks: tuple[Block, ...], words: list[int], i: int) -> bool:
    return words[i] <= _COMMENT_WORDS


def _is_excerpt(text: str) -> bool:
    return text.endswith(("...", "…", "[…]", "[...]"))


def _find_title(article: Article, cut: dict[int, Removal]) -> tuple[int | None, str]:
    """Which block is the headline, and the headline's text.

    An HTML page states its title in markup; a text dump's headline is its first kept
    block if that is a heading. When the dump prints the headline several times in a row
    ('Putin 's Historic ...' then 'Putin’s Historic ...'), the cleanest spelling wins.
    Never invented: a dump that opens with a paragraph has no title.
    """
    kept = [i for i, _ in enumerate(article.blocks) if i not in cut]
    site = article.hints.site or article.page.site
    known = title_without_site(article.page.title or article.hints.title, site, article.hints.url)
    if article.format is Format.HTML or not kept:
        first = kept[0] if kept else None
        if first is not None and known and key(article.blocks[first].text) == key(known):
            return first, known
        return None, known
    head = kept[:_TITLE_SEARCH]
    candidates = [i for i in head if article.blocks[i].kind is BlockKind.HEADING]
    if known:
        same = [i for i in head if key(article.blocks[i].text) == key(known)]
        if same:
            best = min(same, key=lambda i: (len(article.blocks[i].text), i))
            return best, article.blocks[best].text
        return None, known
    if not candidates or candidates[0] != kept[0]:
        return None, ""
    first_key = key(article.blocks[kept[0]].text)
    run = [i for i in head if key(article.blocks[i].text) == first_key]
    best = min(run, key=lambda i: (len(article.blocks[i].text), i))
    return best, article.blocks[best].text


def _repeated_titles(
    blocks: tuple[Block, ...], words: list[int], cut: dict[int, Removal], title_index: int | None, title: str,
    rules: RuleSet,
) -> dict[int, Removal]:
    detector = next((r for r in rules.text if r.detector == "repeated_title"), None)
    if detector is None or not title:
        return {}
    title_key = key(title)
    longest = word_count(title) + 15
    found: dict[int, Removal] = {}
    for i, block in enumerate(blocks):
        if i in cut or i == title_index:
            continue
        if _repeats(block.text, words[i], title, title_key, longest):
            found[i] = Removal(detector.category, detector.id, block.text)
    return found


def _repeats(text: str, words: int, title: str, title_key: str, longest: int) -> bool:
    """The headline again: the same words, or the same words plus a subtitle or site name
    (`longest`: the title's word count plus 15; a longer block must look like a heading)."""
    if key(text) == title_key:
        return True
    if words > longest and not is_heading_like(text):
        return False
    if text.casefold().startswith(title.casefold()):
        rest = text[len(title):]
        return bool(_SUBTITLE.match(rest)) and word_count(rest) <= 15
    return False
