"""discover(): raw/ -> Articles with stable ids; read(): bytes, sidecar facts and record fields."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

import cleaner.storage as storage_module
from cleaner.discover import article_id, discover, read
from cleaner.record import Article, Facts, Format, Reject, RejectReason
from cleaner.storage import StorageError

MAX_BYTES = 1_000_000
PAGE = b"<html><body><p>A page.</p></body></html>"


def write(root: Path, rel: str, data: bytes | str = PAGE) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def jsonl(*lines: object) -> str:
    """One JSON-lines file: dicts are dumped, strings written as they are (broken or blank lines)."""
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


def ids_by_source(inventory) -> dict[tuple[str, int | None], str]:
    return {(a.source, a.record): a.id for a in inventory.articles}


def reasons(inventory) -> dict[str, RejectReason]:
    return {r.source: r.reason for r in inventory.rejects}


def read_ok(article: Article, root: Path, max_bytes: int = MAX_BYTES) -> Article:
    result = read(article, root, max_bytes)
    assert isinstance(result, Article), result
    return result


def only(inventory, source: str, record: int | None = None) -> Article:
    [article] = [a for a in inventory.articles if a.source == source and a.record == record]
    return article


def snapshot(root: Path) -> dict[str, object]:
    """Every entry under root: sha256 for files, link target for links, mtime for folders."""
    seen: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        seen[here.relative_to(root).as_posix() + "/"] = os.stat(here).st_mtime_ns
        for name in dirnames + filenames:
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                seen[rel] = ("link", os.readlink(path))
            elif path.is_file():
                seen[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


# --- ids and order ------------------------------------------------------------------------


def test_same_path_gets_same_id_on_every_call(tmp_path):
    write(tmp_path, "news/a.html")
    write(tmp_path, "b.txt", "text")
    first, second = discover(tmp_path), discover(tmp_path)
    assert ids_by_source(first) == ids_by_source(second)
    assert only(first, "news/a.html").id == article_id("news/a.html")
    assert only(first, "b.txt").id == article_id("b.txt")


def test_id_does_not_depend_on_other_files_or_the_folder(tmp_path):
    alone, crowded = tmp_path / "alone" / "raw", tmp_path / "crowded"
    write(alone, "news/a.html")
    write(crowded, "zzz.html")
    write(crowded, "news/a.html")
    write(crowded, "aaa.txt", "text")
    write(crowded, "news/0.html")
    assert only(discover(alone), "news/a.html").id == only(discover(crowded), "news/a.html").id


def test_ids_differ_per_json_lines_line(tmp_path):
    write(tmp_path, "feed.jsonl", jsonl({"text": "one"}, {"text": "two"}, {"text": "three"}))
    inventory = discover(tmp_path)
    ids = [a.id for a in inventory.articles]
    assert [a.record for a in inventory.articles] == [1, 2, 3]
    assert ids == [article_id("feed.jsonl", n) for n in (1, 2, 3)]
    assert len(set(ids)) == 3
    assert article_id("feed.jsonl") not in ids


def test_order_is_sorted_and_independent_of_creation_order(tmp_path):
    names = ["b/z.html", "a.txt", "b/a.html", "c.htm", "a/y.txt", "feed.jsonl"]
    for order, folder in ((names, "one"), (list(reversed(names)), "two")):
        for name in order:
            write(tmp_path / folder, name, jsonl({"text": "x"}) if name.endswith(".jsonl") else PAGE)
    one, two = discover(tmp_path / "one"), discover(tmp_path / "two")
    sources = [a.source for a in one.articles]
    assert sources == sorted(names)
    assert sources == [a.source for a in two.articles]
    assert [f.path for f in one.files] == [f.path for f in two.files] == sorted(names)


# --- formats and skipped entries ----------------------------------------------------------


def test_page_formats_from_extension(tmp_path):
    write(tmp_path, "a.html")
    write(tmp_path, "b.HTM")
    write(tmp_path, "c.txt", "text")
    write(tmp_path, "d.md", "# text")
    formats = {a.source: (a.format, a.input_format) for a in discover(tmp_path).articles}
    assert formats == {
        "a.html": (Format.HTML, "html"), "b.HTM": (Format.HTML, "html"),
        "c.txt": (Format.TEXT, "text"), "d.md": (Format.TEXT, "text"),
    }


@pytest.mark.parametrize("name", ["report.pdf", "table.csv", "README"])
def test_unknown_extension_is_unsupported_format(tmp_path, name):
    write(tmp_path, name, b"%PDF-1.4 whatever")
    inventory = discover(tmp_path)
    assert inventory.articles == []
    [reject] = inventory.rejects
    assert (reject.article_id, reject.source, reject.stage, reject.reason) == (
        article_id(name), name, "discover", RejectReason.UNSUPPORTED_FORMAT)
    assert reject.detail
    assert [f.path for f in inventory.files] == [name]


def test_hidden_files_and_folders_are_skipped(tmp_path):
    write(tmp_path, ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(tmp_path, ".git/config", "[core]")
    write(tmp_path, "news/.hidden.html")
    write(tmp_path, "news/a.html")
    inventory = discover(tmp_path)
    assert [a.source for a in inventory.articles] == ["news/a.html"]
    assert inventory.rejects == []
    assert [f.path for f in inventory.files] == ["news/a.html"]
    # Not inputs, but not silent either: the manifest lists them (a hidden folder once).
    assert [(s.path, s.reason) for s in inventory.skipped] == [
        (".DS_Store", "a hidden file (its name starts with '.')"),
        (".git/", "a hidden folder (its name starts with '.'), not searched"),
        ("news/.hidden.html", "a hidden file (its name starts with '.')"),
    ]


def test_sidecars_are_not_inputs(tmp_path):
    write(tmp_path, "a.html")
    sidecar = json.dumps({"url": "https://example.org/a"})
    write(tmp_path, "a.html.meta.json", sidecar)
    write(tmp_path, "b.html")
    inventory = discover(tmp_path)
    assert [a.source for a in inventory.articles] == ["a.html", "b.html"]
    assert inventory.rejects == []
    # Each input with its sidecar's sha256 (the manifest lists it: a changed sidecar changes the record).
    assert [(f.path, f.sidecar_sha256) for f in inventory.files] == [
        ("a.html", hashlib.sha256(sidecar.encode()).hexdigest()), ("b.html", "")]


def test_a_sidecar_with_no_input_beside_it_is_listed_as_skipped(tmp_path):
    write(tmp_path, "a.html")
    write(tmp_path, "news/typo.htm.meta.json", json.dumps({"url": "https://example.org/b"}))
    inventory = discover(tmp_path)
    assert [f.path for f in inventory.files] == ["a.html"]
    assert [(s.path, s.reason) for s in inventory.skipped] == [
        ("news/typo.htm.meta.json", "a sidecar (NAME.meta.json) with no input NAME beside it")]


def test_documents_counts_every_page_record_and_reject(tmp_path):
    write(tmp_path, "a.html")
    write(tmp_path, "b.txt", "text")
    write(tmp_path, "feed.jsonl", jsonl({"text": "one"}, "", {"html": "<p>two</p>"}, "{broken"))
    write(tmp_path, "c.pdf", b"%PDF-1.4")
    inventory = discover(tmp_path)
    # discover only notes the broken line's span; read() rejects it later.
    assert [(a.source, a.record) for a in inventory.articles] == [
        ("a.html", None), ("b.txt", None), ("feed.jsonl", 1), ("feed.jsonl", 3), ("feed.jsonl", 4)]
    assert reasons(inventory) == {"c.pdf": RejectReason.UNSUPPORTED_FORMAT}
    assert inventory.documents == 6
    assert sum(f.documents for f in inventory.files) == 6
    # A run hands the articles over to its batches; the inventory still counts them.
    handed = inventory.hand_over()
    assert handed.articles == [] and handed.documents == 6 and handed.files == inventory.files
    assert len(inventory.articles) == 5


def test_files_carry_size_and_sha256(tmp_path):
    write(tmp_path, "a.html", PAGE)
    [entry] = discover(tmp_path).files
    assert (entry.path, entry.bytes, entry.documents) == ("a.html", len(PAGE), 1)
    assert entry.sha256 == hashlib.sha256(PAGE).hexdigest()


def test_missing_raw_folder_raises(tmp_path):
    with pytest.raises(StorageError, match="does not exist or is not a folder"):
        discover(tmp_path / "absent")


def test_file_name_that_is_not_utf8_is_unreadable_not_a_crash(tmp_path):
    write(tmp_path, "ok.html")
    write(tmp_path, "caf\\xe9.html")  # a real file named as the other is shown: its own id
    try:
        with open(os.fsencode(tmp_path) + b"/caf\xe9.html", "wb") as handle:
            handle.write(PAGE)
    except OSError:
        pytest.skip("this filesystem refuses file names that are not UTF-8")
    inventory = discover(tmp_path)
    [reject] = inventory.rejects
    assert (reject.source, reject.stage, reject.reason) == ("caf\\xe9.html", "discover", RejectReason.UNREADABLE)
    assert "not valid UTF-8" in reject.detail
    assert [(a.source, a.id) for a in inventory.articles] == [
        ("caf\\xe9.html", article_id("caf\\xe9.html")), ("ok.html", article_id("ok.html"))]
    assert reject.article_id not in {a.id for a in inventory.articles}
    assert [f.path for f in inventory.files] == ["caf\\xe9.html", "caf\\xe9.html", "ok.html"]


# --- symlinks -----------------------------------------------------------------------------


def test_symlink_outside_raw_is_rejected_and_never_read(tmp_path, monkeypatch):
    root = tmp_path / "raw"
    write(root, "a.html")
    secret = write(tmp_path / "elsewhere", "secret.html", b"<p>secret</p>")
    (root / "link.html").symlink_to(secret)
    (root / "linkdir").symlink_to(secret.parent, target_is_directory=True)

    opened: list[Path] = []

    def spy_open(file, *args, **kwargs):
        opened.append(Path(file).resolve())
        return open(file, *args, **kwargs)

    monkeypatch.setattr(storage_module, "open", spy_open, raising=False)  # where a folder's files are opened
    inventory = discover(root)

    assert reasons(inventory) == {"link.html": RejectReason.OUTSIDE_RAW, "linkdir": RejectReason.OUTSIDE_RAW}
    assert {r.stage for r in inventory.rejects} == {"discover"}
    assert [a.source for a in inventory.articles] == ["a.html"]
    assert secret.resolve() not in opened
    assert (root / "a.html").resolve() in opened  # the spy does see what discover reads
    assert {f.path: f.sha256 for f in inventory.files}["link.html"] == ""


def test_symlink_inside_raw_is_read(tmp_path):
    write(tmp_path, "a.html")
    (tmp_path / "alias.html").symlink_to(tmp_path / "a.html")
    inventory = discover(tmp_path)
    assert [a.source for a in inventory.articles] == ["a.html", "alias.html"]
    assert inventory.rejects == []


def test_raw_folder_reached_through_a_symlink(tmp_path):
    real = tmp_path / "real"
    write(real, "a.html")
    (real / "alias.html").symlink_to(real / "a.html")
    (tmp_path / "raw").symlink_to(real, target_is_directory=True)
    inventory = discover(tmp_path / "raw")
    assert [a.source for a in inventory.articles] == ["a.html", "alias.html"]
    assert inventory.rejects == []


def test_symlink_loop_is_unreadable(tmp_path):
    (tmp_path / "a.html").symlink_to(tmp_path / "b.html")
    (tmp_path / "b.html").symlink_to(tmp_path / "a.html")
    write(tmp_path, "ok.txt", "text")
    inventory = discover(tmp_path)
    assert reasons(inventory) == {"a.html": RejectReason.UNREADABLE, "b.html": RejectReason.UNREADABLE}
    assert [a.source for a in inventory.articles] == ["ok.txt"]


def test_dangling_symlink_is_unreadable(tmp_path):
    (tmp_path / "gone.html").symlink_to(tmp_path / "missing.html")
    inventory = discover(tmp_path)
    assert reasons(inventory) == {"gone.html": RejectReason.UNREADABLE}


# --- read: pages and sidecars -------------------------------------------------------------


def test_read_fills_raw_bytes(tmp_path):
    write(tmp_path, "a.html", PAGE)
    article = read_ok(only(discover(tmp_path), "a.html"), tmp_path)
    assert article.raw == PAGE
    assert article.hints == Facts()


def test_sidecar_facts_land_in_hints(tmp_path):
    write(tmp_path, "news/a.html")
    write(tmp_path, "news/a.html.meta.json", json.dumps({
        "url": " https://example.org/a ", "site": "Example News", "fetched_at": "2024-03-01T10:00:00Z",
        "unknown": "ignored",
    }))
    article = read_ok(only(discover(tmp_path), "news/a.html"), tmp_path)
    assert article.hints == Facts(url="https://example.org/a", site="Example News",
                                  fetched_at="2024-03-01T10:00:00Z")
    assert article.raw == PAGE


BAD_URLS = ["javascript:alert(document.cookie)", " JavaScript:alert(1)", "data:text/html,<script>x</script>",
            "vbscript:msgbox(1)", "file:///etc/passwd", "https://", "not a url", "//no-scheme.example/a"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_url_that_is_no_web_address_is_left_out_and_the_page_kept(tmp_path, url):
    """Only http(s) URLs are published: a javascript: or data: 'url' is dropped, not the article."""
    write(tmp_path, "a.html")
    write(tmp_path, "a.html.meta.json", json.dumps({"url": url, "site": "Example News"}))
    write(tmp_path, "feed.jsonl", jsonl({"text": "body", "url": url}))
    page, record = (read_ok(a, tmp_path) for a in discover(tmp_path).articles)
    assert page.hints == Facts(site="Example News")
    assert record.hints == Facts()


@pytest.mark.parametrize(("value", "published"), [
    ("2024-06-20T10:00:00Z", "2024-06-20T10:00:00Z"), ("2024-06-20T10:00:00.123+02:00", "2024-06-20T08:00:00.123000Z"),
    ("2024-06-20", "2024-06-20"), ("20240620", "2024-06-20"), ("2024-06-20 10:00", "2024-06-20T10:00:00"),
    ("2024-06-20T10:00:00+0000", "2024-06-20T10:00:00Z"), ("Thu, 20 Jun 2024 10:00:00 GMT", "2024-06-20T10:00:00Z"),
    ("not a date", ""), ("2024-13-45T99:00:00Z", ""), ("yesterday", ""), ("", ""),
])
def test_fetched_at_is_published_in_one_form_or_not_at_all(tmp_path, value, published):
    """ISO 8601 in any of its spellings and the HTTP Date header's form become one form (a zone:
    UTC with 'Z'); anything else is dropped, not the article."""
    write(tmp_path, "a.html")
    write(tmp_path, "a.html.meta.json", json.dumps({"fetched_at": value}))
    write(tmp_path, "feed.jsonl", jsonl({"text": "body", "fetched_at": value}))
    page, record = (read_ok(a, tmp_path) for a in discover(tmp_path).articles)
    assert page.hints.fetched_at == record.hints.fetched_at == published


@pytest.mark.parametrize("sidecar", ["{not json", "[1, 2]"])
def test_broken_sidecar_is_bad_record(tmp_path, sidecar):
    write(tmp_path, "a.html")
    write(tmp_path, "a.html.meta.json", sidecar)
    result = read(only(discover(tmp_path), "a.html"), tmp_path, MAX_BYTES)
    assert isinstance(result, Reject)
    assert (result.article_id, result.source, result.reason) == (
        article_id("a.html"), "a.html", RejectReason.BAD_RECORD)
    assert "a.html.meta.json" in result.detail


def test_file_over_max_bytes_is_too_large(tmp_path):
    write(tmp_path, "big.txt", b"x" * 2001)
    write(tmp_path, "fits.txt", b"x" * 2000)
    inventory = discover(tmp_path)
    big = read(only(inventory, "big.txt"), tmp_path, 2000)
    assert isinstance(big, Reject)
    assert (big.article_id, big.reason, big.stage) == (article_id("big.txt"), RejectReason.TOO_LARGE, "read")
    assert "2,001" in big.detail and "2,000" in big.detail
    assert read_ok(only(inventory, "fits.txt"), tmp_path, 2000).raw == b"x" * 2000


def test_file_vanished_after_discover_is_unreadable(tmp_path):
    path = write(tmp_path, "a.html")
    article = only(discover(tmp_path), "a.html")
    path.unlink()
    result = read(article, tmp_path, MAX_BYTES)
    assert isinstance(result, Reject)
    assert result.reason is RejectReason.UNREADABLE


# --- read: JSON lines ---------------------------------------------------------------------


def test_json_lines_one_article_per_non_blank_line(tmp_path):
    write(tmp_path, "feed.jsonl", jsonl(
        {"url": "https://e.org/1", "html": "<p>one</p>"}, "", "   ", {"url": "https://e.org/2", "text": "two"},
    ))
    inventory = discover(tmp_path)
    assert [(a.record, a.input_format, a.format) for a in inventory.articles] == [
        (1, "jsonl", None), (4, "jsonl", None)]
    first, second = (read_ok(a, tmp_path) for a in inventory.articles)
    assert (first.format, first.raw, first.hints.url) == (Format.HTML, b"<p>one</p>", "https://e.org/1")
    assert (second.format, second.raw, second.hints.url) == (Format.TEXT, b"two", "https://e.org/2")


def test_broken_json_line_is_bad_record_and_good_lines_are_read(tmp_path):
    write(tmp_path, "feed.jsonl", jsonl({"text": "one"}, '{"text": "tw', {"text": "three"}))
    results = [read(a, tmp_path, MAX_BYTES) for a in discover(tmp_path).articles]
    assert [r.raw for r in results if isinstance(r, Article)] == [b"one", b"three"]
    [reject] = [r for r in results if isinstance(r, Reject)]
    assert (reject.article_id, reject.source, reject.record, reject.reason) == (
        article_id("feed.jsonl", 2), "feed.jsonl", 2, RejectReason.BAD_RECORD)
    assert "line 2" in reject.detail


@pytest.mark.parametrize(("line", "phrase"), [
    ({"url": "https://e.org/1", "title": "No page"}, "neither 'html' nor 'text'"),
    ('["not", "an", "object"]', "not an object"),
    ({"html": 42}, "'html' is not a string"),
])
def test_json_record_without_a_page_is_bad_record(tmp_path, line, phrase):
    write(tmp_path, "feed.jsonl", jsonl(line))
    [article] = discover(tmp_path).articles
    result = read(article, tmp_path, MAX_BYTES)
    assert isinstance(result, Reject)
    assert (result.record, result.reason) == (1, RejectReason.BAD_RECORD)
    assert phrase in result.detail


def test_json_nested_too_deep_for_the_parser_is_bad_record(tmp_path):
    """json.loads raises RecursionError past ~1,000 levels: a bad record, not a crash."""
    deep = "[" * 10_000 + "]" * 10_000
    write(tmp_path, "feed.jsonl", jsonl('{"url": "https://e.org/a", "text": "body", "x": ' + deep + "}"))
    write(tmp_path, "a.html")
    write(tmp_path, "a.html.meta.json", '{"url": ' + deep + "}")
    page, record = (read(a, tmp_path, MAX_BYTES) for a in discover(tmp_path).articles)
    assert (page.reason, record.reason) == (RejectReason.BAD_RECORD, RejectReason.BAD_RECORD)
    assert "nested too deep" in record.detail and "a.html.meta.json" in page.detail


def test_json_record_with_blank_html_falls_back_to_text(tmp_path):
    write(tmp_path, "feed.jsonl", jsonl({"html": "  ", "text": "plain"}))
    [article] = discover(tmp_path).articles
    result = read_ok(article, tmp_path)
    assert (result.format, result.raw) == (Format.TEXT, b"plain")


def test_json_record_fields_override_sidecar(tmp_path):
    write(tmp_path, "feed.jsonl", jsonl({
        "text": "body", "title": "Record title", "url": "https://record.example/1",
        "fetched_at": "2024-05-05T05:05:05Z",
    }))
    write(tmp_path, "feed.jsonl.meta.json", json.dumps({
        "url": "https://sidecar.example/", "site": "Sidecar Site", "fetched_at": "2020-01-01T00:00:00Z",
        "title": "Sidecar title",
    }))
    [article] = discover(tmp_path).articles
    result = read_ok(article, tmp_path)
    assert result.hints == Facts(title="Record title", site="Sidecar Site", url="https://record.example/1",
                                 fetched_at="2024-05-05T05:05:05Z")


def test_json_record_over_max_bytes_is_too_large(tmp_path):
    write(tmp_path, "feed.jsonl", jsonl({"text": "short"}, {"text": "x" * 3000}))
    short, long = discover(tmp_path).articles
    assert read_ok(short, tmp_path, 2000).raw == b"short"
    result = read(long, tmp_path, 2000)
    assert isinstance(result, Reject)
    assert (result.article_id, result.record, result.reason) == (article_id("feed.jsonl", 2), 2, RejectReason.TOO_LARGE)


def test_empty_json_lines_file_is_one_empty_reject(tmp_path):
    write(tmp_path, "feed.jsonl", "\n\n")
    inventory = discover(tmp_path)
    assert inventory.articles == []
    assert reasons(inventory) == {"feed.jsonl": RejectReason.EMPTY}
    assert inventory.documents == 1
    assert [(f.path, f.documents) for f in inventory.files] == [("feed.jsonl", 1)]


# --- the raw folder is read-only ----------------------------------------------------------


def test_discover_and_read_never_write_to_raw(tmp_path):
    root = tmp_path / "raw"
    write(root, "news/a.html")
    write(root, "news/a.html.meta.json", json.dumps({"url": "https://e.org/a"}))
    write(root, "b.txt", "text")
    write(root, "feed.jsonl", jsonl({"text": "one"}, "{broken"))
    write(root, "feed.jsonl.meta.json", "{broken")
    write(root, "c.pdf", b"%PDF-1.4")
    write(root, ".DS_Store", b"\x00")
    write(tmp_path / "outside", "x.html")
    (root / "out.html").symlink_to(tmp_path / "outside" / "x.html")
    (root / "loop.html").symlink_to(root / "loop.html")
    before = snapshot(root)

    inventory = discover(root)
    for article in inventory.articles:
        read(article, root, MAX_BYTES)
    discover(root)

    assert snapshot(root) == before
    assert sorted(before) == [  # the snapshot saw every entry
        "./", ".DS_Store", "b.txt", "c.pdf", "feed.jsonl", "feed.jsonl.meta.json", "loop.html",
        "news/", "news/a.html", "news/a.html.meta.json", "out.html"]


def test_a_lone_surrogate_escaped_in_a_record_is_a_replacement_character_not_a_crash(tmp_path):
    write(tmp_path, "feed.jsonl", '{"url": "https://a.example/1", "text": "Story \\ud800 text."}\n')
    [article] = discover(tmp_path).articles
    assert read_ok(article, tmp_path).raw == "Story \ufffd text.".encode()


def test_a_lone_surrogate_in_a_records_or_sidecars_fields_is_a_replacement_character(tmp_path):
    write(tmp_path, "feed.jsonl", '{"url": "https://a.example/1", "site": "Wire \\udc80", "title": "T \\ud83d",'
                                  ' "text": "Story."}\n')
    write(tmp_path, "a.txt", "Story.")
    write(tmp_path, "a.txt.meta.json", '{"url": "https://a.example/2", "site": "Harbour \\ud800 Gazette"}')
    hints = {a.source: read_ok(a, tmp_path).hints for a in discover(tmp_path).articles}
    assert (hints["feed.jsonl"].site, hints["feed.jsonl"].title) == ("Wire \ufffd", "T \ufffd")
    assert hints["a.txt"].site == "Harbour \ufffd Gazette"


def test_a_file_named_like_a_record_does_not_take_the_records_id(tmp_path):
    write(tmp_path, "feed.jsonl", jsonl({"url": "https://a.example/1", "text": "a story"}))
    write(tmp_path, "feed.jsonl#1", PAGE)
    inventory = discover(tmp_path)
    ids = [a.id for a in inventory.articles] + [r.article_id for r in inventory.rejects]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert article_id("a.html") == hashlib.sha256(b"a.html").hexdigest()[:16]  # ids without '#' as ever


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 20])
def test_json_lines_are_scanned_chunk_by_chunk_as_a_line_by_line_read_gives_them(chunk, monkeypatch):
    """Discovery never holds a whole line (a 400 MB record line took 800 MB): its spans and
    hashes, in chunks of any size, are those of reading the file line by line."""
    import io

    from cleaner import discover as module

    data = (b'{"a": 1}\n\n   \n{"text": "' + b"x" * 50 + b'"}\r\n \t{"b": 2}\n' + b"y" * 20 + b"\n\n" + b'{"last": 1}')

    def line_by_line(raw: bytes):
        spans, offset = [], 0
        for line_no, line in enumerate(io.BytesIO(raw), start=1):
            if line.strip():
                spans.append((line_no, offset, len(line), hashlib.sha256(line).hexdigest()))
            offset += len(line)
        return spans, offset

    monkeypatch.setattr(module, "_HASH_CHUNK", chunk)
    for raw in (data, data + b"\n", data + b"\n  ", b"", b"\n\n"):
        scan = module._scan(io.BytesIO(raw), jsonl=True)
        assert (scan.spans, scan.size) == line_by_line(raw)
        assert scan.sha256 == hashlib.sha256(raw).hexdigest()
