"""The poll average as a projection scenario (``seatcast project --polls``).

Rules:

* GB shares are the national average (:func:`seatcast.polls.aggregate`) on the day before
  ``as_of``; parties outside the party registry (BNP, Change UK, Restore Britain) are left out, so
  their points go to ``other`` under the scenario rules of :mod:`seatcast.swing.scenario`.
* Scotland and Wales get their own shares from their own polls when the latest of them ended
  within :data:`NATION_RECENT_DAYS` days before ``as_of``: a nation poll older than about two
  months says less about today than the GB average split by uniform change does.
* If the modelled shares of an area add up to more than 100 (each party is fitted separately),
  they are scaled down to 100.
* Without recent Scotland-only polls (the 2015-2019 cycles), the SNP's GB share comes from the
  derived Scottish estimate of :mod:`seatcast.polls.nations` (GB polls' SNP column, YouGov's
  Scottish sub-samples), unless the GB average already models the SNP.
"""

from __future__ import annotations

import datetime as dt

from seatcast import parties
from seatcast.errors import SeatcastError
from seatcast.polls.model import PollAverage, aggregate
from seatcast.swing import Scenario, scenario

NATION_RECENT_DAYS = 60
NATIONS = ("Scotland", "Wales")


def scenario_shares(avg: PollAverage, nations: tuple[str, ...]) -> dict[str, float]:
    """The average's shares of registry parties standing in ``nations``, scaled to <= 100."""
    shares = {p: v for p, v in avg.average.items()
              if p in parties.SCENARIO_CODES and set(parties.REGISTRY[p].nations) & set(nations)}
    total = sum(shares.values())
    return {p: v * 100.0 / total for p, v in shares.items()} if total > 100.0 else shares


def nation_average(area: str, as_of: dt.date) -> PollAverage | None:
    """The ``area`` average as of ``as_of`` if its polls are recent enough, else None."""
    try:
        avg = aggregate(as_of=as_of, area=area)
    except SeatcastError:
        return None
    if (as_of - avg.window[1]).days > NATION_RECENT_DAYS:
        return None
    return avg


def scenario_from_polls(when: str = "latest") -> Scenario:
    """A :class:`~seatcast.swing.Scenario` from the poll averages: ``"latest"`` or an ISO date
    (the as-of date: polls ending before it are used). Rules in the module docstring."""
    return scenario_from_average(aggregate(as_of=when, area="GB"))


def scenario_from_average(gb: PollAverage) -> Scenario:
    """The scenario for an already fitted GB average, adding recent Scotland/Wales averages."""
    nations = {}
    for area in NATIONS:
        avg = nation_average(area, gb.as_of)
        if avg is not None:
            nations[area] = scenario_shares(avg, (area,))
    return scenario(with_derived_nations(scenario_shares(gb, parties.GB), nations, gb.as_of), nations)


def with_derived_nations(shares: dict, nations: dict, as_of: dt.date) -> dict:
    """Add the derived GB share of a nation's party when neither source has it (module rules)."""
    from seatcast.polls.nations import NATION_PARTY, USED, gb_share_from_nation

    for nation in USED:
        party = NATION_PARTY[nation]
        if nation in nations or party in shares:
            continue
        value = gb_share_from_nation(nation, as_of)
        if value is not None:
            shares = {**shares, party: value}
    total = sum(shares.values())
    return {p: v * 100.0 / total for p, v in shares.items()} if total > 100.0 else shares
