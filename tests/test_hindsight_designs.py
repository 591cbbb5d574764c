"""The opt-in options of ``tac`` measured for the hindsight goals (issue 10): the squeeze only in
government-held seats (``where="held"``), the Leave tilt of radical-right gains (``leave_tilt``) and its
return branch for radical-right falls (``leave_return``). Hand-worked toy elections and checks on the
2017 and 2024 hindsight projections; the blend of ``benchmarks/hindsight_2017.py``."""

import numpy as np
import pytest

from seatcast.backtest.hindsight import actual_scenario
from seatcast.errors import SeatcastError
from seatcast.swing.project import prepare_projection, projection_from
from seatcast.swing.tactical import TacticalModel, leave_return, leave_tilt, squeeze

# Toy parties: con lab ld green reform ind (bloc 0 = right, 1 = left, -1 never moves).
BLOC = np.array([0, 1, 1, 1, 0, -1])
RR = np.array([False, False, False, False, True, False])


def test_held_only_squeezes_where_the_government_holds_the_seat():
    # Seat 0: Con-held, Con 40 Lab 30 LD 20 Green 10. Seat 1: Lab-held, Lab 40 Con 30 LD 20 Green 10.
    s = np.array([[0.40, 0.30, 0.20, 0.10, 0.0, 0.0], [0.30, 0.40, 0.20, 0.10, 0.0, 0.0]])
    fall = np.zeros((2, 6))
    fall[:, 0] = 0.10  # Con fell 10 points; strength 2 -> lambda 0.2
    held = np.array([True, False])
    out = squeeze(s, fall, BLOC, 2.0, only=held)
    # By hand, seat 0: LD gives 0.04, Green 0.02, Labour 0.36. Seat 1 untouched (the shipped squeeze
    # would move LD and Green to Labour there too).
    np.testing.assert_allclose(out, [[0.40, 0.36, 0.16, 0.08, 0.0, 0.0], s[1]])
    assert not np.allclose(squeeze(s, fall, BLOC, 2.0)[1], s[1])


def test_leave_tilt_by_hand():
    # Con 50 Lab 20 LD 20 Reform 10 in both seats; Con and LD fell in the area, Reform gained 10 points.
    s = np.array([[0.50, 0.20, 0.20, 0.0, 0.10, 0.0]] * 2)
    loser = np.array([True, False, True, False, False, False])
    out = leave_tilt(s, np.array([0.10, 0.10]), np.array([1.5, -1.0]), RR, loser, 0.3)
    # Seat 0 (Leave z +1.5): 0.3 * 0.10 * 1.5 = 0.045 from the losers (Con 50 : LD 20) to Reform:
    # Con -0.045 * 5/7, LD -0.045 * 2/7, Reform +0.045. Seat 1 (z -1.0): 0.03 back the other way.
    np.testing.assert_allclose(out[0], [0.50 - 0.045 * 5 / 7, 0.20, 0.20 - 0.045 * 2 / 7, 0.0, 0.145, 0.0])
    np.testing.assert_allclose(out[1], [0.50 + 0.03 * 5 / 7, 0.20, 0.20 + 0.03 * 2 / 7, 0.0, 0.07, 0.0])


def test_leave_tilt_never_takes_more_than_reform_has_or_moves_without_a_gain():
    s = np.array([[0.50, 0.20, 0.20, 0.0, 0.10, 0.0]])
    loser = np.array([True, False, False, False, False, False])
    out = leave_tilt(s, np.array([0.5]), np.array([-3.0]), RR, loser, 1.0)  # wants -1.5, has 0.10
    np.testing.assert_allclose(out, [[0.60, 0.20, 0.20, 0.0, 0.0, 0.0]])
    np.testing.assert_allclose(leave_tilt(s, np.array([0.0]), np.array([2.0]), RR, loser, 1.0), s)
    # With Reform's baseline share 0.06 as the floor, only its gain there (0.04) can go back to Con.
    out = leave_tilt(s, np.array([0.5]), np.array([-3.0]), RR, loser, 1.0, floor=np.array([0.06]))
    np.testing.assert_allclose(out, [[0.54, 0.20, 0.20, 0.0, 0.06, 0.0]])


