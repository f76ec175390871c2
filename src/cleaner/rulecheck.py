"""The checks of one rule's values and of its examples; every problem a RuleError naming the file and the rule."""

from __future__ import annotations

import re
import re._parser as _regex_parser
from dataclasses import dataclass
from typing import TYPE_CHECKING

import soupsieve

from cleaner.normalize import word_count

if TYPE_CHECKING:
    from cleaner.rules import Rule

POSITIONS = ("head", "body", "tail")  # where a block sits, as match_block is told
_UNANCHORED_SCAN = re.compile(r"^(?:\(\?[a-zA-Z]+\))?\(\?=\.\*")
# `{phrases}` stands for the whole content of one group of the pattern: (?:{phrases}), ({phrases}), (?P<x>{phrases})
_PHRASES_SLOT = re.compile(r"(?<!\\)\((?:\?:|\?P<\w+>)?\{phrases\}\)")
_HOST = re.compile(r"^(?:[\w-]+\.)+[\w-]+$")


class RuleError(ValueError):
    """A rule file is wrong; the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Example:
    """A block a rule must match (or must not): its text, and where it sits."""

    text: str  # html rules: a small HTML snippet
    # The position match_block is given (head, body or tail); None: none, so the rule's zone is not checked.
    zone: str | None = None


def with_phrases(raw: dict, where: str) -> object:
    """The pattern, its `{phrases}` replaced by the rule's phrases joined with '|' (each phrase a
    regex fragment: one alternative of the group that holds `{phrases}`)."""
    pattern, phrases = raw.get("pattern"), raw.get("phrases")
    if phrases is None:
        if isinstance(pattern, str) and "{phrases}" in pattern:
            raise RuleError(f"{where}: the pattern holds {{phrases}} but the rule has no 'phrases' list")
        return pattern
    if not isinstance(phrases, list) or not phrases:
        raise RuleError(f"{where}: 'phrases' must be a list of strings, one phrase a line")
    if not isinstance(pattern, str) or pattern.count("{phrases}") != 1 or not _PHRASES_SLOT.search(pattern):
        raise RuleError(f"{where}: a pattern with 'phrases' must hold {{phrases}} once, as a group of its own: "
                        "(?:{phrases})")
    seen: set[str] = set()
    for n, phrase in enumerate(phrases, start=1):
        if not isinstance(phrase, str) or not phrase.strip():
            raise RuleError(f"{where}: phrase {n} is empty or not a string")
        if phrase in seen:
            raise RuleError(f"{where}: phrase {n} {phrase!r} is listed twice")
        seen.add(phrase)
        try:
            _regex_parser.parse(phrase)
        except re.error as exc:
            raise RuleError(f"{where}: phrase {n} {phrase!r} is not a valid regex fragment: {exc}") from exc
    return pattern.replace("{phrases}", "|".join(phrases))


def parse_selector(value: object, where: str) -> str:
    """A CSS selector; a list of selectors (one a line) is joined with ', ' into one."""
    selectors: list[str] = []
    for part in value if isinstance(value, list) else [value]:
        if not isinstance(part, str) or not part.strip():
            raise RuleError(f"{where}: empty selector")
        try:
            soupsieve.compile(part)
        except soupsieve.SelectorSyntaxError as exc:
            raise RuleError(f"{where}: invalid selector {part!r}: {exc}") from exc
        selectors.append(part)
    return ", ".join(selectors)


def parse_sites(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise RuleError(f"{where}: 'sites' must be a list of host names like \"example.com\"")
    hosts = []
    for site in value:
        host = site.strip().lower().removeprefix("www.") if isinstance(site, str) else ""
        if not _HOST.match(host):
            raise RuleError(f"{where}: site {site!r} is not a host name like \"example.com\" (no scheme, no path)")
        hosts.append(host)
    return tuple(hosts)


def parse_examples(raw: dict, key: str, where: str) -> tuple[Example, ...]:
    """`examples` or `counter_examples`: strings, or tables {text = "...", zone = "tail"}."""
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise RuleError(f"{where}: '{key}' must be a list")
    found = []
    for item in value:
        if isinstance(item, dict):
            if set(item) - {"text", "zone"} or item.get("zone", "body") not in POSITIONS:
                raise RuleError(f"{where}: an entry of '{key}' is a string or {{ text = \"...\", zone = \"head\" }} "
                                f"with zone one of {POSITIONS}: {item!r}")
            text, zone = item.get("text"), item.get("zone")
        else:
            text, zone = item, None
        if not isinstance(text, str) or not text.strip():
            raise RuleError(f"{where}: an entry of '{key}' is empty or not a string")
        if zone is not None and raw.get("applies_to") != "text":
            raise RuleError(f"{where}: only the examples of a text rule have a zone")
        found.append(Example(text, zone))
    return tuple(found)


def check_examples(rule: Rule, where: str) -> None:
    """Every example fires the rule and no counter-example does; a rule with a pattern or a
    selector has an example (a detector is code: its tests are in Python)."""
    if rule.detector is not None:
        if rule.examples or rule.counter_examples:
            raise RuleError(f"{where}: a detector's examples cannot be run here; test it in tests/test_strip.py")
        return
    if not rule.examples:
        raise RuleError(f"{where}: needs 'examples' = [...], blocks (html: snippets) the rule must match")
    for example in rule.examples:
        miss = _miss(rule, example)
        if miss:
            raise RuleError(f"{where}: example {example.text[:80]!r} does not fire the rule: {miss}")
    for example in rule.counter_examples:
        if not _miss(rule, example):
            raise RuleError(f"{where}: counter-example {example.text[:80]!r} fires the rule")


def _miss(rule: Rule, example: Example) -> str:
    """Why the rule does not fire on the example ('' when it does): as match_block decides for a
    text rule, told the example's zone (or none) on one of the rule's sites; for an html rule,
    whether the selector selects an element of the snippet."""
    if rule.selector is not None:
        from bs4 import BeautifulSoup  # only here: loading text rules needs no HTML parser

        return "" if soupsieve.select_one(rule.selector, BeautifulSoup(example.text, "lxml")) else "selects nothing"
    if rule.pattern is None:  # a detector: check_examples runs none of its examples
        return "a detector's examples are tested in Python"
    words = word_count(example.text)
    if rule.max_words is not None and words > rule.max_words:
        return f"{words} words, over max_words = {rule.max_words}"
    if example.zone is not None and not rule.fires_at(example.zone):
        return f"zone {example.zone!r} is outside the rule's zone {rule.zone!r}"
    return "" if rule.pattern.search(example.text) else "the pattern does not match"


def compile_regex(value: object, where: str, key: str) -> re.Pattern[str]:
    if not isinstance(value, str) or not value.strip():
        raise RuleError(f"{where}: empty {key}")
    if _UNANCHORED_SCAN.match(value):
        raise RuleError(
            f"{where}: {key} starts with an unanchored '(?=.*' look-ahead, which re.search retries at every "
            "offset (quadratic in the block's length); anchor it with '(?m)^' or test the cheap part first"
        )
    try:
        return re.compile(value)
    except re.error as exc:
        raise RuleError(f"{where}: invalid {key} regex: {exc}") from exc
