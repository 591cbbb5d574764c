"""One engine, one contract: the CLI, the Python API and the web API agree, and every surface
reads its defaults, elections and rules from one place."""

import inspect
import json

import numpy as np
import pytest

from seatcast import defaults, present
from seatcast.cli import app
from seatcast.elections import ELECTIONS, TRANSITIONS

SHARES = {"lab": 30.0, "reform": 28.0, "con": 18.0, "ld": 12.0, "green": 9.0}


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from seatcast.web import create_app

    return TestClient(create_app(), base_url="http://127.0.0.1")


def canonical(doc) -> bytes:
    return present.dumps(json.loads(present.dumps(doc))).encode()


def test_project_is_byte_identical_on_cli_api_and_web(runner, client):
    import seatcast

    args = [f"--{p}={v:g}" for p, v in SHARES.items()]
    r = runner.invoke(app, ["project", *args, "--scotland", "snp=32,lab=22", "--json"])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.stdout)
    scen = seatcast.scenario(SHARES, {"Scotland": {"snp": 32, "lab": 22}})
    api = present.projection_doc(seatcast.project(scen))
    body = {"gb": SHARES, "scotland": {"snp": 32, "lab": 22}}
    web = client.post("/api/project", json=body)
    assert web.status_code == 200, web.text
    assert canonical(cli) == canonical(api) == web.content
    assert cli["model"] == defaults.MODEL and cli["baseline"] == defaults.BASELINE


NI = {"sf": 30.0, "dup": 20.0, "alliance": 15.0, "sdlp": 12.0, "uup": 12.0, "tuv": 6.0}
LONDON = {"lab": 40.0, "con": 20.0, "reform": 15.0, "green": 12.0, "ld": 10.0}
#: The same inputs as `seatcast project` options and as a POST /api/project body (issue 14's contract).
PARITY = {
    "nations": (["--lab=30", "--reform=28", "--con=18", "--ld=12", "--green=9", "--wales", "lab=30,pc=18",
                 "--ni", "sf=30,dup=20,alliance=15,sdlp=12,uup=12,tuv=6"],
                {"gb": SHARES, "wales": {"lab": 30, "pc": 18}, "ni": NI}),
    "region": (["--lab=30", "--reform=28", "--con=18", "--ld=12", "--green=9",
                "--region", "London:lab=40,con=20,reform=15,green=12,ld=10",
                "--region", "north east:lab=35,reform=35"],  # region names as forgiving as nations
               {"gb": SHARES, "regions": {"London": LONDON, "North East": {"lab": 35, "reform": 35}}}),
    "polls": (["--polls", "latest", "--con", "20", "--ni", "sf=30,dup=20,alliance=15,sdlp=12,uup=12,tuv=6",
               "--swing", "lab:reform=2", "--seat", "Islington North:-ind"],
              {"polls": "latest", "gb": {"con": 20}, "ni": NI, "swing": ["lab:reform=2"],
               "seats": {"Islington North": {"ind": 0}}}),
    "dated polls": (["--polls", "2019-12-11", "--baseline", "2017", "--model", "uns",
                     "--region", "London:lab=48,con=32,ld=15"],
                    {"polls": "2019-12-11", "baseline": "2017", "model": "uns",
                     "regions": {"London": {"lab": 48, "con": 32, "ld": 15}}}),
    "swings only": (["--swing", "con:lab=3", "--swing", "ld:lab=1", "--baseline", "2019"],
                    {"swing": ["con:lab=3", "ld:lab=1"], "baseline": "2019"}),
}


@pytest.mark.parametrize("case", list(PARITY))
def test_project_inputs_give_the_same_projection_on_cli_and_api(runner, client, case):
    """Every input of `seatcast project` (nation, region, poll and swing inputs included) gives the
    same document through POST /api/project, and the same as seatcast.polls.user_scenario."""
    import seatcast
    from seatcast.polls import user_scenario

    args, body = PARITY[case]
    r = runner.invoke(app, ["project", *args, "--json"])
    assert r.exit_code == 0, r.output
    cli = {k: v for k, v in json.loads(r.stdout).items() if k != "poll_store"}  # names a local file
    web = client.post("/api/project", json=body)
    assert web.status_code == 200, web.text
    assert canonical(cli) == web.content
    nations = {"Wales": body.get("wales"), "Northern Ireland": body.get("ni")}
    scen = user_scenario(body.get("gb"), nations, body.get("regions"), body.get("polls"),
                         body.get("swing", ()), body.get("baseline", defaults.BASELINE))
    lib = seatcast.project(scen, body.get("baseline", defaults.BASELINE), body.get("model", defaults.MODEL),
                           body.get("seats"))
    assert canonical(present.projection_doc(lib)) == web.content


