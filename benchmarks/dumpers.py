"""Text mode on dumps made by other tools: WCXB articles dumped four ways, each cleaned alone.

    uv run --frozen --group bench python benchmarks/dumpers.py [--split dev|heldout] [--jobs 2]

`cleaner eval` gives text mode the page's inscriptis dump. A user's dumps come from other tools
too. Each WCXB article of the split is dumped by each of `cleaner.dumps`'s three tools
(inscriptis, as `cleaner eval`; BeautifulSoup's get_text, one line per text node; a browser's
copy of the page as shown, approximated), as Markdown (markdownify, the `bench` group) and two
hard-wrapped ways: html2text's Markdown at its 78 columns (the `bench` group), and the browser's
copy as a text browser prints it (`w3m -dump`: 3-space margin, 79 columns, a blank line after a
paragraph) and the same as `lynx -dump` with its link numbers and list of addresses, and with
the numbers alone (`-nolist`) (all simulated, as no text browser is installed here). Each
dump is cleaned with default settings and its published body scored against the reference
(4-shingle precision, recall and F1 of the means, as `cleaner eval`), beside the unchanged dump,
with the title's accuracy. WCXB: Murrough Foley 2026, CC-BY-4.0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import warnings
from dataclasses import replace
from pathlib import Path

from cleaner.bodyeval import Page, _body, load_pages
from cleaner.bodyscore import f1, shingle_scores
from cleaner.decode import decode
from cleaner.dumps import DUMPERS as TOOLS
from cleaner.evaluate import norm
from cleaner.evaluate.run import _pipeline, in_processes, worker_rules
from cleaner.record import Article, Format

_NOT_SHOWN = re.compile(r"(?is)<(script|style|noscript|template|head)\b.*?</\1>")


def markdown_dump(html: str) -> str:
    """The page as Markdown, as crawlers that feed language models export it (markdownify, the
    `bench` group): scripts and styles left out, headings as '#'."""
    from markdownify import markdownify

    return markdownify(_NOT_SHOWN.sub("", html), heading_style="ATX")


def html2text_dump(html: str) -> str:
    """The page as html2text writes it: Markdown, hard-wrapped at 78 columns (images left out)."""
    from html2text import HTML2Text

    converter = HTML2Text()
    converter.ignore_images = True
    return converter.handle(_NOT_SHOWN.sub("", html))


def text_browser_dump(html: str) -> str:
    """The browser's copy laid out as a text browser prints a page (`w3m -dump`, `lynx -dump
    -nonumbers`): each block wrapped at 79 columns after a 3-space margin, a blank line after a
    paragraph (8 words or more), none between menu entries."""
    import textwrap

    out: list[str] = []
    for line in TOOLS["shown"](html).splitlines():
        if line.strip():
            out += textwrap.wrap(line.strip(), 79, initial_indent="   ", subsequent_indent="   ",
                                 break_on_hyphens=False)
            if len(line.split()) >= 8:
                out.append("")
    return "\n".join(out)


def lynx_dump(html: str) -> str:
    """As `lynx -dump` prints a page: the text browser's layout with each link's number before
    its text ('[12]state media') and the numbered addresses under 'References' at the end."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception:
        return ""
    targets: list[str] = []
    for link in tree.iter("a"):
        href = (link.get("href") or "").strip()
        if href and not href.startswith("javascript:"):
            targets.append(href if "://" in href or href.startswith("mailto:") else f"https://example.org/{href}")
            link.text = f"[{len(targets)}]{link.text or ''}"
    text = text_browser_dump(lxml.html.tostring(tree, encoding="unicode"))
    references = [f"{n:4d}. {href}" for n, href in enumerate(targets, 1)]
    return f"{text}\n\nReferences\n\n" + "\n".join(references) + "\n" if targets else text


def lynx_nolist_dump(html: str) -> str:
    """As `lynx -dump -nolist` prints a page: the link numbers without their list of addresses."""
    dump = lynx_dump(html)
    at = dump.rfind("\n\nReferences\n\n")
    return dump[:at] if at >= 0 else dump


DUMPERS = {**TOOLS, "markdown": markdown_dump, "html2text": html2text_dump, "text_browser": text_browser_dump,
           "lynx": lynx_dump, "lynx_nolist": lynx_nolist_dump}


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
    results = [r for r in in_processes(run_page, pages, args.jobs, chunksize=4) if r["has_reference"]]
    print(f"{len(results)} WCXB articles ({args.split}), text mode, 4-shingle P / R / F1; title right")
    print(f"{'dumper':12s} {'pipeline':>21s} {'dump unchanged':>21s} {'title':>6s}")
    for name in DUMPERS:
        row = []
        for method in ("pipeline", "dump"):
            precision = sum(r[name][method][0] for r in results) / len(results)
            scored = [r[name][method][1] for r in results if r[name][method][1] is not None]
            recall = sum(scored) / len(scored)
            row.append(f"{precision:.3f} / {recall:.3f} / {f1(precision, recall):.3f}")
        titled = [r for r in results if r["title"]]
        right = sum(norm(r[name]["title"]) == norm(r["title"]) for r in titled) / len(titled)
        print(f"{name:12s} {row[0]:>21s} {row[1]:>21s} {right:6.3f}")


if __name__ == "__main__":
    main()
