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


def nation_average(area: str, as_of: dt.date, notes: list[str] | None = None) -> PollAverage | None:
    """The ``area`` average as of ``as_of`` if its polls are recent enough, else None; why not
    is appended to ``notes`` (the scenario's notices: the fallback is never silent)."""
    fallback = f"the GB average split by uniform change is used for {area}"
    try:
        avg = aggregate(as_of=as_of, area=area)
    except SeatcastError as exc:
        if notes is not None:
            notes.append(f"{area}: no usable {area} poll average ({exc}); {fallback}")
        return None
    if (as_of - avg.window[1]).days > NATION_RECENT_DAYS:
        if notes is not None:
            notes.append(f"{area}: the latest {area} poll ended {avg.window[1]}, more than "
                         f"{NATION_RECENT_DAYS} days before {as_of}; {fallback}")
        return None
    return avg


def scenario_from_polls(when: str = "latest") -> Scenario:
    """A :class:`~seatcast.swing.Scenario` from the poll averages: ``"latest"`` or an ISO date
    (the as-of date: polls ending before it are used). Rules in the module docstring."""
    return scenario_from_average(aggregate(as_of=when, area="GB"))


def scenario_from_average(gb: PollAverage) -> Scenario:
    """The scenario for an already fitted GB average, adding recent Scotland/Wales averages."""
    nations, notes = {}, []
    for area in NATIONS:
        avg = nation_average(area, gb.as_of, notes)
        if avg is not None:
            nations[area] = scenario_shares(avg, (area,))
    scen = scenario(scenario_shares(gb, parties.GB), nations)
    return Scenario(scen.gb, scen.nations, scen.regions, tuple(notes))
