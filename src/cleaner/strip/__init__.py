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

from collections import Counter
from dataclasses import replace

from cleaner.byline import read_byline
from cleaner.classify import match_block
from cleaner.linefeatures import sentence_ends
from cleaner.normalize import word_count
from cleaner.record import Article, Block, BlockKind, Format, Reject, RejectReason, Removal
from cleaner.region import Story, TextModels, find_story
from cleaner.rules import RuleSet
from cleaner.sites import site_of
from cleaner.strip.title import _find_title, _repeated_titles, _story_title
from cleaner.strip.zones import repeated_text, rule_cuts

__all__ = ["BLOCK_SHAPE", "BYLINE_RULE", "OUTSIDE_STORY", "THREAD_RULE", "rule_cuts", "strip"]

BLOCK_SHAPE, OUTSIDE_STORY = "block_shape", "outside_story"  # the removal categories of the line model's cuts
THREAD_RULE = "comments.thread_to_end"  # a reader-comment thread, cut from its first line to the page's end
BYLINE_RULE = "byline.read"  # the page's own byline and dateline lines, read by cleaner.byline
ABOUT_RULE = "author_bio.about_line"  # 'About Jane Doe': an author box's heading, or a menu's link
BIO_WORDS = 8  # an author box's heading is followed by a bio sentence; a menu's 'About X' by menu items
# A text where no rule names a line and the line model takes this share of the words for story
# is all story (a clean article, a feed's full text), not a page's dump: the model, trained on
# dumps, would cut the short lines inside its story (list items, code, "Pros"/"Cons") as
# chrome, and those after its last story line (a closing list, the last section's heading) as
# lying outside the story: there the model cuts only what stands before the story's first line
# (a stray menu or formula line above a clean text). WCXB dev articles (every other one): 246 of
# 279 reference texts given alone are all story by this test, and 1 of their 279 whole-page
# dumps (one 98 % story already): a dump nearly always holds a line some rule names (a menu, a
# footer, a share bar), a clean text nearly never. Keeping the lines after the story there:
# benchmarks/allstory.py dev 0.982 -> 0.985; keeping those before it too (0.986) had kept a
# snippet page's menu line and a text's opening formula line.
ALL_STORY_SHARE = 0.5
# A page is no article when what is left has no running text, only headings and list items (an
# index of links). In a text dump, a list item that is a whole sentence of this many words is
# running text: a story told in bullets (a game's notes quarter by quarter, a diary's list of
# sentences) had been rejected as an index page (two snippet dev pages, under a retrained line
# model that cut their one short paragraph). Not in html mode, where
# the check is the page-type model's second: there it rejects two WCXB dev listing pages of
# sentence-long items that it would otherwise publish, against one article it would keep.
RUNNING_ITEM_WORDS = 8
# ... and in either mode, one list item that holds at least this share of the words left, with
# STORY_ITEM_WORDS or more ending a sentence, is the story wrapped in a list, not an index: a
# course page whose video transcript (243 words) is an item of its activity list, beside five
# one-line items, was rejected (WCXB dev 2157). An index's items share its words: the dev
# listing and forum pages this check rejects hold their longest item at a quarter of their words
# or less.
STORY_ITEM_SHARE = 0.5
STORY_ITEM_WORDS = 50
# A page titled as an error or bot-check page ('Page not found', 'Just a moment...': a rule with
# action reject_page) is one when fewer words than this are left: what such a page says besides
# its title ('It looks like nothing was found at this location') is short, and often glued to
# its menu in one line that no whole-line rule matches. A story titled 'Access Denied' is longer.
ERROR_PAGE_WORDS = 60


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
        all_story = not cut and _story_share(block_words, story) >= ALL_STORY_SHARE
        cut.update(_repeated_titles(blocks, block_words, cut, title_index, title, rules))
        cut.update(_model_cuts(blocks, cut, story, head_only=all_story))
        title_text = title  # the headline line, less a site's name after it (strip.title._without_label)
    else:
        cut = rule_cuts(article, rules, block_words)
        title_index, title = _find_title(article, cut)
        cut.update(_repeated_titles(blocks, block_words, cut, title_index, title, rules))
        title_text = ""  # the headline block as the page spells it
    cut.update(repeated_text(blocks, block_words, cut, rules, title_index))

    at = article.block_positions()  # each cut records where it stood, for the review page
    cut = {i: replace(removal, index=at[i]) for i, removal in cut.items()}
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        if i in cut and i != title_index:
            continue
        kept.append(Block(BlockKind.TITLE, title_text or block.text) if i == title_index else block)
    removals = article.removals + tuple(cut[i] for i in sorted(cut) if i != title_index)
    stripped = replace(article, blocks=tuple(kept), removals=removals)

    if kept and not any(_running_text(b, sentences_in_lists=article.format is Format.TEXT) for b in kept) \
            and not _story_item(kept):
        return Reject.of(
            article, "strip", RejectReason.NOT_AN_ARTICLE,
            "no paragraph of running text, only headings and list items: an index or listing page",
        )
    words = word_count(stripped.body)
    if words < ERROR_PAGE_WORDS:
        error = _error_title(article, title_text or title, rules)
        if error is not None:
            return Reject.of(article, "strip", RejectReason.NOT_AN_ARTICLE,
                             f"an error or bot-check page, not an article: its title {error[1]!r} is what "
                             f"{error[0]} names, and {words} words are left")
    if words < max(min_words, 1):
        categories = Counter(r.category for r in removals)
        summary = ", ".join(f"{c} ×{n}" for c, n in sorted(categories.items())) or "nothing"
        return Reject.of(
            article, "strip", RejectReason.EMPTY_AFTER_STRIP,
            f"only {words} words of story text are left (min_words={min_words}); removed: {summary}",
        )
    return stripped


