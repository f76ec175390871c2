"""Where raw inputs live and datasets are published: a folder or an object store, behind one `Storage`.

A location is a folder (`raw`, `/data/raw`, `file:///data/raw`) or an fsspec URL (`s3://bucket/raw`,
`memory://raw`, any protocol fsspec has installed). `open_location` gives a `Folder` or an
`ObjectStore`, both a `Storage`, so discover and publish's reader are written once. Where the two
differ, it is a fact of the storage, stated here only: a folder refuses symlinks out of it, loops
and special files, has a cheap stat (size and mtime tell a change) and is asked again whether a
sidecar is there; an object store has no such entries, answers no stat without a request (so a
record's change check is its line's sha256) and its listing says which sidecars exist. Only an
`ObjectStore` is written to (publish's run prefix and manifest commit); a folder is published by
an atomic rename (cleaner.publish.swap).

Credentials and endpoints come from the store's own configuration, never from CleanConfig: for S3
the standard AWS variables and files (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE,
AWS_ENDPOINT_URL for an S3-compatible server such as MinIO).

Errors are of three kinds: `StorageError` (the location cannot be used at all: no such bucket, no
credentials, an unknown protocol; a clear sentence, no retry), `TransientReadError` (a network
hiccup: the flow retries with backoff) and the ordinary FileNotFoundError / PermissionError for one
object (that input becomes a reject).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import IO, Any, ClassVar

from cleaner.record import RejectReason

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_FILE_URL = "file://"
# Exceptions named so by botocore / aiohttp, matched by name so this module imports neither.
_CREDENTIAL_ERRORS = {"NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError",
                      "NoAuthTokenError", "UnauthorizedSSOTokenError", "SSOTokenLoadError"}
_TRANSIENT_ERRORS = {"BotoCoreError", "ClientError", "HTTPClientError", "ConnectionError",
                     "ClientConnectionError", "ServerDisconnectedError", "ClientPayloadError"}
_PERMANENT = (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)
# A folder's errors that a second try may not meet (a network file system hiccup, a busy device).
# The flow retries the batch with backoff; any other error is this document's reject at once.
TRANSIENT_ERRNOS = frozenset({errno.EIO, errno.EAGAIN, errno.EBUSY, errno.ETIMEDOUT, errno.ESTALE, errno.EINTR})


class StorageError(RuntimeError):
    """A location cannot be used at all (no such bucket, no credentials, unknown protocol)."""


class TransientReadError(OSError):
    """Reading failed in a way worth retrying."""


def is_remote(location: str | Path) -> bool:
    """True for an fsspec URL other than file:// (which is a local folder, with local guarantees)."""
    return isinstance(location, str) and bool(_URL.match(location)) and not location.startswith(_FILE_URL)


def local_path(location: str | Path) -> Path:
    """The folder of a local location; `file:///data/raw` is the folder /data/raw."""
    if isinstance(location, str) and location.startswith(_FILE_URL):
        return Path(location[len(_FILE_URL):])
    return Path(location)


def absolute(location: str | Path) -> str:
    """An absolute form of a location (for a deployment's parameters): URLs are already absolute."""
    return str(location).rstrip("/") if is_remote(location) else str(local_path(location).resolve())


def open_location(location: str | Path) -> Folder | ObjectStore:
    """The storage behind a location: an `ObjectStore` for an fsspec URL, else a `Folder`."""
    return open_store(str(location)) if is_remote(location) else Folder(local_path(location))


@dataclass(frozen=True, slots=True)
class Walk:
    """What a location holds, keys relative to it (posix), sorted; hidden names are not searched."""

    files: list[str]  # every file whose path has no hidden part (sidecars too)
    links: list[str]  # symlinks to folders (a folder's only): not walked into, reported like files
    hidden: list[str]  # hidden files, and each hidden folder once with a trailing '/'


@dataclass(frozen=True, slots=True)
class Stat:
    size: int


class Storage(ABC):
    """Keys (posix paths relative to the location) to bytes; what discover and publish's reader use."""

    url: str  # the location as given (a folder: its path), for messages and reports
    # Errors that make one input (or sidecar) a reject; any other propagates.
    unreadable: ClassVar[tuple[type[OSError], ...]]

    @abstractmethod
    def walk(self, role: str) -> Walk:
        """Every entry, in a fixed order; an error naming the `role` ("raw") when the location is unusable."""

    def refuse(self, key: str) -> tuple[RejectReason, str] | None:
        """Why this entry may not be read as an input (a reject of discovery), or None."""
        return None

    @abstractmethod
    def open(self, key: str) -> AbstractContextManager[IO[bytes]]:
        """A streaming binary handle (for hashing large inputs without holding them in memory)."""

    @abstractmethod
    def read(self, key: str, start: int | None = None, end: int | None = None) -> bytes:
        """The bytes [start, end) of one key."""

    def stat(self, key: str) -> Stat | None:
        """The size now, where that costs no request; None: the listing's facts stand."""
        return None

    @abstractmethod
    def is_file(self, key: str, listed: bool) -> bool:
        """Whether `key` is a file now; `listed`: whether the last listing held it."""

    @abstractmethod
    def cannot_read(self, exc: OSError, sidecar: str = "") -> str:
        """The reject's sentence for an input (or the sidecar named so) that could not be read."""

    @abstractmethod
    def url_of(self, key: str) -> str:
        """Where a key is, for a reader: a path or a URL."""


