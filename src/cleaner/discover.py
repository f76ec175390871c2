"""raw/ -> Articles: every file (and every JSON-lines record) gets a stable id; `read` fetches its bytes.

Only this module and publish touch the filesystem. The raw folder is opened read-only and
never written. Discovery records offsets, not contents, so a large corpus is read batch by
batch rather than all at once.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from cleaner.record import Article, Facts, Format, Reject, RejectReason

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SIDECAR_SUFFIX = ".meta.json"
_HASH_CHUNK = 1 << 20
# Errors that a second try may not meet (a network file system hiccup, a busy device). The
# flow retries the batch with backoff; any other error is this document's reject at once.
TRANSIENT_ERRNOS = frozenset({errno.EIO, errno.EAGAIN, errno.EBUSY, errno.ETIMEDOUT, errno.ESTALE, errno.EINTR})


class TransientReadError(OSError):
    """Reading failed in a way worth retrying."""


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str  # relative to the raw folder, posix separators
    sha256: str
    bytes: int
    documents: int  # 1 for a page, the number of records for a JSON-lines file


@dataclass(frozen=True, slots=True)
class Inventory:
    files: list[InputFile]
    articles: list[Article]  # not read yet: raw is empty
    rejects: list[Reject]

    @property
    def documents(self) -> int:
        return len(self.articles) + len(self.rejects)


def article_id(source: str, record: int | None = None) -> str:
    """Stable id: the same path (and line) gives the same id on every run and machine."""
    name = source if record is None else f"{source}#{record}"
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def discover(raw_dir: Path | str) -> Inventory:
    """List the raw folder in a fixed order; unreadable entries become rejects, not errors."""
    root = Path(raw_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"raw folder {root} does not exist or is not a folder")
    root_real = root.resolve()
    files: list[InputFile] = []
    articles: list[Article] = []
    rejects: list[Reject] = []
    for rel in _walk(root):
        if not _is_utf8(rel):
            # Such a name cannot become an id, a CSV cell or a JSON string: report it in a
            # printable form rather than let one file crash the whole run.
            shown = os.fsencode(rel).decode("utf-8", "backslashreplace")
            rejects.append(_reject(shown, None, RejectReason.UNREADABLE,
                                   "the file name is not valid UTF-8; rename the file to read it", stage="discover"))
            files.append(InputFile(shown, "", 0, 1))
            continue
        path = root / rel
        reject = _check_entry(path, rel, root_real)
        if reject is not None:
            rejects.append(reject)
            files.append(InputFile(rel, "", 0, 1))
            continue
        suffix = _suffix(rel)
        if suffix in JSONL_SUFFIXES:
            try:
                digest, size, spans = _scan_jsonl(path)
            except OSError as exc:
                rejects.append(_reject(rel, None, RejectReason.UNREADABLE, f"could not read the file: {exc.strerror or exc}", stage="discover"))
                files.append(InputFile(rel, "", 0, 1))
                continue
            files.append(InputFile(rel, digest, size, max(len(spans), 1)))
            if not spans:
                rejects.append(_reject(rel, None, RejectReason.EMPTY, "the JSON-lines file has no records", stage="discover"))
            stamp = f"{digest}@{_file_stamp(path)}"  # content for caches @ stat for change checks
            sidecar = _sidecar_digest(path)
            for line_no, offset, length in spans:
                articles.append(Article(
                    id=article_id(rel, line_no), source=rel, format=None, input_format="jsonl",
                    record=line_no, offset=offset, length=length, stamp=stamp, sidecar=sidecar,
                ))
            continue
        try:
            digest, size = _hash_file(path)
        except OSError as exc:
            rejects.append(_reject(rel, None, RejectReason.UNREADABLE, f"could not read the file: {exc.strerror or exc}", stage="discover"))
            files.append(InputFile(rel, "", 0, 1))
            continue
        files.append(InputFile(rel, digest, size, 1))
        if suffix in HTML_SUFFIXES or suffix in TEXT_SUFFIXES:
            fmt = Format.HTML if suffix in HTML_SUFFIXES else Format.TEXT
            articles.append(Article(id=article_id(rel), source=rel, format=fmt, input_format=fmt.value,
                                    length=size, stamp=digest, sidecar=_sidecar_digest(path)))
        else:
            known = ", ".join(sorted(HTML_SUFFIXES | TEXT_SUFFIXES | JSONL_SUFFIXES))
            rejects.append(_reject(
                rel, None, RejectReason.UNSUPPORTED_FORMAT,
                f"'{suffix or 'no extension'}' is not a format we read ({known})", stage="discover",
            ))
    return Inventory(files=files, articles=articles, rejects=rejects)


def read(article: Article, raw_dir: Path | str, max_bytes: int) -> Article | Reject:
    """Fill `raw` (and, for a JSON-lines record, its format and crawler facts) from disk."""
    root = Path(raw_dir)
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
    if not isinstance(obj, dict):
        return _reject(article.source, article.record, RejectReason.BAD_RECORD,
                       f"{where} is a JSON {type(obj).__name__}, not an object with 'url' and 'html' or 'text'")
    html, text = obj.get("html"), obj.get("text")
    for name, value in (("html", html), ("text", text)):
        if value is not None and not isinstance(value, str):
            return _reject(article.source, article.record, RejectReason.BAD_RECORD, f"{where}: '{name}' is not a string")
    if html is None and text is None:
        return _reject(article.source, article.record, RejectReason.BAD_RECORD, f"{where} has neither 'html' nor 'text'")
    if html and html.strip():
        fmt, page = Format.HTML, html
    else:
        fmt, page = Format.TEXT, (text or html or "")
    record_facts = Facts(
        title=_str(obj.get("title")), site=_str(obj.get("site")),
        url=_str(obj.get("url")), fetched_at=_str(obj.get("fetched_at")),
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
        obj = json.loads(side.read_bytes())
    except (OSError, ValueError) as exc:
        return f"its sidecar {side.name} is not readable JSON: {exc}"
    if not isinstance(obj, dict):
        return f"its sidecar {side.name} is not a JSON object"
    return Facts(
        url=_str(obj.get("url")), site=_str(obj.get("site")),
        fetched_at=_str(obj.get("fetched_at")), title=_str(obj.get("title")),
    )


def _sidecar_digest(path: Path) -> str:
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    try:
        return hashlib.sha256(side.read_bytes()).hexdigest() if side.is_file() else ""
    except OSError:
        return "unreadable"


def _walk(root: Path) -> list[str]:
    """Relative paths of every entry that is not a folder, sidecar or hidden file, sorted."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        for name in filenames:
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            found.append((here / name).relative_to(root).as_posix())
        # A symlinked folder is not walked into; it is reported like a file.
        for name in list(dirnames):
            if (here / name).is_symlink():
                found.append((here / name).relative_to(root).as_posix())
                dirnames.remove(name)
    return sorted(found)


