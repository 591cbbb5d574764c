"""Targets, tactical optimiser, pacts, turnout, audit and portfolio: toy cases worked by hand,
independent recomputation from the raw results, and properties."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seatcast.campaign import audit, kernels, pact, portfolio, tactical, targets, turnout
from seatcast.campaign.common import Field, from_baseline
from seatcast.campaign.pacts import UNITE_TO_REMAIN, unite_to_remain_codes
from seatcast.campaign.tactical import optimise
from seatcast.data import baseline, results
from seatcast.errors import InfeasibleError, SeatcastError
from seatcast.swing import scenario


def toy(votes, parties=("con", "lab", "ld")):
    votes = np.asarray(votes, float)
    seats = pd.DataFrame({"constituency": [f"Seat {i}" for i in range(len(votes))],
                          "country": "England", "region": "London"},
                         index=[f"S{i}" for i in range(len(votes))])
    return Field("toy", "toy", seats, parties, votes, np.ones_like(votes))


# ---- kernels ---------------------------------------------------------------------------------

@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=3, max_size=5), st.integers(0, 4), st.floats(0.1, 1.0))
def test_switch_plan_realises_the_cost(row, w, cap):
    """Carrying out the plan (moving its votes) makes w the outright winner, uses exactly the
    cost in voters and never more than any party's pool; minimality is the brute-force test
    in test_campaign_closecall."""
    w = w % len(row)
    comp = np.array([row])
    pool = np.floor(cap * comp)
    t = kernels.switch_cost(comp, pool, w)
    if not np.isfinite(t[0]):
        return
    plan = kernels.switch_plan(comp, pool, w, t)[0]
    assert plan.sum() == t[0] and (plan <= pool[0]).all() and plan[w] == 0
    after = comp[0] - plan
    after[w] += t[0]
    assert (after[w] > np.delete(after, w)).all()


def test_swing_needed_by_hand():
    # con 40, lab 35, ld 25: lab needs (40-35)/2 = 2.5 pts from con; ld needs max(7.5, 10) = 10.
    s = np.array([[0.40, 0.35, 0.25]])
    assert kernels.swing_needed(s, 1)[0] == pytest.approx(0.025)
    assert kernels.swing_needed(s, 2)[0] == pytest.approx(0.10)
    assert kernels.swing_needed(s, 2, 0)[0] == pytest.approx(0.10)  # from con: must also pass lab


# ---- targets -----------------------------------------------------------------------------------

def test_2019_labour_targets_match_raw_majorities():
    """Labour's top 2019 targets are the Con seats with the smallest Con-over-Lab majority where
    Lab was second; votes switched = majority // 2 + 1, added = majority + 1."""
    tl = targets("lab", "2019")
    df = results("2019")
    top = tl.targets.head(10)
    for code, r in top.iterrows():
        seat = df[df.ons_code == code].groupby("party")["votes"].sum().sort_values()
        if seat.index[-2] != "lab":
            continue
        maj = seat.iloc[-1] - seat["lab"]
        assert r.votes_switched == maj // 2 + 1
        assert r.votes_added == maj + 1
    assert (np.diff(tl.targets["swing_needed"].to_numpy()) >= 0).all()
    assert set(tl.targets.index).isdisjoint(tl.defences.index)
    assert len(tl.targets) + len(tl.defences) == 650 - 18 - 1  # not NI, not the Speaker's seat


def test_2024_targets_only_where_the_party_stood():
    """Reform stood in 609 of the 631 GB seats other than the Speaker's in 2024 and in none of
    Northern Ireland's 18: a seat without a Reform candidate (Middlesbrough South and East
    Cleveland, South Antrim) is not a Reform target, and no party targets the Speaker's seat."""
    df = results("2024")
    stood = set(df[(df.party == "reform") & (df.votes > 0)].ons_code)
    tl = targets("reform", "2024")
    assert set(tl.targets.index) | set(tl.defences.index) == stood
    assert "E14001368" not in tl.targets.index and "N05000014" not in tl.targets.index
    speaker = set(df[df.party == "speaker"].ons_code)
    green = targets("green", "2024")
    assert speaker and speaker.isdisjoint(green.targets.index)
    assert np.isfinite(green.targets[["votes_switched", "votes_added"]].to_numpy()).all()


