"""What the swing models need to know beyond a baseline's own votes, as arrays aligned with it.

The swing layer computes on arrays; the files behind them are read here, in the data layer
(issue 14: "kernels receive arrays; they never load files"):

* :func:`family_geography`: a party family's share at the latest well-contested earlier
  election, on the baseline's boundaries (the geography prior, :mod:`seatcast.swing.prior`);
* :func:`sitting_mps` and :func:`first_term`: who was a sitting MP (``is_sitting_mp`` in the
  UK Parliament results; the learned model's incumbency features, :mod:`seatcast.swing.incumbency`);
* :func:`candidate_names`, :func:`elected` and :func:`retention_pairs`: candidates by seat and
  party, and the personal-vote candidates who stood again (:mod:`seatcast.swing.candidates`);
* :func:`covariate_zscores`: census and Leave covariates standardised over a set of seats
  (:mod:`seatcast.swing.learned`);
* :func:`data_version` (re-exported from :mod:`seatcast.data.loaders`): the version of the files
  all of these come from, for keying caches of what is computed from them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from seatcast import _cache, parties
from seatcast.data import loaders
from seatcast.data.baseline import Baseline, baseline
from seatcast.data.loaders import data_version
from seatcast.elections import ELECTION_ORDER, election

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["candidate_names", "covariate_zscores", "data_version", "elected", "family_geography",
           "first_term", "geography_source", "normalise_name", "retention_pairs", "sitting_mps"]


def family_geography(base: Baseline, code: str, coverage: float) -> np.ndarray | None:
    """(seat,) share of ``code``'s family (UKIP -> Brexit -> Reform) at the latest earlier election
    where it contested at least ``coverage`` of the seats of the party's nations, on ``base``'s
    rows; None if there is none. Earlier results on the 2010 boundaries are moved to a 2024
    baseline by population overlap (:func:`seatcast.data.boundaries.to_2024`)."""
    from seatcast.data.boundaries import to_2024

    year = election(base.election).year
    family = parties.family_members(code)
    for earlier in reversed([e for e in ELECTION_ORDER if int(e) < year]):
        prev = baseline(earlier)
        cols = [prev.party_index(m) for m in family if m in prev.parties]
        if not cols:
            continue
        share = prev.shares[:, cols].sum(axis=1)
        gb = prev.nation_mask(*parties.REGISTRY[code].nations)
        if (share[gb] > 0).mean() < coverage:
            continue
        if election(base.election).boundaries == "2024":
            return to_2024(share, prev.codes).reindex(base.codes).to_numpy()
        return share
    return None


def geography_source(base: Baseline) -> Callable[[str, float], np.ndarray | None]:
    """``(code, coverage) -> (seat,) share or None``: :func:`family_geography` for ``base``, as the
    geography prior takes it (only called for a party the prior needs, so nothing is read otherwise)."""
    return lambda code, coverage: family_geography(base, code, coverage)


def sitting_mps(election_id: str | None, codes: pd.Index, party_codes) -> np.ndarray:
    """(seat, party) 1 where the party's candidate at ``election_id`` was a sitting MP, on the rows
    ``codes`` and columns ``party_codes``; all zeros when ``election_id`` is None (candidates not
    known). From ``is_sitting_mp`` in the results (known at close of nominations)."""
    party_codes = list(party_codes)
    out = np.zeros((len(codes), len(party_codes)))
    if election_id is None:
        return out
    res = loaders.results(election_id)
    sitting = res[res["is_sitting_mp"].astype(bool)].groupby(["ons_code", "party"]).size()
    for (code, party), _ in sitting.items():
        if party in party_codes and code in codes:
            out[codes.get_loc(code), party_codes.index(party)] = 1.0
    return out


def elected(election_id: str) -> pd.DataFrame | None:
    """The winning candidate of each seat of the election's baseline (rows in its order; columns
    candidate, party, is_sitting_mp, ...), or None when the results carry no candidates (the 2019
    notionals)."""
    won = loaders.results(election_id)
    if "is_sitting_mp" not in won.columns:
        return None
    return won.query("elected").set_index("ons_code").reindex(baseline(election_id).codes)


@cache
def first_term(election_id: str) -> np.ndarray | None:
    """(seat,) True where the winner at ``election_id`` was not a sitting MP before it; None for
    notionals (no candidates). Read once per election and process, from the array cache
    (:mod:`seatcast._cache`; read-only): every projection's candidate table uses it."""
    got = _cache.arrays(f"first-term-{election_id}", lambda: _first_term_arrays(election_id))
    if not got["known"]:
        return None
    out = got["first_term"]
    out.setflags(write=False)
    return out


