"""The `seatcast polls` command: tables, JSON for every cycle, the tracker PNG, user files, errors."""

import json

import pytest

from seatcast.cli import app

CYCLES = ["2010-05-05", "2015-05-06", "2017-06-07", "2019-12-11", "2024-07-03", "latest"]


@pytest.mark.parametrize("as_of", CYCLES)
def test_polls_json_every_cycle(runner, as_of):
    r = runner.invoke(app, ["polls", "--as-of", as_of, "--json", "--latest", "3"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert {"average", "band", "as_of", "window", "house_effects", "latest_polls"} <= set(out)
    assert {"con", "lab", "ld"} <= set(out["average"])
    for p, v in out["average"].items():
        lo, hi = out["band"][p]
        assert lo <= v <= hi
    if as_of != "latest":
        assert out["as_of"] == as_of and out["window"][1] < as_of
    assert len(out["latest_polls"]) == 3


def test_polls_table(runner):
    r = runner.invoke(app, ["polls", "--as-of", "2019-12-11"])
    assert r.exit_code == 0, r.output
    assert "poll average" in r.stdout and "Conservative" in r.stdout and "Latest 10 polls" in r.stdout


def test_polls_plot_png(runner, tmp_path):
    path = tmp_path / "out" / "tracker.png"
    r = runner.invoke(app, ["polls", "--as-of", "2017-06-08", "--plot", str(path)])
    assert r.exit_code == 0, r.output
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
    assert [p.name for p in path.parent.iterdir()] == ["tracker.png"]  # no temp file left


def test_polls_scotland(runner):
    r = runner.invoke(app, ["polls", "--area", "Scotland", "--as-of", "2024-07-04", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["area"] == "Scotland" and out["average"]["snp"] > 20


def test_polls_user_file(runner, tmp_path):
    path = tmp_path / "mine.csv"
    rows = ["pollster,fieldwork_end,sample_size,con,lab"]
    rows += [f"{p},2023-03-{d:02d},1500,{c},{lab}" for d, p, c, lab in
             [(1, "A", 30, 45), (3, "B", 26, 47), (5, "A", 31, 44), (8, "B", 27, 46), (9, "A", 29, 45)]]
    path.write_text("\n".join(rows) + "\n")
    r = runner.invoke(app, ["polls", "--file", str(path), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["as_of"] == "2023-03-10" and out["data_version"].startswith("user:")
    assert 27 < out["average"]["con"] < 31
    assert out["house_effects"]["A"]["con"] == pytest.approx(-out["house_effects"]["B"]["con"], abs=0.01)


@pytest.mark.parametrize("args, text", [
    (["--as-of", "2019-13-01"], "--as-of"), (["--area", "Mars"], "area"),
    (["--file", "/nonexistent/polls.csv"], "no such polls file"), (["--as-of", "1999-01-01"], "as_of")])
def test_polls_bad_input_one_line_exit_2(runner, args, text):
    r = runner.invoke(app, ["polls", *args])
    assert r.exit_code == 2
    assert text in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_polls_bad_file_names_the_line(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("pollster,fieldwork_end,con,lab\nA,2023-01-02,30,40\nB,2023-01-03,30,140\n")
    r = runner.invoke(app, ["polls", "--file", str(path)])
    assert r.exit_code == 2 and "line 3: lab" in r.output and "outside 0-100" in r.output


def test_polls_accuracy_table_and_json(runner):
    r = runner.invoke(app, ["polls", "--accuracy"])
    assert r.exit_code == 0, r.output
    assert all(e in r.stdout for e in ("2010", "2015", "2017", "2019", "2024"))
    assert "mean absolute error, lead" in r.stdout
    r = runner.invoke(app, ["polls", "--accuracy", "--json"])
    out = json.loads(r.stdout)
    assert len({row["election"] for row in out["table"]}) == 5 and "lead" in out["mean_abs_error"]


def test_project_from_polls(runner):
    r = runner.invoke(app, ["project", "--polls", "2019-12-11", "--baseline", "2017", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    seats = out["parliament"]["seats"]
    assert seats["con"] > seats["lab"] and out["scenario"]["gb"]["con"] > 40
