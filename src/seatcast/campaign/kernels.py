"""Pure NumPy kernels for campaign arithmetic. No pandas here.

Array dimensions (used throughout :mod:`seatcast.campaign`):

* ``votes``: ``(seat, party)`` votes of each party bucket in each seat (integers, as floats
  or ints). A bucket (``ind``, ``other``) may hold several candidates.
* ``comp``: ``(seat, party)`` votes of each bucket's *competitor*, its largest candidate
  (``round(votes * top_frac)``, see :mod:`seatcast.data.baseline`). Seats are won by the
  competitor with the most votes; a vote moved into or out of a bucket is moved into or
  out of its competitor.
* ``pool``: ``(seat, party)`` votes that may change hands away from each party (0 for a
  party whose voters may not switch).
* ``dest``: ``(seat, party)`` boolean, parties that may receive votes in each seat.
* ``cost``: ``(seat, party)`` the fewest votes that make that party win the seat
  (``inf`` if it cannot); 0 for the current winner.
"""

from __future__ import annotations

import numpy as np

from seatcast.parliament.kernels import seat_counts, winner_index

INF = np.inf


def competitors(votes: np.ndarray, top_frac: np.ndarray) -> np.ndarray:
    """``(seat, party)`` votes of each bucket's largest candidate, as integers."""
    return np.rint(votes * top_frac).astype(np.int64)


def winners(comp: np.ndarray) -> np.ndarray:
    """``(..., seat)`` index of the competitor with the most votes (lowest index on a tie)."""
    return np.argmax(comp, axis=-1)


def _required(comp: np.ndarray, w: int, t: np.ndarray, lead=1) -> np.ndarray:
    """``(seat, party)`` votes each rival must lose so ``w`` (with ``t`` more) leads by at least
    ``lead`` votes (1: strictly; a number or ``(seat,)``)."""
    req = comp - comp[:, [w]] - t[:, None] + np.reshape(lead, (-1, 1))
    req[:, w] = 0
    return np.maximum(req, 0)


def _switch_ok(comp: np.ndarray, pool: np.ndarray, w: int, t: np.ndarray, lead=1) -> np.ndarray:
    """``(seat,)`` whether ``t`` switchers into ``w`` can make ``w`` win (monotone in ``t``)."""
    req = _required(comp, w, t, lead)
    return (req <= pool).all(axis=1) & (req.sum(axis=1) <= t)


def switch_cost(comp: np.ndarray, pool: np.ndarray, w: int, lead=1) -> np.ndarray:
    """``(seat,)`` fewest voters switching *to* party ``w`` that make it win each seat outright.

    A switch from party A to ``w`` takes one vote from A and gives one to ``w``, so it
    closes the A-``w`` gap by two. With ``t`` switchers ``w`` has ``comp_w + t`` votes and
    every rival q must end strictly below that, i.e. lose ``r_q = max(0, comp_q - comp_w -
    t + 1)`` votes; this is possible iff ``r_q <= pool_q`` for every rival, ``sum r_q <= t``
    and ``t <= sum pool`` (the switchers beyond the required ones come from anyone with
    votes left in the pool). The lower conditions are monotone in ``t``, so the minimum is
    found by bisection. ``inf`` where impossible. With ``lead`` (votes, a number or ``(seat,)``)
    ``w`` must win by at least that many votes: ``r_q = max(0, comp_q - comp_w - t + lead)``.
    """
    mask = np.ones(comp.shape[1], bool)
    mask[w] = False
    hi = pool[:, mask].sum(axis=1).astype(np.int64)
    lo = np.zeros_like(hi)
    ok_hi = _switch_ok(comp, pool, w, hi, lead)
    top = hi.copy()
    while True:  # invariant: answer in [lo, top] where _switch_ok(top)
        active = lo < top
        if not active.any():
            break
        mid = (lo + top) // 2
        ok = _switch_ok(comp, pool, w, mid, lead)
        top = np.where(active & ok, mid, top)
        lo = np.where(active & ~ok, mid + 1, lo)
    return np.where(ok_hi, lo, INF).astype(float)