def _first_term_arrays(election_id: str) -> dict[str, np.ndarray]:
    won = elected(election_id)
    if won is None:
        return {"known": np.array(False), "first_term": np.zeros(0, bool)}
    return {"known": np.array(True),
            "first_term": ~won["is_sitting_mp"].fillna(True).astype(bool).to_numpy()}


@cache
def candidate_names(election_id: str) -> Mapping[tuple[str, str], str]:
    """(ons_code, party) -> the party's largest candidate at ``election_id`` (none for notionals).
    Read once per election and process, from the array cache (a read-only mapping)."""
    got = _cache.arrays(f"candidates-{election_id}", lambda: _names_arrays(election_id))
    keys = zip(got["ons_code"].tolist(), got["party"].tolist(), strict=True)
    return MappingProxyType(dict(zip(keys, got["candidate"].tolist(), strict=True)))


def _names_arrays(election_id: str) -> dict[str, np.ndarray]:
    """The largest candidate of each party in each seat, from the results file (notionals: none)."""
    df = loaders.results(election_id)
    if "candidate" not in df.columns:
        return {k: np.array([], dtype=str) for k in ("ons_code", "party", "candidate")}
    top = df.sort_values("votes", ascending=False).drop_duplicates(["ons_code", "party"])
    return {k: top[k].to_numpy(object).astype(str) for k in ("ons_code", "party", "candidate")}


def normalise_name(name) -> str:
    """A candidate's name folded for matching across elections: ASCII, lower case, letters only."""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z ]", " ", s).split())


@cache
def retention_pairs(labels: tuple[str, ...], min_share: float) -> pd.DataFrame:
    """Every candidate under one of ``labels`` (e.g. independents) with at least ``min_share`` of the
    vote at one general election of 2010-2019 who stood again, under the same label, at the next.

    A pair is matched by :func:`normalise_name` and must be in the same seat, or for 2019 -> 2024 in a
    2024 seat that overlaps the 2019 seat (House of Commons Library boundary overlaps). Columns:
    candidate, party, first, first_seat, first_share, second, second_seat, second_share.
    """
    import pandas as pd

    from seatcast.data.boundaries import overlap_weights

    ov = overlap_weights()
    overlaps = set(zip(ov["old_ons_code"], ov["new_ons_code"], strict=True))
    rows = []
    for a, b in zip(ELECTION_ORDER, ELECTION_ORDER[1:], strict=False):
        ra, rb = loaders.results(a), loaders.results(b)
        first = ra[ra["party"].isin(labels) & (ra["vote_share"] >= min_share)]
        m = first.assign(key=first["candidate"].map(normalise_name)).merge(
            rb.assign(key=rb["candidate"].map(normalise_name)), on=["key", "party"], suffixes=("", "_b"))
        same = [(o, n) in overlaps if b == "2024" else o == n
                for o, n in zip(m["ons_code"], m["ons_code_b"], strict=True)]
        for _, r in m[same].iterrows():
            rows.append((r["candidate"], r["party"], a, r["constituency"], r["vote_share"],
                         b, r["constituency_b"], r["vote_share_b"]))
    cols = ["candidate", "party", "first", "first_seat", "first_share", "second", "second_seat",
            "second_share"]
    return pd.DataFrame(rows, columns=cols)


def covariate_zscores(election_id: str, codes: pd.Index, over: np.ndarray, names,
                      census: str = "latest") -> dict[str, np.ndarray]:
    """name -> (seat,) the covariate (:func:`seatcast.data.covariates.covariates` on the election's
    boundaries) standardised over the seats in ``over``, on the rows ``codes``; 0 outside ``over``
    and where the value is missing."""
    from seatcast.data.covariates import covariates

    cov = covariates(election(election_id).boundaries, census).reindex(codes)
    z = (cov - cov[over].mean()) / cov[over].std()
    return {name: np.where(over, z[name].fillna(0.0).to_numpy(), 0.0) for name in names}
