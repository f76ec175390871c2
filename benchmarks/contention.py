"""Does the machine give each process less CPU work per CPU-second as more processes run?

    python benchmarks/contention.py --procs 1,2,4,8,16 [--seconds-of-work 3]

Standard library only, so it runs on any lent machine without our stack. Each of N processes
does the same fixed, independent work (a pure-Python loop over a text: splitting, lower-casing,
hashing 4-shingles and a regex, the kinds of work the cleaner does per article), sharing
nothing: no memory, no files, no locks. If the CPU time per unit of work grows with N, what
makes the cleaner's articles cost more CPU at 16 workers (docs/performance.md, "The worker
curve on 16 cores") is the machine (hyperthread siblings, a shared turbo budget, the sandbox),
not contention in our code. Prints one row per N: wall, the CPU time each process used for its
work (mean and max), and that cost relative to one process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from multiprocessing import get_context

_WORD = re.compile(r"\w+")
_TEXT = (
    "The council voted on Tuesday evening to approve the new budget for the bridge over the river, "
    "after a long debate about the market square and the schools. The mayor said the plan would "
    "cost less than last year's, and residents who spoke at the meeting asked for more details. "
) * 40


def unit() -> int:
    """One unit of work: tokenise, shingle and hash a 4,000-word text, as a cleaner stage does."""
    words = [w.lower() for w in _WORD.findall(_TEXT)]
    shingles = {hash(" ".join(words[i:i + 4])) for i in range(len(words) - 3)}
    return len(shingles) + sum(len(line.split()) for line in _TEXT.split(". "))


def worker(units: int) -> tuple[float, float]:
    """Do `units` units; return (CPU seconds, wall seconds) of this process for them."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(units):
        unit()
    return time.process_time() - cpu, time.perf_counter() - wall


def calibrate(seconds: float) -> int:
    """How many units take about `seconds` of CPU on one idle process."""
    start = time.process_time()
    n = 0
    while time.process_time() - start < 0.5:
        unit()
        n += 1
    return max(1, int(n * seconds / 0.5))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--procs", default="1,2,4,8,16", help="process counts, comma-separated")
    p.add_argument("--seconds-of-work", type=float, default=3.0, help="CPU seconds of work per process at 1 process")
    p.add_argument("--json", default=None)
    args = p.parse_args()
    units = calibrate(args.seconds_of_work)
    ctx = get_context("spawn")
    rows = []
    base = None
    print(f"{os.cpu_count()} CPUs; {units} units of work per process; python {sys.version.split()[0]}")
    print(f"{'procs':>5} {'wall s':>7} {'CPU/proc mean':>14} {'max':>6} {'CPU per unit vs 1':>18}")
    for n in (int(x) for x in args.procs.split(",")):
        with ctx.Pool(n) as pool:
            pool.map(worker, [1] * n)  # start every process before timing
            wall = time.perf_counter()
            results = pool.map(worker, [units] * n)
            wall = time.perf_counter() - wall
        cpus = [cpu for cpu, _ in results]
        mean = sum(cpus) / n
        base = base or mean
        rows.append({"procs": n, "wall_s": round(wall, 2), "cpu_mean_s": round(mean, 3),
                     "cpu_max_s": round(max(cpus), 3), "relative_cost": round(mean / base, 3)})
        print(f"{n:>5} {wall:>7.2f} {mean:>14.2f} {max(cpus):>6.2f} {mean / base:>17.2f}x", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"cpus": os.cpu_count(), "units": units, "rows": rows}, handle, indent=1)


if __name__ == "__main__":
    main()
