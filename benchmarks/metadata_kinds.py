"""Title, author and date per input kind, where `cleaner eval` has no mode for the kind: a crawler's
JSON-lines record.

    uv run --frozen python benchmarks/metadata_kinds.py ../shared/eval-data/wcxb-dev [--jobs 1] [--json PATH]
    uv run --frozen python benchmarks/metadata_kinds.py tests/data/raw_labels.json   # our own set, by kind

WCXB (article pages, dev and held-out): each page becomes two crawler records as README's input
contract has them: `{"url", "html"}` (the decoded page) and `{"url", "title", "text"}` (the page's
`<title>`, as a crawler stores it, and the inscriptis dump that `cleaner eval --mode text` feeds).
They are written to a JSON-lines file, read by the pipeline's own discover and read (the record's
url and title become the article's hints), run through the chain `cleaner eval` runs
(`evaluate.run._pipeline`) and scored by `bodyeval.metadata_accuracy`, as eval scores its modes.
The HTML page and the text dump alone are `cleaner eval`'s html and text modes.

Our own set: `cleaner eval`'s own cases (raw/ as a run reads it), grouped by what the input is:
a text file, an HTML file, a record with html, a record with text; scored by
`evaluate.metadata_accuracy` (mode `native`: as a run gets the input), with trafilatura's
metadata on the HTML inputs beside it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cleaner import bodyeval, evaluate
from cleaner.config import CleanConfig
from cleaner.decode import decode
from cleaner.discover import discover, read
from cleaner.dumps import text_dump
from cleaner.evaluate.run import _pipeline, in_processes
from cleaner.record import Article, Format

KINDS = ("jsonl_html", "jsonl_text")


def records(page: bodyeval.Page) -> tuple[dict, dict]:
    """The page as a crawler's two records: with its html, and with its title and text dump (made
    as `cleaner eval` makes it: cleaner.dumps.text_dump, within its time budget)."""
    import lxml.html

    truth = json.loads(gzip.decompress(Path(page.truth).read_bytes()))
    raw = gzip.decompress(Path(page.path).read_bytes())
    decoded = decode(Article(id=page.id, source=f"{page.id}.html", format=Format.HTML, input_format="html", raw=raw),
                     max_bytes=10_000_000)
    html = decoded.text if isinstance(decoded, Article) else ""
    try:
        title = " ".join((lxml.html.fromstring(html).findtext(".//title") or "").split()) if html.strip() else ""
        dump = text_dump(html)
    except Exception:  # as cleaner eval: an unreadable page gives an empty dump
        title, dump = "", ""
    url = truth.get("url") or ""
    return {"url": url, "html": html}, {"url": url, "title": title, "text": dump}


def run_page(page: bodyeval.Page) -> dict:
    """Both records through discover, read and the pipeline: the metadata of each."""
    truth = json.loads(gzip.decompress(Path(page.truth).read_bytes()))
    result = {"id": page.id, "page_type": page.page_type, "domain": page.domain, "split": page.split,
              "truth": {"title": truth.get("title") or "", "author": truth.get("author") or "",
                        "date": truth.get("publish_date") or ""}, "modes": {}}
    rules = evaluate.worker_rules()
    with tempfile.TemporaryDirectory() as folder:
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(page))
        Path(folder, "crawl.jsonl").write_text(lines, encoding="utf-8")
        for kind, article in zip(KINDS, discover(folder).articles, strict=True):
            got = read(article, folder, max_bytes=CleanConfig().max_bytes)
            out = _pipeline(got, rules) if isinstance(got, Article) else \
                {"reject": f"{got.reason.value}: {got.detail}", "meta": {}}
            result["modes"][kind] = {"pipeline": {"meta": out["meta"], "reject": out["reject"]}}
    return result


def wcxb(folder: str, jobs: int, limit: int | None) -> list[dict]:
    pages = [p for p in bodyeval.load_pages(folder) if p.page_type == "article"][:limit]
    return in_processes(run_page, pages, jobs, chunksize=2)


def own(labels: str, raw_dir: str) -> dict[str, list[dict]]:
    """The own set's metadata rows per input kind (pipeline as a run gets it; trafilatura on HTML)."""
    cases = evaluate.load_cases(labels, raw_dir)
    results = evaluate.run_cases(cases, jobs=1)
    by_kind: dict[str, list[dict]] = {}
    for case, result in zip(cases, results, strict=True):
        article = case.article
        kind = "unreadable" if article is None else (
            f"jsonl_{article.format.value}" if article.input_format == "jsonl" else article.input_format)
        by_kind.setdefault(kind, []).append(result)
        if article is not None and article.format is Format.HTML:
            decoded = decode(article, max_bytes=CleanConfig().max_bytes)
            traf = bodyeval._trafilatura(decoded.text if isinstance(decoded, Article) else "")
            by_kind.setdefault(f"{kind} (trafilatura)", []).append(
                {**result, "modes": {"html": {"methods": {"pipeline": {"meta": traf["meta"]}}}},
                 "native_mode": "html"})
    return {kind: [row for row in evaluate.metadata_accuracy(rows) if row["mode"] == "native"]
            for kind, rows in by_kind.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="a WCXB folder, or a labels file like tests/data/raw_labels.json")
    parser.add_argument("--raw-dir", default="raw")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    if bodyeval.is_dataset(args.dataset):
        results = wcxb(args.dataset, args.jobs, args.limit)
        rows = bodyeval.metadata_accuracy(results, ["heldout", "dev"], methods=[(k, "pipeline") for k in KINDS])
        report: dict = {"metadata": rows, "pages": results}
        for r in rows:
            cells = " ".join("  -  " if r[f] is None else f"{r[f]:.3f}" for f in bodyeval.FIELDS)
            print(f"{r['split']:8} {r['mode']:11} {r['pages']:4d} title/author/date {cells}  invented "
                  f"{r['title_invented']}/{r['author_invented']}/{r['date_invented']}  "
                  f"(stated {r['title_stated']}/{r['author_stated']}/{r['date_stated']})")
        rejects = sum(1 for r in results for m in r["modes"].values() if m["pipeline"]["reject"])
        print(f"{len(results)} pages, {rejects} rejected records")
    else:
        report = own(args.dataset, args.raw_dir)
        for kind, rows in sorted(report.items()):
            for r in rows:
                print(f"{kind:24} {r['pages']:3d} inputs  title/author/date {r['title']:.3f} {r['author']:.3f} "
                      f"{r['date']:.3f}  invented {r['title_invented']}/{r['author_invented']}/{r['date_invented']}")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
