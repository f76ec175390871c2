"""match_block with a memory: a block's text is tried on the rules once, whatever the position.

A speed trick beside its plain reference (classify.match_block; tests/test_rules_memo.py holds
the two equal). Text mode asks about each line of a dump three times: where it stands anywhere
(the line model's rule feature), then as body, then at its final head/body/tail position; a
menu's lines recur on every page of a site. Here the rules that fire on a text are found once,
zone aside, and each question picks the first of them whose zone admits the position: the
rule match_block finds, since a zone only removes rules from the ordered list it tries.

The memory is bounded (least recently used, MEMO_TEXTS texts of at most MEMO_CHARS characters:
a few megabytes however large the inputs) and keyed by the rule set's identity; each entry holds
its rule set, so the identity cannot be reused while the entry exists. A longer text is tried
afresh each time, as classify.match_block tries it: few blocks are that long, and none repeats.
"""

from __future__ import annotations

from functools import lru_cache

from cleaner import classify
from cleaner._prefilter import fold
from cleaner.classify import _facts
from cleaner.normalize import word_count
from cleaner.rules import Rule, RuleSet, in_zone

MEMO_TEXTS = 4096  # a long dump's lines, and a site's menus across its pages
MEMO_CHARS = 2000  # a longer block is a story paragraph, asked about once or twice


class _Same:
    """A rule set as a key: equal only to itself (a RuleSet compares and hashes by value, slowly)."""

    __slots__ = ("rules",)

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules

    def __hash__(self) -> int:
        return id(self.rules)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.rules is self.rules


def match_block(
    text: str, rules: RuleSet, position: str | None = None, words: int | None = None, site: str | None = None,
) -> tuple[Rule, tuple[tuple[str, str], ...]] | None:
    """classify.match_block's answer, from the memory when the text was tried before. `words`, the
    text's word_count, is counted here once per text (every caller's count is word_count's)."""
    if len(text) > MEMO_CHARS:
        return classify.match_block(text, rules, position, words, site)
    for rule, facts in _fired(_Same(rules), text, site):
        if position is None or in_zone(rule.zone, position):
            return rule, facts
    return None


@lru_cache(maxsize=MEMO_TEXTS)
def _fired(key: _Same, text: str, site: str | None) -> tuple[tuple[Rule, tuple[tuple[str, str], ...]], ...]:
    """Every text rule that fires on `text` wherever it stands, in the rule set's order, with its captures."""
    rules = key.rules
    words = word_count(text)
    folded = None
    fired = []
    for rule in rules.text:
        if rule.pattern is None or (rule.max_words is not None and words > rule.max_words):
            continue
        if rule.sites and not rule.on_site(site):
            continue
        if rule.needs is not None:
            if folded is None:
                folded = fold(text)
            if not all(any(map(folded.__contains__, group)) for group in rule.needs):
                continue
        match = rule.pattern.search(text)
        if match is not None:
            fired.append((rule, _facts(rule, match.groupdict(), text)))
    return tuple(fired)
