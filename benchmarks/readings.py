"""Two readings of an HTML page, one chosen per page: html mode's, or text mode's reading of its dump.

    uv run --frozen --group train python benchmarks/readings.py [--jobs 2]

Each page of both development sets (`../shared/eval-data`: WCXB articles with a reference text,
CC-BY-4.0, Murrough Foley 2026; the trafilatura snippet pages) is cleaned twice with default
settings: as the HTML page (html mode) and as its inscriptis dump (text mode, as `cleaner eval
--mode text` makes it). Then, per split:

- WCXB: 4-shingle P / R / F1 of each reading, of the better of the two on each page (an oracle,
  the bound of any choice), and of the nesting rule (text's reading where one reading holds at
  least 0.8 of the other's shingles and the other has at least a fifth not in it);
- snippet pages: keep / drop of html mode and of the nesting rule (the title, html mode's, first);
- a selector fitted on both sets' dev pages at once (scikit-learn trees on the readings' sizes,
  mutual shingle shares and what text's extra lines are; target: a WCXB page's F1 gain, half a
  snippet page's keep plus drop gain), out of fold on dev (5 folds by site or URL) and, fitted on
  all of dev, on held-out.

Measured 2026-11-30 and not taken: docs/quality.md, *Two readings of a page*. The text readings
of dev pages come from a line model fitted on them, which flatters the text side on dev.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

from cleaner.bodyeval import _body, load_pages
from cleaner.bodyscore import f1, shingle_scores, tokens
from cleaner.decode import decode
from cleaner.dumps import text_dump
from cleaner.evaluate import score
from cleaner.evaluate.cases import load_cases
from cleaner.evaluate.run import _pipeline, init_worker, page_article, worker_rules
from cleaner.record import Article, Format
from cleaner.train_lines.title import _fold  # folds by site (or URL), as the trainer's

DATA = Path("../shared/eval-data")
_END = re.compile(r"[.!?…:\"”»)]\s*$")
# The nesting rule: one reading holds at least HOLDS of the other's shingles, and under MORE of
# its own are in the other.
HOLDS, MORE = 0.8, 0.8


def _shingles(text: str) -> set[tuple[str, ...]]:
    """The text's word 4-shingles (none for a text under four words)."""
    words = tokens(text)
    return {tuple(words[i:i + 4]) for i in range(len(words) - 3)}


def _holds(st: set, sh: set) -> tuple[float, float]:
    """(share of text's reading's shingles `st` that html's `sh` has, share of html's that text's has)."""
    return (len(st & sh) / len(st) if st else 0.0), (len(st & sh) / len(sh) if sh else 0.0)


def _readings(source: Article) -> dict:
    """Both readings' bodies, html mode's title and full output, and the dump."""
    warnings.filterwarnings("ignore")
    decoded = decode(source, max_bytes=10_000_000)
    html = decoded.text if isinstance(decoded, Article) else ""
    as_html = _pipeline(source, worker_rules(), decoded)
    dump = text_dump(html)
    as_text = _pipeline(replace(source, source=source.source.rsplit(".", 1)[0] + ".txt", format=Format.TEXT,
                                input_format="text", raw=dump.encode("utf-8"), text=""),
                        worker_rules()) if dump.strip() else {"output": "", "meta": {}}
    return {"html": _body(as_html)["output"], "text": _body(as_text)["output"], "dump": dump,
            "title": as_html["meta"].get("title", ""), "html_output": as_html["output"]}


def _wcxb_page(page) -> dict | None:
    reference = json.loads(gzip.decompress(Path(page.truth).read_bytes())).get("main_content") or ""
    if not reference.strip():
        return None
    source = Article(id=page.id, source=f"{page.id}.html", format=Format.HTML, input_format="html",
                     raw=gzip.decompress(Path(page.path).read_bytes()))
    return {"id": page.id, "group": page.domain, "split": page.split, "reference": reference, **_readings(source)}


def _snippet_page(case) -> dict:
    return {"id": case.id, "group": case.id, "split": case.split, "keep": list(case.keep), "drop": list(case.drop),
            **_readings(page_article(case))}


def features(row: dict) -> list[float]:
    """The readings' sizes and mutual shares, and what text's extra lines are."""
    text, html, dump = row["text"], row["html"], row["dump"]
    st, sh = _shingles(text), _shingles(html)
    holds_text, holds_html = _holds(st, sh)
    wt, wh, wd = (len(tokens(x)) for x in (text, html, dump))
    extra = [line for line in text.split("\n") if line.strip() and _new(line, sh)]
    words = [len(tokens(line)) for line in extra]
    prose = sum(w for w, line in zip(words, extra) if w >= 8 and _END.search(line))
    lost = [line for line in html.split("\n") if line.strip() and _new(line, st)]
    return [np.log1p(wt) - np.log1p(wh), holds_text, holds_html, wt / max(wd, 1), wh / max(wd, 1), np.log1p(wd),
            len(extra), float(np.mean(words)) if words else 0.0, prose / max(sum(words), 1),
            sum(1 for line in extra if re.match(r"^\s*[-+o*•]\s", line)) / max(len(extra), 1),
            sum(1 for w in words if w <= 6) / max(len(extra), 1),
            len(lost), float(np.mean([len(tokens(line)) for line in lost])) if lost else 0.0]


