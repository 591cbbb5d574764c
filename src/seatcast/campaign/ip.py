"""The seat-flip integer program, solved to proven optimality by HiGHS (``scipy.optimize.milp``).

Votes in one seat affect only that seat, so "fewest votes to reach a seat-count goal"
separates into a per-seat cost of each possible new winner (``cost``, from
:mod:`seatcast.campaign.kernels`) and a choice of flips:

    minimise   sum cost[s, w] * y[s, w]
    subject to sum_w y[s, w] <= 1                      for every seat s
               A @ (n0 + sum y[s, w] (e_w - e_cur(s))) >= b
               y binary.

Exact pruning (never changes the optimum): a flip whose coefficients in ``A`` are all
<= 0 never helps a ``>=`` goal and costs votes, so it is dropped; among flips in one seat
with identical coefficients only the cheapest is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from seatcast.errors import InfeasibleError, SeatcastError


@dataclass(frozen=True)
class FlipSolution:
    """``flips``: ``(k, 2)`` array of (seat, new winner); ``cost``: total votes."""

    flips: np.ndarray
    cost: float
    label: str


def _candidates(cost, current, fixed, coef_of):
    seat, dest = np.nonzero(np.isfinite(cost) & ~fixed[:, None])
    keep = dest != current[seat]
    seat, dest = seat[keep], dest[keep]
    coef = coef_of[:, dest].T - coef_of[:, current[seat]].T  # (k, rows)
    useful = (coef > 1e-12).any(axis=1)
    seat, dest, coef = seat[useful], dest[useful], coef[useful]
    c = cost[seat, dest]
    order = np.lexsort((dest, c))
    key = np.column_stack([seat[order], coef[order]])
    _, first = np.unique(key, axis=0, return_index=True)
    pick = order[np.sort(first)]
    return seat[pick], dest[pick], coef[pick], c[pick]


def solve_one(cost, current, fixed, A, b, label="goal") -> FlipSolution | None:
    """Cheapest flips making ``A @ n >= b``; ``None`` if impossible."""
    n0 = np.bincount(current, minlength=cost.shape[1]).astype(float)
    need = b - A @ n0
    if (need <= 1e-9).all():
        return FlipSolution(np.zeros((0, 2), int), 0.0, label)
    seat, dest, coef, c = _candidates(cost, current, fixed, A)
    if len(c) == 0 or (np.maximum(coef, 0).sum(axis=0) < need - 1e-9).any():
        return None
    rows = np.unique(seat, return_inverse=True)[1]
    one = sparse.csr_array((np.ones(len(c)), (rows, np.arange(len(c)))))
    cons = [LinearConstraint(sparse.csr_array(coef.T), need, np.inf), LinearConstraint(one, 0, 1)]
    res = milp(c, constraints=cons, integrality=np.ones(len(c)), bounds=Bounds(0, 1),
               options={"mip_rel_gap": 0.0, "presolve": True})
    if res.status == 2:  # proven infeasible
        return None
    check_status(res)
    chosen = res.x > 0.5
    return FlipSolution(np.column_stack([seat[chosen], dest[chosen]]), float(c[chosen].sum()), label)


class SolverError(SeatcastError):
    """The solver stopped without a proven answer (time or iteration limit, numerical trouble):
    not the same as a goal that cannot be reached (:class:`InfeasibleError`)."""


def check_status(res) -> None:
    """Raise :class:`SolverError` unless ``scipy.optimize.milp`` proved ``res`` optimal (status 0)."""
    if res.status != 0 or res.x is None:
        raise SolverError("solver", f"HiGHS stopped without a proven optimum (status {res.status}: "
                          f"{res.message}); the goal was not shown to be infeasible")


def lower_bound(cost, current, fixed, A, b) -> float:
    """A valid lower bound on :func:`solve_one`'s cost (fractional knapsack on one row).

    For a one-row goal, dropping the one-flip-per-seat and integrality constraints leaves a
    fractional knapsack, solved exactly by taking flips in order of cost per unit of
    coefficient. For several rows it returns 0.
    """
    n0 = np.bincount(current, minlength=cost.shape[1]).astype(float)
    need = float((b - A @ n0)[0]) if len(b) == 1 else 0.0
    if need <= 0:
        return 0.0
    _, _, coef, c = _candidates(cost, current, fixed, A)
    if len(c) == 0 or coef[:, 0].clip(0).sum() < need:
        return np.inf
    gain = coef[:, 0].clip(1e-12)
    order = np.argsort(c / gain, kind="stable")
    covered = np.cumsum(gain[order])
    k = int(np.searchsorted(covered, need))
    before = covered[k - 1] if k else 0.0
    return float(c[order[:k]].sum() + (need - before) / gain[order[k]] * c[order[k]])


def solve(cost, current, fixed, alternatives, reason: str) -> FlipSolution:
    """Best over a goal's alternatives; :class:`InfeasibleError` (field ``goal``) if none works.

    Alternatives are tried in order of :func:`lower_bound`; one whose bound is no better
    than the best answer so far is skipped (exact: it cannot do better).
    """
    bounds = [lower_bound(cost, current, fixed, A, b) for A, b, _ in alternatives]
    best = None
    for i in np.argsort(bounds, kind="stable"):
        A, b, label = alternatives[i]
        if not np.isfinite(bounds[i]) or (best is not None and bounds[i] >= best.cost):
            continue
        sol = solve_one(cost, current, fixed, A, b, label)
        if sol is not None and (best is None or sol.cost < best.cost):
            best = sol
    if best is None:
        raise InfeasibleError("goal", f"infeasible: {reason}")
    return best
