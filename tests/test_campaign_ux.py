"""What a campaign strategist and a tactical-voting group tripped on (session 9): defence lists
that did not say who would take the seat, seat names cut short at 80 columns, a target list that
could not be saved for a later audit, a portfolio that spent its budget where the party does not
stand, and a tactical plan that did not say who switches to whom. Each test failed before its fix."""

import csv
import io
import json

import pytest

from seatcast import cliutil
from seatcast.cli import app

CON_LANDSLIDE = ["--shares", "con=43,lab=30,ld=10,reform=8,green=5"]


@pytest.fixture
def console(monkeypatch):
    """``console(width)``: the result and note consoles at that width, whatever the test run's terminal."""
    def set_width(width: int):
        for c in (cliutil.out, cliutil.err):
            monkeypatch.setattr(c, "_width", width)
            monkeypatch.setattr(c, "_height", 50)
    return set_width


def test_defences_name_the_party_that_would_take_the_seat_2024():
    """2024: Labour held Hendon by 15 votes over the Conservatives and Hartlepool by 7,698 over
    Reform UK. The defence list's only party column was the winner, i.e. Labour in every row."""
    from seatcast.campaign import targets

    tl = targets("lab", "2024")
    de = tl.defences
    assert de.at["E14001279", "challenger"] == "con"  # Hendon
    assert de.at["E14001272", "challenger"] == "reform"  # Hartlepool
    assert de.at["E14001272", "votes_switched"] == 7698 // 2 + 1
    assert "challenger" not in tl.targets  # a target's rival is its winner
    assert (de["challenger"] != "lab").all()


def test_the_defence_table_says_who_the_seat_is_lost_to(runner, console):
    console(120)
    r = runner.invoke(app, ["targets", "--party", "lab", "--top", "3"])
    assert r.exit_code == 0, r.output
    defences = r.output.split("lab defences")[1]
    assert "loses to" in defences
    hendon = next(line for line in defences.splitlines() if "Hendon" in line)
    assert [c.strip() for c in hendon.split("│")][4] == "con"


def test_campaign_tables_never_cut_a_seat_name_at_80_columns(runner, console):
    """With win probabilities the table has eight columns; at 80 columns 'Newcastle-under-Lyme'
    came out as 'Newcastle-un…'."""
    console(80)
    r = runner.invoke(app, ["targets", "--party", "lab", "--shares", "lab=25,reform=25,con=20,ld=11,green=11",
                            "--draws", "50", "--top", "0"])
    assert r.exit_code == 0, r.output
    assert "…" not in r.output
    assert all(len(line) <= 80 for line in r.output.splitlines() if line.startswith(("┃", "│")))


def test_targets_csv_reads_back_into_audit_targets_2024(runner, tmp_path):
    """A 2019-notional target list saved with --csv is the file audit-targets reads, and holds
    the numbers --json gives."""
    path = tmp_path / "lab.csv"
    args = ["targets", "--party", "lab", "--baseline", "2019n", "--top", "30"]
    r = runner.invoke(app, [*args, "--csv", str(path)])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    doc = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    both = doc["targets"] + doc["defences"]
    assert [r["ons_code"] for r in rows] == [t["ons_code"] for t in both]
    assert [float(r["swing_needed"]) for r in rows] == [t["swing_needed"] for t in both]
    assert {r["party"] for r in rows} == {"lab"}
    assert [r["challenger"] for r in rows[30:]] == [t["challenger"] for t in doc["defences"]]
    audited = runner.invoke(app, ["audit-targets", str(path), "--election", "2024", "--json"])
    assert audited.exit_code == 0, audited.output
    res = json.loads(audited.stdout)
    assert (res["n_offensive"], res["n_defensive"]) == (30, 30)
    assert len(res["targets_won"]) + len(res["targets_missed"]) == 30


