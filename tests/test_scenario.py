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


def test_nation_split_additive_and_ratio_rules_by_hand():
    # Toy Scotland 2010 -> 2015: GB Con 40 -> 37, Lab 30 -> 33, UKIP 3 -> 13, SNP 2 -> 4 (other
    # fills to 100). Scotland at baseline: Con 20, Lab 40, UKIP 1, SNP 20, other 19.
    from seatcast.swing.scenario import _split_nation

    codes = ("con", "lab", "ukip", "snp", "other")
    go = np.array([40, 30, 3, 2, 25]) / 100
    gn = np.array([37, 33, 13, 4, 13]) / 100
    no = np.array([20, 40, 1, 20, 19]) / 100
    # SNP keeps its ratio: 20 * 4/2 = 40. Additive: Con 17, Lab 43, UKIP 11, other 7 (sum 78),
    # scaled to the 60 points left: x 60/78.
    add = _split_nation(go, gn, no, codes, "Scotland", ratio_mix=0.0)
    assert 100 * add == pytest.approx([17 * 60 / 78, 43 * 60 / 78, 11 * 60 / 78, 40, 7 * 60 / 78])
    # Ratio: Con 20*37/40 = 18.5, Lab 40*33/30 = 44, UKIP 1*13/3 = 4.333, other 19*13/25 = 9.88.
    ratio = _split_nation(go, gn, no, codes, "Scotland", ratio_mix=1.0)
    r = np.array([18.5, 44.0, 13 / 3, 9.88])
    assert 100 * ratio[[0, 1, 2, 4]] == pytest.approx(r * 60 / r.sum())
    half = _split_nation(go, gn, no, codes, "Scotland", ratio_mix=0.5)
    mid = (np.array([17, 43, 11, 7]) + r) / 2
    assert 100 * half[[0, 1, 2, 4]] == pytest.approx(mid * 60 / mid.sum())
    # England ignores the mix (its ratios are close to one; the rule is for Scotland and Wales)
    assert _split_nation(go, gn, no, codes, "England", ratio_mix=1.0) == pytest.approx(
        _split_nation(go, gn, no, codes, "England", ratio_mix=0.0))


def test_scotland_2015_snp_exchange_with_labour_by_hand():
    # The same toy Scotland 2010 -> 2015 (SNP 20 -> 40, so its change is +20 points). With half
    # of the change exchanged with Labour, Labour starts from the additive 43 minus 10 = 33; then
    # Con 17, Lab 33, UKIP 11, other 7 (sum 68) are scaled to the 60 points left.
    from seatcast.swing.scenario import EXCHANGE, _split_nation

    codes = ("con", "lab", "ukip", "snp", "other")
    go = np.array([40, 30, 3, 2, 25]) / 100
    gn = np.array([37, 33, 13, 4, 13]) / 100
    no = np.array([20, 40, 1, 20, 19]) / 100
    half = _split_nation(go, gn, no, codes, "Scotland", ratio_mix=0.0, exchange=0.5)
    assert 100 * half == pytest.approx([17 * 60 / 68, 33 * 60 / 68, 11 * 60 / 68, 40, 7 * 60 / 68])
    # An SNP fall gives Labour the exchanged share back: SNP 20 -> 10 (GB 2 -> 1), half of 10 to Lab.
    gn_fall = np.array([37, 33, 13, 1, 16]) / 100
    back = _split_nation(go, gn_fall, no, codes, "Scotland", ratio_mix=0.0, exchange=0.5)
    # Additive: Con 17, Lab 43 + 5 = 48, UKIP 11, other 19 - 9 = 10 (sum 86), scaled to 90.
    assert 100 * back == pytest.approx([17 * 90 / 86, 48 * 90 / 86, 11 * 90 / 86, 10, 10 * 90 / 86])
    # The shipped rule exchanges nothing (benchmarks/scotland_designs.py: not chosen), and the rule
    # is Scotland's only: Wales and England never exchange.
    assert EXCHANGE == 0.0
    assert _split_nation(go, gn, no, codes, "Scotland", ratio_mix=0.0) == pytest.approx(
        _split_nation(go, gn, no, codes, "Scotland", ratio_mix=0.0, exchange=0.0))
    for nation in ("England", "Wales"):
        assert _split_nation(go, gn, no, codes, nation, ratio_mix=0.0, exchange=1.0) == pytest.approx(
            _split_nation(go, gn, no, codes, nation, ratio_mix=0.0, exchange=0.0))


def test_exchange_rule_never_touches_the_2024_eve_scotland_target():
    # From 2020 Scotland has polls of its own: the 2024 eve scenario names every Scottish party, so
    # the GB split (and the exchange rule in it) is not used for Scotland.
    import importlib
    from unittest import mock

    from seatcast.backtest.forecast_backtest import eve_scenario

    scen = eve_scenario("2024")
    assert "Scotland" in scen.nations
    module = importlib.import_module("seatcast.swing.scenario")
    base, _ = prepare(data.baseline("2019n"), scen)
    got = {}
    for share in (0.0, 1.0):
        with mock.patch.object(module, "EXCHANGE", share):
            got[share] = targets(base, scen).new
    assert got[0.0] == pytest.approx(got[1.0])


def test_snp_share_of_gb_above_scotlands_share_of_the_2024_vote_is_refused():
    # Scotland cast about 8.6% of the GB valid vote in 2024 (2.4m of 28.1m), so an SNP on 9% of
    # the GB vote would need more than every Scottish vote; 8% is (just) possible.
    with pytest.raises(SeatcastError, match="stands only in Scotland") as info:
        project(scenario({"snp": 9, "con": 30, "lab": 30}), "2024")
    assert info.value.field == "gb.snp"
    proj = project(scenario({"snp": 8, "con": 30, "lab": 30}), "2024")
    assert (proj.winners == "snp").sum() == 57  # every Scottish seat
