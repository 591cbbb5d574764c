"""Differential turnout: one party's voters turn out more (or less), nationally or in regions.

The party's votes in the chosen seats are multiplied by ``factor`` (0.9: one in ten of its
voters stays at home, the "complacency" scenario; 1.1: one in ten more turn out); every
other party's votes are unchanged, so seat shares, winners and national shares all follow.
On a projection it applies to the projected votes (projected shares times the baseline
turnout). Areas are the 12 regions and nations of the bundled constituency file
(``seats.region``) or the four nations (``seats.country``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seatcast import defaults, parties
from seatcast.campaign import common, kernels
from seatcast.errors import SeatcastError


@dataclass(frozen=True)
class TurnoutResult:
    """Seats and GB shares before and after, carrying the inputs."""

    field: str
    baseline: str
    model: str | None  # the projection's swing model (None on a result)
    scenario: dict | None  # the projection's shares (None on a result)
    party: str
    factor: float
    areas: tuple[str, ...]
    seats_affected: int
    gb_share_before: dict
    gb_share_after: dict
    seats_before: dict
    seats_after: dict
    changes: dict
    verdict_before: str
    verdict_after: str
    flips: tuple[dict, ...]
    data_version: str

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def area_mask(fld: common.Field, areas) -> np.ndarray:
    """``(seat,)`` seats in any of the named regions or nations (all seats if none)."""
    if not areas:
        return np.ones(len(fld.codes), bool)
    region = fld.seats["region"].to_numpy()
    country = fld.seats["country"].to_numpy()
    allowed = sorted(set(region) | set(country))
    lookup = {a.lower(): a for a in allowed}
    names = []
    for a in areas:
        if a.strip().lower() not in lookup:
            raise SeatcastError("region", f"unknown region or nation {a!r}", allowed)
        names.append(lookup[a.strip().lower()])
    return np.isin(region, names) | np.isin(country, names)


def _gb_shares(votes, fld):
    gb = np.isin(fld.seats["country"].to_numpy(), parties.GB)
    tot = votes[gb].sum(axis=0)
    return {p: round(100 * float(v / tot.sum()), 2) for p, v in zip(fld.parties, tot, strict=True) if v}


def turnout(party: str, factor: float, baseline: str = defaults.BASELINE, regions=None, scenario=None,
            model: str = defaults.MODEL) -> TurnoutResult:
    """Scale ``party``'s turnout by ``factor`` (in ``regions``, else everywhere) and re-count seats."""
    if not (factor >= 0 and np.isfinite(factor)) or factor > 10:
        raise SeatcastError("factor", f"{factor} must be between 0 and 10")
    base_fld, fld, proj = common.field_on(baseline, scenario, model)
    code = common.parse_party(party, "party")
    j = fld.index(code)
    areas = tuple(regions or ())
    mask = area_mask(fld, areas)
    if not (fld.votes[mask, j] > 0).any():
        raise SeatcastError("party", f"{code} has no votes in {', '.join(areas) or 'any seat'} "
                            f"at {fld.label}")
    votes = kernels.scale_party(fld.votes, mask, j, factor)
    _check_electorate(fld, votes, mask, j, factor)
    new = common.Field(fld.label + f" + {code} turnout x{factor:g}", fld.election, fld.seats, fld.parties,
                       votes, fld.top_frac, fld.data_version)
    return TurnoutResult(field=fld.label, baseline=base_fld.election, model=proj.model if proj else None,
                         scenario=scenario.as_dict() if scenario is not None else None,
                         party=code, factor=factor,
                         areas=areas, seats_affected=int(mask.sum()),
                         gb_share_before=_gb_shares(fld.votes, fld), gb_share_after=_gb_shares(votes, fld),
                         **common.recount(fld, new, base_fld), data_version=fld.data_version)


def _check_electorate(fld: common.Field, votes: np.ndarray, mask: np.ndarray, j: int, factor: float) -> None:
    """Refuse a factor that needs more voters than a seat's electorate (its register at the
    baseline), naming the largest factor every chosen seat allows."""
    electorate = fld.seats["electorate"].to_numpy(float)
    known = mask & (electorate > 0) & (fld.votes[:, j] > 0)
    over = np.flatnonzero(known & (votes.sum(axis=1) > electorate))
    if not over.size:
        return
    others = fld.votes[known].sum(axis=1) - fld.votes[known, j]
    most = float(np.min((electorate[known] - others) / fld.votes[known, j]))
    name = fld.seats["constituency"].iloc[over[0]]
    raise SeatcastError("factor", f"x{factor:g} needs more voters than the electorate in {over.size} seats "
                                  f"(first: {name}); at most x{np.floor(100 * most) / 100:.2f} is possible")
