"""Which block is the headline, and the blocks that repeat it."""

from __future__ import annotations

import re

from cleaner.extract import is_heading_like
from cleaner.normalize import key, title_without_site, word_count
from cleaner.record import Article, Block, BlockKind, Format, Removal
from cleaner.region import Story
from cleaner.rules import RuleSet

_TITLE_SEARCH = 3  # the headline is among the first kept blocks of a text dump
_SUBTITLE = re.compile(r"^\s*[:|–—-]\s*")
_LABEL_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*::\s*")  # 'Headline | Site', 'Headline – Section'
_LABEL_WORDS = 5  # a site's or section's name is short


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
    Historic ...', 'Putin’s Historic ...'), the cleanest (shortest) is the title; a site's or
    section's name after it goes when the page prints that name on a line of its own (_without_label)."""
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
    return best, blocks[best].text if known else _without_label(blocks, best)


def _without_label(blocks: tuple[Block, ...], index: int) -> str:
    """The headline line without the site's or section's name its last separator puts after it
    ('The Ultimate Car Maintenance Checklist | Bridgestone Tires' -> '... Checklist'), when that name
    (at most _LABEL_WORDS words) stands on a line of its own elsewhere on the page (the logo's text,
    a section link); the line unchanged otherwise."""
    text = blocks[index].text
    separators = list(_LABEL_SEPARATOR.finditer(text))
    if not separators:
        return text
    head, label = text[:separators[-1].start()].strip(), text[separators[-1].end():]
    label_key = key(label)
    if not head or not label_key or len(label.split()) > _LABEL_WORDS:
        return text
    if any(key(block.text) == label_key for i, block in enumerate(blocks) if i != index):
        return head
    return text


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