def test_a_poll_date_with_spaces_is_read_as_the_cli_reads_it(runner, client):
    """`--polls " latest "` works on the CLI; the API's `polls` is trimmed the same way."""
    r = runner.invoke(app, ["project", "--polls", " latest ", "--json"])
    assert r.exit_code == 0, r.output
    padded = client.post("/api/project", json={"polls": " latest "})
    assert padded.status_code == 200, padded.text
    assert padded.content == client.post("/api/project", json={"polls": "latest"}).content


def test_the_new_inputs_move_the_projection():
    """Not vacuous: NI shares, a region and a swing each change the seats the API returns."""
    from fastapi.testclient import TestClient

    from seatcast.web import create_app

    c = TestClient(create_app(), base_url="http://127.0.0.1")
    plain = c.post("/api/project", json={"gb": SHARES}).json()
    for extra in ({"ni": {"sf": 50, "dup": 10, "alliance": 10, "sdlp": 10, "uup": 10, "tuv": 5}},
                  {"regions": {"London": {"con": 50, "lab": 20, "ld": 10, "green": 10, "reform": 5}}},
                  {"swing": ["lab:reform=8"]}):
        moved = c.post("/api/project", json={"gb": SHARES, **extra}).json()
        assert moved["parliament"]["seats"] != plain["parliament"]["seats"], extra


@pytest.mark.parametrize("body, field, allowed", [
    ({"polls": "yesterday"}, "polls", None),
    ({"polls": "2019-13-01"}, "polls", None),
    ({"polls": "2031-01-01"}, "polls", None),  # more than a year after the last poll
    ({"polls": "2019-12-11"}, "polls", None),  # before the 2024 baseline
    ({"gb": SHARES, "ni": {"snp": 10}}, "Northern Ireland.snp", "sf"),
    ({"gb": SHARES, "ni": {"sf": 140}}, "Northern Ireland.sf", None),
    ({"gb": SHARES, "regions": {"Narnia": {"lab": 40}}}, "region", "London"),
    ({"gb": SHARES, "regions": {"London": {"lab": 70, "con": 40}}}, "London", None),
    ({"gb": SHARES, "regions": {"London": {"lab": 40}, "london": {"lab": 30}}}, "region", None),
    ({"gb": SHARES, "swing": ["lab-reform=5"]}, "swing", None),
    ({"gb": SHARES, "swing": ["green:reform=40"]}, "swing", None),
    ({"gb": SHARES, "swing": "lab:reform=5"}, "swing", None),  # a list, not a string
    ({"gb": SHARES, "regions": {"London": 40}}, "regions.London", None),
    ({"gb": SHARES, "baseline": "2020"}, "baseline", "2024"),
    ({"gb": SHARES, "polls": "latest", "nations": {}}, "nations", None),  # unknown field
])
def test_bad_project_inputs_are_a_422_naming_the_field(client, body, field, allowed):
    r = client.post("/api/project", json=body)
    assert r.status_code == 422, r.text
    out = r.json()
    assert out["field"] == field and out["detail"].startswith(f"{field}:"), out
    if isinstance(allowed, list):
        assert out["allowed"] == allowed
    elif allowed:
        assert allowed in out["allowed"]


