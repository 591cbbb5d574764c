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
require.

**Sharpness.** The seat scale measured this way made the backtests' seat probabilities
under-confident (calls of 55-85% won 63-93% of the time: the seat residuals of a deterministic
projection include what the regional and national levels already draw). So it is multiplied by a
factor chosen leave-one-election-out (:data:`SHARPNESS`); the regional scale is used as measured,
because it is what makes seat *totals* move together, and shrinking it (as an earlier version did,
with the same factor) narrowed the 90% intervals of the totals below their nominal coverage. For
a held-out election ``E``, the factor of
:data:`SHARPNESS_GRID` with the lowest calibration error of the seat win probabilities
(the gap between forecast and observed win rates, averaged over probability bins) in the
eve-of-election backtests of the *other* elections, each run with scales fitted without both
``E`` and itself. Choosing runs forecast backtests, so it lives above this package, in
:func:`seatcast.backtest.tuning.choose_sharpness` (``benchmarks/calibrate_sharpness.py`` regenerates
the table; ``tests/test_tuning.py`` recomputes one entry); this module keeps the chosen values.

The learned model, whose hindsight residuals are in-sample, uses the transition model's seat and
regional residuals (its starting model).
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
SHARPNESS_GRID = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9, 1.0)
#: Seat-scale factor per model and held-out election (``None``: none held out), chosen by
#: :func:`seatcast.backtest.tuning.choose_sharpness` (4,000 draws, seed 1); models not listed use ``tm``'s.
SHARPNESS: dict[str, dict[str | None, float]] = {
    "tm": {None: 0.45, "2015": 0.5, "2017": 0.45, "2019": 0.5, "2024": 0.7},
    "tac": {None: 0.5, "2015": 0.4, "2017": 0.45, "2019": 0.4, "2024": 0.7},
}
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


def _excluded(exclude) -> tuple[str, ...]:
    if exclude is None:
        return ()
    return (str(exclude),) if isinstance(exclude, str | int) else tuple(str(e) for e in exclude)


#: Measured scales (national, regional, seat) per model and single held-out election, as
#: :func:`measure_scales` computes them from the bundled data; stored so a forecast does not refit
#: five poll averages and eight hindsight projections first. Regenerated by
#: ``benchmarks/calibrate_sharpness.py --scales``; ``tests/test_backtest_leakage.py`` checks them.
MEASURED: dict[str, dict[str | None, tuple[float, float, float]]] = {
    "uns": {
        None: (0.1053994136369146, 0.10929066476852357, 0.22875424979690137),
        "2015": (0.10820614778348739, 0.11643591332561144, 0.22517534310253987),
        "2017": (0.10761485418087052, 0.10886951345559787, 0.23995702951164344),
        "2019": (0.1119722171348799, 0.1219019500345236, 0.24819018351437305),
        "2024": (0.09246593865627116, 0.08664767352869791, 0.19869763371195603),
    },
    "prop": {
        None: (0.1053994136369146, 0.11559415880108594, 0.22778017647327167),
        "2015": (0.10820614778348739, 0.130032584520856, 0.23551772256566955),
        "2017": (0.10761485418087052, 0.10474057721526864, 0.23523010218439563),
        "2019": (0.1119722171348799, 0.12951895642889988, 0.2409755367130359),
        "2024": (0.09246593865627116, 0.09377535160547366, 0.1967645118183789),
    },
    "tm": {
        None: (0.1053994136369146, 0.09911388346718007, 0.2162834605728606),
        "2015": (0.10820614778348739, 0.1082728678503653, 0.21282608091928562),
        "2017": (0.10761485418087052, 0.09529901945039575, 0.22682665955745177),
        "2019": (0.1119722171348799, 0.11104205166372144, 0.23175356624447663),
        "2024": (0.09246593865627116, 0.07847925410797973, 0.19152495499953048),
    },
    "stm": {
        None: (0.1053994136369146, 0.10168257038708965, 0.2144904714928514),
        "2015": (0.10820614778348739, 0.11175192237545824, 0.22007385085347558),
        "2017": (0.10761485418087052, 0.0986410191999506, 0.2231186551209229),
        "2019": (0.1119722171348799, 0.11513543705050536, 0.2319916757395245),
        "2024": (0.09246593865627116, 0.07669855796477151, 0.17898137040768186),
    },
    "tac": {
        None: (0.1053994136369146, 0.09797562752595038, 0.21420285964429286),
        "2015": (0.10820614778348739, 0.10688280373057157, 0.20971827632597106),
        "2017": (0.10761485418087052, 0.09385972634001005, 0.22370398763612379),
        "2019": (0.1119722171348799, 0.10968693567869495, 0.22916018173026176),
        "2024": (0.09246593865627116, 0.07830765311196244, 0.1923892578018453),
    },
}
#: Use :data:`MEASURED` when it has the key (tests switch this off to measure afresh).
USE_STORED = True


@cache
def base_scales(model: str = "uns", exclude=None) -> Scales:
    """National, regional and seat scales from every election except ``exclude`` (one id or
    several), before the sharpness factor (:data:`MEASURED` when stored)."""
    out = _excluded(exclude)
    stored = MEASURED.get(_residual_model(model), {})
    key = out[0] if len(out) == 1 else None if not out else ""
    if USE_STORED and key in stored:
        return Scales(*stored[key])
    return measure_scales(model, exclude)


def measure_scales(model: str = "uns", exclude=None) -> Scales:
    """:func:`base_scales` computed from the data (poll averages and hindsight projections)."""
    from seatcast.polls.eve import EVE_ELECTIONS

    m = _residual_model(model)
    out = _excluded(exclude)
    nat = [national_errors(e) for e in EVE_ELECTIONS if e not in out]
    reg = [regional_errors(e, m) for e in PAIRS if e not in out]
    seat = [seat_errors(e, m) for e in PAIRS if e not in out]
    return Scales(national=_sd(nat), regional=_sd(reg), seat=_sd(seat))


def sharpness(model: str, exclude: str | None) -> float:
    """The seat-scale factor for ``model`` with ``exclude`` held out (:data:`SHARPNESS`)."""
    table = SHARPNESS.get(_residual_model(model), SHARPNESS["tm"])
    return table.get(None if exclude is None else str(exclude), table[None])


@cache
def fit_scales(model: str = "uns", exclude: str | None = None) -> Scales:
    """Calibrated scales from every election except ``exclude`` (module docstring)."""
    return sharpened(base_scales(model, exclude), sharpness(model, exclude))


def sharpened(s: Scales, factor: float) -> Scales:
    """``s`` with the seat scale times ``factor`` (the national and regional ones as measured)."""
    return Scales(national=s.national, regional=s.regional, seat=s.seat * factor)


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
