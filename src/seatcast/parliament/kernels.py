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
