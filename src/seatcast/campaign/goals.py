"""Seat-count goals as linear constraints on the seats each party wins.

A goal is a disjunction of *alternatives*; each alternative is ``A @ n >= b`` on the
``(party,)`` seat-count vector ``n``. The Commons rules are those of
:mod:`seatcast.parliament.arithmetic` (House of Commons Library, "Majorities in the House
of Commons"), stated here explicitly:

* ``overall`` line: a majority is more than half of all seats, ``total // 2 + 1`` (326 of 650).
* ``working`` line: the Speaker does not vote and Sinn Féin MPs do not take their seats,
  so a majority is more than half of the rest: ``2 n_X > total - speaker - n_sf``, i.e.
  ``2 n_X + n_sf >= total - speaker + 1``. Sinn Féin's seat count is a variable here,
  so a seat moving to or from Sinn Féin moves the line.
* The Speaker's seat never changes hands (the main parties do not stand against the
  Speaker by convention) and the Speaker counts for no party.
* "Largest" means strictly more seats than any other party; ``not-largest`` holds as soon
  as some other party has at least as many seats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seatcast.errors import SeatcastError
from seatcast.rules import ABSTAINING, NON_VOTING, SPEAKER

KINDS = ("majority", "lose-majority", "not-largest", "largest", "bloc-majority")
LINES = ("overall", "working")


@dataclass(frozen=True)
class Goal:
    """What should happen: ``kind`` for ``party`` (or for the parties in ``bloc``)."""

    kind: str
    party: str | None = None
    bloc: tuple[str, ...] = ()
    line: str = "overall"

    def describe(self) -> str:
        who = "+".join(self.bloc) if self.kind == "bloc-majority" else self.party
        line = f" ({self.line} majority line)" if "majority" in self.kind else ""
        return f"{self.kind} {who}{line}"


def make_goal(kind: str, party: str | None = None, bloc=(), line: str | None = None) -> Goal:
    """Validate a goal; ``line`` defaults to ``overall`` (``working`` for a bloc)."""
    if kind not in KINDS:
        raise SeatcastError("goal", f"unknown goal {kind!r}", KINDS)
    line = line or ("working" if kind == "bloc-majority" else "overall")
    if line not in LINES:
        raise SeatcastError("line", f"unknown majority line {line!r}", LINES)
    if kind == "bloc-majority":
        if party:
            raise SeatcastError("party", "goal 'bloc-majority' is about a bloc: give --bloc, not a party")
        if not bloc:
            raise SeatcastError("bloc", "give the bloc's parties, e.g. --bloc lab,snp,ld")
        if set(bloc) & set(NON_VOTING):
            raise SeatcastError("bloc", "Sinn Féin and the Speaker do not vote in the Commons")
        return Goal(kind, None, tuple(bloc), line)
    if not party:
        raise SeatcastError("party", f"goal {kind!r} needs a party")
    if bloc:
        raise SeatcastError("bloc", f"a bloc is for goal 'bloc-majority', not {kind!r}")
    return Goal(kind, party, (), line)


def alternatives(goal: Goal, parties: tuple[str, ...], total: int, speaker: int):
    """List of ``(A, b, label)``: the goal holds if ``A @ n >= b`` for any one of them.

    ``total`` is the number of seats, ``speaker`` the number of (fixed) Speaker seats.
    """
    P = len(parties)

    def vec(codes, weight=1.0):
        v = np.zeros(P)
        for c in codes:
            if c in parties:
                v[parties.index(c)] += weight
        return v

    members = goal.bloc if goal.kind == "bloc-majority" else (goal.party,)
    if goal.line == "working":
        coef, rhs = vec(members, 2.0) + vec(ABSTAINING), total - speaker + 1
    else:
        coef, rhs = vec(members), total // 2 + 1
    if goal.kind in ("majority", "bloc-majority"):
        return [(coef[None, :], np.array([rhs]), goal.describe())]
    if goal.kind == "lose-majority":
        return [(-coef[None, :], np.array([1 - rhs]), goal.describe())]
    x = vec([goal.party])
    rivals = [p for p in parties if p not in (goal.party, SPEAKER)]
    if goal.kind == "not-largest":
        return [((vec([r]) - x)[None, :], np.array([0.0]), f"{r} has at least as many seats as "
                 f"{goal.party}") for r in rivals]
    rows = np.stack([x - vec([r]) for r in rivals])  # largest: n_X - n_r >= 1 for every rival
    return [(rows, np.ones(len(rivals)), goal.describe())]


def holds(goal: Goal, parties: tuple[str, ...], counts: np.ndarray, total: int, speaker: int) -> np.ndarray:
    """``(...,)`` whether the goal holds for ``(..., party)`` seat counts (independent check)."""
    out = np.zeros(counts.shape[:-1], bool)
    for A, b, _ in alternatives(goal, parties, total, speaker):
        out |= (counts @ A.T >= b - 1e-9).all(axis=-1)
    return out
