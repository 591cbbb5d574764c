"""Scotland targets before 2020 from GB polls' SNP column and YouGov's Scottish sub-samples."""

import datetime as dt

import numpy as np
import pytest

from seatcast import data
from seatcast.polls import nations
from seatcast.swing.scenario import prepare, targets


def test_effective_sample_by_hand():
    # n = 2000 GB respondents, f = 0.09 -> 180 Scots; SNP 40% in Scotland.
    # Sampling variance 0.4 * 0.6 / 180 = 13.33 points^2; rounding (1/12) / 0.09^2 = 10.29;
    # n_eff = 2400 / 23.62 = 101.6.
    assert nations.effective_n(np.array([2000.0]), np.array([40.0]), 0.09)[0] == pytest.approx(101.6, abs=0.1)
    assert nations.effective_n(np.array([2000.0]), np.array([40.0]), 0.09, rounded=False)[0] \
        == pytest.approx(180.0)


def test_gb_snp_share_becomes_a_scotland_share_with_the_baseline_turnout_fraction():
    polls = nations.gb_derived("Scotland", "2015")
    raw = data.polls("gb_snp").set_index("poll_id")
    f = nations.turnout_fraction("2015", "Scotland")
    assert 0.09 < f < 0.10  # Scotland cast 9.7% of the GB vote in 2015
    row = polls.iloc[0]
    assert row["snp"] == pytest.approx(raw.loc[row["poll_id"], "snp"] / f)


def test_combined_snp_plaid_cells_are_left_out():
    raw = data.polls("gb_snp")
    combined = raw.loc[raw["notes"].fillna("").str.startswith(nations.COMBINED_NOTE), "poll_id"]
    assert len(combined) == 84
    assert not set(combined) & set(nations.gb_derived("Scotland", "2017")["poll_id"])


def test_sub_samples_carry_their_own_size():
    polls = nations.yougov_subsamples()
    raw = data.polls("yougov_scotland").set_index("poll_id")
    sizes = raw.loc[polls["poll_id"], "scotland_subsample_n"].to_numpy()
    assert (polls["sample_size"].to_numpy() == sizes).all()
    assert (polls["fieldwork_start"] <= polls["fieldwork_end"]).all()


@pytest.mark.parametrize("election_id", ["2015", "2017", "2019"])
def test_only_polls_ending_before_polling_day(election_id):
    day = data.election(election_id).date
    avg = nations.nation_estimate("Scotland", day)
    assert avg.polls["fieldwork_end"].max() < np.datetime64(day)


@pytest.mark.parametrize("election_id", ["2015", "2017", "2019"])
def test_eve_estimate_beats_holding_the_snp_at_its_baseline(election_id):
    day = data.election(election_id).date
    est = nations.nation_estimate("Scotland", day).average["snp"]
    prev = data.baseline(data.election(election_id).previous)
    actual = data.baseline(election_id)
    held = 100 * prev.area_totals(prev.nation_mask("Scotland"))["snp"]
    truth = 100 * actual.area_totals(actual.nation_mask("Scotland"))["snp"]
    assert abs(est - truth) < abs(held - truth)


def test_the_scenario_rules_reproduce_the_estimate_in_scotland():
    from seatcast.backtest.forecast_backtest import eve_scenario

    day = data.election("2015").date
    est = nations.nation_estimate("Scotland", day).average["snp"]
    scen = eve_scenario("2015")
    base, _ = prepare(data.baseline("2010"), scen)
    tg = targets(base, scen)
    scot = tg.names.index("Scotland")
    snp = list(base.parties).index("snp")
    assert 100 * tg.new[scot, snp] == pytest.approx(est, rel=0.02)  # 2% slack: over-100 rescaling


def test_no_derived_estimate_when_the_window_has_no_such_polls():
    assert nations.nation_estimate("Scotland", dt.date(2024, 7, 4)) is None


def test_no_derived_snp_share_is_never_a_silent_fallback():
    # Before the 2010 election there is no baseline to derive the SNP's GB share from (issue 14:
    # failures were swallowed): the shares are left alone and a notice says why.
    from seatcast.polls.scenario import with_derived_nations

    notes = []
    shares = with_derived_nations({"con": 40, "lab": 40, "ld": 20}, {}, dt.date(2009, 1, 1), notes)
    assert shares == {"con": 40, "lab": 40, "ld": 20}
    assert len(notes) == 1 and notes[0].startswith("Scotland: no snp share")
