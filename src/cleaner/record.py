"""The record types that cross stage boundaries: Article, Block, Removal, Reject and their facts.

One frozen `Article` travels the whole pipeline. Each stage returns a new one with
`dataclasses.replace`, filling only its own fields, so an empty field tells which
stage has not run yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import count, islice


class Format(StrEnum):
    HTML = "html"
    TEXT = "text"


class BlockKind(StrEnum):
    TITLE = "title"  # the page's headline: goes to Meta.title, not to the body
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    text: str
    # The rows of one table and the items of one numbered list share a number (1, 2 ... in page
    # order; 0: neither). Such a structure inside the story is the story's: strip's rules do
    # not cut its short lines one by one as menus ('Reds | 3 | 1').
    part_of: int = 0
    # A numbered list item's own number as the page writes it ('1.', '2)'): the body shows it
    # where an item of a bulleted list shows '-' (a ranking's or a recipe's steps' order, and
    # a heading that numbers itself, '3. Choose the right pot', keep their numbers).
    marker: str = ""


@dataclass(frozen=True, slots=True)
class Removal:
    """One piece of boilerplate cut from an article, and the rule that cut it."""

    category: str
    rule_id: str
    text: str
    # Facts a rule captured while cutting (a breadcrumb's section, an author box's name).
    facts: tuple[tuple[str, str], ...] = ()
    # Where the cut block stood in the article's text as first extracted (kept and cut blocks
    # together, before any cut), so that the review page can show the cut in place; set by
    # every stage that cuts a block (Article.block_positions). -1: no block of that text (an
    # HTML element or text the extractor left out). Not published in removals.jsonl.
    index: int = -1


class RejectReason(StrEnum):
    """Why an input was not published. Values reach consumers in rejects.csv."""

    UNSUPPORTED_FORMAT = "unsupported_format"  # a file name extension we do not read
    UNREADABLE = "unreadable"  # the file could not be read (permissions, vanished, loop)
    CHANGED = "changed_during_run"  # the file changed between listing and reading
    OUTSIDE_RAW = "outside_raw"  # a symlink that leads out of the raw folder
    BAD_RECORD = "bad_record"  # a JSON-lines record that is not valid JSON or has no page
    EMPTY = "empty"  # zero bytes, or only whitespace
    TOO_LARGE = "too_large"  # over the configured size limit
    BINARY = "binary"  # an image, archive, PDF ... under a text or HTML name
    UNDECODABLE = "undecodable"  # no character set gives readable text
    TOO_COMPLEX = "too_complex"  # markup nested or sprawling past the configured limits
    TIMEOUT = "timeout"  # took longer than the per-document time budget
    NOT_AN_ARTICLE = "not_an_article"  # the extractor found no main text at all
    EMPTY_AFTER_STRIP = "empty_after_strip"  # only boilerplate, or too little text left
    INTERNAL_ERROR = "internal_error"  # a bug: the stage crashed on this input


@dataclass(frozen=True, slots=True)
class Reject:
    article_id: str
    source: str
    record: int | None
    stage: str
    reason: RejectReason
    detail: str  # one human sentence

    @classmethod
    def of(cls, article: Article, stage: str, reason: RejectReason, detail: str) -> Reject:
        """The reject of one article: the one way stages build one."""
        return cls(article_id=article.id, source=article.source, record=article.record, stage=stage,
                   reason=reason, detail=detail)


@dataclass(frozen=True, slots=True)
class Facts:
    """Page facts as one origin states them (a sidecar, a crawler record, the page itself)."""

    title: str = ""
    author: str = ""
    published: str = ""  # ISO 8601 date
    updated: str = ""  # ISO 8601 date the page labels 'Updated', 'Last modified' …; never the published one
    site: str = ""
    section: str = ""
    url: str = ""
    fetched_at: str = ""


@dataclass(frozen=True, slots=True)
class Meta:
    """Resolved metadata of a clean article. Found, never invented: unknown stays empty."""

    title: str = ""
    author: str = ""
    published: str = ""
    updated: str = ""
    section: str = ""
    site: str = ""
    url: str = ""
    fetched_at: str = ""
    language: str = ""
    word_count: int = 0
    reading_time_min: int = 0
    keywords: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    id: str  # stable: derived from the source path (+ line number for JSON lines)
    source: str  # path relative to the raw folder, posix separators
    format: Format | None  # html or text; None for a JSON-lines record until it is read
    input_format: str  # the file's kind: "html", "text" or "jsonl"
    record: int | None = None  # 1-based line number inside a JSON-lines file
    offset: int = 0  # byte offset and length of a JSON-lines record inside its file
    length: int = 0
    encoding: str = ""  # the character set decode settled on
    sidecar: str = ""  # sha256 of its NAME.meta.json, if any
    stamp: str = ""  # what discover saw: sha256 of a page file, "sha256@size:mtime_ns" of a JSON-lines file
    raw: bytes = b""  # emptied once decode has run
    text: str = ""  # decoded document (HTML source or plain text); emptied by extract
    hints: Facts = Facts()  # from a sidecar or the crawler record (frozen: one shared empty default)
    page: Facts = Facts()  # what the document itself states
    blocks: tuple[Block, ...] = ()
    removals: tuple[Removal, ...] = ()
    meta: Meta = Meta()
    content_hash: str = ""  # sha256 of the normalised body: exact-duplicate key
    duplicate_of: str | None = None
    duplicate_kind: str | None = None  # "exact" | "near"
    similarity: float | None = None  # estimated Jaccard to the canonical article
    story_id: str = ""

    @property
    def body_blocks(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind is not BlockKind.TITLE)

    def block_positions(self) -> tuple[int, ...]:
        """Where each of `blocks` stood in the text as first extracted: in order, the positions
        that no cut block (a removal with an index) holds. A stage that cuts block i records
        block_positions()[i] as the Removal's index."""
        cut = {r.index for r in self.removals if r.index >= 0}
        free = (p for p in count() if p not in cut)
        return tuple(islice(free, len(self.blocks)))

    @property
    def body(self) -> str:
        """The clean text: blocks separated by blank lines, list items as '- ' lines ('1. ' where
        the item is numbered)."""
        parts: list[str] = []
        previous: BlockKind | None = None
        for block in self.body_blocks:
            if block.kind is BlockKind.LIST_ITEM:
                line = f"{block.marker or '-'} {block.text}"
                if previous is BlockKind.LIST_ITEM:
                    parts[-1] += "\n" + line
                else:
                    parts.append(line)
            else:
                parts.append(block.text)
            previous = block.kind
        return "\n\n".join(parts)
