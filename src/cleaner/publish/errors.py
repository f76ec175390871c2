"""Why a dataset cannot be published: PublishError, OutputLocked, and one sentence for a refused write."""

from __future__ import annotations

import errno
from pathlib import Path


class PublishError(RuntimeError):
    """The dataset cannot be published (counts do not add up, unsafe output folder)."""


class OutputLocked(PublishError):
    """Another run holds the output folder's lock."""


def publish_error(target: Path, exc: OSError) -> PublishError:
    """One sentence for an output the system refuses to write: the path and the cause."""
    folder = Path(exc.filename).parent if exc.filename else target.parent
    causes = {
        errno.EROFS: f"{folder} is on a read-only file system",
        errno.EACCES: f"no permission to write in {folder}",
        errno.EPERM: f"no permission to write in {folder}",
        errno.ENOSPC: f"no space left on the device that holds {target.parent}",
        errno.EDQUOT: f"the disk quota for {target.parent} is used up",
        errno.EBUSY: "it is busy (a mount point?), which a dataset cannot be renamed onto; use a folder inside it",
    }
    known = causes.get(exc.errno) if exc.errno is not None else None
    cause = known or f"{exc.strerror or exc} ({exc.filename or target})"
    return PublishError(f"cannot publish to {target}: {cause}")