@pytest.mark.parametrize("args, text", [
    (["--polls", "2019-12-11"], "polls: 2019-12-11 is in the parliament before the 2024 baseline's (polls "
                                "must end after 2019-12-12); choose a later date or an earlier baseline "
                                "(2010, 2015, 2017)"),
    (["--lab=30", "--ni", "snp=10"], "Northern Ireland.snp: unknown or non-standing party 'snp'"),
    (["--lab=30", "--region", "Narnia:lab=40"], "region: unknown English region 'Narnia'"),
    (["--lab=30", "--swing", "green:reform=40"], "swing: green has 0.0 points in GB"),
])
def test_the_cli_refuses_the_same_inputs_with_the_same_message(runner, client, args, text):
    r = runner.invoke(app, ["project", *args])
    assert r.exit_code == 2 and text in " ".join(r.output.split()) and "Traceback" not in r.output


def test_forecast_is_byte_identical_on_cli_api_and_web(runner, client):
    from seatcast.simulate import forecast

    r = runner.invoke(app, ["forecast", "--draws", "400", "--seed", "11", "--json"])
    assert r.exit_code == 0, r.output
    # The CLI's envelope also names the local poll store the command read (issue 12): not a number.
    cli = {k: v for k, v in json.loads(r.stdout).items() if k != "poll_store"}
    api = present.forecast_doc(forecast(draws=400, seed=11))
    web = client.get("/api/forecast", params={"draws": 400, "seed": 11}).json()
    assert canonical(cli) == canonical(api) == canonical(web)
    assert cli["model"] == defaults.MODEL


def test_a_forecast_with_a_seat_override_is_one_forecast_on_every_surface(runner, client):
    """Islington North:ind=40 through the CLI, the Python API, the web forecast and the seat card:
    the same medians, intervals, P(majority), hung %, seat winners and seat probabilities."""
    from seatcast.simulate import forecast

    override, params = "Islington North:ind=40", {"draws": 400, "seed": 11}
    r = runner.invoke(app, ["forecast", "--draws", "400", "--seed", "11", "--seat", override, "--json"])
    assert r.exit_code == 0, r.output
    cli = {k: v for k, v in json.loads(r.stdout).items() if k != "poll_store"}
    api = present.forecast_doc(forecast(draws=400, seed=11, overrides=[override]))
    web = client.get("/api/forecast", params={**params, "seat": override}).json()
    assert canonical(cli) == canonical(api) == canonical(web)
    plain = client.get("/api/forecast", params=params).json()
    assert cli["seats"]["E14001305"] != plain["seats"]["E14001305"]
    card = client.get("/api/seat/islington n", params={**params, "seat": override}).json()
    assert card["win_prob"] == web["seats"]["E14001305"]


def test_a_forecast_of_another_model_is_the_same_on_cli_and_api(runner, client):
    """The dashboard's forecast follows its model menu (strong transition here): the CLI's numbers."""
    r = runner.invoke(app, ["forecast", "--model", "stm", "--draws", "400", "--seed", "11", "--json"])
    assert r.exit_code == 0, r.output
    cli = {k: v for k, v in json.loads(r.stdout).items() if k != "poll_store"}
    web = client.get("/api/forecast", params={"model": "stm", "draws": 400, "seed": 11}).json()
    assert canonical(cli) == canonical(web) and web["model"] == "stm"


def test_the_seat_card_is_the_same_on_cli_and_api_whatever_the_seat_is_called(runner, client):
    """`seatcast seat "islington n"` and GET /api/seat/islington n: one lookup, one card."""
    r = runner.invoke(app, ["seat", "islington n", "--baseline", "2019n", "--json"])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.stdout)
    for query in ("islington n", "Islington North", "E14001305", "islington nrth"):
        web = client.get(f"/api/seat/{query}", params={"baseline": "2019n"}).json()
        assert {k: web[k] for k in cli} == cli
    ambiguous = client.get("/api/seat/york")
    assert ambiguous.status_code == 422 and ambiguous.json()["allowed"] == ["York Central", "York Outer"]


def test_forecast_json_writes_no_report(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["forecast", "--draws", "200", "--json"])
    assert r.exit_code == 0, r.output
    assert list(tmp_path.iterdir()) == []


