"""Time the learned swing model: first fit (training from the bundled data), cached fit, and a
1,000-draw predict.

Run: .venv/bin/python benchmarks/bench_learned.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from seatcast.swing import learned, project, scenario
from seatcast.swing.project import prepare_projection

SCEN = scenario({"con": 24, "lab": 34, "ld": 12, "reform": 15, "green": 7})


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    first = timed(lambda: project(SCEN, "2024", "learned"))
    cached = statistics.median(timed(lambda: project(SCEN, "2024", "learned")) for _ in range(10))
    prep = prepare_projection(SCEN, "2024", "learned")
    draws = np.repeat(prep.model.expand(prep.targets.new)[None], 1000, axis=0)
    pred = statistics.median(timed(lambda: prep.model.predict(draws)) for _ in range(3))
    learned._coefficients.cache_clear()
    learned._transition.cache_clear()
    retrain = timed(lambda: project(SCEN, "2024", "learned"))
    print(f"first project (imports + training): {first:.2f} s")
    print(f"retrain from cleared cache:          {retrain:.2f} s")
    print(f"project with cached coefficients:    {1000 * cached:.0f} ms")
    print(f"predict 1000 draws (draw, seat, party): {pred:.2f} s")


if __name__ == "__main__":
    main()