def _new(line: str, other: set[tuple[str, ...]]) -> bool:
    """Under half the line's shingles are in the other reading."""
    mine = _shingles(line)
    return len(mine & other) < 0.5 * len(mine)


def nesting_rule(row: dict) -> bool:
    """Text's reading where one reading holds the other and the other has a fifth more."""
    holds_text, holds_html = _holds(_shingles(row["text"]), _shingles(row["html"]))
    return (holds_html >= HOLDS and holds_text < MORE) or (holds_text >= HOLDS and holds_html < MORE)


def _page_scores(row: dict) -> tuple[float, ...]:
    """WCXB: (P, R) of text, then of html; snippets: (keep, drop) of text, then of html (None: no snippet)."""
    if "reference" in row:
        (pt, rt), (ph, rh) = (shingle_scores(row[r], row["reference"]) for r in ("text", "html"))
        return pt, rt or 0.0, ph, rh or 0.0
    text_out = f"{row['title']}\n\n{row['text']}" if row["title"] else row["text"]
    a, b = score(text_out, row["keep"], row["drop"]), score(row["html_output"], row["keep"], row["drop"])
    return a.kept, a.dropped, b.kept, b.dropped


def _gain(scores: tuple[float, ...], wcxb: bool) -> float:
    if wcxb:
        return f1(scores[0], scores[1]) - f1(scores[2], scores[3])
    return 0.5 * sum((t or 0.0) - (h or 0.0) for t, h in ((scores[0], scores[2]), (scores[1], scores[3]))
                     if t is not None and h is not None)


def _mean_of(chosen: list[bool], scores: list[tuple[float, ...]]) -> tuple[float, float]:
    """Means of the two figures (P, R or keep, drop) with text's reading where chosen."""
    first = [s[0] if c else s[2] for c, s in zip(chosen, scores) if (s[0] if c else s[2]) is not None]
    second = [s[1] if c else s[3] for c, s in zip(chosen, scores) if (s[1] if c else s[3]) is not None]
    return float(np.mean(first)), float(np.mean(second))


def report(name: str, rows: list[dict], chosen: list[bool]) -> str:
    scores = [_page_scores(r) for r in rows]
    a, b = _mean_of(chosen, scores)
    return (f"{name}: P {a:.3f} R {b:.3f} F1 {f1(a, b):.3f}" if "reference" in rows[0]
            else f"{name}: keep {a:.3f} drop {b:.3f}") + f" (text's reading on {sum(chosen)} of {len(rows)})"


def _selector():
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(max_iter=150, learning_rate=0.05, max_leaf_nodes=8, min_samples_leaf=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    wcxb = [p for p in load_pages(DATA / "wcxb-dev") if p.page_type == "article"]
    cases = load_cases(DATA / "trafilatura-snippets")
    with ProcessPoolExecutor(args.jobs, initializer=init_worker) as pool:
        rows = [r for r in pool.map(_wcxb_page, wcxb, chunksize=2) if r]
        rows += list(pool.map(_snippet_page, cases, chunksize=2))
    x = np.array([features(r) for r in rows])
    gain = np.array([_gain(_page_scores(r), "reference" in r) for r in rows])
    dev = np.array([r["split"] == "dev" for r in rows])
    fold = np.array([_fold(r["group"]) for r in rows])
    out_of_fold = np.zeros(len(rows))
    for k in range(5):
        fit = dev & (fold != k)
        out_of_fold[dev & (fold == k)] = _selector().fit(x[fit], gain[fit]).predict(x[dev & (fold == k)])
    on_heldout = _selector().fit(x[dev], gain[dev]).predict(x)
    for split in ("dev", "heldout"):
        predicted = out_of_fold if split == "dev" else on_heldout
        for kind, is_kind in (("WCXB articles", lambda r: "reference" in r), ("snippet pages", lambda r: "keep" in r)):
            at = [i for i, r in enumerate(rows) if r["split"] == split and is_kind(r)]
            part = [rows[i] for i in at]
            scores = [_page_scores(r) for r in part]
            print(f"{split}, {kind} ({len(part)})")
            print("  " + report("html mode", part, [False] * len(part)))
            print("  " + report("text mode", part, [True] * len(part)))
            if kind == "WCXB articles":
                print("  " + report("oracle", part, [_gain(s, True) > 0 for s in scores]))
            print("  " + report("nesting rule", part, [nesting_rule(r) for r in part]))
            print("  " + report(f"selector ({'out of fold' if split == 'dev' else 'fitted on dev'})", part,
                                [bool(predicted[i] > 0.01) for i in at]))


if __name__ == "__main__":
    main()
