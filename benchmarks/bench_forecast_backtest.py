"""Wall time of `seatcast forecast` (default draws) and `seatcast backtest --all`, as whole processes.

Run: .venv/bin/python benchmarks/bench_forecast_backtest.py [--repeat N]
Prints, per command, wall seconds of each run, the CPU seconds of the child process and the load
average before it (the machine is shared; an idle machine has a load average near 0).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEATCAST = str(Path(sys.executable).with_name("seatcast"))


def run(args) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([SEATCAST, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "seatcast forecast (default draws, report written)": ["forecast", "--out", tmp],
            "seatcast backtest --all --model tm": ["backtest", "--all", "--model", "tm"],
            "seatcast backtest --all (every model)": ["backtest", "--all"],
        }
        for label, args in commands.items():
            for _ in range(repeat):
                load = os.getloadavg()[0]
                wall, cpu = run(args)
                print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU, load average before {load:.2f}")


if __name__ == "__main__":
    n = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 2
    main(n)
