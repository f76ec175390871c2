"""raw/ -> Articles: every file (and every JSON-lines record) gets a stable id; `read` fetches its bytes.

Only this module and publish touch storage. The raw location is only ever read. Discovery
records offsets, not contents, so a large corpus is read batch by batch rather than all at once.

The raw location is a folder or an object-store URL, both read through one `cleaner.storage.Storage`,
so listing and reading are written once here. Hidden names (files and folders, which the
inventory lists as `skipped`) and sidecars are not inputs; an input's id is sha256 of its path
relative to the location, so the same layout gives the same ids in a folder and in a bucket.
A JSON-lines record's change check is the sha256 of its line taken at listing: a crawler that
appends to the file changes no record already listed. A sidecar's sha256 is kept with its input
(the manifest lists it: a changed sidecar changes the published record); a sidecar with no input
beside it is listed as skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from cleaner import storage
from cleaner.normalize import web_url
from cleaner.record import Article, Facts, Format, Reject, RejectReason
from cleaner.storage import Storage, TransientReadError

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SIDECAR_SUFFIX = ".meta.json"
_HASH_CHUNK = 1 << 20
_LINE_HASH = "sha256:"  # a JSON-lines record's change check by its line, not its file's stat


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str  # relative to the raw folder, posix separators
    sha256: str
    bytes: int
    documents: int  # 1 for a page, the number of records for a JSON-lines file
    sidecar_sha256: str = ""  # of NAME.meta.json beside it ('unreadable' if it could not be read), '' if none


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry of the raw location that is not an input (a hidden file or folder, a sidecar
    with no input beside it), and why."""
    path: str  # a folder ends with '/'
    reason: str


HIDDEN_FILE = "a hidden file (its name starts with '.')"
HIDDEN_FOLDER = "a hidden folder (its name starts with '.'), not searched"
ORPHAN_SIDECAR = "a sidecar (NAME.meta.json) with no input NAME beside it"


@dataclass(frozen=True, slots=True)
class Inventory:
    files: list[InputFile]
    articles: list[Article]  # not read yet: raw is empty
    rejects: list[Reject]
    skipped: list[Skipped] = field(default_factory=list)  # not inputs: listed in the manifest
    handed_over: int = 0  # articles no longer listed here: see `hand_over`

    @property
    def documents(self) -> int:
        return len(self.articles) + self.handed_over + len(self.rejects)

    def hand_over(self) -> Inventory:
        """The same inventory without its articles, still counting them: a run that has put
        every article in a batch keeps this, so that each article's stub (~0.65 KB) is freed
        with its batch once the batch is cleaned."""
        return replace(self, articles=[], handed_over=self.handed_over + len(self.articles))


def article_id(source: str, record: int | None = None) -> str:
    """Stable id: the same path (and line) gives the same id on every run and machine. A record's
    name is 'PATH#LINE'; a path that holds '#' itself is named with a '#' after it, so that no
    file ('feed.jsonl#1') takes a record's id (line 1 of 'feed.jsonl') and stops the run at publish."""
    if record is not None:
        name = f"{source}#{record}"
    else:
        name = f"{source}#" if "#" in source else source
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def _bytes_id(name: bytes) -> str:
    """The id of a file whose name is not UTF-8 (never equal to an article_id)."""
    return hashlib.sha256(b"\0" + name).hexdigest()[:16]


