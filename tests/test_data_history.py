"""The data the swing models take as arrays (seatcast.data.history), and the geography prior
taking its geography as an array (it reads no file itself).

Facts checked against the published results: the Brexit Party stood in 275 of 632 GB seats in
2019 and UKIP in 378 in 2017, so Reform's geography for a 2019 baseline is UKIP's 2015 vote
(Douglas Carswell, Clacton, 44.4%); Jeremy Corbyn was the sitting MP for Islington North in 2019.
"""

import numpy as np
import pandas as pd
import pytest

from seatcast.data import baseline, history
from seatcast.data.baseline import Baseline
from seatcast.swing import prior


def seat(base, name):
    return base.codes.get_loc(base.seats.index[base.seats["constituency"] == name][0])


def test_reform_geography_for_the_2019_baseline_is_ukips_2015_vote():
    b19, b15 = baseline("2019"), baseline("2015")
    geo = history.family_geography(b19, "reform", prior.COVERAGE)
    assert geo[seat(b19, "Clacton")] == pytest.approx(0.444, abs=0.001)
    assert b15.codes.equals(b19.codes)  # same boundaries: no mapping
    np.testing.assert_array_equal(geo, b15.shares[:, b15.party_index("ukip")])


def test_reform_geography_for_the_notional_baseline_is_mapped_to_the_2024_seats():
    base = baseline("2019n")
    geo = history.family_geography(base, "reform", prior.COVERAGE)
    assert geo.shape == (650,) and np.isfinite(geo).all()
    assert 0.35 < geo[seat(base, "Clacton")] < 0.45  # the 2024 seat mixes old Clacton and Harwich
    assert history.family_geography(baseline("2010"), "reform", prior.COVERAGE) is None  # none earlier


def test_sitting_mps_2019_and_no_candidates_when_unknown():
    base = baseline("2019")
    mp = history.sitting_mps("2019", base.codes, base.parties)
    row = mp[seat(base, "Islington North")]
    assert row[base.party_index("lab")] == 1.0 and row.sum() == 1.0
    assert not history.sitting_mps(None, base.codes, base.parties).any()
    assert history.first_term("2019n") is None  # the notionals carry no MPs


def toy_baseline() -> Baseline:
    """Three seats in one area; Reform stood only in the first (10%)."""
    seats = pd.DataFrame({"constituency": ["A", "B", "C"], "country": "England", "region": "North East",
                          "region_code": "E1", "electorate": 100.0, "valid_votes": 100},
                         index=pd.Index(["E1", "E2", "E3"], name="ons_code"))
    votes = np.array([[50.0, 40.0, 10.0], [60.0, 40.0, 0.0], [30.0, 70.0, 0.0]])
    return Baseline("2019", seats, ("con", "lab", "reform"), votes, np.ones_like(votes))


def run_prior(geography, rise=0.1):
    base = toy_baseline()
    area = np.zeros(3, int)
    old = base.shares.mean(axis=0, keepdims=True)
    new = old + np.array([[-rise, 0.0, rise]])
    return prior.apply_prior(base, base.shares, area, old, new, geography=geography)


def test_prior_scales_the_given_geography_by_hand():
    # Geography 20/10/30; where Reform stood it had 10 against a prior of 20, so ratio 1/2 and
    # the fills are 5 (B) and 15 (C); con and lab there are scaled by 0.95 and 0.85.
    calls = []

    def geography(code, coverage):
        calls.append((code, coverage))
        return np.array([0.2, 0.1, 0.3])

    shares, notes = run_prior(geography)
    np.testing.assert_allclose(shares, [[0.5, 0.4, 0.1], [0.57, 0.38, 0.05], [0.255, 0.595, 0.15]])
    assert calls == [("reform", prior.COVERAGE)] and "filled 2" in notes[0]


def test_prior_without_a_geography_fills_the_mean_where_the_party_stood():
    shares, _ = run_prior(None)
    np.testing.assert_allclose(shares[1:, 2], [0.1, 0.1])


def test_prior_asks_for_no_geography_when_the_party_does_not_rise():
    def geography(code, coverage):
        raise AssertionError("no geography needed")

    shares, notes = run_prior(geography, rise=0.0)
    np.testing.assert_array_equal(shares, toy_baseline().shares)
    assert notes == []