def test_one_default_everywhere():
    from seatcast.campaign import pact, portfolio, tactical, targets, turnout
    from seatcast.simulate import forecast
    from seatcast.swing import project
    from seatcast.web import routes

    for fn in (project, forecast, targets, tactical, pact, turnout, portfolio):
        params = inspect.signature(fn).parameters
        assert params["baseline"].default == defaults.BASELINE, fn.__name__
        assert params["model"].default == defaults.MODEL, fn.__name__
    assert inspect.signature(forecast).parameters["draws"].default == defaults.DRAWS
    assert inspect.signature(forecast).parameters["seed"].default == defaults.SEED
    web = inspect.signature(routes.forecast).parameters
    assert (web["model"].default, web["draws"].default, web["seed"].default) == (
        defaults.MODEL, defaults.DRAWS, defaults.SEED)
    cli = {c.name: {p.name: p.default for p in c.params} for c in __import__("typer").main.get_command(app)
           .commands.values()}
    for name, params in cli.items():
        if "baseline" in params:
            assert params["baseline"] == defaults.BASELINE, name
        if "model" in params and name != "backtest":
            assert params["model"] == defaults.MODEL, name
    assert cli["forecast"]["draws"] == defaults.DRAWS and cli["forecast"]["seed"] == defaults.SEED


def test_transitions_come_from_election_previous():
    from seatcast.backtest.forecast_backtest import BACKTESTS
    from seatcast.backtest.hindsight import HINDSIGHT_PAIRS
    from seatcast.simulate.calibration import PAIRS
    from seatcast.swing.learned import TRANSITIONS as LEARNED

    expected = {"2015": "2010", "2017": "2015", "2019": "2017", "2024": "2019n"}
    assert TRANSITIONS == expected
    assert all(ELECTIONS[k].previous == v for k, v in TRANSITIONS.items())
    assert BACKTESTS is HINDSIGHT_PAIRS is PAIRS is LEARNED is TRANSITIONS


def test_model_names_match_the_registry():
    from seatcast.swing.models import MODELS, _load_optional

    _load_optional()
    assert list(MODELS) == list(defaults.MODEL_NAMES)


@pytest.mark.parametrize("shares", [["--con", "0.43", "--lab", "0.36", "--ld", "0.12"], ["--lab", "1"]])
def test_fraction_shares_are_rejected(runner, shares):
    r = runner.invoke(app, ["project", *shares])
    assert r.exit_code == 2
    assert "did you mean percent" in r.output


def test_fraction_shares_are_a_422(client):
    r = client.post("/api/project", json={"gb": {"con": 0.43, "lab": 0.36, "ld": 0.12}})
    assert r.status_code == 422 and "did you mean percent" in r.json()["detail"]


