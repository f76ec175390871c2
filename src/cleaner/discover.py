"""raw/ -> Articles: every file (and every JSON-lines record) gets a stable id; `read` fetches its bytes.

Only this module and publish touch storage. The raw location is only ever read. Discovery
records offsets, not contents, so a large corpus is read batch by batch rather than all at once.

The raw location is a folder (symlinks checked, special files rejected, a JSON-lines file's
size and mtime as its change stamp) or an object-store URL (cleaner.storage). Objects are
listed recursively and skipped by the same rules as files (hidden names and folders, which
the inventory lists as `skipped`, and sidecars); an object's id is sha256 of its key relative
to the prefix, so the same layout gives the same ids in a folder and in a bucket. An object has
no stat: its change check is the sha256 of the bytes read against the sha256 taken at listing (of the whole object for a
page, of the record's line for a JSON-lines record), which every store supports and costs no
extra request.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from cleaner import storage
from cleaner.normalize import web_url
from cleaner.record import Article, Facts, Format, Reject, RejectReason
from cleaner.storage import ObjectStore, TransientReadError

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SIDECAR_SUFFIX = ".meta.json"
_HASH_CHUNK = 1 << 20
# Errors that a second try may not meet (a network file system hiccup, a busy device). The
# flow retries the batch with backoff; any other error is this document's reject at once.
TRANSIENT_ERRNOS = frozenset({errno.EIO, errno.EAGAIN, errno.EBUSY, errno.ETIMEDOUT, errno.ESTALE, errno.EINTR})


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str  # relative to the raw folder, posix separators
    sha256: str
    bytes: int
    documents: int  # 1 for a page, the number of records for a JSON-lines file


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry of the raw location that is not an input (a hidden file or folder), and why."""
    path: str  # a folder ends with '/'
    reason: str


HIDDEN_FILE = "a hidden file (its name starts with '.')"
HIDDEN_FOLDER = "a hidden folder (its name starts with '.'), not searched"


@dataclass(frozen=True, slots=True)
class Inventory:
    files: list[InputFile]
    articles: list[Article]  # not read yet: raw is empty
    rejects: list[Reject]
    skipped: list[Skipped] = field(default_factory=list)  # not inputs: listed in the manifest

    @property
    def documents(self) -> int:
        return len(self.articles) + len(self.rejects)


def article_id(source: str, record: int | None = None) -> str:
    """Stable id: the same path (and line) gives the same id on every run and machine."""
    name = source if record is None else f"{source}#{record}"
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def discover(raw_dir: Path | str) -> Inventory:
    """List the raw location in a fixed order; unreadable entries become rejects, not errors."""
    if storage.is_remote(raw_dir):
        return _discover_objects(storage.open_store(str(raw_dir)))
    root = storage.local_path(raw_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"raw folder {root} does not exist or is not a folder")
    root_real = root.resolve()
    found = _Found()
    entries, found.skipped = _walk(root)
    for rel in entries:
        if not _is_utf8(rel):
            # Such a name cannot become an id, a CSV cell or a JSON string: report it in a
            # printable form rather than let one file crash the whole run.
            shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
            found.unreadable(shown, "the file name is not valid UTF-8; rename the file to read it")
            continue
        path = root / rel
        reject = _check_entry(path, rel, root_real)
        if reject is not None:
            found.rejects.append(reject)
            found.files.append(InputFile(rel, "", 0, 1))
            continue
        try:
            with open(path, "rb") as handle:
                scan = _scan(handle, jsonl=_suffix(rel) in JSONL_SUFFIXES)
        except OSError as exc:
            found.unreadable(rel, f"could not read the file: {exc.strerror or exc}")
            continue
        # A JSON-lines record is read alone later: the file's size and mtime tell if it changed.
        stat_stamp = _file_stamp(path) if scan.spans else ""
        found.add(rel, scan, _sidecar_digest(path), lambda span, stamp=stat_stamp: stamp)
    return found.inventory()