def discover(raw_dir: Path | str) -> Inventory:
    """List the raw location in a fixed order; unreadable entries become rejects, not errors."""
    location = storage.open_location(raw_dir)
    walk = location.walk("raw")
    listed = set(walk.files)
    found = _Found(skipped=[Skipped(path, HIDDEN_FOLDER if path.endswith("/") else HIDDEN_FILE)
                            for path in walk.hidden])
    for rel in sorted([key for key in walk.files if not key.endswith(SIDECAR_SUFFIX)] + walk.links):
        if not _is_utf8(rel):
            # Such a name cannot become an id, a CSV cell or a JSON string: report it in a
            # printable form rather than let one file crash the whole run.
            shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
            found.unreadable(shown, "the file name is not valid UTF-8; rename the file to read it")
            # Its id from the name's bytes behind a NUL, which no path holds: the shown form is
            # also the name of a real file ('\\xffnews.txt' spelt out), whose id it would take.
            found.rejects[-1] = replace(found.rejects[-1], article_id=_bytes_id(os.fsencode(rel)))
            continue
        refused = location.refuse(rel)
        if refused is not None:
            found.refuse(rel, *refused)
            continue
        try:
            scan = _scan_with_retries(location, rel)
        except TransientReadError as exc:
            found.unreadable(rel, f"could not read it after {len(SCAN_BACKOFF) + 1} tries: {exc}")
            continue
        except location.unreadable as exc:
            found.unreadable(rel, location.cannot_read(exc))
            continue
        found.add(rel, scan, _sidecar_digest(location, rel + SIDECAR_SUFFIX, listed))
    inputs = set(walk.files) | set(walk.links)
    found.skipped += [Skipped(key, ORPHAN_SIDECAR) for key in walk.files
                      if key.endswith(SIDECAR_SUFFIX) and key[:-len(SIDECAR_SUFFIX)] not in inputs]
    return found.inventory()


SCAN_BACKOFF = (1.0, 4.0)  # seconds before the second and third try of an input's scan


def _scan_with_retries(location: Storage, rel: str) -> _Scan:
    """One input scanned, tried again after a transient read error (a reset connection, a 5xx
    from an object store): one object the store cannot serve is that input's `unreadable`
    reject, as it is when cleaning, not a failed discovery of the whole location."""
    def scan() -> _Scan:
        with location.open(rel) as handle:
            return _scan(handle, jsonl=_suffix(rel) in JSONL_SUFFIXES)

    for delay in SCAN_BACKOFF:
        try:
            return scan()
        except TransientReadError:
            time.sleep(delay)
    return scan()  # the last try: its TransientReadError goes to the caller


@dataclass(frozen=True, slots=True)
class _Scan:
    sha256: str
    size: int
    # JSON lines: (line number, offset, length, sha256 of the line) of each non-blank line.
    spans: list[tuple[int, int, int, str]] | None  # None: a page, not a JSON-lines file


@dataclass
class _Found:
    """What discovery has found so far; `add` turns one scanned input into articles or rejects."""

    files: list[InputFile] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def unreadable(self, rel: str, detail: str) -> None:
        self.refuse(rel, RejectReason.UNREADABLE, detail)

    def refuse(self, rel: str, reason: RejectReason, detail: str) -> None:
        self.rejects.append(_reject(rel, None, reason, detail, stage="discover"))
        self.files.append(InputFile(rel, "", 0, 1))

    def add(self, rel: str, scan: _Scan, sidecar: str) -> None:
        """A JSON-lines record is read alone later, and its line's sha256 (after the stamp's '@')
        tells read() whether it changed. Not the file's size or time: a crawler that appends its
        next record to the file changes no record a run has listed."""
        suffix = _suffix(rel)
        if scan.spans is not None:
            self.files.append(InputFile(rel, scan.sha256, scan.size, max(len(scan.spans), 1), sidecar))
            if not scan.spans:
                self.rejects.append(_reject(rel, None, RejectReason.EMPTY, "the JSON-lines file has no records",
                                            stage="discover"))
            for span in scan.spans:
                line_no, offset, length, _ = span
                self.articles.append(Article(
                    id=article_id(rel, line_no), source=rel, format=None, input_format="jsonl",
                    record=line_no, offset=offset, length=length,
                    stamp=f"{scan.sha256}@{_LINE_HASH}{span[3]}",  # content for caches @ change check
                    sidecar=sidecar,
                ))
            return
        self.files.append(InputFile(rel, scan.sha256, scan.size, 1, sidecar))
        if suffix in HTML_SUFFIXES or suffix in TEXT_SUFFIXES:
            fmt = Format.HTML if suffix in HTML_SUFFIXES else Format.TEXT
            self.articles.append(Article(id=article_id(rel), source=rel, format=fmt, input_format=fmt.value,
                                         length=scan.size, stamp=scan.sha256, sidecar=sidecar))
        else:
            known = ", ".join(sorted(HTML_SUFFIXES | TEXT_SUFFIXES | JSONL_SUFFIXES))
            self.rejects.append(_reject(
                rel, None, RejectReason.UNSUPPORTED_FORMAT,
                f"'{suffix or 'no extension'}' is not a format we read ({known})", stage="discover",
            ))

    def inventory(self) -> Inventory:
        return Inventory(files=self.files, articles=self.articles, rejects=self.rejects,
                         skipped=sorted(self.skipped, key=lambda entry: entry.path))


