"""Match one block of text against the text rules: which rule names it, and what it captured."""

from __future__ import annotations

from cleaner._prefilter import fold
from cleaner.normalize import word_count
from cleaner.rules import Rule, RuleSet, in_zone


def match_block(
    text: str, rules: RuleSet, position: str | None = None, words: int | None = None, site: str | None = None,
) -> tuple[Rule, tuple[tuple[str, str], ...]] | None:
    """The first pattern rule (in the order of the rule set: see rules.py) that fires on `text`,
    with its captures.

    `position` is where the block sits: "head" (before the story's first paragraph),
    "body" or "tail" (after its last). A rule limited to a zone fires only there ("edge" is
    head or tail); with no position (text the HTML extractor dropped) zones are not checked.
    `words`: the block's word_count, when the caller has it already. `site`: the article's
    host (sites.site_of); a rule limited to sites fires only on them, so never without one
    (RuleSet.for_site settles that for a whole article at once).
    """
    if words is None:
        words = word_count(text)
    folded = None
    for rule in rules.text:
        if rule.pattern is None:
            continue
        if rule.max_words is not None and words > rule.max_words:
            continue
        if position is not None and not in_zone(rule.zone, position):
            continue
        if rule.sites and not rule.on_site(site):
            continue
        if rule.needs is not None:  # a block that lacks what the pattern needs cannot match
            if folded is None:
                folded = fold(text)
            if not all(any(map(folded.__contains__, group)) for group in rule.needs):
                continue
        match = rule.pattern.search(text)
        if match is None:
            continue
        return rule, _facts(rule, match.groupdict(), text)
    return None


def _facts(rule: Rule, groups: dict[str, str | None], text: str) -> tuple[tuple[str, str], ...]:
    found = {name: value.strip() for name, value in groups.items() if value and value.strip()}
    if rule.capture is not None:
        extra = rule.capture.search(text)
        if extra:
            for name, value in extra.groupdict().items():
                if value and value.strip() and name not in found:
                    found[name] = value.strip()
    return tuple(sorted(found.items()))
