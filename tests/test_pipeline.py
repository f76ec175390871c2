"""pipeline and its guards: time budget, crash isolation, files that change, markup limits, CSV formulas."""

from __future__ import annotations

import json
import time

import pytest

from cleaner import pipeline
from cleaner import run as running
from cleaner.config import CleanConfig
from cleaner.discover import discover, read
from cleaner.extract import extract, markup_size
from cleaner.pipeline import process_batch, run_document
from cleaner.publish import neutralise_formula
from cleaner.record import Article, Format, Reject, RejectReason
from tests import hostile
from tests.conftest import RAW, make_article


def doc(text: str = "x") -> Article:
    return make_article(text)


def test_a_slow_document_is_rejected_as_timeout_and_the_next_one_runs():
    def slow(article):
        time.sleep(5)
        return article

    started = time.perf_counter()
    result = run_document(doc(), (("extract", slow),), seconds=0.2)
    assert time.perf_counter() - started < 2
    assert isinstance(result, Reject)
    assert (result.reason, result.stage) == (RejectReason.TIMEOUT, "extract")
    assert "0.2-second budget" in result.detail
    assert run_document(doc(), (("extract", lambda a: a),), seconds=0.2) == doc()


def test_a_library_that_catches_every_exception_does_not_swallow_the_timeout():
    """trafilatura wraps readability and justext in `except Exception`: the budget's timeout
    must pass through such a handler, or the document runs on with no budget left."""
    def guarded(article):
        try:
            time.sleep(5)
        except Exception:  # what a library does
            pass
        time.sleep(5)
        return article

    started = time.perf_counter()
    result = run_document(doc(), (("extract", guarded),), seconds=0.2)
    assert time.perf_counter() - started < 2
    assert isinstance(result, Reject) and result.reason is RejectReason.TIMEOUT


def test_a_crash_becomes_an_internal_error_reject_unless_strict():
    def boom(article):
        raise ValueError("bad page")

    result = run_document(doc(), (("strip", boom),))
    assert isinstance(result, Reject)
    assert (result.reason, result.stage, result.detail) == (
        RejectReason.INTERNAL_ERROR, "strip", "ValueError: bad page")
    with pytest.raises(ValueError, match="bad page"):
        run_document(doc(), (("strip", boom),), strict=True)


def test_the_chain_stops_at_the_first_reject():
    seen = []

    def reject(article):
        return Reject(article.id, article.source, None, "decode", RejectReason.EMPTY, "empty")

    def later(article):
        seen.append(article)
        return article

    assert run_document(doc(), (("decode", reject), ("extract", later))).reason is RejectReason.EMPTY
    assert seen == []


def test_a_file_that_changes_after_listing_is_rejected(tmp_path):
    (tmp_path / "a.txt").write_text("first version of the story", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"url": "u", "text": "a story"}\n', encoding="utf-8")
    inventory = discover(tmp_path)
    (tmp_path / "a.txt").write_text("second version of the story", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"url": "u", "text": "a st0ry"}\n', encoding="utf-8")
    results = [read(a, tmp_path, 10_000) for a in inventory.articles]
    assert [(r.source, r.reason) for r in results] == [
        ("a.txt", RejectReason.CHANGED), ("b.jsonl", RejectReason.CHANGED)]
    assert "changed after it was listed" in results[0].detail


def test_a_record_appended_to_a_json_lines_file_leaves_the_listed_ones_readable(tmp_path):
    """A crawler appends its next record to today's file while a run reads it: the records the
    run listed are unchanged and read; the new one waits for the next run."""
    (tmp_path / "b.jsonl").write_text('{"url": "u", "text": "a story"}\n{"url": "w", "text": "more"}\n',
                                      encoding="utf-8")
    inventory = discover(tmp_path)
    with open(tmp_path / "b.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"url": "v", "text": "another"}\n')
    results = [read(a, tmp_path, 10_000) for a in inventory.articles]
    assert [(type(r).__name__, r.record) for r in results] == [("Article", 1), ("Article", 2)]


def test_an_unchanged_file_reads():
    inventory = discover(RAW)
    article = read(inventory.articles[0], RAW, 10_000_000)
    assert isinstance(article, Article) and article.raw


@pytest.mark.parametrize(("html", "depth", "elements"), [
    ("<html><body><div><p>a<p>b</div></body></html>", 3, 5),
    ("<div>" * 50 + "</div>" * 50, 50, 50),
    ("<br><img src=x><input/><hr>", 0, 4),
    ("<a <a <a no closing bracket", 0, 0),
])
def test_markup_size(html, depth, elements):
    assert markup_size(html) == (depth, elements)


def test_deep_or_sprawling_html_is_too_complex_before_parsing(rules):
    deep = "<html><body>" + "<div>" * 100_000 + "words " * 50 + "</div>" * 100_000 + "</body></html>"
    started = time.perf_counter()
    result = extract(make_article(deep, "html"), rules, max_depth=1000)
    assert time.perf_counter() - started < 5
    assert (result.reason, result.stage) == (RejectReason.TOO_COMPLEX, "extract")
    assert "100,002 elements deep" in result.detail
    wide = "<html><body>" + "<span>x</span>" * 500 + "</body></html>"
    assert extract(make_article(wide, "html"), rules, max_elements=100).reason is RejectReason.TOO_COMPLEX


@pytest.mark.parametrize(("value", "expected"), [
    ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
    ("+1 555 0100", "'+1 555 0100"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("Plain title", "Plain title"),
    ("", ""),
    (42, 42),
])
def test_formula_cells_are_neutralised(value, expected):
    assert neutralise_formula(value) == expected


def test_batch_keeps_order_and_isolates_bad_documents(tmp_path):
    good = RAW
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("000_40483f80e491ad8b.txt", "001_6b80a7081952d1ed.txt"):
        (raw / name).write_bytes((good / name).read_bytes())
    (raw / "0005_empty.txt").write_bytes(b"")
    inventory = discover(raw)
    result = process_batch(inventory.articles, CleanConfig(raw_dir=str(raw), entities=False))
    assert [a.source for a in result.kept] == ["000_40483f80e491ad8b.txt", "001_6b80a7081952d1ed.txt"]
    assert [(r.source, r.reason) for r in result.rejects] == [("0005_empty.txt", RejectReason.EMPTY)]
    assert all(a.format is Format.TEXT for a in result.kept)


@pytest.mark.parametrize("step", ["fingerprint", "observe"])
def test_a_crash_after_tagging_rejects_that_document_and_the_run_publishes_the_rest(tmp_path, monkeypatch, step):
    """Fingerprinting and site observation run per document, so a crash there is that
    document's internal_error, not a failed batch and an unpublished run."""
    raw = tmp_path / "raw"
    raw.mkdir()
    names = ("000_40483f80e491ad8b.txt", "001_6b80a7081952d1ed.txt", "002_2574984210cee625.txt")
    for name in names:
        (raw / name).write_bytes((RAW / name).read_bytes())
    target = pipeline.fingerprint if step == "fingerprint" else pipeline.sites.observe

    def crash_on_one(article, *args, **kwargs):
        if article.source == names[1]:
            raise ModuleNotFoundError("No module named 'MeCab'")
        return target(article, *args, **kwargs)

    if step == "fingerprint":
        monkeypatch.setattr(pipeline, "fingerprint", crash_on_one)
    else:
        monkeypatch.setattr(pipeline.sites, "observe", crash_on_one)
    result = running.run(CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "clean"), entities=False, keywords=0))
    assert result.report.counts["published"] == 2
    [reject] = result.rejects
    assert (reject.source, reject.reason) == (names[1], RejectReason.INTERNAL_ERROR)
    assert reject.detail == "ModuleNotFoundError: No module named 'MeCab'"


