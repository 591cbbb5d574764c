"""Deterministic projection: a scenario applied to a baseline with one swing model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from seatcast import defaults, parties
from seatcast.data import baseline as load_baseline
from seatcast.data import data_version
from seatcast.data.baseline import Baseline
from seatcast.data.history import geography_source
from seatcast.parliament import Parliament, parliament
from seatcast.parliament.kernels import tied, winner_index
from seatcast.swing import candidates as cand
from seatcast.swing import kernels, prior, speaker
from seatcast.swing.models import SwingModel, make_model
from seatcast.swing.scenario import Scenario, Targets, prepare, targets

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, eq=False)
class Prepared:
    """Everything a projection or a simulation needs before the model runs."""

    baseline: Baseline  # after family relabels and added columns
    shares: np.ndarray  # (seat, party) effective baseline shares (geography prior applied)
    targets: Targets
    model: SwingModel  # fitted
    notices: tuple[str, ...]
    candidates: cand.Candidates | None = None  # who stands where; None: every party everywhere


#: An area whose target shares are all within this (a fraction: 0.05 points, half the 0.1 points to
#: which seatcast shows shares) of the baseline's is a zero-swing area, where personal votes and
#: incumbency change nothing (:func:`seatcast.swing.candidates.build`). Not exact equality: the
#: dashboard starts from the baseline's shares rounded down to 0.001 points, with the parties it has
#: no slider for (UKIP in 2024) in "Others" (0.03 points off in England), and that start must show
#: the baseline's winners (Blackburn was won by 0.4 points).
HELD_ATOL = 5e-4


def prepare_projection(scen: Scenario, base: Baseline | str, model: str | SwingModel = defaults.MODEL,
                       overrides=None) -> Prepared:
    """Resolve the scenario, move the Speaker to the scenario's Speaker's seat
    (:func:`seatcast.swing.speaker.move`), apply the geography prior, fit the model on the baseline and build
    the candidate table (:mod:`seatcast.swing.candidates`; ``overrides``: per-seat candidate
    overrides, see :func:`~seatcast.swing.candidates.parse_overrides`)."""
    base = load_baseline(base) if isinstance(base, str) else base
    base, moved = speaker.move(base, scen.speaker)
    base, notes = prepare(base, scen)
    notes = [*moved, *notes]
    ovr = cand.parse_overrides(overrides)
    base = base.with_parties({o.party for o in ovr if o.party in parties.REGISTRY})
    tg = targets(base, scen)
    targets_old = tg.old
    shares, prior_notes = prior.apply_prior(base, base.shares, tg.area, tg.old, tg.new, tg.names,
                                            geography=geography_source(base))
    old = kernels.area_mean(shares, tg.area, base.weights)
    first = np.unique(tg.area, return_index=True)[1]
    tg = Targets(tg.area, old[first], tg.new, tg.names, tg.notices)
    m = make_model(model) if isinstance(model, str) else model
    m.fit(shares, tg.area, base.weights, baseline=base)
    held = np.isclose(tg.new, targets_old, rtol=0.0, atol=HELD_ATOL).all(axis=1)[tg.area]
    cands = cand.build(base, shares, ovr, held)
    return Prepared(base, shares, tg, m, tuple(scen.notices) + tuple(notes) + tg.notices
                    + tuple(prior_notes) + cands.notices, cands)


def model_stages(prep: Prepared, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(after the swing model, after the tactical step) seat shares for ``(..., seat, party)``
    targets. A model with a tactical step exposes ``predict_stages(new) -> {"model", "tactical"}``;
    otherwise the tactical step changes nothing."""
    staged = getattr(prep.model, "predict_stages", None)
    if staged is None:
        out = prep.model.predict(new)
        return out, out
    stages = staged(new)
    return stages["model"], stages["tactical"]


def apply_candidates(prep: Prepared, shares: np.ndarray) -> np.ndarray:
    """The candidate step on ``(..., seat, party)`` model shares: non-standing parties get 0,
    personal votes (independent MPs, the Speaker) and user overrides are pinned
    (:func:`seatcast.swing.candidates.apply`). Without a candidate table, the Speaker's seat is
    kept at its baseline shares (:func:`prior.speaker_seats`)."""
    if prep.candidates is not None:
        return cand.apply(prep.candidates, shares)
    fixed = prior.speaker_seats(prep.baseline)
    if fixed.any():
        shares = shares.copy()
        shares[..., fixed, :] = prep.shares[fixed]
    return shares