def _discover_objects(store: ObjectStore) -> Inventory:
    """The same inventory for objects under a prefix: keys sorted, hidden ones and sidecars skipped."""
    try:
        listing = store.list()
    except (FileNotFoundError, PermissionError, NotADirectoryError) as exc:
        raise storage.location_error(store.url, exc, "raw location") from exc
    if not listing:
        raise storage.StorageError(
            f"raw location {store.url} holds no objects: check the bucket and prefix "
            "(an object store has no empty folders, so an empty prefix is most likely a typo)"
        )
    found = _Found()
    hidden_seen: set[str] = set()
    for key in listing:
        hidden = _hidden(key)
        if hidden:
            if hidden not in hidden_seen:  # a hidden folder once, not each object in it
                hidden_seen.add(hidden)
                found.skipped.append(Skipped(hidden, HIDDEN_FOLDER if hidden.endswith("/") else HIDDEN_FILE))
            continue
        if key.endswith(SIDECAR_SUFFIX):
            continue
        try:
            with store.open(key) as handle:
                scan = _scan(handle, jsonl=_suffix(key) in JSONL_SUFFIXES, hash_lines=True)
        except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
            found.unreadable(key, f"could not read the object: {exc}")
            continue
        side = key + SIDECAR_SUFFIX
        sidecar = ""
        if side in listing:
            try:
                sidecar = hashlib.sha256(store.read(side)).hexdigest()
            except (FileNotFoundError, PermissionError):
                sidecar = "unreadable"
        found.add(key, scan, sidecar, lambda span: f"sha256:{span[3]}")
    return found.inventory()


@dataclass(frozen=True, slots=True)
class _Scan:
    sha256: str
    size: int
    # JSON lines: (line number, offset, length, sha256 of the line or "") of each non-blank line.
    spans: list[tuple[int, int, int, str]] | None  # None: a page, not a JSON-lines file


@dataclass
class _Found:
    """What discovery has found so far; `add` turns one scanned input into articles or rejects."""

    files: list[InputFile] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def unreadable(self, rel: str, detail: str) -> None:
        self.rejects.append(_reject(rel, None, RejectReason.UNREADABLE, detail, stage="discover"))
        self.files.append(InputFile(rel, "", 0, 1))

    def add(self, rel: str, scan: _Scan, sidecar: str, change_stamp) -> None:
        """`change_stamp(span)`: what read() checks a JSON-lines record against (after the '@')."""
        suffix = _suffix(rel)
        if scan.spans is not None:
            self.files.append(InputFile(rel, scan.sha256, scan.size, max(len(scan.spans), 1)))
            if not scan.spans:
                self.rejects.append(_reject(rel, None, RejectReason.EMPTY, "the JSON-lines file has no records",
                                            stage="discover"))
            for span in scan.spans:
                line_no, offset, length, _ = span
                self.articles.append(Article(
                    id=article_id(rel, line_no), source=rel, format=None, input_format="jsonl",
                    record=line_no, offset=offset, length=length,
                    stamp=f"{scan.sha256}@{change_stamp(span)}",  # content for caches @ change check
                    sidecar=sidecar,
                ))
            return
        self.files.append(InputFile(rel, scan.sha256, scan.size, 1))
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
    if storage.is_remote(raw_dir):
        return _read_object(article, storage.open_store(str(raw_dir)), max_bytes)
    root = storage.local_path(raw_dir)
    path = root / article.source
    hints = _sidecar(path)
    if isinstance(hints, str):
        return _reject(article.source, article.record, RejectReason.BAD_RECORD, hints)
    try:
        if article.input_format == "jsonl":
            if article.length > max_bytes:
                return _too_large(article, article.length, max_bytes)
            if article.stamp and _file_stamp(path) != article.stamp.partition("@")[2]:
                return _changed(article)
            with open(path, "rb") as handle:
                handle.seek(article.offset)
                line = handle.read(article.length)
            return _from_record(article, line, hints)
        size = path.stat().st_size
        if size > max_bytes:
            return _too_large(article, size, max_bytes)
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        if exc.errno in TRANSIENT_ERRNOS:
            raise TransientReadError(f"{article.source}: {exc.strerror or exc}") from exc
        return _reject(article.source, article.record, RejectReason.UNREADABLE,
                       f"could not read the file: {exc.strerror or exc}")
    return _page(article, data, max_bytes, hints)


def _read_object(article: Article, store: ObjectStore, max_bytes: int) -> Article | Reject:
    """read() for an object: one ranged GET (two with a sidecar); the sha256 of what came is the change check."""
    hints = Facts()
    if article.sidecar:  # discovery saw a sidecar: no request for the many inputs without one
        name = article.source.rsplit("/", 1)[-1] + SIDECAR_SUFFIX
        try:
            hints = _parse_sidecar(store.read(article.source + SIDECAR_SUFFIX), name)
        except (FileNotFoundError, PermissionError) as exc:
            hints = f"its sidecar {name} is not readable: {exc}"
        if isinstance(hints, str):
            return _reject(article.source, article.record, RejectReason.BAD_RECORD, hints)
    if article.length > max_bytes:
        return _too_large(article, article.length, max_bytes)
    try:
        if article.input_format == "jsonl":
            line = store.read(article.source, article.offset, article.offset + article.length)
            token = article.stamp.partition("@")[2]
            if token and token != f"sha256:{hashlib.sha256(line).hexdigest()}":
                return _changed(article)
            return _from_record(article, line, hints)
        data = store.read(article.source, 0, max_bytes + 1)
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        return _reject(article.source, article.record, RejectReason.UNREADABLE, f"could not read the object: {exc}")
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
    return replace(article, format=fmt, raw=page.encode("utf-8"), hints=merged)


