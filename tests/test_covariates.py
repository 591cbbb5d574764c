"""Covariates on the 2024 boundaries: population-weighted mapping from the 2010 seats."""

import numpy as np
import pandas as pd

from seatcast.data import boundaries, loaders
from seatcast.data.covariates import counts_to_2024, covariates, overlap_counts_weights


def test_rate_weights_sum_to_one_per_new_seat():
    w = boundaries.overlap_weights().groupby("new_ons_code")["weight"].sum()
    assert len(w) == 650
    np.testing.assert_allclose(w.to_numpy(), 1.0, atol=1e-12)


def test_count_weights_sum_to_one_per_old_seat():
    w = overlap_counts_weights().groupby("old_ons_code")["weight"].sum()
    assert len(w) == 650
    np.testing.assert_allclose(w.to_numpy(), 1.0, atol=1e-12)


def test_population_is_conserved_2010_to_2024():
    census = loaders.census()["c11_population"]
    new = covariates("2024")["population"]
    assert census.sum() == 61_371_315  # 2011 GB residents in the BES file (ONS/NRS)
    assert abs(new.sum() - census.sum()) < 1e-3
    # Scotland's and Wales's residents stay in Scotland and Wales.
    for prefix in ("S", "W", "E"):
        old_total = census[census.index.str.startswith(prefix)].sum()
        new_total = new[new.index.str.startswith(prefix)].sum()
        assert abs(new_total - old_total) < 1e-3


def test_counts_toy_split():
    # An old seat half in each of two new seats sends half its count to each.
    ov = overlap_counts_weights()
    split = ov.groupby("old_ons_code").filter(lambda g: len(g) == 2).iloc[:2]
    old = split["old_ons_code"].iloc[0]
    out = counts_to_2024(pd.Series({old: 1000.0}))
    np.testing.assert_allclose(out.sum(), 1000.0)
    expected = 1000.0 * split["weight"].to_numpy()
    np.testing.assert_allclose(out.reindex(split["new_ons_code"]).to_numpy(), expected)


def test_a_constant_rate_maps_to_the_same_constant():
    codes = loaders.constituencies("2010").index
    out = boundaries.to_2024(np.full(len(codes), 42.0), codes)
    np.testing.assert_allclose(out.to_numpy(), 42.0)


def test_unchanged_seat_keeps_its_values():
    # A 2024 seat drawn wholly from one 2010 seat (weight 1) has that seat's Leave share.
    ov = boundaries.overlap_weights()
    single = ov[ov["weight"] > 1 - 1e-9].iloc[0]
    old = covariates("2010").loc[single["old_ons_code"]]
    new = covariates("2024").loc[single["new_ons_code"]]
    assert abs(old["leave"] - new["leave"]) < 1e-9


def test_covariates_cover_great_britain_and_leave_covers_ni():
    for b in ("2010", "2024"):
        cov = covariates(b)
        assert len(cov) == 650
        gb = ~cov.index.str.startswith("N")
        assert cov[gb].notna().all().all()  # degree-level uses level 4+, published for Scotland too
        assert cov.loc[~gb].drop(columns="leave").isna().all().all()
        assert cov["leave"].between(20, 76).all()  # Hanretty range 20.5-75.6
        rates = cov[gb].drop(columns=["density", "population", "leave"])
        assert ((rates >= 0) & (rates <= 100)).all().all()