def test_portfolio_budget_is_limited_to_the_seats_the_party_stands_in(runner):
    """Plaid Cymru stands in Wales's 32 seats. A budget of 100 was accepted and filled with English
    seats it cannot win (P(win) 0% with and without a campaign)."""
    r = runner.invoke(app, ["portfolio", "--party", "pc", "--budget", "100", "--draws", "20"])
    assert r.exit_code == 2
    assert r.output.startswith("error budget:") and "from 1 to 32" in r.output
    from seatcast.campaign import portfolio
    from seatcast.swing import scenario

    res = portfolio("pc", 32, scenario(gb={"lab": 25, "reform": 25, "con": 20, "ld": 11, "green": 11}),
                    draws=20)
    assert all(s["ons_code"].startswith("W") for s in res.seats)
    assert all(s["ons_code"].startswith("W") for s in res.naive)


def test_a_tactical_plan_says_who_switches_to_whom(runner, console):
    """Conservatives on 43%: the plan listed 75 seats but not how many Labour voters it asks to
    vote Lib Dem (and the other way), nor where the other parties end up."""
    console(120)
    args = ["tactical", *CON_LANDSLIDE, "--against", "con", "--max-share", "0.6", "--draws", "0"]
    doc = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    flows = {(f["from"], f["to"]): f for f in doc["flows"]}
    assert sum(f["voters"] for f in doc["flows"]) == doc["total"]
    for (src, dst), f in flows.items():
        seats = [s for s in doc["seats"] if s["to"] == dst and src in s["by_party"]]
        assert (f["voters"], f["seats"]) == (sum(s["by_party"][src] for s in seats), len(seats))
    assert doc["seats_after"]["con"] == 325
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "Switchers by route" in r.output and "Seats of the parties the plan changes" in r.output
    lab_ld = flows[("lab", "ld")]
    assert f"│ lab   │ ld  │ {lab_ld['voters']:>6,} │ {lab_ld['seats']:>5} │" in r.output


def test_tactical_plan_seats_are_won_by_one_vote_on_the_projection():
    """Independent check of the integer program: where the switchers come from parties other than
    the seat's winner, each seat costs exactly the winner's lead over the receiving party plus one."""
    from seatcast.campaign import common, tactical
    from seatcast.swing import scenario

    scen = scenario(gb={"con": 43, "lab": 30, "ld": 10, "reform": 8, "green": 5})
    plan = tactical(scen, "2024", "con", "lab,ld,green", 0.6, draws=0)
    _, fld, _ = common.field_on("2024", scen)
    for s in plan.seats:
        i = fld.codes.get_loc(s["ons_code"])
        lead = fld.comp[i, fld.parties.index("con")] - fld.comp[i, fld.parties.index(s["to"])]
        assert s["switchers"] == lead + 1, s


def test_tactical_says_why_no_plan_is_needed(runner, console):
    console(200)
    r = runner.invoke(app, ["tactical", "--shares", "lab=25,reform=25,con=20,ld=11,green=11",
                            "--against", "reform", "--draws", "0"])
    assert r.exit_code == 0, r.output
    assert "reform is already stopped (deny-majority)" in r.output
    assert "short of the 326 for a majority" in r.output


def test_tactical_projects_todays_polls_by_default(runner, console):
    """`seatcast tactical` alone refused to run ('give --polls DATE or --shares'), unlike portfolio;
    on another baseline it still asks, since today's polls project from today's baseline."""
    console(200)
    r = runner.invoke(app, ["tactical", "--draws", "0"])
    assert r.exit_code == 0, r.output
    assert "2024 + scenario" in r.output
    r = runner.invoke(app, ["tactical", "--baseline", "2017", "--draws", "0"])
    assert r.exit_code == 2 and r.output.startswith("error scenario:")


def test_a_seat_gives_its_majority_in_votes_islington_north_2024(runner, console):
    """Jeremy Corbyn held Islington North by 7,247 votes (24,120 to Labour's 16,873); the seat
    card gave only '14.8 points', and a campaign counts in votes."""
    console(200)
    r = runner.invoke(app, ["seat", "Islington North"])
    assert r.exit_code == 0, r.output
    assert "Independent majority 7,247 votes, 14.8 points over Labour" in r.output
    doc = json.loads(runner.invoke(app, ["seat", "Islington North", "--json"]).stdout)
    assert doc["majority_votes"] == 7247
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from seatcast.web import create_app

    api = TestClient(create_app(), base_url="http://127.0.0.1").get("/api/seat/E14001305")
    assert api.status_code == 200 and api.json()["majority_votes"] == 7247


