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

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from seatcast import parties
from seatcast.rules import MAJORITY, NON_VOTING, TOTAL_SEATS

if TYPE_CHECKING:
    import pandas as pd


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
    #: seats changing hands: ``ons_code`` (with ``index_name``), ``constituency``, ``country``,
    #: ``from`` and ``to`` as (flip,) arrays; :attr:`flips` gives them as a DataFrame
    flip_columns: dict = field(repr=False, compare=False)
    ties: tuple[str, ...] = ()  # ONS codes of seats whose two leading candidates tie

    @cached_property
    def flips(self) -> pd.DataFrame:
        """Seats changing hands (index ONS code): constituency, country, from, to (imports pandas)."""
        import pandas as pd

        c = self.flip_columns
        return pd.DataFrame({k: c[k] for k in ("constituency", "country", "from", "to")},
                            index=pd.Index(c["ons_code"], name=c["index_name"]))

    def flip_records(self) -> tuple[dict, ...]:
        """Seats changing hands as ``{ons_code, constituency, from, to}`` records."""
        c = self.flip_columns
        return tuple({"ons_code": str(code), "constituency": str(name), "from": str(a), "to": str(b)}
                     for code, name, a, b in zip(c["ons_code"], c["constituency"], c["from"], c["to"],
                                                 strict=True))

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
            "ties": list(self.ties),
        }


def leaders(seats: dict[str, int]) -> list[str]:
    """The parties with the most seats, in registry order (more than one on a tie). ``other``
    (many small parties) leads only if no party has as many seats."""
    ranked = [p for p in parties.CODES if p in seats] + [p for p in seats if p not in parties.REGISTRY]
    real = [p for p in ranked if p != "other" and seats[p] > 0] or ranked
    top = max(seats[p] for p in real)
    return [p for p in real if seats[p] == top]


def verdict(seats: dict[str, int]) -> str:
    """``"Conservative majority of 80"``, ``"Hung parliament: Labour largest, 12 short of a majority"``
    or, on a tie, ``"Hung parliament: Labour and Conservative tied largest, 26 short of a majority"``.

    Independent of the order of ``seats`` (ties are stated, never broken by argument order)."""
    lead = leaders(seats)
    n = seats[lead[0]]
    if n >= MAJORITY:
        return f"{parties.name(lead[0])} majority of {2 * n - TOTAL_SEATS}"
    names = " and ".join(parties.name(p) if p in parties.REGISTRY else p for p in lead)
    return (f"Hung parliament: {names} {'tied ' if len(lead) > 1 else ''}largest, "
            f"{MAJORITY - n} short of a majority")


def parliament(winners: np.ndarray, baseline_winners: np.ndarray, seats_meta,
               ties: np.ndarray | None = None) -> Parliament:
    """Summarise ``(seat,)`` winner codes against the baseline's winners; ``ties`` (seat,) marks
    tied seats (counted for the registry's first party, see :mod:`seatcast.rules`).

    ``seats_meta``: the seats' ``constituency`` and ``country`` columns with ONS codes as its
    ``index`` (a DataFrame or a :class:`seatcast.data.baseline.SeatTable`)."""
    present = set(winners.tolist()) | set(baseline_winners.tolist())
    codes = [c for c in parties.CODES if c in present]
    now = Counter(winners.tolist())
    before = Counter(baseline_winners.tolist())
    seats = {c: int(now.get(c, 0)) for c in codes if now.get(c, 0) or before.get(c, 0)}
    changes = {c: seats[c] - int(before.get(c, 0)) for c in seats}
    largest = leaders(seats)[0]
    line = working_majority_line(seats)
    flipped = winners != baseline_winners
    index = np.asarray(seats_meta.index, dtype=object)
    flips = {"ons_code": index[flipped], "index_name": getattr(seats_meta.index, "name", "ons_code"),
             "constituency": np.asarray(seats_meta["constituency"])[flipped],
             "country": np.asarray(seats_meta["country"])[flipped],
             "from": baseline_winners[flipped], "to": winners[flipped]}
    return Parliament(
        seats=seats,
        changes=changes,
        largest=largest,
        majority=2 * seats[largest] - TOTAL_SEATS,
        working_majority=2 * seats[largest] - voting_members(seats),
        working_line=line,
        verdict=verdict(seats),
        flip_columns=flips,
        ties=() if ties is None else tuple(index[np.asarray(ties, bool)]),
    )
