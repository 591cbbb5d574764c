"""A baseline result as arrays: the starting point of every projection.

Array dimensions (documented once, used everywhere):

* ``votes``: ``(seat, party)`` valid votes per party in each seat.
* ``top_frac``: ``(seat, party)`` the largest single candidate's share of that party's
  votes. It is 1 for a party with one candidate; for the ``ind`` and ``other`` buckets it
  is below 1 when several candidates stood. Winners are decided on
  ``share * top_frac``, so independents are never summed into one candidate (in 2024
  summing them would miscall two seats Labour won).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property

import numpy as np
import pandas as pd

from seatcast import parties
from seatcast.data import loaders

SEAT_COLUMNS = ["constituency", "country", "region", "region_code", "electorate", "valid_votes"]


@dataclass(frozen=True, eq=False)
class Baseline:
    """One election's result in array form, keyed by ONS code (rows) and party code (columns)."""

    election: str
    seats: pd.DataFrame  # index ons_code; columns SEAT_COLUMNS
    parties: tuple[str, ...]
    votes: np.ndarray = field(repr=False)  # (seat, party)
    top_frac: np.ndarray = field(repr=False)  # (seat, party)

    @property
    def codes(self) -> pd.Index:
        return self.seats.index

    @cached_property
    def shares(self) -> np.ndarray:
        """(seat, party) vote shares, each row summing to 1 (computed once per baseline)."""
        return self.votes / self.votes.sum(axis=1, keepdims=True)

    @cached_property
    def weights(self) -> np.ndarray:
        """(seat,) valid votes, used to aggregate seat shares to areas."""
        return self.votes.sum(axis=1)

    @cached_property
    def winners(self) -> np.ndarray:
        """(seat,) winning party code in each seat (computed once per baseline)."""
        from seatcast.parliament.kernels import winner_index

        return np.asarray(self.parties)[winner_index(self.shares, self.top_frac)]

    def party_index(self, code: str) -> int:
        return self.parties.index(code)

    def with_parties(self, codes) -> Baseline:
        """The same baseline with extra zero-vote party columns appended, in registry order."""
        extra = [c for c in parties.CODES if c in set(codes) and c not in self.parties]
        if not extra:
            return self
        pad = np.zeros((len(self.seats), len(extra)))
        return Baseline(
            self.election,
            self.seats,
            self.parties + tuple(extra),
            np.hstack([self.votes, pad]),
            np.hstack([self.top_frac, pad + 1.0]),
        )

    def rename(self, old: str, new: str) -> Baseline:
        """Relabel a party column (used when a party continues under a new name)."""
        names = tuple(new if p == old else p for p in self.parties)
        return Baseline(self.election, self.seats, names, self.votes, self.top_frac)

    def area_totals(self, mask: np.ndarray | None = None) -> pd.Series:
        """Party vote shares over the seats in ``mask`` (all seats if None)."""
        v = self.votes if mask is None else self.votes[mask]
        tot = v.sum(axis=0)
        return pd.Series(tot / tot.sum(), index=list(self.parties))

    def nation_mask(self, *nations: str) -> np.ndarray:
        return self.seats["country"].isin(nations).to_numpy()


@cache
def _build(election_id: str) -> Baseline:
    df = loaders.results(election_id)
    seats = (
        df.groupby("ons_code", sort=True)[SEAT_COLUMNS].first().astype({"electorate": float})
    )
    by_party = df.pivot_table(
        index="ons_code", columns="party", values="votes", aggfunc=["sum", "max"], fill_value=0
    )
    present = [c for c in parties.CODES if c in by_party["sum"].columns]
    total = by_party["sum"].reindex(columns=present).loc[seats.index].to_numpy(float)
    top = by_party["max"].reindex(columns=present).loc[seats.index].to_numpy(float)
    top_frac = np.divide(top, total, out=np.ones_like(total), where=total > 0)
    return Baseline(election_id, seats, tuple(present), total, top_frac)


def baseline(election_id: str) -> Baseline:
    """The baseline for an election id (``2010 2015 2017 2019 2024 2019n``).

    Built from the candidate-level file, so every party column is the sum of its
    candidates and ``top_frac`` keeps the largest candidate for deciding winners.
    """
    return _build(loaders.election(election_id).id)
