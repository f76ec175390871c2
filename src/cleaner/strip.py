"""Blocks minus boilerplate: every cut is recorded as a Removal naming its rule; the headline is marked.

Decide first, then cut: one pass finds which blocks match which rule, a second builds the
new block list, so every cut already has its Removal.

A plain-text dump is cut around its story (cleaner.region): the line model finds the story's
lines and extent; the rules then cut what they name, limited to the head, body or tail by
that extent; every line the model finds outside the story is cut as `outside_story`, and a
line inside it that the model does not take for story as `block_shape`. A rule that names a
line wins: its category and id explain the cut. Without the models the rules alone cut, with
the story's extent estimated from its long paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from cleaner.byline import read_byline
from cleaner.classify import match_block
from cleaner.extract import is_heading_like
from cleaner.normalize import STORY_WORDS, key, title_without_site, word_count
from cleaner.record import Article, Block, BlockKind, Format, Reject, RejectReason, Removal
from cleaner.region import Story, TextModels, find_story
from cleaner.rules import RuleSet
from cleaner.sites import site_of

MAX_TEASERS = 12  # a related-links widget rarely lists more; past that we are in a story again
MENU_RUN = 4  # this many one-to-four-word lines in a row outside the story are a menu
_MENU_WORDS = 4
MAX_THREAD = 60  # blocks of a comment thread (author line, time, text, 'Reply' per comment)
_COMMENT_WORDS = 150  # a block this long after a comment heading is not a reader comment
_TEASER_WORDS = 25  # a teaser headline is short ...
_EXCERPT_WORDS = 80  # ... and a teaser excerpt ends in an ellipsis
_TITLE_SEARCH = 3  # the headline is among the first kept blocks of a text dump
_SUBTITLE = re.compile(r"^\s*[:|–—-]\s*")
BLOCK_SHAPE, OUTSIDE_STORY = "block_shape", "outside_story"  # the removal categories of the line model's cuts
THREAD_RULE = "comments.thread_to_end"  # a reader-comment thread, cut from its first line to the page's end
BYLINE_RULE = "byline.read"  # the page's own byline and dateline lines, read by cleaner.byline


def strip(article: Article, rules: RuleSet, min_words: int, models: TextModels | None = None) -> Article | Reject:
    """Remove boilerplate blocks and mark the headline; reject what has too little text left.

    `models`: text mode's line and headline models, which find a plain-text dump's story and
    headline (cleaner.region); None: the rules alone cut, as they always do on HTML pages.
    """
    if rules.has_sites:  # of the rules limited to sites, only this article's site's apply
        rules = rules.for_site(site_of(article))
    blocks = article.blocks
    block_words = [word_count(b.text) for b in blocks]  # counted once: the rules and the headline need them
    if models is not None and article.format is Format.TEXT and blocks:
        story = find_story(blocks, rules, models)
        cut = _story_rule_cuts(article, rules, block_words, story)
        title_index, title = _story_title(article, cut, story)
        cut.update(_repeated_titles(blocks, block_words, cut, title_index, title, rules))
        cut.update(_model_cuts(blocks, cut, story, models))
    else:
        cut = rule_cuts(article, rules, block_words)
        title_index, title = _find_title(article, cut)
        cut.update(_repeated_titles(blocks, block_words, cut, title_index, title, rules))

    at = article.block_positions()  # each cut records where it stood, for the review page
    cut = {i: replace(removal, index=at[i]) for i, removal in cut.items()}
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        if i in cut and i != title_index:
            continue
        kept.append(Block(BlockKind.TITLE, block.text) if i == title_index else block)
    removals = article.removals + tuple(cut[i] for i in sorted(cut) if i != title_index)
    stripped = replace(article, blocks=tuple(kept), removals=removals)

    if kept and not any(b.kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE) for b in kept):
        return Reject.of(
            article, "strip", RejectReason.NOT_AN_ARTICLE,
            "no paragraph of running text, only headings and list items: an index or listing page",
        )
    words = word_count(stripped.body)
    if words < max(min_words, 1):
        categories = Counter(r.category for r in removals)
        summary = ", ".join(f"{c} ×{n}" for c, n in sorted(categories.items())) or "nothing"
        return Reject.of(
            article, "strip", RejectReason.EMPTY_AFTER_STRIP,
            f"only {words} words of story text are left (min_words={min_words}); removed: {summary}",
        )
    return stripped


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
    return cut


def _story_rule_cuts(article: Article, rules: RuleSet, words: list[int], story: Story) -> dict[int, Removal]:
    """The rules' cuts within the story's zones, the page's own byline lines and the comment thread."""
    blocks = article.blocks
    extent = (story.start, story.end) if story.start is not None else None
    cut = rule_cuts(article, rules, words, extent)
    byline = read_byline([b.text for b in blocks], story.headline, story.start, story.language)
    facts = tuple((k, v) for k, v in (("byline_author", byline.author), ("byline_date", byline.published)) if v)
    for n, i in enumerate(byline.lines):
        if i != story.headline:
            cut[i] = Removal("byline", BYLINE_RULE, blocks[i].text, facts if n == 0 else ())
    if story.thread is not None:
        for i in range(story.thread, len(blocks)):
            cut.setdefault(i, Removal("comments", THREAD_RULE, blocks[i].text))
    return cut


def _model_cuts(
    blocks: tuple[Block, ...], cut: dict[int, Removal], story: Story, models: TextModels
) -> dict[int, Removal]:
    """The lines no rule named that the line model does not take for story: `outside_story`
    before or after the story's extent, `block_shape` inside it; each with its score."""
    found = {}
    for i, is_story in enumerate(story.story):
        if is_story or i in cut:
            continue
        inside = story.start is not None and story.start <= i <= story.end
        category = BLOCK_SHAPE if inside else OUTSIDE_STORY
        found[i] = Removal(category, f"{category}.model_{models.version}", blocks[i].text,
                           (("score", f"{story.probability[i]:.2f}"),))
    return found


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


def _story_title(article: Article, cut: dict[int, Removal], story: Story) -> tuple[int | None, str]:
    """The headline of a text dump: the line that repeats the title a sidecar or crawler record
    gives, else the headline model's line, else a heading that opens the dump within three lines
    of the story; never invented. Of the lines above the story that spell the same headline ('Putin 's
    Historic ...', 'Putin’s Historic ...'), the cleanest (shortest) is the title."""
    blocks = article.blocks
    site = article.hints.site or article.page.site
    known = title_without_site(article.page.title or article.hints.title, site, article.hints.url)
    if known:
        wanted = key(known)
    elif story.headline is not None:
        wanted = key(blocks[story.headline].text)
    elif blocks[0].kind is BlockKind.HEADING and story.start is not None and story.start <= _TITLE_SEARCH:
        wanted = key(blocks[0].text)  # the dump opens with its headline, the story soon after (the seeds' form)
    else:
        return None, ""
    reach = len(blocks) if story.start is None else min(len(blocks), story.start + _TITLE_SEARCH)
    same = [i for i in range(reach) if key(blocks[i].text) == wanted]
    if story.headline is not None and story.headline not in same:
        same.append(story.headline)
    if not same:
        return None, known
    best = min(same, key=lambda i: (len(blocks[i].text), i))
    return best, blocks[best].text


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
