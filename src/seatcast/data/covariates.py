"""Seat covariates (2011 Census and the 2016 Leave estimate) on either boundary set.

Sources: the 2011 Census variables of the British Election Study 2017 results file
(ONS/NRS, 632 GB seats, 2010 boundaries; ``files/PROVENANCE.md``, BES) and Hanretty's
(2017) Leave estimates (``files/PROVENANCE.md``, HANRETTY). Northern Ireland has no census
row, so its census columns are NaN.

Mapping to the 2024 boundaries (House of Commons Library boundary-overlap file, July 2023):

* *Rates* (percentages, Leave share) are population-weighted means over the 2010 seats
  overlapping a 2024 seat, with weight ``share_of_new_population`` renormalised to sum to 1
  per new seat (:func:`seatcast.data.boundaries.to_2024`).
* *Counts* (population) are split from each old seat in proportion to
  ``share_of_old_population`` renormalised to sum to 1 per old seat
  (:func:`counts_to_2024`), so the total population is conserved exactly.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from seatcast.data import loaders
from seatcast.data.boundaries import to_2024

#: Census rates used as covariates: name -> the ``c11_*`` columns summed (percent of residents
#: or households, as published in the BES file; see ``census_2011_constituency_dictionary.csv``).
RATES: dict[str, tuple[str, ...]] = {
    "degree": ("c11_qual_level4",),  # level 4+ (degree level); c11_degree is missing for Scotland
    "age18to29": ("c11_age18to19", "c11_age20to24", "c11_age25to29"),
    "age65plus": ("c11_age65to74", "c11_age75to84", "c11_age85to89", "c11_age90plus"),
    "students": ("c11_fulltime_student",),
    "owned": ("c11_house_owned",),
    "social": ("c11_house_social",),
    "private_rent": ("c11_house_private",),
    "white_british": ("c11_ethnicity_white_british",),
    "muslim": ("c11_muslim",),
    "routine": ("c11_nssecroutine", "c11_nssecsemi_routine"),
    "no_religion": ("c11_no_religion",),
    "density": ("c11_population_density",),
}


def census_rates() -> pd.DataFrame:
    """(seat, rate) the :data:`RATES` on the 2010 boundaries, GB seats only, percent."""
    raw = loaders.census()
    out = pd.DataFrame({k: raw[list(cols)].sum(axis=1, min_count=len(cols)) for k, cols in RATES.items()})
    out["density"] = np.log1p(raw["c11_population_density"])  # persons per hectare, log scale
    return out


def overlap_counts_weights() -> pd.DataFrame:
    """Rows (old_ons_code, new_ons_code, weight); weights sum to 1 for each *old* seat."""
    ov = loaders.boundary_overlaps()[["old_ons_code", "new_ons_code", "share_of_old_population"]]
    total = ov.groupby("old_ons_code")["share_of_old_population"].transform("sum")
    return ov.assign(weight=ov["share_of_old_population"] / total)[["old_ons_code", "new_ons_code", "weight"]]


def counts_to_2024(values: pd.Series) -> pd.Series:
    """Split a count on 2010 seats (indexed by ONS code) over 2024 seats; totals are conserved."""
    ov = overlap_counts_weights()
    ov = ov[ov["old_ons_code"].isin(values.index)]
    part = values.reindex(ov["old_ons_code"]).to_numpy() * ov["weight"].to_numpy()
    out = pd.Series(part, index=ov["new_ons_code"].to_numpy()).groupby(level=0).sum()
    out.index.name = "ons_code"
    return out


@cache
def _covariates(boundaries: str) -> pd.DataFrame:
    codes = loaders.constituencies("2010").index
    old = census_rates().reindex(codes)
    old["leave"] = loaders.leave()["leave_share"].reindex(codes) * 100.0
    if boundaries == "2010":
        out = old.copy()
        out["population"] = loaders.census()["c11_population"].reindex(codes)
        return out
    new = to_2024(old, codes)
    new["population"] = counts_to_2024(loaders.census()["c11_population"])
    new = new.reindex(loaders.constituencies("2024").index)
    ni = new.index.str.startswith("N")
    new.loc[ni, [c for c in new.columns if c != "leave"]] = np.nan  # no NI census
    return new


def covariates(boundaries: str | int = "2024") -> pd.DataFrame:
    """Seat covariates indexed by ONS code on a boundary set (all 650 seats; NI rows NaN).

    Columns: the census :data:`RATES` in percent (``density`` is log persons per hectare),
    ``leave`` (estimated 2016 Leave percent) and ``population`` (2011 residents).
    """
    key = loaders._boundaries(boundaries)
    return _covariates(key).copy()
