"""Load boilerplate rules from rules/*.toml (and a user's own folder) into a checked, frozen RuleSet.

Every problem (an unknown category or key, an invalid pattern, phrase or selector, a duplicate
id, a rule without examples, an example the rule does not match or a counter-example it does)
raises RuleError naming the file and the rule, before any article is touched.

Precedence: the rules of a user's folder (`rules_dir`) come first, then the packaged ones; within
each, files in name order and rules in file order. A user's rule with the id of a packaged rule
replaces it (a retired one switches it off). docs/rules.md has the whole schema.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from cleaner._prefilter import required_strings
from cleaner.rulecheck import (
    Example,
    RuleError,
    check_examples,
    compile_regex,
    parse_examples,
    parse_selector,
    parse_sites,
    with_phrases,
)

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
    "leftover",
    "repeated_title",
    "repeated_text",
    "site_repeated",
    "block_shape",
    "outside_story",
    "hidden",
    "unclassified",
)
DETECTORS = ("repeated_title", "repeated_text", "menu_run", "site_name")
ZONES = ("any", "head", "tail", "edge")  # edge: head or tail, never inside the story
# drop: the block. drop_with_teasers: also the teaser headlines after a related-links marker.
# drop_thread: also the comments after a comment-count heading, up to the next rule's block.
# reject_page: the block; and a page whose title the rule matches, with little text left, is
# no article (an error or bot-check page: strip.ERROR_PAGE_WORDS).
ACTIONS = ("drop", "drop_with_teasers", "drop_thread", "reject_page")
_KEYS = {
    "id", "category", "applies_to", "pattern", "phrases", "selector", "detector", "capture",
    "max_words", "zone", "action", "sites", "examples", "counter_examples", "why", "enabled", "retired",
}
_ID = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    applies_to: str  # "text" | "html"
    why: str
    source: str  # the rule's file: its name for the packaged rules, its path for a user's
    pattern: re.Pattern[str] | None = None
    selector: str | None = None
    detector: str | None = None
    capture: re.Pattern[str] | None = None  # named groups become facts on the Removal
    max_words: int | None = None  # the rule only fires on blocks this short
    zone: str = "any"
    action: str = "drop"
    sites: tuple[str, ...] = ()  # hosts (without 'www.') the rule is limited to; (): every site
    examples: tuple[Example, ...] = ()
    counter_examples: tuple[Example, ...] = ()
    # Groups of folded strings (see `fold`, required_strings): the folded text of any block the
    # pattern matches holds one string of each group. None: the pattern is always tried.
    needs: tuple[tuple[str, ...], ...] | None = None

    def on_site(self, site: str | None) -> bool:
        """Whether the rule applies to an article of `site` (a host, as sites.site_of gives it):
        always when it names no sites, else when `site` is one of them or a subdomain of one."""
        if not self.sites:
            return True
        if not site:
            return False
        return any(site == s or site.endswith("." + s) for s in self.sites)

    def fires_at(self, position: str) -> bool:
        """Whether the rule's zone lets it fire on a block at `position` (head, body or tail)."""
        return in_zone(self.zone, position)


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

    @property
    def has_sites(self) -> bool:
        """Whether a rule of the set is limited to sites."""
        return any(r.sites for r in (*self.text, *self.html))

    def for_site(self, site: str | None) -> RuleSet:
        """The rules that apply to an article of `site`, in their order and no longer limited to
        sites (so that match_block and the html pass try them all); this set when none names sites."""
        if not self.has_sites:
            return self

        def keep(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
            return tuple(replace(r, sites=()) if r.sites else r for r in rules if r.on_site(site))

        return RuleSet(text=keep(self.text), html=keep(self.html))


def load_rules(directory: Path | str | None = None, *, rules_dir: Path | str = "") -> RuleSet:
    """The rules of a run, in the order they are tried: those of a user's folder `rules_dir`
    ("": none), then the packaged ones (or those of `directory` instead). A user's rule with the
    id of a packaged rule replaces it; a retired one (enabled = false) switches it off."""
    base = RULES_DIR if directory is None else Path(directory)
    user = Path(rules_dir) if rules_dir else None
    if user is not None and not user.is_dir():
        raise RuleError(f"{rules_dir}: rules_dir is not a folder")
    return _load(base, user, rules_digest(base), rules_digest(user) if user is not None else "")


def rules_digest(directory: Path | str) -> str:
    """sha256 of a rules folder's *.toml files, names and bytes: changes when a rule does."""
    digest = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.toml")):
        digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=8)
def _load(base: Path, user: Path | None, base_digest: str, user_digest: str) -> RuleSet:
    """Both folders' rules, the user's first (the digests only key the cache)."""
    packaged, _ = _read(base, named=lambda path: path.name)
    mine, retired = _read(user, named=str) if user is not None else ([], set())
    replaced = {r.id for r in mine} | retired
    ordered = mine + [r for r in packaged if r.id not in replaced]
    return RuleSet(text=tuple(r for r in ordered if r.applies_to == "text"),
                   html=tuple(r for r in ordered if r.applies_to == "html"))


def _read(directory: Path, named) -> tuple[list[Rule], set[str]]:
    """The enabled rules of a folder's *.toml files in order, and the ids of its retired ones.
    `named`: how errors and `Rule.source` name a file."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise RuleError(f"{directory}: no *.toml rule files")
    seen: dict[str, str] = {}
    rules: list[Rule] = []
    retired: set[str] = set()
    for path in files:
        name = named(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(f"{name}: not valid TOML: {exc}") from exc
        unknown_tables = set(data) - {"rule"}
        if unknown_tables:
            raise RuleError(f"{name}: unknown table(s) {sorted(unknown_tables)}; use [[rule]]")
        for raw in data.get("rule", []):
            rule_id, rule = _parse(raw, name)
            if rule is None:
                retired.add(rule_id)
                continue
            if rule.id in seen:
                raise RuleError(f"{name}: rule {rule.id!r} already defined in {seen[rule.id]}")
            seen[rule.id] = name
            rules.append(rule)
    return rules, retired


def _parse(raw: dict, filename: str) -> tuple[str, Rule | None]:
    """The rule's id and the checked rule (None for a retired one)."""
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
        return rule_id, None

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
    if "phrases" in raw and "pattern" not in raw:
        raise RuleError(f"{where}: 'phrases' need a 'pattern' that holds (?:{{phrases}})")

    pattern = compile_regex(with_phrases(raw, where), where, "pattern") if "pattern" in raw else None
    capture = compile_regex(raw.get("capture"), where, "capture") if "capture" in raw else None
    selector = parse_selector(raw["selector"], where) if "selector" in raw else None
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
    rule = Rule(
        id=rule_id, category=category, applies_to=applies_to, why=raw["why"], source=filename,
        pattern=pattern, selector=selector, detector=detector, capture=capture,
        max_words=max_words, zone=zone, action=action, sites=parse_sites(raw.get("sites", []), where),
        examples=parse_examples(raw, "examples", where),
        counter_examples=parse_examples(raw, "counter_examples", where),
        needs=required_strings(pattern.pattern) if pattern is not None else None,
    )
    check_examples(rule, where)
    return rule_id, rule


def in_zone(zone: str, position: str) -> bool:
    """Whether a rule of `zone` fires on a block at `position` (head, body or tail)."""
    return zone == "any" or zone == position or (zone == "edge" and position in ("head", "tail"))
