"""Closest call: the fewest voters who, acting differently, would have changed an outcome.

Three ways of acting differently (``mode``):

* ``switch``: a voter moves from one party to another. One switch from A to B takes a
  vote from A and gives one to B, closing the A-B gap by two (so the votes needed are
  about half the sum of the majorities, not the sum).
* ``add``: extra voters (new voters, or people who stayed at home) vote for a party.
* ``restricted``: switches only from the ``sources`` parties and only to the
  ``destinations`` parties.

Rules (see :mod:`seatcast.campaign.goals` for the majority lines): to take a seat a
candidate must win it outright (a tie is not enough); only a party that stood in a seat
can win it; a party bucket of several candidates (``ind``, ``other``) competes with its
largest candidate; the Speaker's seat does not change hands. The integer program and its
exact pruning are in :mod:`seatcast.campaign.ip`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seatcast import parties
from seatcast.campaign import common, goals, ip, kernels
from seatcast.campaign.goals import Goal
from seatcast.errors import SeatcastError
from seatcast.rules import SPEAKER

MODES = ("switch", "add", "restricted")

RULES = ("A majority ('overall' line) is more than half of all 650 seats: 326. The 'working' line "
         "leaves out the Speaker, who does not vote, and Sinn Féin, whose MPs do not take their "
         "seats: more than half of 650 - 1 - (Sinn Féin seats). The Speaker's seat never changes "
         "hands and counts for no party; Sinn Féin seats count as seats not held by the party in "
         "question for the overall line. A seat changes hands only on an outright win.")


@dataclass(frozen=True)
class CloseCall:
    """The answer, carrying its inputs."""

    field: str
    election: str
    goal: Goal
    mode: str
    sources: tuple[str, ...]
    destinations: tuple[str, ...]
    votes: int
    seats: tuple[dict, ...]  # ons_code, constituency, from, to, votes, switched_from
    seats_before: dict
    seats_after: dict
    achieved_by: str
    rules: str
    data_version: str

    @property
    def flows(self) -> tuple[dict, ...]:
        """Switchers by route (``from``, ``to``, ``voters``, ``seats``); none for added voters."""
        return common.routes(self.seats, "switched_from")

    def as_dict(self) -> dict:
        return {
            "flows": list(self.flows),
            "field": self.field, "election": self.election, "goal": self.goal.describe(),
            "goal_kind": self.goal.kind, "party": self.goal.party, "bloc": list(self.goal.bloc),
            "line": self.goal.line, "mode": self.mode, "sources": list(self.sources),
            "destinations": list(self.destinations), "votes": self.votes,
            "seats": [dict(s) for s in self.seats], "n_seats": len(self.seats),
            "seats_before": self.seats_before, "seats_after": self.seats_after,
            "achieved_by": self.achieved_by, "rules": self.rules, "data_version": self.data_version,
        }


def _pool_and_dest(fld, mode, sources, dests):
    votes = np.rint(fld.votes).astype(np.int64)
    standing = votes > 0
    allowed = np.array([p != SPEAKER for p in fld.parties])
    if dests:
        allowed &= np.isin(fld.parties, dests)
    dest = standing & allowed[None, :]
    if mode == "add":
        return None, dest
    if mode == "restricted":
        src = np.isin(fld.parties, sources)
        return np.where(src[None, :], votes, 0), dest
    return votes, dest


def cost_matrix(fld: common.Field, mode: str = "switch", sources=(), dests=()) -> np.ndarray:
    """``(seat, party)`` fewest votes for each party to win each seat under ``mode``."""
    if mode not in MODES:
        raise SeatcastError("mode", f"unknown mode {mode!r}", MODES)
    if mode == "restricted" and not sources:
        raise SeatcastError("from", "restricted mode needs source parties, e.g. --from lab")
    if sources and mode != "restricted":  # not silently ignored
        raise SeatcastError("from", f"source parties apply to the restricted mode only, not {mode!r}")
    for code in (*sources, *dests):
        fld.index(code, "from" if code in sources else "to")
    pool, dest = _pool_and_dest(fld, mode, sources, dests)
    return kernels.cost_matrix(fld.comp, pool, dest)


def _check_goal(fld, goal):
    for code in (goal.bloc or (goal.party,)):
        if code not in parties.REGISTRY:
            raise SeatcastError("bloc" if goal.bloc else "party", f"unknown party code {code!r}",
                                parties.CODES)
        fld.index(code, "bloc" if goal.bloc else "party")


def solve_field(fld: common.Field, goal: Goal, mode: str = "switch", sources=(), dests=()) -> CloseCall:
    """Closest call on any :class:`~seatcast.campaign.common.Field` (a result or a projection)."""
    _check_goal(fld, goal)
    cost = cost_matrix(fld, mode, tuple(sources), tuple(dests))
    current = fld.winner_idx
    fixed = np.asarray(fld.winners) == SPEAKER
    alts = goals.alternatives(goal, fld.parties, len(current), int(fixed.sum()))
    why = f"no set of {mode} votes can achieve '{goal.describe()}' in {fld.label}"
    sol = ip.solve(cost, current, fixed, alts, why)
    return _result(fld, goal, mode, sources, dests, cost, sol)


def _result(fld, goal, mode, sources, dests, cost, sol) -> CloseCall:
    pool, _ = _pool_and_dest(fld, mode, sources, dests)
    rows = []
    for s, w in sorted(sol.flips.tolist(), key=lambda f: cost[f[0], f[1]]):
        n = int(cost[s, w])
        row = {"ons_code": fld.codes[s], "constituency": fld.seats["constituency"].iat[s],
               "from": fld.parties[fld.winner_idx[s]], "to": fld.parties[w], "votes": n}
        if pool is not None:
            plan = kernels.switch_plan(fld.comp[[s]], pool[[s]], w, np.array([n]))[0]
            row["switched_from"] = {fld.parties[q]: int(k) for q, k in enumerate(plan) if k}
        rows.append(row)
    return CloseCall(fld.label, fld.election, goal, mode, tuple(sources), tuple(dests),
                     int(round(sol.cost)), tuple(rows), fld.seat_counts(),
                     fld.seat_counts(sol.flips),
                     sol.label, RULES, fld.data_version)


def close_call(election: str, goal: str, party: str | None = None, bloc=None, mode: str = "switch",
               sources=None, dests=None, line: str | None = None) -> CloseCall:
    """The fewest voters who would have changed ``goal`` at an actual ``election``.

    >>> close_call("2017", "majority", party="con").votes  # doctest: +SKIP
    """
    g = goals.make_goal(goal, party and party.lower(), common.parse_parties(bloc, "bloc"), line)
    fld = common.from_baseline(election)
    return solve_field(fld, g, mode, common.parse_parties(sources, "from"),
                       common.parse_parties(dests, "to"))
