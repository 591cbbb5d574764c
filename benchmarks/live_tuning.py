"""Choose the live model's tuning constants leave-one-election-out.

    .venv/bin/python benchmarks/live_tuning.py                 # all three parts
    .venv/bin/python benchmarks/live_tuning.py --part spread   # one part: covariates, spread, census, exit
    .venv/bin/python benchmarks/live_tuning.py --part robust   # on request: rival, robust

``covariates``: the prior standard deviations of the contest-type errors and of the party-margin
errors (``COVARIATE_SD``; the slope on the log prior share stays at 0.02, the smallest value of the
earlier grids, chosen there without every election). For every candidate in a small grid and every
election, the night is replayed with the eve forecast as the prior (20,000 draws, projections only at
50, 100, 200 and 300 declared seats; ``SPREAD`` at 1 and ``OBS_SCALE`` at :data:`COVARIATE_OBS_SCALE`)
and scored by the mean SAE of the GB party totals at those checkpoints. For each
held-out election the chosen candidate has the lowest total over the *other* three
(``COVARIATE_SD_WITHOUT``); the default for a live night has the lowest total over all four.

``spread``: the factor on the posterior standard deviation of the state in the resimulation
(``SPREAD``); the factor on the seat standard deviation in the update (``OBS_SCALE``) is held at
:data:`COVARIATE_OBS_SCALE` (see :data:`SPREADS`). Each
night is replayed (2,000 draws, a projection after every 10th declaration, the covariate choice
without that election) for each pair in a grid; for each held-out election the chosen pair is,
among those whose 90% intervals hold the truth at >= 90% (their nominal level, :data:`COVERAGE`) of the
party x step points of the other three, the one with the lowest mean SAE over those points (if none
reaches 90%: the pair with the highest coverage) (``SPREAD_WITHOUT``, ``OBS_SCALE_WITHOUT``).

With ``--by-opponent`` the covariates part is run for the party-margin bins split by the best other
party (``MARGIN_BY_OPPONENT``; its choices are ``BY_OPPONENT_SD_CHOSEN``, compared in docs/live.md).

``rival``: the prior standard deviation of each party's deviation per (party-margin bin, best
rival) cell (``RIVAL_SD``; 0 = no such term), on top of the unsplit party-margin errors. Scored as
the covariates part (mean SAE at 50, 100, 200 and 300 declared seats, ``SPREAD`` 1, ``OBS_SCALE``
:data:`COVARIATE_OBS_SCALE`, 20,000 draws) for each value of :data:`RIVAL_SDS`; for each held-out
election every replay of the other three uses the covariate sds chosen without it
(``COVARIATE_SD_WITHOUT``) and the value with the lowest total over them is chosen, ties to the
smaller (``RIVAL_SD_CHOSEN``; "all" with ``COVARIATE_SD`` on all four). Not part of the default run.

``census``: the prior standard deviation of each party's slope on the seat's standardised degree
share (``CENSUS``, ``CENSUS_SD``; 0 = no such term), after the spread part. For every candidate in
:data:`CENSUS_SDS` and every election, the night is replayed as the replays do (20,000 draws, the
covariate, spread and obs_scale choices without that election) with projections at 50, 100, 200 and
300 declared seats, scored by the mean SAE there; for each held-out election the chosen value has the
lowest total over the other three, ties to the smaller (``CENSUS_SD_CHOSEN``). The replays compare
the choice with no term (``benchmarks/live_replays.py --variants``); the default keeps it only if it wins
on the goals (``CENSUS_SD_WITHOUT``, ``CENSUS_SD``).

``robust``: the degrees of freedom ``nu`` of the Student-t observation model of the declared seats
(``ROBUST_NU``; 0 = Gaussian seats, each surprise clipped once at ``CLIP_SD``). For each value of
:data:`ROBUST_NUS` and each election the night is replayed as the replays do (20,000 draws, ``SPREAD``
and ``OBS_SCALE`` as stored) with a projection after every :data:`ROBUST_EVERY`-th declaration from 50
on, and scored by the mean SAE there (every step, not four checkpoints: one seat's leverage shows as a
spike between checkpoints, 2015 after Sheffield Hallam). For each held-out election every replay of
the other three uses the covariate sds chosen without it, and the value with the lowest total over them
is chosen, ties to the smaller (``ROBUST_NU_CHOSEN``; "all" with ``COVARIATE_SD`` on all four).

``exit``: the standard deviation (seats) of the exit poll's seat totals as an observation of the
final totals (``EXIT_SEATS_SD``). Each night is replayed with its published exit poll for each
candidate (spread: the choice without the held-out election); for each held-out election the chosen
value has the smallest worst margin, over the other three and every step from 100 declared
seats on (20,000 draws, as the replays), of the projection's SAE over the exit poll's own SAE on
the parties it names; ties go to
the fewest such steps at which the projection is worse than the exit poll, then to the smaller value
(``EXIT_SEATS_SD_WITHOUT``).

``--exit-steps ELECTION SD``: the steps from 100 declared seats on at which that night's projection with
its published exit poll (seat sd ``SD``) is worse than the exit poll alone, and why (:func:`exit_steps`).
"""

