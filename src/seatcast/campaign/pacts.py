"""Pacts and stand-asides: a party withdraws in some seats and its votes pass to others.

Rules:

* In each seat of the pact the withdrawing party's votes are removed and a fraction
  ``transfer[q]`` of them goes to party ``q``; whatever is not transferred stays at home.
  The fractions must add up to at most 1.
* Votes only go to parties that stood in that seat (a pact does not create candidates);
  the fraction meant for a party not standing there stays at home, and the result says
  how many votes that was. Votes passed to a bucket of several candidates (``other``,
  ``ind``) go to its largest candidate.
* ``held-by:PARTY`` means the seats that party won *at the baseline election* (so
  ``--baseline 2017 --seats held-by:con`` is the real 2019 Brexit Party stand-down: it
  withdrew from the 317 seats the Conservatives won in 2017).
* On a projection the pact is applied to the projected votes (projected shares times the
  baseline turnout), after the swing model.

Unite to Remain (2019): the Liberal Democrats, Greens and Plaid Cymru fielded one
candidate between them in 60 seats of England and Wales (43 Liberal Democrat, 10 Green,
7 Plaid). :data:`UNITE_TO_REMAIN` lists them as announced by the parties on 7 November
2019 (Liberal Democrat Voice, "Full details of historic Unite to Remain arrangement
announced", and the Liberal Democrats' own announcement); "York" in the announcement is
York Outer, the only York seat without a Green candidate in 2019 (checked against the
bundled 2019 result by the tests).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seatcast import defaults
from seatcast.campaign import common, kernels
from seatcast.campaign.presets import REMAIN_PARTIES, UNITE_TO_REMAIN, unite_to_remain_codes  # noqa: F401
from seatcast.errors import SeatcastError


@dataclass(frozen=True)
class StandAside:
    """``party`` withdraws in the seats of ``mask`` (``(seat,)`` bool); ``transfer`` its votes."""

    party: str
    mask: np.ndarray
    transfer: dict


@dataclass(frozen=True)
class PactResult:
    """Seats with and without the pact, carrying its inputs."""

    field: str
    baseline: str
    model: str | None
    scenario: dict | None
    stand_asides: tuple[dict, ...]  # party, seats (count), transfer
    seats_before: dict
    seats_after: dict
    changes: dict
    verdict_before: str
    verdict_after: str
    flips: tuple[dict, ...]  # ons_code, constituency, from, to
    votes_moved: int
    votes_home: int
    data_version: str

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def parse_transfer(transfer, fld: common.Field, party: str) -> dict:
    """``"con=0.6,lab=0.15"`` or a dict -> validated fractions adding up to at most 1."""
    if isinstance(transfer, str):
        items = [t.partition("=") for t in transfer.split(",") if t.strip()]
        try:
            transfer = {k.strip().lower(): float(v) for k, _, v in items}
        except ValueError:
            raise SeatcastError("transfer", f"expected party=fraction pairs, got {transfer!r}") from None
    for code, frac in transfer.items():
        fld.index(code, "transfer")
        if code == party:
            raise SeatcastError("transfer", f"{party} cannot transfer votes to itself")
        if not 0 <= frac <= 1:
            raise SeatcastError(f"transfer.{code}", f"fraction {frac} is outside 0-1")
    if sum(transfer.values()) > 1 + 1e-9:
        raise SeatcastError("transfer", f"fractions add up to {sum(transfer.values()):.2f}, more than 1")
    return dict(transfer)


def apply(fld: common.Field, asides) -> tuple[common.Field, int, int]:
    """The field after the stand-asides, with the votes moved and the votes left at home."""
    votes, top = fld.votes.copy(), fld.top_frac.copy()
    moved = home = 0.0
    for sa in asides:
        j = fld.index(sa.party)
        frac = np.zeros(len(fld.parties))
        for code, f in sa.transfer.items():
            frac[fld.parties.index(code)] = f
        votes, top, gone = kernels.stand_aside(votes, top, sa.mask, j, frac)
        moved += fld.votes[sa.mask, j].sum()
        home += gone
    new = common.Field(fld.label + " + pact", fld.election, fld.seats, fld.parties, votes, top,
                       fld.data_version)
    return new, int(round(moved)), int(round(home))


def _asides(fld, base_fld, party, seats, transfer, preset, rate):
    if preset is None:
        if party is None:
            raise SeatcastError("party", "give the party standing aside, or a preset pact "
                                         "(presets: unite-to-remain)")
        party = common.parse_party(party, "party")
        fld.index(party)
        mask = common.resolve_seats(seats, base_fld)
        return [StandAside(party, mask, parse_transfer(transfer, fld, party))]
    if preset != "unite-to-remain":
        raise SeatcastError("preset", f"unknown pact {preset!r}", ["unite-to-remain"])
    if not 0 <= rate <= 1:
        raise SeatcastError("rate", f"{rate} is outside 0-1")
    seats = unite_to_remain_codes(base_fld)
    out = []
    for stands in REMAIN_PARTIES:
        mask = fld.codes.isin([c for c, p in seats.items() if p == stands])
        for aside in REMAIN_PARTIES:
            if aside != stands and aside in fld.parties and stands in fld.parties:
                out.append(StandAside(aside, mask, {stands: rate}))
    return out


def pact(party: str | None = None, seats="all", transfer=None, baseline: str = defaults.BASELINE,
         scenario=None, model: str = defaults.MODEL, preset: str | None = None,
         rate: float = 0.7) -> PactResult:
    """Re-project with ``party`` standing aside in ``seats`` (see the module docstring), on a
    baseline result or on a projection of ``scenario``; or a named ``preset`` pact in which
    each partner's votes pass to the standing partner at ``rate``."""
    base_fld, fld, proj = common.field_on(baseline, scenario, model)
    asides = _asides(fld, base_fld, party, seats, transfer or {}, preset, rate)
    new, moved, home = apply(fld, asides)
    return PactResult(field=fld.label, baseline=base_fld.election, model=proj.model if proj else None,
                      scenario=scenario.as_dict() if scenario is not None else None,
                      stand_asides=tuple({"party": a.party, "seats": int(a.mask.sum()),
                                          "transfer": a.transfer} for a in asides),
                      **common.recount(fld, new, base_fld), votes_moved=moved, votes_home=home,
                      data_version=fld.data_version)
