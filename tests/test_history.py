"""`seatcast history`: weekly forecasts from the polls known on each date, kept in the store and
recomputed only when missing or changed."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from seatcast.cli import app
from seatcast.errors import SeatcastError
from seatcast.polls import sources, store
from seatcast.simulate import history as h
from seatcast.simulate.forecast import forecast

SINCE = "2026-07-09"  # weeks 16, 23, 30 Jul, 6, 13 Aug and the day after the newest poll, 18 Aug 2026
DRAWS = 300


def test_weeks_are_counted_from_the_start_and_end_on_the_latest_day():
    start = dt.date(2024, 7, 4)
    assert h.weeks(start, dt.date(2024, 7, 25)) == [dt.date(2024, 7, 11), dt.date(2024, 7, 18),
                                                     dt.date(2024, 7, 25)]
    assert h.weeks(start, dt.date(2024, 7, 20)) == [dt.date(2024, 7, 11), dt.date(2024, 7, 18),
                                                     dt.date(2024, 7, 20)]
    assert len(h.weeks(start, dt.date(2026, 8, 18))) == 111  # 775 days: 110 whole weeks and the latest day
    with pytest.raises(SeatcastError, match="every"):
        h.weeks(start, dt.date(2024, 8, 1), 0)


def _poll(end, con):
    row = {c: np.nan for c in (*sources.META_COLUMNS, *sources.PARTY_COLUMNS)}
    row.update(poll_id=1, pollster="Test Polls", client="", fieldwork_start=pd.Timestamp(end),
               fieldwork_end=pd.Timestamp(end), area="GB", is_mrp=False, notes="", source_file="t",
               cycle=pd.NaT, con=con, lab=20.0, reform=30.0, ld=12.0, green=10.0)
    return pd.DataFrame([row])


def test_history_uses_only_known_polls_and_recomputes_only_what_changed(fresh_store):
    first = h.history(draws=DRAWS, since=SINCE, workers=1)
    dates = ["2026-07-16", "2026-07-23", "2026-07-30", "2026-08-06", "2026-08-13", "2026-08-18"]
    assert first.dates == dates and list(first.computed) == dates and first.reused == 0
    assert all(pd.Timestamp(first.newest_poll[d]) < pd.Timestamp(d) for d in dates)
    again = h.history(draws=DRAWS, since=SINCE, workers=1)
    assert again.computed == () and again.reused == 6
    pd.testing.assert_frame_equal(again.seats, first.seats)
    store.merge(_poll("2026-08-15", 40.0), "csv", "late.csv")  # known from 16 Aug: the last week only
    late = h.history(draws=DRAWS, since=SINCE, workers=1)
    assert late.computed == ("2026-08-18",)
    assert late.seats.at[("2026-08-18", "con"), "median"] > first.seats.at[("2026-08-18", "con"), "median"]
    store.merge(_poll("2026-07-25", 41.0), "csv", "july.csv")  # known from 26 Jul: four weeks change
    assert h.history(draws=DRAWS, since=SINCE, workers=1).computed == tuple(dates[2:])


def test_a_change_of_model_code_recomputes_every_week(fresh_store, monkeypatch):
    h.history(draws=DRAWS, since="2026-08-01", workers=1)
    monkeypatch.setattr(h, "code_version", lambda: "changed")
    assert len(h.history(draws=DRAWS, since="2026-08-01", workers=1).computed) == 3


def test_scales_are_fitted_once_and_kept(fresh_store, monkeypatch):
    from seatcast.simulate import calibration

    first = h.cached_scales("tm")
    assert first == calibration.fit_scales("tm")
    monkeypatch.setattr(calibration, "fit_scales", lambda model: pytest.fail("refitted"))
    assert h.cached_scales("tm") == first


def test_a_week_is_the_forecast_as_of_that_date(fresh_store):
    hist = h.history(draws=DRAWS, since="2026-08-01", workers=1)
    fc = forecast(as_of="2026-08-08", draws=DRAWS, seed=h.DEFAULT_SEED)
    j = fc.parties.index("reform")
    assert hist.seats.at[("2026-08-08", "reform"), "median"] == np.quantile(fc.seats[:, j], 0.5,
                                                                           method="inverted_cdf")
    assert hist.probabilities.at["2026-08-08", "hung"] == pytest.approx(fc.probabilities["hung"])
    q = hist.seats.loc["2026-08-08"]
    for lo, hi in (("p05", "p25"), ("p25", "median"), ("median", "p75"), ("p75", "p95")):
        assert (q[lo] <= q[hi]).all()


def test_history_command_writes_png_csv_and_json(runner, fresh_store, tmp_path):
    png, csv = tmp_path / "h.png", tmp_path / "h.csv"
    r = runner.invoke(app, ["history", "--draws", str(DRAWS), "--since", "2026-07-30", "--workers", "1",
                            "--plot", str(png), "--csv", str(csv), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["weeks"] == 3 and out["params"]["draws"] == DRAWS and out["poll_store"]["stale"] is True
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(csv)
    assert list(table.columns[:4]) == ["as_of", "newest_poll", "party", "p05"]
    assert set(table["as_of"]) == {"2026-08-06", "2026-08-13", "2026-08-18"}
    for _, week in table.groupby("as_of"):
        assert week["mean"].sum() == pytest.approx(650, abs=0.01)
    r = runner.invoke(app, ["history", "--draws", str(DRAWS), "--since", "2026-07-30", "--workers", "1",
                            "--plot", str(png)])
    assert "3 weeks: 0 computed, 3 reused" in r.stdout
    assert runner.invoke(app, ["history", "--model", "xyz"]).exit_code == 2
    assert runner.invoke(app, ["history", "--since", "2027-01-01"]).exit_code == 2
    stored = h.stored_history("tm")
    assert stored is not None and stored.dates[-1] == "2026-08-18"


def test_report_and_dashboard_show_the_history_and_the_newest_poll(fresh_store, tmp_path):
    pytest.importorskip("fastapi")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient
    from seatcast.simulate import write_report
    from seatcast.web import create_app

    client = TestClient(create_app(), base_url="http://127.0.0.1")
    assert client.get("/api/history").json() == {"model": "tm", "weeks": 0, "rows": []}
    fc = forecast(draws=DRAWS)
    page = write_report(fc, tmp_path / "before").read_text()
    assert "newest poll ended 2026-08-17" in page and "history.png" not in page
    h.history(draws=DRAWS, since="2026-07-30", workers=1)
    body = client.get("/api/history").json()
    assert body["weeks"] == 3
    assert {r["as_of"] for r in body["rows"]} == {"2026-08-06", "2026-08-13", "2026-08-18"}
    page = write_report(fc, tmp_path / "after").read_text()
    assert 'src="history.png"' in page and (tmp_path / "after" / "history.png").stat().st_size > 10_000
    assert "Forecast over time" in client.get("/").text
    old = forecast(as_of="2025-01-02", draws=DRAWS)  # before the history starts: no history figure
    assert "history.png" not in write_report(old, tmp_path / "old").read_text()
