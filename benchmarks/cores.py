"""The worker curve: one corpus cleaned by `cleaner run --no-prefect` with 1, 2, 4, ... worker
processes (task_runner "auto", `--workers N`), and once with no `--workers` (the default: a process
per core). Each run is a child process; its wall time, CPU seconds (it and its workers) and peak
RSS are measured, and every data file is compared with the first run's: the output must not
depend on the number of workers.

    uv run --frozen python benchmarks/cores.py --corpus /tmp/bench/raw-1000 --workers 1,2 --json out.json

The corpus comes from benchmarks/corpus.py (generated here when the folder is absent)."""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The manifest names the run (its id, time and output folder); every other file is data.
VARIABLE = {"manifest.json"}


def child(cmd: list[str]) -> dict:
    """Run `cmd`; its wall seconds, the CPU seconds of it and its descendants, its largest process's RSS."""
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "cores_busy": round(cpu / wall, 2),
            "peak_rss_mib": round(usage.ru_maxrss / 1024)}


def differing(first: Path, other: Path) -> list[str]:
    """The data files whose bytes differ between two published folders."""
    names = sorted({p.name for p in first.iterdir()} | {p.name for p in other.iterdir()})
    def same(name: str) -> bool:
        a, b = first / name, other / name
        return a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False)

    return [n for n in names if n not in VARIABLE and not same(n)]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, required=True, help="raw folder (generated when absent)")
    p.add_argument("-n", type=int, default=1000, help="documents to generate when the corpus is absent")
    p.add_argument("--workers", default="1,2", help="worker counts, comma-separated; 'default' for none given")
    p.add_argument("--extra", default="", help="more `cleaner run` arguments, e.g. '--no-entities --keywords 0'")
    p.add_argument("--json", type=Path, default=None)
    args = p.parse_args()
    if not args.corpus.exists():
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(args.corpus), "-n", str(args.n)], check=True)
    documents = sum(1 for f in args.corpus.rglob("*") if f.is_file() and not f.name.startswith("."))
    cli = shutil.which("cleaner")
    base = [cli] if cli else [sys.executable, "-c", "from flows.cli import main; main()"]
    work = Path(tempfile.mkdtemp(prefix="cores-"))
    rows, first = [], None
    for spec in args.workers.split(","):
        out = work / f"w{spec}"
        cmd = [*base, "run", "--no-prefect", "--raw-dir", str(args.corpus), "--out-dir", str(out),
               *args.extra.split()] + ([] if spec == "default" else ["--workers", spec])
        row = {"workers": spec, **child(cmd)}
        first = first or out
        row["differs_from_first"] = differing(first, out)
        rows.append(row)
        print(json.dumps(row), flush=True)
    one = next((r for r in rows if r["workers"] == "1"), None)
    for r in rows:
        r["speedup_vs_1"] = round(one["wall_s"] / r["wall_s"], 2) if one else None
    result = {"machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
                          "python": platform.python_version()},
              "corpus": str(args.corpus), "files": documents, "extra": args.extra, "runs": rows}
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
