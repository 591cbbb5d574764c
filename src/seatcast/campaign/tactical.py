"""Tactical-voting optimiser: the fewest tactical switchers that achieve a goal against a party.

Given a projection (a scenario on a baseline), in every seat:

* only voters of the ``sources`` parties switch, and only to the *best-placed* source
  party in that seat (the one with the most projected votes), which itself loses no one;
* at most ``max_share`` of each source party's projected voters switch (e.g. 0.3);
* optionally only the listed ``seats`` take part;
* each seat the plan flips is won by at least ``cushion`` of its projected votes (default 0:
  by a single vote), a margin against the projection's error.

The per-seat cost is :func:`seatcast.campaign.kernels.switch_cost` with those pools, and
the choice of seats is the integer program of :mod:`seatcast.campaign.ip`. Projected
shares become votes on the baseline's turnout (``seatcast.campaign.common.from_projection``).

Robustness: the plan (the same switchers, party by party, in the same seats) is applied
to Monte Carlo draws of the forecast (``seatcast.simulate``); it reports the share of
draws in which the goal holds with the plan and without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seatcast import defaults
from seatcast.campaign import common, goals, ip, kernels
from seatcast.errors import InfeasibleError, SeatcastError
from seatcast.parliament import MAJORITY
from seatcast.parliament.kernels import seat_counts, winner_index
from seatcast.rules import SPEAKER

TACTICAL_GOALS = {"deny-majority": "lose-majority", "not-largest": "not-largest"}


@dataclass(frozen=True)
class TacticalPlan:
    """The plan and what it achieves, carrying its inputs."""

    field: str
    baseline: str
    model: str
    scenario: dict
    against: str
    sources: tuple[str, ...]
    max_share: float
    goal: str
    total: int
    seats: tuple[dict, ...]  # ons_code, constituency, from, to, switchers, by_party
    seats_before: dict
    seats_after: dict
    robustness: dict | None
    rules: str
    data_version: str
    cushion: float = 0.0

    @property
    def flows(self) -> tuple[dict, ...]:
        """The plan by route: ``from`` party, ``to`` party, ``voters`` switching that way in all, and
        the ``seats`` they switch in; most voters first."""
        return common.routes(self.seats, "by_party")

    def status(self) -> str:
        """Where ``against`` stands on the projection, against the goal, in words."""
        n = self.seats_before.get(self.against, 0)
        if self.goal == "deny-majority":
            return (f"{self.against} has {n} seats, {'short of' if n < MAJORITY else 'at least'} the "
                    f"{MAJORITY} for a majority")
        rival = max((p for p in self.seats_before if p not in (self.against, SPEAKER)),
                    key=lambda p: self.seats_before[p], default=None)
        r = self.seats_before.get(rival, 0)
        than = "fewer than" if n < r else "as many as" if n == r else "more than"
        return f"{self.against} has {n} seats, {than} {rival}'s {r}"

    def as_dict(self) -> dict:
        return {**{k: getattr(self, k) for k in (
            "field", "baseline", "model", "scenario", "against", "max_share", "cushion", "goal", "total",
            "seats_before", "seats_after", "robustness", "rules", "data_version")},
            "sources": list(self.sources), "seats": [dict(s) for s in self.seats],
            "n_seats": len(self.seats), "flows": list(self.flows), "status": self.status()}


def plan_arrays(fld: common.Field, against: int, sources: np.ndarray, max_share: float,
                allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(seat, party)`` switchable pools and the ``(seat, party)`` destination mask.

    ``sources``: ``(party,)`` bool; ``allowed``: ``(seat,)`` bool seats taking part.
    """
    votes = np.rint(fld.votes)
    src = sources[None, :] & (votes > 0)
    src[:, against] = False
    best = np.argmax(np.where(src, fld.comp, -1), axis=1)
    dest = np.zeros(votes.shape, bool)
    rows = np.flatnonzero(src.any(axis=1) & allowed)
    dest[rows, best[rows]] = True
    pool = np.where(src & ~dest, np.floor(max_share * votes), 0)
    return pool, dest


