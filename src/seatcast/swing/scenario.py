"""Scenarios: national (GB) vote shares, with optional nation and region overrides.

Rules (documented here, applied by :func:`targets`):

* Shares are percentages. Shares that look like fractions (every share at most 1 and a
  total of at most ``FRACTION_TOTAL``) are rejected: "did you mean percent?". A share must
  lie in [0, 100]; the named shares of one area may add up to at most 100 plus
  ``TOLERANCE`` (rounding), and are scaled to 100 if above.
* Parties not named (independents and the Speaker included) keep their baseline share of
  the area ("held"), scaled down if the
  points left over are fewer than they had; whatever is still unassigned goes to
  ``other``, and the notices say so. Name a party with 0 to remove it.
* Polls count independents and the Speaker inside "other" (``INSIDE_OTHER``). A scenario made
  from polls says so (``Scenario.other_covers``, set by :func:`seatcast.polls.scenario_from_polls`):
  then, when ``other`` is named, they are held at their baseline share *out of* the named
  ``other`` (scaled down only if ``other`` is smaller than their baseline), and ``other`` keeps
  the rest. Without this a poll average that names ``other`` would squeeze independents out of
  every seat. In any other scenario ``other`` is the baseline's bucket of minor candidates
  (independents are a column of their own), as in true results (``seatcast hindsight``).
* If the named shares plus the held ones fall short of 100 with ``other`` named, every share
  is scaled up to 100, and a notice says so. Every party held, scaled or dropped is named in
  a notice (``Scenario.notices`` carries those made while building the scenario, e.g. by
  :func:`seatcast.polls.scenario_from_polls`).
* A party named in a scenario but absent from the baseline takes over the baseline votes
  of its family (UKIP -> Brexit Party -> Reform UK): the family's biggest baseline member
  is relabelled. Other members of a named party's family are not held.
* National polls are GB-only, so Northern Ireland keeps its baseline result unless NI
  shares are given. A GB scenario is split into nation targets: a nation-only party
  (SNP, Plaid) keeps its ratio ``N'/N`` in its nation; every other party gets its GB
  change added (:data:`RATIO_MIX` weighs in the ratio rule in Scotland and Wales; it is 0), and
  the nation's shares are rescaled to sum to one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from seatcast import parties
from seatcast.data.baseline import Baseline
from seatcast.errors import SeatcastError
from seatcast.geography import ENGLISH_REGIONS as REGIONS
from seatcast.geography import NATION_NAMES

TOLERANCE = 0.5  # percentage points of rounding allowed above 100
#: Candidates that polls report inside "other" (they are not parties a poll names).
INSIDE_OTHER = ("ind", "speaker")
#: Shares all at most 1 and adding up to at most this are taken for fractions typed by mistake.
FRACTION_TOTAL = 1.5
#: Weight of the ratio rule (``N * G'/G``: a GB party keeps its nation/GB ratio of the baseline)
#: against the additive one (``N + G' - G``) for GB parties in Scotland and Wales when the nation
#: has no poll of its own. Additive (0), chosen leave-one-election-out against 0.25-1 on the
#: four backtests (Scotland and Wales seats called, then SAE; docs/accuracy.md, "GB-change rule
#: in Scotland and Wales"): three folds choose 0, and the 2015 fold's choice (0.75) does worse
#: on 2015 than 0.
RATIO_MIX = 0.0
RATIO_NATIONS = ("Scotland", "Wales")
#: Exchange rule for the SNP in Scotland when Scotland has no poll of its own (2015-2019 cycles:
#: only an SNP estimate, :mod:`seatcast.polls.nations`): a share ``EXCHANGE`` of the SNP's change
#: ``S' - S`` is taken from (or given to) Scottish Labour before the other parties are rescaled;
#: the rest comes from every party in proportion (0, the rule before). 0: the shares 0.2-1 chosen
#: leave-one-election-out on the backtests do worse on the held-out election, or no better, than 0
#: (docs/accuracy.md, "SNP exchange rule"; ``benchmarks/scotland_designs.py``).
EXCHANGE = 0.0
EXCHANGE_PARTY = {"Scotland": ("snp", "lab")}


def _allowed(nations: tuple[str, ...]) -> list[str]:
    """Parties a user may name for an area: national parties standing in those nations."""
    return [c for c in parties.SCENARIO_CODES if c in _standing(nations)]


def _standing(nations: tuple[str, ...]) -> list[str]:
    """Every registry code (independents and the Speaker included) standing in those nations."""
    return [c for c, p in parties.REGISTRY.items() if set(p.nations) & set(nations)]


def validate_shares(shares: Mapping[str, float], where: str, nations: tuple[str, ...],
                    notices: list[str] | None = None) -> dict:
    """Check one area's shares; return them as floats, scaled to 100 if just above it (noted)."""
    allowed = _allowed(nations)
    clean = {}
    for code, value in shares.items():
        if code not in allowed:
            raise SeatcastError(f"{where}.{code}", f"unknown or non-standing party {code!r}",
                                allowed)
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise SeatcastError(f"{where}.{code}", f"share {value!r} is not a number") from None
        if not 0.0 <= v <= 100.0 or v != v:
            raise SeatcastError(f"{where}.{code}", f"share {v:g} is outside 0-100")
        clean[code] = v
    total = sum(clean.values())
    if clean and max(clean.values()) <= 1.0 and 0.0 < total <= FRACTION_TOTAL:
        raise SeatcastError(where, f"shares add up to {total:g}, which looks like fractions; did you mean "
                            f"percent? (e.g. 43 for 43%, not 0.43)")
    if total > 100.0 + TOLERANCE:
        raise SeatcastError(where, f"shares add up to {total:.1f}, more than 100")
    if total > 100.0:
        clean = {k: v * 100.0 / total for k, v in clean.items()}
        if notices is not None:
            notices.append(f"{where}: shares add up to {total:.2f}; every party scaled to 100: "
                           + ", ".join(clean))
    return clean


