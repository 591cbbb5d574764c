"""The Kalman filter / RTS smoother against statsmodels, a dense GLS solution and a hand case."""

import numpy as np
import pytest

from seatcast.polls.kernels import kalman_smooth


def _local_level_data(seed=1, T=40):
    rng = np.random.default_rng(seed)
    level = 40 + np.cumsum(rng.normal(0, 0.5, T))
    days = np.array(sorted(set(rng.choice(T, 25, replace=False)) | {0}))
    y = level[days] + rng.normal(0, 1.5, len(days))
    return days, y


def test_matches_statsmodels_local_level_with_gaps():
    """No house effects: the model is statsmodels' local level; days without polls are NaN."""
    sm = pytest.importorskip("statsmodels.api")
    days, y = _local_level_data()
    T, r, q, m0, p0 = 40, 2.25, 0.25, 38.0, 50.0
    series = np.full(T, np.nan)
    series[days] = y
    mod = sm.tsa.UnobservedComponents(series, level="llevel")
    mod.ssm.initialize_known(np.array([m0]), np.array([[p0]]))  # the prior of day 0's level
    mod.loglikelihood_burn = mod.ssm.loglikelihood_burn = 0  # known prior: every poll counts
    res = mod.smooth([r, q])
    out = kalman_smooth(days, np.full(len(days), -1), y[:, None], np.full((len(days), 1), r), T, 0,
                        np.array([q]), np.array([m0]), np.array([p0]), 9.0)
    np.testing.assert_allclose(out.level[:, 0], res.smoothed_state[0], atol=1e-8)
    np.testing.assert_allclose(out.level_var[:, 0], res.smoothed_state_cov[0, 0], atol=1e-8)
    np.testing.assert_allclose(out.filtered[:, 0], res.filtered_state[0], atol=1e-8)
    assert out.loglik[0] == pytest.approx(res.llf, abs=1e-8)


def _dense_posterior(day, k, y, r, T, K, q, m0, p0, hv, c):
    """Joint Gaussian posterior of (mu_0..mu_{T-1}, h_1..h_K) by direct GLS (no recursion)."""
    n = T + K
    prec = np.zeros((n, n))
    b = np.zeros(n)

    def add(row, value, var):
        prec[:] += np.outer(row, row) / var
        b[:] += row * value / var

    e = np.eye(n)
    add(e[0], m0, p0)
    for t in range(1, T):
        add(e[t] - e[t - 1], 0.0, q)
    for j in range(K):
        add(e[T + j], 0.0, hv)
    add(np.concatenate([np.zeros(T), c]), 0.0, 1e-8)
    for i in range(len(y)):
        add(e[day[i]] + (e[T + k[i]] if k[i] >= 0 else 0), y[i], r[i])
    cov = np.linalg.inv(prec)
    return cov @ b, np.diag(cov)


def test_house_effects_match_dense_gls_solution():
    rng = np.random.default_rng(7)
    T, K, n = 30, 3, 45
    day = np.sort(rng.integers(0, T, n))
    k = rng.integers(-1, K, n)
    y = 30 + np.array([2.0, -1.0, -1.0, 0.0])[k] + rng.normal(0, 1, n)
    r = rng.uniform(1.0, 3.0, n)
    c = np.full(K, 1 / K)
    q, m0, p0, hv = 0.2, 29.0, 100.0, 9.0
    mean, var = _dense_posterior(day, k, y, r, T, K, q, m0, p0, hv, c)
    out = kalman_smooth(day, k, y[:, None], r[:, None], T, K, np.array([q]), np.array([m0]),
                        np.array([p0]), hv, c[None, :])
    np.testing.assert_allclose(out.level[:, 0], mean[:T], atol=1e-5)
    np.testing.assert_allclose(out.level_var[:, 0], var[:T], atol=1e-5)
    np.testing.assert_allclose(out.house[0], mean[T:], atol=1e-5)
    assert out.house[0].sum() == pytest.approx(0.0, abs=1e-5)


def test_one_poll_by_hand_and_missing_party_skipped():
    """Prior N(10, 4), one poll y=20 with variance 1: posterior mean 10 + 4/5*10 = 18, var 0.8.
    The second party is NaN in that poll, so it keeps its prior."""
    y = np.array([[20.0, np.nan]])
    out = kalman_smooth(np.array([0]), np.array([-1]), y, np.array([[1.0, 1.0]]), 1, 0,
                        np.array([0.1, 0.1]), np.array([10.0, 5.0]), np.array([4.0, 4.0]), 9.0)
    assert out.level[0, 0] == pytest.approx(18.0)
    assert out.level_var[0, 0] == pytest.approx(0.8)
    assert out.level[0, 1] == pytest.approx(5.0) and out.level_var[0, 1] == pytest.approx(4.0)
    # log-likelihood of y=20 under N(10, 5), by hand
    assert out.loglik[0] == pytest.approx(-0.5 * (np.log(2 * np.pi * 5) + 100 / 5))
    assert out.loglik[1] == 0.0