def _field_and_prep(scenario, baseline, model):
    from seatcast.swing.project import prepare_projection, projection_from

    prep = prepare_projection(scenario, baseline, model)
    proj = projection_from(scenario, prep)
    return common.from_projection(proj), proj, prep


def lead_votes(fld: common.Field, cushion: float) -> np.ndarray:
    """``(seat,)`` the votes a flipped seat must be won by: ``cushion`` of its votes, at least one."""
    if not 0 <= cushion < 0.5:
        raise SeatcastError("cushion", f"{cushion} must be a share from 0 to 0.5 (0.02 = 2 points)")
    return np.maximum(1, np.ceil(cushion * np.rint(fld.votes).sum(axis=1))).astype(np.int64)


def optimise(fld: common.Field, against: str, sources, max_share: float = 0.3,
             goal: str = "deny-majority", seats=None, cushion: float = 0.0):
    """``(cost, solution, pool)`` for a field; raises InfeasibleError if impossible, naming the
    smallest ``max_share`` (to 1%) that would make it possible, if any."""
    try:
        return _optimise(fld, against, sources, max_share, goal, seats, cushion)
    except InfeasibleError as exc:
        cap = _smallest_cap(fld, against, sources, max_share, goal, seats, cushion)
        hint = f"; the smallest max-share that works is {cap:.0%}" if cap else \
            "; not even with every one of their voters switching"
        raise InfeasibleError("goal", str(exc).split(": ", 1)[1] + hint) from None


def _smallest_cap(fld, against, sources, max_share, goal, seats, cushion) -> float | None:
    """Bisection on the cap (feasibility is monotone in it), to whole percent."""
    lo, hi = int(round(100 * max_share)), 100
    try:
        _optimise(fld, against, sources, 1.0, goal, seats, cushion)
    except InfeasibleError:
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        try:
            _optimise(fld, against, sources, mid / 100, goal, seats, cushion)
            hi = mid
        except InfeasibleError:
            lo = mid
    return hi / 100


def _optimise(fld, against, sources, max_share, goal, seats, cushion=0.0):
    if goal not in TACTICAL_GOALS:
        raise SeatcastError("goal", f"unknown tactical goal {goal!r}", TACTICAL_GOALS)
    if not 0 < max_share <= 1:
        raise SeatcastError("max_share", f"{max_share} must be in (0, 1]")
    x = fld.index(against, "against", campaigning=True)
    src = np.isin(fld.parties, [fld.parties[fld.index(s, "from")] for s in sources])
    allowed = np.ones(len(fld.codes), bool) if seats is None else common.resolve_seats(seats, fld)
    pool, dest = plan_arrays(fld, x, src, max_share, allowed)
    cost = kernels.cost_matrix(fld.comp, pool, dest, lead_votes(fld, cushion))
    g = goals.make_goal(TACTICAL_GOALS[goal], against)
    fixed = fld.winners == SPEAKER
    alts = goals.alternatives(g, fld.parties, len(fld.codes), int(fixed.sum()))
    held = fld.winner_idx == x
    can = int((held & np.isfinite(np.where(dest, cost, np.inf)).any(axis=1)).sum())
    by = f" by {cushion:.1%} of the votes" if cushion else ""
    why = (f"with at most {max_share:.0%} of {', '.join(sources)} voters switching to the "
           f"best-placed of them, only {can} of the {int(held.sum())} {against} seats can change hands{by}, "
           f"so {against} cannot be stopped ({goal}) in {fld.label}")
    sol = ip.solve(cost, fld.winner_idx, fixed, alts, why)
    return cost, sol, pool


def _rows(fld, cost, sol, pool, lead):
    rows = []
    for s, w in sorted(sol.flips.tolist(), key=lambda f: cost[f[0], f[1]]):
        n = int(cost[s, w])
        by = kernels.switch_plan(fld.comp[[s]], pool[[s]], w, np.array([n]), lead[[s]])[0]
        rows.append({"ons_code": fld.codes[s], "constituency": fld.seats["constituency"].iat[s],
                     "from": str(fld.winners[s]), "to": fld.parties[w], "switchers": n,
                     "by_party": {fld.parties[q]: int(k) for q, k in enumerate(by) if k}})
    return tuple(rows)


