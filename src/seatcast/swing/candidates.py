"""Candidates, not only parties: who stands where, personal votes and per-seat overrides.

A projection carries a *candidate table* (:class:`Candidates`) built from its baseline:

* **Who stands.** A party stands in a seat if it had votes there at the baseline or the
  geography prior (:mod:`seatcast.swing.prior`) filled the seat for it; ``other`` (the
  minor-candidate bucket) may stand anywhere. A party that does not stand gets 0 in that
  seat, whatever the swing model gave it, and its share goes to the others in proportion.
* **Personal votes.** An independent MP or the Speaker (party ``ind`` or ``speaker`` winning the
  seat at the baseline) is assumed to stand again. Their share is not swung with a national
  party: it is their baseline share times the *retention factor* of their label (:func:`retention_factor`),
  and the parties standing against them share the rest in the proportions the model gave.
* **Incumbency.** A baseline winner who was a new MP at the baseline gets the first-term effect
  fitted in :mod:`seatcast.swing.incumbency` added to their party's share (the others scaled to
  make room), before personal votes and overrides are pinned.
* **Overrides.** The user may pin any standing party's share in a seat (``ind=40``), add a
  candidate that did not stand (``green=20``) or remove one (``ind=0`` or ``-ind``).

Retention factors (:func:`retention_pairs`, :func:`retention_factor`): every independent or Speaker
who won at least :data:`PERSONAL_MIN` of the vote in one general election of 2010-2019 and stood
again, under the same label, at the next. Candidates are matched by normalised name; a pair must be
in the same seat, or for 2019 -> 2024 in a 2024 seat that overlaps the 2019 seat (House of Commons
Library boundary overlaps; the 2019 notionals carry no candidate names). There is one factor per
label, because the two are different kinds of candidacy: by convention the major parties do not
stand against the Speaker, so a Speaker's share grows when the field thins (Bercow 47% -> 65%),
while an independent faces every party. Each factor is the ratio of its label's summed shares
(second election over first), i.e. the share-weighted mean of the individual ratios. It is
forward-chained: a baseline uses only pairs whose second election is no later than the baseline,
and a label with no pairs yet (both at the 2010 baseline) has factor 1.
The pairs found are listed in ``docs/accuracy.md`` ("Candidates and personal votes").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from seatcast import _cache, parties
from seatcast.data import history
from seatcast.data.baseline import Baseline
from seatcast.elections import ELECTION_ORDER, election
from seatcast.errors import SeatcastError
from seatcast.rules import NOT_PARTIES

if TYPE_CHECKING:
    import pandas as pd

#: Labels whose vote belongs to a person rather than a national party (independents, the Speaker).
PERSONAL = NOT_PARTIES
#: Smallest first-election share for a retention pair (a deposit-saving 5%, the HoC threshold).
PERSONAL_MIN = 0.05
#: Parties that may stand in any seat (the bucket of minor candidates).
ALWAYS = ("other",)


def retention_pairs() -> pd.DataFrame:
    """Every personal-vote candidate (:data:`PERSONAL`, at least :data:`PERSONAL_MIN`) of 2010-2019
    who stood again at the next election (:func:`seatcast.data.history.retention_pairs`).

    Columns: candidate, party, first, first_seat, first_share, second, second_seat, second_share.
    """
    return history.retention_pairs(PERSONAL, PERSONAL_MIN)


def retention_factor(label: str, upto: int | None = None) -> tuple[float, int]:
    """(factor, number of pairs) of the ``label`` (``ind`` or ``speaker``) pairs whose second
    election is in or before ``upto`` (module docstring); (1.0, 0) without pairs."""
    if label not in PERSONAL:
        raise SeatcastError("label", f"no personal-vote label {label!r}", list(PERSONAL))
    pairs = retention_pairs()
    pairs = pairs[pairs["party"] == label]
    if upto is not None:
        pairs = pairs[pairs["second"].astype(int) <= upto]
    if pairs.empty:
        return 1.0, 0
    return float(pairs["second_share"].sum() / pairs["first_share"].sum()), len(pairs)


@cache
def _retention(label: str, upto: int) -> tuple[float, int]:
    """:func:`retention_factor` for a baseline year, from the array cache (every projection's
    candidate table uses it; finding the pairs reads every results file)."""
    got = _cache.arrays("retention-by-label", _retention_arrays)
    hit = np.flatnonzero((got["year"] == upto) & (got["label"] == label))
    if not hit.size:
        return retention_factor(label, upto)
    return float(got["factor"][hit[0]]), int(got["pairs"][hit[0]])


def _retention_arrays() -> dict[str, np.ndarray]:
    keys = [(label, election(e).year) for label in PERSONAL for e in ELECTION_ORDER]
    found = [retention_factor(label, y) for label, y in keys]
    return {"label": np.array([k for k, _ in keys]), "year": np.array([y for _, y in keys]),
            "factor": np.array([f for f, _ in found]), "pairs": np.array([n for _, n in found])}


def find_seat(base: Baseline, text: str, field_name: str = "seat") -> str:
    """The ONS code of a seat given by ONS code or name, matched as
    :func:`seatcast.data.seats.match_seat` does ('islington n', 'ynys mon'), or a clear error
    suggesting close names: a typo is not corrected silently in an override."""
    from seatcast.data.seats import match_seat

    names = dict(zip(base.ons, base.column("constituency"), strict=True))
    found = match_seat(text, names, field_name)
    if found is not None:
        return found
    key = " ".join(str(text).split()).casefold()
    by_name = {n.casefold(): c for c, n in names.items()}
    close = difflib.get_close_matches(key, list(by_name), n=5, cutoff=0.6)
    close = [names[by_name[c]] for c in close]
    hint = f"; did you mean: {'; '.join(close)}" if close else "; give a constituency name or ONS code"
    raise SeatcastError(field_name, f"no seat {text!r} in the {base.election} baseline{hint}")


@dataclass(frozen=True)
class Override:
    """One seat override: ``share`` in percent pins ``party`` (adding it if absent); 0 removes it."""

    seat: str  # name or ONS code as given
    party: str
    share: float
    where: str = field(default="seat", compare=False)  # named in errors: "seats_file line 3"


def parse_overrides(items: Iterable[str] | Mapping | None) -> list[Override]:
    """Overrides from ``"Islington North:ind=40,lab=30"`` strings (``-ind`` removes) or a mapping
    ``{seat: {party: share}}``."""
    if not items:
        return []
    if isinstance(items, Mapping):
        return [Override(seat, p, _share(v, f"seats.{seat}.{p}"))
                for seat, d in items.items() for p, v in dict(d).items()]
    out = []
    for spec in items:
        if isinstance(spec, Override):
            out.append(spec)
            continue
        seat, sep, text = str(spec).rpartition(":")
        if not sep or not seat.strip() or not text.strip():
            raise SeatcastError("seat", f"expected 'Seat name:party=share', got {spec!r}")
        for item in filter(None, (t.strip() for t in text.split(","))):
            if item.startswith("-"):
                out.append(Override(seat.strip(), item[1:].strip(), 0.0))
                continue
            party, eq, value = item.partition("=")
            if not eq:
                raise SeatcastError("seat", f"expected party=share or -party, got {item!r}")
            out.append(Override(seat.strip(), party.strip(), _share(value, f"seat.{party.strip()}")))
    return out


def read_overrides(path) -> list[Override]:
    """Overrides from a CSV with columns ``seat,party,share`` (share 0 or empty removes)."""
    try:
        import pandas as pd

        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:  # ParserError, EmptyDataError, UnicodeDecodeError
        raise SeatcastError("seats_file", f"cannot read {path}: {exc}") from None
    missing = {"seat", "party", "share"} - set(df.columns)
    if missing:
        raise SeatcastError("seats_file", f"missing column(s) {sorted(missing)}",
                            ["seat", "party", "share"])
    return [Override(r.seat, r.party.strip(), _share(r.share or 0, f"seats_file line {i + 2}.share"),
                     f"seats_file line {i + 2}") for i, r in enumerate(df.itertuples())]


def _share(value, where: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SeatcastError(where, f"share {value!r} is not a number") from None
    if not 0.0 <= v <= 100.0:
        raise SeatcastError(where, f"share {v:g} is outside 0-100")
    return v


@dataclass(frozen=True, eq=False)
class Candidates:
    """Who stands where in a projection, and the shares pinned to candidates.

    ``stands``: (seat, party) bool; ``pinned``: (seat, party) fraction pinned, NaN where the
    model decides; ``why``: (ons_code, party) -> reason, for each pin; ``retention``: the factor
    and its number of pairs by personal-vote label (``ind``, ``speaker``).
    """

    codes: np.ndarray  # (seat,) ONS codes
    parties: tuple[str, ...]
    stands: np.ndarray = field(repr=False)
    pinned: np.ndarray = field(repr=False)
    why: Mapping[tuple[str, str], str] = field(repr=False)
    names: Mapping[tuple[str, str], str] = field(repr=False)
    retention: Mapping[str, tuple[float, int]]
    notices: tuple[str, ...] = ()
    boost: np.ndarray | None = field(default=None, repr=False)  # (seat,) incumbency effect, fraction
    boost_col: np.ndarray | None = field(default=None, repr=False)  # (seat,) column it applies to

    def table(self) -> pd.DataFrame:
        """One row per standing candidate: ons_code, party, candidate (if known), pinned share, why."""
        s, p = np.nonzero(self.stands)
        rows = [(self.codes[i], self.parties[j], self.names.get((self.codes[i], self.parties[j]), ""),
                 None if np.isnan(self.pinned[i, j]) else round(100 * float(self.pinned[i, j]), 2),
                 self.why.get((self.codes[i], self.parties[j]), ""))
                for i, j in zip(s, p, strict=True)]
        import pandas as pd

        return pd.DataFrame(rows, columns=["ons_code", "party", "candidate", "pinned", "why"])

    def seat(self, ons: str) -> dict:
        """The candidates standing in one seat: party -> {candidate, pinned (percent), why}."""
        i = int(np.flatnonzero(self.codes == ons)[0])
        pin = [None if np.isnan(v) else round(100 * float(v), 2) for v in self.pinned[i]]
        return {p: {"candidate": self.names.get((ons, p)), "pinned": pin[j],
                    "why": self.why.get((ons, p))}
                for j, p in enumerate(self.parties) if self.stands[i, j] or (ons, p) in self.why}


def candidate_names(base: Baseline) -> dict[tuple[str, str], str]:
    """(ons_code, party) -> the party's largest candidate at the baseline (none for notionals)."""
    return history.candidate_names(base.election)


