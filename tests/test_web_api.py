"""The dashboard's JSON API through FastAPI's TestClient: good input, bad input, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from seatcast.data import baseline, results
from seatcast.web import create_app

# Hypothetical but plausible: Labour ahead of Reform, as in polls of 2025.
SCENARIO = {"gb": {"lab": 30, "reform": 28, "con": 18, "ld": 12, "green": 9}}


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(), base_url="http://127.0.0.1", raise_server_exceptions=False)


def post(client, **body):
    return client.post("/api/project", json=body)


def test_meta_lists_baselines_models_and_slider_start_values(client):
    meta = client.get("/api/meta").json()
    ids = [b["id"] for b in meta["baselines"]]
    assert {"2010", "2015", "2017", "2019", "2024", "2019n"} <= set(ids)
    assert {"uns", "prop", "tm", "stm"} <= set(meta["models"])
    assert meta["majority"] == 326 and meta["total_seats"] == 650
    b2024 = next(b for b in meta["baselines"] if b["id"] == "2024")
    assert b2024["boundaries"] == "2024"
    # 2024 GB result (HoC Library CBP-10009): Lab 34.7, Con 24.4, Reform 14.7, LD 12.6, Green 6.9.
    assert b2024["shares"]["gb"]["lab"] == pytest.approx(34.7, abs=0.2)
    assert b2024["shares"]["gb"]["con"] == pytest.approx(24.4, abs=0.2)
    assert b2024["shares"]["gb"]["reform"] == pytest.approx(14.7, abs=0.2)
    assert sum(b2024["shares"]["gb"].values()) <= 100.0


@pytest.mark.parametrize(("boundaries", "election_id"), [("2024", "2024"), ("2010", "2019")])
def test_hexmap_has_one_cell_per_seat_of_the_boundary_set(client, boundaries, election_id):
    hexes = client.get(f"/api/hexmap/{boundaries}").json()["hexes"]
    assert set(hexes) == set(baseline(election_id).codes)
    cells = {(q, r) for q, r, _name, _country in hexes.values()}
    assert len(cells) == 650  # no two seats share a hexagon


def test_project_returns_seats_verdict_and_one_row_per_seat(client):
    r = post(client, **SCENARIO)
    assert r.status_code == 200
    out = r.json()
    seats = out["parliament"]["seats"]
    assert sum(seats.values()) == 650
    assert len(out["seats"]) == 650
    counted = {}
    for row in out["seats"]:
        counted[row["winner"]] = counted.get(row["winner"], 0) + 1
        assert 0 < len(row["shares"]) <= 4
        assert row["swing_to_flip"] >= 0
    assert counted == {p: n for p, n in seats.items() if n}
    assert out["parliament"]["verdict"]


def test_project_matches_the_library_projection(client):
    from seatcast.swing import project, scenario

    lib = project(scenario(SCENARIO["gb"], {"Scotland": {"snp": 32, "lab": 22}}), "2019", "stm")
    out = post(client, **SCENARIO, scotland={"snp": 32, "lab": 22}, baseline="2019", model="stm").json()
    assert [row["winner"] for row in out["seats"]] == lib.winners.tolist()
    assert out["parliament"]["verdict"] == lib.parliament.verdict
    assert out["baseline"] == "2019" and out["model"] == "stm" and out["boundaries"] == "2010"


@pytest.mark.parametrize(("election_id", "expected"), [
    # Published results (HoC Library CBP-8647, CBP-7979, CBP-8749): Con, Lab, SNP, LD seats.
    ("2010", (306, 258, 6, 57)),
    ("2017", (317, 262, 35, 12)),
    ("2019", (365, 202, 48, 11)),
])
def test_zero_swing_from_the_start_values_reproduces_the_election(client, election_id, expected):
    meta = client.get("/api/meta").json()
    shares = next(b for b in meta["baselines"] if b["id"] == election_id)["shares"]["gb"]
    out = post(client, gb=shares, baseline=election_id).json()
    seats = out["parliament"]["seats"]
    assert (seats["con"], seats["lab"], seats["snp"], seats["ld"]) == expected
    assert all(row["winner"] == row["baseline_winner"] for row in out["seats"])


def test_swing_to_flip_is_half_the_gap_between_the_top_two(client):
    out = post(client, **SCENARIO).json()
    checked = 0
    for row in out["seats"]:
        top = sorted(row["shares"].items(), key=lambda kv: -kv[1])[:2]
        if len(top) == 2 and not {"ind", "other"} & {p for p, _ in top}:  # buckets compete by candidate
            assert row["swing_to_flip"] == pytest.approx((top[0][1] - top[1][1]) / 2, abs=0.06)
            checked += 1
    assert checked > 600


def test_same_scenario_gives_identical_bytes(client):
    from seatcast.web import views

    first = post(client, **SCENARIO).content
    views._PROJECTIONS.data.clear()  # recomputed, not the cached bytes
    assert post(client, **SCENARIO).content == first
    views._PROJECTIONS.data.clear()
    moved = post(client, gb={**SCENARIO["gb"], "lab": 31, "reform": 27}).content
    assert moved != first  # the comparison can fail: another scenario gives other bytes


def test_more_reform_never_gives_reform_fewer_seats(client):
    low = post(client, gb={**SCENARIO["gb"], "reform": 24, "lab": 34}).json()
    high = post(client, gb={**SCENARIO["gb"], "reform": 32, "lab": 26}).json()
    assert high["parliament"]["seats"]["reform"] > low["parliament"]["seats"]["reform"]


@pytest.mark.parametrize(("body", "field"), [
    ({"gb": {"lab": "lots"}}, "gb.lab"),
    ({"gb": {"con": -5}}, "gb.con"),
    ({"gb": {"con": 150}}, "gb.con"),
    ({"gb": {"con": 60, "lab": 60}}, "gb"),
    ({"gb": {"tory": 40}}, "gb.tory"),
    ({"gb": {"sf": 10}}, "gb.sf"),
    ({"gb": {"lab": 40}, "scotland": {"pc": 5}}, "Scotland.pc"),
    ({"gb": {"lab": 40}, "model": "magic"}, "model"),
    ({"gb": {"lab": 40}, "baseline": "1997"}, "baseline"),
    ({"gb": {"lab": 40}, "colour": "red"}, "colour"),
    ({"gb": {}}, "scenario"),
    ({"gb": [1, 2]}, "gb"),
])
def test_bad_scenarios_get_a_422_naming_the_field(client, body, field):
    r = client.post("/api/project", json=body)
    assert r.status_code == 422
    out = r.json()
    assert out["field"] == field
    assert field in out["detail"]


def test_unknown_party_error_lists_the_allowed_codes(client):
    out = post(client, gb={"tory": 40}).json()
    assert "con" in out["allowed"] and "reform" in out["allowed"]


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b"null", b'{"gb": {"lab": NaN}}', b""])
def test_malformed_bodies_get_a_422(client, raw):
    r = client.post("/api/project", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert "detail" in r.json()


def test_every_party_of_the_poll_average_has_a_slider(client):
    """Moving one slider after "Use poll average" sends the sliders' shares: a party of the poll
    average without a slider (Restore Britain, about 3 points in 2026) would fall into Others."""
    sliders = client.get("/api/meta").json()["sliders"]["gb"]
    scenario = client.get("/api/polls").json()["scenario"]
    assert "restore_britain" in scenario["gb"]
    assert set(scenario["gb"]) - {"other"} <= set(sliders)


@pytest.mark.parametrize("election_id", ["2010", "2024"])
def test_the_target_menu_offers_only_parties_with_votes(client, election_id):
    """Reform UK did not stand in 2010 (UKIP did), Restore Britain in neither: not offered, so the
    menu never leads to an error; every party it offers has a target list."""
    meta = client.get("/api/meta").json()
    standing = next(b for b in meta["baselines"] if b["id"] == election_id)["standing"]
    offered = [p for p in meta["sliders"]["gb"] if p in standing]
    assert "restore_britain" not in offered and ("reform" in offered) == (election_id == "2024")
    for party in offered:
        r = client.get("/api/targets", params={"party": party, "baseline": election_id, "limit": 1})
        assert r.status_code == 200, r.text


def test_a_bad_party_key_in_an_override_names_the_seat_and_says_what_a_party_code_is(client):
    r = post(client, gb={"lab": 30}, seats={"Islington North": {"": 40}})
    assert r.status_code == 422
    assert r.json()["field"] == "seats.Islington North"
    assert "is not a party code" in r.json()["detail"] and "[key]" not in r.text


def test_seat_gives_the_baseline_result_and_swing_to_flip(client):
    out = client.get("/api/seat/E14001063").json()  # Aldershot, 2024
    raw = results("2024").query("ons_code == 'E14001063'")
    votes = raw.groupby("party")["votes"].sum().sort_values(ascending=False)
    assert out["constituency"] == "Aldershot"
    assert out["winner"] == votes.index[0] and out["runner_up"] == votes.index[1]
    margin = (votes.iloc[0] - votes.iloc[1]) / votes.sum() * 100
    assert out["majority_pct"] == pytest.approx(margin, abs=0.05)
    assert out["swing_to_flip"] == pytest.approx(margin / 2, abs=0.01)
    assert sum(line["votes"] for line in out["result"]) == votes.sum()


def test_seat_on_an_older_baseline_uses_that_election(client):
    code = baseline("2019").codes[0]
    out = client.get(f"/api/seat/{code}", params={"baseline": "2019"}).json()
    assert out["baseline"] == "2019" and out["ons_code"] == code


@pytest.mark.parametrize("code", ["E99999999", "nonsense", "E14000530"])  # the last is a 2010-set code
def test_unknown_seat_is_a_404(client, code):
    r = client.get(f"/api/seat/{code}")
    assert r.status_code == 404
    assert "ons_code" in r.json()["detail"]


def test_seat_with_unknown_baseline_is_a_422(client):
    r = client.get("/api/seat/E14001063", params={"baseline": "1066"})
    assert r.status_code == 422 and r.json()["field"] == "baseline"


def test_hexmap_unknown_boundaries_is_a_422(client):
    r = client.get("/api/hexmap/1997")
    assert r.status_code == 422 and r.json()["field"] == "boundaries"


def test_polls_give_a_daily_average_inside_its_band(client):
    out = client.get("/api/polls").json()
    assert out["dates"] == sorted(out["dates"])
    for p in out["parties"]:
        avg, lo, hi = (np.array(out[k][p], float) for k in ("average", "lo", "hi"))
        assert len(avg) == len(out["dates"])
        ok = ~np.isnan(avg)
        assert (lo[ok] <= avg[ok] + 1e-9).all() and (avg[ok] <= hi[ok] + 1e-9).all()
    assert all(row["date"] < out["as_of"] for row in out["polls"])


def test_polls_as_of_2019_eve_only_use_polls_before_polling_day(client):
    out = client.get("/api/polls", params={"as_of": "2019-12-12"}).json()
    assert max(row["date"] for row in out["polls"]) < "2019-12-12"
    # Final 2019 polls had the Conservatives about 10 points ahead of Labour.
    assert 6 < out["latest"]["con"] - out["latest"]["lab"] < 14


@pytest.mark.parametrize(("params", "field"), [({"as_of": "yesterday"}, "as_of"), ({"area": "Mars"}, "area")])
def test_polls_bad_query_is_a_422(client, params, field):
    r = client.get("/api/polls", params=params)
    assert r.status_code == 422 and r.json()["field"] == field


def test_forecast_summarises_the_simulation_consistently(client):
    out = client.get("/api/forecast", params={"draws": 400, "seed": 7}).json()
    assert out["draws"] == 400 and out["seed"] == 7 and out["baseline"] == "2024"
    probs = out["probabilities"]
    majorities = sum(v for k, v in probs.items() if k.startswith("majority:"))
    assert majorities + probs.get("hung", 0) == pytest.approx(1, abs=1e-3)  # exclusive outcomes
    assert out["labels"]["hung"] == "Hung parliament"
    for row in out["summary"]:
        assert 0 <= row["lo"] <= row["median"] <= row["hi"] <= 650
        assert sum(out["histograms"][row["party"]]["counts"]) == 400
    seat_probs = list(out["seats"].values())
    assert len(seat_probs) == 650
    assert all(sum(p.values()) == pytest.approx(1, abs=0.02) for p in seat_probs)
    # The seat card carries the win probabilities of the forecast with the same inputs only.
    card = client.get("/api/seat/E14001063", params={"draws": 400, "seed": 7}).json()
    assert card["win_prob"] == out["seats"]["E14001063"]
    other = client.get("/api/seat/E14001063", params={"draws": 400, "seed": 8}).json()
    assert other["win_prob"] is None  # never another client's (or another input's) forecast


def test_forecast_is_cached_and_reproducible(client):
    a = client.get("/api/forecast", params={"draws": 400, "seed": 7}).json()

    from seatcast.web import jobs

    jobs.FORECASTS._cache.clear()
    b = client.get("/api/forecast", params={"draws": 400, "seed": 7}).json()
    assert a == b  # same seed, same numbers, recomputed


def test_targets_are_seats_the_party_does_not_hold_easiest_first(client):
    out = client.get("/api/targets", params={"party": "reform", "limit": 15}).json()
    rows = out["rows"]
    assert len(rows) == 15
    assert all(r["winner"] != "reform" for r in rows)
    swings = [r["swing_needed"] for r in rows]
    assert swings == sorted(swings)
    for r in rows:  # at least the two-party swing to catch the winner
        assert r["swing_needed"] >= (r["winner_share"] - r["share"]) / 2 - 1e-3  # 4 dp rounding


@pytest.mark.parametrize(("params", "field"), [
    ({"party": "tory"}, "party"), ({"baseline": "1066"}, "baseline"), ({"limit": 0}, "limit")])
def test_targets_bad_query_is_a_422(client, params, field):
    r = client.get("/api/targets", params=params)
    assert r.status_code == 422 and r.json()["field"] == field


def test_page_and_static_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    for name in ("app.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200
    assert "https://" not in client.get("/static/app.js").text  # no CDN, no network


def test_openapi_schema_lists_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/project", "/api/forecast", "/api/polls", "/api/seat/{ons_code}", "/api/targets"):
        assert path in paths


def test_unexpected_errors_become_a_json_500_without_traceback():
    app = create_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    r = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False).get("/boom")
    assert r.status_code == 500
    assert r.json()["detail"].startswith("internal error (RuntimeError)")
    assert "secret" not in r.text and "Traceback" not in r.text


def test_unknown_route_is_a_json_404(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and "detail" in r.json()


def test_serve_without_the_web_extra_says_how_to_install_it(runner, monkeypatch):
    import sys

    from seatcast.cli import app

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn -> ImportError
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "pip install 'seatcast[web]'" in result.output


def test_serve_binds_loopback_port_8000_by_default(runner, monkeypatch):
    import uvicorn

    from seatcast.cli import app

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app_, **kw: calls.append(kw))
    assert runner.invoke(app, ["serve"]).exit_code == 0
    assert runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", "8123"]).exit_code == 0
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8000)
    assert (calls[1]["host"], calls[1]["port"]) == ("0.0.0.0", 8123)
    assert runner.invoke(app, ["serve", "--port", "70000"]).exit_code == 2
