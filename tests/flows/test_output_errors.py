"""`cleaner run` when the system refuses to write the output: a read-only folder, a read-only
mount point, a full disk. Each happens for real, in a private mount namespace (`unshare -rm`:
no root needed, no mount outlives the child), and must end in one `cleaner:` sentence that
names the path and the cause, exit status 1, no traceback, the previous dataset intact and no
staging folder left."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.config import CleanConfig

pytestmark = [pytest.mark.flow, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CLEANER = Path(sys.executable).with_name("cleaner")
UNSHARE = shutil.which("unshare")

# name: (shell lines run in the namespace before `cleaner run`, --out-dir under $B, the cause the
# sentence must name). $B is the case's folder, $PREV a published dataset, $ROOM the tmpfs size.
CASES = {
    "read_only_folder": (
        'cp -a "$PREV" "$B/ro/clean" && mount --bind "$B/ro" "$B/ro" && mount -o remount,bind,ro "$B/ro"',
        "ro/clean", "{B}/ro is on a read-only file system"),
    "read_only_mount_point": (
        'mount -t tmpfs -o size=1m tmpfs "$B/point" && cp -a "$PREV/." "$B/point/" && mount -o remount,ro "$B/point"',
        "point", "it is a mount point"),
    "disk_full": (
        'mount -t tmpfs -o size=$ROOM tmpfs "$B/full" && cp -a "$PREV" "$B/full/clean"',
        "full/clean", "no space left on the device that holds {B}/full"),
}
# After the run, still in the namespace (a tmpfs dies with it): the output's files and the
# names beside it, for the checks below.
AFTER = '(cd "$OUT" && sha256sum -- * | sort) > "$B/after.digest"; ls -A "$(dirname "$OUT")" > "$B/after.beside"'


def namespaces_work(folder: Path) -> bool:
    if UNSHARE is None:
        return False
    probe = subprocess.run([UNSHARE, "-rm", "mount", "-t", "tmpfs", "tmpfs", str(folder)], capture_output=True)
    return probe.returncode == 0


def digest(folder: Path) -> str:
    done = subprocess.run("sha256sum -- * | sort", shell=True, cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def previous(tmp_path_factory, prefect_harness):
    """A dataset published from two seeds, and the API URL of the session's Prefect server."""
    from prefect.settings import PREFECT_API_URL

    from cleaner.run import run

    base = tmp_path_factory.mktemp("output-errors")
    if not namespaces_work(base):
        pytest.skip("no private mount namespaces here (unshare -rm)")
    raw = base / "raw"
    raw.mkdir()
    for seed in sorted((ROOT / "raw").glob("00*.txt"))[:2]:
        shutil.copy(seed, raw)
    run(CleanConfig(raw_dir=str(raw), out_dir=str(base / "clean"), entities=False, keywords=0))
    return {"dataset": base / "clean", "api": PREFECT_API_URL.value()}


@pytest.mark.parametrize("case", CASES)
def test_an_output_that_cannot_be_written_ends_in_one_sentence(previous, tmp_path, case):
    setup, out_name, cause = CASES[case]
    for name in ("ro", "point", "full"):
        (tmp_path / name).mkdir()
    room = sum(-(-p.stat().st_size // 4096) * 4096 for p in previous["dataset"].iterdir()) + 64 * 1024
    out = tmp_path / out_name
    command = (f'set -e; {setup}; set +e; "$CLEANER" run --raw-dir "$RAW" --out-dir "$OUT" --no-entities '
               f'--keywords 0; code=$?; {AFTER}; exit $code')
    env = {"B": str(tmp_path), "PREV": str(previous["dataset"]), "ROOM": f"{room // 1024}k", "OUT": str(out),
           "CLEANER": str(CLEANER), "RAW": str(ROOT / "raw"), "PREFECT_API_URL": previous["api"]}
    done = subprocess.run([UNSHARE, "-rm", "sh", "-c", command], env={**os.environ, **env},
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    output = done.stdout
    last = output.strip().splitlines()[-1]
    assert done.returncode == 1, output[-3000:]
    assert last.startswith(f"cleaner: cannot publish to {out}: {cause.format(B=tmp_path)}"), output[-3000:]
    assert output.count("cleaner:") == 1 and "Traceback" not in output, output[-3000:]
    assert (tmp_path / "after.digest").read_text() == digest(previous["dataset"])  # the previous dataset, intact
    beside = (tmp_path / "after.beside").read_text().split()
    assert not [name for name in beside if "staging" in name], beside
