"""Ablation of calibration rules with two parameters chosen leave-one-election-out (none is the default
model; seatcast.simulate.calibration keeps one seat sharpness chosen by calibration error).

Run: .venv/bin/python benchmarks/calibration_national_width.py   (about 2 CPU minutes on an idle machine)

For each held-out election ``H`` (model ``tm``), every other election ``e`` is forecast on the eve of
polling day (4,000 draws, seed 1) with scales measured without both ``H`` and ``e``, the seat scale times
``s``, the national scale times ``k`` and the regional scale times ``r``. The rules:

* **now**: ``s`` with the lowest calibration error (``tuning.calibration_error``), ``k = r = 1``;
* **Brier + national width**: ``s`` with the lowest mean Brier score at ``k = 1``, then ``k`` the smallest
  factor whose 90% intervals hold at least 90% of the other elections' GB party totals;
* **seat + regional by calibration error**: ``(s, r)`` jointly, lowest calibration error;
* **seat by the goal's own criterion**: ``s`` with the smallest largest gap between forecast and observed
  win rates over the probability bins holding at least 150 of the other three elections' forecasts (the
  goal's 200 forecasts over four elections, pro rata), ``k = r = 1``.

Ties go to the larger factors. ``H`` is then forecast as ``seatcast backtest`` does (20,000 draws, default
seed) with its own parameters, and the four held-out forecasts are scored together: GB party totals held
by their 90% interval, the largest reliability gap over probability bins with at least 200 forecasts, SAE.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from seatcast.backtest import forecast_backtest as fb
from seatcast.backtest.forecast_backtest import largest_gap, reliability_table
from seatcast.backtest.tuning import calibration_error
from seatcast.data import election
from seatcast.simulate.calibration import base_scales
from seatcast.simulate.engine import Scales
from seatcast.simulate.forecast import forecast

SEAT = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)
NATIONAL = (1.0, 1.25, 1.5, 1.75, 2.0)
REGIONAL = (0.6, 0.7, 0.8, 0.9, 1.0)
MODEL = "tm"


@cache
def run(e: str, excluded: tuple, s: float, k: float = 1.0, r: float = 1.0, held_out: bool = False):
    """(backtest score, (p, y) outcomes) of ``e``, scales measured without ``excluded``."""
    b = base_scales(MODEL, excluded)
    draws, seed = (fb.BACKTEST_DRAWS, fb.DEFAULT_SEED) if held_out else (4000, 1)
    fc = forecast(fb.eve_scenario(e), as_of=election(e).date.isoformat(), baseline=fb.BACKTESTS[e],
                  model=fb.model_for(MODEL, e), draws=draws, seed=seed,
                  scales=Scales(b.national * k, b.regional * r, b.seat * s))
    return fb.score(fc, e, MODEL), fb.probability_outcomes(fc, e)


def _others(held: str, **params) -> list:
    return [run(e, (held, e), **params) for e in fb.BACKTESTS if e != held]


def _error(held: str, **params) -> float:
    outs = [o for _, o in _others(held, **params)]
    p, y = (np.concatenate(a) for a in zip(*outs, strict=True))
    return round(calibration_error(p, y), 4)


def _gap(held: str, **params) -> float:
    outs = [o for _, o in _others(held, **params)]
    return round(largest_gap(reliability_table(outs), min_n=50 * len(outs)), 4)


def rule_goal_gap(held: str) -> dict:
    return {"s": min(sorted(SEAT, reverse=True), key=lambda s: _gap(held, s=s))}


def rule_now(held: str) -> dict:
    return {"s": min(sorted(SEAT, reverse=True), key=lambda s: _error(held, s=s))}


def rule_brier_national(held: str) -> dict:
    brier = {s: round(float(np.mean([r.brier for r, _ in _others(held, s=s)])), 5) for s in SEAT}
    s = min(sorted(SEAT, reverse=True), key=brier.get)
    for k in NATIONAL:
        if np.mean([v for r, _ in _others(held, s=s, k=k) for v in r.covered90.values()]) >= 0.9:
            return {"s": s, "k": k}
    return {"s": s, "k": NATIONAL[-1]}


def rule_seat_regional(held: str) -> dict:
    grid = [(s, r) for s in sorted(SEAT, reverse=True) for r in sorted(REGIONAL, reverse=True)]
    s, r = min(grid, key=lambda sr: _error(held, s=sr[0], r=sr[1]))
    return {"s": s, "r": r}


def evaluate(rule) -> str:
    chosen = {h: rule(h) for h in fb.BACKTESTS}
    runs = [run(h, (h,), **chosen[h], held_out=True) for h in fb.BACKTESTS]
    cov = [v for r, _ in runs for v in r.covered90.values()]
    gap = 100 * largest_gap(fb.reliability_table([o for _, o in runs]))
    return (f"{sum(cov)} of {len(cov)} | {gap:.1f} | {' / '.join(str(r.sae) for r, _ in runs)} | "
            + "; ".join(f"{h}: {c}" for h, c in chosen.items()))


def main() -> None:
    print("| rule | 90% intervals holding the total | largest gap (points) | SAE 2015/17/19/24 | chosen |")
    print("|---|---|---|---|---|")
    for label, rule in (("now", rule_now), ("Brier + national width", rule_brier_national),
                        ("seat + regional by calibration error", rule_seat_regional),
                        ("seat by the goal's own criterion", rule_goal_gap)):
        print(f"| {label} | {evaluate(rule)} |")


if __name__ == "__main__":
    main()