#: The former name of :func:`apply_candidates` (the simulation engine calls it every draw).
hold_speaker = apply_candidates


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
    #: (seat, party) shares after each step: "model" (swing model, geography prior included) and
    #: "tactical" (the model's tactical step, if any); ``shares`` is after the candidate step.
    stages: Mapping[str, np.ndarray] = field(default_factory=dict, repr=False)
    candidates: cand.Candidates | None = field(default=None, repr=False)

    @property
    def parties(self) -> tuple[str, ...]:
        return self.baseline.parties

    @cached_property
    def winners(self) -> np.ndarray:
        return np.asarray(self.parties)[winner_index(self.shares, self.baseline.top_frac)]

    @cached_property
    def parliament(self) -> Parliament:
        return parliament(self.winners, self.baseline.winners, self.baseline.table,
                          tied(self.shares, self.baseline.top_frac))

    def seat_table(self) -> pd.DataFrame:
        """One row per seat: name, nation, baseline and projected winner, projected shares."""
        import pandas as pd

        table = pd.DataFrame(self.shares, index=self.baseline.codes, columns=list(self.parties))
        table.insert(0, "winner", self.winners)
        table.insert(0, "baseline_winner", self.baseline.winners)
        table.insert(0, "country", self.baseline.seats["country"])
        table.insert(0, "constituency", self.baseline.seats["constituency"])
        return table

    def explain(self, seat: str, field_name: str = "seat") -> dict:
        """Why a seat goes where it goes: shares (percent) after each step of the projection.

        ``seat`` is an ONS code or a constituency name. Steps: ``baseline`` (the baseline result),
        ``model`` (after the swing model, geography prior included), ``tactical`` (after the tactical
        step), ``final`` (after the candidate step: who stands, personal votes, overrides).
        ``shifts`` are the changes each step made (points); ``summary`` puts it in words."""
        ons = cand.find_seat(self.baseline, seat, field_name)
        i = self.baseline.rows[ons]
        steps = {"baseline": self.baseline.shares[i], "model": self.stages.get("model", self.shares)[i],
                 "tactical": self.stages.get("tactical", self.shares)[i], "final": self.shares[i]}
        top = self.baseline.top_frac[i]
        shown = [p for j, p in enumerate(self.parties) if max(v[j] for v in steps.values()) >= 0.005]
        pct = {k: {p: round(100 * float(v[self.parties.index(p)]), 2) for p in shown}
               for k, v in steps.items()}
        names = list(steps)
        shifts = {b: {p: round(pct[b][p] - pct[a][p], 2) for p in shown}
                  for a, b in zip(names, names[1:], strict=False)}
        winners = {k: self.parties[int(np.argmax(v * top))] for k, v in steps.items()}
        seat_cands = self.candidates.seat(ons) if self.candidates is not None else {}
        return {"ons_code": ons, "constituency": self.baseline.column("constituency")[i],
                "baseline_winner": winners["baseline"], "winner": str(self.winners[i]),
                "changes_hands": winners["baseline"] != str(self.winners[i]),
                "shares": pct, "shifts": shifts, "winner_after": winners,
                "candidates": seat_cands, "summary": _explain_text(pct, shifts, winners, seat_cands)}

    def national_shares(self, nations=("England", "Scotland", "Wales")) -> pd.Series:
        import pandas as pd

        mask = self.baseline.nation_mask(*nations)
        w = self.baseline.weights[mask]
        return pd.Series(w @ self.shares[mask] / w.sum(), index=list(self.parties))


def _moves(shift: dict, floor: float = 0.5) -> str:
    big = sorted((p for p in shift if abs(shift[p]) >= floor), key=lambda p: -abs(shift[p]))
    return ", ".join(f"{p} {shift[p]:+.1f}" for p in big) or "no change of 0.5 points or more"


def _explain_text(pct: dict, shifts: dict, winners: dict, seat_cands: dict) -> list[str]:
    """The seat card in words: one line per step."""
    lead = sorted(pct["baseline"], key=lambda p: -pct["baseline"][p])[:3]
    lines = [f"baseline: {winners['baseline']} won; "
             + ", ".join(f"{p} {pct['baseline'][p]:.1f}" for p in lead)]
    for step, label in (("model", "swing model"), ("tactical", "tactical step"), ("final", "candidates")):
        lines.append(f"{label}: {_moves(shifts[step])} -> {winners[step]} leads")
    lines += [f"{p}: {c['why']}" for p, c in seat_cands.items() if c.get("why")]
    return lines


def project(scen: Scenario, baseline: str | Baseline = defaults.BASELINE,
            model: str | SwingModel = defaults.MODEL, overrides=None) -> Projection:
    """Project a scenario onto a baseline result with a swing model.

    ``overrides``: per-seat candidate overrides, e.g. ``["Islington North:ind=40"]`` or
    ``{"E14001305": {"ind": 0}}`` (:func:`seatcast.swing.candidates.parse_overrides`).

    >>> from seatcast.swing import scenario
    >>> p = project(scenario({"con": 43, "lab": 36, "ld": 12, "brexit": 3, "green": 2}), "2017", "stm")
    >>> p.parliament.verdict  # doctest: +SKIP
    """
    return projection_from(scen, prepare_projection(scen, baseline, model, overrides))


def projection_from(scen: Scenario, prep: Prepared) -> Projection:
    """The deterministic projection of an already prepared scenario (no second fit)."""
    after_model, after_tactical = model_stages(prep, prep.model.expand(prep.targets.new))
    shares = apply_candidates(prep, after_tactical)
    return Projection(scen, prep.baseline, prep.model.name, prep.targets, shares, prep.notices,
                      data_version(), {"model": after_model, "tactical": after_tactical},
                      prep.candidates)
