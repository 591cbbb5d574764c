"""The one list of UK general elections seatcast knows, and their order and transitions.

Every module that needs "which elections", "in what order" or "which result does an election
start from" reads it here: :data:`ELECTIONS`, :data:`ELECTION_ORDER` and :data:`TRANSITIONS`
(derived from :attr:`Election.previous`). Polling days are from the House of Commons Library
election results (CBP-7529, CBP-10009).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from seatcast.errors import SeatcastError


@dataclass(frozen=True)
class Election:
    """A UK general election as seatcast knows it.

    ``id`` is the key used everywhere (``"2019n"`` is the Rallings & Thrasher notional
    2019 result on the 2024 boundaries); ``date`` is polling day; ``boundaries`` is the
    boundary set (``"2010"`` = the set used 2010-2019, ``"2024"`` = the 2023 review);
    ``previous`` is the result an election is projected from (its baseline): the election
    before it on the same boundaries, the notional for 2024, None for the first.
    """

    id: str
    date: dt.date
    boundaries: str
    previous: str | None

    @property
    def year(self) -> int:
        return self.date.year


ELECTIONS: dict[str, Election] = {
    e.id: e
    for e in (
        Election("2010", dt.date(2010, 5, 6), "2010", None),
        Election("2015", dt.date(2015, 5, 7), "2010", "2010"),
        Election("2017", dt.date(2017, 6, 8), "2010", "2015"),
        Election("2019", dt.date(2019, 12, 12), "2010", "2017"),
        Election("2019n", dt.date(2019, 12, 12), "2024", None),
        Election("2024", dt.date(2024, 7, 4), "2024", "2019n"),
    )
}
#: Actual elections (no notionals), oldest first.
ELECTION_ORDER: tuple[str, ...] = tuple(e.id for e in ELECTIONS.values() if e.id.isdigit())
#: Election -> the baseline it is projected from: 2015 from 2010, ..., 2024 from the 2019 notional.
#: The hindsight tests, calibration, backtests and the learned model all use these transitions.
TRANSITIONS: dict[str, str] = {e.id: e.previous for e in ELECTIONS.values() if e.previous}
#: Boundary sets, each with its first election.
BOUNDARY_SETS: tuple[str, ...] = tuple(dict.fromkeys(e.boundaries for e in ELECTIONS.values()))


def election(election_id: str) -> Election:
    """The :class:`Election` for an id such as ``"2019"`` or ``"2019n"``."""
    key = str(election_id)
    if key not in ELECTIONS:
        raise SeatcastError("election", f"unknown election {key!r}", ELECTIONS)
    return ELECTIONS[key]


def check_boundaries(boundaries: str | int) -> str:
    """A boundary set id (``"2010"`` or ``"2024"``), with a clear error otherwise."""
    key = str(boundaries)
    if key not in BOUNDARY_SETS:
        raise SeatcastError("boundaries", f"unknown boundary set {key!r}", BOUNDARY_SETS)
    return key


def check_as_of(as_of: str | dt.date | None, baseline: str) -> None:
    """Refuse polls from an earlier parliament than the baseline's: a poll date on or before the
    polling day of the election before the baseline (the 2019 eve-of-poll average swung from the
    2024 result mixes two parliaments). Polls of the baseline's own campaign pass (the 2024 eve
    on the 2024 result shows the polling error in seats). ``None`` or ``"latest"`` always passes."""
    if as_of is None or str(as_of) == "latest":
        return
    try:
        when = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise SeatcastError("as_of", f"{str(as_of)!r} is not a date in the form YYYY-MM-DD or "
                                     "'latest'") from None
    base = election(baseline)
    before = [e.date for e in ELECTIONS.values() if e.date < base.date]
    if before and when <= max(before):
        raise SeatcastError("as_of", f"{when} is in the parliament before the {base.id} baseline's (polls "
                                     f"must end after {max(before)}); choose a later date or an earlier "
                                     "baseline", [e.id for e in ELECTIONS.values() if e.date < when])