def build(base: Baseline, shares: np.ndarray, overrides: Iterable[Override] = (),
          held: np.ndarray | None = None) -> Candidates:
    """The candidate table of a prepared baseline (``shares``: after the geography prior).

    ``held``: (seat,) True in areas that keep their baseline result (Northern Ireland without NI
    shares, or a zero-swing scenario); there personal votes and incumbency change nothing."""
    held = np.zeros(len(base.ons), bool) if held is None else held
    year = election(base.election).year
    retention = {label: _retention(label, year) for label in PERSONAL}
    stands = shares > 0
    stands[:, [base.party_index(p) for p in ALWAYS if p in base.parties]] = True
    pinned = np.full(shares.shape, np.nan)
    why: dict[tuple[str, str], str] = {}
    names = candidate_names(base)
    winners, actual = base.winners, base.shares
    for j, code in enumerate(base.parties):
        if code not in PERSONAL:
            continue
        factor, n = retention[code]
        for i in np.flatnonzero((winners == code) & ~held):
            pinned[i, j] = min(0.95, actual[i, j] * factor)
            who = names.get((base.ons[i], code), "the sitting " + parties.name(code).lower())
            why[(base.ons[i], code)] = (f"personal vote: {who} {100 * actual[i, j]:.1f}% at "
                                          f"{base.election} x retention {factor:.3f} "
                                          f"({n} {code} pairs) = {100 * pinned[i, j]:.1f}%")
    notices = [_override(base, stands, pinned, why, o) for o in overrides]
    _check_room(base, stands, pinned, why)
    boost, col = _incumbency(base, stands & ~held[:, None], pinned, why, names)
    return Candidates(base.ons, base.parties, stands, pinned, why, names, retention,
                      tuple(notices), boost, col)


