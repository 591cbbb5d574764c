"""The poll average as a projection scenario (``seatcast project --polls``).

Rules:

* GB shares are the national average (:func:`seatcast.polls.aggregate`) on the day before
  ``as_of``. Every party column of the bundled polls is in the party registry (Restore Britain,
  Change UK and the BNP included); a party outside it, or not standing in the area (the SNP in a
  Wales average), is dropped and named in a notice. A poll's ``other`` includes independents and
  the Speaker, so the scenario sets ``other_covers`` (:mod:`seatcast.swing.scenario` rules).
* Scotland and Wales get their own shares from their own polls when the latest of them ended
  within :data:`NATION_RECENT_DAYS` days before ``as_of``: a nation poll older than about two
  months says less about today than the GB average split by uniform change does.
* If the modelled shares of an area add up to more than 100 (each party is fitted separately, and
  some pollsters count a small party inside "other" while others name it), every share is scaled
  down by the same factor to 100, and a notice names the parties and the factor.
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
from seatcast.swing.scenario import INSIDE_OTHER

NATION_RECENT_DAYS = 60
NATIONS = ("Scotland", "Wales")


def scenario_shares(avg: PollAverage, nations: tuple[str, ...],
                    notices: list[str] | None = None) -> dict[str, float]:
    """The average's shares of registry parties standing in ``nations``, scaled to <= 100.

    What is dropped or scaled is appended to ``notices`` (module rules)."""
    notices = [] if notices is None else notices
    label = f"{avg.area} poll average"
    shares = {p: v for p, v in avg.average.items()
              if p in parties.SCENARIO_CODES and set(parties.REGISTRY[p].nations) & set(nations)}
    dropped = [f"{p} {v:.1f}" for p, v in avg.average.items() if p not in shares]
    if dropped:
        notices.append(f"{label}: dropped (not a party standing in {'/'.join(nations)}): "
                       + ", ".join(dropped))
    return scale_to_100(shares, label, notices)


def scale_to_100(shares: dict[str, float], label: str, notices: list[str]) -> dict[str, float]:
    """Scale shares adding up to more than 100 down to 100, naming every party scaled."""
    total = sum(shares.values())
    if total <= 100.0:
        return shares
    k = 100.0 / total
    notices.append(f"{label}: shares add up to {total:.1f} (parties are averaged separately); "
                   f"every party scaled by {k:.3f} to 100: "
                   + ", ".join(f"{p} {v:.1f}->{v * k:.1f}" for p, v in shares.items()))
    return {p: v * k for p, v in shares.items()}


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
            nations[area] = scenario_shares(avg, (area,), notes)
    gb_shares = with_derived_nations(scenario_shares(gb, parties.GB, notes), nations, gb.as_of, notes)
    return scenario(gb_shares, nations, notices=tuple(notes), other_covers=INSIDE_OTHER)


def with_derived_nations(shares: dict, nations: dict, as_of: dt.date,
                         notices: list[str] | None = None) -> dict:
    """Add the derived GB share of a nation's party when neither source has it (module rules)."""
    from seatcast.polls.nations import NATION_PARTY, USED, gb_share_from_nation

    for nation in USED:
        party = NATION_PARTY[nation]
        if nation in nations or party in shares:
            continue
        value = gb_share_from_nation(nation, as_of)
        if value is not None:
            shares = {**shares, party: value}
        elif notices is not None:  # never a silent fallback
            notices.append(f"{nation}: no {party} share in the GB polls and none derived from {nation} "
                           f"polls before {as_of}; {party} is not named in the GB shares")
    return scale_to_100(shares, "GB poll average with derived nation shares",
                        [] if notices is None else notices)
