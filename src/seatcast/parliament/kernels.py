"""NumPy kernels for counting seats. Arrays are ``(..., seat, party)``; no pandas here."""

from __future__ import annotations

import numpy as np


def winner_index(shares: np.ndarray, top_frac: np.ndarray) -> np.ndarray:
    """Index of the winning party in each seat: ``(..., seat, party) -> (..., seat)``.

    The contest is between candidates, so a party bucket holding several candidates
    (independents, others) competes with its largest candidate only: ``shares * top_frac``.
    """
    return np.argmax(shares * top_frac, axis=-1)


def seat_counts(winners: np.ndarray, n_parties: int) -> np.ndarray:
    """Seats per party: ``(..., seat)`` winner indices -> ``(..., party)`` counts."""
    flat = winners.reshape(-1, winners.shape[-1])
    offset = np.arange(flat.shape[0])[:, None] * n_parties
    counts = np.bincount((flat + offset).ravel(), minlength=flat.shape[0] * n_parties)
    return counts.reshape(*winners.shape[:-1], n_parties)


def margins(shares: np.ndarray, top_frac: np.ndarray) -> np.ndarray:
    """Winning margin in each seat: ``(..., seat, party) -> (..., seat)``, first minus second
    decisive share (``shares * top_frac``, as in :func:`winner_index`)."""
    eff = shares * top_frac
    if eff.shape[-1] < 2:
        return eff[..., 0]
    top2 = -np.partition(-eff, 1, axis=-1)[..., :2]
    return top2[..., 0] - top2[..., 1]


def swing_to_flip(shares: np.ndarray, top_frac: np.ndarray) -> np.ndarray:
    """The Butler two-party swing from the winner to the runner-up that would level them: half
    the winning margin (Butler, *The British General Election of 1951*). ``(..., seat)``, as a
    fraction (multiply by 100 for points)."""
    return margins(shares, top_frac) / 2.0


def tied(shares: np.ndarray, top_frac: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """``(..., seat)`` True where the two leading candidates' decisive shares are equal (within
    ``tol``): a tie, decided by lot in a real count (see :mod:`seatcast.rules`)."""
    return margins(shares, top_frac) <= tol