from __future__ import annotations

import argparse
import itertools
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import pandas as pd

from seatcast.live import LiveModel
from seatcast.live.exit_poll import EXIT_POLLS, ExitPoll
from seatcast.live.model import (
    COVARIATE_SD,
    COVARIATE_SD_WITHOUT,
    DEFAULT_DRAWS,
    DEFAULT_INNER,
    OBS_SCALE,
    OBS_SCALE_WITHOUT,
    ROBUST_NU_WITHOUT,
    SPREAD,
    SPREAD_WITHOUT,
)
from seatcast.live.replay import REPLAYS, actual_declarations, actual_gb_totals, eve_prior, score_step

CHECKPOINTS = (50, 100, 200, 300)
#: (contest type, party margin, slope) prior sds.
GRID = [(t, m, 0.02) for t, m in itertools.product((0.1, 0.2, 0.3, 0.5), (0.1, 0.2, 0.3, 0.5))]
#: OBS_SCALE while the covariates are chosen: a fixed 3 (the spread part's choice for three of the
#: four nights before the party-margin errors existed). At 1 (the earlier setting) the seats teach
#: nine times as much and the party-margin errors lowered the SAE less (docs/live.md, "Tuning").
COVARIATE_OBS_SCALE = 3.0
#: The seats' Student-t degrees of freedom while the covariates (and, on request, the rival
#: deviations) are chosen: 0, Gaussian seats, as when they were chosen; the robust part comes after
#: them. The spread, census and exit parts replay each night with ``ROBUST_NU_WITHOUT``.
COVARIATE_ROBUST_NU = 0.0
#: (spread, obs_scale); spread 6 and 8 and obs_scale 3 were added after a first run chose (4, 2), the edge.
#: OBS_SCALE is held at the value the covariates are chosen at (COVARIATE_OBS_SCALE): with the party-margin
#: errors, letting this part choose it too (grid 0.75-3) gave 1-2, about the same SAE and coverage, but the
#: projection with the exit poll then fell a seat or two behind the exit poll late in 2017, 2019 and 2024.
SPREADS = list(itertools.product((1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0), (3.0,)))
CENSUS_SDS = (0.0, 0.02, 0.03, 0.05, 0.1)
RIVAL_SDS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5)
ROBUST_NUS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
ROBUST_EVERY = 5
EXIT_SDS = (0.1, 0.25, 0.5, 1.0, 2.0)
#: The nominal level of the intervals: a 90% interval should hold the truth at 90% of the points.
COVERAGE = 0.90
EVERY = 10


@cache
def _prior(election: str):
    return eve_prior(election)


def night_error(election: str, prior, covariate_sd, by_opponent: bool = False,
                rival_sd: float = 0.0) -> float:
    """Mean SAE over the checkpoints of one replay (``by_opponent``: party-margin bins split by rival;
    ``rival_sd``: the prior sd of the deviations per party-margin bin and rival)."""
    model = LiveModel(prior, covariate_sd=covariate_sd, obs_scale=COVARIATE_OBS_SCALE,
                      spread=1.0, margin_by_opponent=by_opponent, rival_sd=rival_sd,
                      robust_nu=COVARIATE_ROBUST_NU)
    actual = actual_gb_totals(election)
    errs = []
    for k, decl in enumerate(actual_declarations(election), 1):
        model.declare(decl)
        if k in CHECKPOINTS:
            errs.append(score_step(model.project(), actual)["sae"])
        if k >= max(CHECKPOINTS):
            break
    return sum(errs) / len(errs)


