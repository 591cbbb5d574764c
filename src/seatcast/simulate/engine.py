"""The Monte Carlo engine: correlated errors at three levels, the swing model, seat counts.

One *draw* is a whole election: a national polling error, a regional error and an error in
every seat. Errors are on the log scale (:mod:`seatcast.simulate.kernels`):

1. **national**: one error per party and draw, ``N(0, national**2)``, applied to the targets
   of every GB area (national polls do not cover Northern Ireland). Renormalising makes
   the share errors of the parties negatively correlated: one party's overestimate is the
   others' underestimate. Then the swing model turns the area targets into seat shares.
2. **regional**: one error per party, region (the 12 ITL1 regions) and draw,
   ``N(0, regional**2)``, shared by every seat of the region.
3. **seat**: i.i.d. Gumbel errors with standard deviation ``seat``.

The national and regional errors are drawn per *outer* draw and run through the swing model;
each outer draw then gets ``inner`` independent sets of seat errors (*nested Monte Carlo*:
every draw is a valid draw of the whole model, and draws sharing an outer draw share its
national and regional error). Seat winners within an outer draw are sampled exactly by
the Gumbel-max identity, and a seat's win probability is the mean of its exact conditional
win probabilities over outer draws (Rao-Blackwellised). The Speaker's seat is held.

Work is split into chunks of outer draws, each with its own child generator spawned from
the caller's :class:`numpy.random.Generator` (``Generator.spawn``), so output depends only
on the seed, the draw counts and the chunk size, never on thread scheduling.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from seatcast import parties
from seatcast.geography import REGIONS
from seatcast.simulate import kernels
from seatcast.swing import prior
from seatcast.swing.project import Prepared, hold_speaker

#: Outer draws per chunk: bounds memory to a few (chunk, seat, party) arrays.
CHUNK = 128
REGIONS_ORDER = REGIONS  # the 12 ITL1 regions (seatcast.geography)


@dataclass(frozen=True)
class Scales:
    """Error standard deviations on the log scale (a share ``s`` moves by about ``s * sd``)."""

    national: float = 0.0
    regional: float = 0.0
    seat: float = 0.0

    def as_dict(self) -> dict:
        return {"national": self.national, "regional": self.regional, "seat": self.seat}


@dataclass(frozen=True, eq=False)
class Layout:
    """Index arrays of a prepared projection: ``polled`` (area,), ``region`` (seat,), ``fixed`` (seat,)."""

    polled: np.ndarray
    region: np.ndarray
    fixed: np.ndarray
    top_frac: np.ndarray  # (seat, party)


def layout(prep: Prepared) -> Layout:
    """Which areas the polls cover, each seat's region, and the Speaker's seat."""
    names = np.asarray(prep.targets.names)
    polled = ~np.isin(names, ["Northern Ireland"])
    region = prep.baseline.seats["region"].to_numpy()
    idx = np.searchsorted(np.asarray(sorted(REGIONS_ORDER)), region)
    return Layout(polled, idx, prior.speaker_seats(prep.baseline), prep.baseline.top_frac)


def outer_draw(prep: Prepared, lay: Layout, rng: np.random.Generator, n: int,
               scales: Scales) -> tuple[np.ndarray, np.ndarray | None]:
    """``n`` outer draws: ``(n, seat, party)`` model shares after the national error, and the
    ``(n, seat, party)`` regional log-errors of each seat (None when the scale is zero)."""
    n_party = prep.targets.new.shape[-1]
    eps = rng.standard_normal((n, n_party)) * scales.national
    new = kernels.national_targets(prep.targets.new, eps, lay.polled)
    shares = hold_speaker(prep, prep.model.predict_areas(new))
    if scales.regional <= 0:
        return shares, None
    reg = rng.standard_normal((n, len(REGIONS_ORDER), n_party), dtype=np.float32)
    reg *= np.float32(scales.regional)
    return shares, reg[:, lay.region] * ~lay.fixed[None, :, None]


def draw_shares(prepared: Prepared, draws: int, rng: np.random.Generator, scales: Scales,
                chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """Yield ``(chunk, seat, party)`` simulated seat shares, all three error levels applied.

    The explicit form of the engine (one outer draw per draw); :func:`simulate_counts`
    draws the same distribution of winners faster.
    """
    lay = layout(prepared)
    beta = kernels.gumbel_beta(scales.seat)
    for start in range(0, draws, chunk):
        n = min(chunk, draws - start)
        shares, reg = outer_draw(prepared, lay, rng, n, scales)
        g = kernels.seat_noise(rng, shares.shape, beta) * ~lay.fixed[None, :, None]
        yield kernels.perturb(shares, g if reg is None else g + reg)


def conditional_win_probs(prep: Prepared, lay: Layout, rng: np.random.Generator, n: int, scales: Scales,
                          beta: float) -> np.ndarray:
    """``(n, seat, party)`` exact win probabilities given ``n`` outer draws (the Speaker's seat held)."""
    shares, reg = outer_draw(prep, lay, rng, n, scales)
    w = (shares * lay.top_frac).astype(np.float32)
    p = kernels.win_probs(w, beta, reg)
    if lay.fixed.any():
        p[:, lay.fixed] = kernels.win_probs(w[:, lay.fixed], 0.0)
    return p


def draw_winners(prepared: Prepared, draws: int, rng: np.random.Generator, scales: Scales,
                 chunk: int = CHUNK) -> np.ndarray:
    """``(draw, seat)`` party index of each seat's winner in ``draws`` simulated elections.

    One outer draw per draw, each seat's winner sampled from its exact conditional win
    probabilities (inverse CDF): elections as the model says they happen, for checking how
    often a correct model would look miscalibrated (``seatcast.backtest.forecast_backtest``)."""
    lay = layout(prepared)
    beta = kernels.gumbel_beta(scales.seat)
    out = []
    for start in range(0, draws, chunk):
        n = min(chunk, draws - start)
        p = conditional_win_probs(prepared, lay, rng, n, scales, beta)
        u = rng.random((n, p.shape[1], 1), dtype=np.float32)
        out.append(np.minimum((u > np.cumsum(p, axis=-1)).sum(axis=-1), p.shape[-1] - 1))
    return np.concatenate(out)


@dataclass(frozen=True, eq=False)
class Counts:
    """Engine output: ``seats`` (draw, party) int16, ``win_prob`` (seat, party), diagnostics."""

    seats: np.ndarray
    win_prob: np.ndarray
    dropped: float  # largest seat probability outside the sampled contenders
    outer: int
    inner: int


def _chunk_job(prep, lay, scales, beta, n, inner, rng):
    p = conditional_win_probs(prep, lay, rng, n, scales, beta)
    u = rng.random((n, inner, p.shape[1]), dtype=np.float32)
    cont, need = kernels.contenders(p)
    counts, dropped = kernels.sample_counts(p, cont, need, u, p.shape[-1])
    return counts.reshape(n * inner, -1), p.sum(axis=0), float(dropped.max())


def simulate_counts(prep: Prepared, draws: int, rng: np.random.Generator, scales: Scales,
                    inner: int = 1, chunk: int = CHUNK, workers: int | None = None,
                    progress: Callable[[int], None] | None = None) -> Counts:
    """Seat totals of ``draws`` simulated elections, ``inner`` seat-error replicates per outer draw."""
    inner = max(1, min(int(inner), draws))
    outer = math.ceil(draws / inner)
    sizes = [min(chunk, outer - s) for s in range(0, outer, chunk)]
    rngs = rng.spawn(len(sizes))
    lay = layout(prep)
    beta = kernels.gumbel_beta(scales.seat)
    workers = workers or min(2, os.cpu_count() or 1)
    seats, total, dropped = [], 0.0, 0.0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        jobs = [pool.submit(_chunk_job, prep, lay, scales, beta, n, inner, g)
                for n, g in zip(sizes, rngs, strict=True)]
        for n, job in zip(sizes, jobs, strict=True):
            c, psum, d = job.result()
            seats.append(c)
            total = total + psum.astype(np.float64)
            dropped = max(dropped, d)
            if progress:
                progress(n * inner)
    all_seats = np.concatenate(seats)[:draws]
    return Counts(all_seats, total / outer, dropped, outer, inner)


def party_nations(codes) -> np.ndarray:
    """(party,) True for parties standing in Great Britain (used for GB-only scores)."""
    return np.array([bool(set(parties.REGISTRY[c].nations) & set(parties.GB)) for c in codes])
