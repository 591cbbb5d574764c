"""Eve-of-election accuracy, 2010-2024: honest inputs, independent actuals, known polling misses."""

import pandas as pd
import pytest

from seatcast import data
from seatcast.polls import eve_errors, eve_of_election
from seatcast.polls.eve import EVE_ELECTIONS, accuracy_summary, accuracy_table, eve_average


def test_only_polls_ending_before_polling_day():
    for e in EVE_ELECTIONS:
        avg = eve_average(e)
        day = data.election(e).date
        assert avg.polls["fieldwork_end"].max() < pd.Timestamp(day)
        assert avg.daily.index[-1] == pd.Timestamp(day) - pd.Timedelta(days=1)


def test_actual_shares_agree_with_official_gb_totals():
    """Independent source: national_totals.csv (HoC Library) GB vote shares."""
    totals = data.national_totals()
    errs = eve_errors()
    for e in EVE_ELECTIONS:
        frame = eve_of_election(e)
        gb = totals[(totals["election_year"] == int(e)) & (totals["area"] == "GB")].set_index("party")
        for p in ("con", "lab", "ld"):
            assert frame.loc[p, "actual"] == pytest.approx(100 * gb.loc[p, "vote_share"], abs=0.05)
            assert errs.loc[e, p] == pytest.approx(frame.loc[p, "aggregate"] - frame.loc[p, "actual"])


def test_known_polling_misses_on_the_lead():
    """2015: polls had Con and Lab level, Con won GB by ~6.5; 2024: polls had Labour ~20 ahead,
    it won GB by ~10; 2019: polls were close (British Polling Council post-mortems)."""
    lead = {e: eve_of_election(e).iloc[-1] for e in EVE_ELECTIONS}
    assert lead["2015"].name == "con-lab" and lead["2015"]["error"] < -4
    assert lead["2024"].name == "lab-con" and lead["2024"]["error"] > 4
    assert abs(lead["2019"]["error"]) < 3 and abs(lead["2010"]["error"]) < 2


def test_naive_mean_recomputed_from_the_raw_files():
    """2017: the plain mean of PollBase polls ending in the 7 days before 8 June 2017, without
    YouGov's MRP "seat prediction" rows (model output, not polls)."""
    raw = data.polls("national")
    raw = raw[~raw["notes"].fillna("").str.contains("Seat prediction")]
    week = raw[(raw["fieldwork_end"] >= "2017-06-01") & (raw["fieldwork_end"] <= "2017-06-07")]
    frame = eve_of_election("2017")
    assert len(week) > 10
    for p in ("con", "lab", "ld"):
        assert frame.loc[p, "naive"] == pytest.approx(week[p].mean())


def test_leave_one_election_out_correction():
    errs = eve_errors()
    frame = eve_of_election("2015", correction=True)
    others = errs.drop(index="2015")
    assert frame.loc["con", "bias"] == pytest.approx(others["con"].mean())
    corrected = frame.loc["con", "aggregate"] - others["con"].mean()
    assert frame.loc["con", "corrected"] == pytest.approx(corrected)
    no = eve_of_election("2015")
    assert "corrected" not in no and no.loc["con", "aggregate"] == frame.loc["con", "aggregate"]


def test_eve_errors_is_cached_and_copied():
    a = eve_errors()
    a.loc["2015", "con"] = 99.0
    assert eve_errors().loc["2015", "con"] != 99.0
    assert list(eve_errors().index) == list(EVE_ELECTIONS)


def test_summary_scores_every_estimate_on_the_same_rows():
    table = accuracy_table()
    summary = accuracy_summary(table)
    lead = table[table.index.get_level_values("party").str.contains("-")]
    assert summary.loc["lead", "error"] == pytest.approx(lead["error"].abs().mean())
    assert 2.0 < summary.loc["lead", "naive_error"] < 8.0