def _incumbency(base, stands, pinned, why, names) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(seat,) first-term effect on the baseline winner's column (module docstring), or Nones."""
    from seatcast.swing import incumbency

    effect = incumbency.EFFECT_BY_BASELINE.get(base.election, (0.0, 0.0))[0]
    new = incumbency.first_term(base.election) if incumbency.USE_BY_DEFAULT and effect else None
    if new is None:
        return None, None
    from seatcast.parliament.kernels import winner_index

    col = winner_index(base.shares, base.top_frac)  # the column of ``base.winners``
    rows = np.arange(len(col))
    ok = new & stands[rows, col] & np.isnan(pinned[rows, col]) & ~np.isin(base.winners, PERSONAL)
    keys, texts = _first_term_why(base, names, effect)
    why.update((keys[i], texts[i]) for i in np.flatnonzero(ok).tolist())
    return np.where(ok, effect, 0.0), col


_WHY: dict[tuple, tuple[list, list]] = {}


def _first_term_why(base, names, effect: float) -> tuple[list, list]:
    """Every seat's (ons_code, winner) key and first-term reason, made once per baseline labelling
    (every projection needs those of about half the seats)."""
    key = (base.election, base.parties, effect)
    hit = _WHY.get(key)
    if hit is None:
        keys = list(zip(base.ons.tolist(), base.winners.tolist(), strict=True))
        texts = [(f"first-term incumbent {names.get(k, '')}: {100 * effect:+.1f} points "
                  "(fitted 2010-2019, seatcast.swing.incumbency)").replace("  ", " ") for k in keys]
        if len(_WHY) >= 64:
            _WHY.clear()
        hit = _WHY[key] = (keys, texts)
    return hit


