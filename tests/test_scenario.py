"""Scenario validation and resolution."""

import numpy as np
import pytest

from seatcast import data
from seatcast.errors import SeatcastError
from seatcast.swing import project, scenario
from seatcast.swing.scenario import prepare, targets


@pytest.mark.parametrize(
    "gb, field",
    [({"con": 140}, "gb.con"), ({"con": -1}, "gb.con"), ({"xyz": 3}, "gb.xyz"),
     ({"con": 60, "lab": 50}, "gb"), ({"dup": 5}, "gb.dup"), ({"con": "abc"}, "gb.con")],
)
def test_bad_shares_name_the_field(gb, field):
    with pytest.raises(SeatcastError) as info:
        scenario(gb)
    assert info.value.field == field


def test_unknown_party_lists_valid_codes():
    with pytest.raises(SeatcastError, match="allowed: con, lab, ld"):
        scenario({"tory": 40})


def test_rounding_above_100_is_scaled():
    s = scenario({"con": 50.3, "lab": 50.0})
    assert sum(s.gb.values()) == pytest.approx(100.0)


def test_remainder_is_held_then_given_to_other_with_notice():
    base, _ = prepare(data.baseline("2017"), scenario({"con": 43, "lab": 36, "ld": 12}))
    tg = targets(base, scenario({"con": 43, "lab": 36, "ld": 12}))
    assert any("not named" in n for n in tg.notices)
    eng = tg.names.index("England")
    np.testing.assert_allclose(tg.new[eng].sum(), 1.0)


def test_northern_ireland_keeps_baseline_without_ni_shares():
    p = project(scenario({"con": 20, "lab": 60, "ld": 10}), "2019")
    ni = p.baseline.nation_mask("Northern Ireland")
    np.testing.assert_allclose(p.shares[ni], p.baseline.shares[ni])
    assert (p.winners[ni] == p.baseline.winners[ni]).all()


def test_ni_shares_override():
    ni_shares = {"sf": 40, "dup": 20, "alliance": 20}
    p = project(scenario({"con": 43, "lab": 33}, nations={"ni": ni_shares}), "2019")
    ni = p.baseline.nation_mask("Northern Ireland")
    assert (p.winners[ni] == "sf").sum() > 7


def test_scotland_override_moves_only_scotland():
    gb = {"con": 43.6, "lab": 32.1, "ld": 11.5}
    plain = project(scenario(gb), "2019")
    scot = project(scenario(gb, nations={"scotland": {"snp": 20, "lab": 45, "con": 20}}), "2019")
    s = plain.baseline.nation_mask("Scotland")
    assert (scot.winners[s] == "lab").sum() > (plain.winners[s] == "lab").sum()
    np.testing.assert_array_equal(scot.winners[~s], plain.winners[~s])


def test_snp_gb_share_acts_in_scotland_only():
    """2015: the SNP went from 1.7% to 4.9% of GB; a GB-only scenario must move Scotland."""
    gb = {"con": 37.8, "lab": 31.2, "ld": 8.1, "ukip": 12.9, "green": 3.8, "snp": 4.9}
    p = project(scenario(gb), "2010")
    s = p.baseline.nation_mask("Scotland")
    assert (p.winners[s] == "snp").sum() > 40
    assert (p.winners[~s] == "snp").sum() == 0


def test_brexit_prior_fills_stood_down_seats_2019():
    """The Brexit Party stood in 275 of 632 GB seats in 2019; projecting it up must give it
    votes where it stood down, shaped by where UKIP was strong in 2015."""
    p = project(scenario({"con": 35, "lab": 30, "ld": 12, "brexit": 15}), "2019", "prop")
    j = p.parties.index("brexit")
    speaker = p.baseline.votes[:, p.parties.index("speaker")] > 0
    stood_down = (p.baseline.votes[:, j] == 0) & p.baseline.nation_mask("England") & ~speaker
    assert stood_down.sum() > 250
    assert (p.shares[stood_down, j] > 0.02).all()
    # The Speaker's seat (Chorley) is not contested by the main parties and is held.
    assert p.winners[speaker].tolist() == ["speaker"]
    assert any("geography prior" in n for n in p.notices)


def test_family_member_takes_over_baseline_votes():
    p = project(scenario({"con": 30, "lab": 30, "reform": 20}), "2019")
    assert "reform" in p.parties and "brexit" not in p.parties
    assert any("reform takes over" in n for n in p.notices)