@dataclass(frozen=True)
class Scenario:
    """Validated vote shares in percent: ``gb``, plus ``nations`` and ``regions`` overrides."""

    gb: Mapping[str, float]
    nations: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    regions: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: What building the scenario did that a user should know (scaled or dropped parties, a fallback).
    notices: tuple[str, ...] = field(default=(), compare=False)
    other_covers: tuple[str, ...] = ()  # candidates counted inside a named "other" (polls: INSIDE_OTHER)
    #: The Speaker standing at the election this scenario is for, when known (a scenario of a past
    #: election); None: the baseline's Speaker (:mod:`seatcast.swing.speaker`).
    speaker: str | None = None

    @property
    def named(self) -> set[str]:
        out = set(self.gb)
        for area in (*self.nations.values(), *self.regions.values()):
            out |= set(area)
        return out

    def as_dict(self) -> dict:
        out = {"gb": dict(self.gb), "nations": {k: dict(v) for k, v in self.nations.items()},
               "regions": {k: dict(v) for k, v in self.regions.items()}}
        return out if self.speaker is None else {**out, "speaker": self.speaker}


_REGION_NAMES = {r.casefold(): r for r in REGIONS}


def scenario(gb: Mapping[str, float] | None = None,
             nations: Mapping[str, Mapping[str, float]] | None = None,
             regions: Mapping[str, Mapping[str, float]] | None = None,
             notices: tuple[str, ...] = (), other_covers: tuple[str, ...] = ()) -> Scenario:
    """Build and validate a :class:`Scenario` (see the module docstring for the rules)."""
    notes = list(notices)
    nat = {}
    for key, shares in (nations or {}).items():
        name = NATION_NAMES.get(str(key).lower())
        if name is None:
            raise SeatcastError("nation", f"unknown nation {key!r}", sorted(set(NATION_NAMES.values())))
        nat[name] = validate_shares(shares, name, (name,), notes)
    reg = {}
    for key, shares in (regions or {}).items():
        name = _REGION_NAMES.get(" ".join(str(key).split()).casefold())  # as forgiving as nations
        if name is None:
            raise SeatcastError("region", f"unknown English region {key!r}", REGIONS)
        if name in reg:
            raise SeatcastError("region", f"{name} is given twice ({key!r})")
        reg[name] = validate_shares(shares, name, ("England",), notes)
    gb_shares = validate_shares(gb or {}, "gb", parties.GB, notes)
    if not gb_shares and not nat and not reg:
        raise SeatcastError("scenario", "give at least one party's share, e.g. con=43")
    return Scenario(gb_shares, nat, reg, tuple(notes), tuple(other_covers))