def night_steps(election: str, spread: float, obs_scale: float, exit_sd: float | None = None,
                draws: int = 2000, inner: int = 20, every: int = EVERY) -> list[dict]:
    """Scores after every ``every``-th declaration (and before the first) of one replay;
    with ``exit_sd`` the published exit poll is an input, observed with that seat sd."""
    ep = None if exit_sd is None else ExitPoll.published(election)
    model = LiveModel(_prior(election), ep, draws=draws, inner=inner, robust_nu=ROBUST_NU_WITHOUT[election],
                      covariate_sd=COVARIATE_SD_WITHOUT[election], spread=spread, obs_scale=obs_scale,
                      exit_seats_sd=exit_sd)
    actual = actual_gb_totals(election)
    rows = [score_step(model.project(), actual)]
    for k, decl in enumerate(actual_declarations(election), 1):
        model.declare(decl)
        if k % every == 0:
            rows.append(score_step(model.project(), actual))
    return rows


def _census_error(args) -> float:
    election, sd = args
    model = LiveModel(_prior(election), covariate_sd=COVARIATE_SD_WITHOUT[election], census_sd=sd,
                      robust_nu=ROBUST_NU_WITHOUT[election],
                      spread=SPREAD_WITHOUT[election], obs_scale=OBS_SCALE_WITHOUT[election])
    actual = actual_gb_totals(election)
    errs = []
    for k, decl in enumerate(actual_declarations(election)[:max(CHECKPOINTS)], 1):
        model.declare(decl)
        if k in CHECKPOINTS:
            errs.append(score_step(model.project(), actual)["sae"])
    return sum(errs) / len(errs)


def census_part(workers: int = 2) -> pd.DataFrame:
    jobs = list(itertools.product(CENSUS_SDS, REPLAYS))
    with ProcessPoolExecutor(workers) as pool:
        errs = dict(zip(jobs, pool.map(_census_error, [(e, sd) for sd, e in jobs]), strict=True))
    table = pd.DataFrame([{"sd": sd, **{e: errs[sd, e] for e in REPLAYS}} for sd in CENSUS_SDS])
    table = table.set_index("sd")
    print(table.round(2).to_string())
    for e in REPLAYS:
        others = table[[x for x in REPLAYS if x != e]].sum(axis=1)
        print(f"held out {e}: chosen {others.idxmin()}")  # idxmin: the first (smaller) on ties
    print(f"all four: chosen {table.sum(axis=1).idxmin()}")
    return table


def _coverage(args) -> tuple:
    election, (spread, obs_scale) = args
    rows = night_steps(election, spread, obs_scale)
    return (election, (spread, obs_scale), sum(r["covered"] for r in rows), sum(r["points"] for r in rows),
            sum(r["sae"] for r in rows) / len(rows))


def _exit_margin(args) -> tuple:
    from seatcast.live.replay import exit_poll_sae

    election, (spread, obs_scale), sd = args
    actual, alone = actual_gb_totals(election), exit_poll_sae(election)
    errs = [sum(abs(r[f"median:{p}"] - actual[p]) for p in EXIT_POLLS[election])
            for r in night_steps(election, spread, obs_scale, sd, DEFAULT_DRAWS, DEFAULT_INNER, 1)
            if r["step"] >= 100]
    return election, (spread, obs_scale), sd, max(errs) - alone, sum(x > alone for x in errs)


class _TracedExitPoll(ExitPoll):
    """The published exit poll, keeping the last fusion's draws before and after (:data:`_TRACE`)."""

    def fuse(self, seats, parties, sd_seats, fixed, cap):
        out = super().fuse(seats, parties, sd_seats, fixed, cap)
        _TRACE.update(seats=seats, out=out, parties=list(parties), sd=sd_seats, fixed=fixed, cap=cap)
        return out


_TRACE: dict = {}


