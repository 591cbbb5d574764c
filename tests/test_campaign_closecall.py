"""Closest-call integer program: brute force on tiny elections, greedy where greedy is optimal,
hand-worked cases and the real 2015-2024 results."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seatcast.campaign import closecall
from seatcast.campaign.common import Field
from seatcast.campaign.goals import make_goal
from seatcast.data import baseline
from seatcast.errors import InfeasibleError, SeatcastError

PARTIES = ("con", "lab", "ld")


def tiny_field(votes, top_frac=None, parties=PARTIES) -> Field:
    votes = np.asarray(votes, float)
    seats = pd.DataFrame({"constituency": [f"Seat {i}" for i in range(len(votes))]},
                         index=[f"S{i}" for i in range(len(votes))])
    tf = np.ones_like(votes) if top_frac is None else np.asarray(top_frac, float)
    return Field("toy", "toy", seats, parties, votes, tf)


# ---- brute force: enumerate every vote vector a seat could end with -------------------------

def _outcome(new, incumbent):
    top = new.max()
    tied = np.flatnonzero(new == top)
    if len(tied) == 1:
        return int(tied[0])
    return incumbent if incumbent in tied else None  # a tie is no win for a challenger


def seat_options(v, mode, sources=(), dests=()):
    """min cost of each reachable winner in one seat, by full enumeration."""
    v = np.asarray(v, int)
    P, T = len(v), int(v.sum())
    incumbent = _outcome(v, -1) if _outcome(v, -1) is not None else int(np.argmax(v))
    can_up = (v > 0) & (np.isin(PARTIES, dests) if dests else True)
    can_down = np.isin(PARTIES, sources) if mode == "restricted" else np.ones(P, bool)
    best = {}
    if mode == "add":
        ranges = [range(0, T + 2) if can_up[p] else range(1) for p in range(P)]
        for a in itertools.product(*ranges):
            w = _outcome(v + np.array(a), incumbent)
            if w is not None:
                best[w] = min(best.get(w, np.inf), sum(a))
        return best
    for new in itertools.product(*[range(T + 1)] * P):
        new = np.array(new)
        if new.sum() != T:
            continue
        d = new - v
        if ((d > 0) & ~can_up).any() or ((d < 0) & ~can_down).any():
            continue
        w = _outcome(new, incumbent)
        if w is not None:
            best[w] = min(best.get(w, np.inf), int(d.clip(0).sum()))
    return best


def brute_force(votes, goal_ok, mode, sources=(), dests=()):
    options = [seat_options(v, mode, sources, dests) for v in votes]
    best = np.inf
    for combo in itertools.product(*[list(o.items()) for o in options]):
        counts = np.bincount([w for w, _ in combo], minlength=len(PARTIES))
        if goal_ok(counts):
            best = min(best, sum(c for _, c in combo))
    return best


GOALS = {
    "majority": lambda n: n[0] >= 2,  # 3 seats: a majority is 2
    "lose-majority": lambda n: n[0] <= 1,
    "not-largest": lambda n: n[1] >= n[0] or n[2] >= n[0],
    "largest": lambda n: n[0] > n[1] and n[0] > n[2],
}

seat_votes = st.lists(st.integers(0, 4), min_size=3, max_size=3).filter(lambda v: sum(v) > 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(seat_votes, min_size=3, max_size=3), st.sampled_from(sorted(GOALS)),
       st.sampled_from(["switch", "add", "restricted"]))
def test_ip_matches_brute_force_on_tiny_elections(votes, kind, mode):
    fld = tiny_field(votes)
    sources = ("lab",) if mode == "restricted" else ()
    dests = ("con", "ld") if mode == "restricted" else ()
    expected = brute_force(votes, GOALS[kind], mode, sources, dests)
    goal = make_goal(kind, "con")
    if not np.isfinite(expected):
        with pytest.raises(InfeasibleError, match="infeasible"):
            closecall.solve_field(fld, goal, mode, sources, dests)
        return
    got = closecall.solve_field(fld, goal, mode, sources, dests)
    assert got.votes == expected
    assert sum(s["votes"] for s in got.seats) == got.votes


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3000), st.integers(1, 3000)).filter(lambda t: t[0] != t[1]),
                min_size=5, max_size=40))
def test_two_party_majority_equals_sorted_greedy(pairs):
    """Two parties: each seat flips independently, so the k cheapest flips are optimal."""
    votes = np.array([[a, b, 0] for a, b in pairs])
    n = len(votes)
    con_seats = int((votes[:, 0] > votes[:, 1]).sum())
    need = n // 2 + 1 - con_seats
    fld = tiny_field(votes)
    if need <= 0:
        assert closecall.solve_field(fld, make_goal("majority", "con")).votes == 0
        return
    lab_held = votes[votes[:, 1] >= votes[:, 0]]
    margin = lab_held[:, 1] - lab_held[:, 0]
    switch = np.sort(margin // 2 + 1)  # a switch closes the gap by two; win outright
    add = np.sort(margin + 1)
    assert closecall.solve_field(fld, make_goal("majority", "con")).votes == switch[:need].sum()
    assert closecall.solve_field(fld, make_goal("majority", "con"), "add").votes == add[:need].sum()


def test_bucket_competes_with_its_largest_candidate():
    """Other 100 votes from two candidates (60 + 40); con 55, lab 50. Con needs 3 switches
    from the 60-vote candidate (58 > 57), not 23 as if the 100 were one candidate."""
    fld = tiny_field([[55, 50, 100]], [[1, 1, 0.6]], parties=("con", "lab", "other"))
    res = closecall.solve_field(fld, make_goal("majority", "con"))
    assert res.votes == 3
    assert res.seats[0]["switched_from"] == {"other": 3}
    assert closecall.solve_field(fld, make_goal("majority", "con"), "add").votes == 6


def test_restricted_sources_make_it_dearer():
    # con 40, lab 50, ld 30. From lab: 6 switches (46 > 44). From ld only: con needs 51 -> 11.
    fld = tiny_field([[40, 50, 30]])
    goal = make_goal("majority", "con")
    assert closecall.solve_field(fld, goal, "restricted", ("lab",)).votes == 6
    assert closecall.solve_field(fld, goal, "restricted", ("ld",)).votes == 11


def test_2017_conservative_majority_is_half_the_majorities():
    """2017: Con 317 seats, 9 short of 326. Each of the nine cheapest seats costs
    floor(majority / 2) + 1 switches where Con was second, computed here from the raw votes."""
    res = closecall.close_call("2017", "majority", party="con")
    b = baseline("2017")
    assert len(res.seats) == 326 - 317
    assert res.seats_after["con"] == 326
    for s in res.seats:
        row = b.votes[b.codes.get_loc(s["ons_code"])]
        con = row[b.party_index("con")]
        assert np.sort(row)[-2] == con  # Con was second in each
        assert s["votes"] == (row.max() - con) // 2 + 1
    assert res.votes == sum(s["votes"] for s in res.seats)
    add = closecall.close_call("2017", "majority", party="con", mode="add")
    assert res.votes < add.votes < 2 * res.votes + len(add.seats)


@pytest.mark.parametrize("election,party", [("2015", "con"), ("2019", "con"), ("2024", "lab")])
def test_denying_the_winners_majority_leaves_exactly_325(election, party):
    res = closecall.close_call(election, "lose-majority", party=party)
    assert res.seats_after[party] == 325
    assert all(s["from"] == party for s in res.seats)
    assert res.votes > 0


def test_working_majority_bloc_2017_counts_sinn_fein_out():
    """2017: 7 Sinn Féin seats and the Speaker, so the working line is (650-1-7)//2+1 = 322."""
    res = closecall.close_call("2017", "bloc-majority", bloc="lab,snp,ld,pc,green")
    after = res.seats_after
    bloc = sum(after.get(p, 0) for p in ("lab", "snp", "ld", "pc", "green"))
    assert bloc == (650 - 1 - after.get("sf", 0)) // 2 + 1
    assert "Sinn Féin" in res.rules and "Speaker" in res.rules


def test_speaker_seat_never_flips():
    res = closecall.close_call("2019", "not-largest", party="con")
    speaker = baseline("2019").winners == "speaker"
    assert not set(np.asarray(baseline("2019").codes)[speaker]) & {s["ons_code"] for s in res.seats}


def test_bad_input_is_named():
    with pytest.raises(SeatcastError, match="party"):
        closecall.close_call("2019", "majority", party="xyz")
    with pytest.raises(SeatcastError, match="goal"):
        closecall.close_call("2019", "win-everything", party="con")
    with pytest.raises(SeatcastError, match="bloc"):
        closecall.close_call("2019", "bloc-majority", bloc="lab,nope")
    with pytest.raises(SeatcastError, match="mode"):
        closecall.close_call("2019", "majority", party="lab", mode="teleport")


def test_impossible_goal_is_infeasible_not_a_crash():
    # Plaid stands only in Wales' 40 seats: no majority for it whatever happens.
    with pytest.raises(InfeasibleError, match="infeasible"):
        closecall.close_call("2019", "majority", party="pc")
