"""A baseline result as arrays: the starting point of every projection.

Array dimensions (documented once, used everywhere):

* ``votes``: ``(seat, party)`` valid votes per party in each seat.
* ``top_frac``: ``(seat, party)`` the largest single candidate's share of that party's
  votes. It is 1 for a party with one candidate; for the ``ind`` and ``other`` buckets it
  is below 1 when several candidates stood. Winners are decided on
  ``share * top_frac``, so independents are never summed into one candidate (in 2024
  summing them would miscall two seats Labour won).

The per-seat columns (:data:`SEAT_COLUMNS`) are NumPy arrays (:class:`SeatTable`); ``Baseline.seats``
gives them as a :class:`pandas.DataFrame` on first use. A baseline is built from the bundled
candidate-level file with pandas (:func:`from_files`) once, then loaded from the array cache
(:mod:`seatcast._cache`), so a projection needs NumPy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING

import numpy as np

from seatcast import _cache, parties
from seatcast.data import loaders

if TYPE_CHECKING:
    import pandas as pd

SEAT_COLUMNS = ["constituency", "country", "region", "region_code", "electorate", "valid_votes"]
INDEX = "ons_code"


class SeatTable:
    """Per-seat columns as NumPy arrays, rows keyed by ONS code: the pandas-free form of
    ``Baseline.seats`` (``table["country"]`` is a ``(seat,)`` array; ``table.index`` the codes)."""

    def __init__(self, index, columns: dict):
        self.index = np.asarray(index, dtype=object)
        self.columns = {k: np.asarray(v) for k, v in columns.items()}

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> SeatTable:
        return cls(frame.index.to_numpy(object), {c: frame[c].to_numpy() for c in frame.columns})

    def __getitem__(self, column: str) -> np.ndarray:
        return self.columns[column]

    def __len__(self) -> int:
        return len(self.index)

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.columns, index=pd.Index(self.index, name=INDEX))


@dataclass(frozen=True, eq=False)
class Baseline:
    """One election's result in array form, keyed by ONS code (rows) and party code (columns).

    ``table``: the per-seat columns, a :class:`SeatTable` (or a DataFrame, kept as ``seats``)."""

    election: str
    table: SeatTable | pd.DataFrame = field(repr=False)
    parties: tuple[str, ...]
    votes: np.ndarray = field(repr=False)  # (seat, party)
    top_frac: np.ndarray = field(repr=False)  # (seat, party)

    def __post_init__(self):
        if not isinstance(self.table, SeatTable):  # a DataFrame: keep it as ``seats``
            self.__dict__["seats"] = self.table
            object.__setattr__(self, "table", SeatTable.from_frame(self.table))

    @cached_property
    def seats(self) -> pd.DataFrame:
        """The per-seat columns as a DataFrame indexed by ONS code (imports pandas)."""
        return self.table.frame()

    @cached_property
    def codes(self) -> pd.Index:
        """ONS codes as a pandas Index (``ons`` is the same without pandas)."""
        return self.seats.index

    @property
    def ons(self) -> np.ndarray:
        """(seat,) ONS codes (object array)."""
        return self.table.index

    def column(self, name: str) -> np.ndarray:
        """(seat,) one of :data:`SEAT_COLUMNS` as an array."""
        return self.table[name]

    @cached_property
    def rows(self) -> dict[str, int]:
        """ONS code -> row."""
        return {code: i for i, code in enumerate(self.ons)}

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

    def _same_seats(self):
        return self.__dict__.get("seats", self.table)  # the DataFrame too, if already made

    def with_parties(self, codes) -> Baseline:
        """The same baseline with extra zero-vote party columns appended, in registry order."""
        extra = [c for c in parties.CODES if c in set(codes) and c not in self.parties]
        if not extra:
            return self
        pad = np.zeros((len(self.table), len(extra)))
        return Baseline(
            self.election,
            self._same_seats(),
            self.parties + tuple(extra),
            np.hstack([self.votes, pad]),
            np.hstack([self.top_frac, pad + 1.0]),
        )

    def rename(self, old: str, new: str) -> Baseline:
        """Relabel a party column (used when a party continues under a new name)."""
        names = tuple(new if p == old else p for p in self.parties)
        return Baseline(self.election, self._same_seats(), names, self.votes, self.top_frac)

    def area_shares(self, mask: np.ndarray | None = None) -> np.ndarray:
        """(party,) vote shares over the seats in ``mask`` (all seats if None)."""
        v = self.votes if mask is None else self.votes[mask]
        tot = v.sum(axis=0)
        return tot / tot.sum()

    def area_totals(self, mask: np.ndarray | None = None) -> pd.Series:
        """Party vote shares over the seats in ``mask`` (all seats if None), as a Series."""
        import pandas as pd

        return pd.Series(self.area_shares(mask), index=list(self.parties))

    def nation_mask(self, *nations: str) -> np.ndarray:
        return np.isin(self.column("country"), nations)


def from_files(election_id: str) -> Baseline:
    """The baseline built from the bundled candidate-level file with pandas (what the cache holds)."""
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


def to_arrays(base: Baseline) -> dict[str, np.ndarray]:
    """A baseline as plain arrays (text as fixed-width Unicode, no pickles): the cached form."""
    out = {"parties": np.array(base.parties, dtype=str), "votes": base.votes, "top_frac": base.top_frac,
           INDEX: base.ons.astype(str)}
    for name in SEAT_COLUMNS:
        col = base.column(name)
        out[f"col:{name}"] = col.astype(str) if col.dtype == object else col
    return out


def from_arrays(election_id: str, arrays: dict) -> Baseline:
    """The inverse of :func:`to_arrays`."""
    cols = {}
    for name in SEAT_COLUMNS:
        col = arrays[f"col:{name}"]
        cols[name] = col.astype(object) if col.dtype.kind == "U" else col
    table = SeatTable(arrays[INDEX].astype(object), cols)
    names = tuple(str(p) for p in arrays["parties"])
    return Baseline(election_id, table, names, arrays["votes"], arrays["top_frac"])


@cache
def _build(election_id: str) -> Baseline:
    stored = _cache.arrays(f"baseline-{election_id}", lambda: to_arrays(from_files(election_id)))
    return from_arrays(election_id, stored)


def baseline(election_id: str) -> Baseline:
    """The baseline for an election id (``2010 2015 2017 2019 2024 2019n``).

    Built from the candidate-level file, so every party column is the sum of its
    candidates and ``top_frac`` keeps the largest candidate for deciding winners.
    """
    return _build(loaders.election(election_id).id)