def exit_steps(election: str, sd: float, start: int = 100) -> list[str]:
    """One line per step from ``start`` declared seats on at which the projection with the published
    exit poll (seat sd ``sd``, otherwise the replay's settings) is worse than the exit poll alone on the
    parties it names. Per party (the named ones, then the others whose median the fusion moves):
    ``before`` (the draws' median before the fusion), ``exit`` (the exit poll's figure), ``aim``
    (before + the fusion's first whole-seat move: the gain, the bounds of what the seats allow and the
    unlisted parties' room), ``after`` (the reported median, after the clip and rounding back to whole
    seats), ``result``, and ``[fixed, most]``: the seats declared or held and the most the undeclared
    seats allow. ``aim`` off ``exit`` points at the gain or the bounds, ``after`` off ``aim`` at the
    clip and rounding."""
    from seatcast.live import kernels
    from seatcast.live.replay import exit_poll_sae, replay_model, sae_on

    model = replay_model(election, exit_poll=_TracedExitPoll(seats=dict(EXIT_POLLS[election])))
    model.exit_seats_sd = sd
    actual, named, alone = actual_gb_totals(election), list(EXIT_POLLS[election]), exit_poll_sae(election)
    lines = [f"{election}, seat sd {sd}: exit poll alone {alone} (SAE on {', '.join(named)})"]
    for k, decl in enumerate(actual_declarations(election), 1):
        model.declare(decl)
        proj = model.project()
        if k < start or sae_on(proj, actual, named) <= alone:
            continue
        t = _TRACE
        cols, _, move = model.exit_poll.centre(t["seats"], t["parties"], sd, t["fixed"], t["cap"])
        before = kernels.quantiles(t["seats"], (0.5,))[0]
        after = kernels.quantiles(t["out"], (0.5,))[0]
        moved = [j for j in range(len(before)) if j not in cols and (before[j] != after[j] or move[j])]
        cells = []
        for j in (*cols, *moved):
            p, lo = t["parties"][j], t["fixed"][j]
            cells.append(f"{p} {before[j]}/{EXIT_POLLS[election].get(p, '-')}/{before[j] + move[j]:.0f}/"
                         f"{after[j]}/{actual.get(p, '-')} [{lo:.0f}, {lo + t['cap'][j]:.0f}]")
        lines.append(f"{k}: SAE {sae_on(proj, actual, named)}; " + "; ".join(cells))
    lines.append("party before/exit/aim/after/result [fixed, most]")
    return lines


def _night_error(args) -> float:
    election, sd, by_opponent = args
    return night_error(election, _prior(election), sd, by_opponent)


def covariates_part(workers: int = 2, by_opponent: bool = False) -> pd.DataFrame:
    jobs = list(itertools.product(GRID, REPLAYS))
    with ProcessPoolExecutor(workers) as pool:
        errs = dict(zip(jobs, pool.map(_night_error, [(e, sd, by_opponent) for sd, e in jobs]), strict=True))
    table = pd.DataFrame([{"sd": sd, **{e: errs[sd, e] for e in REPLAYS}} for sd in GRID]).set_index("sd")
    print(table.round(1).to_string())
    for e in REPLAYS:
        others = table[[x for x in REPLAYS if x != e]].sum(axis=1)
        print(f"held out {e}: chosen {others.idxmin()}")
    print(f"all four: chosen {table.sum(axis=1).idxmin()}")
    return table


def _rival_error(args) -> float:
    election, covariate_sd, rival_sd = args
    return night_error(election, _prior(election), covariate_sd, rival_sd=rival_sd)


def rival_part(workers: int = 2) -> pd.Series:
    """Each candidate of :data:`RIVAL_SDS`, scored as the covariates part scores its grid; the
    replays for a held-out election use the covariate sds chosen without it."""
    return _held_out_choice(_rival_error, RIVAL_SDS, workers)


def _robust_error(args) -> float:
    """Mean SAE of one replay at every :data:`ROBUST_EVERY`-th step from 50 declared seats on."""
    election, covariate_sd, nu = args
    model = LiveModel(_prior(election), covariate_sd=covariate_sd, robust_nu=nu,
                      spread=SPREAD_WITHOUT[election], obs_scale=OBS_SCALE_WITHOUT[election])
    actual = actual_gb_totals(election)
    errs = []
    for k, decl in enumerate(actual_declarations(election), 1):
        model.declare(decl)
        if k >= 50 and k % ROBUST_EVERY == 0:
            errs.append(score_step(model.project(), actual)["sae"])
    return sum(errs) / len(errs)


def robust_part(workers: int = 2) -> pd.Series:
    """Each candidate of :data:`ROBUST_NUS`, chosen leave-one-election-out as :func:`rival_part`."""
    return _held_out_choice(_robust_error, ROBUST_NUS, workers)