def test_2019_labour_majority_tipping_point():
    """A uniform Con->Lab swing just above the tipping swing gives Lab 326 seats (recounted here)."""
    tl = targets("lab", "2019")
    tip = tl.tipping["majority"]
    b = baseline("2019")
    for x, expect in ((tip["swing"] / 100 + 1e-4, True), (tip["swing"] / 100 - 1e-4, False)):
        s = b.shares.copy()
        s[:, b.party_index("lab")] += x
        s[:, b.party_index("con")] -= x
        lab = (np.argmax(np.clip(s, 0, None) * b.top_frac, axis=1) == b.party_index("lab")).sum()
        assert (lab >= 326) == expect
    assert 10 < tip["swing"] < 14


def test_targets_on_a_projection_carry_their_inputs():
    """A target list on a projection says which model, shares and draws made it (the brief: results
    carry their inputs); one on a result needs none of them."""
    scen = scenario({"lab": 30, "reform": 28, "con": 18, "ld": 12, "green": 8})
    d = targets("reform", "2024", scenario=scen, model="uns", draws=200, seed=3).as_dict(5)
    assert d["model"] == "uns" and d["scenario"]["gb"]["reform"] == 28
    assert d["draws"] == 200 and d["seed"] == 3 and "win_prob" in d["targets"][0]
    assert "model" not in targets("lab", "2019").as_dict(1)


def test_2024_snp_has_no_majority_tipping_point():
    """The SNP stands only in Scotland's 57 seats, so no uniform swing gives it 326; the tipping
    swing must not be found by handing it votes in English seats."""
    tips = targets("snp", "2024").tipping
    assert tips["majority"] is None and tips["largest"] is None
    assert targets("lab", "2019").tipping["majority"]["constituency"] == "Thurrock"  # docs/campaign.md


# ---- tactical ----------------------------------------------------------------------------------

def test_tactical_toy_by_hand():
    # Seat 0: con 50, lab 30, ld 20. Best-placed is lab; ld may give 30% = 6: con 50 vs lab 36: no.
    # Seat 1: con 40, lab 35, ld 25: ld gives up to 7; lab needs 6 (41 > 40). Seat 2: lab holds.
    fld = toy([[50, 30, 20], [40, 35, 25], [20, 60, 20]])
    cost, sol, pool = optimise(fld, "con", ("lab", "ld"), 0.3, "not-largest")
    assert sol.cost == 6 and sol.flips.tolist() == [[1, 1]]
    assert pool[1].tolist() == [0, 0, 7]  # lab (the destination) switches no one
    with pytest.raises(InfeasibleError, match="infeasible"):
        optimise(toy([[50, 30, 20], [40, 35, 25], [45, 30, 25]]), "con", ("lab", "ld"), 0.3,
                 "deny-majority")


def test_tactical_2019_eve_is_infeasible_at_30_percent_and_names_the_cap():
    scen = scenario({"con": 43, "lab": 33, "ld": 12.6, "brexit": 2.6, "green": 2.7})
    with pytest.raises(InfeasibleError, match="smallest max-share that works is"):
        tactical(scen, "2017", "con", "lab,ld,green", 0.3)
    plan = tactical(scen, "2017", "con", "lab,ld,green", 1.0, draws=40, seed=3, exclude="2019")
    assert plan.seats_after["con"] == 325
    assert plan.total == sum(s["switchers"] for s in plan.seats)
    for s in plan.seats:  # switchers come only from allowed parties, never from the destination
        assert set(s["by_party"]) <= {"lab", "ld", "green"} - {s["to"]}
    assert 0 <= plan.robustness["success_without_plan"] <= plan.robustness["success_with_plan"] <= 1
    again = tactical(scen, "2017", "con", "lab,ld,green", 1.0, draws=40, seed=3, exclude="2019")
    assert again.robustness == plan.robustness