def read(article: Article, raw_dir: Path | str, max_bytes: int) -> Article | Reject:
    """Fill `raw` (and, for a JSON-lines record, its format and crawler facts) from storage."""
    location = storage.open_location(raw_dir)
    hints = _sidecar(location, article)
    if isinstance(hints, str):
        return _reject(article.source, article.record, RejectReason.BAD_RECORD, hints)
    try:
        if article.input_format == "jsonl":
            if article.length > max_bytes:
                return _too_large(article, article.length, max_bytes)
            token = article.stamp.partition("@")[2]  # what discovery saw: the line's sha256
            line = location.read(article.source, article.offset, article.offset + article.length)
            if token and token != _LINE_HASH + hashlib.sha256(line).hexdigest():
                return _changed(article)
            return _from_record(article, line, hints)
        info = location.stat(article.source)
        size = article.length if info is None else info.size  # no stat: the size listed
        if size > max_bytes:
            return _too_large(article, size, max_bytes)
        data = location.read(article.source, 0, max_bytes + 1)
    except location.unreadable as exc:
        if exc.errno in storage.TRANSIENT_ERRNOS:  # a folder's (an object store's come translated)
            raise TransientReadError(f"{article.source}: {exc.strerror or exc}") from exc
        return _reject(article.source, article.record, RejectReason.UNREADABLE, location.cannot_read(exc))
    return _page(article, data, max_bytes, hints)


def _page(article: Article, data: bytes, max_bytes: int, hints: Facts) -> Article | Reject:
    if len(data) > max_bytes:  # grew while we read it
        return _too_large(article, len(data), max_bytes)
    if article.stamp and hashlib.sha256(data).hexdigest() != article.stamp:
        return _changed(article)
    return replace(article, raw=data, hints=hints)


def _from_record(article: Article, line: bytes, hints: Facts) -> Article | Reject:
    where = f"line {article.record}"
    try:
        obj = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return _reject(article.source, article.record, RejectReason.BAD_RECORD, f"{where} is not valid JSON: {exc}")
    except RecursionError:  # json's parser recurses once per level of nesting
        return _reject(article.source, article.record, RejectReason.BAD_RECORD,
                       f"{where} is JSON nested too deep to read")
    if not isinstance(obj, dict):
        return _reject(article.source, article.record, RejectReason.BAD_RECORD,
                       f"{where} is a JSON {type(obj).__name__}, not an object with 'url' and 'html' or 'text'")
    html, text = obj.get("html"), obj.get("text")
    for name, value in (("html", html), ("text", text)):
        if value is not None and not isinstance(value, str):
            return _reject(article.source, article.record, RejectReason.BAD_RECORD,
                           f"{where}: '{name}' is not a string")
    if html is None and text is None:
        return _reject(article.source, article.record, RejectReason.BAD_RECORD,
                       f"{where} has neither 'html' nor 'text'")
    if html and html.strip():
        fmt, page = Format.HTML, html
    else:
        fmt, page = Format.TEXT, (text or html or "")
    record_facts = Facts(
        title=_str(obj.get("title")), site=_str(obj.get("site")),
        url=web_url(_str(obj.get("url"))), fetched_at=_timestamp(obj.get("fetched_at")),
    )
    merged = Facts(**{
        f: getattr(record_facts, f) or getattr(hints, f) for f in Facts.__dataclass_fields__
    })
    return replace(article, format=fmt, raw=_well_formed(page).encode("utf-8"), hints=merged)


def _sidecar(location: Storage, article: Article) -> Facts | str:
    """Facts from NAME.meta.json beside the input, or an error sentence."""
    key = article.source + SIDECAR_SUFFIX
    if not location.is_file(key, listed=bool(article.sidecar)):
        return Facts()
    name = key.rsplit("/", 1)[-1]
    try:
        data = location.read(key)
    except location.unreadable as exc:
        return location.cannot_read(exc, sidecar=name)
    return _parse_sidecar(data, name)


