"""Whole-process start-up times of the command line (goals: --help <= 0.3 s, project --json <= 0.4 s).

Run from the repository root on an idle machine: .venv/bin/python benchmarks/bench_startup.py [-n 11]
Prints the median and the minimum wall time of each command over ``n`` runs, the machine's load average
before and after (the figures are only comparable on an idle machine), and the share of ``project``'s
time spent importing modules (``python -X importtime``). One untimed ``project`` run first builds the
array cache (``seatcast._cache``) if this version has not built it yet. The last lines are the rows of
docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "seatcast"
PROJECT = ["project", "--con", "43", "--lab", "36", "--ld", "12", "--brexit", "3", "--green", "2",
           "--baseline", "2017", "--model", "stm", "--json"]
COMMANDS = {"seatcast --help": ["--help"], "seatcast --version": ["--version"],
            "seatcast project ... --json": PROJECT}


def wall(args: list[str], n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([str(BIN), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return times


def import_seconds(args: list[str]) -> float:
    """Total cumulative import time of the top-level imports of one run (``-X importtime``)."""
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "seatcast.cli", *args],
                         capture_output=True, text=True, check=True)
    total = 0
    for line in res.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if not name.startswith("  ") and cumulative.strip().isdigit():
                total += int(cumulative)
    return total / 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=11)
    n = ap.parse_args().n
    before = os.getloadavg()[0]
    print(f"load average before: {before:.2f}")
    print("| command | median | min |")
    print("|---|---|---|")
    wall(PROJECT, 1)  # untimed: builds the array cache on a first run (seatcast._cache)
    medians, mins = {}, {}
    for label, args in COMMANDS.items():
        t = wall(args, n)
        medians[label], mins[label] = statistics.median(t), min(t)
        print(f"| `{label}` | {statistics.median(t):.2f} s | {min(t):.2f} s |")
    imp = statistics.median(import_seconds(PROJECT) for _ in range(3))
    share = imp / medians["seatcast project ... --json"]
    print(f"\nimports in `seatcast project ... --json`: {imp:.2f} s ({share:.0%} of the median wall time)")
    after = os.getloadavg()[0]
    print(f"load average after: {after:.2f}")
    print(f"\nrows for docs/performance.md (load average {before:.1f} -> {after:.1f}):")
    cmd = f"`.venv/bin/python benchmarks/bench_startup.py -n {n}`"
    help_, version, proj = (medians[k] for k in COMMANDS)
    print(f"| `seatcast --help`, median of {n} | {cmd} | {help_:.2f} s (min {mins['seatcast --help']:.2f} s) "
          "| <= 0.3 s |")
    print(f"| `seatcast --version`, median of {n} | same | {version:.2f} s | |")
    print(f"| `seatcast project ... --json`, median of {n} | same | {proj:.2f} s (imports {imp:.2f} s of it) "
          "| <= 0.4 s |")


if __name__ == "__main__":
    main()