# ---- pacts -------------------------------------------------------------------------------------

def test_stand_aside_kernel_conserves_votes():
    votes = np.array([[40.0, 30.0, 20.0, 10.0]])
    top = np.ones_like(votes)
    new, _, home = kernels.stand_aside(votes, top, np.array([True]), 3, np.array([0.5, 0.2, 0, 0]))
    assert new.tolist() == [[45.0, 32.0, 20.0, 0.0]] and home == pytest.approx(3.0)


def test_brexit_stand_down_in_labour_seats_2019_only_helps_con_against_lab():
    res = pact("brexit", "held-by:lab", "con=0.6,lab=0.15,other=0.25", baseline="2019")
    assert res.changes["con"] > 0 and res.changes["con"] == -res.changes["lab"]
    assert all(f["from"] == "lab" and f["to"] == "con" for f in res.flips)
    # Recount one flipped seat by hand from the raw votes.
    code = res.flips[0]["ons_code"]
    raw = results("2019")
    seat = raw[raw.ons_code == code].groupby("party")["votes"].sum()
    assert seat["con"] + 0.6 * seat["brexit"] > seat["lab"] + 0.15 * seat["brexit"]
    assert seat["con"] < seat["lab"]


def test_unite_to_remain_list_matches_who_stood_in_2019():
    """In each of the 60 seats the named party stood and its partners (LD/Green; Plaid in
    Wales) did not."""
    codes = unite_to_remain_codes(from_baseline("2019"))
    assert len(codes) == 60 == len(UNITE_TO_REMAIN)
    assert sorted(pd.Series(codes).value_counts().to_dict().items()) == [("green", 10), ("ld", 43), ("pc", 7)]
    b = baseline("2019")
    for code, stands in codes.items():
        row = b.votes[b.codes.get_loc(code)]
        assert row[b.party_index(stands)] > 0
        wales = code.startswith("W")
        for other in ("ld", "green", "pc") if wales else ("ld", "green"):
            if other != stands:
                assert row[b.party_index(other)] == 0, (code, other)


def test_pact_bad_input():
    with pytest.raises(SeatcastError, match="transfer"):
        pact("brexit", "held-by:con", "con=0.8,lab=0.4", baseline="2019")
    with pytest.raises(SeatcastError, match="seats"):
        pact("brexit", "E99999999", "con=0.5", baseline="2019")
    with pytest.raises(SeatcastError, match="seats"):
        pact(preset="unite-to-remain", baseline="2024")


def test_pact_seats_by_name_as_seat_and_seat_overrides_find_them():
    """`--seats "Islington North"` is the seat E14001305, as everywhere else seats are named; Jeremy
    Corbyn (ind, 24,120 votes) standing aside with all his votes to Labour (16,873) flips it."""
    by_name = pact("ind", "islington north", "lab=1", baseline="2024")
    by_code = pact("ind", "E14001305", "lab=1", baseline="2024")
    assert by_name.changes == by_code.changes
    assert [(f["ons_code"], f["to"]) for f in by_name.flips] == [("E14001305", "lab")]
    with pytest.raises(SeatcastError, match="'Birmingham' matches 9 seats") as info:
        pact("ind", "Birmingham", "lab=1", baseline="2024")
    assert info.value.field == "seats" and "Birmingham Perry Barr" in info.value.allowed
    with pytest.raises(SeatcastError, match="unknown seat.*Atlantis"):
        pact("ind", "Atlantis", "lab=1", baseline="2024")


# ---- turnout -----------------------------------------------------------------------------------

@settings(max_examples=15, deadline=None)
@given(st.floats(0.5, 1.0))
def test_lower_turnout_never_wins_a_party_seats(factor):
    res = turnout("lab", factor, "2019")
    assert res.seats_after["lab"] <= res.seats_before["lab"]
    assert res.gb_share_after["lab"] <= res.gb_share_before["lab"] + 1e-9