def _held_out_choice(error, values, workers: int) -> pd.Series:
    """For each held-out election (and for all four), the value of ``values`` with the lowest total of
    ``error((election, covariate sd, value))`` over the other elections, whose replays use the covariate
    sds chosen without the held-out one; ties to the first (smaller) value."""
    sds = {e: COVARIATE_SD_WITHOUT[e] for e in REPLAYS} | {None: COVARIATE_SD}
    jobs = sorted({(x, sds[e], v) for e in sds for x in REPLAYS if x != e for v in values})
    with ProcessPoolExecutor(workers) as pool:
        errs = dict(zip(jobs, pool.map(error, jobs), strict=True))
    for e in sds:
        others = [x for x in REPLAYS if x != e]
        table = pd.DataFrame({x: [errs[x, sds[e], v] for v in values] for x in others}, index=values)
        print(f"held out {e or 'none (all four)'}, covariate sd {sds[e]}:")
        print(table.round(2).to_string())
        print(f"chosen {table.sum(axis=1).idxmin()}")  # idxmin: the first (smaller) on ties
    return pd.Series(errs)


def spread_part(workers: int = 2) -> pd.DataFrame:
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(_coverage, itertools.product(REPLAYS, SPREADS)))
    cov = pd.DataFrame(rows, columns=["election", "pair", "covered", "points", "sae"])
    wide = cov.assign(share=cov.covered / cov.points).pivot(index="pair", columns="election")
    print(wide[["share", "sae"]].round(3).to_string())
    for e in (*REPLAYS, None):
        other = cov[cov.election != e].groupby("pair")[["covered", "points", "sae"]].sum()
        share = other.covered / other.points
        ok = other[share >= COVERAGE]
        chosen = ok.sae.idxmin() if len(ok) else share.idxmax()
        print(f"held out {e or 'none (all four)'}: chosen (spread, obs_scale) {chosen}, "
              f"coverage on the others {share[chosen]:.3f}")
    return cov


def exit_part(workers: int = 2) -> pd.DataFrame:
    pairs = {e: (SPREAD_WITHOUT[e], OBS_SCALE_WITHOUT[e]) for e in REPLAYS}
    every_pair = sorted({*pairs.values(), (SPREAD, OBS_SCALE)})
    jobs = [(e, pair, sd) for pair in every_pair for e in REPLAYS for sd in EXIT_SDS]
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(_exit_margin, jobs))
    tab = pd.DataFrame(rows, columns=["election", "pair", "sd", "margin", "worse"])
    print(tab.pivot(index=["pair", "sd"], columns="election", values=["margin", "worse"]).to_string())
    for e in (*REPLAYS, None):
        pair = pairs[e] if e else (SPREAD, OBS_SCALE)
        other = tab[(tab.election != e) & (tab.pair == pair)].groupby("sd").agg(margin=("margin", "max"),
                                                                                  worse=("worse", "sum"))
        best = other.sort_values(["margin", "worse"], kind="stable").index[0]  # ties: fewer worse steps
        print(f"held out {e or 'none (all four)'}: chosen {best} (worst margin on the others "
              f"{other.margin[best]}, steps worse {other.worse[best]})")
    return tab


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", nargs="+",
                    choices=("covariates", "spread", "census", "exit", "rival", "robust"),
                    default=["covariates", "spread", "census", "exit"])  # rival, robust: on request
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--by-opponent", action="store_true",
                    help="covariates part for the party-margin bins split by rival (BY_OPPONENT_SD_CHOSEN)")
    ap.add_argument("--exit-steps", nargs=2, metavar=("ELECTION", "SD"),
                    help="the steps where the projection with the exit poll is worse than it alone, and why")
    args = ap.parse_args()
    if args.exit_steps:
        print("\n".join(exit_steps(args.exit_steps[0], float(args.exit_steps[1]))))
        raise SystemExit
    for part in args.part:
        print(f"== {part}")
        {"covariates": lambda: covariates_part(args.workers, args.by_opponent),
         "spread": lambda: spread_part(args.workers),
         "census": lambda: census_part(args.workers),
         "rival": lambda: rival_part(args.workers),
         "robust": lambda: robust_part(args.workers),
         "exit": lambda: exit_part(args.workers)}[part]()
