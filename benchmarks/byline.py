"""How often text mode's byline reader gets the page's own author and date right.

    uv run --frozen python benchmarks/byline.py /tmp/r/wcxb.jsonl [--show wrong|invented|missed]

Reads WCXB development pages (one JSON object a line: page_type, domain, title, author,
publish_date, main_content, dump) and keeps article pages whose domain is in the dev split;
held-out pages are dropped before anything else is read. Each dump becomes lines as the
pipeline makes them (cleaner.extract.split_text). The headline is the first line whose
comparison key equals the title's; the story starts at the first line of 8 or more words of
which more than 80 % occur in the reference story (main_content).

Comparison. A truth author field may list several people ('A, B, and C'), credentials
('Rebecca Lake, CEPF®') and outlets ('Jean-Luc Aufranc (CNXSoft)', 'Name | The Texas
Newsroom'). It is split at ',', ';', '|', '&', 'and', 'und', 'et', 'y'; parentheses and
trailing credential-like words (CPP, MD, Ph.D.) are dropped; the reader's author is right when
its comparison key (cleaner.normalize.key: case, punctuation and spaces ignored) equals that of
any part. A date is right when the ISO dates are equal. 'invented' counts a value on a page
whose truth field is empty; 'empty-when-stated' a page whose truth has one and the reader none.

--updated-fallback scores `published or updated` (an 'Updated …' date when the page states no
published one) instead of `published` alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter

from cleaner.byline import CREDENTIAL, read_byline
from cleaner.evaluate import split_of
from cleaner.extract import split_text
from cleaner.normalize import key

_WORDS = re.compile(r"\w+")
_SPLIT_AUTHORS = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.I)


def dev_pages(path: str) -> list[dict]:
    """Article pages of the dev split, with their lines, headline and story start."""
    pages = []
    with open(path, encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            if row.get("page_type") != "article" or split_of(row["domain"]) != "dev":
                continue
            texts = [block.text for block in split_text(row["dump"])]
            pages.append({**row, "texts": texts, "headline": headline_of(texts, row["title"] or ""),
                          "story": story_start_of(texts, row["main_content"] or "")})
    return pages


def headline_of(texts: list[str], title: str) -> int | None:
    wanted = key(title)
    return next((i for i, text in enumerate(texts) if wanted and key(text) == wanted), None)


def story_start_of(texts: list[str], story: str) -> int | None:
    reference = {w.casefold() for w in _WORDS.findall(story)}
    for i, text in enumerate(texts):
        words = [w.casefold() for w in _WORDS.findall(text)]
        if len(words) >= 8 and sum(w in reference for w in words) / len(words) > 0.8:
            return i
    return None


def true_authors(field: str) -> set[str]:
    """Comparison keys of the people a truth author field lists."""
    people = set()
    for part in _SPLIT_AUTHORS.split(re.sub(r"\(.*?\)", " ", field or "")):
        words = part.split()
        while len(words) > 1 and CREDENTIAL.match(words[-1]) and not part.isupper():
            words.pop()  # 'Jeffrey A. Slotnick CPP'
        if words and not (len(words) == 1 and CREDENTIAL.match(words[0])):
            people.add(key(" ".join(words)))
    return people - {""}


def date_of(found, updated_fallback: bool) -> str:
    return found.published or (found.updated if updated_fallback else "")


def verdict(found: str, truth: set[str] | str, same) -> str:
    if not truth:
        return "invented" if found else "empty_ok"
    if not found:
        return "missed"
    return "right" if same(found, truth) else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wcxb", help="path of the WCXB dev-set JSON lines (with dumps)")
    parser.add_argument("--show", choices=["wrong", "invented", "missed"], action="append", default=[])
    parser.add_argument("--updated-fallback", action="store_true",
                        help="count an 'Updated' date as the date when the page states no published one")
    args = parser.parse_args()
    pages = dev_pages(args.wcxb)
    tally = {"author": Counter(), "date": Counter()}
    for page in pages:
        found = read_byline(page["texts"], page["headline"], page["story"])
        results = {
            "author": verdict(found.author, true_authors(page["author"]), lambda f, t: key(f) in t),
            "date": verdict(date_of(found, args.updated_fallback), page["publish_date"] or "", lambda f, t: f == t),
        }
        for field, result in results.items():
            tally[field][result] += 1
            if result in args.show:
                truth = page["author"] if field == "author" else page["publish_date"]
                got = found.author if field == "author" else date_of(found, args.updated_fallback)
                print(f"{result:8} {field:6} {page['file_id']} {page['domain']}: got {got!r}, truth {truth!r}, "
                      f"lines {found.lines}")
    print(f"{len(pages)} dev article pages", file=sys.stderr)
    for field, counts in tally.items():
        stated = counts["right"] + counts["wrong"] + counts["missed"]
        unstated = counts["invented"] + counts["empty_ok"]
        print(f"{field:6}: right {counts['right']}/{stated} ({counts['right'] / max(stated, 1):.1%}), "
              f"wrong {counts['wrong']}, empty-when-stated {counts['missed']}, "
              f"invented {counts['invented']}/{unstated} ({counts['invented'] / max(unstated, 1):.1%})")


if __name__ == "__main__":
    main()