def test_turnout_beyond_the_electorate_is_refused_with_the_largest_possible_factor():
    """Labour x5 in 2024 would need more voters than the register almost everywhere. The largest
    factor, recomputed from the raw results, is min over seats of (electorate - others) / lab."""
    df = results("2024")
    seat = df.groupby("ons_code").agg(electorate=("electorate", "first"), total=("votes", "sum"))
    lab = df[df.party == "lab"].groupby("ons_code")["votes"].sum()
    most = ((seat.electorate[lab.index] - (seat.total[lab.index] - lab)) / lab).min()
    with pytest.raises(SeatcastError, match="electorate") as info:
        turnout("lab", 5.0, "2024")
    assert info.value.field == "factor" and f"at most x{np.floor(100 * most) / 100:.2f}" in str(info.value)
    turnout("lab", float(np.floor(100 * most) / 100), "2024")  # the largest factor it names is allowed


def test_turnout_on_a_projection_carries_its_model_and_scenario():
    scen = scenario({"lab": 30, "reform": 28, "con": 18, "ld": 12, "green": 8})
    d = turnout("lab", 0.9, "2024", scenario=scen, model="uns").as_dict()
    assert d["model"] == "uns" and d["scenario"]["gb"]["reform"] == 28
    assert turnout("lab", 0.9, "2024").as_dict()["model"] is None


def test_turnout_by_region_touches_only_that_region():
    res = turnout("lab", 0.8, "2019", ["London"])
    assert res.seats_affected == 73
    london = set(baseline("2019").seats.query("region == 'London'").index)
    assert {f["ons_code"] for f in res.flips} <= london
    with pytest.raises(SeatcastError, match="region"):
        turnout("lab", 0.9, "2019", ["Atlantis"])


# ---- audit -------------------------------------------------------------------------------------

def test_audit_2019_by_hand(tmp_path):
    f = tmp_path / "list.csv"
    # Bury North (Lab 2017, lost 2019 by 105), Aldershot (Con safe), Bedford (Lab held).
    f.write_text("ons_code,type,party\nE14000611,defensive,lab\nE14000530,offensive,lab\n"
                 "E14000552,defensive,lab\n")
    res = audit(f, "2019")
    assert [r["ons_code"] for r in res.defences_lost] == ["E14000611"]
    assert res.defences_lost[0]["margin"] == -105
    assert [r["ons_code"] for r in res.defences_held] == ["E14000552"]
    assert [r["ons_code"] for r in res.beyond_swing] == ["E14000530"]
    close = {r["ons_code"] for r in res.unlisted_close}
    assert "E14000611" not in close and "E14000578" in close  # Bolton NE, lost by 378


@pytest.mark.parametrize("text,line", [
    ("ons_code,type\nE14000611,offensive\nE14000530,attack\n", "line 3"),
    ("ons_code,type\nE14000611,offensive\nE99999999,offensive\n", "line 3.*the 2010 boundaries the 2019"),
    ("ons_code,type\nE14000611,offensive\nE14000611,defensive\n", "line 3"),
    ("code,kind\nE14000611,offensive\n", "line 1"),
    ("ons_code,type\nE14000611\n", "line 2"),
])
def test_malformed_target_csv_names_the_line(tmp_path, text, line):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    with pytest.raises(SeatcastError, match=line):
        audit(f, "2019", "lab")


# ---- portfolio ---------------------------------------------------------------------------------

def test_portfolio_beats_or_ties_naive_on_its_own_objective():
    scen = scenario({"lab": 36, "con": 30, "reform": 14, "ld": 11, "green": 6})
    res = portfolio("lab", 20, scen, "2024", draws=150, seed=2, candidates=40)
    s = res.summary
    assert s["optimised"]["expected_seats"] >= s["naive_smallest_majority"]["expected_seats"] - 1e-9
    assert s["optimised"]["expected_seats"] >= s["none"]["expected_seats"]
    assert len(res.seats) == len(res.naive) == 20
    maj = portfolio("lab", 20, scen, "2024", objective="majority", draws=150, seed=2, candidates=40)
    assert maj.summary["optimised"]["p_majority"] >= maj.summary["naive_smallest_majority"]["p_majority"]


