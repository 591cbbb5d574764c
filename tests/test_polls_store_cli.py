"""`seatcast polls add/list/remove/reset`, `polls --file` leaving the store alone, and the notice
naming the store and the newest poll (stale after 14 days)."""

import json

from seatcast.cli import app
from seatcast.polls import sources, store

HEADER = "pollster,fieldwork_start,fieldwork_end,sample_size,con,lab,ld,reform,green"


def _csv(tmp_path, *rows, name="mine.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def test_add_list_remove_reset(runner, fresh_store, tmp_path):
    path = _csv(tmp_path, "YouGov,2026-11-20,2026-11-21,2000,17,19,13,28,14",
                "Opinium,2026-11-19,2026-11-21,1500,18,20,12,30,11",
                "Scotland Poll,2026-11-01,2026-11-02,,,,,,")
    r = runner.invoke(app, ["polls", "add", str(path)])
    assert r.exit_code == 2 and "line 4: shares: no party share given" in r.output
    assert len(store.polls()) == len(sources.load())  # nothing added
    path = _csv(tmp_path, "YouGov,2026-11-20,2026-11-21,2000,17,19,13,28,14",
                "Opinium,2026-11-19,2026-11-21,1500,18,20,12,30,11")
    out = json.loads(runner.invoke(app, ["polls", "add", str(path), "--json"]).stdout)
    assert out["added"] == 2 and out["duplicates"] == 0 and out["store"] == str(fresh_store / "polls.sqlite3")
    listed = json.loads(runner.invoke(app, ["polls", "list", "--source", "csv", "--json"]).stdout)
    assert [p["pollster"] for p in listed["polls"]] == ["Opinium", "YouGov"]
    assert {p["source_ref"] for p in listed["polls"]} == {"mine.csv"}
    assert {"bundled", "csv"} == {c["source"] for c in listed["store"]["counts"]}
    r = runner.invoke(app, ["polls", "remove", str(listed["polls"][0]["id"])])
    assert r.exit_code == 0 and "removed 1 poll" in r.stdout
    r = runner.invoke(app, ["polls", "remove", "123456789"])
    assert r.exit_code == 2 and "no poll with id 123456789" in r.output
    assert runner.invoke(app, ["polls", "reset"]).exit_code == 2  # needs --yes
    assert runner.invoke(app, ["polls", "reset", "--yes"]).exit_code == 0
    assert store.listing(source="csv").empty


def test_list_table_and_bad_filters(runner, fresh_store):
    r = runner.invoke(app, ["polls", "list", "--limit", "3", "--area", "Wales"])
    assert r.exit_code == 0 and "Newest 3 polls" in r.stdout and "49 bundled wales" in r.stdout
    r = runner.invoke(app, ["polls", "list", "--source", "gallup"])
    assert r.exit_code == 2 and "allowed: bundled, csv, pollbase, wikipedia" in r.output


def test_polls_file_is_a_one_off_that_never_touches_the_store(runner, fresh_store, tmp_path):
    rows = [f"{p},2023-03-{d:02d},2023-03-{d:02d},1500,{c},45,10,5,5" for d, p, c in
            [(1, "A", 30), (3, "B", 26), (5, "A", 31), (8, "B", 27), (9, "A", 29)]]
    r = runner.invoke(app, ["polls", "--file", str(_csv(tmp_path, *rows))])
    assert r.exit_code == 0, r.output
    assert "one-off; the poll store was not used" in r.output
    assert not fresh_store.exists()
    out = json.loads(runner.invoke(app, ["polls", "--file", str(tmp_path / "mine.csv"), "--json"]).stdout)
    assert "poll_store" not in out and out["poll_file"].endswith("mine.csv")


def test_commands_name_the_store_and_the_newest_poll(runner, fresh_store):
    r = runner.invoke(app, ["polls"])
    assert r.exit_code == 0
    assert f"polls: store {fresh_store / 'polls.sqlite3'}" in r.stderr
    assert "newest poll ended 2026-08-17" in r.stderr and "warning: more than 14 days old" in r.stderr
    out = json.loads(runner.invoke(app, ["polls", "--json"]).stdout)
    assert out["poll_store"]["newest_poll"] == "2026-08-17" and out["poll_store"]["stale"] is True
    past = json.loads(runner.invoke(app, ["polls", "--as-of", "2019-12-11", "--json"]).stdout)
    assert past["poll_store"]["stale"] is False  # a past as-of date is not "stale"
    proj = runner.invoke(app, ["project", "--polls", "latest", "--json"])
    assert json.loads(proj.stdout)["poll_store"]["newest_poll"] == "2026-08-17"
    assert "poll_store" not in json.loads(runner.invoke(app, ["project", "--lab", "40", "--con", "30",
                                                                "--json"]).stdout)
