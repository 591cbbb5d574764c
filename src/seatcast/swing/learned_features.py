"""Kernels of the learned swing model: pure NumPy on ``(..., seat, party)`` arrays.

The model (see :mod:`seatcast.swing.learned`) writes a seat's share change as a sum of
*drivers* times learned *fields*::

    s'[s, p] = s[s, p] + sum_d driver_d(dN)[..., s, p] * field[d, s, p]

* ``dN``: ``(..., seat, party)`` the change ``new - old`` of the seat's area (nation or
  region); leading axes are draws.
* a *driver* is a function of ``dN`` and the baseline (:data:`DRIVERS`), e.g. the party's own
  area change, or the change of the party that won the seat. Every driver but ``level`` is
  zero when ``dN`` is zero; ``level`` (a constant) only carries incumbency features, which
  are zero unless the candidates of the election predicted are known.
* ``field``: ``(driver, seat, party)`` the learned coefficients dotted with the seat's
  features (covariates, tactical position), computed once at fit time.

The raw result is clipped at zero and raked to the area targets (:func:`rake`).
"""

from __future__ import annotations

import numpy as np

from seatcast.swing import kernels

#: Names of the drivers, in the order of the ``driver`` axis.
DRIVERS = ("own", "own_loss_prop", "own_gain_prop", "winner", "radical_right", "con", "lab", "level")
RATIO_CAP = 4.0  # cap on s_p / N_p, so a party's share in its best seat cannot explode


def ratio(shares: np.ndarray, old: np.ndarray) -> np.ndarray:
    """(seat, party) a party's seat share over its area share, capped at :data:`RATIO_CAP`."""
    r = np.divide(shares, old, out=np.zeros_like(shares), where=old > 0)
    return np.minimum(r, RATIO_CAP)


def drivers(dn: np.ndarray, shares: np.ndarray, old: np.ndarray, winner: np.ndarray,
            rr: np.ndarray, con: int, lab: int) -> np.ndarray:
    """(driver, ..., seat, party) driver values.

    ``dn``: (..., seat, party) area change; ``shares``/``old``: (seat, party) baseline seat and
    area shares; ``winner``: (seat,) column of the seat's winner; ``rr``: (party,) bool mask of
    the UKIP -> Brexit -> Reform family columns; ``con``/``lab``: column index or -1 if absent.
    """
    r = ratio(shares, old)
    seat = np.arange(shares.shape[0])
    ones = np.ones(shares.shape[-1])

    def whole(col):  # (..., seat) -> (..., seat, party)
        return col[..., None] * ones

    rr_dn = whole((dn * rr).sum(axis=-1))
    zero = np.zeros_like(dn)
    return np.stack([
        dn,
        np.minimum(dn, 0.0) * r,
        np.maximum(dn, 0.0) * r,
        whole(dn[..., seat, winner]),
        rr_dn,
        whole(dn[..., con]) if con >= 0 else zero,
        whole(dn[..., lab]) if lab >= 0 else zero,
        np.ones_like(dn),
    ])


def apply(shares: np.ndarray, drv: np.ndarray, field: np.ndarray) -> np.ndarray:
    """(..., seat, party) raw shares ``shares + sum_d drv[d] * field[d]``, clipped at zero."""
    delta = np.einsum("d...sp,dsp->...sp", drv, field)
    return np.clip(shares + delta, 0.0, None)


def rake(raw: np.ndarray, new: np.ndarray, area: np.ndarray, weights: np.ndarray,
         iterations: int = 60, tol: float = 1e-5) -> np.ndarray:
    """Iterative proportional fitting of (..., seat, party) shares to area targets.

    Alternately scales each party's column in each area so its vote-weighted mean equals
    the target ``new`` ((..., seat, party), the seat's area target) and rescales each seat's
    row to sum to 1 (Deming & Stephan 1940). ``weights``: (seat,) baseline votes. A party with
    a target but no raw vote anywhere in its area starts from its target in every seat.
    """
    matrix = kernels.area_matrix(area, weights)
    target = np.matmul(matrix, new)  # ``new`` is constant within an area: its mean is the target
    start = np.take(np.matmul(matrix, raw), area, axis=-2)
    x = np.where((start <= 0) & (new > 0), new, raw)
    return kernels.rake(x, target, area, matrix, iterations, tol)
