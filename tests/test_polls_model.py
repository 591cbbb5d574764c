"""The poll average: as-of honesty, house effects on synthetic data, weights, missing parties."""

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seatcast.errors import SeatcastError
from seatcast.polls import PARTY_COLUMNS, aggregate, load


def _frame(rows):
    """Polls in the load() schema from dicts with pollster, end (date), n and shares."""
    out = []
    for i, r in enumerate(rows):
        end = pd.Timestamp(r["end"])
        out.append({"poll_id": i + 1, "pollster": r.get("pollster", ""), "client": "", "notes": "",
                    "fieldwork_start": end - pd.Timedelta(days=r.get("days", 0)), "fieldwork_end": end,
                    "sample_size": r.get("n", np.nan), "area": "GB", "cycle": pd.NaT, "is_mrp": False,
                    "source_file": "test", **{p: r.get(p, np.nan) for p in PARTY_COLUMNS}})
    return pd.DataFrame(out)


def _synthetic(biases, days=240, per_day=2, seed=3):
    """A random-walk Con share polled by pollsters with known house effects, n = 1,000."""
    rng = np.random.default_rng(seed)
    truth = 35 + np.cumsum(rng.normal(0, 0.15, days))
    names = list(biases)
    rows = []
    start = dt.date(2021, 1, 1)
    for t in range(days):
        for _ in range(per_day):
            who = names[rng.integers(len(names))]
            p = (truth[t] + biases[who]) / 100
            con = 100 * rng.binomial(1000, p) / 1000
            rows.append({"pollster": who, "end": start + dt.timedelta(days=t), "n": 1000,
                         "con": con, "lab": 100 - con - 20})
    return _frame(rows), truth, start + dt.timedelta(days=days)


def test_house_effects_recovered_on_synthetic_polls():
    biases = {"A": 2.0, "B": -1.5, "C": -0.5, "D": 0.0}  # sum to zero: the average pollster is truth
    polls, truth, as_of = _synthetic(biases)
    avg = aggregate(polls, as_of=as_of, start=dt.date(2020, 1, 1))
    house = avg.house_effects["con"]
    for who, b in biases.items():
        assert house[who] == pytest.approx(b, abs=0.35)
    assert avg.average["con"] == pytest.approx(truth[-1], abs=1.0)
    daily = avg.daily["mean", "con"].to_numpy()
    assert np.sqrt(np.mean((daily - truth) ** 2)) < 0.6  # far below the poll noise (~1.5 + house)
    lo, hi = avg.band["con"]
    assert lo < avg.average["con"] < hi


def test_no_as_of_leakage_bundled_2017():
    """Polls ending on or after as_of (even wild ones) change nothing."""
    polls = load()
    as_of = dt.date(2017, 5, 20)
    base = aggregate(polls, as_of=as_of)
    later = polls[polls["fieldwork_end"] >= pd.Timestamp(as_of)].copy()
    later["con"], later["lab"] = 10.0, 80.0
    shifted = polls[polls["fieldwork_end"] < pd.Timestamp(as_of)]
    again = aggregate(pd.concat([shifted, later]), as_of=as_of)
    assert base.average == again.average and base.band == again.band
    pd.testing.assert_frame_equal(base.daily, again.daily)
    pd.testing.assert_frame_equal(base.house_effects, again.house_effects)
    assert base.window[1] < as_of and max(base.polls["fieldwork_end"]) < pd.Timestamp(as_of)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=st.lists(st.tuples(st.integers(0, 30), st.floats(0, 60), st.sampled_from(["A", "B", "Z"])),
                      min_size=1, max_size=8))
def test_no_as_of_leakage_property(extra):
    polls, _, as_of = _synthetic({"A": 1.0, "B": -1.0}, days=60, per_day=1)
    before = aggregate(polls, as_of=as_of, start=dt.date(2020, 1, 1))
    rows = [{"pollster": who, "end": as_of + dt.timedelta(days=d), "con": v, "lab": 30, "n": 500}
            for d, v, who in extra]
    more = pd.concat([polls, _frame(rows).assign(poll_id=lambda f: f.poll_id + 10_000)])
    after = aggregate(more, as_of=as_of, start=dt.date(2020, 1, 1))
    assert after.average == before.average
    pd.testing.assert_frame_equal(after.house_effects, before.house_effects)


