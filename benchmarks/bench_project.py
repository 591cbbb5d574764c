"""Time one deterministic projection, in process and as a whole `seatcast project` process.

Run: .venv/bin/python benchmarks/bench_project.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _timing import median_time

from seatcast.swing import project, scenario

SEATCAST = str(Path(sys.executable).with_name("seatcast"))
ARGS = ["project", "--con", "43", "--lab", "36", "--ld", "12", "--brexit", "3", "--green", "2",
        "--baseline", "2017", "--model", "stm", "--json"]



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
