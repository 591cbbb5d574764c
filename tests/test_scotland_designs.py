"""The Scotland ablations of docs/accuracy.md (``benchmarks/scotland_designs.py``): leave-one-out choices
and the devolved-only squeeze measured there."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import nation_tables  # noqa: E402
import scotland_designs as sd  # noqa: E402

from seatcast.backtest.hindsight import actual_scenario  # noqa: E402
from seatcast.swing.project import project  # noqa: E402


def test_vote_choice_is_made_without_the_held_out_election():
    # Toy errors: share 0.2 is far better on 2015 only; held out 2015 the others prefer 0.
    errors = {(a, e): 10.0 + a for a in sd.EXCHANGES for e in ("2015", "2017", "2019", "2024")}
    errors[0.2, "2015"] = 0.0
    assert sd.vote_choice(errors, "2015") == 0.0
    assert sd.vote_choice(errors, "2017") == 0.2


def test_seat_choice_over_another_grid_breaks_ties_by_sae_then_the_smaller():
    # (value, election) -> (SAE, Scotland called, Wales called): 0.4 and 1 tie on seats held out 2019.
    sweep = {(a, e): (50, 40, 30) for a in sd.EXCHANGES for e in ("2015", "2017", "2019", "2024")}
    for a in (0.4, 1.0):
        sweep[a, "2015"] = (40, 45, 30)
    sweep[1.0, "2015"] = (30, 45, 30)
    assert nation_tables.loo_choice(sweep, "2019", sd.EXCHANGES) == 1.0
    assert nation_tables.loo_choice(sweep, "2015", sd.EXCHANGES) == 0.0


def test_devolved_squeeze_scotland_2017_acts_only_in_scotland_and_keeps_its_totals():
    scen = actual_scenario("2017", "nations")
    tm = project(scen, "2015", "tm")
    sq = project(scen, "2015", sd.DevolvedSqueeze(1.5, ("Scotland",)))
    country = tm.baseline.seats["country"].to_numpy()
    scot = country == "Scotland"
    assert sq.shares[~scot] == pytest.approx(tm.shares[~scot])
    assert not np.allclose(sq.shares[scot], tm.shares[scot])  # the SNP fell 13 points: it bites
    w = tm.baseline.weights[scot]
    assert w @ sq.stages["tactical"][scot] / w.sum() == pytest.approx(w @ tm.stages["model"][scot] / w.sum(),
                                                                      abs=1e-4)
    zero = project(scen, "2015", sd.DevolvedSqueeze(0.0, ("Scotland",)))
    assert zero.shares == pytest.approx(tm.shares)


def test_leave_tilt_scotland_2019_keeps_the_totals_and_moves_conservatives_to_leave_seats():
    scen = actual_scenario("2019", "nations")
    tm = project(scen, "2017", "tm")
    tilt = project(scen, "2017", sd.LeaveTilt(3.0))
    assert project(scen, "2017", sd.LeaveTilt(0.0)).shares == pytest.approx(tm.shares)
    scot = tm.baseline.seats["country"].to_numpy() == "Scotland"
    assert tilt.shares[~scot] == pytest.approx(tm.shares[~scot])
    w = tm.baseline.weights[scot]
    before, after = tm.stages["model"], tilt.stages["model"]
    assert w @ after[scot] / w.sum() == pytest.approx(w @ before[scot] / w.sum(), abs=1e-4)
    # Banff and Buchan (Leave 61%, Scotland's highest) gains Conservative votes; Edinburgh South
    # (Leave 22%) loses them.
    con = tm.parties.index("con")
    row = dict(zip(tm.baseline.column("constituency"), range(len(scot)), strict=True))
    assert after[row["Banff and Buchan"], con] > before[row["Banff and Buchan"], con]
    assert after[row["Edinburgh South"], con] < before[row["Edinburgh South"], con]
