"""A plain-text dump -> blocks: at blank lines, hard wraps joined, bullets, quotes and headings by shape."""

from __future__ import annotations

import re

from cleaner.normalize import clean_text, word_count
from cleaner.record import Block, BlockKind

_BULLET = re.compile(r"^(?:[•·▪◦●○■□►▸‣⁃∙*]|[-–—](?=\s)|\d{1,2}[.)](?=\s))\s*")
_TERMINAL = re.compile(r"[.!?:;…\"”»)\]]$")


def split_text(text: str) -> list[Block]:
    """Blocks of a plain-text page dump, in order.

    Cut at blank lines; single lines inside a paragraph become blocks of their own unless they
    are a hard-wrapped paragraph. Deciding what is boilerplate is the strip stage's job.
    """
    blocks: list[Block] = []
    for paragraph in re.split(r"\n\s*\n", clean_text(text)):
        lines = [ln.strip() for ln in paragraph.split("\n") if ln.strip()]
        for line in _unwrap(lines):
            blocks.append(_text_block(line))
    return blocks


def _unwrap(lines: list[str]) -> list[str]:
    """Join the lines of a hard-wrapped paragraph; keep separate lines separate.

    A line break is a wrap when the line is long, does not end a sentence or a heading, and
    the next line carries on in lower case ('... the two\\nleaders met').
    """
    out: list[str] = []
    for line in lines:
        if (
            out
            and len(out[-1]) >= 30
            and not _TERMINAL.search(out[-1])
            and not _BULLET.match(line)
            and (line[:1].islower() or line[:1] in ",;)")
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _text_block(line: str) -> Block:
    bullet = _BULLET.match(line)
    if bullet and len(line) > bullet.end():
        return Block(BlockKind.LIST_ITEM, line[bullet.end():].strip())
    if line.startswith(">"):
        return Block(BlockKind.QUOTE, line.lstrip("> ").strip())
    if is_heading_like(line):
        return Block(BlockKind.HEADING, line)
    return Block(BlockKind.PARAGRAPH, line)


def is_heading_like(text: str) -> bool:
    """Short, starts like a title, and does not end like a sentence ('What’s Next?' does)."""
    n = word_count(text)
    if n == 0 or n > 20 or len(text) > 160:
        return False
    first = text[:1]
    if not (first.isupper() or first.isdigit() or first in "“\"‘'¿¡"):
        return False
    return not re.search(r"[.,;:…]$", text) or text.endswith("?")