def test_a_run_where_most_documents_crash_publishes_nothing_and_keeps_the_last_dataset(tmp_path, monkeypatch, caplog):
    """A broken environment (a model that will not load) crashes every document: the run must
    fail, not swap the last good dataset for an empty one and say it completed."""
    from cleaner.publish import PublishError

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("000_40483f80e491ad8b.txt", "001_6b80a7081952d1ed.txt", "002_2574984210cee625.txt"):
        (raw / name).write_bytes((RAW / name).read_bytes())
    config = CleanConfig(raw_dir=str(raw), out_dir=str(tmp_path / "clean"), entities=False, keywords=0)
    running.run(config)
    before = {p.name: p.read_bytes() for p in (tmp_path / "clean").iterdir()}
    real = pipeline.fingerprint

    def broken(article, *args, **kwargs):
        raise OSError("[E050] Can't find model 'en_core_web_sm'")

    monkeypatch.setattr(pipeline, "fingerprint", broken)
    with pytest.raises(PublishError, match=r"3 of 3 documents crashed .*E050"):
        running.run(config)
    assert {p.name: p.read_bytes() for p in (tmp_path / "clean").iterdir()} == before
    assert "3 of 3 documents crashed a stage" in caplog.text

    def broken_on_one(article, *args, **kwargs):  # one bad document is the input's fault: published
        if article.source.startswith("001_"):
            raise OSError("one bad document")
        return real(article, *args, **kwargs)

    monkeypatch.setattr(pipeline, "fingerprint", broken_on_one)
    assert running.run(config).report.counts["published"] == 2


def test_chinese_japanese_thai_and_korean_articles_are_published(tmp_path):
    """Scripts written without spaces count a word per letter: a paragraph is story text, not a
    one-word menu line, and min_words and reading time hold (declared and undeclared legacy
    encodings too)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, (data, _language, _phrase) in hostile.UNSPACED_SCRIPTS.items():
        (raw / name).write_bytes(data)
    result = process_batch(discover(raw).articles, CleanConfig(raw_dir=str(raw), entities=False))
    assert [(r.source, r.detail) for r in result.rejects] == []
    for article in result.kept:
        _data, language, phrase = hostile.UNSPACED_SCRIPTS[article.source]
        assert (article.source, article.meta.language) == (article.source, language)
        assert phrase in article.body and not article.removals, article.source
        assert article.meta.word_count >= 50 and article.meta.reading_time_min >= 1
        if language != "ko":
            assert article.meta.keywords == (), "YAKE takes a clause for a word in these scripts"


def test_hidden_files_and_folders_are_listed_in_the_manifest_as_skipped(tmp_path):
    """Not inputs (inputs = published + duplicates + rejects still balances), but not silent."""
    raw = tmp_path / "raw"
    (raw / ".git").mkdir(parents=True)
    (raw / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (raw / ".draft.txt").write_bytes((RAW / "000_40483f80e491ad8b.txt").read_bytes())
    (raw / "000_40483f80e491ad8b.txt").write_bytes((RAW / "000_40483f80e491ad8b.txt").read_bytes())
    out = tmp_path / "clean"
    result = running.run(CleanConfig(raw_dir=str(raw), out_dir=str(out), entities=False, keywords=0))
    assert result.report.counts == {"inputs": 1, "files": 1, "published": 1, "duplicates": 0, "rejects": 0}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped"] == [
        {"path": ".draft.txt", "reason": "a hidden file (its name starts with '.')"},
        {"path": ".git/", "reason": "a hidden folder (its name starts with '.'), not searched"},
    ]
