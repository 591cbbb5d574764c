"""House of Commons arithmetic.

Rules, from the House of Commons Library briefing "Majorities in the House of Commons"
and Erskine May:

* 650 seats; a party with 326 (more than half) has an overall majority.
* The *majority* in the Commons' sense is the party's seats minus all other seats:
  ``2 * seats - 650``.
* The Speaker does not vote, and Sinn Féin MPs do not take their seats, so the
  *working majority line* is ``floor(voting / 2) + 1`` where
  ``voting = 650 - speaker - sinn_fein``; the working majority is ``2 * seats - voting``.
  (The three Deputy Speakers also abstain by convention; being split between sides they
  are usually ignored, and so are they here.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from seatcast import parties
from seatcast.rules import MAJORITY, NON_VOTING, TOTAL_SEATS


def voting_members(seats: dict[str, int]) -> int:
    """MPs who vote: all seats less the Speaker and the abstaining Sinn Féin MPs."""
    return sum(seats.values()) - sum(seats.get(p, 0) for p in NON_VOTING)


def working_majority_line(seats: dict[str, int]) -> int:
    """Seats needed to outvote everyone else once the Speaker and Sinn Féin are excluded."""
    return voting_members(seats) // 2 + 1


@dataclass(frozen=True)
class Parliament:
    """Seat totals and what they mean."""

    seats: dict[str, int]
    changes: dict[str, int]
    largest: str
    majority: int  # of the largest party, Commons sense (negative: short of a majority)
    working_majority: int
    working_line: int
    verdict: str
    flips: pd.DataFrame  # seats changing hands: constituency, country, from, to

    def flip_records(self) -> tuple[dict, ...]:
        """Seats changing hands as ``{ons_code, constituency, from, to}`` records."""
        return tuple({"ons_code": code, "constituency": r.constituency, "from": r["from"], "to": r["to"]}
                     for code, r in self.flips.iterrows())

    @property
    def has_majority(self) -> bool:
        return self.seats[self.largest] >= MAJORITY

    def as_dict(self) -> dict:
        return {
            "seats": self.seats,
            "changes": self.changes,
            "largest": self.largest,
            "majority": self.majority,
            "working_majority": self.working_majority,
            "working_majority_line": self.working_line,
            "verdict": self.verdict,
        }


def verdict(seats: dict[str, int]) -> str:
    """``"con majority of 80"`` or ``"Hung parliament: lab largest, 12 short of a majority"``."""
    largest = max(seats, key=lambda p: (seats[p], p != "other"))
    n = seats[largest]
    if n >= MAJORITY:
        return f"{parties.name(largest)} majority of {2 * n - TOTAL_SEATS}"
    return f"Hung parliament: {parties.name(largest)} largest, {MAJORITY - n} short of a majority"


def parliament(winners: np.ndarray, baseline_winners: np.ndarray, seats_meta: pd.DataFrame) -> Parliament:
    """Summarise ``(seat,)`` winner codes against the baseline's winners."""
    present = set(winners.tolist()) | set(baseline_winners.tolist())
    codes = [c for c in parties.CODES if c in present]
    now = pd.Series(winners).value_counts()
    before = pd.Series(baseline_winners).value_counts()
    seats = {c: int(now.get(c, 0)) for c in codes if now.get(c, 0) or before.get(c, 0)}
    changes = {c: seats[c] - int(before.get(c, 0)) for c in seats}
    largest = max(seats, key=lambda p: (seats[p], -codes.index(p)))
    line = working_majority_line(seats)
    flipped = winners != baseline_winners
    flips = pd.DataFrame({
        "constituency": seats_meta["constituency"].to_numpy()[flipped],
        "country": seats_meta["country"].to_numpy()[flipped],
        "from": baseline_winners[flipped],
        "to": winners[flipped],
    }, index=seats_meta.index[flipped])
    return Parliament(
        seats=seats,
        changes=changes,
        largest=largest,
        majority=2 * seats[largest] - TOTAL_SEATS,
        working_majority=2 * seats[largest] - voting_members(seats),
        working_line=line,
        verdict=verdict(seats),
        flips=flips,
    )