def switch_plan(comp: np.ndarray, pool: np.ndarray, w: int, t: np.ndarray, lead=1) -> np.ndarray:
    """``(seat, party)`` one way to split ``t`` switchers into ``w`` among source parties.

    First the votes each rival must lose (see :func:`switch_cost`), then the rest from the
    parties with pool left, largest competitor first (``t`` must be feasible).
    """
    t = np.where(np.isfinite(t), t, 0).astype(np.int64)
    take = _required(comp, w, t, lead)
    take = np.minimum(take, pool).astype(np.int64)
    left = t - take.sum(axis=1)
    spare = (pool - take).astype(np.int64)
    spare[:, w] = 0
    for q in np.argsort(-comp, axis=1, kind="stable").T:  # q: (seat,) party by rank
        rows = np.arange(len(t))
        extra = np.minimum(spare[rows, q], left)
        take[rows, q] += extra
        left -= extra
    return take


def add_cost(comp: np.ndarray, w: int) -> np.ndarray:
    """``(seat,)`` fewest new votes for ``w`` that make it win outright: ``max rival - comp_w + 1``."""
    rivals = np.delete(comp, w, axis=1)
    return np.maximum(rivals.max(axis=1) - comp[:, w] + 1, 0).astype(float)


def cost_matrix(comp: np.ndarray, pool: np.ndarray | None, dest: np.ndarray, lead=1) -> np.ndarray:
    """``(seat, party)`` cost of making each allowed destination win (``pool=None``: added votes); by
    ``lead`` votes with switchers (see :func:`switch_cost`)."""
    cost = np.full(comp.shape, INF)
    for w in range(comp.shape[1]):
        if not dest[:, w].any():
            continue
        c = add_cost(comp, w) if pool is None else switch_cost(comp, pool, w, lead)
        cost[:, w] = np.where(dest[:, w], c, INF)
    cur = winners(comp)
    cost[np.arange(len(cur)), cur] = 0.0
    return cost


def swing_needed(shares: np.ndarray, a: int, b: int | None = None) -> np.ndarray:
    """``(seat,)`` uniform swing (share points/100) to ``a`` that makes it lead each seat.

    With ``b`` given, the swing is Butler's two-party swing from ``b`` to ``a`` (``a`` up by
    x, ``b`` down by x, others unchanged), so ``a`` leads once ``a + x > b - x`` and
    ``a + x > c`` for every other c. Without ``b`` it is from each seat's leading rival.
    Negative where ``a`` already leads (the swing it could lose and still lead).
    """
    a_s = shares[:, a]
    rivals = np.delete(shares, a, axis=1)
    if b is None:
        lead = rivals.max(axis=1)
        second = np.sort(rivals, axis=1)[:, -2] if rivals.shape[1] > 1 else np.zeros(len(a_s))
        return np.maximum((lead - a_s) / 2, second - a_s)
    bb = b - (b > a)
    others = np.delete(rivals, bb, axis=1)
    third = others.max(axis=1) if others.shape[1] else np.zeros(len(a_s))
    return np.maximum((rivals[:, bb] - a_s) / 2, third - a_s)


def seats_at_swing(shares: np.ndarray, top_frac: np.ndarray, a: int, b: int, x: np.ndarray) -> np.ndarray:
    """``(swing, party)`` seats won after a uniform swing of each ``x`` from ``b`` to ``a``."""
    s = np.broadcast_to(shares, (len(x), *shares.shape)).copy()
    s[:, :, a] += x[:, None]
    s[:, :, b] -= x[:, None]
    return seat_counts(winner_index(np.clip(s, 0, None), top_frac), shares.shape[1])


def stand_aside(votes: np.ndarray, top_frac: np.ndarray, mask: np.ndarray, j: int,
                frac: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Party ``j`` withdraws in the ``(seat,)`` ``mask`` seats; ``frac`` ``(party,)`` of its votes
    pass to each party that stood there (to a bucket's largest candidate).

    Returns the new ``(seat, party)`` votes and top fractions, and the votes left at home.
    """
    moved = np.where(mask, votes[:, j], 0.0)
    stood = votes > 0
    stood[:, j] = False
    add = moved[:, None] * frac[None, :] * stood
    top_votes = votes * top_frac + add
    new = votes + add
    new[:, j] -= moved
    top_votes[:, j] = np.where(mask, 0.0, top_votes[:, j])
    top = np.divide(top_votes, new, out=np.ones_like(new), where=new > 0)
    return new, top, float(moved.sum() - add.sum())


def scale_party(votes: np.ndarray, mask: np.ndarray, j: int, factor: float) -> np.ndarray:
    """``(seat, party)`` votes with party ``j``'s votes times ``factor`` in the ``mask`` seats."""
    out = votes.copy()
    out[mask, j] *= factor
    return out
