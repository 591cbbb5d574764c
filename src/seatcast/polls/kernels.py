"""Pure NumPy Kalman filter and Rauch-Tung-Striebel smoother for the poll model.

The model, per party ``j`` (parties are independent and batched on the first axis):

* state on day ``t``: ``x_t = (mu_t, h_1, ..., h_K)``: the level ``mu_t`` (the share the
  average pollster would publish, in percentage points) and ``K`` static house effects;
* transition: ``mu_t = mu_{t-1} + eta_t``, ``eta_t ~ N(0, q_j)`` (a local-level / random-walk
  model, Durbin & Koopman, *Time Series Analysis by State Space Methods*, 2nd ed., ch. 2);
  house effects do not move;
* observation of poll ``i`` by pollster ``k_i`` on day ``t_i``:
  ``y_ij = mu_{t_i} + h_{k_i} + eps_ij``, ``eps_ij ~ N(0, r_ij)``; polls of unknown pollster
  (``k_i = -1``) carry no house effect;
* the house effects are pinned by a pseudo-observation ``0 = sum_k c_jk h_k`` with a tiny
  variance before the first poll (so they are measured relative to a chosen set of pollsters).

Polls are folded in one at a time (sequential scalar updates, Durbin & Koopman section 6.4), so
a party missing from a poll (NaN) is simply skipped. Because the transition is the identity
and the process noise touches only ``mu``, the smoother gain is
``J_t = P_t (P_t + Q)^{-1} = I - Q (P_t + Q)^{-1}``: the identity except in row 0.

Array dimensions: ``J`` parties, ``K`` pollsters, ``S = K + 1`` states, ``T`` days, ``n`` polls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONSTRAINT_VAR = 1e-8  # variance of the sum-to-zero pseudo-observation (points^2): a hard constraint


@dataclass(frozen=True, eq=False)
class Smoothed:
    """Kernel output. ``level``/``level_var``: ``(T, J)`` smoothed level mean and variance;
    ``house``/``house_var``: ``(J, K)``; ``filtered``: ``(T, J)`` filtered level mean;
    ``loglik``: ``(J,)`` prediction-error log-likelihood of the polls."""

    level: np.ndarray
    level_var: np.ndarray
    house: np.ndarray
    house_var: np.ndarray
    filtered: np.ndarray
    loglik: np.ndarray


def _update(x, P, hvec, y, r, loglik):
    """One scalar observation ``y_j = hvec_j . x_j + eps`` per party; NaN ``y`` is skipped.

    ``x``: (J, S); ``P``: (J, S, S); ``hvec``: (J, S); ``y``, ``r``: (J,). Updates in place.
    """
    seen = ~np.isnan(y)
    if not seen.any():
        return
    Ph = np.einsum("jab,jb->ja", P, hvec)  # (J, S)
    s = np.einsum("ja,ja->j", hvec, Ph) + r
    s = np.where(seen, s, 1.0)
    v = np.where(seen, y - np.einsum("ja,ja->j", hvec, x), 0.0)
    gain = np.where(seen[:, None], Ph / s[:, None], 0.0)  # (J, S)
    x += gain * v[:, None]
    P -= gain[:, :, None] * Ph[:, None, :]
    loglik -= np.where(seen, 0.5 * (np.log(2 * np.pi * s) + v * v / s), 0.0)


def _poll_update(x, P, k, y, r, loglik):
    """A poll by pollster ``k`` (-1: unknown): ``hvec = e_0 + e_{k+1}`` without building it."""
    seen = ~np.isnan(y)
    if not seen.any():
        return
    Ph = P[:, :, 0] + P[:, :, k + 1] if k >= 0 else P[:, :, 0].copy()
    pred = x[:, 0] + x[:, k + 1] if k >= 0 else x[:, 0]
    s = Ph[:, 0] + (Ph[:, k + 1] if k >= 0 else 0.0) + r
    s = np.where(seen, s, 1.0)
    v = np.where(seen, y - pred, 0.0)
    gain = np.where(seen[:, None], Ph / s[:, None], 0.0)
    x += gain * v[:, None]
    P -= gain[:, :, None] * Ph[:, None, :]
    loglik -= np.where(seen, 0.5 * (np.log(2 * np.pi * s) + v * v / s), 0.0)


def kalman_smooth(day: np.ndarray, pollster: np.ndarray, y: np.ndarray, r: np.ndarray,
                  n_days: int, n_pollsters: int, q: np.ndarray, m0: np.ndarray, p0: np.ndarray,
                  house_var: float, constraint: np.ndarray | None = None) -> Smoothed:
    """Filter and smooth the model in the module docstring.

    ``day``: (n,) int day index in ``[0, n_days)``, sorted ascending; ``pollster``: (n,) int in
    ``[-1, K)``; ``y``, ``r``: (n, J) poll shares and observation variances (points, points^2;
    NaN ``y`` = not reported); ``q``, ``m0``, ``p0``: (J,) daily level variance, initial level
    mean and variance; ``house_var``: prior variance of each house effect; ``constraint``:
    (J, K) weights ``c`` of the pseudo-observation ``sum_k c_jk h_k = 0`` (None: no constraint).
    """
    J, K, S = len(q), n_pollsters, n_pollsters + 1
    x = np.zeros((J, S))
    x[:, 0] = m0
    P = np.zeros((J, S, S))
    P[:, 0, 0] = p0
    idx = np.arange(1, S)
    P[:, idx, idx] = house_var
    loglik = np.zeros(J)
    if constraint is not None and K:
        hvec = np.hstack([np.zeros((J, 1)), constraint])
        _update(x, P, hvec, np.zeros(J), np.full(J, CONSTRAINT_VAR), np.zeros(J))
    xs = np.empty((n_days, J, S))
    Ps = np.empty((n_days, J, S, S))
    bounds = np.searchsorted(day, np.arange(n_days + 1))
    for t in range(n_days):
        if t:
            P[:, 0, 0] += q
        for i in range(bounds[t], bounds[t + 1]):
            _poll_update(x, P, int(pollster[i]), y[i], r[i], loglik)
        xs[t], Ps[t] = x, P
    return _smooth(xs, Ps, q, loglik)


def _smooth(xf: np.ndarray, Pf: np.ndarray, q: np.ndarray, loglik: np.ndarray) -> Smoothed:
    """RTS backward pass over filtered ``xf`` (T, J, S) and ``Pf`` (T, J, S, S)."""
    T, J, S = xf.shape
    filtered = xf[:, :, 0].copy()
    x, P = xf[-1].copy(), Pf[-1].copy()
    level, level_var = np.empty((T, J)), np.empty((T, J))
    level[-1], level_var[-1] = x[:, 0], P[:, 0, 0]
    e0 = np.zeros((J, S, 1))
    e0[:, 0, 0] = 1.0
    for t in range(T - 2, -1, -1):
        Ppred = Pf[t].copy()
        Ppred[:, 0, 0] += q
        g = np.linalg.solve(Ppred, e0)[:, :, 0]  # (J, S): row 0 of Ppred^-1
        gain = np.broadcast_to(np.eye(S), (J, S, S)).copy()
        gain[:, 0, :] -= q[:, None] * g
        d = x - xf[t]
        x = xf[t] + np.einsum("jab,jb->ja", gain, d)
        P = Pf[t] + gain @ (P - Ppred) @ np.swapaxes(gain, 1, 2)
        level[t], level_var[t] = x[:, 0], P[:, 0, 0]
    house_var = np.diagonal(Pf[-1], axis1=1, axis2=2)[:, 1:]
    return Smoothed(level, np.maximum(level_var, 0.0), xf[-1][:, 1:].copy(), house_var.copy(),
                    filtered, loglik)
