"""Shared pieces of campaign analytics: a vote field, party and seat lookups.

A :class:`Field` is a set of seat-level votes to reason about: an actual result
(``seatcast.data.baseline``) or a projection turned into votes with the baseline's
turnout (``shares * valid votes``, rounded to whole votes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from seatcast import _io, defaults, parties
from seatcast.campaign import kernels
from seatcast.data import baseline as load_baseline
from seatcast.data import data_version
from seatcast.errors import SeatcastError


@dataclass(frozen=True, eq=False)
class Field:
    """Votes in every seat. ``votes`` and ``top_frac`` are ``(seat, party)``."""

    label: str  # "2019" for a result, "2017 + scenario (uns)" for a projection
    election: str  # the baseline election id
    seats: pd.DataFrame  # index ons_code; constituency, country, region, ...
    parties: tuple[str, ...]
    votes: np.ndarray = field(repr=False)
    top_frac: np.ndarray = field(repr=False)
    data_version: str = ""

    @property
    def codes(self) -> pd.Index:
        return self.seats.index

    @cached_property
    def comp(self) -> np.ndarray:
        """``(seat, party)`` integer votes of each bucket's largest candidate."""
        return kernels.competitors(self.votes, self.top_frac)

    @cached_property
    def winner_idx(self) -> np.ndarray:
        return kernels.winners(self.comp)

    @property
    def winners(self) -> np.ndarray:
        return np.asarray(self.parties)[self.winner_idx]

    def seat_counts(self, flips: np.ndarray | None = None) -> dict[str, int]:
        """Seats per party (parties with none left out); after ``flips`` if given: ``(k, 2)`` rows
        of (seat, new winner's column), as a solver returns them."""
        won = self.winner_idx
        if flips is not None:
            won = won.copy()
            won[flips[:, 0]] = flips[:, 1]
        counts = np.bincount(won, minlength=len(self.parties))
        return {p: int(n) for p, n in zip(self.parties, counts, strict=True) if n}

    def index(self, code: str, field_name: str = "party", campaigning: bool = False) -> int:
        """Column of a party code, with a clear error naming the parties present (with
        ``campaigning``, only those that can campaign for seats: not the Speaker, not independents)."""
        if code not in self.parties:
            from seatcast.rules import NOT_PARTIES

            parties.party(code)  # unknown code -> registry error
            allowed = [p for p in self.parties if not (campaigning and p in NOT_PARTIES)]
            raise SeatcastError(field_name, f"{code!r} has no votes in {self.label}", allowed)
        return self.parties.index(code)


def from_baseline(election: str) -> Field:
    """The actual result of an election as a :class:`Field`."""
    b = load_baseline(str(election))
    return Field(b.election, b.election, b.seats, b.parties, b.votes, b.top_frac, data_version())


def from_projection(proj) -> Field:
    """A :class:`seatcast.swing.Projection` as whole votes on the baseline's turnout."""
    b = proj.baseline
    votes = np.rint(proj.shares * b.weights[:, None])
    label = f"{b.election} + scenario ({proj.model})"
    return Field(label, b.election, b.seats, b.parties, votes, b.top_frac, proj.data_version)


def field_on(baseline: str, scenario=None, model: str = defaults.MODEL):
    """``(base_fld, fld, proj)``: the baseline result, and the field to work on, which is the
    projection of ``scenario`` when one is given (``proj`` is then that projection, else None)."""
    base_fld = from_baseline(baseline)
    if scenario is None:
        return base_fld, base_fld, None
    from seatcast.swing import project

    proj = project(scenario, baseline, model)
    return base_fld, from_projection(proj), proj


def recount(fld: Field, new: Field, base_fld: Field) -> dict:
    """Seats, changes, verdicts and flips of ``new`` against ``fld`` (itself against ``base_fld``),
    as keyword arguments for a result object."""
    from seatcast.parliament import parliament

    before = parliament(fld.winners, base_fld.winners, fld.seats)
    after = parliament(new.winners, fld.winners, fld.seats)
    return {
        "seats_before": before.seats,
        "seats_after": after.seats,
        "changes": {p: after.seats.get(p, 0) - before.seats.get(p, 0)
                    for p in set(after.seats) | set(before.seats)},
        "verdict_before": before.verdict,
        "verdict_after": after.verdict,
        "flips": after.flip_records(),
    }


def routes(rows, by: str) -> tuple[dict, ...]:
    """A plan's seat rows (each with ``to`` and ``by``: ``{source party: voters}``) totalled by
    route: ``from``, ``to``, ``voters`` and the number of ``seats``, most voters first."""
    totals: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        for src, n in row.get(by, {}).items():
            t = totals.setdefault((src, row["to"]), [0, 0])
            t[0] += n
            t[1] += 1
    return tuple({"from": a, "to": b, "voters": n, "seats": k}
                 for (a, b), (n, k) in sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0])))