@dataclass(frozen=True, eq=False)
class Targets:
    """Area targets for a projection.

    ``area``: ``(seat,)`` area index of each seat; ``old``/``new``: ``(area, party)`` baseline and
    target shares of each area (fractions); ``names``: area labels; ``notices``: what the
    resolution did (held parties, the remainder given to ``other``, family relabels).
    """

    area: np.ndarray
    old: np.ndarray
    new: np.ndarray
    names: tuple[str, ...]
    notices: tuple[str, ...]


def _resolve_area(named: Mapping[str, float], base: np.ndarray, codes: tuple[str, ...], label: str,
                  standing: list[str], notices: list[str], covers: tuple[str, ...] = ()) -> np.ndarray:
    """An area's target shares (party order ``codes``) from the named ones (module docstring)."""
    at = {p: j for j, p in enumerate(codes)}
    target = np.zeros(len(codes))
    for code, v in named.items():
        target[at[code]] = v / 100.0
    families = {parties.REGISTRY[c].family for c in named}
    held = [p for p in codes
            if p not in named and p != "other" and base[at[p]] > 0 and p in standing
            and parties.REGISTRY[p].family not in families]
    other = at["other"]  # every baseline has the bucket of minor candidates
    if "other" in named:
        inside = [p for p in held if p in covers]
        held = [p for p in held if p not in covers]
        _hold(target, base, at, inside, target[other],
              f"{label}: inside other {100 * target[other]:.1f}", notices)
        target[other] -= target[[at[p] for p in inside]].sum()
    left = max(0.0, 1.0 - target.sum())
    rest = left - _hold(target, base, at, held, left, f"{label}: {100 * left:.1f} points not named", notices)
    if "other" not in named:
        target[other] = rest
        if rest > 1e-9:
            notices.append(f"{label}: {100 * rest:.1f} points not named or held go to other")
    elif rest > 1e-9:
        notices.append(f"{label}: named and held shares add up to {100 * (1 - rest):.1f}; "
                       f"every share scaled up to 100")
    return target / target.sum()


def _hold(target: np.ndarray, base: np.ndarray, at: dict[str, int], held: list[str], room: float,
          label: str, notices: list[str]) -> float:
    """Give ``held`` parties their baseline share out of ``room`` (scaled down to fit); note it."""
    cols = [at[p] for p in held]
    want = base[cols].sum()
    if not held or want <= 0:
        return 0.0
    k = min(1.0, room / want)
    target[cols] = base[cols] * k
    how = "held at baseline" if k >= 1.0 - 1e-9 else f"held at {k:.0%} of baseline (no room for more)"
    shown = ", ".join(f"{p} {100 * base[at[p]]:.1f}"
                      + ("" if k >= 1.0 - 1e-9 else f"->{100 * target[at[p]]:.1f}") for p in held)
    notices.append(f"{label}; {how}: {shown}")
    return want * k


def _split_nation(gb_old: np.ndarray, gb_new: np.ndarray, nat_old: np.ndarray, codes: tuple[str, ...],
                  nation: str, ratio_mix: float | None = None, exchange: float | None = None) -> np.ndarray:
    """Turn a GB target into one nation's target (rules in the module docstring); the three
    arrays are (party,) shares in the baseline's party order ``codes``. ``ratio_mix``: weight
    of the ratio rule in Scotland and Wales (default :data:`RATIO_MIX`); ``exchange``: share of
    the nation party's change exchanged with the party of :data:`EXCHANGE_PARTY` (default
    :data:`EXCHANGE`)."""
    go, gn, no = gb_old, gb_new, nat_old
    new = no + (gn - go)
    mix = RATIO_MIX if ratio_mix is None else ratio_mix
    if nation in RATIO_NATIONS and mix > 0:
        ratio = np.where(go > 0, no * gn / np.where(go > 0, go, 1.0), new)
        new = (1 - mix) * new + mix * ratio
    for j, code in enumerate(codes):
        home = parties.NATION_ONLY.get(code)
        if home is None:
            continue
        if home != nation:
            new[j] = 0.0
        elif go[j] > 0:
            new[j] = no[j] * gn[j] / go[j]
    new = _exchange(new, no, codes, nation, EXCHANGE if exchange is None else exchange)
    new = np.clip(new, 0.0, None)
    only = np.array([parties.NATION_ONLY.get(c) == nation for c in codes], dtype=bool)
    room = max(0.0, 1.0 - new[only].sum())
    rest = new[~only].sum()
    if rest > 0:
        new[~only] = new[~only] * room / rest
    return new / new.sum()


