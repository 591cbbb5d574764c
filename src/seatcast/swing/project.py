"""Deterministic projection: a scenario applied to a baseline with one swing model."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from seatcast import defaults
from seatcast.data import baseline as load_baseline
from seatcast.data import data_version
from seatcast.data.baseline import Baseline
from seatcast.parliament import Parliament, parliament
from seatcast.parliament.kernels import tied, winner_index
from seatcast.swing import kernels, prior
from seatcast.swing.models import SwingModel, make_model
from seatcast.swing.scenario import Scenario, Targets, prepare, targets


@dataclass(frozen=True, eq=False)
class Prepared:
    """Everything a projection or a simulation needs before the model runs."""

    baseline: Baseline  # after family relabels and added columns
    shares: np.ndarray  # (seat, party) effective baseline shares (geography prior applied)
    targets: Targets
    model: SwingModel  # fitted
    notices: tuple[str, ...]


def prepare_projection(scen: Scenario, base: Baseline | str,
                       model: str | SwingModel = defaults.MODEL) -> Prepared:
    """Resolve the scenario, apply the geography prior and fit the model on the baseline."""
    base = load_baseline(base) if isinstance(base, str) else base
    base, notes = prepare(base, scen)
    tg = targets(base, scen)
    shares, prior_notes = prior.apply_prior(base, base.shares, tg.area, tg.old, tg.new, tg.names)
    old = kernels.area_mean(shares, tg.area, base.weights)
    first = np.unique(tg.area, return_index=True)[1]
    tg = Targets(tg.area, old[first], tg.new, tg.names, tg.notices)
    m = make_model(model) if isinstance(model, str) else model
    m.fit(shares, tg.area, base.weights, baseline=base)
    return Prepared(base, shares, tg, m, scen.notices + tuple(notes) + tg.notices + tuple(prior_notes))


def hold_speaker(prep: Prepared, shares: np.ndarray) -> np.ndarray:
    """Keep the Speaker's seat at its baseline shares (see :func:`prior.speaker_seats`)."""
    fixed = prior.speaker_seats(prep.baseline)
    if fixed.any():
        shares = shares.copy()
        shares[..., fixed, :] = prep.shares[fixed]
    return shares


@dataclass(frozen=True, eq=False)
class Projection:
    """An immutable projection, carrying its inputs (scenario, baseline, model, data version).

    ``shares`` is ``(seat, party)``; ``parties`` labels its columns and ``baseline.codes`` its rows.
    """

    scenario: Scenario
    baseline: Baseline
    model: str
    targets: Targets
    shares: np.ndarray = field(repr=False)
    notices: tuple[str, ...]
    data_version: str

    @property
    def parties(self) -> tuple[str, ...]:
        return self.baseline.parties

    @cached_property
    def winners(self) -> np.ndarray:
        return np.asarray(self.parties)[winner_index(self.shares, self.baseline.top_frac)]

    @cached_property
    def parliament(self) -> Parliament:
        return parliament(self.winners, self.baseline.winners, self.baseline.seats,
                          tied(self.shares, self.baseline.top_frac))

    def seat_table(self) -> pd.DataFrame:
        """One row per seat: name, nation, baseline and projected winner, projected shares."""
        table = pd.DataFrame(self.shares, index=self.baseline.codes, columns=list(self.parties))
        table.insert(0, "winner", self.winners)
        table.insert(0, "baseline_winner", self.baseline.winners)
        table.insert(0, "country", self.baseline.seats["country"])
        table.insert(0, "constituency", self.baseline.seats["constituency"])
        return table

    def national_shares(self, nations=("England", "Scotland", "Wales")) -> pd.Series:
        mask = self.baseline.nation_mask(*nations)
        w = self.baseline.weights[mask]
        return pd.Series(w @ self.shares[mask] / w.sum(), index=list(self.parties))


def project(scen: Scenario, baseline: str | Baseline = defaults.BASELINE,
            model: str | SwingModel = defaults.MODEL) -> Projection:
    """Project a scenario onto a baseline result with a swing model.

    >>> from seatcast.swing import scenario
    >>> p = project(scenario({"con": 43, "lab": 36, "ld": 12, "brexit": 3, "green": 2}), "2017", "stm")
    >>> p.parliament.verdict  # doctest: +SKIP
    """
    return projection_from(scen, prepare_projection(scen, baseline, model))


def projection_from(scen: Scenario, prep: Prepared) -> Projection:
    """The deterministic projection of an already prepared scenario (no second fit)."""
    shares = hold_speaker(prep, prep.model.predict(prep.model.expand(prep.targets.new)))
    return Projection(scen, prep.baseline, prep.model.name, prep.targets, shares, prep.notices,
                      data_version())