def _sidecar(path: Path) -> Facts | str:
    """Facts from NAME.meta.json beside the file, or an error sentence."""
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    if not side.is_file():
        return Facts()
    try:
        data = side.read_bytes()
    except OSError as exc:
        return f"its sidecar {side.name} is not readable JSON: {exc}"
    return _parse_sidecar(data, side.name)


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


def _sidecar_digest(path: Path) -> str:
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    try:
        return hashlib.sha256(side.read_bytes()).hexdigest() if side.is_file() else ""
    except OSError:
        return "unreadable"


def _walk(root: Path) -> tuple[list[str], list[Skipped]]:
    """Relative paths of every entry that is not a folder, sidecar or hidden file, sorted; and
    the hidden files and folders (a folder once, not its contents)."""
    found: list[str] = []
    skipped: list[Skipped] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for name in dirnames:
            if name.startswith("."):
                skipped.append(Skipped((here / name).relative_to(root).as_posix() + "/", HIDDEN_FOLDER))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith("."):
                skipped.append(Skipped((here / name).relative_to(root).as_posix(), HIDDEN_FILE))
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            found.append((here / name).relative_to(root).as_posix())
        # A symlinked folder is not walked into; it is reported like a file.
        for name in list(dirnames):
            if (here / name).is_symlink():
                found.append((here / name).relative_to(root).as_posix())
                dirnames.remove(name)
    return sorted(found), skipped


def _check_entry(path: Path, rel: str, root_real: Path) -> Reject | None:
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                return _reject(rel, None, RejectReason.UNREADABLE,
                               "the symlink cannot be followed: it loops or its target does not exist",
                               stage="discover")
            if not target.is_relative_to(root_real):
                return _reject(rel, None, RejectReason.OUTSIDE_RAW,
                               "the symlink points outside the raw folder and is not followed", stage="discover")
        mode = path.stat().st_mode
    except OSError as exc:
        return _reject(rel, None, RejectReason.UNREADABLE, f"could not read the file: {exc.strerror or exc}",
                       stage="discover")
    if stat.S_ISDIR(mode):
        return _reject(rel, None, RejectReason.UNSUPPORTED_FORMAT,
                       "a symlink to a folder inside raw/; its files are read at their real path", stage="discover")
    if not stat.S_ISREG(mode):
        return _reject(rel, None, RejectReason.UNSUPPORTED_FORMAT, "not a regular file (a device, pipe or socket)",
                       stage="discover")
    if not os.access(path, os.R_OK):
        return _reject(rel, None, RejectReason.UNREADABLE, "the file is not readable (permission denied)",
                       stage="discover")
    return None


def _scan(handle, jsonl: bool, hash_lines: bool = False) -> _Scan:
    """Hash an input as it streams by; for a JSON-lines file also note each non-blank line's span
    (and, with `hash_lines`, its sha256: the change check of a record read alone from an object)."""
    digest = hashlib.sha256()
    if not jsonl:
        size = 0
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
        return _Scan(digest.hexdigest(), size, None)
    spans: list[tuple[int, int, int, str]] = []
    offset = 0
    for line_no, line in enumerate(handle, start=1):
        digest.update(line)
        if line.strip():
            spans.append((line_no, offset, len(line), hashlib.sha256(line).hexdigest() if hash_lines else ""))
        offset += len(line)
    return _Scan(digest.hexdigest(), offset, spans)


def _hidden(key: str) -> str:
    """The hidden file, or the first hidden folder ('a/.git/'), a key lies in; '' for none."""
    parts = key.split("/")
    for n, part in enumerate(parts):
        if part.startswith("."):
            return "/".join(parts[:n + 1]) + ("/" if n + 1 < len(parts) else "")
    return ""


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
    return value.strip() if isinstance(value, str) else ""


def _timestamp(value: object) -> str:
    """An ISO 8601 date or time as given; '' for anything else ('not a date'): the value is
    dropped, not the article."""
    text = _str(value)
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return ""
    return text


def _file_stamp(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"


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
