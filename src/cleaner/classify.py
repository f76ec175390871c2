"""Match one block of text against the text rules: which rule names it, and what it captured."""

from __future__ import annotations

from cleaner.normalize import word_count
from cleaner.rules import Rule, RuleSet


def match_block(
    text: str, rules: RuleSet, index: int | None = None, total: int | None = None
) -> tuple[Rule, tuple[tuple[str, str], ...]] | None:
    """The first pattern rule (in rule-file order) that fires on `text`, with its captures.

    `index` and `total` place the block in its page for zone-limited rules; without them
    (text the HTML extractor dropped) zones are not checked.
    """
    words = word_count(text)
    for rule in rules.text:
        if rule.pattern is None:
            continue
        if rule.max_words is not None and words > rule.max_words:
            continue
        if index is not None and total is not None and not in_zone(rule.zone, index, total):
            continue
        match = rule.pattern.search(text)
        if match is None:
            continue
        return rule, _facts(rule, match.groupdict(), text)
    return None


def in_zone(zone: str, index: int, total: int) -> bool:
    """head: the first fifth of the page (at least 3 blocks); tail: the last third (at least 5)."""
    if zone == "head":
        return index < max(3, total // 5)
    if zone == "tail":
        return index >= total - max(5, total // 3)
    return True


def _facts(rule: Rule, groups: dict[str, str | None], text: str) -> tuple[tuple[str, str], ...]:
    found = {name: value.strip() for name, value in groups.items() if value and value.strip()}
    if rule.capture is not None:
        extra = rule.capture.search(text)
        if extra:
            for name, value in extra.groupdict().items():
                if value and value.strip() and name not in found:
                    found[name] = value.strip()
    return tuple(sorted(found.items()))
