"""A page dumped as Markdown (as many crawlers now export a page) -> the plain text a reader sees.

A Markdown dump carries its syntax into every line: link targets ('[the report](https://…)'),
images, '#' before headings, '**' around emphasis, table rules. Text mode reads lines as a reader
does, so the syntax goes and the text stays: a link becomes its text, an image and a link
definition go, a heading its words, a table row its cells. A dump is taken for Markdown when it
holds at least MIN_LINKS inline links or images and its Markdown marks are on at least
MIN_SHARE of its lines: a plain dump that quotes a shell comment ('# install') is left as it is.
"""

from __future__ import annotations

import re

MIN_LINKS = 3
MIN_SHARE = 0.02

_TEXT = r"\[([^\]\n]*)\]"  # a link's or an image's text ...
_TARGET = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)"  # ... and its address, a title after it
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_MARKS = re.compile(r"!?\[[^\]\n]*\]\(|^ {0,3}#{1,6}[ \t]|^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|", re.M)

_IMAGE = re.compile(rf"!{_TEXT}{_TARGET}")
_LINK = re.compile(rf"{_TEXT}{_TARGET}")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_REF_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]+\S+.*$", re.M)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_RULE_LINE = re.compile(r"^ {0,3}(?:(?:[-*_][ \t]*){3,}|=+)[ \t]*$", re.M)  # a thematic break, a setext underline
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M)
_TABLE_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.M)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*\\])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<![\w\\])_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)")
_CODE = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~).*$", re.M)
_PLUS_BULLET = re.compile(r"^([ \t]*)\+[ \t]+", re.M)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")


def looks_like_markdown(text: str) -> bool:
    """Whether the dump is written in Markdown (see the module)."""
    # Every inline link or image holds '](': most dumps hold too few for the patterns to run. An
    # image ('![alt](src)') holds a link's shape, so _LINK counts links and images alike.
    if text.count("](") < MIN_LINKS or len(_LINK.findall(text)) < MIN_LINKS:
        return False
    lines = sum(1 for line in text.split("\n") if line.strip())
    return len(_MARKS.findall(text)) >= MIN_SHARE * lines


def plain_text(text: str) -> str:
    """The dump's text without its Markdown syntax, line for line (a line that was only syntax,
    such as a table rule or a link definition, is left empty)."""
    text = _FENCE.sub("", text)
    text = _REF_DEFINITION.sub("", text)
    text = _TABLE_RULE.sub("", text)
    text = _TABLE_ROW.sub(lambda m: "  ".join(cell.strip() for cell in m.group(1).split("|")), text)
    text = _RULE_LINE.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HEADING.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    text = _CODE.sub(r"\1", text)
    text = _PLUS_BULLET.sub(r"\1* ", text)
    return _ESCAPE.sub(r"\1", text)