def parse_parties(text: str | list | tuple | None, field_name: str) -> tuple[str, ...]:
    """``"lab,ld"`` (or ``"lab+ld"``, as ``seatcast forecast --bloc`` writes a bloc) or a list ->
    validated party codes."""
    if text is None:
        return ()
    items = re.split(r"[,+]", text) if isinstance(text, str) else list(text)
    codes = tuple(dict.fromkeys(i.strip().lower() for i in items if i and i.strip()))
    for c in codes:
        if c not in parties.REGISTRY:
            raise SeatcastError(field_name, f"unknown party code {c!r}", parties.CODES)
    return codes


def parse_party(text: str | None, field_name: str = "party") -> str:
    """Exactly one validated party code."""
    codes = parse_parties(text, field_name)
    if not codes:
        raise SeatcastError(field_name, "give a party code", parties.CODES)
    if len(codes) != 1:
        raise SeatcastError(field_name, f"give exactly one party code, got {text!r}", parties.CODES)
    return codes[0]


def campaign_party(text: str | None, field_name: str = "party") -> str:
    """One party code that can campaign for seats: not the Speaker, not independents
    (:data:`seatcast.rules.NOT_PARTIES`, a label for many unconnected candidates)."""
    from seatcast.rules import NOT_PARTIES

    allowed = [c for c in parties.CODES if c not in NOT_PARTIES]
    try:
        code = parse_party(text, field_name)
    except SeatcastError as exc:  # the same message, listing only the parties that campaign
        raise SeatcastError(field_name, exc.message, allowed) from None
    if code in NOT_PARTIES:
        raise SeatcastError(field_name, f"{code!r} is not a party that campaigns for seats", allowed)
    return code


def resolve_seats(spec, fld: Field, field_name: str = "seats") -> np.ndarray:
    """``(seat,)`` mask from a seat spec.

    Accepted: a list of ONS codes or seat names; a string of them, comma-separated; ``held-by:PARTY``
    (seats that party won in the field); ``file:PATH`` (one ONS code per line or a CSV
    with an ``ons_code`` column); ``unite-to-remain`` (the 2019 pact's 60 seats, see
    :mod:`seatcast.campaign.pacts`); ``all``.
    """
    if isinstance(spec, str):
        s = spec.strip()
        if s == "all":
            return np.ones(len(fld.codes), bool)
        if s.startswith("held-by:"):
            code = s.split(":", 1)[1].strip()
            return fld.winners == parse_party(code, field_name)
        if s.startswith("file:"):
            return _codes_mask(_read_codes(Path(s[5:]), field_name), fld, field_name)
        if s == "unite-to-remain":
            from seatcast.campaign.presets import unite_to_remain_codes

            return _codes_mask(list(unite_to_remain_codes(fld)), fld, field_name)
        spec = [c.strip() for c in s.split(",") if c.strip()]
        if not spec:
            raise SeatcastError(field_name, f"no seats given in {s!r}: give ONS codes or names "
                                            "(comma-separated), held-by:PARTY, file:PATH or all")
    return _codes_mask(list(spec), fld, field_name)


def _codes_mask(codes: list[str], fld: Field, field_name: str) -> np.ndarray:
    """Mask of ONS codes or seat names (matched as ``seatcast seat`` does: 'islington n')."""
    from seatcast.data.seats import match_seat

    names = dict(zip(fld.codes, fld.seats["constituency"], strict=True)) if len(codes) else {}
    found = [c if c in fld.codes else match_seat(c, names, field_name) for c in codes]
    unknown = [c for c, f in zip(codes, found, strict=True) if f is None]
    if unknown:
        raise SeatcastError(field_name, f"unknown seat(s) for {fld.election} boundaries (give ONS codes or "
                            f"names): {', '.join(unknown[:5])}" + (" ..." if len(unknown) > 5 else ""))
    return fld.codes.isin(found)


def _read_codes(path: Path, field_name: str) -> list[str]:
    lines = [ln.strip() for ln in _io.read_text_file(path, field_name).splitlines() if ln.strip()]
    if not lines:
        raise SeatcastError(field_name, f"{str(path)!r} lists no seats")
    if lines and "ons_code" in lines[0].split(","):
        col = lines[0].split(",").index("ons_code")
        return [ln.split(",")[col].strip() for ln in lines[1:]]
    return [ln.split(",")[0].strip() for ln in lines]
