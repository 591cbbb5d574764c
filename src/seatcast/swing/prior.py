"""Geography prior for a party whose baseline vote is absent or suppressed.

The rule (applied in :func:`apply_prior` only when the scenario has such a party *rising*
by more than ``MIN_RISE`` in an area, so a zero-swing scenario is never touched):

1. A party is *suppressed* in an area when it contested fewer than ``COVERAGE`` of the
   area's seats in the baseline (the Brexit Party stood in 275 of 632 GB seats in 2019;
   the Greens stood down for the 2019 Unite to Remain pact).
2. Its geography comes from the latest earlier election in which its family (UKIP ->
   Brexit -> Reform) contested at least ``COVERAGE`` of the seats, mapped to the
   baseline's boundaries by population overlap where needed
   (``seatcast.data.boundaries``). If there is none, the party's mean share where it
   stood is used uniformly.
3. In a seat where it did not stand, its baseline share becomes that geography scaled
   by the ratio of its baseline vote to the prior where it did stand; the other parties in
   that seat are scaled down to make room. Then the swing model runs as usual.
"""

from __future__ import annotations

import numpy as np

from seatcast import parties
from seatcast.data import loaders
from seatcast.data.baseline import Baseline
from seatcast.elections import ELECTION_ORDER as _ORDER
from seatcast.rules import NOT_PARTIES, SPEAKER

COVERAGE = 0.9
#: A rise smaller than this (a fraction of the vote) does not trigger the prior, so rounding
#: a zero-swing scenario to the nearest 0.1 point leaves the baseline untouched.
MIN_RISE = 0.005


def family_geography(base: Baseline, code: str, mask: np.ndarray) -> np.ndarray | None:
    """(seat,) share of ``code``'s family at the latest well-contested earlier election."""
    from seatcast.data.baseline import baseline
    from seatcast.data.boundaries import to_2024

    year = loaders.election(base.election).year
    family = parties.family_members(code)
    for earlier in reversed([e for e in _ORDER if int(e) < year]):
        prev = baseline(earlier)
        cols = [prev.party_index(m) for m in family if m in prev.parties]
        if not cols:
            continue
        share = prev.shares[:, cols].sum(axis=1)
        gb = prev.nation_mask(*parties.REGISTRY[code].nations)
        if (share[gb] > 0).mean() < COVERAGE:
            continue
        if loaders.election(base.election).boundaries == "2024":
            return to_2024(share, prev.codes).reindex(base.codes).to_numpy()
        return share
    return None


def apply_prior(base: Baseline, shares: np.ndarray, area: np.ndarray,
                old: np.ndarray, new: np.ndarray, names=None) -> tuple[np.ndarray, list[str]]:
    """Fill suppressed rising parties' baseline shares; returns (seat, party) shares and notes."""
    notes = []
    shares = shares.copy()
    speaker = speaker_seats(base)
    for j, code in enumerate(base.parties):
        if code in ("other", *NOT_PARTIES):
            continue
        for a in range(old.shape[0]):
            mask = area == a
            stood = shares[mask, j] > 0
            if new[a, j] <= old[a, j] + MIN_RISE or stood.mean() >= COVERAGE:
                continue
            geo = family_geography(base, code, mask)
            if geo is None or not np.isfinite(geo[mask]).all():
                level = shares[mask, j][stood].mean() if stood.any() else new[a, j]
                fill = np.full(mask.sum(), level)
            else:
                g = geo[mask]
                ratio = shares[mask, j][stood].sum() / max(g[stood].sum(), 1e-12) if stood.any() else 1.0
                fill = g * ratio
            rows = np.flatnonzero(mask)[~stood & ~speaker[mask]]
            add = np.clip(fill[~stood & ~speaker[mask]], 0.0, 0.9)
            shares[rows] *= (1.0 - add)[:, None]
            shares[rows, j] = add
            label = names[a] if names is not None else a
            notes.append(f"{code}: geography prior filled {len(rows)} {label} seats where it did not stand")
    return shares, notes


def speaker_seats(base: Baseline) -> np.ndarray:
    """(seat,) True where the Speaker stood. By convention the main parties do not oppose
    the Speaker seeking re-election (HoC Library, "The Speaker"), so projections keep that
    seat's baseline result."""
    if SPEAKER not in base.parties:
        return np.zeros(len(base.codes), bool)
    return base.votes[:, base.party_index(SPEAKER)] > 0
