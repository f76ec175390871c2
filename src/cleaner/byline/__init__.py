"""The page's own author and publication date, read from the byline and dateline lines of a
plain-text page dump.

A text dump holds every visible line of a page: menus, headline, byline, story, related links,
comments, footer. Other models find the headline and the story's first line; the byline sits
between them, above the headline, or a line or two into the story. Only that window is read,
so a date in a related-links list, a comment or the story itself is never taken for the
publication date, and a name in a menu or a teaser further down is never the author. Where
the window gives none, a labelled date or a cued name right at the story's end counts: a
closing dateline, an author box's 'Written by Jane Doe'.

Precision first: an empty field is far better than a wrong one. A name counts only when a
byline cue says it is one: 'By …', 'Written by …', 'Von …', 'Par …', 'Por …'; a 'By' or
'Author' label on the line above; a date on the same line ('Jane Doe | May 5, 2024'); a
dateline or a job title ('Senior Editor') on the line below. It must look like a person's
name: 1 to 5 capitalised words, no interface or function words, and (without a cue) no word
the page also writes in lower case, which a common noun does and a surname rarely does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from cleaner.byline.dates import iso_date
from cleaner.byline.line import Line, labelled_dates, read_line
from cleaner.byline.names import person
from cleaner.byline.page import _Page
from cleaner.byline.vocabulary import CREDENTIAL

__all__ = ["CREDENTIAL", "Byline", "Line", "iso_date", "person", "read_byline", "read_line", "window"]

LINES_ABOVE_HEADLINE = 3  # blogs put 'June 6, 2021' or 'Posted on … by …' above the headline
# Review sites put 'Author: …', 'Edited By: …', 'Last Updated: …', trust notes and a breadcrumb
# there (WCXB dev: 6 to 9 lines up): that far up only a line with a cued name counts (a forum's
# 'Joined Oct 28, 2023' above a thread's title does not).
CUED_ABOVE_HEADLINE = 9
LINES_BEFORE_STORY = 8  # with no headline: how far above the story's first line a byline may sit
LINES_INTO_STORY = 4  # a byline after the dek or the first paragraph
MAX_HEAD_TO_STORY = 30  # a longer gap between headline and story is menus, tables of contents …
LINES_WITHOUT_STORY = 12  # the headline is known but the story start is not (or lies above it)
LINES_AFTER_STORY = 3  # a closing dateline ('Posted on April 13, 2023') right after the story's last line
# A closing byline ('Written by Jane Doe' over the author box, 'By Jane Doe' under the story): a
# cued name from the story's last line but one to this many lines after its last line, with no
# related-links marker before it (past one, a 'by NAME' is a teaser's).
AUTHOR_AFTER_STORY = 5


@dataclass(frozen=True)
class Byline:
    """What the page's own byline states; empty fields where it states nothing."""

    author: str = ""  # the first author, as the page writes it, cleaned: 'By JANE DOE |' -> 'Jane Doe'
    published: str = ""  # ISO date YYYY-MM-DD; never a date labelled 'Updated' or 'Modified'
    updated: str = ""  # the first date labelled 'Updated', 'Last modified' …, for a caller that wants it
    lines: tuple[int, ...] = ()  # indexes of the byline and dateline lines read


def read_byline(texts: Sequence[str], headline: int | None, story_start: int | None, language: str = "",
                story_end: int | None = None, stops: Collection[int] = ()) -> Byline:
    """The page's own author and publication date, from the lines around its headline and story start.

    `texts`: the page's lines; `headline`, `story_start`, `story_end`: their indexes, None when
    unknown. `language` (ISO 639-1, may be empty) only tells how to read 05/06/2024. With no
    publication date at the top, one labelled so just after the story's last line counts
    ('Posted on April 13, 2023', 'Published' above 'August 30, 2024'); a bare date there does not.
    With no author at the top, a cued name at the end of a story under a headline counts
    (closing_author; a listing's last teaser byline stands at the end of what the model took for
    its story, and a listing shows no headline of its own). `stops`: lines from which on what
    follows is no longer the page's own (a related-links marker, a comment thread's first line);
    neither the window nor the closing byline reads past one.
    """
    lo, start, hi = window(len(texts), headline, story_start)
    top = max((i for i in (headline, story_start) if i is not None), default=None)
    hi = min([hi, *(i for i in stops if top is not None and i > top)])  # past a related marker: teasers
    if lo >= hi:
        return Byline()
    read = {i: read_line(texts[i], language) for i in range(lo, hi)}
    if headline is not None:  # far above the headline, only a line with a cued name counts
        read = {i: line if i >= headline - LINES_ABOVE_HEADLINE or line.author else Line()
                for i, line in read.items()}
    page = _Page(texts, read, start, headline)
    author_lines, author = page.author()
    date_lines, published = page.published()
    if not published and story_end is not None:
        date_lines, published = closing_date(texts, story_end, language)
    if not author and story_end is not None and headline is not None:
        author_lines, author = closing_author(texts, story_end, language, stops)
    updated_lines, updated = page.updated()
    if not (author or published or updated):
        return Byline()
    return Byline(author, published, updated, page.byline_lines(author_lines | date_lines | updated_lines))


def closing_date(texts: Sequence[str], story_end: int, language: str = "") -> tuple[set[int], str]:
    """({line}, date) of the first date labelled published, on its line or by a label line above
    it (line.labelled_dates), in the LINES_AFTER_STORY lines after `story_end`; (set(), '') if none."""
    after = range(story_end + 1, min(len(texts), story_end + 1 + LINES_AFTER_STORY))
    lines = ((i, read_line(texts[i], language), texts[i]) for i in after)
    return next((({i}, iso) for i, kind, iso in labelled_dates(lines) if kind == "published" and iso), (set(), ""))


def closing_author(texts: Sequence[str], story_end: int, language: str = "",
                   stops: Collection[int] = ()) -> tuple[set[int], str]:
    """({line}, name) of the first name a byline cue introduces ('Written by Jane Doe', 'Text by
    …', 'Posted By: …') from the story's last line but one to AUTHOR_AFTER_STORY lines after its
    last line, before any line of `stops`; (set(), '') if none."""
    for i in range(max(0, story_end - 1), min(len(texts), story_end + 1 + AUTHOR_AFTER_STORY)):
        if i in stops:
            break
        line = read_line(texts[i], language)
        if line.author:
            return {i}, line.author
    return set(), ""


def window(count: int, headline: int | None, story_start: int | None) -> tuple[int, int, int]:
    """(lo, story, hi): the byline may sit in lines [lo, hi); from `story` on only in short lines
    that a cue or a date marks."""
    if headline is not None:
        lo = headline - CUED_ABOVE_HEADLINE
        if story_start is not None and headline < story_start <= headline + MAX_HEAD_TO_STORY:
            story, hi = story_start, story_start + LINES_INTO_STORY
        else:
            story = hi = headline + 1 + LINES_WITHOUT_STORY
    elif story_start is not None:
        lo, story, hi = story_start - LINES_BEFORE_STORY, story_start, story_start + LINES_INTO_STORY
    else:
        return 0, 0, 0
    return max(0, lo), min(count, story), min(count, hi)
