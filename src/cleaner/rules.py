"""Load boilerplate rules from rules/*.toml into a checked, frozen RuleSet.

Every problem (an unknown category or key, an invalid pattern or selector, a duplicate id)
raises RuleError naming the file and the rule, before any article is touched.
"""

from __future__ import annotations

import re
import re._parser as _regex_parser
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from re._constants import (
    ASSERT, AT, AT_BEGINNING, AT_BEGINNING_STRING, ATOMIC_GROUP, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT,
    POSSESSIVE_REPEAT, SUBPATTERN,
)

import soupsieve

RULES_DIR = Path(__file__).with_name("rules")

# Boilerplate categories. "unclassified" is for text the HTML extractor left out that no
# rule names; "site_repeated" is reserved for blocks learned from many pages of one site;
# "block_shape" and "outside_story" are what text mode's line model (cleaner.region) cuts from a
# text dump: a line inside the story's extent that is not story, and a line outside it.
CATEGORIES = (
    "cookie",
    "donation",
    "related",
    "comments",
    "breadcrumb",
    "navigation",
    "share",
    "newsletter",
    "author_bio",
    "advertising",
    "legal",
    "byline",
    "repeated_title",
    "site_repeated",
    "block_shape",
    "outside_story",
    "hidden",
    "unclassified",
)
DETECTORS = ("repeated_title", "menu_run", "site_name")
ZONES = ("any", "head", "tail", "edge")  # edge: head or tail, never inside the story
# drop: the block. drop_with_teasers: also the teaser headlines after a related-links marker.
# drop_thread: also the comments after a comment-count heading, up to the next rule's block.
ACTIONS = ("drop", "drop_with_teasers", "drop_thread")
_KEYS = {
    "id", "category", "applies_to", "pattern", "selector", "detector", "capture",
    "max_words", "zone", "action", "why", "enabled", "retired",
}
_ID = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")
_UNANCHORED_SCAN = re.compile(r"^(?:\(\?[a-zA-Z]+\))?\(\?=\.\*")
# Pattern characters whose every case-insensitive match (as `re` decides it) folds to what
# they fold to; test_rules_prefilter checks each one against every Unicode character.
_FOLDABLE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    "¡£©«°»¿€’“”„–—…"
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸŒ"
)


