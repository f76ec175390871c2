"""The output lock: one run at a time publishes to a folder (an flock held for the whole run)."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from cleaner import storage
from cleaner.publish.errors import OutputLocked, publish_error
from cleaner.publish.swap import check_writable, output_folder, restore_interrupted


@contextmanager
def output_lock(out_dir: Path | str, wait_seconds: float) -> Iterator[Path | None]:
    """Hold `.NAME.lock` beside the output folder for a whole run, so two runs never interleave.

    An flock is released by the kernel when its process dies, so a killed run never leaves a
    stale lock behind. A second run waits up to `wait_seconds`, then raises OutputLocked
    naming the holder. An output that could not be published (a mount point, a read-only
    folder) raises PublishError here, before any article is cleaned.

    Object stores have no flock: there this holds nothing (yields None) and runs must not
    overlap; a publish still commits atomically (one manifest PUT), so overlapping runs each
    leave a complete dataset and the last to commit wins.
    """
    location = storage.open_location(out_dir)
    if not isinstance(location, storage.Folder):  # flock needs a local file
        yield None
        return
    target = output_folder(location.root)
    path = target.parent / f".{target.name}.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")
    except OSError as exc:
        raise publish_error(target, exc) from exc
    held = False
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise OutputLocked(
                        f"another run is publishing to {target} ({holder}); waited {wait_seconds:g} s. "
                        "Try again when it has finished, or raise lock_wait_seconds."
                    ) from None
                time.sleep(0.5)
        held = True
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}")
        handle.flush()
        restore_interrupted(target)
        check_writable(target)
        yield path
    finally:
        if held:  # leave the file empty: nobody holds it (a killed run leaves its line, harmlessly)
            handle.seek(0)
            handle.truncate()
        handle.close()  # releases the lock