@pytest.mark.parametrize("args,text", [
    (["tactical", "--against", "", "--draws", "0"], "error against: give a party code"),  # was exit 70
    (["tactical", "--against", "lab,con", "--draws", "0"], "error against: give exactly one party code"),
    (["tactical", "--against", "speaker", "--draws", "0"], "error against: 'speaker' is not a party"),
    (["targets", "--party", "brexit"], "error party: 'brexit' has no votes in 2024"),
    (["targets", "--party", "lab", "--vs", "brexit"], "error vs: 'brexit' has no votes in 2024"),
    (["portfolio", "--party", "brexit", "--budget", "5", "--draws", "10"],
     "error party: 'brexit' has no votes"),
    (["targets", "--party", "xyz"], "error party: unknown party code 'xyz'"),
])
def test_campaign_party_errors_list_only_parties_that_campaign(runner, console, args, text):
    """`tactical --against ''` was an internal error and `--against lab,con` silently stopped Labour
    alone; the allowed lists offered the Speaker and independents, which the commands refuse."""
    console(300)
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    line = next(x for x in r.output.splitlines() if x.startswith("error"))
    assert line.startswith(text)
    allowed = line.split("(allowed: ")[1].rstrip(")").split(", ")
    assert "lab" in allowed and "speaker" not in allowed and "ind" not in allowed


def test_portfolio_shows_the_gain_and_the_split_between_defence_and_attack(runner, console):
    """'Chased seats it could not win and lost colleagues by a few hundred votes': the portfolio
    listed P(win) without and with the campaign, but not the gain it ranks by, nor how many of its
    seats are defences."""
    console(200)
    args = ["portfolio", "--party", "lab", "--budget", "10", "--objective", "majority", "--draws", "200",
            "--shares", "lab=25,reform=25,con=20,ld=11,green=11"]
    doc = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    gains = [s["gain"] for s in doc["seats"]]
    assert gains == sorted(gains, reverse=True)
    assert all(s["gain"] == pytest.approx(s["p_with"] - s["p_without"], abs=1e-4) for s in doc["seats"])
    for key, rows in (("optimised", doc["seats"]), ("naive_smallest_majority", doc["naive"])):
        s = doc["summary"][key]
        assert (s["defensive"], s["offensive"]) == (sum(r["kind"] == "defensive" for r in rows),
                                                    sum(r["kind"] == "offensive" for r in rows))
    r = runner.invoke(app, args)
    s = doc["summary"]["optimised"]
    assert f"optimised list: {s['defensive']} defence" in r.output and "largest gain first" in r.output


def test_switch_cost_with_a_winning_margin_by_hand():
    """Con 100, Lab 80, LD 30 (only LD voters may switch, to Lab): 21 switchers win by one vote
    (101 to 100); to win by 10 votes Lab needs 30 (110 to 100); by 11 it cannot (31 > 30 LD voters)."""
    import numpy as np

    from seatcast.campaign import kernels

    comp = np.array([[100, 80, 30]] * 3)
    pool = np.array([[0, 0, 30]] * 3)
    cost = kernels.switch_cost(comp, pool, 1, np.array([1, 10, 11]))
    assert cost.tolist() == [21, 30, np.inf]
    assert kernels.switch_plan(comp[:2], pool[:2], 1, np.array([21, 30]), np.array([1, 10])).tolist() == \
        [[0, 0, 21], [0, 0, 30]]