def _parse_sidecar(data: bytes, name: str) -> Facts | str:
    try:
        obj = json.loads(data)
    except ValueError as exc:
        return f"its sidecar {name} is not readable JSON: {exc}"
    except RecursionError:
        return f"its sidecar {name} is JSON nested too deep to read"
    if not isinstance(obj, dict):
        return f"its sidecar {name} is not a JSON object"
    return Facts(
        url=web_url(_str(obj.get("url"))), site=_str(obj.get("site")),
        fetched_at=_timestamp(obj.get("fetched_at")), title=_str(obj.get("title")),
    )


def _sidecar_digest(location: Storage, key: str, listed: set[str]) -> str:
    try:
        return hashlib.sha256(location.read(key)).hexdigest() if location.is_file(key, key in listed) else ""
    except location.unreadable:
        return "unreadable"


def _scan(handle, jsonl: bool) -> _Scan:
    """Hash an input as it streams by; for a JSON-lines file also note each non-blank line's span
    and its sha256 (the change check of a record read alone where the storage has no stat)."""
    digest = hashlib.sha256()
    if not jsonl:
        size = 0
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
        return _Scan(digest.hexdigest(), size, None)
    # Chunk by chunk, never a whole line in memory: one line of a JSON-lines file may be hundreds
    # of megabytes (read() rejects it as too_large by its length, without reading it).
    spans: list[tuple[int, int, int, str]] = []
    offset = start = 0  # bytes read before this chunk; where the current line starts
    line_no, line_hash, content = 1, hashlib.sha256(), False
    while chunk := handle.read(_HASH_CHUNK):
        digest.update(chunk)
        pos = 0
        while (end := chunk.find(b"\n", pos)) >= 0:
            piece = chunk[pos:end + 1]
            line_hash.update(piece)
            if content or piece.strip():
                spans.append((line_no, start, offset + end + 1 - start, line_hash.hexdigest()))
            line_no, start, line_hash, content = line_no + 1, offset + end + 1, hashlib.sha256(), False
            pos = end + 1
        piece = chunk[pos:]  # the start of a line the next chunk goes on with
        line_hash.update(piece)
        content = content or bool(piece.strip())
        offset += len(chunk)
    if content:  # a last line without its newline
        spans.append((line_no, start, offset - start, line_hash.hexdigest()))
    return _Scan(digest.hexdigest(), offset, spans)


def _is_utf8(rel: str) -> bool:
    """False for a name os.walk could only give with surrogate escapes (not UTF-8 on disk)."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _suffix(rel: str) -> str:
    return Path(rel).suffix.lower()


def _str(value: object) -> str:
    """A string field of a record or sidecar, stripped and well formed ('' for anything else)."""
    return _well_formed(value.strip()) if isinstance(value, str) else ""


def _well_formed(text: str) -> str:
    """JSON's '\\ud800' escapes a lone surrogate, which no UTF-8 holds: it becomes U+FFFD (in a
    page, a title or a site alike; left in a field, it failed the whole run's publish)."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _timestamp(value: object) -> str:
    """A crawler's fetch time in one form: an ISO 8601 date as YYYY-MM-DD, a time with a zone in
    UTC ('2024-06-20T08:00:00Z'), a time without one as given ('2024-06-20T10:00:00'); an HTTP
    date ('Thu, 20 Jun 2024 10:00:00 GMT', the Date header crawlers store) in UTC; '' for
    anything else ('not a date'): the value is dropped, not the article."""
    text = _str(value)
    if not text:
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return ""
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _changed(article: Article) -> Reject:
    return _reject(article.source, article.record, RejectReason.CHANGED,
                   "the file changed after it was listed (its checksum in the manifest no longer holds); "
                   "it will be read on the next run")


def _too_large(article: Article, size: int, limit: int) -> Reject:
    return _reject(article.source, article.record, RejectReason.TOO_LARGE,
                   f"{size:,} bytes is over the {limit:,}-byte limit (max_bytes)")


def _reject(source: str, record: int | None, reason: RejectReason, detail: str, stage: str = "read") -> Reject:
    return Reject(article_id=article_id(source, record), source=source, record=record,
                  stage=stage, reason=reason, detail=detail)