def _hindsight_2024(**params):
    scen = actual_scenario("2024", "nations")
    prep = prepare_projection(scen, "2019n", TacticalModel(0.0, **params))
    return prep, projection_from(scen, prep)


def test_2024_leave_tilt_moves_conservatives_to_reform_in_leave_seats_and_keeps_nation_totals():
    _, tm = _hindsight_2024()
    prep, tilted = _hindsight_2024(leave_tilt=0.3)
    b = tm.baseline
    con, ref = b.parties.index("con"), b.parties.index("reform")
    lean = prep.model.lean_
    high, low = np.argmax(lean), np.argmin(np.where(lean == 0, np.inf, lean))  # most and least Leave
    d = tilted.stages["model"] - tm.stages["model"]
    assert d[high, ref] > 0.01 and d[high, con] < -0.005
    assert d[low, ref] < 0
    for nation in ("England", "Scotland", "Wales"):
        m = b.nation_mask(nation)
        w = b.weights[m] / b.weights[m].sum()
        np.testing.assert_allclose(w @ tilted.stages["model"][m], w @ tm.stages["model"][m], atol=1e-4)


def test_2024_held_squeeze_leaves_labour_held_seats_alone():
    prep, tm = _hindsight_2024()
    held = prep.model.held_
    scen = actual_scenario("2024", "nations")
    out = projection_from(scen, prepare_projection(scen, "2019n", TacticalModel(1.25, where="held")))
    # England only: in Wales Labour is the devolved government, so its seats there count as held.
    lab_held = (np.asarray(tm.baseline.winners) == "lab") & tm.baseline.nation_mask("England")
    assert not held[lab_held].any() and held.sum() > 300
    moved = out.stages["tactical"] - out.stages["model"]
    # Labour-held seats change only through the raking back to the nation totals (a few points at most),
    # never by the squeeze itself moving a bloc's vote to one challenger.
    assert np.abs(moved[lab_held]).max() < np.abs(moved[held]).max()


def test_unknown_where_is_refused():
    with pytest.raises(SeatcastError, match="where"):
        _hindsight_2024(where="everywhere")


# Toy masks for the return branch: Con gains (``to``), Lab, LD and Green give (``source``).
TO = np.array([True, False, False, False, False, False])
SOURCE = np.array([False, True, True, True, False, False])


def test_leave_return_by_hand():
    # Con 40 Lab 40 LD 10 Green 5 Reform 5 in both seats; the radical right fell 10 points in the area.
    s = np.array([[0.40, 0.40, 0.10, 0.05, 0.05, 0.0]] * 2)
    out = leave_return(s, np.array([0.10, 0.10]), np.array([1.0, -1.0]), TO, SOURCE, 0.3)
    # Seat 0 (Leave z +1): 0.3 * 0.10 * 1 = 0.03 from Lab 40 : LD 10 : Green 5 (pool 0.55) to Con.
    # Seat 1 (z -1): 0.03 back from Con to them, in the same proportions.
    give = 0.03 * np.array([0.40, 0.10, 0.05]) / 0.55
    np.testing.assert_allclose(out[0], [0.43, *(s[0, 1:4] - give), 0.05, 0.0])
    np.testing.assert_allclose(out[1], [0.37, *(s[1, 1:4] + give), 0.05, 0.0])
    assert np.allclose(out.sum(-1), 1.0) and (out >= 0).all()


def test_leave_return_is_bounded_and_needs_a_fall_and_a_gainer():
    s = np.array([[0.10, 0.60, 0.20, 0.05, 0.05, 0.0]])
    # Wants -0.3 * 0.5 * 3 = -0.45 from Con, which has 0.10: all of it goes, no more.
    out = leave_return(s, np.array([0.5]), np.array([-3.0]), TO, SOURCE, 0.3)
    np.testing.assert_allclose(out[0, 0], 0.0, atol=1e-12)
    np.testing.assert_allclose(out.sum(), 1.0)
    np.testing.assert_allclose(leave_return(s, np.array([0.0]), np.array([2.0]), TO, SOURCE, 0.3), s)
    nobody = np.zeros(6, bool)  # no right-bloc party gained in the area: nothing moves, nothing is lost
    np.testing.assert_allclose(leave_return(s, np.array([0.5]), np.array([2.0]), nobody, SOURCE, 0.3), s)


