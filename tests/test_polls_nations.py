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


def test_combined_snp_plaid_figures_lose_plaids_previous_gb_share():
    raw = data.polls("gb_snp").set_index("poll_id")
    notes = raw["notes"].fillna("")
    merged = raw.index[notes.str.startswith(nations.COMBINED_NOTE)]
    footnoted = raw.index[notes.str.startswith("SNP figure carries Wikipedia footnote [b]")]
    assert len(merged) == 84 and len(footnoted) == 65  # PROVENANCE.md: 2019 merged cells, 2017 [b]
    assert nations.combined_cells(raw["notes"]).sum() == 84 + 65
    f = nations.turnout_fraction("2015", "Scotland")
    plaid = nations.gb_share("2015", "pc")
    assert 0.55 < plaid < 0.65  # Plaid won 0.6% of the GB vote in 2015
    polls = nations.gb_derived("Scotland", "2015").set_index("poll_id")
    pid = footnoted[0]
    assert polls.loc[pid, "snp"] == pytest.approx((raw.loc[pid, "snp"] - plaid) / f)
    # the Plaid uncertainty makes a combined figure count for less than a plain one of the same size
    plain = nations.effective_n(np.array([2000.0]), np.array([40.0]), f)[0]
    both = nations.effective_n(np.array([2000.0]), np.array([40.0]), f, extra=nations.PLAID_SD**2)[0]
    assert both < plain
    # combined figures say nothing about Plaid alone: the Welsh series leaves them out
    assert not set(merged) & set(nations.gb_derived("Wales", "2017")["poll_id"])


def test_sub_sample_and_gb_figure_by_hand():
    # Sub-sample: SNP 40% of 180 Scots -> variance 0.4 * 0.6 / 180 = 13.333 points^2.
    # GB figure: SNP + Plaid 5% of 2000, f = 0.09, Plaid 0.4 -> (5 - 0.4) / 0.09 = 51.111%;
    # variance 0.4 * 0.6 / (2000 * 0.09) + (1/12 + 0.1^2) / 0.09^2 = 13.333 + 11.523 = 24.856.
    # Weight of the sub-sample (1/13.333) / (1/13.333 + 1/24.856) = 0.65085 -> 43.878%.
    got = nations.subsample_and_gb(np.array([40.0]), np.array([180.0]), np.array([5.0]),
                                   np.array([2000.0]), 0.09, 0.4)
    assert got[0] == pytest.approx(0.65085 * 40 + 0.34915 * 51.111, abs=0.01)
    assert got[0] == pytest.approx(43.878, abs=0.01)
    one = {u: nations.subsample_and_gb(np.array([40.0]), np.array([180.0]), np.array([5.0]),
                                       np.array([2000.0]), 0.09, 0.4, use=u)[0] for u in ("sub", "gb")}
    assert one == pytest.approx({"sub": 40.0, "gb": 51.111}, abs=0.01)
    # the two figures agree -> the combination is that figure
    same = nations.subsample_and_gb(np.array([40.0]), np.array([180.0]), np.array([4.0]),
                                    np.array([2000.0]), 0.1, 0.0)
    assert same[0] == pytest.approx(40.0)


def test_toy_polls_with_a_known_scottish_share():
    # 400 toy YouGov polls of 2000 GB respondents from a known truth: SNP 50% in Scotland, Scotland
    # f = 8.5% of the GB vote, Plaid 0.6% GB. Each poll reports its Scottish sub-sample's share and
    # the whole poll's SNP + Plaid share rounded to whole points. The combination is unbiased and
    # much closer to the truth than the GB figure alone. Here the sub-sample alone does slightly
    # better still: both figures come from the same respondents, so in a world where the sub-sample
    # has no error but sampling, the GB figure adds only its rounding and Plaid noise (the caveat
    # docs/accuracy.md states for 2015).
    rng = np.random.default_rng(2015)
    n, f, plaid, truth = 2000, 0.085, 0.6, 0.50
    n_sub = rng.binomial(n, f, size=400)
    snp = rng.binomial(n_sub, truth)
    pc = rng.binomial(n - n_sub, plaid / 100 / (1 - f))
    gb = np.round(100 * (snp + pc) / n)
    sub = 100 * snp / n_sub
    est = {u: nations.subsample_and_gb(sub, n_sub, gb, np.full(400, n), f, plaid, use=u)
           for u in ("both", "sub", "gb")}
    assert est["both"].mean() == pytest.approx(50.0, abs=0.5)
    rmse = {u: np.sqrt(((v - 50.0) ** 2).mean()) for u, v in est.items()}
    assert rmse["sub"] < rmse["both"] < rmse["sub"] + 0.5 < rmse["gb"]


def test_unknown_source_is_refused():
    with pytest.raises(nations.SeatcastError, match="use"):
        nations.subsample_and_gb(np.array([40.0]), np.array([180.0]), np.array([5.0]),
                                 np.array([2000.0]), 0.09, 0.4, use="both figures")


def test_sub_samples_carry_their_own_size():
    polls = nations.yougov_subsamples("2010")
    raw = data.polls("yougov_scotland").set_index("poll_id")
    sizes = raw.loc[polls["poll_id"], "scotland_subsample_n"].to_numpy()
    assert (polls["sample_size"].to_numpy() == sizes).all()
    assert (polls["fieldwork_start"] <= polls["fieldwork_end"]).all()


def test_2015_polls_fold_in_the_gb_figure_with_2010s_fraction():
    raw = data.polls("yougov_scotland").set_index("poll_id")
    alone = nations.yougov_subsamples().set_index("poll_id")["snp"]
    both = nations.yougov_subsamples("2010").set_index("poll_id")["snp"]
    assert (alone == raw.loc[alone.index, "snp_scotland_subsample"]).all()
    f = nations.turnout_fraction("2010", "Scotland")
    assert 0.08 < f < 0.09  # Scotland cast 8.5% of the GB vote in 2010
    derived = (raw.loc[both.index, "snp_pc_gb"] - nations.gb_share("2010", "pc")) / f
    lo, hi = np.minimum(alone, derived), np.maximum(alone, derived)
    assert ((both >= lo - 1e-9) & (both <= hi + 1e-9)).all()  # a weighted mean of the two
    assert (both != alone).any()


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
