"""What cheaper entity and keyword tagging would lose, measured on real articles.

    uv run --frozen python benchmarks/tagging.py ../shared/eval-data/wcxb-dev [--pages 200] [--lead 300]

For the English articles of the WCXB development split (dev part only; their reference texts
stand in for clean bodies), compares what `cleaner.tag` publishes today with cheaper ways:

- entities from NER over the windows around capitalised words (`cleaner._nerwindows`, the
  default) against NER over the whole text (its plain reference): the CPU time of each, and on
  how many articles the published people, places and organisations are the same, in order;

- entities from the title and the first `--lead` words only (spaCy NER on a tenth of the text):
  recall of the full-text run's people, places and organisations (its published lists, top
  entities first), and the CPU time of each;
- keywords from YAKE as `cleaner._yakefast` computes them (the default) against yake's own
  extraction (its plain reference): the CPU time of each, and on how many articles the
  published keywords are the same;
- keywords by rarity (wordfreq's Zipf frequency of each word of the title and lead, weighted by
  how often it occurs, multi-word capitalised names kept together) beside YAKE on the whole
  text: overlap of the top 10 (share of YAKE's keywords whose words the cheap list holds), and
  the CPU time of each.

Prints one table; the figures go to benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from pathlib import Path

from wordfreq import zipf_frequency

from cleaner import _nerwindows, _yakefast, tag
from cleaner.evaluate import split_of
from cleaner.tag import _MAX_ENTITIES, detect_language, entities, keywords

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_NAME = re.compile(r"(?:[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+)*")


def lead(title: str, body: str, words: int) -> str:
    """The title and the first `words` words of the body."""
    kept = body.split()[:words]
    return f"{title}.\n\n{' '.join(kept)}" if title else " ".join(kept)


def rare_keywords(text: str, top: int = 10) -> tuple[str, ...]:
    """Capitalised names and rare words of the text, by count x rarity (9 - Zipf), best first."""
    scores: Counter[str] = Counter()
    for name in _NAME.findall(text):
        if " " in name:
            scores[name] += sum(9 - zipf_frequency(w, "en") for w in name.split()) / len(name.split())
    for word in _WORD.findall(text):
        folded = word.casefold()
        zipf = zipf_frequency(folded, "en")
        if zipf < 5.0 and len(folded) > 3:
            scores[folded] += 9 - zipf
    chosen: list[str] = []
    for phrase, _ in scores.most_common():
        k = f" {phrase.casefold()} "
        if any(k in f" {c.casefold()} " or f" {c.casefold()} " in k for c in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == top:
            break
    return tuple(chosen)


def overlap(reference: tuple[str, ...], other: tuple[str, ...]) -> float:
    """Share of the reference phrases whose words all stand among the other list's words."""
    if not reference:
        return 1.0
    words = {w for phrase in other for w in phrase.casefold().split()}
    return sum(all(w in words for w in phrase.casefold().split()) for phrase in reference) / len(reference)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("wcxb")
    p.add_argument("--pages", type=int, default=200)
    p.add_argument("--lead", type=int, default=300)
    args = p.parse_args()
    folder = Path(args.wcxb)
    index = json.loads((folder / "index.json").read_text())
    pages = []
    for entry in index:
        if entry["page_type"] != "article" or split_of(entry["domain"]) != "dev":
            continue
        truth = json.loads(gzip.decompress((folder / "truth" / f"{entry['file_id']}.json.gz").read_bytes()))
        body, title = truth.get("main_content") or "", truth.get("title") or ""
        if body and detect_language(body) == "en":
            pages.append((title, body))
        if len(pages) == args.pages:
            break
    entities("Warm-up: Vladimir Putin met Kim Jong Un in Moscow.", "en")  # the model loads outside the timing
    clock = Counter()
    same_lists = 0
    windowed = tag._mentions

    def whole_text(text: str) -> list[_nerwindows.Mention]:
        return _nerwindows.whole(tag._nlp(), text)

    recall = {group: [0, 0] for group in ("people", "places", "organisations")}
    top_recall = {group: [0, 0] for group in recall}  # of the full text's 5 most mentioned
    kw_overlap = []
    same_keywords = 0
    fast = _yakefast.extract_keywords

    def yakes_own(extractor, text: str) -> list[tuple[str, float]]:
        return extractor.extract_keywords(text)

    for title, body in pages:
        text = f"{title}.\n\n{body}" if title else body
        tag._mentions = whole_text  # the plain reference, for this call only
        start = time.process_time()
        whole = entities.__wrapped__(text, "en")
        clock["entities, NER over the whole text"] += time.process_time() - start
        tag._mentions = windowed
        start = time.process_time()
        full = entities.__wrapped__(text, "en")
        clock["entities, NER over windows (default)"] += time.process_time() - start
        same_lists += full == whole
        start = time.process_time()
        short = entities(lead(title, body, args.lead), "en")
        clock[f"entities, title + {args.lead} words"] += time.process_time() - start
        for group, got, want in zip(recall, short, full):
            recall[group][0] += len(set(got) & set(want))
            recall[group][1] += len(want)
            top_recall[group][0] += len(set(got) & set(want[:5]))
            top_recall[group][1] += len(want[:5])
        _yakefast.extract_keywords = yakes_own  # the plain reference, for this call only
        start = time.process_time()
        plain_top = keywords.__wrapped__(text, "en", 10)
        clock["keywords, YAKE, yake's own extraction"] += time.process_time() - start
        _yakefast.extract_keywords = fast
        start = time.process_time()
        yake_top = keywords.__wrapped__(text, "en", 10)
        clock["keywords, YAKE, cleaner._yakefast (default)"] += time.process_time() - start
        same_keywords += yake_top == plain_top
        start = time.process_time()
        rare = rare_keywords(lead(title, body, args.lead))
        clock[f"keywords, rarity on title + {args.lead} words"] += time.process_time() - start
        kw_overlap.append(overlap(yake_top, rare))
    n = len(pages)
    print(f"{n} English WCXB dev articles; entity lists capped at {_MAX_ENTITIES} per kind, as published")
    for name, seconds in clock.items():
        print(f"  {name:45} {1000 * seconds / n:7.1f} ms CPU per article")
    print(f"  published entities of the windows equal to the whole text's: {same_lists} of {n} articles")
    for group, (got, want) in recall.items():
        top_got, top_want = top_recall[group]
        print(f"  recall of the full text's {group:14} from the lead: all {got / max(want, 1):.3f} ({got}/{want}), "
              f"5 most mentioned {top_got / max(top_want, 1):.3f} ({top_got}/{top_want})")
    print(f"  published keywords of cleaner._yakefast equal to yake's own: {same_keywords} of {n} articles")
    print(f"  YAKE top-10 keywords whose words the rarity list holds: {sum(kw_overlap) / max(n, 1):.3f}")


if __name__ == "__main__":
    main()
