"""Election-night kernels: pure NumPy, no pandas.

The live model (see docs/live.md) writes each seat's log vote share as

    log v[s, p] = a[s] + log m[s, p] + n[p] * gb[s] + r[g(s), p] + t[c(s), p] + u[k(s, p), p]
                  + sum_j b[j, p] x[s, p, j] + e[s, p]

``m`` the prior's central seat shares, ``n`` the national error (GB seats only, as national
polls are GB-only), ``r`` the regional error of the seat's ITL1 region ``g(s)``, ``t`` the
error of the seat's contest type ``c(s)`` (its first and second party under the prior),
``u`` the party's error in the bin ``k(s, p)`` of its own prior margin in the seat (a grouping
per seat and party: :func:`design` takes ``(seat, party)`` group indexes as well as ``(seat, 1)``),
``b`` the party's slopes on seat covariates ``x`` (see :mod:`seatcast.live.model`), ``e``
the seat error and ``a`` a seat constant (the renormalisation; it cancels out). The unknown
state ``theta = (n, r, t, u, b)`` over the ``S`` modelled parties has a Gaussian prior with
zero mean and diagonal covariance.

A declared seat gives residuals ``d[p] = log(v[p] / m[p])`` for its ``k`` observed parties.
The seat constant is removed by centring them (``C = I - 11'/k``, a projection), so the
seat adds ``H' C H / sd_e**2`` to the information matrix and ``H' C d / sd_e**2`` to the
information vector, where ``H`` (k, Q) holds each party's coefficients on ``n``, ``r``, ``t`` and ``b`` (the
generalised-least-squares update of a linear-Gaussian model with a flat prior on ``a``;
Kalman 1960 in information form). The posterior is ``N(Lambda^-1 eta, Lambda^-1)``. With
Student-t seats each seat's information is multiplied by its weight (:func:`t_weights`,
:class:`SeatStore`: iteratively reweighted least squares).

Undeclared seats are then resimulated: ``outer`` state draws from the posterior, each with
exact seat win probabilities over a seat's ``k`` contenders (Gumbel seat errors with scale
``beta``: a softmax, as in :mod:`seatcast.simulate.kernels`), and ``inner`` draws of the
seat totals per state draw from the normal distribution with the same mean and covariance
as the sum of the independent seat outcomes (:func:`normal_totals`).
"""

from __future__ import annotations

import numpy as np

#: Contenders per seat: the parties most likely to win it under the prior.
CONTENDERS = 4


def design(party: np.ndarray, groups: list[tuple[np.ndarray, int]], gb: np.ndarray, x: np.ndarray,
           n_state: int) -> tuple[np.ndarray, np.ndarray, int]:
    """State columns ``(seat, party, m)`` and coefficients ``(seat, party, m)`` of every error.

    ``party`` (1, party) state party index (-1: not modelled); ``groups`` a list of
    ``(group index (seat, 1) or (seat, party), number of groups)`` (the regions, the contest
    types, the party-margin bins);
    ``gb`` (seat, 1); ``x`` (seat, party, J) covariates. Entry 0 is the national error (GB
    seats), then one entry per grouping (its group's error for the party), then the party's
    slope on each covariate. A missing entry (NI seats have no national error, unmodelled
    parties none at all) points at column ``Q`` (returned), one past the state, which holds 0.
    """
    shape = x.shape[:-1]
    party, gb = np.broadcast_to(party, shape), np.broadcast_to(gb, shape)
    ok = party >= 0
    cols, vals, start = [np.where(ok & gb, party, -1)], [np.ones(shape)], n_state
    for group, n_groups in groups:
        cols.append(np.where(ok, start + np.broadcast_to(group, shape) * n_state + party, -1))
        vals.append(np.ones(shape))
        start += n_groups * n_state
    for j in range(x.shape[-1]):
        cols.append(np.where(ok, start + party, -1))
        vals.append(x[..., j])
        start += n_state
    cols = np.stack(cols, -1)
    cols[cols < 0] = start
    return cols, np.stack(vals, -1).astype(np.float32), start


def drop_unused(cols: np.ndarray, q: int, lo: int, hi: int) -> tuple[np.ndarray, int, int]:
    """Remove the state columns in ``[lo, hi)`` that no entry of ``cols`` (a :func:`design`
    result with ``q`` columns) points at, keeping the order of the rest: ``(cols, new q, columns
    kept in [lo, hi))``. A grouping with many empty (group, party) cells then costs only its
    used ones."""
    keep = np.ones(q + 1, bool)
    keep[lo:hi] = np.isin(np.arange(lo, hi), cols)
    new = np.cumsum(keep) - 1
    return new[cols], int(new[q]), int(keep[lo:hi].sum())