class Folder(Storage):
    """A local folder: symlinks and special files checked."""

    unreadable = (OSError,)

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = str(root)

    @cached_property
    def _real_root(self) -> Path:
        return self.root.resolve()

    def url_of(self, key: str) -> str:
        return str(self.root / key) if key else str(self.root)

    def walk(self, role: str) -> Walk:
        if not self.root.is_dir():
            raise StorageError(f"{role} folder {self.root} does not exist or is not a folder")
        files: list[str] = []
        links: list[str] = []
        hidden: list[str] = []
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            rel = Path(dirpath).relative_to(self.root)
            hidden += [(rel / name).as_posix() + "/" for name in dirnames if name.startswith(".")]
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                (hidden if name.startswith(".") else files).append((rel / name).as_posix())
            for name in list(dirnames):  # a symlinked folder is not walked into; it is reported like a file
                if Path(dirpath, name).is_symlink():
                    links.append((rel / name).as_posix())
                    dirnames.remove(name)
        return Walk(sorted(files), sorted(links), sorted(hidden))

    def refuse(self, key: str) -> tuple[RejectReason, str] | None:
        path = self.root / key
        try:
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    return (RejectReason.UNREADABLE,
                            "the symlink cannot be followed: it loops or its target does not exist")
                if not target.is_relative_to(self._real_root):
                    return RejectReason.OUTSIDE_RAW, "the symlink points outside the raw folder and is not followed"
            mode = path.stat().st_mode
        except OSError as exc:
            return RejectReason.UNREADABLE, f"could not read the file: {exc.strerror or exc}"
        if stat.S_ISDIR(mode):
            return (RejectReason.UNSUPPORTED_FORMAT,
                    "a symlink to a folder inside raw/; its files are read at their real path")
        if not stat.S_ISREG(mode):
            return RejectReason.UNSUPPORTED_FORMAT, "not a regular file (a device, pipe or socket)"
        if not os.access(path, os.R_OK):
            return RejectReason.UNREADABLE, "the file is not readable (permission denied)"
        return None

    def open(self, key: str) -> IO[bytes]:
        return open(self.root / key, "rb")

    def read(self, key: str, start: int | None = None, end: int | None = None) -> bytes:
        with open(self.root / key, "rb") as handle:
            if start:
                handle.seek(start)
            return handle.read() if end is None else handle.read(end - (start or 0))

    def stat(self, key: str) -> Stat:
        info = (self.root / key).stat()
        return Stat(info.st_size)

    def is_file(self, key: str, listed: bool) -> bool:
        return (self.root / key).is_file()  # cheap: a sidecar written since the listing counts

    def cannot_read(self, exc: OSError, sidecar: str = "") -> str:
        if sidecar:
            return f"its sidecar {sidecar} is not readable JSON: {exc}"
        return f"could not read the file: {exc.strerror or exc}"