def test_a_tactical_cushion_wins_every_flipped_seat_by_that_margin(runner, console):
    """A plan won by one vote per seat works in about a quarter of the forecast's draws (Conservatives
    on 43%); --cushion asks for every flipped seat to be won by a share of its votes."""
    import numpy as np

    from seatcast.campaign import common, tactical
    from seatcast.swing import scenario

    scen = scenario(gb={"con": 43, "lab": 30, "ld": 10, "reform": 8, "green": 5})
    plain = tactical(scen, "2024", "con", "lab,ld,green", 1.0, draws=0)
    plan = tactical(scen, "2024", "con", "lab,ld,green", 1.0, draws=0, cushion=0.02)
    assert plan.seats_after["con"] <= 325 and plan.total > plain.total and plan.as_dict()["cushion"] == 0.02
    _, fld, _ = common.field_on("2024", scen)
    for s in plan.seats:
        i = fld.codes.get_loc(s["ons_code"])
        comp = fld.comp[i].astype(float)
        comp[fld.parties.index(s["to"])] += s["switchers"]
        for p, k in s["by_party"].items():
            comp[fld.parties.index(p)] -= k
        j = fld.parties.index(s["to"])
        assert comp[j] - np.delete(comp, j).max() >= 0.02 * np.rint(fld.votes[i]).sum(), s
    console(200)
    r = runner.invoke(app, ["tactical", *CON_LANDSLIDE, "--cushion", "0.6"])
    assert r.exit_code == 2 and "--cushion" in r.output


def test_targets_say_when_they_are_on_an_old_result(runner, console):
    """`seatcast targets --party lab` lists the 2024 result's marginals, two years of polls ago; the
    title said only 'on 2024', which reads as today."""
    console(200)
    r = runner.invoke(app, ["targets", "--party", "lab", "--top", "1"])
    assert r.exit_code == 0, r.output
    assert "lab targets on the 2024 result" in r.output and "--polls latest" in r.output
    r = runner.invoke(app, ["targets", "--party", "lab", "--top", "1", "--shares", "lab=30,con=30,reform=20"])
    assert "--polls latest" not in r.output and "lab targets on 2024 + scenario (tm)" in r.output


def test_a_majority_portfolio_says_when_no_majority_is_in_reach(runner, console):
    """The Greens on 11%: no draw gives them 326 seats, and `--objective majority` quietly returned
    a list whose P(majority) was 0% everywhere."""
    console(300)
    args = ["portfolio", "--party", "green", "--budget", "10", "--objective", "majority", "--draws", "50",
            "--shares", "lab=25,reform=25,con=20,ld=11,green=11"]
    doc = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert doc["summary"]["optimised"]["p_majority"] == 0
    assert doc["notes"] == ["objective majority: no draw gives green a majority even with all 100 best "
                            "seats targeted, so the list maximises expected seats instead"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0 and "note: objective majority: no draw gives green a majority" in r.output


def test_close_call_2017_totals_its_switchers_by_route(runner, console):
    """2017: the nine seats between the Conservatives and a majority were seven Labour seats
    (majorities 20, 22, 30, 48, 187, 209, 239) and two SNP seats (21, 266); each needs half its
    majority plus one switching: 383 Labour and 145 SNP voters."""
    console(200)
    args = ["close-call", "--election", "2017", "--party", "con"]
    doc = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    half = lambda ms: sum(m // 2 + 1 for m in ms)  # noqa: E731
    assert doc["flows"] == [{"from": "lab", "to": "con", "voters": half([20, 22, 30, 48, 187, 209, 239]),
                             "seats": 7},
                            {"from": "snp", "to": "con", "voters": half([21, 266]), "seats": 2}]
    assert "Switchers by route" in runner.invoke(app, args).output
    added = json.loads(runner.invoke(app, [*args, "--mode", "add", "--json"]).stdout)
    assert added["flows"] == []  # added voters switch from no one


def test_close_call_says_when_the_goal_already_holds_2024(runner, console):
    """Reform UK won 5 seats in 2024: 'lose-majority reform' printed '0 voters in 0 seats' and an
    empty table."""
    console(200)
    r = runner.invoke(app, ["close-call", "--election", "2024", "--goal", "lose-majority", "--party",
                            "reform"])
    assert r.exit_code == 0, r.output
    assert "'lose-majority reform (overall majority line)' already holds at 2024 (lab 411, con 121, ld 72)" \
        in r.output
    assert "0 voters" not in r.output and "Seats" not in r.output
