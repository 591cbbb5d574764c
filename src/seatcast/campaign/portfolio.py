"""Target portfolio: which N seats to campaign in, given a forecast.

Model of a campaign (an assumption, stated so it can be changed): targeting a seat adds
``effect`` (default 2 points) to the party's share there, the other parties shrinking in
proportion. Studies of British constituency campaigning (Pattie, Johnston and colleagues;
Fisher, Cutts and Fieldhouse on ground campaigns) find effects of this order - a few
points at most - so the default is a user-set assumption, not an estimate.

With Monte Carlo draws of the forecast (:mod:`seatcast.campaign.montecarlo`), targeting
seat s *gains* a seat in draw d when the party wins s with the effect but not without it
(for a seat it holds, this is a defence that holds). Seats gain independently, so:

* **expected seats**: the best N seats are those with the largest gain in win probability
  ``p1 - p0`` (a sum of separate terms: sorting is exact);
* **P(majority)**: choose ``z_s`` (seat targeted) and ``g_d`` (draw reaches the
  goal) to maximise ``sum g_d`` subject to ``sum_s gain[d, s] z_s >= need_d g_d`` and
  ``sum z_s <= N``, with ``need_d = 326 - seats_d``; an integer program (HiGHS, proven
  optimal) over the ``candidates`` seats with the largest ``p1 - p0``.

Both are compared with the naive list: the seats with the smallest majorities (the
party's defences by majority over the runner-up, and its targets by the winner's
majority over it) in the central projection, smallest first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from seatcast import defaults
from seatcast.campaign import common, montecarlo
from seatcast.campaign.ip import check_status
from seatcast.errors import SeatcastError
from seatcast.parliament import MAJORITY
from seatcast.parliament.kernels import seat_counts, winner_index
from seatcast.rules import SPEAKER

OBJECTIVES = ("expected", "majority")


@dataclass(frozen=True)
class Portfolio:
    """The chosen seats and how they compare with the naive list, with the inputs."""

    party: str
    budget: int
    objective: str
    effect: float
    baseline: str
    model: str
    scenario: dict
    draws: int
    seed: int
    seats: tuple[dict, ...]  # ons_code, constituency, kind, p_without, p_with
    naive: tuple[dict, ...]
    summary: dict  # per list: expected seats, P(majority), P(largest)
    data_version: str
    notes: tuple[str, ...] = ()  # e.g. why a majority objective fell back to expected seats

    def as_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def boost(shares: np.ndarray, j: int, effect: float) -> np.ndarray:
    """``(..., seat, party)`` shares with ``effect`` added to party ``j``, others scaled to make room."""
    s = shares * ((1 - np.minimum(shares[..., [j]] + effect, 1)) / np.maximum(1 - shares[..., [j]], 1e-12))
    s[..., j] = np.minimum(shares[..., j] + effect, 1)
    return s


def win_arrays(draws: np.ndarray, top_frac: np.ndarray, j: int, effect: float):
    """``(draw, seat)`` winners without the campaign effect and whether the party wins with it."""
    w0 = winner_index(draws, top_frac)
    w1 = winner_index(boost(draws, j, effect), top_frac)
    return w0, w1 == j


def counts_after(w0: np.ndarray, has1: np.ndarray, idx: np.ndarray, j: int, n_party: int) -> np.ndarray:
    """``(draw, party)`` seat counts when the seats ``idx`` are targeted."""
    win = w0.copy()
    sub = win[:, idx]
    win[:, idx] = np.where(has1[:, idx], j, sub)
    return seat_counts(win, n_party)


def live_draws(gain: np.ndarray, need: np.ndarray) -> np.ndarray:
    """``(draw,)`` draws short of the goal that targeting every candidate seat could bring to it."""
    return (need > 0) & (gain.sum(axis=1) >= need)


def best_for_goal(gain: np.ndarray, need: np.ndarray, budget: int) -> np.ndarray:
    """``(seat,)`` indices maximising the draws with ``gain @ z >= need`` (``gain``: (draw, seat));
    with no such draw, the seats of largest total gain (the expected-seats list)."""
    live = live_draws(gain, need)
    g, nd = gain[live].astype(float), need[live].astype(float)
    n_s, n_d = gain.shape[1], len(nd)
    if n_d == 0:
        return np.argsort(-gain.sum(axis=0), kind="stable")[:budget]
    c = np.concatenate([np.zeros(n_s), -np.ones(n_d)])
    cover = sparse.hstack([sparse.csr_array(g), sparse.diags_array(-nd)]).tocsr()
    cap = sparse.csr_array(np.concatenate([np.ones(n_s), np.zeros(n_d)])[None, :])
    res = milp(c, constraints=[LinearConstraint(cover, 0, np.inf), LinearConstraint(cap, 0, budget)],
               integrality=np.ones(n_s + n_d), bounds=Bounds(0, 1), options={"mip_rel_gap": 0.0})
    check_status(res)  # the all-zero plan is always feasible, so anything but optimal is a failure
    chosen = np.flatnonzero(res.x[:n_s] > 0.5)
    rest = [s for s in np.argsort(-gain.sum(axis=0), kind="stable") if s not in set(chosen)]
    return np.concatenate([chosen, rest[: budget - len(chosen)]]).astype(int)


def naive_list(fld: common.Field, j: int, budget: int, seats: np.ndarray) -> np.ndarray:
    """``(budget,)`` positions in ``seats`` (indices) of those with the smallest majority involving
    the party."""
    comp = fld.comp[seats]
    mine = comp[:, j]
    best_other = np.delete(comp, j, axis=1).max(axis=1)
    margin = np.abs(best_other - mine)
    return np.argsort(margin, kind="stable")[:budget]


def _evaluate(idx, w0, has1, j, n_party, held):
    counts = counts_after(w0, has1, idx, j, n_party)
    seats = counts[:, j]
    rival = np.delete(counts, j, axis=1).max(axis=1)
    return {"expected_seats": round(float(seats.mean()), 2),
            "p_majority": round(float((seats >= MAJORITY).mean()), 4),
            "p_largest": round(float((seats > rival).mean()), 4),
            "defensive": int(held[idx].sum()), "offensive": int((~held[idx]).sum())}


def _rows(fld, idx, p0, p1, held):
    """The seats of a list, largest gain in win probability first (``gain = p_with - p_without``)."""
    idx = idx[np.argsort(-(p1 - p0)[idx], kind="stable")]
    return tuple({"ons_code": fld.codes[s], "constituency": fld.seats["constituency"].iat[s],
                  "kind": "defensive" if held[s] else "offensive",
                  "p_without": round(float(p0[s]), 4), "p_with": round(float(p1[s]), 4),
                  "gain": round(float(p1[s] - p0[s]), 4)} for s in idx)


def portfolio(party: str, budget: int, scenario, baseline: str = defaults.BASELINE,
              model: str = defaults.MODEL, objective: str = "expected", effect: float = 0.02,
              draws: int = defaults.CAMPAIGN_DRAWS, seed: int = defaults.SEED,
              candidates: int = 100, exclude: str | None = None) -> Portfolio:
    """Choose ``budget`` seats for ``party`` maximising ``objective`` (see the module docstring)."""
    from seatcast.swing.project import prepare_projection, projection_from

    party = common.campaign_party(party, "party")

    if objective not in OBJECTIVES:
        raise SeatcastError("objective", f"unknown objective {objective!r}", OBJECTIVES)
    if not 0 < effect < 0.5:
        raise SeatcastError("effect", f"{effect} must be a share between 0 and 0.5 (0.02 = 2 points)")
    prep = prepare_projection(scenario, baseline, model)
    proj = projection_from(scenario, prep)
    fld = common.from_projection(proj)
    j = fld.index(party, campaigning=True)
    stands = np.flatnonzero((fld.votes[:, j] > 0) & (fld.winners != SPEAKER))
    if not 1 <= budget <= len(stands):
        raise SeatcastError("budget", f"{budget} is not from 1 to {len(stands)}: {fld.parties[j]} stands in "
                                      f"{len(stands)} seats that can change hands on {fld.label}")
    sims = montecarlo.all_draws(prep, draws, seed, model, exclude)
    w0, has1 = win_arrays(sims, fld.top_frac, j, effect)
    has0, n_party = w0 == j, len(fld.parties)
    p0, p1 = has0.mean(axis=0), has1.mean(axis=0)
    cand = stands[np.argsort(-(p1 - p0)[stands], kind="stable")][:max(candidates, budget)]
    notes = ()
    if objective == "expected":
        chosen = cand[:budget]
    else:
        gain = (has1[:, cand] & ~has0[:, cand]).astype(np.int8)
        need = MAJORITY - has0.sum(axis=1)
        chosen = cand[best_for_goal(gain, need, budget)]
        if not live_draws(gain, need).any():
            why = (f"{fld.parties[j]} has a majority in every draw without a campaign" if (need <= 0).all()
                   else f"no draw gives {fld.parties[j]} a majority even with all {len(cand)} best seats "
                        "targeted")
            notes = (f"objective majority: {why}, so the list maximises expected seats instead",)
    naive = stands[naive_list(fld, j, budget, stands)]
    held = fld.winner_idx == j
    summary = {"none": _evaluate(np.array([], int), w0, has1, j, n_party, held),
               "optimised": _evaluate(chosen, w0, has1, j, n_party, held),
               "naive_smallest_majority": _evaluate(naive, w0, has1, j, n_party, held)}
    return Portfolio(fld.parties[j], budget, objective, effect, baseline, proj.model, scenario.as_dict(),
                     draws, seed, _rows(fld, chosen, p0, p1, held), _rows(fld, naive, p0, p1, held),
                     summary, fld.data_version, notes)
