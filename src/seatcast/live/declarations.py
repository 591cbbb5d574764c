"""Declared results: parsing and reading them (JSON objects, one per line, from a file or stdin).

A declaration names a seat by ONS code (``"ons_code"``) or name (``"seat"`` or
``"constituency"``) and gives either ``"votes"`` (party code -> votes; the winner is the
party with most) or only ``"winner"`` (a party code), when that is all that is known.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from seatcast.errors import SeatcastError

KEYS = ("ons_code", "seat", "constituency", "votes", "winner", "declared_at")


@dataclass(frozen=True)
class Declaration:
    """One declared seat: ``votes`` per party (may be empty) and the ``winner``."""

    ons_code: str
    constituency: str
    winner: str
    votes: dict[str, float]
    declared_at: str | None = None

    def as_dict(self) -> dict:
        return {"ons_code": self.ons_code, "constituency": self.constituency, "winner": self.winner,
                "votes": self.votes, "declared_at": self.declared_at}


def parse(obj, prior) -> Declaration:
    """Validate one declaration (a dict) against the prior's seats and parties."""
    if not isinstance(obj, dict):
        raise SeatcastError("declaration", f"expected a JSON object, got {type(obj).__name__}")
    unknown = set(obj) - set(KEYS)
    if unknown:
        raise SeatcastError("declaration", f"unknown key {sorted(unknown)[0]!r}", KEYS)
    key = obj.get("ons_code") or obj.get("seat") or obj.get("constituency")
    if not key:
        raise SeatcastError("ons_code", "each declaration needs an ons_code, seat or constituency")
    i = prior.seat_index(key)
    votes = _votes(obj.get("votes") or {}, prior)
    winner = obj.get("winner")
    if votes:
        top = max(votes, key=votes.get)
        if winner is not None and winner != top:
            raise SeatcastError("winner", f"{winner!r} disagrees with the votes, where {top!r} leads")
        winner = top
    if winner is None:
        raise SeatcastError("votes", "each declaration needs votes or a winner")
    prior.party_index(winner)
    at = obj.get("declared_at")
    return Declaration(str(prior.seats.index[i]), str(prior.seats["constituency"].iloc[i]), winner,
                       votes, None if at is None else str(at))


def _votes(raw, prior) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise SeatcastError("votes", "expected an object of party code -> votes")
    out = {}
    for p, v in raw.items():
        prior.party_index(p)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise SeatcastError(f"votes.{p}", f"{v!r} is not a non-negative number of votes")
        if v > 0:
            out[p] = float(v)
    if raw and not out:
        raise SeatcastError("votes", "every party has zero votes")
    return out


def parse_line(line: str, prior, where: str = "line") -> Declaration | None:
    """One JSON line (blank lines give None); errors name the line."""
    text = line.strip()
    if not text:
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SeatcastError(where, f"not valid JSON ({exc.msg})") from None
    try:
        return parse(obj, prior)
    except SeatcastError as exc:
        raise SeatcastError(f"{where}.{exc.field}", str(exc).split(": ", 1)[-1]) from None


def read_lines(lines: Iterable[str], prior, name: str = "line") -> Iterator[Declaration]:
    """Declarations from an iterable of JSON lines (a file or stdin)."""
    for n, line in enumerate(lines, 1):
        d = parse_line(line, prior, f"{name} {n}")
        if d is not None:
            yield d


def follow(path: str | Path, prior, poll: float = 0.5, idle: float | None = None) -> Iterator[Declaration]:
    """Declarations from a file that grows: complete lines as they are appended.

    Stops after ``idle`` seconds without a new line (None: never)."""
    path = Path(path)
    if not path.is_file():
        raise SeatcastError("file", f"{path} does not exist")
    buf, n, last = "", 0, time.monotonic()
    with path.open(encoding="utf-8") as fh:
        while True:
            chunk = fh.read()
            if chunk:
                buf += chunk
                last = time.monotonic()
                *lines, buf = buf.split("\n")
                for line in lines:
                    n += 1
                    d = parse_line(line, prior, f"{path.name} line {n}")
                    if d is not None:
                        yield d
            elif idle is not None and time.monotonic() - last > idle:
                return
            else:
                time.sleep(poll)
