"""Government arithmetic on simulated parliaments: blocs, the working majority, ousting the largest party.

Rules (House of Commons Library, "Majorities in the House of Commons"; see
:mod:`seatcast.parliament.arithmetic`): the Speaker does not vote and Sinn Féin MPs do not take
their seats, so in each draw the *working-majority line* is ``floor(voting / 2) + 1`` with
``voting = seats - speaker - sinn_fein``. A bloc *reaches the working majority* when its seats
are at least that line. A bloc *can oust the largest party* when it reaches the line while the
largest party (most seats; ties go to the party listed first) is not in it: for example the
opposition parties together outvoting a largest party that holds more seats than any one of them.

Kernels take ``seats`` as ``(draw, party)`` integer arrays with ``parties`` naming the columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np

from seatcast import parties as registry
from seatcast.errors import SeatcastError
from seatcast.parliament.arithmetic import NON_VOTING

#: Default blocs: every party that won seats at the 2024 general election (HoC Library
#: CBP-10009), except the Speaker, Sinn Féin (abstains) and independents, in one of two
#: blocs: the parties of the right, and Labour with the centre-left parties. A test checks
#: the 2024 result against this. A blocs file (:func:`load_blocs`, ``--blocs FILE``) or
#: ``--bloc`` replaces them.
DEFAULT_BLOCS: dict[str, tuple[str, ...]] = {
    "con+reform+dup+uup+tuv": ("con", "reform", "dup", "uup", "tuv"),
    "lab+ld+snp+green+pc+sdlp+alliance": ("lab", "ld", "snp", "green", "pc", "sdlp", "alliance"),
}


def parse_bloc(text: str) -> tuple[str, ...]:
    """``"con+reform+dup"`` -> ``("con", "reform", "dup")``, each code checked. Commas join codes
    too (``con,reform,dup``), as in ``seatcast close-call --bloc``."""
    codes = tuple(c.strip().lower() for c in re.split(r"[+,]", str(text)) if c.strip())
    if not codes:
        raise SeatcastError("bloc", f"expected party codes joined by '+', e.g. con+dup, got {text!r}")
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise SeatcastError("bloc", f"party {', '.join(repeated)} is repeated in {text!r}; "
                            "name each party once")
    for c in codes:
        if c not in registry.REGISTRY or c in NON_VOTING:
            raise SeatcastError("bloc", f"unknown or non-voting party {c!r}",
                                [p for p in registry.CODES if p not in NON_VOTING])
    return codes


def working_line(seats: np.ndarray, parties: tuple[str, ...]) -> np.ndarray:
    """(draw,) seats needed for a working majority in each draw."""
    absent = [parties.index(p) for p in NON_VOTING if p in parties]
    voting = seats.sum(axis=-1) - (seats[..., absent].sum(axis=-1) if absent else 0)
    return voting // 2 + 1


def bloc_seats(seats: np.ndarray, parties: tuple[str, ...], bloc: Iterable[str]) -> np.ndarray:
    """(draw,) total seats of a bloc; members absent from ``parties`` count as zero."""
    idx = [parties.index(p) for p in bloc if p in parties]
    return seats[..., idx].sum(axis=-1) if idx else np.zeros(seats.shape[:-1], seats.dtype)


def largest(seats: np.ndarray) -> np.ndarray:
    """(draw,) column index of the largest party (ties: the column listed first)."""
    return np.argmax(seats, axis=-1)


def bloc_outcomes(seats: np.ndarray, parties: tuple[str, ...], bloc: Iterable[str]) -> dict:
    """Probability that the bloc reaches the working majority, and that it can oust the largest party."""
    bloc = tuple(bloc)
    total = bloc_seats(seats, parties, bloc)
    reach = total >= working_line(seats, parties)
    outside = ~np.isin(np.asarray(parties)[largest(seats)], bloc)
    return {
        "parties": list(bloc),
        "p_working_majority": float(reach.mean()),
        "p_oust_largest": float((reach & outside).mean()),
        "median": float(np.median(total)),
        "p05": float(np.quantile(total, 0.05, method="inverted_cdf")),
        "p95": float(np.quantile(total, 0.95, method="inverted_cdf")),
    }


def bloc_table(seats: np.ndarray, parties: tuple[str, ...],
               blocs: Mapping[str, Iterable[str]] | None = None) -> dict[str, dict]:
    """:func:`bloc_outcomes` for every bloc (default :data:`DEFAULT_BLOCS`), keyed by name."""
    blocs = DEFAULT_BLOCS if blocs is None else blocs
    return {name: bloc_outcomes(seats, parties, members) for name, members in blocs.items()}


def normalise_blocs(blocs) -> dict[str, tuple[str, ...]]:
    """Accept a mapping name -> codes, or an iterable of ``"a+b"`` strings / code tuples."""
    if blocs is None:
        return dict(DEFAULT_BLOCS)
    if isinstance(blocs, Mapping):
        return {str(k): tuple(parse_bloc("+".join(v))) for k, v in blocs.items()}
    out = {}
    for b in blocs:
        codes = parse_bloc(b if isinstance(b, str) else "+".join(b))
        out["+".join(codes)] = codes
    return out


def load_blocs(path) -> dict[str, tuple[str, ...]]:
    """Blocs from a TOML file: one ``name = ["con", "reform"]`` (or ``name = "con+reform"``)
    per bloc, at the top level or under a ``[blocs]`` table. Each bloc is checked as in
    :func:`parse_bloc`."""
    import tomllib

    from seatcast import _io

    text = _io.read_text_file(path, "blocs")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SeatcastError("blocs", f"{str(path)!r} is not valid TOML: {exc}") from None
    doc = doc.get("blocs", doc)
    if not doc or not all(isinstance(v, str | list) for v in doc.values()):
        raise SeatcastError("blocs", f"{str(path)!r}: expected lines like right = [\"con\", \"reform\"]")
    return {str(k): parse_bloc(v if isinstance(v, str) else "+".join(map(str, v))) for k, v in doc.items()}
