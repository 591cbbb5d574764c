"""The tactical squeeze (model ``tac``): hand-worked toy elections, properties, leave-one-out."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from seatcast.backtest import tuning
from seatcast.swing import tactical
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
