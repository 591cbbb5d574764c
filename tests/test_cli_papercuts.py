"""Papercuts a new user met on the command line (session 7): wording, units, options that
did nothing, silent writes. Each test failed before its fix."""

import json
import re

import pytest

from seatcast.cli import app


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Wide result and note consoles, whatever the terminal of the test run (a pytest-xdist
    worker's rich Console can be 80 columns wide, and wrapped lines split the phrases checked)."""
    from seatcast import cliutil

    for console in (cliutil.out, cliutil.err):
        monkeypatch.setattr(console, "_width", 250)
        monkeypatch.setattr(console, "_height", 50)


def _tips(runner, *args):
    r = runner.invoke(app, ["targets", *args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["tipping"]


def test_targets_tipping_lines_read_as_plain_english_2017(runner):
    """2017: the Conservatives were the largest party but short of a majority. The line said
    'con keeps it until a uniform swing of -1.58 pts from lab to con' (a negative swing, and
    'until' for a goal not yet reached); it now names the swing needed, or the swing that
    loses it, as a positive number in the direction it runs."""
    tips = _tips(runner, "--party", "con", "--vs", "lab", "--baseline", "2017")
    r = runner.invoke(app, ["targets", "--party", "con", "--vs", "lab", "--baseline", "2017", "--top", "1"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert " until " not in text
    largest, majority = tips["largest"], tips["majority"]
    assert largest["holds_now"] and not majority["holds_now"]
    assert (f"largest: con has it, and loses it at a uniform swing of {-largest['swing']:.2f} pts "
            f"from con to lab" in text)
    assert f"majority: con needs a uniform swing of {majority['swing']:.2f} pts from lab to con" in text
    assert not re.search(r"swing of -\d", text)


def test_cell_shows_a_missing_number_as_blank_and_no_negative_zero():
    """A NaN printed as 'nan' and a tiny negative error as '-0.0' in the tables."""
    from seatcast.present import cell

    assert cell(float("nan"), "num1") == cell(float("nan"), "num2") == cell(float("nan"), "pct") == ""
    assert cell(-0.04, "num1") == "0.0" and cell(-0.004, "num2") == "0.00" and cell(-0.0004, "pct") == "0.0%"
    assert cell(-0.06, "num1") == "-0.1"


def test_polls_accuracy_table_has_no_nan_or_negative_zero(runner):
    """2024: no poll in the naive 7-day window named UKIP, so that cell read 'nan'; the corrected
    UKIP error read '-0.0'."""
    r = runner.invoke(app, ["polls", "--accuracy"])
    assert r.exit_code == 0, r.output
    cells = set(re.findall(r"[^\s│┃]+", r.stdout))
    assert "nan" not in cells and "-0.0" not in cells


def test_compare_refuses_to_compare_a_scenario_with_itself(runner):
    """`compare --a lab=30` (no --b, no --model-b) printed two identical columns and '0 seats
    called differently' with exit 0; it now asks for the second scenario or model."""
    for args in (["--a", "lab=30"], ["--a", "lab=30", "--model-a", "uns", "--model-b", "uns"]):
        r = runner.invoke(app, ["compare", *args])
        assert r.exit_code == 2, r.output
        assert r.output.startswith("error b:") and "--b" in r.output and "--model-b" in r.output
        assert len(r.output.strip().splitlines()) == 1
    r = runner.invoke(app, ["compare", "--a", "lab=30,reform=28,con=18", "--model-b", "uns", "--json"])
    assert r.exit_code == 0, r.output


def test_reliability_says_where_the_diagram_went(runner, tmp_path):
    """`reliability --plot` wrote the PNG without a word (forecast, project and polls say where
    their files went); and its counts had no thousands separator (13432)."""
    png = tmp_path / "rel.png"
    r = runner.invoke(app, ["reliability", "--draws", "500", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert png.stat().st_size > 0 and f"reliability diagram written to {png}" in " ".join(r.stdout.split())
    counts = [line.split()[-2] for line in r.stdout.splitlines() if line.startswith("│")]
    assert counts and all(re.fullmatch(r"\d{1,3}(,\d{3})*", c) for c in counts), counts
    assert any("," in c for c in counts)


def _night(n):
    seats = ["Aldershot", "Bath", "Islington North", "Ashfield", "Bolton West", "Chelsea and Fulham"]
    winners = ["lab", "ld", "ind", "reform", "lab", "lab"]
    pairs = zip(seats[:n], winners[:n], strict=True)
    return "".join(json.dumps({"seat": s, "winner": w}) + "\n" for s, w in pairs)


def test_live_every_is_honoured_on_a_live_night(runner):
    """`live --every 2` still printed a line per declaration when reading a live feed."""
    r = runner.invoke(app, ["live", "--draws", "500", "--every", "2"], input=_night(5))
    assert r.exit_code == 0, r.output
    steps = [int(m) for m in re.findall(r"^\s*(\d+) declared,", r.stdout, re.M)]
    assert steps == [0, 2, 4], r.stdout


def test_live_options_parse_like_every_other_command(runner):
    """live's numbers took `nan` and `1_000` (Python's float/int) and showed `<int>`/`<float>`
    metavars; they now use the strict parsers of every other command."""
    for args, option in ((["--speed", "nan"], "--speed"), (["--draws", "1_000"], "--draws"),
                         (["--draws", "50"], "--draws"), (["--call-at", "nan"], "--call-at"),
                         (["--every", "-1"], "--every"), (["--idle", "-3"], "--idle")):
        r = runner.invoke(app, ["live", "--replay", "2019", "--limit", "1", *args])
        assert r.exit_code == 2 and f"Invalid value for '{option}'" in r.output, (args, r.output)
        assert len(r.output.strip().splitlines()) == 1
    shown = runner.invoke(app, ["live", "--help"], env={"COLUMNS": "200"}).stdout
    assert "<int>" not in shown and "<float>" not in shown and "<int range>" not in shown


def test_pact_without_a_party_says_what_to_give(runner):
    """`seatcast pact` alone said "give exactly one party code, got None" (a Python None)."""
    r = runner.invoke(app, ["pact"])
    assert r.exit_code == 2 and r.output.startswith("error party:"), r.output
    assert "None" not in r.output and "unite-to-remain" in r.output
    r = runner.invoke(app, ["pact", "--party", ","])
    assert r.exit_code == 2 and "None" not in r.output and "give a party code" in r.output, r.output


def test_backtest_and_hindsight_help_explain_their_columns(runner):
    """The score tables' abbreviated headers (SAE, lead err, in 90%, P(actual), RMSE) were
    explained nowhere a user of the command line would look."""
    wide = {"COLUMNS": "200"}
    backtest = " ".join(runner.invoke(app, ["backtest", "--help"], env=wide).stdout.split())
    for term in ("SAE, the sum", "lead err,", "correct,", "Brier and logloss", "in 90%,", "P(actual),"):
        assert term in backtest, term
    hindsight = " ".join(runner.invoke(app, ["hindsight", "--help"], env=wide).stdout.split())
    assert "SAE, the sum" in hindsight and "share RMSE," in hindsight


def test_polls_add_help_shows_a_file_that_polls_add_accepts(runner, fresh_store, tmp_path):
    """`polls add --help` said only 'columns: see seatcast.polls.read_csv' (a Python name). It now
    lists the columns (the importer's own) and shows a file, which is taken as it stands."""
    from seatcast.polls.importer import OPTIONAL, REQUIRED
    from seatcast.polls.sources import PARTY_COLUMNS

    shown = runner.invoke(app, ["polls", "add", "--help"], env={"COLUMNS": "200"}).stdout
    assert "read_csv" not in shown
    words = set(re.findall(r"[a-z_]+", shown))
    assert set(REQUIRED) | set(OPTIONAL) | set(PARTY_COLUMNS) <= words
    lines = [ln.strip() for ln in shown.splitlines() if re.fullmatch(r"[^\s,]+(,[^\s,]*){5,}", ln.strip())]
    assert lines[0].startswith("pollster,fieldwork_end") and len(lines) == 2, lines
    csv = tmp_path / "mine.csv"
    csv.write_text("\n".join(lines) + "\n")
    r = runner.invoke(app, ["polls", "add", str(csv), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == 1


def test_project_with_no_scenario_names_the_options(runner):
    """`seatcast project` alone said "give at least one party's share, e.g. con=43": the web API's
    form; on the command line a share is `--con 43`, or the polls `--polls latest`."""
    r = runner.invoke(app, ["project", "--seat", "Islington North:-ind"])
    assert r.exit_code == 2 and r.output.startswith("error scenario:"), r.output
    assert "--con 43" in r.output and "--polls latest" in r.output
    assert len(r.output.strip().splitlines()) == 1


def _options(group, path=()):
    """(command path, click parameter) for every option of every command, nested groups included."""
    for name, cmd in getattr(group, "commands", {}).items():
        yield from ((" ".join((*path, name)), p) for p in cmd.params)
        yield from _options(cmd, (*path, name))


def test_every_model_option_lists_the_models_the_same_way():
    """`history --model` listed bare names, `compare --model-a/--model-b` none at all; every other
    command names each model and what it is."""
    import typer

    from seatcast.defaults import MODEL_NAMES

    found = [(c, p) for c, p in _options(typer.main.get_command(app)) if p.name.startswith("model")]
    assert {c for c, _ in found} >= {"project", "forecast", "history", "compare", "targets"}
    for c, p in found:
        for k, v in MODEL_NAMES.items():
            assert f"{k} ({v})" in p.help, (c, p.name, p.help)


def test_every_number_option_uses_the_strict_parsers():
    """A few options still parsed with Python's int/float (`--limit 1_0` was 10, `--timeout nan`
    passed) and showed `<int range>`/`<float range>` in --help; all now use cliutil's parsers."""
    import typer

    loose = [(c, p.name, p.type.name) for c, p in _options(typer.main.get_command(app))
             if p.type.name in ("int", "float", "int range", "float range", "integer range")]
    assert not loose, loose


def test_polls_list_limit_refuses_python_only_spellings(runner):
    r = runner.invoke(app, ["polls", "list", "--limit", "1_0"])
    assert r.exit_code == 2 and "Invalid value for '--limit'" in r.output, r.output


def test_the_dashboard_words_tipping_points_as_the_cli_does(runner):
    """/api/targets' note said 'majority: a uniform swing of -4.60 points from Conservative to
    Labour' for Labour's 2024 majority, which Labour holds; it now shares the CLI's sentence."""
    from fastapi.testclient import TestClient

    from seatcast.web.app import create_app

    client = TestClient(create_app(), base_url="http://127.0.0.1")
    api = client.get("/api/targets", params={"party": "lab"}).json()
    tip = api["tipping"]["majority"]
    assert tip["holds_now"] and tip["swing"] < 0
    assert (f"majority: Labour has it, and loses it at a uniform swing of {-tip['swing']:.2f} pts "
            f"from Labour to Conservative" in api["note"])
    assert not re.search(r"swing of -\d", api["note"])
    cli = runner.invoke(app, ["targets", "--party", "lab", "--top", "1"])
    shown = " ".join(cli.stdout.split())
    assert f"loses it at a uniform swing of {-tip['swing']:.2f} pts from lab to con" in shown


def test_seat_card_names_a_nation_once(runner):
    """Ynys Môn's card read 'Wales, Wales' (its region is its nation); English seats keep both."""
    r = runner.invoke(app, ["seat", "ynys mon"])
    assert r.exit_code == 0, r.output
    first = r.stdout.splitlines()[0]
    assert "Wales, Wales" not in first and "(W07000112), Wales;" in first
    assert "(E14001063), South East, England;" in runner.invoke(app, ["seat", "aldershot"]).stdout


def test_audit_majorities_are_whole_votes_2019(runner, tmp_path):
    """Labour's 2019 near misses were shown as '-378.00' votes; a majority in votes is whole."""
    listed = tmp_path / "list.csv"
    listed.write_text("ons_code,type,party\nE14000552,defensive,lab\n")  # Bedford, held in 2019
    r = runner.invoke(app, ["audit-targets", str(listed), "--election", "2019"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    rows = [line.split("│") for line in r.stdout.splitlines() if re.match(r"│ [EWS]\d{8}", line)]
    assert rows and "majority (votes)" in r.stdout
    assert all(re.fullmatch(r"-?\d{1,3}(,\d{3})*", cells[5].strip()) for cells in rows), rows[:2]


def test_portfolio_lists_are_named_in_words(runner):
    """The comparison table's rows read 'none' and 'naive_smallest_majority' (JSON keys)."""
    r = runner.invoke(app, ["portfolio", "--party", "lab", "--budget", "3", "--draws", "200",
                            "--shares", "lab=30,reform=28,con=18,ld=12,green=9"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "naive_smallest_majority" not in r.stdout and "│ none " not in r.stdout
    assert "naive: smallest majorities first" in r.stdout and "no campaign" in r.stdout


def test_a_bloc_is_written_the_same_way_in_forecast_and_close_call_2017(runner):
    """`forecast --bloc` joined parties with '+', `close-call --bloc` with ','; each refused the
    other's form. Both take both now, with the same result."""
    args = ["close-call", "--election", "2017", "--goal", "bloc-majority", "--json", "--bloc"]
    plus = runner.invoke(app, [*args, "lab+snp+ld+pc+green"])
    comma = runner.invoke(app, [*args, "lab,snp,ld,pc,green"])
    assert plus.exit_code == comma.exit_code == 0, plus.output
    assert json.loads(plus.stdout) == json.loads(comma.stdout)
    from seatcast.parliament.blocs import parse_bloc

    assert parse_bloc("con,reform, dup") == parse_bloc("con+reform+dup") == ("con", "reform", "dup")


def test_a_bad_row_of_a_seats_file_is_named_by_its_line(runner, tmp_path):
    """An unknown seat or party in --seats-file was reported as 'seat: ...' with no line, unlike
    a bad share ('seats_file line 3.share')."""
    f = tmp_path / "overrides.csv"
    f.write_text("seat,party,share\nIslington North,ind,40\nNowhere,ind,40\n")
    r = runner.invoke(app, ["project", "--polls", "latest", "--seats-file", str(f)])
    assert r.exit_code == 2 and r.output.startswith("error seats_file line 3: no seat 'Nowhere'"), r.output
    f.write_text("seat,party,share\nIslington North,snp,40\n")
    r = runner.invoke(app, ["project", "--polls", "latest", "--seats-file", str(f)])
    assert r.exit_code == 2 and r.output.startswith("error seats_file line 2.snp: party 'snp'"), r.output
    r = runner.invoke(app, ["project", "--polls", "latest", "--seat", "Nowhere:ind=40"])
    assert r.exit_code == 2 and r.output.startswith("error seat: no seat 'Nowhere'"), r.output


def test_all_with_an_election_or_a_model_is_not_silently_ignored(runner):
    """`hindsight --all --model uns` ran every model (backtest --all --model runs one), and
    `--all --election 2019` ran every election without a word."""
    for cmd in ("hindsight", "backtest"):
        r = runner.invoke(app, [cmd, "--all", "--election", "2019"])
        assert r.exit_code == 2 and r.output.startswith("error election: --all runs every election"), r.output
    r = runner.invoke(app, ["hindsight", "--all", "--model", "uns", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {row["model"] for row in rows} == {"uns"} and len({row["election"] for row in rows}) == 4


def test_forecast_as_of_help_says_where_the_default_polls_come_from(runner, fresh_store, tmp_path):
    """The help said 'default: the latest bundled polls', but forecast reads the poll store, so a
    poll added there moves the default date past the bundled polls."""
    opt = next(p for c, p in _options(__import__("typer").main.get_command(app))
               if c == "forecast" and p.name == "as_of")
    assert "bundled" not in opt.help and "poll store" in opt.help
    f = tmp_path / "mine.csv"
    f.write_text("pollster,fieldwork_end,con,lab,ld,reform,green\nMine,2026-10-01,20,26,11,25,10\n")
    assert runner.invoke(app, ["polls", "add", str(f)]).exit_code == 0
    r = runner.invoke(app, ["forecast", "--draws", "200", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["as_of"] == "2026-10-02"


def test_every_command_help_shows_examples(runner):
    """`seatcast polls --help` showed a one-line summary only: the group's help= hid the
    callback's description and examples (the README promises examples in every --help)."""
    import typer

    group = typer.main.get_command(app)
    paths = [[name] for name in group.commands]
    paths += [["polls", name] for name in group.commands["polls"].commands]
    for path in paths:
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"}).stdout
        assert re.search(r"Examples?:", shown) and re.search(r"^\s+seatcast ", shown, re.M), path
    shown = runner.invoke(app, ["polls", "--help"]).stdout
    assert "seatcast polls --accuracy" in shown and "fieldwork ended before --as-of" in shown


def test_web_history_refuses_an_unknown_model():
    """GET /api/history?model=xyz answered 200 with no weeks, as if that model had no history yet;
    every other route answers an unknown model with a 422 naming the field."""
    from fastapi.testclient import TestClient

    from seatcast.web.app import create_app

    client = TestClient(create_app(), base_url="http://127.0.0.1")
    r = client.get("/api/history", params={"model": "xyz"})
    assert r.status_code == 422 and r.json()["field"] == "model" and "tm" in r.json()["allowed"]
    assert client.get("/api/history", params={"model": "uns"}).status_code == 200


def test_turnout_headline_shares_have_fixed_decimals_and_no_none(runner):
    """'GB share 34.64 -> 34.3' (a dropped zero) and, for Sinn Féin, 'GB share None -> None'."""
    r = runner.invoke(app, ["turnout", "--party", "lab", "--factor", "0.9", "--region", "London"],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert re.search(r"GB share \d+\.\d\d -> \d+\.\d\d$", r.stdout.splitlines()[0]), r.stdout.splitlines()[0]
    r = runner.invoke(app, ["turnout", "--party", "sf", "--factor", "0.5"], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "None" not in r.stdout.splitlines()[0], r.stdout.splitlines()[0]
    r = runner.invoke(app, ["turnout", "--party", "lab", "--factor", "0"], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "GB share 34.64 -> 0.00" in r.stdout.splitlines()[0], r.output


def test_party_codes_in_share_lists_are_case_insensitive(runner):
    """`--party LAB` was taken but `--scotland SNP=30` refused ('unknown party SNP')."""
    def seats(spec):
        r = runner.invoke(app, ["project", "--con", "30", "--lab", "30", "--scotland", spec, "--json"])
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)["parliament"]["seats"]

    assert seats("SNP=30,Lab=25") == seats("snp=30,lab=25")
    r = runner.invoke(app, ["project", "--con", "30", "--scotland", "snp=30,SNP=31"])
    assert r.exit_code == 2 and "given twice" in r.output


def test_polls_latest_zero_prints_no_empty_table(runner):
    """`polls --latest 0` printed an empty 'Latest 0 polls' table with its headers."""
    r = runner.invoke(app, ["polls", "--latest", "0"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "poll average" in r.stdout and "pollster" not in r.stdout and "Latest" not in r.stdout
    assert "pollster" in runner.invoke(app, ["polls", "--latest", "2"], env={"COLUMNS": "200"}).stdout


def test_live_table_names_parties_as_every_other_table(runner):
    """The election-night table said 'Conservative' where every other table says
    'Conservative (con)'."""
    r = runner.invoke(app, ["live", "--replay", "2019", "--limit", "2", "--draws", "500"],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "│ Conservative (con) " in r.stdout and "│ Labour (lab) " in r.stdout


def test_forecast_on_the_command_line_carries_the_reports_caveat(runner, tmp_path):
    """The HTML report says the uncertainty is that of an election held now; the terminal output
    (what most users read) did not."""
    from seatcast.present import FORECAST_CAVEAT

    r = runner.invoke(app, ["forecast", "--draws", "300", "--out", str(tmp_path / "rep")],
                      env={"COLUMNS": "300"})
    assert r.exit_code == 0, r.output
    assert "election held now" in FORECAST_CAVEAT and FORECAST_CAVEAT in r.stdout
    assert FORECAST_CAVEAT.split(":")[0] in (tmp_path / "rep" / "index.html").read_text()


def test_poll_areas_are_case_insensitive_like_regions(runner):
    """`--area gb` was refused ('London' and 'london' are both taken as a region)."""
    from seatcast import cli_polls
    from seatcast.polls.model import AREAS

    assert cli_polls.AREAS == tuple(AREAS)
    lower = runner.invoke(app, ["polls", "--area", "scotland", "--json"])
    proper = runner.invoke(app, ["polls", "--area", "Scotland", "--json"])
    assert lower.exit_code == proper.exit_code == 0, lower.output
    assert json.loads(lower.stdout) == json.loads(proper.stdout)
    r = runner.invoke(app, ["polls", "list", "--area", "gb", "--limit", "1", "--json"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["polls", "--area", "england"])
    assert r.exit_code == 2 and "GB, Scotland, Wales" in r.output


def test_an_empty_share_list_names_its_option(runner):
    """`--region London:` and `--scotland ,` fell through to the API's "give at least one party's
    share, e.g. con=43"; they now name the option and the form it wants."""
    for args, field in ((["--region", "London:"], "London"), (["--scotland", ","], "Scotland"),
                        (["--con", "40", "--wales", " "], "Wales")):
        r = runner.invoke(app, ["project", *args])
        assert r.exit_code == 2 and r.output.startswith(f"error {field}: expected party=share"), r.output


def test_history_json_alone_writes_no_file(runner, fresh_store, tmp_path, monkeypatch):
    """`history --json` wrote ./history.png (its default plot) while `forecast --json` writes no
    report; a plot is written with --json only when --plot names it, and by default without."""
    monkeypatch.chdir(tmp_path)
    args = ["history", "--draws", "100", "--since", "2026-08-01", "--workers", "1"]
    r = runner.invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["plot"] is None and not (tmp_path / "history.png").exists()
    r = runner.invoke(app, args)
    assert r.exit_code == 0 and (tmp_path / "history.png").stat().st_size > 0, r.output


def test_the_main_job_is_on_the_top_level_api(runner):
    """`seatcast.project` was there but `seatcast.forecast` (the main job) raised AttributeError;
    it is the function `seatcast forecast` calls, giving the same numbers."""
    import seatcast
    from seatcast.present import forecast_doc
    from seatcast.simulate import forecast

    assert seatcast.forecast is forecast and "forecast" in seatcast.__all__
    fc = seatcast.forecast(draws=300, seed=7)
    r = runner.invoke(app, ["forecast", "--draws", "300", "--seed", "7", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["summary"] == json.loads(json.dumps(forecast_doc(fc)["summary"]))


def test_backtest_says_why_learned_has_no_2015_backtest(runner):
    """`backtest --model learned --election 2015` printed an empty table and exited 0."""
    r = runner.invoke(app, ["backtest", "--model", "learned", "--election", "2015"])
    assert r.exit_code == 2 and r.output.startswith("error model: learned cannot be backtested on 2015")
    assert len(r.output.strip().splitlines()) == 1


def test_hindsight_title_names_the_shares_in_words(runner):
    """The title read 'true gb shares' / 'true regions shares'."""
    for flag, words in (([], "true GB shares"), (["--nations"], "true nation shares"),
                        (["--regions"], "true nation and English-region shares")):
        r = runner.invoke(app, ["hindsight", "--election", "2019", "--model", "uns", *flag],
                          env={"COLUMNS": "200"})
        assert r.exit_code == 0 and words in r.stdout, r.output


def test_one_poll_is_not_one_polls(runner, fresh_store, tmp_path):
    """'added 1 polls' and 'Newest 1 polls' (and '1 seats' elsewhere)."""
    from seatcast.cliutil import count

    assert (count(1, "poll"), count(0, "poll"), count(1234, "seat")) == ("1 poll", "0 polls", "1,234 seats")
    f = tmp_path / "one.csv"
    f.write_text("pollster,fieldwork_end,con,lab\nMine,2026-09-01,30,30\n")
    r = runner.invoke(app, ["polls", "add", str(f)])
    assert r.exit_code == 0 and "added 1 poll, 0 already" in " ".join(r.stdout.split()), r.output
    r = runner.invoke(app, ["polls", "list", "--limit", "1"], env={"COLUMNS": "200"})
    assert "Newest 1 poll" in r.stdout and "1 polls" not in r.stdout


def test_an_ascii_terminal_gets_output_not_an_internal_error(tmp_path):
    """With PYTHONIOENCODING=ascii (or a Latin-1 locale, a bare cron job) 'Sinn Féin' and 'Ynys
    Môn' made every table command exit 70 with 'internal error ... please report it'. Tables now
    print a '?', and JSON escapes the character, so it still parses to the same document."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "200"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "seatcast.cli", *args], env=env, capture_output=True,
                              timeout=120)

    table = run("seat", "ynys mon")
    assert table.returncode == 0, table.stderr
    assert b"Ynys M?n (W07000112)" in table.stdout
    doc = run("seat", "ynys mon", "--json")
    assert doc.returncode == 0, doc.stderr
    assert json.loads(doc.stdout)["constituency"] == "Ynys Môn" and b"\\u00f4" in doc.stdout


def test_the_speaker_is_not_a_campaigning_party_anywhere(runner):
    """targets refused --party speaker, but portfolio took it (and simulated), and targets took
    --vs speaker ('a uniform swing of 8.62 pts from lab to speaker')."""
    for args, field in ((["portfolio", "--party", "speaker", "--budget", "2", "--draws", "100"], "party"),
                        (["targets", "--party", "lab", "--vs", "speaker"], "vs"),
                        (["targets", "--party", "ind"], "party")):
        r = runner.invoke(app, args)
        assert r.exit_code == 2 and r.output.startswith(f"error {field}: "), (args, r.output)
        assert "not a party that campaigns" in r.output and "allowed: con, lab" in r.output


def test_compare_and_targets_say_what_they_left_out(runner):
    """compare printed no scenario notes (how the parties not named were filled in, which
    `project` prints), and compare and targets cut their lists at --top without saying so."""
    r = runner.invoke(app, ["compare", "--a", "lab=30,reform=28,con=18", "--b", "lab=26,reform=32,con=18",
                            "--top", "3"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "note: A: GB:" in r.stderr and "note: B: GB:" in r.stderr
    assert re.search(r"\.\.\. and [\d,]+ more \(use --top 0 to list all\)", r.stdout)
    r = runner.invoke(app, ["targets", "--party", "lab", "--top", "2"], env={"COLUMNS": "200"})
    assert len(re.findall(r"\.\.\. and [\d,]+ more \(use --top 0", r.stdout)) == 2
    r = runner.invoke(app, ["targets", "--party", "lab", "--top", "0"], env={"COLUMNS": "200"})
    assert "more (use --top 0" not in r.stdout


def test_an_as_of_before_every_poll_says_which_dates_have_polls(runner):
    """'no polls ended before 2000-01-01 since 1993-12-23' named a date nobody chose and not the
    dates that would work."""
    r = runner.invoke(app, ["polls", "--as-of", "2000-01-01"])
    assert r.exit_code == 2 and r.output.startswith("error as_of: no polls ended between"), r.output
    assert re.search(r"the polls run from \d{4}-\d\d-\d\d to 2026-08-17", r.output)


def test_an_empty_seat_list_is_an_error_not_a_pact_in_no_seats(runner):
    """`pact --seats ""` (a shell variable left empty) re-counted a pact in no seats, exit 0."""
    for spec in ("", " , "):
        r = runner.invoke(app, ["pact", "--party", "green", "--seats", spec])
        assert r.exit_code == 2 and r.output.startswith("error seats: no seats given"), r.output
        assert "held-by:PARTY" in r.output


def test_close_call_options_that_would_do_nothing_are_refused_2017(runner):
    """`--from lab` without `--mode restricted`, `--bloc` with a party goal and `--party` with
    bloc-majority were silently ignored (528 voters either way)."""
    base = ["close-call", "--election", "2017"]
    for args, field in ((["--party", "con", "--from", "lab", "--to", "con"], "from"),
                        (["--party", "con", "--bloc", "lab,snp"], "bloc"),
                        (["--goal", "bloc-majority", "--bloc", "lab,snp", "--party", "con"], "party")):
        r = runner.invoke(app, [*base, *args])
        assert r.exit_code == 2 and r.output.startswith(f"error {field}: "), (args, r.output)
    r = runner.invoke(app, [*base, "--party", "con", "--mode", "restricted", "--from", "lab", "--to", "con",
                            "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["votes"] == 626  # docs/campaign.md


def test_options_for_another_mode_are_refused_not_ignored(runner):
    """`targets --draws 500` with no projection simulated nothing and said nothing; `live --limit`
    and `--speed` on a live feed (they pace and cut a replay) were ignored."""
    r = runner.invoke(app, ["targets", "--party", "lab", "--draws", "500"])
    assert r.exit_code == 2 and r.output.startswith("error draws: win probabilities need a projection")
    for args, field in ((["--limit", "3"], "limit"), (["--speed", "60"], "speed")):
        r = runner.invoke(app, ["live", "--draws", "500", *args], input="")
        assert r.exit_code == 2 and r.output.startswith(f"error {field}: applies to --replay only"), r.output


def test_an_ni_seat_card_says_the_polls_do_not_reach_it(runner):
    """`seat "Belfast West" --polls latest` printed 'Projected from the polls' with the 2024 shares
    unchanged (national polls are GB-only) and did not say so."""
    r = runner.invoke(app, ["seat", "Belfast West", "--polls", "latest"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    note = "note: national polls cover Great Britain only, so Northern Ireland keeps its 2024 result"
    assert note in " ".join(r.stderr.split())
    r = runner.invoke(app, ["seat", "Aldershot", "--polls", "latest"], env={"COLUMNS": "200"})
    assert "Great Britain only" not in r.stderr


def test_project_can_set_every_party_of_the_poll_average(runner):
    """Restore Britain is in the poll average (and the web API takes its share), but `project`
    had no option for it: a strategist could not set it. The CLI and web now agree on it."""
    from fastapi.testclient import TestClient

    from seatcast.web.app import create_app

    r = runner.invoke(app, ["project", "--lab", "28", "--reform", "24", "--con", "18",
                            "--restore-britain", "8", "--json"])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.stdout)
    client = TestClient(create_app(), base_url="http://127.0.0.1")
    web = client.post("/api/project", json={"gb": {"lab": 28, "reform": 24, "con": 18,
                                                   "restore_britain": 8}}).json()
    assert cli["scenario"]["gb"]["restore_britain"] == 8
    assert cli["parliament"]["seats"] == web["parliament"]["seats"]


def test_every_top_option_says_zero_lists_all():
    """project said '(0 for all)', targets and compare '(0: all)': one wording for one rule."""
    import typer

    tops = [(c, p.help) for c, p in _options(typer.main.get_command(app)) if p.name == "top"]
    assert len(tops) >= 3 and all(h.endswith("(0: all).") for _, h in tops), tops


def test_top_level_help_groups_the_commands_main_jobs_first(runner):
    """`seatcast --help` listed 18 commands in definition order (hindsight and serve before
    forecast); they are now in panels, forecasts first, every command in one."""
    import typer

    from seatcast.cliutil import PANELS

    group = typer.main.get_command(app)
    assert set(group.commands) == set(PANELS)
    shown = runner.invoke(app, ["--help"]).stdout
    titles = [t for t in dict.fromkeys(PANELS.values())]
    assert [shown.index(f"─ {t} ") for t in titles] == sorted(shown.index(f"─ {t} ") for t in titles)
    listed = re.findall(r"^│ ([a-z][a-z-]*) ", shown, re.M)
    assert listed[0] == "forecast" and listed == list(PANELS)
