"""A dataset into a local folder: a staging folder beside it, then one atomic exchange (renameat2), or two renames."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from cleaner.discover import Inventory
from cleaner.publish import dataset
from cleaner.publish.errors import PublishError, publish_error
from cleaner.publish.manifest import MANIFEST
from cleaner.record import Article, Reject

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def publish_folder(
    target: Path, articles: Iterable[Article], copies: Mapping[str, Sequence[str]], rejects: list[Reject],
    inventory: Inventory, config: dict, run_id: str, site_registry: bytes,
) -> dict:
    """Write the dataset into `.NAME.staging-<run id>` beside `target`, check it, swap it in whole.

    A reader sees the old dataset or the new one, never a mix; a run killed before the swap
    leaves the old one (and a staging folder the next run removes).
    """
    target = output_folder(target)
    restore_interrupted(target)
    check_target(target)
    staging = target.parent / f".{target.name}.staging-{run_id}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target)  # a run killed before its swap leaves its staging folder behind
        staging.mkdir()
        stats = dataset.write_dataset(staging, articles, copies, rejects, inventory, config, run_id, site_registry)
        _fsync_tree(staging)
        swap_in(staging, target)
    except OSError as exc:
        raise publish_error(target, exc) from exc
    finally:
        # Before a swap it holds the new files, after an exchange the previous dataset.
        shutil.rmtree(staging, ignore_errors=True)
    return stats


def output_folder(target: Path) -> Path:
    """The output folder as an absolute path with '.' and '..' worked out (a symlink is not
    followed: check_target refuses one). '--out-dir .' names the folder by its own name, so its
    lock and staging folder go beside it, not inside the dataset; and '.' and its absolute path
    take one lock."""
    return Path(os.path.abspath(target))


# What a file manager writes into any folder it shows (not the user's work: replaced with the folder).
OS_METADATA = frozenset({".DS_Store", "._.DS_Store", "Thumbs.db", "desktop.ini", ".directory", ".localized"})


def restore_interrupted(target: Path) -> None:
    """Put back the last dataset a run killed between swap_in's two renames left aside.

    Without an atomic exchange the old dataset is renamed to `.NAME.old-<run id>` before the new
    one takes its name; killed in between, no `target` is left and the old dataset is only
    there. Otherwise the next run would remove it as a leftover before writing its own, and,
    if that run failed too, leave no dataset at all. Called with the output lock held."""
    if os.path.lexists(target) or not target.parent.is_dir():
        return
    aside = [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.old-") and p.is_dir()]
    if len(aside) == 1:
        os.rename(aside[0], target)


def check_target(target: Path) -> None:
    """Only an empty folder or an earlier dataset may be replaced: its manifest is cleaner's (it
    names the run and the files) and the folder holds nothing else. A web app's manifest.json,
    or a file of the user's put inside a dataset, would be deleted with the folder."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise PublishError(f"output {target} exists and is not a folder")
    if not target.is_dir() or not any(target.iterdir()):
        return
    refuse = (f"output folder {target} {{}}: publishing would replace it and delete what it holds; "
              "choose an empty or new folder")
    if not (target / MANIFEST).is_file():
        raise PublishError(refuse.format("holds files but no manifest.json: it is not a cleaner dataset"))
    try:
        manifest = json.loads((target / MANIFEST).read_bytes())
    except (OSError, ValueError) as exc:
        raise PublishError(refuse.format(f"holds a manifest.json that cannot be read ({exc})")) from exc
    if not (isinstance(manifest, dict) and {"schema_version", "run_id"} <= manifest.keys()
            and isinstance(manifest.get("files"), dict)):
        raise PublishError(refuse.format("holds a manifest.json that is not a cleaner dataset's"))
    others = sorted(p.name for p in target.iterdir()
                    if p.name != MANIFEST and p.name not in manifest["files"] and p.name not in OS_METADATA)
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise PublishError(refuse.format(f"holds files that are not its dataset's: {shown}"))


def check_writable(target: Path) -> None:
    """Refuse, before a run cleans anything, an output it could not swap a dataset into."""
    check_target(target)
    if os.path.ismount(target):
        raise PublishError(f"cannot publish to {target}: it is a mount point, which a dataset cannot be renamed "
                           f"onto; use a folder inside it (--out-dir {target / 'clean'})")
    # os.access, not a test write, inside the published folder: a reader must never see a stray file there.
    if target.is_dir() and not os.access(target, os.W_OK):
        raise PublishError(f"cannot publish to {target}: the folder is read-only")
    try:  # the staging folder is made beside it: try that now, not after the whole run
        os.rmdir(tempfile.mkdtemp(prefix=f".{target.name}.staging-probe-", dir=target.parent))
    except OSError as exc:
        raise publish_error(target, exc) from exc


def swap_in(staging: Path, target: Path) -> None:
    """Make `staging` the folder at `target` in one step; the old dataset is deleted after."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        # Now holds the previous dataset; what cannot be deleted now, the next run deletes.
        shutil.rmtree(staging, ignore_errors=True)
        return
    # No atomic exchange here (not Linux, or a filesystem without it): two renames, with a
    # moment in between where the folder is absent (never half-written).
    old = target.parent / f".{target.name}.old-{staging.name.rsplit('-', 1)[-1]}"
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)  # the previous dataset goes back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, f"could not swap {a} into {b}: {os.strerror(err)}")


def _remove_leftovers(target: Path) -> None:
    """Remove what killed runs left beside `target` (matched by prefix, not glob: a folder
    named 'clean[1]' must not take 'clean1''s staging folders for its own)."""
    prefixes = (f".{target.name}.staging-", f".{target.name}.old-")
    for leftover in target.parent.iterdir():
        if leftover.name.startswith(prefixes):
            shutil.rmtree(leftover, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
