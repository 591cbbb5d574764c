"""Error scales calibrated on the project's own history, leave-one-election-out.

All three scales are standard deviations of one party's error on the log scale, estimated
from *pairwise log-ratio errors*: for parties ``i`` and ``j`` of one area,
``d = log(est_i / est_j) - log(actual_i / actual_j)``. Under the engine's model (i.i.d.
errors per party) ``E[d**2] = 2 * sd**2``, so ``sd = sqrt(mean(d**2) / 2)``. The log-ratio of
two parties is what decides a seat, which is why it is the quantity calibrated.

* **national**: eve-of-election poll average vs the GB result (``seatcast.polls.eve_errors``,
  2010-2024), all pairs of parties with at least :data:`MIN_GB` of the GB vote;
* **regional**: the hindsight projection from the *true GB shares*
  (``seatcast.backtest.hindsight``, 2015-2024, level ``gb``) aggregated to the 12 regions vs
  the actual regional shares, the two parties projected highest in each region;
* **seat**: the hindsight projection from the *true regional shares* (level ``regions``) vs
  the actual seat shares, the two parties projected highest in each seat (the pair that
  decides it), every seat except the Speaker's.

``exclude`` drops one election from every scale (leave-one-election-out), as the backtests
require. The learned model, whose hindsight residuals are in-sample, uses the transition
model's seat and regional residuals (its starting model).
"""

from __future__ import annotations

from functools import cache
from itertools import combinations

import numpy as np
import pandas as pd

from seatcast import parties
from seatcast.data import baseline
from seatcast.elections import TRANSITIONS
from seatcast.rules import SPEAKER
from seatcast.simulate.engine import Scales

MIN_GB = 0.05
PAIRS = TRANSITIONS  # seatcast.elections


def pair_errors(est: np.ndarray, act: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Pairwise log-ratio errors of ``(row, party)`` estimates against actual shares.

    Pairs are parties with ``keep`` True in a row (and positive shares on both sides)."""
    out = []
    for i, j in combinations(range(est.shape[1]), 2):
        ok = keep[:, i] & keep[:, j] & (act[:, i] > 0) & (act[:, j] > 0) & (est[:, i] > 0) & (est[:, j] > 0)
        d = np.log(est[ok, i] / est[ok, j]) - np.log(act[ok, i] / act[ok, j])
        out.append(d)
    return np.concatenate(out) if out else np.zeros(0)


def top_two(est: np.ndarray) -> np.ndarray:
    """``(row, party)`` mask of the two largest estimates in each row."""
    order = np.argsort(-est, axis=1, kind="stable")[:, :2]
    mask = np.zeros(est.shape, bool)
    np.put_along_axis(mask, order, True, axis=1)
    return mask


def _sd(errors: list[np.ndarray]) -> float:
    d = np.concatenate(errors) if errors else np.zeros(0)
    return float(np.sqrt(np.mean(d**2) / 2.0)) if d.size else 0.0


@cache
def national_errors(election_id: str) -> np.ndarray:
    """Pairwise log-ratio errors of the eve-of-election poll average for one election."""
    from seatcast.polls.eve import actual_gb, eve_errors

    err = eve_errors().loc[election_id].dropna()
    act = actual_gb(election_id).reindex(err.index)
    est = (act + err).clip(lower=1e-6)
    keep = (act >= 100 * MIN_GB).to_numpy()[None]
    return pair_errors(est.to_numpy()[None] / 100, act.to_numpy()[None] / 100, keep)


def _aligned(election_id: str, level: str, model: str):
    """Hindsight projection and the actual result on common (seat, party) columns."""
    from seatcast.swing.actual import actual_scenario
    from seatcast.swing.project import project

    proj = project(actual_scenario(election_id, level), PAIRS[election_id], model)
    actual = baseline(election_id)
    cols = sorted(set(proj.parties) | set(actual.parties))
    est = pd.DataFrame(proj.shares, index=proj.baseline.codes, columns=list(proj.parties))
    act = pd.DataFrame(actual.shares, index=actual.codes, columns=list(actual.parties))
    est = est.reindex(index=actual.codes, columns=cols, fill_value=0.0)
    return est, act.reindex(columns=cols, fill_value=0.0), actual


@cache
def regional_errors(election_id: str, model: str) -> np.ndarray:
    """Pairwise log-ratio errors of region totals, hindsight from true GB shares."""
    est, act, actual = _aligned(election_id, "gb", model)
    w = actual.weights
    region = actual.seats["region"].to_numpy()
    names = sorted(set(region))
    agg = [(w[region == r] @ est.to_numpy()[region == r], w[region == r] @ act.to_numpy()[region == r])
           for r in names]
    e = np.array([a / a.sum() for a, _ in agg])
    a = np.array([b / b.sum() for _, b in agg])
    return pair_errors(e, a, top_two(e))


@cache
def seat_errors(election_id: str, model: str) -> np.ndarray:
    """Pairwise log-ratio errors of seat shares, hindsight from true regional shares."""
    est, act, actual = _aligned(election_id, "regions", model)
    speaker = actual.winners == SPEAKER
    e, a = est.to_numpy()[~speaker], act.to_numpy()[~speaker]
    return pair_errors(e, a, top_two(e))


def _residual_model(model: str) -> str:
    return "tm" if model == "learned" else model


@cache
def fit_scales(model: str = "uns", exclude: str | None = None) -> Scales:
    """National, regional and seat scales from every election except ``exclude``."""
    from seatcast.polls.eve import EVE_ELECTIONS

    m = _residual_model(model)
    nat = [national_errors(e) for e in EVE_ELECTIONS if e != exclude]
    reg = [regional_errors(e, m) for e in PAIRS if e != exclude]
    seat = [seat_errors(e, m) for e in PAIRS if e != exclude]
    return Scales(national=_sd(nat), regional=_sd(reg), seat=_sd(seat))


def scale_table(models=("uns", "prop", "tm", "stm")) -> pd.DataFrame:
    """Scales per model and left-out election (``None``: all elections), for the docs."""
    rows = []
    for m in models:
        for ex in (None, *PAIRS):
            rows.append({"model": m, "excluded": ex or "none", **fit_scales(m, ex).as_dict()})
    return pd.DataFrame(rows)


def gb_parties(codes) -> list[str]:
    """Parties of ``codes`` standing in Great Britain."""
    return [c for c in codes if set(parties.REGISTRY[c].nations) & set(parties.GB)]
