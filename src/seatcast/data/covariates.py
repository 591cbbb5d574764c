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


#: The same rates from the 2021/22 census on the 2024 boundaries (``c21_*`` columns; see
#: ``census_2021_constituency_2024_dictionary.csv``). Age bands differ: 2021 has 16-19, so
#: ``age18to29`` takes half of it; ``students`` is NS-SeC full-time students (base 16+).
RATES21: dict[str, tuple[str, ...]] = {
    "degree": ("c21_qual_level4",),
    "age65plus": ("c21_age65to69", "c21_age70to74", "c21_age75to79", "c21_age80to84", "c21_age85plus"),
    "students": ("c21_nssec_fulltime_student",),
    "owned": ("c21_house_outright", "c21_house_mortgage"),
    "social": ("c21_house_social_la", "c21_house_social_other"),
    "private_rent": ("c21_house_private_landlord", "c21_house_private_other"),
    "white_british": ("c21_ethnicity_white_british",),
    "muslim": ("c21_muslim",),
    "routine": ("c21_nssec_routine", "c21_nssec_semi_routine"),
    "no_religion": ("c21_no_religion",),
}


def census2021_rates() -> pd.DataFrame:
    """(seat, rate) the :data:`RATES` from the 2021/22 census on the 2024 boundaries, GB seats.

    NaN where the census of a nation lacks the variable (Scotland: qualifications, tenure,
    NS-SeC and density are not in the source; ``files/PROVENANCE.md``).
    """
    raw = loaders.census2021()
    out = pd.DataFrame({k: raw[list(cols)].sum(axis=1, min_count=len(cols)) for k, cols in RATES21.items()})
    out["age18to29"] = raw["c21_age20to24"] + raw["c21_age25to29"] + 0.5 * raw["c21_age16to19"]
    out["density"] = np.log1p(raw["c21_population_density"])
    return out[list(RATES)]


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


def covariates(boundaries: str | int = "2024", census: str = "2011") -> pd.DataFrame:
    """Seat covariates indexed by ONS code on a boundary set (all 650 seats; NI rows NaN).

    Columns: the census :data:`RATES` in percent (``density`` is log persons per hectare),
    ``leave`` (estimated 2016 Leave percent) and ``population`` (2011 residents).
    ``census="latest"`` takes the rates from the 2021/22 census on the 2024 boundaries
    (:func:`census2021_rates`) wherever it has them, the 2011 values mapped by overlap elsewhere;
    on the 2010 boundaries it is the 2011 census either way.
    """
    key = loaders._boundaries(boundaries)
    if census not in ("2011", "latest"):
        from seatcast.errors import SeatcastError

        raise SeatcastError("census", f"unknown census choice {census!r}", ("2011", "latest"))
    out = _covariates(key).copy()
    if key == "2024" and census == "latest":
        new = census2021_rates().reindex(out.index)
        out[list(RATES)] = new.fillna(out[list(RATES)])
    return out