def _error_title(article: Article, headline: str, rules: RuleSet) -> tuple[str, str] | None:
    """(rule id, title) when the page's stated title, its headline or its crawler record's title
    is matched by a reject_page rule (leftover.error_page), else None."""
    pages = RuleSet(tuple(r for r in rules.text if r.action == "reject_page"), ())
    if not pages.text:
        return None
    for title in (article.page.title, headline, article.hints.title):
        found = match_block(title.strip(), pages) if title and title.strip() else None
        if found is not None:
            return found[0].id, title.strip()
    return None


def _running_text(block: Block, sentences_in_lists: bool) -> bool:
    """A paragraph or a quote; with `sentences_in_lists`, also a list item that is a sentence of
    RUNNING_ITEM_WORDS words or more."""
    if block.kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE):
        return True
    return sentences_in_lists and block.kind is BlockKind.LIST_ITEM and word_count(block.text) >= RUNNING_ITEM_WORDS \
        and sentence_ends(block.text)


def _story_item(kept: list[Block]) -> bool:
    """Whether one list item is most of what is left, a paragraph's worth that ends a sentence."""
    words = [word_count(b.text) for b in kept]
    total = sum(words)
    return any(b.kind is BlockKind.LIST_ITEM and n >= STORY_ITEM_WORDS and n >= STORY_ITEM_SHARE * total
               and sentence_ends(b.text) for b, n in zip(kept, words))


def _story_rule_cuts(article: Article, rules: RuleSet, words: list[int], story: Story) -> dict[int, Removal]:
    """The rules' cuts within the story's zones, the page's own byline lines and the comment thread."""
    blocks = article.blocks
    extent = (story.start, story.end) if story.start is not None else None
    texts = [b.text for b in blocks]
    cut = {i: _page_facts(removal, i, words) for i, removal in rule_cuts(article, rules, words, extent).items()}
    stops = [i for i, removal in cut.items() if removal.category == "related"]
    if story.thread is not None:
        stops.append(story.thread)
    byline = read_byline(texts, story.headline, story.start, story.language, story.end, frozenset(stops))
    facts = tuple((k, v) for k, v in (("byline_author", byline.author), ("byline_date", byline.published),
                                      ("byline_updated", byline.updated)) if v)
    for n, i in enumerate(byline.lines):
        if i != story.headline:
            cut[i] = Removal("byline", BYLINE_RULE, blocks[i].text, facts if n == 0 else ())
    if story.thread is not None:
        for i in range(story.thread, len(blocks)):
            cut.setdefault(i, Removal("comments", THREAD_RULE, blocks[i].text))
    return cut


def _page_facts(removal: Removal, i: int, words: list[int]) -> Removal:
    """A rule's cut on line i less the facts the byline reader would not take. No date: in a text
    dump the reader alone says the page's date, and a dateline rule also matches 'Updated:
    6/2/2025' and the dates of a list of related teasers (WCXB dev: 2 of 5 invented and 2 of 19
    wrong dates; 5 right ones go too, 3 of them 'Updated' dates the truth takes). No author from
    a bare 'About X' (no 'author' on the line) unless a bio sentence follows it: in a menu it is
    a link to the site's own page ('About Steam Ritual', 'About UC Merced'; WCXB dev: all 7 such
    authors were menu links, 6 of them wrong or invented)."""
    facts = tuple((name, value) for name, value in removal.facts if name != "date" and not (
        name == "author" and removal.rule_id == ABOUT_RULE and "author" not in removal.text.casefold()
        and next((n for n in words[i + 1:] if n), 0) < BIO_WORDS))
    return removal if facts == removal.facts else replace(removal, facts=facts)


def _story_share(words: list[int], story: Story) -> float:
    """The share of the text's words on the lines the line model takes for story."""
    total = sum(words)
    return sum(w for w, is_story in zip(words, story.story) if is_story) / total if total else 0.0


def _model_cuts(
    blocks: tuple[Block, ...], cut: dict[int, Removal], story: Story, head_only: bool = False,
) -> dict[int, Removal]:
    """The lines no rule named that the line model does not take for story: `outside_story`
    before or after the story's extent, `block_shape` inside it; each with its score.
    `head_only`: only those before the story's first line (a text that is all story)."""
    found = {}
    for i, is_story in enumerate(story.story):
        if is_story or i in cut:
            continue
        if head_only and (story.start is None or i > story.start):
            continue
        within = story.start is not None and story.start <= i <= story.end
        category = BLOCK_SHAPE if within else OUTSIDE_STORY
        found[i] = Removal(category, f"{category}.model_{story.model}", blocks[i].text,
                           (("score", f"{story.probability[i]:.2f}"),))
    return found