def test_overrides_combine_with_polls(runner):
    base = json.loads(runner.invoke(app, ["project", "--polls", "2019-12-11", "--baseline", "2017",
                                          "--json"]).stdout)["scenario"]["gb"]
    r = runner.invoke(app, ["project", "--polls", "2019-12-11", "--baseline", "2017", "--con", "30",
                            "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    gb = out["scenario"]["gb"]
    assert gb["con"] == 30
    assert sum(gb.values()) == pytest.approx(sum(base.values()))  # the total is kept
    k = gb["lab"] / base["lab"]
    assert k > 1 and gb["ld"] / base["ld"] == pytest.approx(k)  # the others make room in proportion
    assert any("override" in n for n in out["notices"])
    assert out["parliament"]["seats"]["con"] < 326  # Con on 30 loses the 2019 majority


@pytest.mark.parametrize("extra", [["--con", "25"], ["--swing", "lab:reform=2"]])
def test_a_poll_scenario_keeps_its_independents_after_an_override(runner, extra):
    """Polls count independents inside 'other'; naming --con 25 or a swing on top of the poll
    average must not squeeze them to 0 (Leanne Mohamad had 38.8% in Ilford North in 2024)."""
    r = runner.invoke(app, ["project", "--polls", "latest", *extra, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert not any("ind 1.9->0.0" in n for n in out["notices"])
    ilford = next(s for s in out["seats"] if s["constituency"] == "Ilford North")
    assert ilford["shares"].get("ind", 0) > 20


def test_two_party_swing_equals_the_explicit_shares():
    import seatcast
    from seatcast.swing.overrides import two_party_swing

    swung = two_party_swing(seatcast.scenario(SHARES), "lab:reform=5")
    explicit = seatcast.scenario({**SHARES, "lab": 25.0, "reform": 33.0})
    assert swung.gb == explicit.gb
    assert seatcast.project(swung).parliament.seats == seatcast.project(explicit).parliament.seats


@pytest.mark.parametrize("spec", ["lab-reform=5", "lab:lab=5", "lab:reform=x", "lab:reform=-3",
                                  "con:reform=40"])
def test_bad_two_party_swing(runner, spec):
    r = runner.invoke(app, ["project", *[f"--{p}={v:g}" for p, v in SHARES.items()], "--swing", spec])
    assert r.exit_code == 2 and "swing" in r.output


def test_a_tie_for_largest_is_stated_whatever_the_argument_order():
    from seatcast.parliament.arithmetic import verdict

    a = verdict({"lab": 300, "con": 300, "ld": 50})
    b = verdict({"con": 300, "ld": 50, "lab": 300})
    assert a == b == "Hung parliament: Conservative and Labour tied largest, 26 short of a majority"


def test_a_tied_seat_is_reported():
    """A hand-made dead heat: two candidates on exactly 40% each."""
    import pandas as pd

    from seatcast.parliament import parliament
    from seatcast.parliament.kernels import swing_to_flip, tied

    shares = np.array([[0.4, 0.4, 0.2], [0.5, 0.3, 0.2]])
    top = np.ones_like(shares)
    assert tied(shares, top).tolist() == [True, False]
    assert swing_to_flip(shares, top) == pytest.approx([0.0, 0.1])
    meta = pd.DataFrame({"constituency": ["A", "B"], "country": ["England"] * 2}, index=["E1", "E2"])
    parl = parliament(np.array(["con", "con"]), np.array(["lab", "con"]), meta, tied(shares, top))
    assert parl.ties == ("E1",) and parl.as_dict()["ties"] == ["E1"]


def test_swing_to_flip_is_one_number_on_every_surface(client):
    import seatcast

    proj = seatcast.project(seatcast.scenario(SHARES))
    rows = {r["ons_code"]: r for r in present.projection_doc(proj)["seats"]}
    csv_rows = present.seat_csv(proj).splitlines()
    header = csv_rows[0].split(",")
    first = dict(zip(header, csv_rows[1].split(","), strict=False))
    assert float(first["swing_to_flip"]) == pytest.approx(rows[first["ons_code"]]["swing_to_flip"], abs=0.006)
    # the seat card of the baseline result uses the same kernel
    from seatcast.data import baseline

    card = client.get("/api/seat/E14001063").json()
    base = baseline("2024")
    i = base.codes.get_loc("E14001063")
    eff = np.sort(base.shares[i] * base.top_frac[i])[::-1]
    assert card["swing_to_flip"] == pytest.approx(round(50 * (eff[0] - eff[1]), 2))


# ---- what users expect: seat lookup, compare, --version, --csv ----------------------------------

@pytest.mark.parametrize(("query", "code"), [("Islington North", "E14001305"), ("islington n", "E14001305"),
                                             ("ynys mon", "W07000112"), ("aldershott", "E14001063"),
                                             ("e14001063", "E14001063")])
def test_seat_lookup_is_forgiving(query, code):
    from seatcast.data import baseline
    from seatcast.data.seats import find_seat

    base = baseline("2024")
    assert find_seat(query, dict(zip(base.codes, base.seats["constituency"], strict=True))) == code


@pytest.mark.parametrize(("query", "text"), [("york", "York Outer"), ("newcastle", "Newcastle-under-Lyme"),
                                             ("xyzzy", "no seat"), ("Nowhere", "did you mean")])
def test_ambiguous_or_unknown_seat_lists_candidates(runner, query, text):
    """'Nowhere' is 0.67 like 'Gower' by difflib, its only close name: a suggestion, not a match."""
    r = runner.invoke(app, ["seat", query])
    assert r.exit_code == 2 and text in r.output


def test_seat_command_islington_north_2024(runner):
    r = runner.invoke(app, ["seat", "islington n", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    # Jeremy Corbyn held Islington North as an independent in 2024, against Labour's 16,873 votes
    assert out["winner"] == "ind" and out["runner_up"] == "lab"
    assert out["result"][1]["votes"] == 16873
    assert out["swing_to_flip"] == pytest.approx(out["majority_pct"] / 2, abs=0.06)


def test_version(runner):
    from seatcast import __version__

    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"seatcast {__version__}"


def test_version_matches_pyproject():
    import tomllib
    from pathlib import Path

    from seatcast import __version__

    meta = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert __version__ == meta["project"]["version"]


def test_compare_two_models_matches_two_projections(runner):
    import seatcast

    r = runner.invoke(app, ["compare", "--a", "lab=30,reform=28,con=18,ld=12,green=9", "--model-b", "uns",
                            "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    scen = seatcast.scenario(SHARES)
    a, b = seatcast.project(scen, model="tm"), seatcast.project(scen, model="uns")
    assert all(row["a"] == a.parliament.seats.get(row["party"], 0) for row in out["parties"])
    assert all(row["b"] == b.parliament.seats.get(row["party"], 0) for row in out["parties"])
    assert sum(row["a"] for row in out["parties"]) == sum(row["b"] for row in out["parties"]) == 650
    assert len(out["differ"]) == int((a.winners != b.winners).sum())


def test_replacing_an_output_file_is_noted(runner, tmp_path):
    path = tmp_path / "seats.csv"
    args = ["project", *[f"--{p}={v:g}" for p, v in SHARES.items()], "--csv", str(path)]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == second.exit_code == 0, second.output
    assert "replaced" not in first.stderr and f"replaced the existing file {path}" in second.stderr


def test_project_csv_has_a_row_per_seat(runner, tmp_path):
    path = tmp_path / "seats.csv"
    r = runner.invoke(app, ["project", *[f"--{p}={v:g}" for p, v in SHARES.items()], "--csv", str(path)])
    assert r.exit_code == 0, r.output
    import csv

    rows = list(csv.DictReader(path.open()))
    assert len(rows) == 650
    assert {"winner", "majority", "swing_to_flip", "win_prob", "share_lab"} <= set(rows[0])
    for row in rows:
        shares = [float(v) for k, v in row.items() if k.startswith("share_")]
        assert sum(shares) == pytest.approx(100, abs=0.2)
        assert float(row["swing_to_flip"]) == pytest.approx(float(row["majority"]) / 2, abs=0.006)


# ---- confirmed bugs of issue 14 ------------------------------------------------------------------

def test_reliability_of_the_learned_model_skips_2015():
    from seatcast.backtest.forecast_backtest import reliability

    table = reliability(model="learned", draws=200)  # 2015 has no earlier transition to learn from
    assert table["n"].sum() > 1000 and ((0 <= table["observed"]) & (table["observed"] <= 1)).all()


def test_portfolio_lists_every_chosen_seat(runner):
    r = runner.invoke(app, ["portfolio", "--party", "lab", "--budget", "80", "--draws", "60"])
    assert r.exit_code == 0, r.output
    assert "Chosen seats (80)" in r.stdout


def test_a_solver_failure_is_not_called_infeasible(monkeypatch):
    import importlib
    from types import SimpleNamespace

    from seatcast.campaign import ip
    from seatcast.errors import InfeasibleError

    portfolio = importlib.import_module("seatcast.campaign.portfolio")  # the module, not the function

    stopped = SimpleNamespace(status=1, x=None, message="Time limit reached")
    monkeypatch.setattr(ip, "milp", lambda *a, **k: stopped)
    with pytest.raises(ip.SolverError, match="status 1") as info:
        ip.check_status(stopped)
    assert not isinstance(info.value, InfeasibleError)
    monkeypatch.setattr(portfolio, "milp", lambda *a, **k: stopped)
    gain = np.ones((3, 4), np.int8)
    with pytest.raises(ip.SolverError):
        portfolio.best_for_goal(gain, np.array([2, 2, 2]), 2)


def test_the_dashboard_uses_the_same_defaults_and_poll_scenario(client):
    from seatcast.polls import scenario_from_polls

    meta = client.get("/api/meta").json()
    assert meta["defaults"] == {"model": defaults.MODEL, "baseline": defaults.BASELINE,
                                "draws": defaults.DRAWS, "seed": defaults.SEED}
    polls = client.get("/api/polls").json()
    expected = scenario_from_polls("latest")
    assert {k: v for k, v in polls["scenario"].items() if k != "notices"} == expected.as_dict()
    assert polls["scenario"]["notices"] == list(expected.notices)


def test_forecast_report_hex_map_uses_the_baselines_boundaries(tmp_path):
    from seatcast.simulate import forecast
    from seatcast.simulate.report import hex_map

    fc = forecast(baseline="2019", draws=200)
    path = hex_map(fc, tmp_path / "hexmap.png")
    assert path.stat().st_size > 20_000  # 650 hexes drawn (5 hexes gave a near-empty image)
    from seatcast.data import hex_layout

    assert hex_layout("2010").index.isin(fc.win_prob.index).sum() == 650


def test_help_imports_no_numpy_pandas_or_matplotlib():
    """Start-up: `seatcast --help` must not pay for the scientific stack (docs/performance.md)."""
    import subprocess
    import sys

    code = ("import sys, seatcast.cli; from typer.testing import CliRunner; "
            "CliRunner().invoke(seatcast.cli.app, ['--help']); "
            "heavy = ('numpy', 'pandas', 'scipy', 'matplotlib', 'fastapi'); "
            "print(sorted(m for m in heavy if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_figures_never_pick_a_matplotlib_backend(tmp_path):
    """Library code draws on matplotlib Figures: no pyplot, so no GUI backend is chosen or changed
    (issue 14: ``matplotlib.use("Agg")`` was called in library code)."""
    import subprocess
    import sys

    code = ("import sys; from typer.testing import CliRunner; from seatcast.cli import app; "
            f"out = {str(tmp_path)!r}; "
            "r1 = CliRunner().invoke(app, ['forecast', '--draws', '200', '--out', out + '/fc']); "
            "r2 = CliRunner().invoke(app, ['live', '--replay', '2017', '--limit', '2', '--draws', '200', "
            "'--out', out + '/live']); "
            "print(r1.exit_code, r2.exit_code, 'matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "0", "False"]
    assert (tmp_path / "fc" / "hexmap.png").exists() and (tmp_path / "live" / "live.png").exists()


@pytest.mark.parametrize("party,baseline", [("lab", "2024"), ("con", "2019"), ("snp", "2017")])
def test_targets_are_the_same_on_cli_api_and_web(runner, client, party, baseline):
    """The dashboard's target table, `seatcast targets --json` and seatcast.campaign.targets: one list."""
    from seatcast.campaign import targets

    web = client.get("/api/targets", params={"party": party, "baseline": baseline, "limit": 25}).json()
    cli = json.loads(runner.invoke(app, ["targets", "--party", party, "--baseline", baseline, "--top", "25",
                                         "--json"]).stdout)
    lib = targets(party, baseline).as_dict(25)
    assert web["rows"] == cli["targets"] == json.loads(present.dumps(lib))["targets"]
    assert web["tipping"] == cli["tipping"] == lib["tipping"]
    assert len(web["rows"]) == 25 or party == "snp"


def test_tactical_and_portfolio_json_are_the_library_results(runner):
    """`seatcast tactical --json` / `portfolio --json` print the library's answer for the same inputs."""
    from seatcast.campaign import portfolio, tactical
    from seatcast.swing import scenario

    scen = scenario(gb=SHARES)
    shares = ",".join(f"{p}={v:g}" for p, v in SHARES.items())
    cli = json.loads(runner.invoke(app, ["tactical", "--shares", shares, "--against", "lab", "--goal",
                                         "not-largest", "--from", "reform,con,ld,green", "--draws", "0",
                                         "--json"]).stdout)
    lib = tactical(scen, against="lab", sources="reform,con,ld,green", goal="not-largest", draws=0)
    assert cli == json.loads(present.dumps(lib.as_dict()))
    cli = json.loads(runner.invoke(app, ["portfolio", "--party", "reform", "--budget", "5", "--shares",
                                         shares, "--draws", "50", "--json"]).stdout)
    assert cli == json.loads(present.dumps(portfolio("reform", 5, scen, draws=50).as_dict()))
