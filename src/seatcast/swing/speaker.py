"""The Speaker's seat at a given election, and a baseline with the Speaker moved there.

By convention the main parties do not stand against the Speaker seeking re-election (House of
Commons Library, "The Speaker"), so a projection holds the Speaker's seat. A baseline says where
the Speaker stood *at the baseline*; when the Speaker changes before the next election, the
projection must follow the new one. Between 2010 and 2024 that happened once: John Bercow
(Buckingham) stood down on 31 October 2019 and Lindsay Hoyle (Chorley) was elected Speaker on
4 November 2019, five weeks before the general election of 12 December 2019 (House of Commons
Library, "Speakers of the House of Commons since 1945"). Both facts were public long before polling
day, so a backtest of 2019 may use them.

:func:`move` rewrites a baseline for a scenario that names the Speaker (:attr:`Scenario.speaker`):

* the Speaker's new seat keeps the votes of the party that won it (the new Speaker's own vote,
  relabelled ``speaker``), and the main parties (:data:`MAIN_PARTIES`) stand down there;
* a seat the Speaker leaves (whose baseline had no main-party candidate) takes its region's mean
  baseline shares over the seats that were not the Speaker's, at its own turnout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from seatcast.data.baseline import Baseline
from seatcast.elections import election
from seatcast.errors import SeatcastError
from seatcast.rules import SPEAKER

#: Parties that by convention do not stand against the Speaker (HoC Library, "The Speaker").
MAIN_PARTIES = ("con", "lab", "ld")


@dataclass(frozen=True)
class Speaker:
    """A Speaker of the House of Commons, their time in the chair and their seat's ONS code on
    each boundary set."""

    name: str
    elected: dt.date
    left: dt.date | None
    seats: dict[str, str]


#: Speakers since the 2010 boundaries (HoC Library, "Speakers of the House of Commons since 1945").
SPEAKERS = (
    Speaker("John Bercow", dt.date(2009, 6, 22), dt.date(2019, 10, 31), {"2010": "E14000608"}),
    Speaker("Lindsay Hoyle", dt.date(2019, 11, 4), None, {"2010": "E14000637", "2024": "E14001170"}),
)


def speaker_on(day: dt.date | str) -> str | None:
    """The name of the Speaker in the chair on ``day`` (None before 2009-06-22 or between two)."""
    day = dt.date.fromisoformat(str(day)) if not isinstance(day, dt.date) else day
    for s in SPEAKERS:
        if s.elected <= day and (s.left is None or day <= s.left):
            return s.name
    return None


def speaker_for(election_id: str) -> str | None:
    """The Speaker who stood for re-election at ``election_id`` (the Speaker on polling day)."""
    return speaker_on(election(election_id).date)


def seat_of(name: str, boundaries: str) -> str | None:
    """The ONS code of the Speaker ``name``'s seat on ``boundaries`` (None if not on that set)."""
    for s in SPEAKERS:
        if s.name == name:
            return s.seats.get(str(boundaries))
    raise SeatcastError("speaker", f"unknown Speaker {name!r}", [s.name for s in SPEAKERS])


def move(base: Baseline, name: str | None) -> tuple[Baseline, tuple[str, ...]]:
    """``base`` with the Speaker ``name`` standing in their own seat (module docstring), and a
    notice for each seat changed; ``base`` itself when the Speaker already stood there."""
    seat = None if name is None else seat_of(name, election(base.election).boundaries)
    if seat is None or seat not in base.rows:
        return base, ()
    base = base.with_parties([SPEAKER])
    j, i = base.party_index(SPEAKER), base.rows[seat]
    left = np.flatnonzero(base.votes[:, j] > 0)
    if left.tolist() == [i]:
        return base, ()
    votes, top = base.votes.copy(), base.top_frac.copy()
    names = base.column("constituency")
    notes = [_vacate(base, votes, top, k) for k in left if k != i]
    own = int(np.argmax(base.votes[i] * base.top_frac[i]))
    votes[i, j], top[i, j] = votes[i, own] * top[i, own], 1.0
    votes[i, [base.party_index(p) for p in MAIN_PARTIES if p in base.parties]] = 0.0
    notes.append(f"Speaker: {name} stands in {names[i]}, where {', '.join(MAIN_PARTIES)} stand down "
                 f"by convention ({base.parties[own]}'s {base.election} vote is the Speaker's)")
    return Baseline(base.election, base._same_seats(), base.parties, votes, top), tuple(notes)


def _vacate(base: Baseline, votes: np.ndarray, top: np.ndarray, k: int) -> str:
    """Give the seat ``k`` the Speaker leaves its region's mean shares (other Speaker seats out)."""
    region = base.column("region")
    mask = (region == region[k]) & (base.votes[:, base.party_index(SPEAKER)] == 0)
    votes[k] = base.area_shares(mask) * base.weights[k]
    top[k] = 1.0
    return (f"Speaker: {base.column('constituency')[k]} is left by the previous Speaker and takes the "
            f"{region[k]} mean of the {base.election} shares")
