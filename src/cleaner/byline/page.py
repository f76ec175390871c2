"""The window's lines read together: which line names the author, which date is the publication's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from cleaner.byline.line import Line, labelled_dates
from cleaner.byline.names import _name_at
from cleaner.byline.vocabulary import PARTICLES, ROLE_WORDS, SEPARATORS

MAX_DATELINE_WORDS = 8  # inside the story a date counts only on a line this short
# ... and a name beside a date ('Faith Katunga • Oct 20, 2025', 'Kristian Larsen July 13, 2025 —
# 7 minutes read') is the author on a line this short: 3 more authors right of WCXB's dev
# articles, none wrong, none invented.
MAX_BYLINE_WORDS = 12
PAIRED_DATES = 2  # 'May 5, 2024' then 'May 9, 2024' a line or two below: published, then modified
PROSE_WORDS = 6  # lines this long are sentences: their lower-case words are common nouns

_PUNCTUATION = ".,;:!?()[]\"'“”‘’«»"


@dataclass
class _Page:
    """The window's lines, read, with what the page around them says."""

    texts: Sequence[str]
    read: dict[int, Line]
    story: int
    headline: int | None

    @cached_property
    def _lower(self) -> frozenset[str]:
        """The words the page's sentences write in lower case."""
        return frozenset(
            word for text in self.texts if len(text.split()) >= PROSE_WORDS
            for word in (token.strip(_PUNCTUATION) for token in text.split()) if word.isalpha() and word.islower()
        )

    def author(self) -> tuple[set[int], str]:
        """(lines, name) of the first author: cued names, then names beside a date, then bare
        names; below the headline before above it (where the previous story's teaser may sit)."""
        cued, failed = self._cued
        tiers = (cued, self._dated_names(), self._bare_names())
        for below in (True, False):
            for candidates in tiers:
                candidates = [(i, name) for i, name in candidates if self._below_headline(i) == below]
                if candidates:
                    i, name = min(candidates)
                    return {i}, name
                if below and any(self._below_headline(i) for i in failed):
                    return set(), ""  # a cue whose name cannot be read: guess nothing
        return set(), ""

    @cached_property
    def _cued(self) -> tuple[list[tuple[int, str]], list[int]]:
        """(line, name) of each name a cue introduces, and the lines of cues that introduce none."""
        found = [(i, line.author) for i, line in self.read.items() if line.author and self._allowed(i)]
        failed = [i for i, line in self.read.items() if line.failed_cue]
        for i, line in self.read.items():
            j = self._following(i)
            if line.cue == "author" and j >= 0 and self._allowed(j):
                name = self.read[j].name or _name_at(self.texts[j].strip(SEPARATORS))[0]
                if name:
                    found.append((j, name))
                else:
                    failed.append(i)
        return found, failed

    def _dated_names(self) -> list[tuple[int, str]]:
        """(line, name) of names beside a date on one line, above the story or, on a short line,
        in its first lines (where the line model's story may start a line early)."""
        return [(i, line.dated_name) for i, line in self.read.items()
                if line.dated_name and (i < self.story or len(self.texts[i].split()) <= MAX_BYLINE_WORDS)
                and self._looks_personal(line.dated_name)]

    def _bare_names(self) -> list[tuple[int, str]]:
        """(line, name) of lines that are a name and nothing else, with a dateline or a job title
        under them, or a dateline over them."""
        return [(i, line.name) for i, line in self.read.items()
                if line.name and self._below_headline(i)
                and (line.role or self._byline_below(i) or self._dated_above(i))
                and self._looks_personal(line.name)
                and not self._is_headline(i)]

    def _dated_above(self, i: int) -> bool:
        """Line i is a name and nothing else, under a dateline ('July 2, 2025' then 'Jane Doe'): the
        line above it that says something, past separators, furniture and the headline itself
        ('September 8, 2021', the headline, 'Jane Doe'). Only under a headline: without one the
        window may be a teaser's."""
        if self.headline is None or self.texts[i].strip(SEPARATORS) != self.read[i].name:
            return False
        j = self._above(i - 1)
        if j == self.headline:
            j = self._above(j - 1)
        return j in self.read and self.read[j].dateline

    def _above(self, j: int) -> int:
        """Line j or the nearest line above it that says something (not separators or furniture)."""
        while j in self.read and (not self.texts[j].strip(SEPARATORS) or self.read[j].furniture):
            j -= 1
        return j

    def _allowed(self, i: int) -> bool:
        """Above the headline, only a line that is not a menu item: menus list names too."""
        return self.headline is None or i > self.headline or len(self.texts[i].split()) >= 3 or i == self.headline - 1

    def _below_headline(self, i: int) -> bool:
        """Line i is below the headline (or there is no headline)."""
        return self.headline is None or i > self.headline

    def _looks_personal(self, name: str) -> bool:
        """Without a cue, a name whose words the page's sentences also write in lower case is a
        common noun ('Cleaning Industry Trends'); short words and team words are not tested."""
        words = [w.casefold() for w in name.split()]
        return not any(w in self._lower for w in words if len(w) > 2 and w not in PARTICLES and w not in ROLE_WORDS)

    def _is_headline(self, i: int) -> bool:
        """The repeated headline ('Klatch Coffee') is not a name."""
        if self.headline is None:
            return False
        return self.texts[i].strip().casefold() == self.texts[self.headline].strip().casefold()

    def _following(self, i: int) -> int:
        """The next line after i that says something (not '•', '|', '*'), or -1 outside the window."""
        j = i + 1
        while j in self.read and not self.texts[j].strip(SEPARATORS):
            j += 1
        return j if j in self.read else -1

    def _byline_below(self, i: int) -> bool:
        """A dateline or a job title follows the name, past separators, furniture, a repeat of
        the name and one short line ('Marketing', 'on Elementor')."""
        j, skipped = i + 1, 0
        while j in self.read:
            line, text = self.read[j], self.texts[j].strip()
            if (line.dateline and (j < self.story or j == i + 1)) or (line.role and j < self.story):
                return True  # in the story's first lines only a dateline right below the name
            if not text.strip(SEPARATORS) or line.furniture or text == self.texts[i].strip():
                j += 1
                continue
            if skipped or line.name or len(text.split()) > 5:
                return False
            skipped, j = 1, j + 1
        return False

    def published(self) -> tuple[set[int], str]:
        """(lines, date): the first date not labelled updated, below the headline if any is.

        Dates on the same or the next line are one byline ('May 5, 2024May 9, 2024': published,
        then modified): the earliest of them is the publication. An unlabelled date with other
        dates further off is one of a list (events, table rows): then only a labelled one counts.
        """
        dated = [d for d in self._dates() if self._below_headline(d[0])] or self._dates()
        dated = [(i, kind, iso) for i, (kind, iso) in dated if kind != "updated"]
        if not dated:
            return set(), ""
        block = [(i, kind, iso) for i, kind, iso in dated if i - dated[0][0] <= PAIRED_DATES]
        labelled = [(i, kind, iso) for i, kind, iso in dated if kind == "published"]
        chosen = [d for d in block if d[1] == "published"] or block
        others = {iso for i, _, iso in dated if i - dated[0][0] > PAIRED_DATES} - {iso for _, _, iso in block}
        if others and not any(kind == "published" for _, kind, _ in block):
            chosen = labelled[:1]  # one date of a list: only a labelled date says which is the page's
        if not chosen or any(not iso for _, _, iso in chosen):
            return set(), ""
        iso = min(iso for _, _, iso in chosen)
        return {i for i, _, value in chosen if value == iso}, iso

    def updated(self) -> tuple[set[int], str]:
        """(lines, date) of the first date labelled updated or modified."""
        found = [(i, iso) for i, (kind, iso) in self._dates() if kind == "updated" and iso]
        return ({found[0][0]}, found[0][1]) if found else (set(), "")

    def _dates(self) -> list[tuple[int, tuple[str, str]]]:
        """(line, (kind, date)) of each date (line.labelled_dates), inside the story only on byline lines."""
        lines = ((i, line, self.texts[i]) for i, line in sorted(self.read.items())
                 if i < self.story or self._byline_in_story(i))
        return [(i, (kind, iso)) for i, kind, iso in labelled_dates(lines)]

    def _byline_in_story(self, i: int) -> bool:
        """Inside the story a date counts only on a byline line: a cue or a label on it, or a
        short dateline of its own; never a date a paragraph mentions."""
        line = self.read[i]
        return bool(line.author or line.failed_cue or line.dated_name or line.cue or self._short_dateline(i)
                    or any(kind != "plain" for kind, _ in line.dates))

    def _short_dateline(self, i: int) -> bool:
        """Line i states a date and little else."""
        return bool(self.read[i].dates) and len(self.texts[i].split()) <= MAX_DATELINE_WORDS

    def byline_lines(self, used: set[int]) -> tuple[int, ...]:
        """The lines read, with the byline lines around them: cue lines, datelines, furniture."""
        lines = set(used)
        grown = True
        while grown:
            grown = False
            for i in sorted(lines):
                for j in (i - 1, i + 1):
                    if j in self.read and j not in lines and self._joins_byline(j):
                        lines.add(j)
                        grown = True
        return tuple(sorted(lines))

    def _joins_byline(self, j: int) -> bool:
        """A line beside a byline line that belongs to the byline block."""
        line = self.read[j]
        if j >= self.story and not (line.author or line.dated_name or self._short_dateline(j)):
            return False
        return bool(line.author or line.dated_name or line.dates or line.cue or line.yearless or line.furniture
                    or line.role or (line.name and self._is_byline_name(j)))

    def _is_byline_name(self, j: int) -> bool:
        """Line j holds a name that a cue introduced."""
        return any(j == i for i, _ in self._cued[0])
