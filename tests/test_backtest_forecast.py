"""Forecast backtests: no post-polling-day leakage, hand-checked scores, the CLI."""

import json
import types

import numpy as np
import pandas as pd
import pytest

from seatcast.backtest import forecast_backtest as fb
from seatcast.cli import app


def _with_late_polls(day: str):
    """The store's polls (as created: the bundled polls) plus absurd polls ending on and after polling day."""
    from seatcast.polls import store

    real = store.polls

    def load(kind="national", **kw):
        df = real(kind, **kw)
        if kind != "national":
            return df
        late = df.tail(3).copy()
        late["poll_id"] = late["poll_id"] + 900_000
        late["fieldwork_start"] = pd.Timestamp(day)
        late["fieldwork_end"] = pd.Timestamp(day) + pd.to_timedelta(np.arange(3), unit="D")
        late[["con", "lab", "ld"]] = [5.0, 80.0, 5.0]
        return pd.concat([df, late], ignore_index=True)

    return load


def test_no_data_from_polling_day_2019(monkeypatch):
    before = fb.backtest_forecast("2019", "uns", draws=400, seed=1)
    from seatcast.polls import store

    monkeypatch.setattr(store, "polls", _with_late_polls("2019-12-12"))
    fb.eve_scenario.cache_clear()
    after = fb.backtest_forecast("2019", "uns", draws=400, seed=1)
    assert before.scenario == after.scenario
    assert np.array_equal(before.seats, after.seats)
    assert before.win_prob.equals(after.win_prob)
    fb.eve_scenario.cache_clear()


def test_late_polls_would_be_noticed_2019(monkeypatch):
    """The same patch a day earlier does change the forecast (so the test above can fail)."""
    from seatcast.polls import store

    before = fb.eve_scenario("2019")
    monkeypatch.setattr(store, "polls", _with_late_polls("2019-12-10"))
    fb.eve_scenario.cache_clear()
    assert fb.eve_scenario("2019") != before
    fb.eve_scenario.cache_clear()


def test_scales_leave_the_election_out():
    from seatcast.simulate.calibration import fit_scales

    assert fit_scales("uns", exclude="2019") != fit_scales("uns")
    assert fit_scales("uns", exclude="2019") != fit_scales("uns", exclude="2024")


def test_seat_scores_hand_worked():
    wp = pd.DataFrame({"con": [0.7, 0.2, 1.0], "lab": [0.3, 0.8, 0.0]}, index=["a", "b", "c"])
    won = pd.Series(["con", "con", "lab"], index=["a", "b", "c"])
    out = fb.seat_scores(types.SimpleNamespace(win_prob=wp), won, np.array([True, True, False]))
    assert out["seats_correct"] == 1 and out["seats_total"] == 2
    # Brier: seat a (0.3^2 + 0.3^2) = 0.18, seat b (0.8^2 + 0.8^2) = 1.28 -> mean 0.73
    assert out["brier"] == pytest.approx(0.73)
    assert out["log_loss"] == pytest.approx(-(np.log(0.7) + np.log(0.2)) / 2)


def test_learned_forward_chaining():
    from seatcast.swing.models import MODELS, _load_optional

    _load_optional()
    if "learned" not in MODELS:
        pytest.skip("learned model not registered")
    assert fb.model_for("learned", "2015") is None
    assert fb.model_for("learned", "2019").train == ("2015", "2017")


