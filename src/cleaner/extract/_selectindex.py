"""Speed: what every html rule selects, from one walk of the tree with soupsieve's own matcher."""

# A speed trick beside its plain reference, `selected.select_each` (each rule's select() on the
# tree as the rules before it left it); tests/test_extract_selectindex.py holds the two equal on
# real pages, and `selected.remove_selected` takes this module's answer where it gives one.

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import soupsieve
from bs4 import BeautifulSoup, Tag
from soupsieve import css_match, css_types

from cleaner.rules import Rule

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_NOT_WS = re.compile("[^ \t\r\n\f]+")  # how soupsieve splits a class attribute held as one string

# (rule number, one selector of the rule as a selector list of its own)
_Entry = tuple[int, css_types.SelectorList]


@dataclass(frozen=True, slots=True)
class _SelectorIndex:
    """The html rules' selectors by what an element must have for them to match it.

    Each selector requires of the element one tag name, id, class or attribute name (its
    `_key`), so only the selectors filed under the element's own tag, id, classes and
    attribute names can match it; soupsieve decides those.
    """

    by_tag: dict[str, tuple[_Entry, ...]]
    by_id: dict[str, tuple[_Entry, ...]]
    by_class: dict[str, tuple[_Entry, ...]]
    by_attr: dict[str, tuple[_Entry, ...]]
    always: tuple[_Entry, ...]  # selectors that require none of these: tried on every element


@lru_cache(maxsize=8)
def selector_index(html_rules: tuple[Rule, ...]) -> _SelectorIndex | None:
    """The index of the rules' selectors, or None if matching them first would change what is removed.

    Removing an element takes its whole subtree, so an element still in the tree keeps its tag,
    attributes, parent and ancestors: a selector made of those alone (type, #id, .class,
    [attribute], descendant and child combinators, :is/:not of the same) selects the same
    remaining elements before and after earlier removals. Sibling combinators, :has(), :nth-*(),
    :empty, :contains() and the other pseudo-classes can change: then None. None too if this
    soupsieve's compiled selectors or matcher do not look as this code expects (another
    version): selecting rule by rule is slower, never different. A test checks that the
    packaged rules get an index.
    """
    try:
        return _build_selector_index(html_rules)
    except (AttributeError, TypeError, ValueError):
        return None


def _build_selector_index(html_rules: tuple[Rule, ...]) -> _SelectorIndex | None:
    probe = BeautifulSoup("<p class='a'>x</p>", "lxml").body
    if not css_match.CSSMatch(soupsieve.compile("p").selectors, probe, None, 0).match_selectors(
            probe.p, css_types.SelectorList([soupsieve.compile(".a").selectors[0]])):
        return None
    keyed: dict[str, dict[str, list[_Entry]]] = {"tag": {}, "id": {}, "class": {}, "attr": {}}
    always: list[_Entry] = []
    for n, rule in enumerate(html_rules):
        selectors = soupsieve.compile(rule.selector).selectors
        for selector in selectors:
            if selector is css_types.Null:
                continue  # matches nothing
            if not _unaffected_by_removals(selector):
                return None
            entry = (n, css_types.SelectorList([selector], is_not=selectors.is_not, is_html=selectors.is_html))
            found = _key(selector)
            if found is None:
                always.append(entry)
            else:
                kind, value = found
                keyed[kind].setdefault(value, []).append(entry)
    frozen = {kind: {value: tuple(entries) for value, entries in table.items()} for kind, table in keyed.items()}
    return _SelectorIndex(frozen["tag"], frozen["id"], frozen["class"], frozen["attr"], tuple(always))


def _unaffected_by_removals(selector) -> bool:
    if selector is css_types.Null:
        return True
    if selector.nth or selector.contains or selector.lang or selector.flags:
        return False
    if selector.rel_type not in (None, " ", ">"):
        return False
    return all(_unaffected_by_removals(s) for group in (*selector.selectors, selector.relation) for s in group)


def _key(selector) -> tuple[str, str] | None:
    """Something the element itself must have for `selector` to match it: an id, a class, an attribute, a tag."""
    if selector.ids:
        return "id", selector.ids[0]
    if selector.classes:
        return "class", selector.classes[0]
    names = [a.attribute.translate(_ASCII_LOWER) for a in selector.attributes if not a.inverse]
    for name in names:
        if name not in ("class", "id"):  # rarer than a class or an id
            return "attr", name
    if selector.tag is not None and selector.tag.name not in (None, "*"):
        return "tag", selector.tag.name.translate(_ASCII_LOWER)
    if names:
        return "attr", names[0]
    return None


def select_all(body: Tag, html_rules: tuple[Rule, ...]) -> list[list[Tag]] | None:
    """What each rule's selector selects under `body`, in document order, from one walk of the tree.

    The same elements as `body.select(rule.selector)` on the tree as it is now: each element is
    tried against the selectors filed under its tag name, id, classes and attribute names, with
    the matcher that `select` uses, set up the same way (scope `body`, the soup's namespaces).
    None when the rules need selecting one at a time (see `selector_index`) or the page holds
    a <template> (soupsieve does not look inside one).
    """
    index = selector_index(html_rules)
    if index is None or not html_rules:
        return None
    by_tag, by_id, by_class, by_attr, always = index.by_tag, index.by_id, index.by_class, index.by_attr, index.always
    compiled = soupsieve.compile(html_rules[0].selector, namespaces=getattr(body, "_namespaces", None))
    match = css_match.CSSMatch(compiled.selectors, body, compiled.namespaces, compiled.flags).match_selectors
    selected: list[list[Tag]] = [[] for _ in html_rules]
    for element in body.descendants:
        if not isinstance(element, Tag):
            continue
        name = element.name.translate(_ASCII_LOWER)
        if name == "template":
            return None
        entries = by_tag.get(name, ()) + always
        # Names as soupsieve compares them (ASCII case folded); every attribute that could be
        # the one it reads, so the entries are never fewer than the selectors that can match.
        for attribute, value in element.attrs.items():
            lowered = attribute.translate(_ASCII_LOWER)
            entries += by_attr.get(lowered, ())
            local = getattr(attribute, "name", None)  # a namespaced attribute's name without its prefix
            if local:
                entries += by_attr.get(local.translate(_ASCII_LOWER), ())
            if lowered == "id":
                if isinstance(value, str):  # an id held as a list never equals a selector's id
                    entries += by_id.get(value, ())
            elif lowered == "class":
                for class_ in _NOT_WS.findall(value) if isinstance(value, str) else (value or ()):
                    entries += by_class.get(class_, ())
        matched = -1
        for n, selector in sorted(entries, key=_rule_number) if len(entries) > 1 else entries:
            if n != matched and match(element, selector):
                selected[n].append(element)
                matched = n
    return selected


def _rule_number(entry: _Entry) -> int:
    return entry[0]
