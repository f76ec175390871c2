"""What the rules and detectors cut, each rule limited to the head, body or tail of the story; teasers and threads."""

from __future__ import annotations

import re

from cleaner._rulememo import match_block
from cleaner.normalize import STORY_WORDS, key, word_count
from cleaner.record import Article, Block, BlockKind, Removal
from cleaner.rules import RuleSet
from cleaner.sites import site_of

MAX_TEASERS = 12  # a related-links widget rarely lists more; past that we are in a story again
MENU_RUN = 4  # this many one-to-four-word lines in a row outside the story are a menu
_MENU_WORDS = 4
MAX_THREAD = 60  # blocks of a comment thread (author line, time, text, 'Reply' per comment)
_COMMENT_WORDS = 150  # a block this long after a comment heading is not a reader comment
_TEASER_WORDS = 25  # a teaser headline is short ...
_EXCERPT_WORDS = 80  # ... and a teaser excerpt ends in an ellipsis


def rule_cuts(
    article: Article, rules: RuleSet, words: list[int] | None = None, extent: tuple[int, int] | bool | None = False
) -> dict[int, Removal]:
    """What the rules and detectors cut, by block index (before the model and the headline).
    `words`: each block's word_count, when the caller has them already (every pass needs them).
    `extent`: the story's first and last block when the line model found them (None: it found
    no story line); by default the rules estimate it from the long paragraphs they leave."""
    if rules.has_sites:
        rules = rules.for_site(site_of(article))
    blocks = article.blocks
    if words is None:
        words = [word_count(b.text) for b in blocks]
    if extent is False:
        cut = _rule_cuts(blocks, words, rules)
        position = None
    else:
        cut = {}
        position = _zones(extent)
        _apply_rules(blocks, words, rules, cut, position, position)
    cut.update(_menu_runs(blocks, words, cut, rules, position))
    cut.update(_site_name_lines(article, words, cut, rules, position))
    for i in _story_structures(blocks, position or _zones(_story_extent(blocks, words, cut)), cut):
        cut.pop(i, None)
    return cut


REPEAT_WORDS = 8  # a shorter line may well stand twice in a story ('Read more', a refrain, a table cell)


def repeated_text(blocks: tuple[Block, ...], words: list[int], cut: dict[int, Removal], rules: RuleSet,
                  keep: int | None = None) -> dict[int, Removal]:
    """Later copies of a paragraph the article keeps already (REPEAT_WORDS words or more, same
    words after `key`): the story once, where it first stands. Only blocks nothing else cut
    count, so the copy that stays is one that is published; `keep` (the headline) is never cut.
    The rows of a table and items of a numbered list are left alone (Block.part_of)."""
    detector = next((r for r in rules.text if r.detector == "repeated_text"), None)
    if detector is None:
        return {}
    seen: set[str] = set()
    found: dict[int, Removal] = {}
    for i, block in enumerate(blocks):
        if i in cut or i == keep or block.part_of or words[i] < REPEAT_WORDS:
            continue
        text_key = key(block.text)
        if text_key in seen:
            found[i] = Removal(detector.category, detector.id, block.text)
        seen.add(text_key)
    return found


_HEADINGS_BETWEEN = 2  # a table may follow the story under a heading or two ('Standings')


def _story_structures(blocks: tuple[Block, ...], position, cut: dict[int, Removal]) -> set[int]:
    """Rows of a table and items of a numbered list (Block.part_of) that stand in the story, or
    right before or after it (headings between count as nothing): the story's own table or
    steps, whose short lines the rules would take for menus one by one ('Reds | 3 | 1'). Past
    the story too, a table or list the rules cut less than half of is left whole: its rows stand
    or fall together (a second ranking table below a short lead-in line had lost 4 of its 20
    rows to `navigation.menu_line`, WCXB dev 0103)."""
    members: dict[int, list[int]] = {}
    for i, block in enumerate(blocks):
        if block.part_of:
            members.setdefault(block.part_of, []).append(i)
    kept: set[int] = set()
    for rows in members.values():
        near = [*rows, _beside(blocks, rows[0], -1), _beside(blocks, rows[-1], 1)]
        if any(j is not None and position(j) == "body" for j in near) or 2 * sum(i in cut for i in rows) < len(rows):
            kept.update(rows)
    return kept


def _beside(blocks: tuple[Block, ...], i: int, step: int) -> int | None:
    """The block next to block i in direction `step`, past up to _HEADINGS_BETWEEN headings."""
    j = i + step
    for _ in range(_HEADINGS_BETWEEN):
        if 0 <= j < len(blocks) and blocks[j].kind is BlockKind.HEADING:
            j += step
    return j if 0 <= j < len(blocks) else None


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
        if rule.action in ("drop", "reject_page"):
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
        if i not in cut and words[i] >= STORY_WORDS and not _is_excerpt(b.text)
    ]
    return (prose[0], prose[-1]) if prose else None


def _menu_runs(
    blocks: tuple[Block, ...], words: list[int], cut: dict[int, Removal], rules: RuleSet, position=None
) -> dict[int, Removal]:
    """Runs of MENU_RUN or more short, unpunctuated lines outside the story: a flattened menu.
    `position`: where each block stands (by default, from the long paragraphs left)."""
    detector = next((r for r in rules.text if r.detector == "menu_run"), None)
    if detector is None:
        return {}
    position = position or _zones(_story_extent(blocks, words, cut))
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


def _site_name_lines(
    article: Article, words: list[int], cut: dict[int, Removal], rules: RuleSet, position=None
) -> dict[int, Removal]:
    """A line that is only the site's name (the masthead of a page dump), outside the story."""
    detector = next((r for r in rules.text if r.detector == "site_name"), None)
    site = key(article.hints.site or article.page.site)
    if detector is None or not site:
        return {}
    position = position or _zones(_story_extent(article.blocks, words, cut))
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
    return not (nxt < len(blocks) and words[nxt] >= STORY_WORDS and not _is_excerpt(blocks[nxt].text))


def _is_comment(blocks: tuple[Block, ...], words: list[int], i: int) -> bool:
    return words[i] <= _COMMENT_WORDS


def _is_excerpt(text: str) -> bool:
    return text.endswith(("...", "…", "[…]", "[...]"))

