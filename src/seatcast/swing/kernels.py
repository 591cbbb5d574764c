"""Swing-model kernels: pure NumPy on ``(..., seat, party)`` arrays.

Shapes used throughout:

* ``shares``: ``(seat, party)`` baseline vote shares of each seat (rows sum to 1).
* ``old``: ``(seat, party)`` baseline shares of the area (nation or region) each seat is in.
* ``new``: ``(..., seat, party)`` target shares of that area; leading axes are draws.

Every kernel returns ``(..., seat, party)`` shares in [0, 1] whose rows sum to 1.
"""

from __future__ import annotations

import numpy as np

#: Electoral Calculus, "Strong Transition Model 2007" (electoralcalculus.co.uk/blogs/strongmodel.html):
#: weak supporters are a party's voters up to 20% of the turnout.
STM_THRESHOLD = 0.20


def normalise(x: np.ndarray) -> np.ndarray:
    """Clip at zero and rescale each row (last axis) to sum to one."""
    x = np.clip(x, 0.0, None)
    total = x.sum(axis=-1, keepdims=True)
    return np.divide(x, total, out=np.zeros_like(x), where=total > 0)


def uns(shares: np.ndarray, old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Uniform national swing (Butler, *The British General Election of 1951*, 1952).

    ``s' = s + (N' - N)``: each party's change in the area is added to every seat; shares
    pushed below zero are clipped and each seat renormalised.
    """
    return normalise(shares + (new - old))


def proportional(shares: np.ndarray, old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Proportional swing: ``s' = s * N'/N``, then renormalised.

    A party with no baseline support in the area (``N = 0``) gets its target share
    uniformly, which the geography prior (``seatcast.swing.prior``) usually replaces.
    """
    ratio = np.divide(new, old, out=np.zeros_like(new * old), where=old > 0)
    fresh = np.where(old > 0, 0.0, new)
    return normalise(shares * ratio + fresh)


def _redistribute(shares, loss, old, new):
    """Give each seat's released votes to the gaining parties in proportion to their gains."""
    gain = np.clip(new - old, 0.0, None)
    total_gain = gain.sum(axis=-1, keepdims=True)
    split = np.divide(gain, total_gain, out=np.zeros_like(gain), where=total_gain > 0)
    released = loss.sum(axis=-1, keepdims=True)
    return normalise(shares - loss + released * split)


def transition(shares: np.ndarray, old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Electoral Calculus's transition model (electoralcalculus.co.uk, "Transition Model").

    A declining party keeps the fraction ``N'/N`` of its vote in every seat (multiplicative
    loss); the votes released in a seat go to the gaining parties in proportion to their
    national gains ``N'_p - N_p``. With ``old`` the vote-weighted mean of ``shares``, the
    area totals of the result equal ``new`` exactly.
    """
    keep = np.divide(new, old, out=np.ones_like(new * old), where=old > 0)
    loss = shares * (1.0 - np.clip(keep, 0.0, 1.0))
    return _redistribute(shares, loss, old, new)


def transition_areas(shares: np.ndarray, old: np.ndarray, new: np.ndarray, area: np.ndarray) -> np.ndarray:
    """:func:`transition` with area-level ``old`` (area, party) and ``new`` (..., area, party).

    The keep ratios and the gainers' split depend only on the area, so they are computed once per
    area and gathered per seat (``area``: (seat,) area index); same result, a fraction of the work
    (the Monte Carlo engine's path).
    """
    keep = np.clip(np.divide(new, old, out=np.ones_like(new * old), where=old > 0), 0.0, 1.0)
    gain = np.clip(new - old, 0.0, None)
    total = gain.sum(axis=-1, keepdims=True)
    split = np.divide(gain, total, out=np.zeros_like(gain), where=total > 0)
    loss = shares * (1.0 - np.take(keep, area, axis=-2))
    released = loss.sum(axis=-1, keepdims=True)
    return normalise(shares - loss + released * np.take(split, area, axis=-2))


def strong_transition(
    shares: np.ndarray,
    old: np.ndarray,
    new: np.ndarray,
    weak_area: np.ndarray,
    threshold: float = STM_THRESHOLD,
) -> np.ndarray:
    """Electoral Calculus's strong transition model (2007).

    Weak voters are a party's voters up to ``threshold`` of the turnout
    (``w = min(s, threshold)``), the rest are strong. A party losing ``L = N - N'`` in its
    area first loses weak voters, in proportion to each seat's weak vote
    (``w * L / W``, where ``W`` is the area's mean weak share, ``weak_area``), and only once
    they are all gone its strong voters, in proportion to strong vote. Released votes go to
    gainers as in :func:`transition`.
    """
    weak = np.minimum(shares, threshold)
    strong = shares - weak
    strong_area = old - weak_area
    drop = np.clip(old - new, 0.0, None)
    from_weak = np.divide(np.minimum(drop, weak_area), weak_area,
                          out=np.zeros_like(drop), where=weak_area > 0)
    from_strong = np.divide(np.clip(drop - weak_area, 0.0, None), strong_area,
                            out=np.zeros_like(drop), where=strong_area > 0)
    loss = weak * from_weak + strong * np.clip(from_strong, 0.0, 1.0)
    return _redistribute(shares, loss, old, new)


def area_mean(values: np.ndarray, area: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Vote-weighted mean of ``(seat, party)`` values over each seat's area, per seat."""
    n_areas = int(area.max()) + 1
    sums = np.zeros((n_areas, values.shape[-1]))
    np.add.at(sums, area, values * weights[:, None])
    totals = np.bincount(area, weights=weights, minlength=n_areas)[:, None]
    return (sums / totals)[area]


def area_matrix(area: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(area, seat) weights whose product with (..., seat, party) shares gives each area's
    vote-weighted mean shares."""
    m = np.zeros((int(area.max()) + 1, len(area)))
    m[area, np.arange(len(area))] = weights
    return m / m.sum(axis=1, keepdims=True)


def rake(shares: np.ndarray, target: np.ndarray, area: np.ndarray, matrix: np.ndarray, rounds: int,
         tol: float | None = None) -> np.ndarray:
    """Rescale each party's (..., seat, party) ``shares`` in every seat of an area until the area
    means (``matrix @ shares``, :func:`area_matrix`) equal ``target`` (..., area, party), rows
    renormalised to one after each round: iterative proportional fitting (Deming and Stephan,
    *Ann. Math. Stat.* 11, 1940). At most ``rounds`` rounds; with ``tol``, it stops once every
    area mean is within ``tol`` of its target."""
    out = np.array(shares, float)  # a copy, rescaled in place
    for _ in range(rounds):
        cur = np.matmul(matrix, out)
        out *= np.take(np.divide(target, cur, out=np.ones_like(cur), where=cur > 0), area, axis=-2)
        total = out.sum(axis=-1, keepdims=True)
        np.divide(out, total, out=out, where=total > 0)
        if tol is not None and np.abs(np.matmul(matrix, out) - target).max() < tol:
            break
    return out
