"""The two opt-in options of ``tac`` measured for the 2024 hindsight goal (issue 10): the squeeze
only in government-held seats (``where="held"``) and the Leave tilt of radical-right gains
(``leave_tilt``). Hand-worked toy elections and checks on the 2024 hindsight projection."""

import numpy as np
import pytest

from seatcast.backtest.hindsight import actual_scenario
from seatcast.errors import SeatcastError
from seatcast.swing.project import prepare_projection, projection_from
from seatcast.swing.tactical import TacticalModel, leave_tilt, squeeze

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
