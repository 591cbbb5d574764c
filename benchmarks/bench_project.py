"""Time one deterministic projection, in process and as a whole `seatcast project` process.

Run: .venv/bin/python benchmarks/bench_project.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from seatcast.swing import project, scenario

SEATCAST = str(Path(sys.executable).with_name("seatcast"))
ARGS = ["project", "--con", "43", "--lab", "36", "--ld", "12", "--brexit", "3", "--green", "2",
        "--baseline", "2017", "--model", "stm", "--json"]


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    scen = scenario({"con": 43, "lab": 36, "ld": 12, "brexit": 3, "green": 2})
    project(scen, "2017", "stm")  # warm the caches
    for model in ("uns", "prop", "tm", "stm"):
        t = median_time(lambda m=model: project(scen, "2017", m), 20)
        print(f"in-process project(2017, {model}): median {1000 * t:.1f} ms")
    t = median_time(lambda: subprocess.run([SEATCAST, *ARGS], check=True, capture_output=True), 7)
    print(f"whole process `seatcast {' '.join(ARGS)}`: median {t:.2f} s")


if __name__ == "__main__":
    main()