@dataclass(frozen=True)
class ObjectStore(Storage):
    """Objects under one prefix of an fsspec filesystem, addressed by keys relative to it."""

    url: str  # as given, without a trailing slash
    fs: Any  # fsspec.AbstractFileSystem
    root: str  # the prefix inside `fs`, without a trailing slash

    unreadable: ClassVar[tuple[type[OSError], ...]] = (FileNotFoundError, PermissionError, IsADirectoryError)

    def path(self, key: str) -> str:
        return f"{self.root}/{key}" if key else self.root

    def url_of(self, key: str) -> str:
        return f"{self.url}/{key}" if key else self.url

    def list(self, prefix: str = "") -> dict[str, int]:
        """Every object under the prefix (recursively): relative key -> size in bytes, sorted by key."""
        base = self.path(prefix).rstrip("/")
        with translate_errors(self.url_of(prefix), "list"):
            found = self.fs.find(base, detail=True, withdirs=False)
        keys: dict[str, int] = {}
        for name, info in found.items():
            name = name.rstrip("/")
            if info.get("type", "file") != "file" or not name.startswith(base + "/"):
                continue
            keys[name[len(self.root) + 1:]] = int(info.get("size") or 0)
        return dict(sorted(keys.items()))

    def walk(self, role: str) -> Walk:
        """The listing, split as a folder's walk is: hidden objects (and folders) skipped by the same rule."""
        try:
            listing = self.list()
        except (FileNotFoundError, PermissionError, NotADirectoryError) as exc:
            raise location_error(self.url, exc, f"{role} location") from exc
        if not listing:
            raise StorageError(
                f"{role} location {self.url} holds no objects: check the bucket and prefix "
                "(an object store has no empty folders, so an empty prefix is most likely a typo)"
            )
        files: list[str] = []
        hidden: dict[str, None] = {}  # a hidden folder once, not each object in it
        for key in listing:
            inside = _hidden(key)
            if inside:
                hidden[inside] = None
            else:
                files.append(key)
        return Walk(files, [], list(hidden))

    def read(self, key: str, start: int | None = None, end: int | None = None) -> bytes:
        """The object's bytes [start, end). FileNotFoundError if it is gone; TransientReadError to retry."""
        with translate_errors(self.url_of(key), "read"):
            return self.fs.cat_file(self.path(key), start=start, end=end)

    @contextmanager
    def open(self, key: str) -> Iterator[IO[bytes]]:
        """A streaming binary handle (for hashing large objects without holding them in memory)."""
        with translate_errors(self.url_of(key), "read"):
            with self.fs.open(self.path(key), "rb") as handle:
                yield handle

    def is_file(self, key: str, listed: bool) -> bool:
        return listed  # asking the store again would cost a request per input

    def cannot_read(self, exc: OSError, sidecar: str = "") -> str:
        if sidecar:
            return f"its sidecar {sidecar} is not readable: {exc}"
        return f"could not read the object: {exc}"

    def write(self, key: str, data: bytes) -> None:
        """One PUT: on object stores the new object appears whole or not at all."""
        with translate_errors(self.url_of(key), "write"):
            self.fs.pipe_file(self.path(key), data)

    def upload(self, key: str, path: Path) -> None:
        """A local file to one object, streamed (multipart on S3): the object appears whole or not at all."""
        with translate_errors(self.url_of(key), "write"):
            self.fs.put_file(str(path), self.path(key))

    def delete_prefix(self, prefix: str) -> None:
        with translate_errors(self.url_of(prefix), "delete"):
            paths = list(self.fs.find(self.path(prefix).rstrip("/"), withdirs=False))
            if paths:
                self.fs.rm(paths)
            if self.fs.isdir(self.path(prefix).rstrip("/")):  # a file system's folders (uploads make them)
                self.fs.rm(self.path(prefix).rstrip("/"), recursive=True)


def _hidden(key: str) -> str:
    """The hidden file, or the first hidden folder ('a/.git/'), a key lies in; '' for none."""
    parts = key.split("/")
    for n, part in enumerate(parts):
        if part.startswith("."):
            return "/".join(parts[:n + 1]) + ("/" if n + 1 < len(parts) else "")
    return ""


def open_store(url: str) -> ObjectStore:
    """The store for an fsspec URL; a clear StorageError for a protocol that is not installed."""
    return _open_store(url.rstrip("/"))


@lru_cache(maxsize=16)
def _open_store(url: str) -> ObjectStore:
    import fsspec

    try:
        fs, root = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise StorageError(f"cannot open {url}: {exc}") from exc
    return ObjectStore(url=url, fs=fs, root=root.rstrip("/"))


@contextmanager
def translate_errors(url: str, action: str) -> Iterator[None]:
    """Turn a store's many exception types into the three kinds the pipeline acts on."""
    try:
        yield
    except (StorageError, TransientReadError):
        raise
    except _PERMANENT:
        raise  # this object: the caller decides (a reject, or a StorageError for the whole location)
    except Exception as exc:
        names = {cls.__name__ for cls in type(exc).__mro__}
        if names & _CREDENTIAL_ERRORS:
            raise StorageError(
                f"cannot {action} {url}: no credentials found for the object store "
                f"({type(exc).__name__}: {exc}). For S3 set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                "(or AWS_PROFILE), and AWS_ENDPOINT_URL for an S3-compatible server."
            ) from exc
        if isinstance(exc, (OSError, TimeoutError, ConnectionError)) or names & _TRANSIENT_ERRORS:
            raise TransientReadError(f"could not {action} {url}: {type(exc).__name__}: {exc}") from exc
        raise


def location_error(url: str, exc: BaseException, what: str) -> StorageError:
    """A sentence for a location that cannot be listed or written at all."""
    if isinstance(exc, FileNotFoundError):
        return StorageError(f"{what} {url} does not exist (no such bucket or prefix): {exc}")
    if isinstance(exc, PermissionError):
        return StorageError(f"{what} {url}: access denied ({exc}); check the credentials and the bucket policy")
    return StorageError(f"{what} {url} cannot be used: {type(exc).__name__}: {exc}")