def test_larger_sample_weighs_more_by_inverse_variance():
    """Two same-day polls of unknown pollster: the average is their n-weighted mean (variance
    p(1-p)/n with a common p), up to the vague prior's pull."""
    polls = _frame([{"end": "2022-03-01", "n": 4000, "con": 40, "lab": 30},
                    {"end": "2022-03-01", "n": 500, "con": 31, "lab": 39}])
    avg = aggregate(polls, as_of="2022-03-02", start="2022-01-01")
    assert avg.average["con"] == pytest.approx((4000 * 40 + 500 * 31) / 4500, abs=0.05)
    assert avg.average["lab"] == pytest.approx((4000 * 30 + 500 * 39) / 4500, abs=0.05)


def test_missing_sample_size_uses_documented_default():
    from seatcast.polls.model import DEFAULT_N

    rows = [{"end": "2022-03-01", "con": 40, "pollster": "A"},
            {"end": "2022-03-05", "con": 36, "pollster": "B"},
            {"end": "2022-03-09", "con": 38, "pollster": "A"},
            {"end": "2022-03-09", "con": 35, "pollster": "B"}]
    blank = aggregate(_frame(rows), as_of="2022-03-10", start="2022-01-01", parties=["con"])
    explicit = aggregate(_frame([{**r, "n": DEFAULT_N} for r in rows]), as_of="2022-03-10",
                         start="2022-01-01", parties=["con"])
    assert blank.average == explicit.average and blank.band == explicit.band


def test_party_missing_from_some_polls_2019_24_snp():
    """PollBase 2019-24 has SNP only where Wikipedia gave it (about half the polls)."""
    avg = aggregate(as_of="2024-07-04")
    assert "snp" in avg.parties and 1.5 < avg.average["snp"] < 5
    assert avg.house_effects["snp"].isna().any()  # pollsters that never reported SNP
    assert "snp" not in aggregate(as_of="2019-12-12").parties  # no SNP column before 2020


def test_daily_blank_before_a_party_is_first_polled():
    """The Brexit Party first appears in 2019 polls: no average for it in 2017."""
    avg = aggregate(as_of="2019-12-12")
    brexit = avg.daily["mean", "brexit"]
    assert brexit.loc[:"2018-12-31"].isna().all() and brexit.loc["2019-06-01":].notna().all()


def test_result_is_frozen_and_carries_inputs():
    avg = aggregate(as_of="2017-06-08")
    with pytest.raises(dataclasses.FrozenInstanceError):
        avg.average = {}
    assert avg.as_of == dt.date(2017, 6, 8) and avg.daily.index[-1] == pd.Timestamp("2017-06-07")
    assert len(avg.polls_used) == len(avg.polls) > 200
    assert avg.window[0] > dt.date(2015, 5, 7) and avg.data_version
    assert avg.settings["step_sd"] > 0


@pytest.mark.parametrize("kwargs, field", [
    ({"as_of": "2005-01-01"}, "as_of"), ({"as_of": "12/11/2019"}, "as_of"),
    ({"as_of": "5101-01-01"}, "as_of"), ({"as_of": "2028-01-01"}, "as_of"),  # > a year after the last poll
    ({"as_of": "latest", "area": "Ulster"}, "area"), ({"as_of": "latest", "parties": ["sf"]}, "parties")])
def test_bad_arguments(kwargs, field):
    with pytest.raises(SeatcastError) as exc:
        aggregate(**kwargs)
    assert exc.value.field == field


def test_scenario_from_polls_nations_only_when_recent():
    from seatcast.polls import scenario_from_polls

    s24 = scenario_from_polls("2024-07-03")
    assert set(s24.nations) == {"Scotland", "Wales"} and "snp" in s24.nations["Scotland"]
    assert s24.gb["lab"] > s24.gb["con"] + 10
    s19 = scenario_from_polls("2019-12-11")
    assert s19.nations == {} and s19.gb["con"] > s19.gb["lab"]
    latest = scenario_from_polls("latest")
    assert "Wales" not in latest.nations  # last Welsh poll ended March 2026, > 60 days earlier
    assert sum(latest.gb.values()) <= 100.0 + 1e-9


def test_window_never_longer_than_the_span_cap():
    from seatcast.polls.model import MAX_SPAN_DAYS

    avg = aggregate(as_of="2015-05-07", start="2000-01-01")
    assert (avg.as_of - avg.window[0]).days <= MAX_SPAN_DAYS
    assert len(avg.daily) <= MAX_SPAN_DAYS
