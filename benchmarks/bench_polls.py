"""Poll aggregation timings (not collected by pytest). Run: .venv/bin/python benchmarks/bench_polls.py

Target (issue 3): fitting every poll of the 2015 cycle (~2,000 polls) in at most 2 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from seatcast.polls import aggregate, eve, load, read_csv


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    t = time.perf_counter()
    polls = load()
    print(f"load() bundled national polls, first call: {time.perf_counter() - t:.3f} s ({len(polls)} polls)")
    for as_of in ("2010-05-06", "2015-05-07", "2017-06-08", "2019-12-12", "2024-07-04", "latest"):
        sec, avg = timed(lambda a=as_of: aggregate(polls, as_of=a))
        print(f"aggregate as_of={as_of:<10}: {sec:.3f} s median of 5 "
              f"({len(avg.polls)} polls, {len(avg.daily)} days, {len(avg.parties)} parties, "
              f"{len(avg.house_effects)} pollsters)")
    t = time.perf_counter()
    eve.eve_errors()
    print(f"eve_errors(), 5 elections, cold: {time.perf_counter() - t:.3f} s")
    sec, _ = timed(eve.eve_errors)
    print(f"eve_errors(), cached: {sec * 1e3:.3f} ms")
    cycle = polls[polls["cycle"].dt.year == 2015]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.csv"
        cycle[["poll_id", "pollster", "fieldwork_start", "fieldwork_end", "con", "lab", "ld", "ukip",
               "green"]].to_csv(path, index=False, date_format="%Y-%m-%d")
        sec, got = timed(lambda: read_csv(path), repeat=3)
        print(f"read_csv, {len(got)} rows (2015 cycle): {sec:.3f} s")
    exe = Path(sys.executable).with_name("seatcast")
    sec, _ = timed(lambda: subprocess.run([exe, "polls", "--as-of", "2015-05-07", "--json"], check=True,
                                          capture_output=True), repeat=3)
    print(f"whole process `seatcast polls --as-of 2015-05-07 --json`: {sec:.2f} s median of 3")


if __name__ == "__main__":
    main()