def _check_entry(path: Path, rel: str, root_real: Path) -> Reject | None:
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                return _reject(rel, None, RejectReason.UNREADABLE,
                               "the symlink cannot be followed: it loops or its target does not exist", stage="discover")
            if not target.is_relative_to(root_real):
                return _reject(rel, None, RejectReason.OUTSIDE_RAW,
                               "the symlink points outside the raw folder and is not followed", stage="discover")
        mode = path.stat().st_mode
    except OSError as exc:
        return _reject(rel, None, RejectReason.UNREADABLE, f"could not read the file: {exc.strerror or exc}", stage="discover")
    if stat.S_ISDIR(mode):
        return _reject(rel, None, RejectReason.UNSUPPORTED_FORMAT,
                       "a symlink to a folder inside raw/; its files are read at their real path", stage="discover")
    if not stat.S_ISREG(mode):
        return _reject(rel, None, RejectReason.UNSUPPORTED_FORMAT, "not a regular file (a device, pipe or socket)", stage="discover")
    if not os.access(path, os.R_OK):
        return _reject(rel, None, RejectReason.UNREADABLE, "the file is not readable (permission denied)", stage="discover")
    return None


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _scan_jsonl(path: Path) -> tuple[str, int, list[tuple[int, int, int]]]:
    """Hash a JSON-lines file and note (line number, offset, length) of each non-blank line."""
    digest = hashlib.sha256()
    spans: list[tuple[int, int, int]] = []
    offset = 0
    with open(path, "rb") as handle:
        for line_no, line in enumerate(handle, start=1):
            digest.update(line)
            if line.strip():
                spans.append((line_no, offset, len(line)))
            offset += len(line)
    return digest.hexdigest(), offset, spans


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
