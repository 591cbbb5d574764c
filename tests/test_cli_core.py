"""The project and hindsight commands, for good and bad input."""

import json

import pytest

from seatcast.cli import app


def test_project_json(runner):
    r = runner.invoke(app, ["project", "--con", "43", "--lab", "36", "--ld", "12", "--brexit", "3",
                            "--green", "2", "--baseline", "2017", "--model", "stm", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    parl = out["parliament"]
    assert {"seats", "verdict", "majority", "changes", "ties"} <= set(parl)
    assert sum(parl["seats"].values()) == 650
    assert parl["seats"]["con"] > 317 and "majority" in parl["verdict"]
    # "changes" is per-party seat changes (as in the web API); seats changing hands are "flips"
    assert all(isinstance(v, int) for v in parl["changes"].values())
    assert sum(parl["changes"].values()) == 0
    assert all({"ons_code", "from", "to"} <= set(c) for c in out["flips"])
    assert len(out["flips"]) == sum(r["winner"] != r["baseline_winner"] for r in out["seats"])


def test_project_table(runner):
    r = runner.invoke(app, ["project", "--lab", "34", "--con", "24", "--reform", "15", "--ld", "12"])
    assert r.exit_code == 0
    assert "Seats changing hands" in r.stdout and "majority" in r.stdout.lower()


@pytest.mark.parametrize(
    "args, text",
    [(["--con", "140"], "gb.con"), (["--con", "40", "--model", "xyz"], "model"),
     (["--con", "40", "--baseline", "1997"], "--baseline"), (["--scotland", "snp=abc"], "Scotland.snp"),
     (["--con", "60", "--lab", "60"], "more than 100")],
)
def test_project_bad_input_one_line_exit_2(runner, args, text):
    r = runner.invoke(app, ["project", *args])
    assert r.exit_code == 2
    assert text in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1


@pytest.mark.parametrize("args, field", [(["project", "--polls", "2019-12-11"], "polls"),  # the option's name
                                         (["seat", "Aldershot", "--polls", "2019-12-11"], "polls"),
                                         (["forecast", "--as-of", "2010-01-01", "--draws", "100", "--json"],
                                          "as_of"),
                                         (["forecast", "--as-of", "2019-12-12", "--draws", "100", "--json"],
                                          "as_of"),
                                         (["compare", "--a", "polls:2019-12-11"], "a")])
def test_polls_from_before_the_baseline_parliament_are_refused(runner, args, field):
    """The 2019 eve-of-poll average swung from the 2024 result (the default baseline) mixes two
    parliaments: polls must end after 12 December 2019, the election before the baseline."""
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and f"{field}:" in r.output and "2019-12-12" in r.output, r.output
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


def test_a_garbled_poll_date_is_a_clear_error_everywhere(runner):
    from seatcast.errors import SeatcastError
    from seatcast.simulate import forecast

    r = runner.invoke(app, ["compare", "--a", "polls:xyz"])
    assert r.exit_code == 2 and r.output.startswith("error a: 'xyz' is not a date")
    r = runner.invoke(app, ["compare", "--a", "lab=30,con=20", "--b", "polls:xyz"])
    assert r.exit_code == 2 and r.output.startswith("error b: 'xyz' is not a date")
    with pytest.raises(SeatcastError, match="as_of: 'garbage' is not a date"):
        forecast(as_of="garbage", draws=100)


def test_the_baseline_eve_of_poll_average_is_allowed(runner):
    """The 2017 eve-of-poll average on the 2017 result (the polling error in seats) is a fair
    question, as in ``seatcast compare --help``."""
    r = runner.invoke(app, ["compare", "--a", "polls:2019-12-11", "--b", "polls:2017-06-07",
                            "--baseline", "2017", "--json"])
    assert r.exit_code == 0, r.output


def test_an_error_during_the_simulation_is_the_first_line_of_output(runner):
    """A progress bar on a piped stderr left a blank line before 'error bloc: ...'."""
    r = runner.invoke(app, ["forecast", "--bloc", "con+foo", "--draws", "100"])
    assert r.exit_code == 2 and r.output.startswith("error bloc:"), repr(r.output[:40])


def test_hindsight_json_2019_uns(runner):
    r = runner.invoke(app, ["hindsight", "--election", "2019", "--model", "uns", "--json"])
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert out["seats_total"] == 632
    assert out["seats_correct"] >= 0.93 * 632  # the bar for a good swing model
    assert out["sae"] >= 0


def test_hindsight_levels_differ_2024(runner):
    gb = json.loads(runner.invoke(app, ["hindsight", "--election", "2024", "--json"]).stdout)
    reg = json.loads(runner.invoke(app, ["hindsight", "--election", "2024", "--regions", "--json"]).stdout)
    assert reg["level"] == "regions" and gb["level"] == "gb"
    assert reg["seats_correct"] > gb["seats_correct"]


def test_hindsight_bad_election(runner):
    r = runner.invoke(app, ["hindsight", "--election", "2010"])
    assert r.exit_code == 2 and "--election" in r.output and "2015" in r.output  # the allowed values


def test_help_has_examples(runner):
    for cmd in ("project", "hindsight"):
        r = runner.invoke(app, [cmd, "--help"])
        assert r.exit_code == 0 and "Examples" in r.stdout


def test_reliability_command_is_the_library_table(runner, tmp_path):
    from seatcast.backtest.forecast_backtest import reliability

    png = tmp_path / "rel.png"
    r = runner.invoke(app, ["reliability", "--draws", "500", "--seed", "7", "--json", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    lib = reliability(model="tm", draws=500, seed=7)
    assert [b["n"] for b in out["bins"]] == lib["n"].tolist()
    assert [b["forecast"] for b in out["bins"]] == pytest.approx(lib["forecast"].tolist(), abs=1e-4)
    # Each GB seat has one winner: 632 seats x 4 elections = 2,528 wins at most, and nearly all
    # of them went to a party the forecast gave a positive probability.
    wins = sum(b["observed"] * b["n"] for b in out["bins"])
    assert 2_500 < wins <= 2_528 + 0.5
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reliability_plot_must_be_a_png(runner):
    r = runner.invoke(app, ["reliability", "--plot", "rel.txt"])
    assert r.exit_code == 2 and "--plot" in r.output and "Traceback" not in r.output