class RuleError(ValueError):
    """A rule file is wrong; the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    applies_to: str  # "text" | "html"
    why: str
    source: str  # file name, for error messages and reviews
    pattern: re.Pattern[str] | None = None
    selector: str | None = None
    detector: str | None = None
    capture: re.Pattern[str] | None = None  # named groups become facts on the Removal
    max_words: int | None = None  # the rule only fires on blocks this short
    zone: str = "any"
    action: str = "drop"
    # Groups of folded strings (see `fold`, required_strings): the folded text of any block the
    # pattern matches holds one string of each group. None: the pattern is always tried.
    needs: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True, slots=True)
class RuleSet:
    text: tuple[Rule, ...]
    html: tuple[Rule, ...]

    def __len__(self) -> int:
        return len(self.text) + len(self.html)

    def by_id(self, rule_id: str) -> Rule:
        for rule in (*self.text, *self.html):
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def load_rules(directory: Path | str | None = None) -> RuleSet:
    """Read every *.toml file of a rules folder (the packaged one by default)."""
    if directory is None:
        return _default_rules()
    return _load(Path(directory))


@lru_cache(maxsize=1)
def _default_rules() -> RuleSet:
    return _load(RULES_DIR)


def _load(directory: Path) -> RuleSet:
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise RuleError(f"{directory}: no *.toml rule files")
    seen: dict[str, str] = {}
    text: list[Rule] = []
    html: list[Rule] = []
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(f"{path.name}: not valid TOML: {exc}") from exc
        unknown_tables = set(data) - {"rule"}
        if unknown_tables:
            raise RuleError(f"{path.name}: unknown table(s) {sorted(unknown_tables)}; use [[rule]]")
        for raw in data.get("rule", []):
            rule = _parse(raw, path.name)
            if rule is None:
                continue
            if rule.id in seen:
                raise RuleError(f"{path.name}: rule {rule.id!r} already defined in {seen[rule.id]}")
            seen[rule.id] = path.name
            (text if rule.applies_to == "text" else html).append(rule)
    return RuleSet(text=tuple(text), html=tuple(html))


def _parse(raw: dict, filename: str) -> Rule | None:
    rule_id = raw.get("id")
    where = f"{filename}: rule {rule_id!r}"
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleError(f"{where}: id must look like 'category.slug'")
    unknown = set(raw) - _KEYS
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {sorted(unknown)}")
    category = raw.get("category")
    if category not in CATEGORIES:
        raise RuleError(f"{where}: unknown category {category!r}; known: {', '.join(CATEGORIES)}")
    if rule_id.split(".")[0] != category:
        raise RuleError(f"{where}: id must start with its category {category!r}")
    if not raw.get("why"):
        raise RuleError(f"{where}: 'why' is required (where the rule came from, what it protects)")
    if raw.get("enabled", True) is False:
        if not raw.get("retired"):
            raise RuleError(f"{where}: a disabled rule needs 'retired' = the reason")
        return None

    applies_to = raw.get("applies_to")
    kinds = [k for k in ("pattern", "selector", "detector") if k in raw]
    if applies_to == "text":
        if kinds not in (["pattern"], ["detector"]):
            raise RuleError(f"{where}: a text rule needs exactly one of 'pattern' or 'detector'")
    elif applies_to == "html":
        if kinds != ["selector"]:
            raise RuleError(f"{where}: an html rule needs a 'selector' and nothing else")
    else:
        raise RuleError(f"{where}: applies_to must be 'text' or 'html'")

    pattern = _compile(raw.get("pattern"), where, "pattern") if "pattern" in raw else None
    capture = _compile(raw.get("capture"), where, "capture") if "capture" in raw else None
    selector = raw.get("selector")
    if selector is not None:
        if not isinstance(selector, str) or not selector.strip():
            raise RuleError(f"{where}: empty selector")
        try:
            soupsieve.compile(selector)
        except soupsieve.SelectorSyntaxError as exc:
            raise RuleError(f"{where}: invalid selector: {exc}") from exc
    detector = raw.get("detector")
    if detector is not None and detector not in DETECTORS:
        raise RuleError(f"{where}: unknown detector {detector!r}; known: {', '.join(DETECTORS)}")
    zone = raw.get("zone", "any")
    if zone not in ZONES:
        raise RuleError(f"{where}: zone must be one of {ZONES}")
    action = raw.get("action", "drop")
    if action not in ACTIONS:
        raise RuleError(f"{where}: action must be one of {ACTIONS}")
    max_words = raw.get("max_words")
    if max_words is not None and (not isinstance(max_words, int) or max_words < 1):
        raise RuleError(f"{where}: max_words must be a positive integer")
    return Rule(
        id=rule_id, category=category, applies_to=applies_to, why=raw["why"], source=filename,
        pattern=pattern, selector=selector, detector=detector, capture=capture,
        max_words=max_words, zone=zone, action=action,
        needs=required_strings(pattern.pattern) if pattern is not None else None,
    )


def _compile(value: object, where: str, key: str) -> re.Pattern[str]:
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


def fold(text: str) -> str:
    """Text with case folded the way `re` matches case-insensitively, one character at a time:
    casefold, and the two i's that casefold leaves apart ('ı'; 'İ' becomes 'i' plus a combining
    dot, which is dropped). A pattern literal made of _FOLDABLE characters that matches some
    characters of a text, with or without (?i), folds to a substring of the folded text."""
    return text.casefold().replace("ı", "i").replace("\u0307", "")


def required_strings(pattern: str) -> tuple[tuple[str, ...], ...] | None:
    """Groups of folded strings such that the folded text of every block `pattern` matches
    holds a string of each group, so that a block missing one group is not searched at all:
    most of the cost of the unanchored patterns, which re.search tries at every offset. The
    most selective group comes first. None when the pattern is anchored at the start or
    guarantees no string."""
    parsed = _regex_parser.parse(pattern)  # re's own parser: the literals are what re will match
    first = parsed[0] if parsed else None
    if first == (AT, AT_BEGINNING_STRING) or (first == (AT, AT_BEGINNING) and not parsed.state.flags & re.MULTILINE):
        return None  # tried at the first character only: it fails there as fast as strings are looked up
    # a string that holds another of its group adds nothing: the shorter one is there too
    groups = {tuple(sorted(s for s in group if not any(t != s and t in s for t in group)))
              for group in _needs(parsed)}
    return tuple(sorted(sorted(groups), key=_selectivity, reverse=True)) or None


def _needs(items) -> list[frozenset[str]]:
    """What a parsed sequence needs, as groups of folded strings with one string of each group
    in the text: its runs of literal characters and sets of literal characters, and what its
    groups, repeats (of at least one) and positive look-arounds need (they match inside the
    text too). An alternation needs one string of the most selective group of each branch."""
    groups: list[frozenset[str]] = []
    run = ""
    for op, arg in items:
        if op is LITERAL and chr(arg) in _FOLDABLE:
            run += fold(chr(arg))
            continue
        if run:
            groups.append(frozenset((run,)))
            run = ""
        if op is BRANCH:
            best = [max(_needs(branch), key=_selectivity, default=None) for branch in arg[1]]
            if None not in best:
                groups.append(frozenset().union(*best))
        elif op is IN and all(kind is LITERAL and chr(value) in _FOLDABLE for kind, value in arg):
            groups.append(frozenset(fold(chr(value)) for _, value in arg))
        elif op is SUBPATTERN:
            groups += _needs(arg[3])
        elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT) and arg[0] >= 1:
            groups += _needs(arg[2])
        elif op is ASSERT:
            groups += _needs(arg[1])
        elif op is ATOMIC_GROUP:
            groups += _needs(arg)
    if run:
        groups.append(frozenset((run,)))
    return groups


def _selectivity(group) -> tuple[int, int]:
    """Longer strings, then fewer of them, are less likely to be in a block by chance."""
    return min(map(len, group)), -len(group)
