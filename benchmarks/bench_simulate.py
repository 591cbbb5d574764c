"""Benchmark of the Monte Carlo engine (not collected by pytest).

    .venv/bin/python benchmarks/bench_simulate.py [draws]

Times ``simulate_counts`` for ``draws`` (default 100,000) simulated elections on the 2024
baseline with the latest poll average and calibrated scales, reports peak resident memory,
and the bare cost of drawing as many standard normals as there are (draw, seat, party)
cells with ``rng.standard_normal`` (float32 and float64): the physical floor of a naive engine.
"""

from __future__ import annotations

import os
import resource
import sys
import time

import numpy as np

from seatcast.polls.scenario import scenario_from_polls
from seatcast.simulate.calibration import fit_scales
from seatcast.simulate.engine import simulate_counts
from seatcast.simulate.forecast import DEFAULT_INNER
from seatcast.swing.project import prepare_projection


def best_of(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(draws: int = 100_000) -> None:
    prep = prepare_projection(scenario_from_polls("latest"), "2024", "uns")
    scales = fit_scales("uns")
    n_seat, n_party = prep.shares.shape
    engine = best_of(lambda: simulate_counts(prep, draws, np.random.default_rng(1), scales, DEFAULT_INNER))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cells = draws * n_seat * n_party
    rng = np.random.default_rng(2)
    chunk = 10_000_000

    def normals(dtype):
        for start in range(0, cells, chunk):
            rng.standard_normal(min(chunk, cells - start), dtype=dtype)

    f32 = best_of(lambda: normals(np.float32), 1)
    f64 = best_of(lambda: normals(np.float64), 1)
    print(f"engine: {draws:,} draws x {n_seat} seats x {n_party} parties, inner={DEFAULT_INNER}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"  simulate_counts          {engine:6.2f} s   peak RSS {rss:,.0f} MiB")
    print(f"  standard_normal float32  {f32:6.2f} s   ({cells:,} numbers)  ratio {engine / f32:.2f}")
    print(f"  standard_normal float64  {f64:6.2f} s   ratio {engine / f64:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
