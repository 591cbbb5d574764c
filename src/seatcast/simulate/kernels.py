"""Monte Carlo kernels: pure NumPy, no pandas.

Array dimensions used here:

* ``c``: outer draws in a chunk (each carries one national and one regional error draw).
* ``r``: inner replicates per outer draw (independent seat-level errors).
* ``area``: the scenario's target areas (nations, or regions where overridden).
* ``region``: the 12 ITL1 regions used for the regional error (9 English regions, Scotland,
  Wales, Northern Ireland).
* ``seat``, ``party``: as everywhere in seatcast; ``k``: a seat's contender slots.

Errors live on the log scale (log-ratio): a share ``s`` becomes ``s * exp(e)`` and each row is
renormalised, so shares stay in [0, 1], sum to one, and a party with no vote keeps none
(Aitchison, *The Statistical Analysis of Compositional Data*, 1986).

Seat-level errors are i.i.d. Gumbel with scale ``beta`` on the log scale. By the Gumbel-max
identity (Gumbel 1954; McFadden 1974, conditional logit), the winner of
``argmax(log w + G)`` is then a categorical draw with probabilities ``w**(1/beta)``
normalised, so seat win probabilities given the national and regional draws are exact and
one uniform number per (draw, seat) decides a seat. ``beta = sigma * sqrt(6) / pi`` gives the
Gumbel the standard deviation ``sigma``; the difference of two such errors is logistic with
standard deviation ``sigma * sqrt(2)``, as for two normal errors.
"""

from __future__ import annotations

import numpy as np

#: Seats are sampled among at least this many contenders per seat and chunk (the parties
#: most likely to win there), widened until no seat leaves out more than ``MAX_DROPPED``.
CONTENDERS = 3
MAX_DROPPED = 1e-3


def gumbel_beta(sigma: float) -> float:
    """Gumbel scale with standard deviation ``sigma`` (variance ``pi**2 beta**2 / 6``)."""
    return float(sigma) * np.sqrt(6.0) / np.pi


def perturb(shares: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """``(..., party)`` shares times ``exp(eps)``, renormalised over the last axis."""
    x = shares * np.exp(eps)
    total = x.sum(axis=-1, keepdims=True)
    return np.divide(x, total, out=np.zeros_like(x), where=total > 0)


def national_targets(new: np.ndarray, eps: np.ndarray, polled: np.ndarray) -> np.ndarray:
    """Apply national errors to area targets.

    ``new`` (area, party) targets; ``eps`` (c, party) one national error per party and draw;
    ``polled`` (area,) True for areas the national polls cover (GB). Returns (c, area, party).
    """
    e = eps[:, None, :] * polled[None, :, None]
    return perturb(new[None].astype(eps.dtype), e)


def win_probs(w: np.ndarray, beta: float, eps: np.ndarray | None = None) -> np.ndarray:
    """Seat win probabilities ``(..., seat, party)`` from contest strengths ``w = share * top_frac``.

    ``softmax((log(w) + eps) / beta)`` along the party axis, where ``eps`` is an optional
    log-scale error of the same shape (renormalising shares would not change it); parties
    with ``w == 0`` get 0. With ``beta == 0`` the leader (first on ties, as
    :func:`numpy.argmax`) wins with probability 1.
    """
    with np.errstate(divide="ignore"):
        z = np.log(w)
    if eps is not None:
        z += eps
    if beta <= 0:
        return (np.arange(w.shape[-1]) == np.argmax(z, axis=-1)[..., None]).astype(w.dtype)
    z *= 1.0 / beta
    z -= z.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z


def contenders(p: np.ndarray, max_dropped: float = MAX_DROPPED,
               k_min: int = CONTENDERS) -> tuple[np.ndarray, np.ndarray]:
    """Each seat's likeliest parties: ``(seat, k)`` indices and ``(seat,)`` how many count.

    ``p`` is ``(c, seat, party)``. Parties are ranked per seat by their highest win probability
    in any draw; a seat's count (at least ``k_min``) is the smallest number that leaves no
    more than ``max_dropped`` of its probability outside its contenders in any draw; ``k`` is
    the largest count.
    """
    order = np.argsort(-p.max(axis=0), axis=-1, kind="stable")
    rest = 1.0 - np.cumsum(np.take_along_axis(p, order[None], axis=-1), axis=-1)
    need = np.clip((rest.max(axis=0) > max_dropped).sum(axis=-1) + 1, min(k_min, p.shape[-1]), p.shape[-1])
    return order[:, : int(need.max())], need


def sample_counts(p: np.ndarray, cont: np.ndarray, need: np.ndarray, u: np.ndarray, n_parties: int):
    """Seat totals for every replicate: categorical seat winners counted by party.

    ``p`` (c, seat, party) win probabilities; ``cont`` (seat, k) contender indices of which the
    first ``need`` (seat,) count; ``u`` (c, r, seat) uniforms in [0, 1). Returns
    ``((c, r, party) int16 counts, (c, seat) probability outside the contenders)``.

    A seat's winner is the first contender whose cumulative probability (renormalised over
    the contenders) exceeds ``u`` (inverse-CDF sampling), i.e. ``cont[s, 0]`` plus
    ``[u > cdf_j] * (cont[s, j+1] - cont[s, j])`` summed over slots ``j``; slot ``j`` is only
    evaluated for the seats that have it.
    """
    c, r, n_seat = u.shape
    k = cont.shape[1]
    pc = np.take_along_axis(p, cont[None], axis=-1) * (np.arange(k) < need[:, None])
    mass = pc.sum(axis=-1)
    cdf = np.cumsum(pc, axis=-1)[..., : k - 1] / mass[..., None]
    cdf = np.ascontiguousarray(np.moveaxis(cdf, -1, 0))  # (k-1, c, seat)
    c16 = cont.astype(np.int16)
    party = np.broadcast_to(c16[:, 0], u.shape).copy()
    for j in range(k - 1):
        idx = np.flatnonzero(need > j + 1)
        step = c16[idx, j + 1] - c16[idx, j]
        if len(idx) == n_seat:
            party += (u > cdf[j][:, None]) * step
        else:
            party[..., idx] += (u[..., idx] > cdf[j][:, None, idx]) * step
    flat = party.reshape(c * r, n_seat).astype(np.intp)
    flat += (np.arange(c * r) * n_parties)[:, None]
    counts = np.bincount(flat.ravel(), minlength=c * r * n_parties)
    return counts.astype(np.int16).reshape(c, r, n_parties), 1.0 - mass


def seat_noise(rng: np.random.Generator, shape, beta: float, dtype=np.float64) -> np.ndarray:
    """``shape`` i.i.d. Gumbel(0, beta) seat errors on the log scale (zero if ``beta == 0``)."""
    if beta <= 0:
        return np.zeros(shape, dtype)
    return rng.gumbel(0.0, beta, size=shape).astype(dtype, copy=False)


def quantiles(seats: np.ndarray, qs) -> np.ndarray:
    """``(q, party)`` quantiles of ``(draw, party)`` seat counts (inclusive, no interpolation)."""
    return np.quantile(seats, qs, axis=0, method="inverted_cdf")
