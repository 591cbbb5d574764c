"""The one place campaign analytics takes Monte Carlo draws from ``seatcast.simulate``.

Draws are ``(chunk, seat, party)`` seat shares from
:func:`seatcast.simulate.engine.draw_shares`, with error scales from
:func:`seatcast.simulate.calibration.fit_scales` (calibrated leave-one-election-out:
pass the election being forecast as ``exclude``).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

MAX_DRAWS = 20000


def share_draws(prep, draws: int, seed: int, model: str, exclude: str | None = None) -> Iterator[np.ndarray]:
    """Yield ``(chunk, seat, party)`` share draws for a prepared projection."""
    from seatcast.errors import SeatcastError
    from seatcast.simulate.calibration import fit_scales
    from seatcast.simulate.engine import draw_shares

    if not 1 <= draws <= MAX_DRAWS:
        raise SeatcastError("draws", f"{draws} must be between 1 and {MAX_DRAWS}")
    return draw_shares(prep, draws, np.random.default_rng(seed), fit_scales(model, exclude=exclude))


def scales(model: str, exclude: str | None = None) -> dict:
    from seatcast.simulate.calibration import fit_scales

    return fit_scales(model, exclude=exclude).as_dict()


def all_draws(prep, draws: int, seed: int, model: str, exclude: str | None = None) -> np.ndarray:
    """``(draw, seat, party)`` share draws as one array (float32 to bound memory)."""
    return np.concatenate([c.astype(np.float32) for c in share_draws(prep, draws, seed, model, exclude)])
