"""Target-list audit: how a campaign's list of target seats fared at the actual election.

Input: a CSV with a header ``ons_code,type`` (``type`` is ``offensive`` or ``defensive``)
and optionally a ``party`` column naming the campaigning party (one party per file).
Codes are on the boundaries of the audited election. The list is judged against the
previous election (the result, or the 2019 notional result for 2024:
``seatcast.data.ELECTIONS[...].previous``):

* targets won (offensive) and held (defensive);
* offensive targets that needed more swing than the election delivered: the seat's
  needed swing (Butler two-party swing from the previous winner, see
  :mod:`seatcast.campaign.targets`) against the GB-wide swing from that winner's party to
  the campaigning party between the two elections;
* seats not on the list that the party lost, or failed to win, by fewer than
  ``threshold`` votes (its margin to the winner, or the winner's margin over it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seatcast import _io, defaults, parties
from seatcast.campaign import common, kernels
from seatcast.data import ELECTIONS
from seatcast.data import election as get_election
from seatcast.errors import SeatcastError

TYPES = ("offensive", "defensive")
MAX_BYTES = 1_000_000  # a list of all 650 seats is about 20 kB
MAX_ROWS = 2_000


@dataclass(frozen=True)
class Audit:
    """The audit and its inputs."""

    party: str
    election: str
    previous: str
    threshold: int
    n_offensive: int
    n_defensive: int
    targets_won: tuple[dict, ...]
    targets_missed: tuple[dict, ...]
    defences_held: tuple[dict, ...]
    defences_lost: tuple[dict, ...]
    beyond_swing: tuple[dict, ...]
    unlisted_close: tuple[dict, ...]
    data_version: str

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def read_targets(source, valid_codes, where: str = "these boundaries") -> tuple[dict[str, str], str | None]:
    """``{ons_code: type}`` and the optional party, from a path or CSV text; errors give the line
    (``where`` names the boundaries of ``valid_codes`` in the unknown-code message)."""
    name = "targets"
    if isinstance(source, (str, Path)) and "\n" not in str(source):
        path = Path(source)
        name, text = path.name, _io.read_text_file(path, "targets", MAX_BYTES)
    else:
        text = str(source)
    try:
        reader = csv.reader(io.StringIO(text))
        rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise SeatcastError(name, f"not a readable CSV file: {exc}") from None
    if len(rows) > MAX_ROWS:
        raise SeatcastError(name, f"{len(rows):,} rows; a target list has at most {MAX_ROWS:,}")
    if not rows or [h.strip().lower() for h in rows[0][1]][:2] != ["ons_code", "type"]:
        raise SeatcastError(f"{name} line {rows[0][0] if rows else 1}",
                            "the header must start with ons_code,type")
    header = [h.strip().lower() for h in rows[0][1]]
    out, party = {}, None
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise SeatcastError(f"{name} line {line}", f"expected {len(header)} fields, got {len(row)}")
        rec = {h: c.strip() for h, c in zip(header, row, strict=True)}
        code, kind = rec["ons_code"], rec["type"].lower()
        if code not in valid_codes:
            raise SeatcastError(f"{name} line {line}", f"unknown ONS code {code!r} for {where}")
        if kind not in TYPES:
            raise SeatcastError(f"{name} line {line}", f"type {rec['type']!r} is not valid", TYPES)
        if code in out:
            raise SeatcastError(f"{name} line {line}", f"{code} is listed twice")
        if rec.get("party"):
            p = rec["party"].lower()
            if p not in parties.REGISTRY or (party and p != party):
                raise SeatcastError(f"{name} line {line}", f"party {rec['party']!r} is unknown or differs "
                                    "from earlier lines", parties.CODES)
            party = p
        out[code] = kind
    if not out:
        raise SeatcastError(name, "no target seats listed")
    return out, party


def _gb_swing(prev, res, a, b_codes):
    """``(seat,)`` GB Butler swing from each seat's previous winner ``b`` to ``a`` (fractions)."""
    def gb(fld):
        m = np.isin(fld.seats["country"].to_numpy(), parties.GB)
        t = fld.votes[m].sum(axis=0)
        return dict(zip(fld.parties, t / t.sum(), strict=True))

    g0, g1 = gb(prev), gb(res)
    ch = {p: g1.get(p, 0.0) - g0.get(p, 0.0) for p in set(g0) | set(g1)}
    return np.array([(ch.get(a, 0.0) - ch.get(b, 0.0)) / 2 for b in b_codes])


def audit(targets, election: str = defaults.BASELINE, party: str | None = None,
          threshold: int = 1000) -> Audit:
    """Audit a target list (path or CSV text) against ``election`` (see the module docstring)."""
    e = get_election(election)
    if e.previous is None:
        raise SeatcastError("election", f"{e.id} has no previous election to judge targets from",
                            [k for k, v in ELECTIONS.items() if v.previous])
    prev, res = common.from_baseline(e.previous), common.from_baseline(e.id)
    listed, csv_party = read_targets(targets, set(res.codes),
                                     f"the {e.boundaries} boundaries the {e.id} election was fought on")
    code = common.parse_parties(party or csv_party or "", "party")
    if not code:
        raise SeatcastError("party", "name the campaigning party (--party, or a party column)")
    a_res, a_prev = res.index(code[0]), prev.index(code[0])
    tot = prev.votes.sum(axis=1, keepdims=True)
    needed = kernels.swing_needed(prev.comp / tot, a_prev)
    delivered = _gb_swing(prev, res, code[0], prev.winners)
    won = res.winner_idx == a_res
    margin = _margin(res, a_res)

    def row(s, **extra):
        return {"ons_code": res.codes[s], "constituency": res.seats["constituency"].iat[s],
                "previous_winner": str(prev.winners[s]), "winner": str(res.winners[s]),
                "margin": int(margin[s]), **extra}

    idx = {c: res.codes.get_loc(c) for c in listed}
    off = [idx[c] for c, k in listed.items() if k == "offensive"]
    dfn = [idx[c] for c, k in listed.items() if k == "defensive"]
    beyond = [row(s, swing_needed=round(100 * float(needed[s]), 2),
                  swing_delivered=round(100 * float(delivered[s]), 2))
              for s in off if needed[s] > delivered[s]]
    close = [row(s, kind="lost" if prev.winner_idx[s] == a_prev else "missed")
             for s in np.argsort(np.abs(margin), kind="stable")
             if res.codes[s] not in listed and abs(margin[s]) < threshold and not won[s]]
    return Audit(code[0], e.id, e.previous, threshold, len(off), len(dfn),
                 tuple(row(s) for s in off if won[s]), tuple(row(s) for s in off if not won[s]),
                 tuple(row(s) for s in dfn if won[s]), tuple(row(s) for s in dfn if not won[s]),
                 tuple(beyond), tuple(close), res.data_version)


def _margin(fld, a):
    """``(seat,)`` party ``a``'s lead over the best rival in votes (negative: behind the winner)."""
    comp = fld.comp
    return comp[:, a] - np.delete(comp, a, axis=1).max(axis=1)