def _exchange(new: np.ndarray, old: np.ndarray, codes: tuple[str, ...], nation: str,
              share: float) -> np.ndarray:
    """Take ``share`` of the nation party's change from its exchange partner
    (:data:`EXCHANGE_PARTY`); the later rescaling spreads the rest over every party."""
    pair = EXCHANGE_PARTY.get(nation)
    if not share or pair is None or not set(pair) <= set(codes):
        return new
    home, partner = codes.index(pair[0]), codes.index(pair[1])
    out = new.copy()
    out[partner] -= share * (new[home] - old[home])
    return out


def _check_nation_only(base: Baseline, gb_new: np.ndarray, named, country, gb_mask) -> None:
    """Refuse a GB share for a one-nation party (SNP, Plaid) above its nation's share of the GB
    vote at the baseline: the ratio rule would need more than all of that nation's votes."""
    w = base.weights
    for code in named:
        home = parties.NATION_ONLY.get(code)
        if home is None or home not in parties.GB:
            continue
        f = w[country == home].sum() / w[gb_mask].sum()
        if gb_new[base.party_index(code)] > f:
            raise SeatcastError(
                f"gb.{code}", f"{100 * gb_new[base.party_index(code)]:.1f}% of the GB vote is more than "
                f"{home}'s whole share of it ({100 * f:.1f}% at {base.election}); {code} stands only in "
                f"{home}, so give its share within {home} instead (e.g. --{home.lower()} '{code}=30')")


def prepare(base: Baseline, scen: Scenario) -> tuple[Baseline, list[str]]:
    """Relabel family members and add columns so every named party has one."""
    notices: list[str] = []
    for code in sorted(scen.named):
        if code in base.parties:
            continue
        total = {m: base.votes[:, base.party_index(m)].sum()
                 for m in parties.family_members(code) if m in base.parties}
        members = [m for m, v in total.items() if m not in scen.named and v > 0]
        if members:
            src = max(members, key=total.get)
            base = base.rename(src, code)
            notices.append(f"{code} takes over the {base.election} votes of {src} (same family)")
    return base.with_parties(scen.named), notices


def targets(base: Baseline, scen: Scenario) -> Targets:
    """Resolve a scenario against a prepared baseline into per-area target shares."""
    notices: list[str] = []
    codes = base.parties
    country = base.column("country")
    region = base.column("region")
    gb_mask = np.isin(country, parties.GB)
    gb_old = base.area_shares(gb_mask)
    covers = scen.other_covers
    gb_new = (_resolve_area(scen.gb, gb_old, codes, "GB", _standing(parties.GB), notices, covers)
              if scen.gb else None)
    if gb_new is not None:
        _check_nation_only(base, gb_new, scen.gb, country, gb_mask)
    labels = np.where(np.isin(region, list(scen.regions)), region, country)
    names = tuple(sorted(set(labels)))
    area = np.searchsorted(np.asarray(names), labels)
    old, new = [], []
    for name in names:
        a_old = base.area_shares(labels == name)
        if name in scen.regions:
            a_new = _resolve_area(scen.regions[name], a_old, codes, name, _standing(("England",)), notices,
                                  covers)
        elif name in scen.nations:
            a_new = _resolve_area(scen.nations[name], a_old, codes, name, _standing((name,)), notices,
                                  covers)
        elif name in parties.GB and gb_new is not None:
            a_new = _split_nation(gb_old, gb_new, a_old, codes, name)
        else:
            a_new = a_old
        old.append(a_old)
        new.append(a_new)
    return Targets(area, np.array(old), np.array(new), names, tuple(notices))