def test_backtest_2019_json(runner):
    r = runner.invoke(app, ["backtest", "--election", "2019", "--model", "uns", "--draws", "500", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert isinstance(out, list) and len(out) == 1
    row = out[0]
    assert {"election", "seats", "actual", "sae", "seats_correct", "seats_total", "brier", "covered90",
            "p_actual_outcome"} <= set(row)
    assert row["election"] == "2019" and row["seats_total"] == 632
    assert row["actual"]["con"] == 365  # Conservative seats in 2019 (all in GB)
    assert row["sae"] == sum(abs(row["seats"][p] - row["actual"][p]) for p in row["actual"])
    assert 0 <= row["p_actual_outcome"] <= 1 and all(isinstance(v, bool) for v in row["covered90"].values())


def test_backtest_bad_election(runner):
    r = runner.invoke(app, ["backtest", "--election", "2010"])
    assert r.exit_code == 2 and "election" in r.output


def test_forecast_cli_json_and_report(runner, tmp_path):
    r = runner.invoke(app, ["forecast", "--draws", "1000", "--seed", "3", "--out", str(tmp_path / "rep"),
                            "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert {"summary", "probabilities", "blocs", "draws", "seed"} <= set(out)
    assert out["draws"] == 1000 and out["seed"] == 3
    lab = next(r for r in out["summary"] if r["party"] == "lab")
    assert {"median", "mean", "lo", "hi", "expected", "p_majority"} <= set(lab)
    assert "hung" in out["probabilities"]
    for name in ("index.html", "seats.png", "hexmap.png"):
        assert (tmp_path / "rep" / name).stat().st_size > 1000
    assert 'src="hexmap.png"' in (tmp_path / "rep" / "index.html").read_text()


def test_forecast_cli_bad_bloc(runner, tmp_path):
    r = runner.invoke(app, ["forecast", "--draws", "100", "--bloc", "con+tories", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "bloc" in r.output


def test_largest_gap_by_hand_ignores_thin_bins():
    table = pd.DataFrame({"forecast": [0.15, 0.35, 0.65], "observed": [0.10, 0.27, 0.95],
                          "n": [300, 250, 199]})
    # Bins with >= 200 forecasts: |0.10 - 0.15| = 0.05 and |0.27 - 0.35| = 0.08; the 199-forecast bin
    # is off by 0.30.
    assert fb.largest_gap(table) == pytest.approx(0.08)
    assert fb.largest_gap(table, min_n=100) == pytest.approx(0.30)
    assert fb.largest_gap(table, min_n=1000) == 0.0


def test_drawn_winners_2019_win_as_often_as_the_engine_says():
    # Independent check of simulate.engine.draw_winners: the frequency of each seat's sampled winner over
    # 3,000 drawn elections against the engine's Rao-Blackwellised win probabilities from another stream.
    from seatcast.simulate.calibration import fit_scales
    from seatcast.simulate.engine import draw_winners, simulate_counts
    from seatcast.swing.project import prepare_projection

    prep = prepare_projection(fb.eve_scenario("2019"), "2017", "tm")
    scales = fit_scales("tm", "2019")
    won = draw_winners(prep, 3000, np.random.default_rng(3), scales)
    freq = np.stack([(won == j).mean(axis=0) for j in range(len(prep.baseline.parties))], axis=1)
    wp = simulate_counts(prep, 20_000, np.random.default_rng(4), scales).win_prob
    # sd of a frequency over 3,000 draws is at most 0.009 (p = 0.5); 0.045 is five of them.
    assert np.abs(freq - wp).max() < 0.045
    assert np.abs(freq.sum(axis=0) - wp.sum(axis=0)).max() < 5  # expected seats per party agree too


def test_reliability_null_2019_spreads_like_sampling_or_more():
    r = fb.reliability_null(elections=("2019",), replicates=300, draws=2000, seed=5)
    real = fb.reliability(elections=("2019",), model="tm", draws=2000, seed=5)
    # The same forecasts are binned as in the real table (every GB seat and party with p > 0).
    assert r.table["n"].tolist() == real["n"].tolist()
    np.testing.assert_allclose(r.table["forecast"], real["forecast"], atol=1e-9)
    # Shared national and regional errors make a bin's observed rate vary at least about as much as
    # independent seats would (binomial sd) and not wildly more.
    mid = r.table[(r.table["forecast"] > 0.1) & (r.table["forecast"] < 0.9)]
    binomial = np.sqrt(mid["forecast"] * (1 - mid["forecast"]) / mid["n"])
    assert ((mid["gap_sd"] > 0.6 * binomial) & (mid["gap_sd"] < 4 * binomial)).all()
    assert r.gaps.shape == (300,) and (r.gaps >= 0).all() and 0.0 <= r.met <= 1.0
