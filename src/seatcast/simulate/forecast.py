"""The probabilistic forecast: :func:`forecast` -> :class:`Forecast`.

A scenario (by default the poll average) is projected with a swing model and the engine of
:mod:`seatcast.simulate.engine` draws ``draws`` whole elections around it, with error scales
calibrated leave-one-election-out (:mod:`seatcast.simulate.calibration`). The result holds the
seat-count distribution, outcome probabilities, government arithmetic
(:mod:`seatcast.parliament.blocs`), every seat's win probabilities and its inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from seatcast import defaults
from seatcast.data import data_version
from seatcast.elections import check_as_of
from seatcast.errors import SeatcastError
from seatcast.parliament import MAJORITY
from seatcast.parliament import blocs as bloc_math
from seatcast.simulate import kernels
from seatcast.simulate.engine import Scales, simulate_counts
from seatcast.swing.candidates import parse_overrides
from seatcast.swing.models import SwingModel
from seatcast.swing.project import prepare_projection
from seatcast.swing.scenario import Scenario

#: Defaults (model, draws, seed, cap) live in :mod:`seatcast.defaults`.
DEFAULT_MODEL = defaults.MODEL
DEFAULT_DRAWS = defaults.DRAWS
#: Seat-error replicates per national/regional draw (see :mod:`seatcast.simulate.engine`).
DEFAULT_INNER = 20
DEFAULT_SEED = defaults.SEED
STATS = ("median", "mean", "p05", "p95", "p10", "p90")
MAX_DRAWS = defaults.MAX_DRAWS


@dataclass(frozen=True, eq=False)
class Forecast:
    """A seat forecast and the inputs it was made from.

    ``seats``: (draw, party) seat counts; ``win_prob``: seats (ons_code) x parties;
    ``summary``: parties x :data:`STATS`; ``probabilities``: ``majority:<p>``, ``largest:<p>``,
    ``hung``; ``blocs``: name -> :func:`seatcast.parliament.blocs.bloc_outcomes`;
    ``expected_seats``: sum of win probabilities; ``modal_seats``: seats by most likely winner.
    """

    parties: tuple[str, ...]
    seats: np.ndarray = field(repr=False)
    win_prob: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    probabilities: dict[str, float]
    blocs: dict[str, dict]
    expected_seats: dict[str, float]
    modal_seats: dict[str, int]
    seats_meta: pd.DataFrame = field(repr=False)  # constituency, country, region, baseline_winner
    scenario: Scenario
    model: str
    baseline: str
    seed: int
    draws: int
    inner: int
    scales: Scales
    as_of: str | None
    poll_window: tuple[str, str] | None
    notices: tuple[str, ...]
    data_version: str
    #: Per-seat candidate overrides applied in every draw (:mod:`seatcast.swing.candidates`).
    overrides: tuple = ()

    def shown_parties(self) -> list[str]:
        """Parties that win a seat in some draw, by median then mean seats."""
        s = self.summary[self.summary["p95"] > 0]
        return list(s.sort_values(["median", "mean"], ascending=False).index)

    def as_dict(self) -> dict:
        """The JSON form: ``parties``, ``probabilities``, ``blocs``, ``draws``, ``seed`` and inputs."""
        return {
            "parties": {p: {**{k: float(self.summary.at[p, k]) for k in STATS},
                            "expected": round(self.expected_seats[p], 2), "modal": self.modal_seats[p]}
                        for p in self.shown_parties()},
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "blocs": self.blocs, "draws": self.draws, "seed": self.seed, "inner": self.inner,
            "model": self.model, "baseline": self.baseline, "as_of": self.as_of,
            "poll_window": list(self.poll_window) if self.poll_window else None,
            "scales": self.scales.as_dict(), "scenario": self.scenario.as_dict(),
            "notices": list(self.notices), "data_version": self.data_version,
        }


def summarise(seats: np.ndarray, parties: tuple[str, ...]) -> pd.DataFrame:
    """Parties x :data:`STATS` of (draw, party) seat counts (inverted-CDF quantiles)."""
    q = kernels.quantiles(seats, [0.5, 0.05, 0.95, 0.10, 0.90])
    return pd.DataFrame({"median": q[0], "mean": seats.mean(axis=0), "p05": q[1], "p95": q[2],
                         "p10": q[3], "p90": q[4]}, index=list(parties))


def outcome_probabilities(seats: np.ndarray, parties: tuple[str, ...]) -> dict[str, float]:
    """``majority:<p>`` (326+ seats), ``hung`` (nobody has 326) and ``largest:<p>`` (ties: listed first)."""
    out = {f"majority:{p}": float((seats[:, j] >= MAJORITY).mean()) for j, p in enumerate(parties)}
    out = {k: v for k, v in out.items() if v > 0}
    out["hung"] = float((seats.max(axis=1) < MAJORITY).mean())
    top = np.bincount(bloc_math.largest(seats), minlength=len(parties)) / len(seats)
    out.update({f"largest:{p}": float(top[j]) for j, p in enumerate(parties) if top[j] > 0})
    return out


def _poll_scenario(as_of):
    from seatcast.polls import aggregate
    from seatcast.polls.scenario import scenario_from_average

    when = "latest" if as_of is None else str(as_of)
    avg = aggregate(as_of=when, area="GB")
    return scenario_from_average(avg), avg.as_of.isoformat(), tuple(d.isoformat() for d in avg.window)


def forecast(scenario: Scenario | None = None, *, as_of: str | dt.date | None = None,
             baseline=defaults.BASELINE, model: str | SwingModel = DEFAULT_MODEL, draws: int = DEFAULT_DRAWS,
             seed: int = DEFAULT_SEED, scales: Scales | None = None, blocs=None,
             inner: int = DEFAULT_INNER, exclude: str | None = None,
             progress: Callable[[int], None] | None = None, overrides=None) -> Forecast:
    """Forecast seats from ``scenario`` (default: the poll average as of ``as_of`` or the latest).

    ``scales`` default to :func:`seatcast.simulate.calibration.fit_scales` for the model, with
    ``exclude`` left out (backtests). ``blocs``: names -> party codes, or ``"a+b"`` strings
    (default :data:`seatcast.parliament.blocs.DEFAULT_BLOCS`). ``overrides``: per-seat candidate
    overrides (:func:`seatcast.swing.candidates.parse_overrides`), applied in every draw.
    """
    if not 1 <= int(draws) <= MAX_DRAWS:
        raise SeatcastError("draws", f"{draws} is outside 1-{MAX_DRAWS}")
    blocs = bloc_math.normalise_blocs(blocs)
    window = None
    if scenario is None:
        check_as_of(as_of, baseline)
        scenario, as_of, window = _poll_scenario(as_of)
    name = model if isinstance(model, str) else model.name
    if scales is None:
        from seatcast.simulate.calibration import fit_scales

        scales = fit_scales(name, exclude)
    overrides = tuple(parse_overrides(overrides))  # parsed once: the projection and the result
    prep = prepare_projection(scenario, baseline, model, overrides)
    counts = simulate_counts(prep, int(draws), np.random.default_rng(seed), scales, inner, progress=progress)
    return _result(prep, counts, scenario, name, seed, scales, blocs,
                   None if as_of is None else str(as_of), window, overrides)


def _result(prep, counts, scenario, model, seed, scales, blocs, as_of, window, overrides=None) -> Forecast:
    parties = prep.baseline.parties
    seats = counts.seats
    wp = pd.DataFrame(counts.win_prob, index=prep.baseline.codes, columns=list(parties))
    modal = np.bincount(np.argmax(counts.win_prob, axis=1), minlength=len(parties))
    meta = prep.baseline.seats[["constituency", "country", "region"]].assign(
        baseline_winner=prep.baseline.winners)
    notices = prep.notices
    if counts.dropped > kernels.MAX_DROPPED:
        notices += (f"up to {counts.dropped:.4f} of a seat's win probability lay outside its "
                    "contenders and was not sampled",)
    return Forecast(
        parties=parties, seats=seats, win_prob=wp, summary=summarise(seats, parties),
        probabilities=outcome_probabilities(seats, parties),
        blocs=bloc_math.bloc_table(seats, parties, blocs),
        expected_seats={p: float(wp[p].sum()) for p in parties},
        modal_seats={p: int(modal[j]) for j, p in enumerate(parties)}, seats_meta=meta,
        scenario=scenario, model=model, baseline=prep.baseline.election, seed=int(seed),
        draws=len(seats), inner=counts.inner, scales=scales, as_of=as_of, poll_window=window,
        notices=notices, data_version=data_version(), overrides=tuple(overrides or ()),
    )