def apply_plan(votes: np.ndarray, parties: tuple, rows, codes) -> np.ndarray:
    """``(..., seat, party)`` votes with each planned seat's switchers moved (capped at what
    each source party has)."""
    out = votes.copy()
    for r in rows:
        s = codes.get_loc(r["ons_code"])
        d = parties.index(r["to"])
        for p, k in r["by_party"].items():
            q = parties.index(p)
            move = np.minimum(out[..., s, q], k)
            out[..., s, q] -= move
            out[..., s, d] += move
    return out


def held_out(as_of) -> str | None:
    """The first election on or after ``as_of`` (a date string), to leave out of calibration."""
    import datetime as dt

    from seatcast.data import ELECTIONS

    try:
        day = dt.date.fromisoformat(str(as_of))
    except ValueError:
        return None
    later = [e for e in ELECTIONS.values() if e.date >= day and not e.id.endswith("n")]
    return min(later, key=lambda e: e.date).id if later else None


def robustness(prep, fld, rows, goal, against, draws: int, seed: int, model: str,
               exclude: str | None = None) -> dict:
    """Share of Monte Carlo draws in which the goal holds with and without the plan.

    Error scales come from ``seatcast.simulate.calibration.fit_scales(model, exclude)``;
    pass the election being forecast as ``exclude`` so nothing from it is used.
    """
    from seatcast.simulate.calibration import fit_scales
    from seatcast.simulate.engine import draw_shares

    g = goals.make_goal(TACTICAL_GOALS[goal], against)
    fixed = int((fld.winners == SPEAKER).sum())
    n = len(fld.parties)
    weights = fld.votes.sum(axis=1)
    hit = {"with_plan": 0, "without_plan": 0}
    scales = fit_scales(model, exclude=exclude)
    for shares in draw_shares(prep, draws, np.random.default_rng(seed), scales):
        votes = shares * weights[None, :, None]
        for key, v in (("without_plan", votes), ("with_plan", apply_plan(votes, fld.parties, rows,
                                                                           fld.codes))):
            counts = seat_counts(winner_index(v, fld.top_frac), n)
            hit[key] += int(goals.holds(g, fld.parties, counts, len(fld.codes), fixed).sum())
    return {"draws": draws, "seed": seed, "scales": scales.as_dict(), "calibration_excludes": exclude,
            "success_with_plan": hit["with_plan"] / draws,
            "success_without_plan": hit["without_plan"] / draws}


def tactical(scenario, baseline: str = defaults.BASELINE, against: str = "con",
             sources=("lab", "ld", "green"), max_share: float = 0.3, goal: str = "deny-majority",
             seats=None, model: str = defaults.MODEL, draws: int = defaults.CAMPAIGN_DRAWS,
             seed: int = defaults.SEED, exclude: str | None = None, cushion: float = 0.0) -> TacticalPlan:
    """The fewest tactical switchers that stop ``against`` (``goal``) on a projection of
    ``scenario``, each flipped seat won by ``cushion`` of its votes (0: by one vote); with
    ``draws > 0`` also the plan's success rate over forecast draws (error scales calibrated
    without election ``exclude``, see :func:`robustness`)."""
    against = common.campaign_party(against, "against")
    sources = common.parse_parties(sources, "from")
    if not sources:
        raise SeatcastError("from", "give the parties whose voters may switch, e.g. lab,ld,green")
    if against in sources:
        raise SeatcastError("from", f"{against!r} is the party to stop; its voters cannot be its tactical "
                                    "switchers", [p for p in sources if p != against])
    fld, proj, prep = _field_and_prep(scenario, baseline, model)
    cost, sol, pool = optimise(fld, against, sources, max_share, goal, seats, cushion)
    rows = _rows(fld, cost, sol, pool, lead_votes(fld, cushion))
    rob = robustness(prep, fld, rows, goal, against, draws, seed, model, exclude) if draws > 0 else None
    from seatcast.campaign.closecall import RULES

    return TacticalPlan(fld.label, proj.baseline.election, proj.model, scenario.as_dict(), against,
                        sources, max_share, goal, int(round(sol.cost)), rows, fld.seat_counts(),
                        fld.seat_counts(sol.flips),
                        rob, RULES, fld.data_version, cushion)
