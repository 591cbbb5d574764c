"""Replaying a past election night: the real declaration order, the eve-of-election prior.

The prior is :func:`seatcast.backtest.forecast_backtest.backtest_forecast` (poll average of
the eve of polling day, error scales fitted without that election); the declared results
are the actual results (:func:`seatcast.data.baseline`) in the order of
:func:`seatcast.data.declaration_times`. Nothing of the result beyond the declared seats
reaches the model at any step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from seatcast import parties
from seatcast.data import baseline, declaration_times
from seatcast.errors import SeatcastError
from seatcast.live.declarations import Declaration
from seatcast.live.model import (
    CALL_AT,
    CENSUS_SD_WITHOUT,
    COVARIATE_SD_WITHOUT,
    DEFAULT_DRAWS,
    DEFAULT_INNER,
    DEFAULT_SEED,
    EXIT_SEATS_SD_WITHOUT,
    OBS_SCALE_WITHOUT,
    RIVAL_SD_WITHOUT,
    ROBUST_NU_WITHOUT,
    SPREAD_WITHOUT,
    LiveModel,
    LiveProjection,
)

REPLAYS = ("2015", "2017", "2019", "2024")
#: The previous election on the same boundaries, whose declaration times stand in for the
#: expected times (PA publishes expected times on the day; they are not bundled). For 2015
#: (no 2010 times) and 2024 (new boundaries) the order of the night itself is used.
PREVIOUS_TIMES = {"2017": "2015", "2019": "2017"}
#: Parties scored (as in the forecast backtests): GB parties, not the Speaker, independents, others.
NOT_SCORED = ("speaker", "ind", "other")


def _check(election: str) -> str:
    key = str(election)
    if key not in REPLAYS:
        raise SeatcastError("election", f"no replay for {key!r}", REPLAYS)
    return key


def actual_declarations(election: str) -> list[Declaration]:
    """The actual results of ``election`` as declarations, in declaration order."""
    key = _check(election)
    act = baseline(key)
    row = {c: i for i, c in enumerate(act.codes)}
    winners = act.winners
    out = []
    for r in declaration_times(key).itertuples():
        i = row[r.ons_code]
        votes = {p: float(v) for p, v in zip(act.parties, act.votes[i], strict=True) if v > 0}
        out.append(Declaration(r.ons_code, r.constituency, str(winners[i]), votes, r.declared_at.isoformat()))
    return out


def expected_times(election: str) -> pd.Series:
    """Expected declaration time of each seat (ons_code -> Timestamp), see :data:`PREVIOUS_TIMES`."""
    key = _check(election)
    src = declaration_times(PREVIOUS_TIMES.get(key, key))
    night = declaration_times(key)["declared_at"].min()
    shift = night - src["declared_at"].min()
    return (src.set_index("ons_code")["declared_at"] + shift).rename("expected")


def eve_prior(election: str, model: str = "tm", seed: int = DEFAULT_SEED):
    """The eve-of-election forecast of ``election`` as a live prior."""
    from seatcast.backtest.forecast_backtest import backtest_forecast
    from seatcast.live.prior import from_forecast

    fc = backtest_forecast(_check(election), model, 1000, seed)
    if fc is None:
        raise SeatcastError("model", f"{model!r} has no eve-of-election forecast for {election}")
    return from_forecast(fc, label=f"eve-of-election forecast {election} ({model})", exclude=_check(election))


def replay_model(election: str, exit_poll=False, draws: int = DEFAULT_DRAWS,
                 inner: int = DEFAULT_INNER, seed: int = DEFAULT_SEED, prior=None,
                 call_at: float = CALL_AT, census_sd: float | None = None) -> LiveModel:
    """A :class:`LiveModel` for ``election`` before its first declaration.

    ``exit_poll``: True for the published one, or an :class:`ExitPoll`; ``census_sd`` the census
    slope's prior sd (default: the choice without ``election``, :data:`CENSUS_SD_WITHOUT`); the
    rival deviations' prior sd is :data:`RIVAL_SD_WITHOUT` (0: none, as the default) and the seats'
    Student-t degrees of freedom :data:`ROBUST_NU_WITHOUT` (0: Gaussian)."""
    from seatcast.live.exit_poll import ExitPoll

    key = _check(election)
    prior = prior or eve_prior(key, seed=seed)
    ep = ExitPoll.published(key) if exit_poll is True else (exit_poll or None)
    return LiveModel(prior, ep, draws, inner, seed, call_at, expected=expected_times(key),
                     covariate_sd=COVARIATE_SD_WITHOUT[key], spread=SPREAD_WITHOUT[key],
                     obs_scale=OBS_SCALE_WITHOUT[key], exit_seats_sd=EXIT_SEATS_SD_WITHOUT[key],
                     census_sd=CENSUS_SD_WITHOUT[key] if census_sd is None else census_sd,
                     rival_sd=RIVAL_SD_WITHOUT[key], robust_nu=ROBUST_NU_WITHOUT[key])


def replay(election: str, exit_poll=False, draws: int = DEFAULT_DRAWS,
           inner: int = DEFAULT_INNER, seed: int = DEFAULT_SEED, speed: float = 0.0,
           limit: int | None = None, prior=None, call_at: float = CALL_AT,
           sleep: Callable[[float], None] = time.sleep) -> Iterator[LiveProjection]:
    """Projections before the first declaration and after each one (``limit``: stop early).

    ``speed`` > 0 paces the replay: that many seconds of the night per second of replay."""
    if speed < 0:
        raise SeatcastError("speed", f"{speed} is negative")
    model = replay_model(election, exit_poll, draws, inner, seed, prior, call_at)
    yield model.project()
    decls = actual_declarations(election)[:limit]
    for prev, decl in zip([None, *decls], decls, strict=False):
        if speed > 0 and prev is not None:
            gap = (pd.Timestamp(decl.declared_at) - pd.Timestamp(prev.declared_at)).total_seconds()
            sleep(max(gap, 0.0) / speed)
        model.declare(decl)
        yield model.project()


def actual_gb_totals(election: str) -> dict[str, int]:
    """Actual GB seat totals of the scored parties."""
    act = baseline(_check(election))
    gb = act.nation_mask(*parties.GB)
    won = pd.Series(act.winners[gb]).value_counts()
    return {p: int(won.get(p, 0)) for p in scored_parties()}


def scored_parties() -> list[str]:
    return [p for p in parties.CODES if p not in NOT_SCORED
            and set(parties.REGISTRY[p].nations) & set(parties.GB)]


def score_step(proj: LiveProjection, actual: dict[str, int]) -> dict:
    """SAE, largest party and 90% coverage of one projection against the actual GB totals."""
    s = proj.summary
    med = {p: int(s.at[p, "median"]) for p in actual}
    covered = [bool(s.at[p, "p05"] <= actual[p] <= s.at[p, "p95"]) for p in actual
               if actual[p] > 0 or s.at[p, "p95"] > 0]
    return {"step": proj.step, "sae": int(sum(abs(med[p] - actual[p]) for p in actual)),
            "largest": max(med, key=med.get), "covered": int(sum(covered)), "points": len(covered),
            **{f"median:{p}": med[p] for p in actual if actual[p] or med[p]},
            **{f"p05:{p}": int(s.at[p, "p05"]) for p in actual if actual[p] or med[p]},
            **{f"p95:{p}": int(s.at[p, "p95"]) for p in actual if actual[p] or med[p]}}


def replay_scores(election: str, **kwargs) -> pd.DataFrame:
    """One row per step of a replay: SAE, largest party, coverage, medians and intervals."""
    actual = actual_gb_totals(election)
    rows = [score_step(p, actual) for p in replay(election, **kwargs)]
    return pd.DataFrame(rows).set_index("step")


def exit_poll_sae(election: str) -> int:
    """SAE of the published exit poll alone over the parties it names."""
    from seatcast.live.exit_poll import EXIT_POLLS

    actual = actual_gb_totals(election)
    return int(sum(abs(v - actual[p]) for p, v in EXIT_POLLS[_check(election)].items()))


def sae_on(proj: LiveProjection, actual: dict[str, int], names) -> int:
    return int(sum(abs(int(proj.summary.at[p, "median"]) - actual[p]) for p in names))


def party_colours(codes) -> list[str]:
    return [parties.REGISTRY[c].colour if c in parties.REGISTRY else "#999999" for c in codes]


def interval_arrays(table: pd.DataFrame, p: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (table[f"median:{p}"].to_numpy(), table[f"p05:{p}"].to_numpy(), table[f"p95:{p}"].to_numpy())