def seat_information(d: np.ndarray, cols: np.ndarray, vals: np.ndarray, q: int,
                     sd_seat: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One seat's information: ``(used columns, H' C H / sd**2, H' C d / sd**2)``.

    ``d`` (k,) log-ratio residuals of the seat's observed parties; ``cols``/``vals`` (k, m)
    their :func:`design` rows (``q`` = missing).
    """
    k = len(d)
    if k < 2:
        return np.zeros(0, int), np.zeros((0, 0)), np.zeros(0)
    used = np.unique(cols[cols < q])
    h = np.zeros((k, len(used)))
    for j in range(cols.shape[1]):
        h += (cols[:, j, None] == used[None]) * vals[:, j, None].astype(float)
    hc = h.T @ (np.eye(k) - 1.0 / k)
    return used, hc @ h / sd_seat**2, hc @ d / sd_seat**2


def centred_surprise(d: np.ndarray, cols: np.ndarray, vals: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """A seat's surprise: its residuals ``d`` (k,) minus the state's prediction ``theta`` (Q + 1,)
    for its :func:`design` rows ``cols``/``vals`` (k, m), centred (the seat constant cancels)."""
    r = d - (vals * theta[cols]).sum(axis=1)
    return r - r.mean()


def t_weights(m2: np.ndarray, k: np.ndarray, nu: float) -> np.ndarray:
    """Student-t observation weights of seats with squared standardised centred surprises ``m2``
    and ``k`` observed parties (``k - 1`` dimensions after centring): ``(nu + k - 1) / (nu + m2)``,
    the E-step weight of a multivariate t with ``nu`` degrees of freedom (Lange, Little and Taylor
    1989), capped at 1: a seat at or below its expected ``m2`` keeps the Gaussian weight."""
    return np.minimum(1.0, (nu + k - 1.0) / (nu + m2))


class SeatStore:
    """Declared seats for a reweighted (robust) update: each seat's design rows, residuals and
    information at weight 1, and its current weight. :meth:`mahalanobis` computes every seat's
    squared centred surprise in one pass over the stacked rows."""

    def __init__(self):
        self.info: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.weights = np.zeros(0)
        self._rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._stacked = None

    def add(self, d, cols, vals, used, block, vec) -> None:
        self._rows.append((d, cols, vals))
        self.info.append((used, block, vec))
        self.weights = np.r_[self.weights, 0.0]
        self._stacked = None

    def _stack(self):
        if self._stacked is None:
            d, cols, vals = (np.concatenate([r[i] for r in self._rows]) for i in range(3))
            seat = np.repeat(np.arange(len(self._rows)), [len(r[0]) for r in self._rows])
            self._stacked = d, cols, vals.astype(float), seat, np.bincount(seat)
        return self._stacked

    def mahalanobis(self, theta: np.ndarray, sd: float) -> tuple[np.ndarray, np.ndarray]:
        """``(m2, k)`` per seat: the sum of squares of its centred surprise against ``theta``
        (:func:`centred_surprise`) over ``sd**2``, and its number of observed parties."""
        d, cols, vals, seat, k = self._stack()
        r = d - (vals * theta[cols]).sum(axis=1)
        r -= (np.bincount(seat, r) / k)[seat]
        return np.bincount(seat, r * r) / sd**2, k

    def set_weights(self, w: np.ndarray, tol: float = 1e-4) -> list[tuple[int, float]]:
        """Store new weights; returns ``(seat, new - old)`` for those that moved by more than ``tol``."""
        moved = np.flatnonzero(np.abs(w - self.weights) > tol)
        out = [(int(s), float(w[s] - self.weights[s])) for s in moved]
        self.weights[moved] = w[moved]
        return out


def precision_factor(precision: np.ndarray) -> np.ndarray:
    """Lower Cholesky factor ``L`` of a precision matrix (``precision = L L'``)."""
    return np.linalg.cholesky((precision + precision.T) / 2.0)


def cho_mean(factor: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """Posterior mean ``Lambda^-1 eta`` from the Cholesky factor of ``Lambda``."""
    from scipy.linalg import cho_solve

    return cho_solve((factor, True), eta)


def posterior(prior_precision: np.ndarray, info: np.ndarray, eta: np.ndarray):
    """Posterior mean and the lower Cholesky factor ``L`` of the posterior precision."""
    factor = precision_factor(prior_precision + info)
    return cho_mean(factor, eta), factor


def state_draws(rng: np.random.Generator, mean: np.ndarray, factor: np.ndarray, n: int,
                antithetic: bool = False) -> np.ndarray:
    """``(n, Q + 1)`` float32 state draws with a trailing zero column (the missing entry).

    ``factor``: lower Cholesky factor ``L`` of the precision; ``x = L'^-1 z`` has covariance
    ``(L L')^-1``. ``antithetic``: the second half of the draws mirrors the first about the mean
    (``z`` and ``-z``; Hammersley and Morton 1956), so that the draws' centre is exactly the mean
    and the Monte Carlo error of the medians of the totals, which move nearly linearly with the
    state, mostly cancels."""
    from scipy.linalg import solve_triangular

    if antithetic:
        half = rng.standard_normal((len(mean), -(-n // 2)), dtype=np.float32)
        z = np.concatenate([half, -half], axis=1)[:, :n]
    else:
        z = rng.standard_normal((len(mean), n), dtype=np.float32)
    out = np.zeros((n, len(mean) + 1), np.float32)
    out[:, :-1] = mean + solve_triangular(factor.astype(np.float32), z, lower=True, trans="T").T
    return out


def effect_matrix(cols: np.ndarray, vals: np.ndarray, q: int):
    """Sparse ``(seat * k, Q + 1)`` matrix of the state's coefficients in each seat-contender's
    log strength (``cols``/``vals`` (seat, k, m) :func:`design` rows): effects = ``E @ theta``."""
    from scipy.sparse import csr_matrix

    s, k, m = cols.shape
    rows = np.repeat(np.arange(s * k), m)
    return csr_matrix((vals.ravel().astype(np.float32), (rows, cols.ravel())), shape=(s * k, q + 1))


def win_probs(logw: np.ndarray, theta: np.ndarray, cols: np.ndarray, vals: np.ndarray,
              beta: float) -> np.ndarray:
    """``(seat, k, draw)`` win probabilities of each seat's contenders.

    ``logw`` (seat, k) log contest strength (log share + log top-candidate fraction, -inf
    for no candidate); ``theta`` (draw, Q+1) state draws; ``cols``/``vals`` (seat, k, m).
    The effects are one sparse product (:func:`effect_matrix`), in (seat, k, draw) layout so
    that the softmax over contenders runs on contiguous rows of draws.
    """
    s, k, _ = cols.shape
    z = effect_matrix(cols, vals, theta.shape[1] - 1) @ theta.T
    z = np.asarray(z, np.float32).reshape(s, k, len(theta))
    z += logw[..., None]
    if beta <= 0:
        return (np.arange(k)[:, None] == np.argmax(z, axis=1)[:, None, :]).astype(np.float32)
    z *= np.float32(1.0 / beta)
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def _indicator(cells: np.ndarray, n_cells: int, dtype=np.float32):
    """Sparse ``(n_cells, len(cells))`` 0/1 matrix: row ``c`` picks the entries in cell ``c``."""
    from scipy.sparse import csr_matrix

    ones = np.ones(len(cells), dtype)
    return csr_matrix((ones, (cells, np.arange(len(cells)))), shape=(n_cells, len(cells)))


def seat_moments(p: np.ndarray, cont: np.ndarray, n_party: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean ``(draw, party)`` and covariance ``(draw, party, party)`` of the seat totals of
    independent seats with contender win probabilities ``p`` (seat, k, draw), ``cont`` (seat, k).

    A seat is one categorical draw (mean ``q``, covariance ``diag(q) - q q'`` with ``q`` its
    probabilities by party); seats add up. The sums over the seats of each party (pair) cell
    are sparse products.
    """
    s, k, d = p.shape
    if s == 0:
        return np.zeros((d, n_party)), np.zeros((d, n_party, n_party))
    flat = p.reshape(s * k, d)
    ind = _indicator(cont.ravel(), n_party, p.dtype)
    mean, square = (ind @ flat).astype(np.float64), (ind @ flat**2).astype(np.float64)
    pairs = [(c, c2) for c in range(k) for c2 in range(c + 1, k)]  # a seat's contenders are distinct
    cross = np.zeros((n_party * n_party, d))
    if pairs:
        prods = np.concatenate([p[:, c] * p[:, c2] for c, c2 in pairs])
        cells = np.concatenate([cont[:, c] * n_party + cont[:, c2] for c, c2 in pairs])
        cross = (_indicator(cells, n_party * n_party, p.dtype) @ prods).astype(np.float64)
    cross = cross.reshape(n_party, n_party, d).transpose(2, 0, 1)
    cov = -(cross + cross.transpose(0, 2, 1))
    diag = np.arange(n_party)
    cov[:, diag, diag] += (mean - square).T
    return mean.T, cov


def normal_totals(mean: np.ndarray, cov: np.ndarray, rng: np.random.Generator, inner: int,
                  cap: np.ndarray) -> np.ndarray:
    """``(draw * inner, party)`` integer totals drawn from ``N(mean, cov)`` per outer draw.

    The sum of many independent seats is close to normal (Lyapunov's central limit theorem).
    Draws are clipped to ``[0, cap]`` (cap: seats a party contends), rescaled to the number of
    seats and rounded by largest remainder (ties to the first party), so every draw's totals
    add up to the seats.
    """
    d, n_party = mean.shape
    # the covariance is singular (totals add up to the seats): a small ridge makes it definite
    factor = np.linalg.cholesky(cov + (1e-3 + 1e-5 * mean.sum(axis=1))[:, None, None] * np.eye(n_party))
    z = rng.standard_normal((d, inner, n_party), dtype=np.float32)
    x = z @ factor.transpose(0, 2, 1).astype(np.float32)
    x += mean[:, None, :].astype(np.float32)
    x = np.clip(x, 0.0, cap.astype(np.float32), out=x).reshape(d * inner, n_party)
    return round_to_total(x, np.rint(mean.sum(axis=1)).repeat(inner))


def round_to_total(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """``(draw, party)`` non-negative reals rescaled to add up to ``n`` (draw,) and rounded by
    largest remainder (ties to the first party): whole seats that add up.

    Computed as rounding to nearest, then giving the few missing seats to the largest
    remainders (or taking the excess from the smallest), one seat per pass: the same result as
    sorting every row's remainders, without the sort."""
    total = x.sum(axis=1, dtype=float)
    x = x * np.divide(n, total, out=np.zeros_like(total), where=total > 0).astype(x.dtype)[:, None]
    base = np.floor(x + 0.5)
    rem = x - base  # in [-0.5, 0.5)
    gap = (n - base.sum(axis=1)).astype(int)
    for sign in (1, -1):
        rows = np.flatnonzero(gap * sign > 0)
        r = sign * rem[rows]  # short: largest remainders first; over: smallest first
        if sign < 0:
            r = r[:, ::-1]  # ties to the last party when taking seats away
        for _ in range(int(abs(gap[rows]).max(initial=0))):
            j = np.argmax(r, axis=1)
            live = gap[rows] * sign > 0
            r[np.flatnonzero(live), j[live]] = -np.inf  # a party moves by one seat at most
            col = j[live] if sign > 0 else x.shape[1] - 1 - j[live]
            base[rows[live], col] += sign
            gap[rows[live]] -= sign
    return base.astype(np.int16)


def round_move(move: np.ndarray) -> np.ndarray:
    """``(party,)`` whole seats nearest to a ``move`` of the totals that adds up to (about) zero:
    floors, then one more seat to the largest remainders until the sum is the rounded sum of
    ``move``. Adding it to whole-seat draws keeps them whole and adding up, and moves every
    quantile of every party by exactly its entry."""
    base = np.floor(move)
    gap = int(round(float(move.sum() - base.sum())))
    base[np.argsort(-(move - base), kind="stable")[:gap]] += 1
    return base


def quantiles(seats: np.ndarray, qs) -> np.ndarray:
    """``(q, party)`` quantiles of ``(draw, party)`` whole-seat totals (inverted CDF, no
    interpolation: the smallest total whose share of draws at or below it reaches ``q``),
    from each party's counts of draws per total."""
    n = len(seats)
    need = np.ceil(np.asarray(qs, float) * n - 1e-9 * n)  # draws at or below the quantile
    out = np.zeros((len(qs), seats.shape[1]), seats.dtype)
    for j in range(seats.shape[1]):
        cum = np.cumsum(np.bincount(seats[:, j].astype(np.intp)))
        out[:, j] = np.searchsorted(cum, np.maximum(need, 1))
    return out
