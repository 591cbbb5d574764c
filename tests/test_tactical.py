"""The tactical squeeze (model ``tac``): hand-worked toy elections, properties, leave-one-out."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from seatcast.backtest import tuning
from seatcast.swing import kernels, tactical
from seatcast.swing.tactical import squeeze

# Toy parties: con lab ld green reform ind (bloc 0 = right, 1 = left, -1 never moves).
BLOC = np.array([0, 1, 1, 1, 0, -1])


def _fall(con: float, n: int = 1) -> np.ndarray:
    f = np.zeros((n, 6))
    f[:, 0] = con
    return f


def test_lib_dem_and_green_voters_move_to_labour_in_a_con_lab_seat():
    # Con 40, Lab 30, LD 20, Green 10; Con fell 10 points, strength 2 -> lambda 0.2.
    s = np.array([[0.40, 0.30, 0.20, 0.10, 0.0, 0.0]])
    out = squeeze(s, _fall(0.10), BLOC, 2.0)
    # By hand: LD gives 0.2 * 0.20 = 0.04, Green 0.2 * 0.10 = 0.02, Labour gains 0.06.
    np.testing.assert_allclose(out, [[0.40, 0.36, 0.16, 0.08, 0.0, 0.0]])


def test_no_move_where_the_government_is_not_in_the_top_two():
    s = np.array([[0.15, 0.45, 0.35, 0.05, 0.0, 0.0]])  # Lab v LD, Con third
    np.testing.assert_allclose(squeeze(s, _fall(0.10), BLOC, 2.0), s)


def test_an_independent_challenger_gets_nothing_and_loses_nothing():
    s = np.array([[0.35, 0.15, 0.05, 0.0, 0.0, 0.45]])  # independent first, Con second
    np.testing.assert_allclose(squeeze(s, _fall(0.10), BLOC, 2.0), s)


def test_a_same_bloc_challenger_draws_only_its_own_bloc():
    # Con v Reform: Reform's bloc (right) has no other non-governing party here, so nothing moves.
    s = np.array([[0.40, 0.15, 0.10, 0.0, 0.35, 0.0]])
    np.testing.assert_allclose(squeeze(s, _fall(0.10), BLOC, 2.0), s)


def test_strength_is_capped():
    s = np.array([[0.40, 0.30, 0.20, 0.10, 0.0, 0.0]])
    out = squeeze(s, _fall(0.20), BLOC, 100.0)
    np.testing.assert_allclose(out[0, 2], 0.20 * (1 - tactical.LAM_MAX))


def test_no_fall_no_change():
    s = np.array([[0.40, 0.30, 0.20, 0.10, 0.0, 0.0]])
    np.testing.assert_allclose(squeeze(s, _fall(0.0), BLOC, 3.0), s)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 0.3), st.floats(0.0, 5.0))
def test_shares_stay_valid_and_only_the_challenger_gains(seed, fall, strength):
    rng = np.random.default_rng(seed)
    s = rng.dirichlet(np.ones(6) * 0.7, size=(3, 40))
    out = squeeze(s, _fall(fall, 40)[None], BLOC, strength)
    assert np.all(out >= -1e-12) and np.all(out <= 1 + 1e-12)
    np.testing.assert_allclose(out.sum(-1), 1.0, atol=1e-12)
    np.testing.assert_allclose(out[..., [0, 5]], s[..., [0, 5]])  # target and independent untouched
    gained = (out - s) > 1e-12
    assert (gained.sum(-1) <= 1).all()  # at most one party (the challenger) gains in a seat


def test_fit_reads_government_and_blocs_from_the_baseline():
    from seatcast import data

    base = data.baseline("2019n")
    gov = tactical.governing(base)
    codes = list(base.parties)
    scot, wales, eng = (base.nation_mask(n) for n in ("Scotland", "Wales", "England"))
    gb = scot | wales | eng
    assert gov[gb, codes.index("con")].all() and not gov[~gb].any()
    assert gov[wales, codes.index("lab")].all() and not gov[eng | scot, codes.index("lab")].any()
    assert gov[scot, codes.index("snp")].all()
    blocs = tactical.bloc_table(codes, base.seats["country"].to_numpy())
    assert blocs[scot, codes.index("lab")][0] == blocs[scot, codes.index("con")][0]
    assert blocs[~scot, codes.index("lab")][0] != blocs[~scot, codes.index("con")][0]
    for code in ("ind", "speaker", "other"):
        if code in codes:
            assert (blocs[:, codes.index(code)] == -1).all()


def _grid_with_2024(values):
    table = {e: {k: 500 for k in (0.0, 1.0, 2.0)} for e in tuning.STRENGTH_PAIRS}
    table["2017"] = {0.0: 576, 1.0: 575, 2.0: 570}
    table["2024"] = dict(zip((0.0, 1.0, 2.0), values, strict=True))
    return table


def test_the_2024_strength_ignores_the_2024_result():
    a = tuning.choose_strength("2024", _grid_with_2024((500, 540, 560)))
    b = tuning.choose_strength("2024", _grid_with_2024((560, 500, 400)))
    assert a == b == 0.0
    # Control: the pooled choice does see 2024.
    assert tuning.choose_strength(None, _grid_with_2024((500, 540, 560))) == 2.0


def test_strength_table_is_the_leave_one_out_choice():
    # The stored table is what the tuning recomputes (48 hindsight projections: 7 s measured).
    assert tuning.strength_table() == tactical.STRENGTH_BY_BASELINE


# --- keeping the area totals (rake) and the functional forms of the condition ---------------------


def test_one_round_of_raking_by_hand():
    # Two seats of equal weight in one area; target 50/50, current means 40/60.
    # By hand: ratios 1.25 and 0.8333; seat 1 (0.5, 0.5) -> (0.625, 0.4167) -> (0.6, 0.4);
    # seat 2 (0.3, 0.7) -> (0.375, 0.5833) / 0.9583 -> (0.3913, 0.6087).
    s = np.array([[0.5, 0.5], [0.3, 0.7]])
    area = np.array([0, 0])
    m = kernels.area_matrix(area, np.array([1.0, 1.0]))
    out = kernels.rake(s, np.array([[0.5, 0.5]]), area, m, rounds=1)
    np.testing.assert_allclose(out, [[0.6, 0.4], [0.3913043, 0.6086957]], rtol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_raking_meets_the_area_targets_and_keeps_rows_valid(seed):
    rng = np.random.default_rng(seed)
    s = rng.dirichlet(np.ones(5), size=(2, 30))
    area = np.repeat([0, 1, 2], 10)
    w = rng.uniform(0.5, 2.0, 30)
    m = kernels.area_matrix(area, w)
    target = np.einsum("as,...sp->...ap", m, rng.dirichlet(np.ones(5), size=(2, 30)))
    out = kernels.rake(s, target, area, m, rounds=40)
    np.testing.assert_allclose(np.einsum("as,...sp->...ap", m, out), target, atol=1e-6)
    np.testing.assert_allclose(out.sum(-1), 1.0, atol=1e-12)
    assert np.all(out >= 0)


def test_forms_are_scaled_to_the_linear_form_at_a_fifteen_point_fall_from_forty():
    f, n = np.array([0.15]), np.array([0.40])
    for form in tactical.FORMS.values():
        np.testing.assert_allclose(form(f, n), 0.15)
    # By hand, a 20-point fall from 44.7%: square 0.2^2/0.15 = 0.2667; relative 0.4 * 0.2/0.447
    # = 0.1790; threshold 3 * (0.2 - 0.1) = 0.3.
    f, n = np.array([0.20]), np.array([0.447])
    np.testing.assert_allclose(tactical.FORMS["square"](f, n), 0.26667, rtol=1e-4)
    np.testing.assert_allclose(tactical.FORMS["relative"](f, n), 0.17897, rtol=1e-4)
    np.testing.assert_allclose(tactical.FORMS["threshold"](f, n), 0.3)
    assert tactical.FORMS["threshold"](np.array([0.08]), n) == 0.0  # below ten points: no squeeze


def test_square_form_toy_seat_by_hand():
    # Con fell 30 points: intensity 0.09 / 0.15 = 0.6; strength 0.5 -> lambda 0.3.
    s = np.array([[0.40, 0.30, 0.20, 0.10, 0.0, 0.0]])
    g = tactical.FORMS["square"](_fall(0.30), np.full((1, 6), 0.5))
    out = squeeze(s, g, BLOC, 0.5)
    # LD gives 0.3 * 0.20 = 0.06, Green 0.3 * 0.10 = 0.03: Labour 0.39.
    np.testing.assert_allclose(out, [[0.40, 0.39, 0.14, 0.07, 0.0, 0.0]])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 0.3), st.floats(0.0, 0.3), st.floats(0.0, 5.0))
def test_a_smaller_fall_never_costs_the_government_a_seat(seed, f1, f2, strength):
    rng = np.random.default_rng(seed)
    s = rng.dirichlet(np.ones(6) * 0.7, size=(50,))
    small, large = sorted((f1, f2))
    won = lambda f: np.argmax(squeeze(s, _fall(f, 50), BLOC, strength), -1) == 0  # noqa: E731
    assert np.all(won(small)[won(large)])


def _tac_2024(**params):
    from seatcast.backtest.hindsight import actual_scenario
    from seatcast.swing.project import prepare_projection

    prep = prepare_projection(actual_scenario("2024", "nations"), "2019n",
                              tactical.TacticalModel(**params))
    return prep, prep.model.predict_stages(prep.model.expand(prep.targets.new))


def test_the_2024_squeeze_keeps_every_nation_total():
    prep, st_ = _tac_2024()
    m = prep.model
    before = np.einsum("as,sp->ap", m.matrix_, st_["model"])
    after = np.einsum("as,sp->ap", m.matrix_, st_["tactical"])
    np.testing.assert_allclose(after, before, atol=2e-4)
    assert np.abs(st_["tactical"] - st_["model"]).max() > 0.05  # ... while seats move a lot
    # Without keeping the totals, the same squeeze moves votes between parties nationally.
    _, loose = _tac_2024(preserve=False)
    moved = np.einsum("as,sp->ap", m.matrix_, loose["tactical"]) - before
    assert np.abs(moved).max() > 0.01


def test_zero_swing_no_squeeze_with_totals_kept():
    prep, _ = _tac_2024()
    st_ = prep.model.predict_stages(prep.model.expand(prep.model.area_old_))
    np.testing.assert_allclose(st_["tactical"], st_["model"], atol=1e-12)


def test_unknown_form_is_refused():
    import pytest

    from seatcast.errors import SeatcastError

    with pytest.raises(SeatcastError, match="form"):
        _tac_2024(form="cubic")