def _override(base, stands, pinned, why, o: Override) -> str:
    ons = find_seat(base, o.seat, o.where)
    i = base.rows[ons]
    nation = base.column("country")[i]
    allowed = [c for c in parties.CODES if nation in parties.REGISTRY[c].nations]
    if o.party not in allowed:
        raise SeatcastError(f"{o.where}.{o.party}", f"party {o.party!r} cannot stand in {nation}", allowed)
    j = base.party_index(o.party)
    name = base.column("constituency")[i]
    if o.share <= 0:
        stands[i, j], pinned[i, j] = False, np.nan
        why[(ons, o.party)] = "removed by the user"
        return f"{name}: {o.party} does not stand (user override)"
    stands[i, j], pinned[i, j] = True, o.share / 100.0
    why[(ons, o.party)] = f"set by the user to {o.share:g}%"
    return f"{name}: {o.party} set to {o.share:g}% (user override)"


def _check_room(base: Baseline, stands: np.ndarray, pinned: np.ndarray, why: Mapping) -> None:
    empty = np.flatnonzero(~stands.any(axis=1))
    if empty.size:
        name = base.column("constituency")[empty[0]]
        raise SeatcastError("seat", f"no candidate left standing in {name}")
    total = np.nansum(pinned, axis=1)
    bad = np.flatnonzero(total > 1.0 + 1e-9)
    if bad.size:
        i = bad[0]
        name, ons = base.column("constituency")[i], base.ons[i]
        pins = [(p, 100 * pinned[i, j]) for j, p in enumerate(base.parties) if not np.isnan(pinned[i, j])]
        parts = ", ".join(f"{p} {v:.1f} ({_source(why.get((ons, p), ''))})" for p, v in pins)
        raise SeatcastError("seat", f"pinned shares in {name} add up to {100 * total[i]:.1f}, more than "
                                    f"100: {parts}; lower one, or remove one ('{name}:-{pins[-1][0]}')")


def _source(why: str) -> str:
    return "set by the user" if why.startswith("set by the user") else "personal vote"


def apply(cands: Candidates | None, shares: np.ndarray) -> np.ndarray:
    """Apply a candidate table to ``(..., seat, party)`` shares (rules in the module docstring).

    Non-standing parties get 0 (the rest renormalised); the incumbency effect moves the baseline
    winner's share; pinned shares are set and the other standing parties share the rest in the
    proportions of ``shares``. Rows still sum to 1. Every draw of a forecast runs this, so it makes
    few full passes over the array: one product, one sum and one scaling.
    """
    if cands is None:
        return shares
    out = shares * cands.stands
    total = out.sum(axis=-1)
    scale = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    rows, cols, new = _boosted(out, scale, cands)
    out *= scale[..., None]
    if rows is not None:
        out[..., rows, cols] = new
    return _pin(out, cands)


def _boosted(out, scale, cands):
    """Fold the incumbency effect into the row ``scale``; returns the new winner shares."""
    if cands.boost is None or not cands.boost.any():
        return None, None, None
    rows = np.flatnonzero(cands.boost)
    cols = cands.boost_col[rows]
    old = out[..., rows, cols] * scale[..., rows]
    new = np.clip(old + cands.boost[rows], 0.0, 1.0)
    room = np.divide(1.0 - new, 1.0 - old, out=np.ones_like(old), where=old < 1.0)
    scale[..., rows] *= room
    return rows, cols, new


def _pin(out: np.ndarray, cands: Candidates) -> np.ndarray:
    """Set pinned shares; the other parties of those seats share the rest pro rata."""
    pin = ~np.isnan(cands.pinned)
    rows = np.flatnonzero(pin.any(axis=1))
    if not rows.size:
        return out
    sub = out[..., rows, :] * ~pin[rows]
    free = sub.sum(axis=-1, keepdims=True)
    room = 1.0 - np.nansum(cands.pinned[rows], axis=1, keepdims=True)
    sub = sub * np.divide(room, free, out=np.zeros_like(free), where=free > 0)
    sub = np.where(pin[rows], np.nan_to_num(cands.pinned[rows]), sub)
    total = sub.sum(axis=-1, keepdims=True)  # below 1 only when nobody else stands
    out[..., rows, :] = np.divide(sub, total, out=np.zeros_like(sub), where=total > 0)
    return out