def test_best_for_goal_by_hand():
    from seatcast.campaign.portfolio import best_for_goal

    # 3 draws, 3 seats; draw 0 needs 2 (seats 0+1), draw 1 needs 1 (seat 2), draw 2 needs 1 (seat 2).
    gain = np.array([[1, 1, 0], [0, 0, 1], [0, 0, 1]], np.int8)
    assert sorted(best_for_goal(gain, np.array([2, 1, 1]), 1).tolist()) == [2]
    assert sorted(best_for_goal(gain, np.array([2, 1, 1]), 2).tolist()) in ([0, 2], [1, 2])


# ---- CLI ---------------------------------------------------------------------------------------

def test_cli_close_call_json(runner):
    from seatcast.cli import app

    r = runner.invoke(app, ["close-call", "--election", "2017", "--goal", "majority", "--party", "con",
                            "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert {"votes", "seats", "mode"} <= set(d) and d["mode"] == "switch"
    assert {"ons_code", "constituency", "votes"} <= set(d["seats"][0])
    assert d["votes"] == sum(s["votes"] for s in d["seats"])


@pytest.mark.parametrize("args", [
    ["targets", "--party", "lab", "--baseline", "2019", "--top", "5", "--json"],
    ["pact", "--party", "brexit", "--seats", "held-by:con", "--transfer", "con=0.6,lab=0.15,other=0.25",
     "--baseline", "2019", "--json"],
    ["turnout", "--party", "lab", "--factor", "0.9", "--region", "London", "--json"],
])
def test_cli_commands_json(runner, args):
    from seatcast.cli import app

    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    json.loads(r.output)


def test_cli_targets_top_0_lists_every_seat_like_project(runner):
    """``--top 0`` means "all" in ``project`` and ``compare``; in ``targets`` it gave empty lists.
    Labour stood in 631 seats in 2019 (none in Northern Ireland, not against the Speaker)."""
    from seatcast.cli import app

    r = runner.invoke(app, ["targets", "--party", "lab", "--baseline", "2019", "--top", "0", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert len(d["targets"]) + len(d["defences"]) == 631 and len(d["defences"]) == 202
    r = runner.invoke(app, ["targets", "--party", "snp", "--top", "1"])
    assert r.exit_code == 0 and "no uniform swing from lab gives snp a majority" in r.output


def test_cli_tactical_says_when_the_party_is_already_stopped(runner):
    """2017: the Conservatives won 317 seats, no majority; an empty plan table is not an answer."""
    from seatcast.cli import app

    r = runner.invoke(app, ["tactical", "--baseline", "2017", "--shares", "con=42.4,lab=40,ld=7.4",
                            "--model", "uns", "--draws", "0"])
    assert r.exit_code == 0, r.output
    assert "con is already stopped (deny-majority)" in r.output and "no tactical voting needed" in r.output


@pytest.mark.parametrize("args,field", [
    (["close-call", "--election", "2019", "--goal", "majority", "--party", "pc"], "infeasible"),
    (["close-call", "--election", "2019", "--goal", "bloc-majority", "--bloc", "lab,zz"], "bloc"),
    (["turnout", "--party", "lab", "--factor", "0.9", "--region", "Mars"], "region"),
    (["tactical", "--baseline", "2017", "--against", "con"], "scenario"),  # today's polls fit 2024 only
    (["tactical", "--polls", "latest", "--against", "lab", "--from", "lab,ld"], "from"),  # was 0 switchers
    (["targets", "--party", "lab", "--polls", "2019-12-11"], "polls"),  # 2019 polls on the 2024 result
])
def test_cli_bad_input_one_line_exit_2(runner, args, field):
    from seatcast.cli import app

    r = runner.invoke(app, args)
    assert r.exit_code == 2 and field in r.output and "Traceback" not in r.output
