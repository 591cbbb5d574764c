"""Geography prior for a party whose baseline vote is absent or suppressed.

The rule (applied in :func:`apply_prior` only when the scenario has such a party *rising*
by more than ``MIN_RISE`` in an area, so a zero-swing scenario is never touched):

1. A rising party is assumed to stand in every seat of the area except the Speaker's, so it is
   filled wherever it did not stand at the baseline, however many seats that is: the Brexit
   Party stood in 275 of 632 GB seats in 2019, the Greens stood down for the 2019 Unite to
   Remain pact, and Reform UK, polling far above its 2024 share, had no candidate in 22 GB
   seats in 2024 (an earlier version filled only parties that stood in fewer than ``COVERAGE``
   of the seats, which left Reform at 0 in those 22 seats).
2. Its geography comes from the latest earlier election in which its family (UKIP ->
   Brexit -> Reform) contested at least ``COVERAGE`` of the seats, mapped to the
   baseline's boundaries by population overlap where needed
   (:func:`seatcast.data.history.family_geography`; this module takes it as an array and
   reads no file). If there is none, the party's mean share where it stood is used uniformly.
3. In a seat where it did not stand, its baseline share becomes that geography scaled
   by the ratio of its baseline vote to the prior where it did stand; the other parties in
   that seat are scaled down to make room. Then the swing model runs as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from seatcast.rules import NOT_PARTIES, SPEAKER

if TYPE_CHECKING:
    from seatcast.data.baseline import Baseline

#: A family's geography comes from the latest election at which it contested at least this share
#: of the seats (rule 2).
COVERAGE = 0.9
#: A rise smaller than this (a fraction of the vote) does not trigger the prior, so rounding
#: a zero-swing scenario to the nearest 0.1 point leaves the baseline untouched.
MIN_RISE = 0.005
#: ``(party code, coverage) -> (seat,) family share or None``: where the prior's geography comes from.
Geography = Callable[[str, float], "np.ndarray | None"]


def apply_prior(base: Baseline, shares: np.ndarray, area: np.ndarray, old: np.ndarray, new: np.ndarray,
                names=None, *, geography: Geography | None) -> tuple[np.ndarray, list[str]]:
    """Fill suppressed rising parties' baseline shares; returns (seat, party) shares and notes.

    ``geography(code, coverage)``: the (seat,) share of the party's family at the latest election
    it contested at least ``coverage`` of the seats, or None
    (:func:`seatcast.data.history.geography_source`). Where it gives None, or ``geography`` is
    None, the party's mean share where it stood is used."""
    notes = []
    shares = shares.copy()
    speaker = speaker_seats(base)
    for j, code in enumerate(base.parties):
        if code in ("other", *NOT_PARTIES):
            continue
        for a in range(old.shape[0]):
            mask = area == a
            stood = shares[mask, j] > 0
            if new[a, j] <= old[a, j] + MIN_RISE or (stood | speaker[mask]).all():
                continue
            geo = geography(code, COVERAGE) if geography is not None else None
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
