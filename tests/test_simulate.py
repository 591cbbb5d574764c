"""The Monte Carlo engine and the Forecast: determinism, invariants, analytic toy cases."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from seatcast.simulate import Scales, draw_shares, forecast, kernels
from seatcast.swing import project, scenario
from seatcast.swing.project import prepare_projection

SCEN_2024 = scenario({"lab": 34, "con": 24, "reform": 15, "ld": 12, "green": 7, "snp": 2.5, "pc": 0.7})
SCALES = Scales(national=0.1, regional=0.1, seat=0.2)


@pytest.fixture(scope="module")
def fc():
    return forecast(SCEN_2024, baseline="2019n", draws=3000, seed=7, scales=SCALES, inner=10)


def test_same_seed_same_forecast_2024():
    a = forecast(SCEN_2024, baseline="2019n", draws=600, seed=3, scales=SCALES, inner=5)
    b = forecast(SCEN_2024, baseline="2019n", draws=600, seed=3, scales=SCALES, inner=5)
    c = forecast(SCEN_2024, baseline="2019n", draws=600, seed=4, scales=SCALES, inner=5)
    assert np.array_equal(a.seats, b.seats) and a.win_prob.equals(b.win_prob)
    assert a.probabilities == b.probabilities
    assert not np.array_equal(a.seats, c.seats)


def test_every_draw_sums_to_650(fc):
    assert fc.seats.shape == (3000, len(fc.parties))
    assert (fc.seats.sum(axis=1) == 650).all() and (fc.seats >= 0).all()
    assert np.allclose(fc.win_prob.sum(axis=1), 1.0, atol=1e-5)


def test_probabilities_valid_and_exclusive(fc):
    probs = fc.probabilities
    assert all(0.0 <= v <= 1.0 for v in probs.values())
    majority = sum(v for k, v in probs.items() if k.startswith("majority:"))
    largest = sum(v for k, v in probs.items() if k.startswith("largest:"))
    assert majority + probs["hung"] == pytest.approx(1.0)
    assert largest == pytest.approx(1.0)
    # Labour 10 points ahead of the Conservatives from the 2019 notional: Labour largest
    assert probs["largest:lab"] > 0.9 and probs.get("majority:con", 0.0) == 0.0


def test_expected_and_modal_seats_2024(fc):
    assert sum(fc.expected_seats.values()) == pytest.approx(650, abs=0.01)
    assert sum(fc.modal_seats.values()) == 650
    # expected seats (sum of win probabilities) agree with the simulated mean seats
    for p in ("lab", "con", "ld"):
        assert fc.expected_seats[p] == pytest.approx(fc.summary.at[p, "mean"], abs=3)
    s = fc.summary
    assert (s["p05"] <= s["p10"]).all() and (s["p10"] <= s["median"]).all()
    assert (s["median"] <= s["p90"]).all() and (s["p90"] <= s["p95"]).all()


@pytest.mark.parametrize("model", ["uns", "tm"])
def test_zero_scales_reduce_to_projection(model):
    scen = scenario({"con": 43, "lab": 36, "ld": 12, "brexit": 3, "green": 2})
    proj = project(scen, "2017", model)
    f = forecast(scen, baseline="2017", model=model, draws=50, seed=1, scales=Scales(), inner=5)
    expected = [proj.parliament.seats.get(p, 0) for p in f.parties]
    assert (f.seats == np.array(expected)).all()
    assert (f.win_prob.idxmax(axis=1).to_numpy() == proj.winners).all()
    assert set(np.unique(f.win_prob.to_numpy())) <= {0.0, 1.0}


def test_two_party_normal_national_error_is_analytic():
    """Two parties at 52/48, normal log-scale error sd 0.1 each: P(A ahead) = Phi(log(52/48)/(0.1 sqrt 2))."""
    rng = np.random.default_rng(0)
    eps = rng.standard_normal((200_000, 2)) * 0.1
    new = kernels.national_targets(np.array([[0.52, 0.48]]), eps, np.array([True]))
    p_sim = (new[:, 0, 0] > new[:, 0, 1]).mean()
    p_true = norm.cdf(np.log(0.52 / 0.48) / (0.1 * np.sqrt(2)))
    assert p_sim == pytest.approx(p_true, abs=0.005)
    assert np.allclose(new.sum(axis=-1), 1.0)


def test_gumbel_seat_error_matches_explicit_draws():
    """Win probabilities by the Gumbel-max identity vs counting argmax of explicit Gumbel noise."""
    rng = np.random.default_rng(1)
    w = np.array([[0.40, 0.35, 0.20, 0.05]])
    beta = kernels.gumbel_beta(0.25)
    noise = rng.gumbel(0.0, beta, size=(200_000, 4))
    freq = np.bincount(np.argmax(np.log(w) + noise, axis=1), minlength=4) / len(noise)
    assert np.allclose(kernels.win_probs(w, beta)[0], freq, atol=0.004)
    # two parties: the logistic form, computed by hand
    p2 = kernels.win_probs(np.array([0.55, 0.45]), beta)
    assert p2[0] == pytest.approx(1 / (1 + (0.45 / 0.55) ** (1 / beta)))
    assert np.std(noise[:, 0]) == pytest.approx(0.25, rel=0.01)


def test_sample_counts_hand_case():
    # three seats with certain winners, one seat 50/50 decided by u
    p = np.array([[[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0]]], dtype=np.float32)
    cont, need = kernels.contenders(p)
    u = np.array([[[0.1, 0.1, 0.1, 0.2], [0.9, 0.9, 0.9, 0.7]]], dtype=np.float32)
    counts, dropped = kernels.sample_counts(p, cont, need, u, 3)
    assert counts[0].tolist() == [[2, 1, 1], [1, 2, 1]]
    assert dropped.max() == pytest.approx(0.0)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(2, 6), st.integers(0, 10_000))
def test_sample_counts_property(c, r, n_party, seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(n_party, 0.5), size=(c, 40)).astype(np.float32)
    cont, need = kernels.contenders(p, max_dropped=0.0)
    counts, _ = kernels.sample_counts(p, cont, need, rng.random((c, r, 40), dtype=np.float32), n_party)
    assert counts.shape == (c, r, n_party)
    assert (counts.sum(axis=-1) == 40).all() and (counts >= 0).all()


def test_sample_counts_mean_matches_probabilities():
    rng = np.random.default_rng(2)
    p = rng.dirichlet(np.ones(4), size=(1, 300)).astype(np.float32)
    cont, need = kernels.contenders(p, max_dropped=0.0)
    counts, _ = kernels.sample_counts(p, cont, need, rng.random((1, 4000, 300), dtype=np.float32), 4)
    assert np.allclose(counts[0].mean(axis=0), p[0].sum(axis=0), atol=0.6)


def test_draw_shares_valid_and_agrees_with_fast_path():
    prep = prepare_projection(SCEN_2024, "2019n", "uns")
    chunks = list(draw_shares(prep, 1500, np.random.default_rng(5), SCALES, chunk=500))
    shares = np.concatenate(chunks)
    assert shares.shape == (1500, 650, len(prep.baseline.parties))
    assert np.allclose(shares.sum(axis=-1), 1.0) and (shares >= 0).all()
    won = np.argmax(shares * prep.baseline.top_frac, axis=-1)
    explicit = np.bincount(won.ravel(), minlength=shares.shape[-1]) / len(shares)
    fast = forecast(SCEN_2024, baseline="2019n", model="uns", draws=1500, seed=6, scales=SCALES, inner=1)
    for p in ("lab", "con", "ld"):
        j = prep.baseline.parties.index(p)
        assert explicit[j] == pytest.approx(fast.expected_seats[p], abs=6)


def test_speaker_seat_is_held():
    f = forecast(SCEN_2024, baseline="2019n", draws=500, seed=1, scales=SCALES, inner=5)
    assert (f.seats[:, f.parties.index("speaker")] == 1).all()


def test_bad_draws_named():
    from seatcast.errors import SeatcastError

    with pytest.raises(SeatcastError, match="draws"):
        forecast(SCEN_2024, draws=0, scales=SCALES)