def test_2017_leave_return_moves_conservatives_up_in_leave_seats_and_keeps_nation_totals():
    scen = actual_scenario("2017", "nations")
    tm = projection_from(scen, prepare_projection(scen, "2015", TacticalModel(0.0)))
    tilt_only = projection_from(scen, prepare_projection(scen, "2015", TacticalModel(0.0, leave_tilt=0.3)))
    prep = prepare_projection(scen, "2015", TacticalModel(0.0, leave_tilt=0.3, leave_return=True))
    back = projection_from(scen, prep)
    # UKIP fell in 2017: the tilt of a gain does nothing, the return branch moves Con and Lab.
    np.testing.assert_allclose(tilt_only.shares, tm.shares)
    b = tm.baseline
    con, lab = b.parties.index("con"), b.parties.index("lab")
    lean = prep.model.lean_
    eng = b.nation_mask("England")
    d = back.stages["model"] - tm.stages["model"]
    assert np.corrcoef(lean[eng], d[eng, con])[0, 1] > 0.8
    assert np.corrcoef(lean[eng], d[eng, lab])[0, 1] < -0.5
    for nation in ("England", "Scotland", "Wales"):
        m = b.nation_mask(nation)
        w = b.weights[m] / b.weights[m].sum()
        np.testing.assert_allclose(w @ back.stages["model"][m], w @ tm.stages["model"][m], atol=1e-4)


def test_leave_return_with_zero_swing_changes_no_winner():
    scen = actual_scenario("2017", "nations")  # 2017's own shares projected on 2017: zero swing
    model = TacticalModel(0.0, leave_tilt=0.5, leave_return=True)
    out = projection_from(scen, prepare_projection(scen, "2017", model))
    base = out.baseline
    gb = base.nation_mask("England", "Scotland", "Wales")
    assert (np.asarray(out.winners)[gb] == np.asarray(base.winners)[gb]).all()


def _blend_module():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import hindsight_2017

    return hindsight_2017


def test_blend_of_transition_and_uniform_swing_by_hand():
    # One area, two seats, equal weights: A 50/30, B 30/50, C 20/20 -> area A 40 B 40 C 20; A falls to 30.
    from types import SimpleNamespace

    import pandas as pd

    s = np.array([[0.5, 0.3, 0.2], [0.3, 0.5, 0.2]])
    base = SimpleNamespace(seats=pd.DataFrame({"country": ["England", "England"]}))
    new = np.array([[0.3, 0.5, 0.2]] * 2)
    area, w = np.zeros(2, int), np.ones(2)
    blend = _blend_module().Blend({"England": ("uns", 0.5)}).fit(s, area, w, baseline=base)
    # tm: A keeps 3/4 of its vote, B (the only gainer) takes the rest: 37.5/42.5/20 and 22.5/57.5/20.
    # uns: A -10, B +10 everywhere: 40/40/20 and 20/60/20. Half and half:
    np.testing.assert_allclose(blend.predict(new), [[0.3875, 0.4125, 0.2], [0.2125, 0.5875, 0.2]])
    # A nation not named keeps tm; zero swing changes nothing.
    tm_only = _blend_module().Blend({"Wales": ("uns", 0.0)}).fit(s, area, w, baseline=base)
    np.testing.assert_allclose(tm_only.predict(new), [[0.375, 0.425, 0.2], [0.225, 0.575, 0.2]])
    np.testing.assert_allclose(blend.predict(np.array([[0.4, 0.4, 0.2]] * 2)), s)


def test_blend_2017_hindsight_ends_are_the_rules_and_shares_sum_to_one():
    h = _blend_module()
    scen = actual_scenario("2017", "nations")
    nations = ("England", "Scotland", "Wales")
    blends = {w: h.Blend(dict.fromkeys(nations, ("prop", w))) for w in (0.0, 0.3, 1.0)}
    ends = {w: projection_from(scen, prepare_projection(scen, "2015", m)) for w, m in blends.items()}
    for w, rule in ((0.0, "prop"), (1.0, "tm")):
        ref = projection_from(scen, prepare_projection(scen, "2015", rule))
        np.testing.assert_allclose(ends[w].shares, ref.shares, atol=1e-12)
    mid = ends[0.3].shares
    assert (mid >= 0).all() and (mid <= 1).all() and np.allclose(mid.sum(-1), 1.0)
