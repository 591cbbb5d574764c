"""Data integrity: the bundled files against the official figures.

Expected seat totals are the House of Commons Library's published results (CBP-7529 for
2010-2019, CBP-10009 for 2024), typed from those briefings, not computed by seatcast.
"""

import numpy as np
import pandas as pd
import pytest

from seatcast import data
from seatcast.data.boundaries import overlap_weights, to_2024
from seatcast.errors import SeatcastError

OFFICIAL = {
    "2010": {"con": 306, "lab": 258, "ld": 57, "dup": 8, "snp": 6, "sf": 5, "pc": 3, "sdlp": 3,
             "green": 1, "alliance": 1, "speaker": 1, "ind": 1},
    "2015": {"con": 330, "lab": 232, "snp": 56, "ld": 8, "dup": 8, "sf": 4, "pc": 3, "sdlp": 3,
             "uup": 2, "ukip": 1, "green": 1, "speaker": 1, "ind": 1},
    "2017": {"con": 317, "lab": 262, "snp": 35, "ld": 12, "dup": 10, "sf": 7, "pc": 4, "green": 1,
             "speaker": 1, "ind": 1},
    "2019": {"con": 365, "lab": 202, "snp": 48, "ld": 11, "dup": 8, "sf": 7, "pc": 4, "sdlp": 2,
             "green": 1, "alliance": 1, "speaker": 1},
    "2024": {"lab": 411, "con": 121, "ld": 72, "snp": 9, "sf": 7, "ind": 6, "reform": 5, "dup": 5,
             "green": 4, "pc": 4, "sdlp": 2, "alliance": 1, "uup": 1, "tuv": 1, "speaker": 1},
    # Rallings & Thrasher notional 2019 on the 2024 boundaries, as published.
    "2019n": {"con": 372, "lab": 200, "snp": 48, "ld": 8, "dup": 8, "sf": 7, "sdlp": 2, "pc": 2,
              "green": 1, "alliance": 1, "speaker": 1},
}


@pytest.mark.parametrize("election", list(OFFICIAL))
def test_650_seats_and_official_winners(election):
    b = data.baseline(election)
    assert len(b.codes) == 650 and b.codes.is_unique
    counts = pd.Series(b.winners).value_counts().to_dict()
    assert counts == OFFICIAL[election]


@pytest.mark.parametrize("election", ["2010", "2015", "2017", "2019", "2024"])
def test_votes_sum_to_valid_votes(election):
    b = data.baseline(election)
    np.testing.assert_array_equal(b.votes.sum(axis=1), b.seats["valid_votes"].to_numpy())


def test_2024_independents_are_not_summed():
    """Two seats Labour won in 2024 had several independents who together outpolled Labour."""
    b = data.baseline("2024")
    ind = b.party_index("ind")
    lab = b.party_index("lab")
    summed_beats_lab = (b.votes[:, ind] > b.votes[:, lab]) & (b.winners == "lab")
    assert summed_beats_lab.sum() == 2


def test_codes_join_across_files():
    codes_2010 = set(data.baseline("2019").codes)
    codes_2024 = set(data.baseline("2024").codes)
    assert set(data.baseline("2019n").codes) == codes_2024
    assert set(data.constituencies("2010").index) == codes_2010
    assert set(data.constituencies("2024").index) == codes_2024
    assert set(data.hex_layout("2010").index) == codes_2010
    assert set(data.hex_layout("2024").index) == codes_2024
    assert set(data.leave().index) == codes_2010
    gb_2010 = {c for c in codes_2010 if not c.startswith("N")}
    assert set(data.census().index) == gb_2010
    hexes = data.hexjson("2024")["hexes"]
    assert set(hexes) == codes_2024


def test_nation_counts_2024():
    counts = data.baseline("2024").seats["country"].value_counts().to_dict()
    assert counts == {"England": 543, "Scotland": 57, "Wales": 32, "Northern Ireland": 18}


def test_boundary_weights_sum_to_one_and_conserve_population():
    w = overlap_weights()
    np.testing.assert_allclose(w.groupby("new_ons_code")["weight"].sum(), 1.0, atol=1e-12)
    ones = to_2024(np.ones(650), data.baseline("2019").codes)
    np.testing.assert_allclose(ones, 1.0, atol=1e-9)
    assert len(ones) == 650


def test_unknown_election_names_allowed_values():
    with pytest.raises(SeatcastError, match="2019n"):
        data.baseline("2030")
