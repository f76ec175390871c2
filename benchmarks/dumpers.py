"""Text mode on dumps made by other tools: WCXB articles dumped three ways, each cleaned alone.

    uv run --frozen python benchmarks/dumpers.py [--split dev|heldout] [--jobs 2]

`cleaner eval` gives text mode the page's inscriptis dump. A user's dumps come from other tools
too, and text mode's line model was trained on inscriptis's. Each WCXB article of the split is
dumped by
- *inscriptis*: `cleaner.evaluate.run.text_dump`, as `cleaner eval`;
- *get_text*: BeautifulSoup's `get_text("\\n", strip=True)` without scripts and styles, one line per
  text node, as many crawlers write it (a sentence is broken at every link and emphasis);
- *innertext*: a browser's copy of the page as shown, approximated: block elements on lines of
  their own, a blank line around paragraphs, headings, lists and tables, `<br>` a line break,
  table cells apart, hidden elements left out (a React-streamed page assembled first, as a
  browser's script would show it; see `cleaner.extract.streamed`).
Each dump is cleaned with default settings and its published body scored against the reference
(4-shingle precision, recall and F1 of the means, as `cleaner eval`), beside the unchanged dump,
with the title's accuracy. WCXB: Murrough Foley 2026, CC-BY-4.0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import re
import warnings
from dataclasses import replace
from pathlib import Path

from cleaner.bodyeval import Page, _body, load_pages
from cleaner.bodyscore import f1, shingle_scores
from cleaner.decode import decode
from cleaner.evaluate import norm
from cleaner.evaluate.run import _pipeline, init_worker, text_dump, worker_rules
from cleaner.record import Article, Format

_SKIP = {"script", "style", "noscript", "template", "head", "iframe", "svg", "canvas", "object", "title"}
_BLOCK = set("address article aside blockquote dd details dialog div dl dt fieldset figcaption figure footer "
             "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table ul tr summary menu".split())
_SPACED = set("p h1 h2 h3 h4 h5 h6 blockquote pre figure table ul ol dl hr".split())


def get_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for element in soup(["script", "style", "noscript", "template", "head"]):
        element.decompose()
    return soup.get_text("\n", strip=True)


def innertext(html: str) -> str:
    import lxml.html

    from cleaner.extract import streamed

    tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    if streamed.is_streamed(html):
        streamed.assemble(tree)
    out: list[str] = []

    def hidden(el) -> bool:
        style = (el.get("style") or "").replace(" ", "").lower()
        return el.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style

    def walk(el) -> None:
        name = el.tag if isinstance(el.tag, str) else ""
        if not name or name in _SKIP or hidden(el):
            out.append(_spaces(el.tail))
            return
        edge = "\n\n" if name in _SPACED else "\n" if name in _BLOCK else ""
        out.append("\n" if name == "br" else edge)
        out.append(_spaces(el.text))
        for child in el:
            walk(child)
        out.append("\t" if name in ("td", "th") else edge)
        out.append(_spaces(el.tail))

    body = tree.find(".//body")
    walk(body if body is not None else tree)
    text = "\n".join(line.strip(" \t") for line in "".join(out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _spaces(text: str | None) -> str:
    return re.sub(r"\s+", " ", text) if text else ""


DUMPERS = {"inscriptis": text_dump, "get_text": get_text, "innertext": innertext}


def run_page(page: Page) -> dict:
    warnings.filterwarnings("ignore")
    truth = json.loads(gzip.decompress(Path(page.truth).read_bytes()))
    reference = truth.get("main_content") or ""
    source = Article(id=page.id, source=f"{page.id}.html", format=Format.HTML, input_format="html",
                     raw=gzip.decompress(Path(page.path).read_bytes()))
    decoded = decode(source, max_bytes=10_000_000)
    html = decoded.text if isinstance(decoded, Article) else ""
    result = {"id": page.id, "title": truth.get("title") or "", "has_reference": bool(reference.strip())}
    for name, dumper in DUMPERS.items():
        try:
            dump = dumper(html) if html else ""
        except Exception:  # a dumper that fails on a page gives an empty dump
            dump = ""
        text = replace(source, source=f"{page.id}.txt", format=Format.TEXT, input_format="text",
                       raw=dump.encode("utf-8"))
        out = _body(_pipeline(text, worker_rules())) if dump.strip() else {"output": "", "meta": {}}
        result[name] = {"pipeline": shingle_scores(out["output"], reference), "dump": shingle_scores(dump, reference),
                        "title": out.get("meta", {}).get("title", "")}
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", type=Path, default=Path("../shared/eval-data/wcxb-dev"))
    p.add_argument("--split", default="dev", choices=("dev", "heldout"))
    p.add_argument("--jobs", type=int, default=2)
    args = p.parse_args()
    pages = [pg for pg in load_pages(args.dataset) if pg.page_type == "article" and pg.split == args.split]
    with multiprocessing.Pool(args.jobs, initializer=init_worker) as pool:
        results = [r for r in pool.map(run_page, pages, chunksize=4) if r["has_reference"]]
    print(f"{len(results)} WCXB articles ({args.split}), text mode, 4-shingle P / R / F1; title right")
    print(f"{'dumper':11s} {'pipeline':>21s} {'dump unchanged':>21s} {'title':>6s}")
    for name in DUMPERS:
        row = []
        for method in ("pipeline", "dump"):
            precision = sum(r[name][method][0] for r in results) / len(results)
            scored = [r[name][method][1] for r in results if r[name][method][1] is not None]
            recall = sum(scored) / len(scored)
            row.append(f"{precision:.3f} / {recall:.3f} / {f1(precision, recall):.3f}")
        titled = [r for r in results if r["title"]]
        right = sum(norm(r[name]["title"]) == norm(r["title"]) for r in titled) / len(titled)
        print(f"{name:11s} {row[0]:>21s} {row[1]:>21s} {right:6.3f}")


if __name__ == "__main__":
    main()
