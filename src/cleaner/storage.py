"""Where raw inputs live and datasets are published: a local folder, or an object store by URL.

A location is either a folder (`raw`, `/data/raw`, `file:///data/raw`) or an fsspec URL
(`s3://bucket/raw`, `memory://raw`, any protocol fsspec has installed). Folders keep every
local guarantee (symlink checks, flock, an atomic rename swap) and are handled by
discover.py and publish.py directly, as before; `ObjectStore` is the small surface those two
modules use for everything else: list the keys under a prefix, read a whole object or a byte
range, write, delete.

Credentials and endpoints come from the store's own configuration, never from CleanConfig:
for S3 the standard AWS variables and files (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_PROFILE, AWS_ENDPOINT_URL for an S3-compatible server such as MinIO).

Errors are sorted into three kinds: `StorageError` (the location cannot be used at all: no
such bucket, no credentials, an unknown protocol; a clear sentence, no retry),
`TransientReadError` (a network hiccup: the flow retries with backoff) and the ordinary
FileNotFoundError / PermissionError for one object (that input becomes a reject).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_FILE_URL = "file://"
# Exceptions named so by botocore / aiohttp, matched by name so this module imports neither.
_CREDENTIAL_ERRORS = {"NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError",
                      "NoAuthTokenError", "UnauthorizedSSOTokenError", "SSOTokenLoadError"}
_TRANSIENT_ERRORS = {"BotoCoreError", "ClientError", "HTTPClientError", "ConnectionError",
                     "ClientConnectionError", "ServerDisconnectedError", "ClientPayloadError"}
_PERMANENT = (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)


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


@dataclass(frozen=True)
class ObjectStore:
    """Objects under one prefix of an fsspec filesystem, addressed by keys relative to it."""

    url: str  # as given, without a trailing slash
    fs: Any  # fsspec.AbstractFileSystem
    root: str  # the prefix inside `fs`, without a trailing slash

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

    def exists(self, key: str) -> bool:
        with translate_errors(self.url_of(key), "check"):
            return bool(self.fs.isfile(self.path(key)))

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
