"""Election-night replays 2015-2024: the accuracy tables of docs/live.md and the speed figures
of docs/performance.md.

    .venv/bin/python benchmarks/live_replays.py    # all three tables, 20,000 draws per update
    .venv/bin/python benchmarks/live_replays.py --national --elections 2019 2024   # learnt Con-Lab error
    .venv/bin/python benchmarks/live_replays.py --margins --elections 2024   # share change by prior margin
    .venv/bin/python benchmarks/live_replays.py --blocks --elections 2024    # which learnt errors carry it
    .venv/bin/python benchmarks/live_replays.py --variants   # the model as is and with each change tried
    .venv/bin/python benchmarks/live_replays.py --rival-in-sample 0.3   # rival deviations, one sd for all
    .venv/bin/python benchmarks/regen_docs.py      # rewrites the accuracy tables of docs/live.md (cog)

For each election: the eve-of-election forecast (``backtest_forecast``, tm, 20,000 draws) and
its SAE; the replay with that forecast as the prior and no exit poll (SAE after 50, 100 and
200 declared seats, worst SAE from 200 on, largest party after 100, 90% coverage over party x
step points, time per update and for the whole replay); the replay with the published exit
poll (worst margin over the exit poll alone from 100 declared seats on, on the parties the
exit poll names).
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import numpy as np

from seatcast.backtest.forecast_backtest import backtest_forecast, score
from seatcast.live import LiveModel
from seatcast.live.exit_poll import EXIT_POLLS
from seatcast.live.replay import (
    REPLAYS,
    actual_declarations,
    actual_gb_totals,
    exit_poll_sae,
    replay_model,
    sae_on,
    score_step,
)


def run(election: str, exit_poll: bool, draws: int, variant: dict | None = None) -> dict:
    """One timed replay: per-step scores and per-update times (declare + project); ``variant``
    :class:`LiveModel` settings that replace the stored choices without ``election``."""
    t0, c0 = time.perf_counter(), time.process_time()
    model = replay_model(election, exit_poll=exit_poll, draws=draws)
    if variant:
        model = LiveModel(model.prior, None, draws, expected=model.expected, spread=model.spread,
                          obs_scale=model.obs_scale, **{"covariate_sd": model.covariate_sd,
                                                        "robust_nu": model.robust_nu, **variant})
    actual = actual_gb_totals(election)
    steps, times, cpu, exit_sae = [score_step(model.project(), actual)], [], [], []
    named = list(EXIT_POLLS[election])
    for decl in actual_declarations(election):
        t, c = time.perf_counter(), time.process_time()
        model.declare(decl)
        proj = model.project()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        steps.append(score_step(proj, actual))
        exit_sae.append(sae_on(proj, actual, named))
    return {"steps": steps, "times": np.array(times), "cpu": np.array(cpu), "exit_sae": exit_sae,
            "total": time.perf_counter() - t0, "total_cpu": time.process_time() - c0}


def election_rows(e: str, draws: int = 20_000) -> tuple[str, str, str, tuple[int, int]]:
    """One election's rows of the accuracy, exit-poll and speed tables, and its (covered, points)."""
    fc = backtest_forecast(e, "tm", 20_000)
    eve = score(fc, e, "tm").sae
    r = run(e, False, draws)
    s = {row["step"]: row for row in r["steps"]}
    actual = actual_gb_totals(e)
    eve_med = fc.summary["median"].reindex(list(actual), fill_value=0)
    start_off = int(sum(abs(s[0][f"median:{p}"] - eve_med[p]) if f"median:{p}" in s[0] else eve_med[p]
                        for p in actual))
    top = max(actual, key=actual.get)
    cov = sum(x["covered"] for x in r["steps"]), sum(x["points"] for x in r["steps"])
    worst200 = max(x["sae"] for x in r["steps"] if x["step"] >= 200)
    half = "yes" if s[50]["sae"] <= eve / 2 else "no"
    acc = (f"| {e} | {eve} | {s[0]['sae']} | {start_off} | {s[50]['sae']} ({half}) | "
           f"{s[100]['sae']} | {s[200]['sae']} | {worst200} ({'yes' if worst200 <= 20 else 'no'}) | "
           f"{s[100]['largest']} ({'right' if s[100]['largest'] == top else 'wrong'}) | "
           f"{cov[0]}/{cov[1]} = {cov[0] / cov[1]:.1%} |")
    t, c = r["times"] * 1000, r["cpu"] * 1000
    speed = (f"| {e} | {np.median(c):.1f} | {np.percentile(c, 95):.1f} | {c.max():.1f} | "
             f"{r['total_cpu']:.1f} | {np.median(t):.1f} | {np.percentile(t, 95):.1f} | "
             f"{r['total']:.1f} | {os.getloadavg()[0]:.1f} |")
    x = run(e, True, draws)
    alone = exit_poll_sae(e)
    after = np.array(x["exit_sae"][99:])  # after the 100th declaration onwards
    ep = (f"| {e} | {alone} | {x['exit_sae'][99]} | {x['exit_sae'][199]} | {after.max()} | "
          f"{(after < alone).sum()} / {(after > alone).sum()} of {len(after)} | "
          f"{'yes' if after.max() <= alone else 'no'} |")
    return acc, ep, speed, cov


@cache
def replays(draws: int = 20_000, elections=REPLAYS, workers: int = 1) -> tuple[list, list, list, list]:
    """Rows of the accuracy, exit-poll and speed tables (computed once per process; ``workers`` > 1 runs
    the elections in parallel processes: same tables, but the speed rows then measure a shared machine)."""
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            rows = list(pool.map(election_rows, elections, [draws] * len(elections)))
    else:
        rows = [election_rows(e, draws) for e in elections]
    return tuple([r[i] for r in rows] for i in range(4))


def accuracy_markdown(draws: int = 20_000, elections=REPLAYS, workers: int | None = None) -> str:
    """The deterministic tables of docs/live.md (accuracy, and with the published exit poll); by default
    one process per election, in parallel."""
    acc, ep_rows, _, cov = replays(draws, tuple(elections), workers or len(elections))
    hit, points = (sum(c[i] for c in cov) for i in (0, 1))
    return "\n".join([
        f"Accuracy ({draws:,} draws per update; SAE of GB seat totals, medians):", "",
        "| election | eve forecast SAE | replay SAE, 0 declared | 0 declared, off the eve medians | "
        "after 50 (<= half eve?) | after 100 | after 200 | worst from 200 on (<= 20?) | "
        "largest party after 100 | 90% intervals hold truth |",
        "|---|---|---|---|---|---|---|---|---|---|", *acc, "",
        f"Pooled over the nights, the 90% intervals hold the truth at {hit:,} of {points:,} party x step "
        f"points, {hit / points:.1%} (>= 85%? {'yes' if hit >= 0.85 * points else 'no'}).", "",
        "With the published exit poll (SAE on the parties it names):", "",
        "| election | exit poll alone | projection after 100 | after 200 | worst from 100 on | "
        "steps from 100 on better / worse than the exit poll | never worse? |",
        "|---|---|---|---|---|---|---|", *ep_rows]) + "\n"


def _variant_row(args) -> str:
    """One row of :func:`variants_markdown`: a replay of ``election`` as ``name`` (no exit poll)."""
    election, name, variant, eve, draws = args
    steps = run(election, False, draws, variant)["steps"]
    s = {row["step"]: row for row in steps}
    worst200 = max(x["sae"] for x in steps if x["step"] >= 200)
    covered, points = sum(x["covered"] for x in steps), sum(x["points"] for x in steps)
    return (f"| {election} | {name} | {s[50]['sae']} ({'yes' if s[50]['sae'] <= eve / 2 else 'no'}) | "
            f"{s[100]['sae']} | {s[200]['sae']} | {worst200} ({'yes' if worst200 <= 20 else 'no'}) | "
            f"{s[100]['largest']} | {covered}/{points} = {covered / points:.1%} |")


def variants(election: str) -> dict[str, dict | None]:
    """The model as it is and the changes tried (docs/live.md), each with the prior sds chosen
    without ``election``."""
    from seatcast.live import model as m

    nu = m.ROBUST_NU_CHOSEN[election]
    return {"as is": None,
            f"census slope, sd {m.CENSUS_SD_CHOSEN[election]:g}": {"census_sd": m.CENSUS_SD_CHOSEN[election]},
            f"margin bins by rival, sd {m.BY_OPPONENT_SD_CHOSEN[election]}": {
                "margin_by_opponent": True, "covariate_sd": m.BY_OPPONENT_SD_CHOSEN[election]},
            f"rival deviations on the bins, sd {m.RIVAL_SD_CHOSEN[election]:g}": {
                "rival_sd": m.RIVAL_SD_CHOSEN[election]},
            f"Student-t seats, nu {nu:g}": {"robust_nu": nu},
            "plain state draws (the model before)": {"antithetic": False},
            f"Student-t seats, nu {nu:g}, plain state draws": {"robust_nu": nu, "antithetic": False}}


def variants_markdown(draws: int = 20_000, elections=REPLAYS, workers: int = 2) -> str:
    """Replays of the model as it is and with each change tried, no exit poll."""
    return _replays_markdown([(e, name, v) for e in elections for name, v in variants(e).items()],
                             draws, workers)


def _replays_markdown(runs: list[tuple[str, str, dict | None]], draws: int, workers: int) -> str:
    """The goal rows of replays ``(election, name, variant)``, no exit poll, as a Markdown table."""
    eves = {e: score(backtest_forecast(e, "tm", 20_000), e, "tm").sae for e in {r[0] for r in runs}}
    with ProcessPoolExecutor(workers) as pool:
        rows = list(pool.map(_variant_row, [(e, name, v, eves[e], draws) for e, name, v in runs]))
    return "\n".join([
        "| election | model | after 50 (<= half eve?) | after 100 | after 200 | "
        "worst from 200 on (<= 20?) | largest party after 100 | 90% intervals hold truth |",
        "|---|---|---|---|---|---|---|---|", *rows]) + "\n"


def in_sample_markdown(variant: dict, name: str, draws: int = 20_000, elections=REPLAYS,
                       workers: int = 2) -> str:
    """Replays of the model as it is and with ``variant`` (the same settings for every night, so not
    leave-one-election-out), no exit poll (docs/live.md, "Changes tried")."""
    runs = [(e, n, v) for e in elections for n, v in (("as is", None), (name, variant))]
    return _replays_markdown(runs, draws, workers)


def tuning_markdown() -> str:
    """The stored leave-one-election-out choices of :mod:`seatcast.live.model` as a Markdown table
    (``benchmarks/live_tuning.py`` recomputes them and prints the grids behind them)."""
    from seatcast.live import model as m

    rows = [(e, m.COVARIATE_SD_WITHOUT[e], (m.SPREAD_WITHOUT[e], m.OBS_SCALE_WITHOUT[e]),
             m.CENSUS_SD_CHOSEN[e], m.CENSUS_SD_WITHOUT[e], m.RIVAL_SD_CHOSEN[e], m.RIVAL_SD_WITHOUT[e],
             m.ROBUST_NU_WITHOUT[e], m.EXIT_SEATS_SD_WITHOUT[e]) for e in REPLAYS]
    rows.append(("a live night (all four)", m.COVARIATE_SD, (m.SPREAD, m.OBS_SCALE),
                 m.CENSUS_SD_CHOSEN["all"], m.CENSUS_SD, m.RIVAL_SD_CHOSEN["all"], m.RIVAL_SD,
                 m.ROBUST_NU, m.EXIT_SEATS_SD))
    head = ("| replayed election | (contest type, party margin, slope) prior sd | (spread, obs_scale) | "
            "census slope sd, chosen | census slope sd, used | rival deviation sd, chosen | "
            "rival deviation sd, used | Student-t seat df | exit-poll seat sd |")
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {e} | {c} | {s} | {k:g} | {u:g} | {rk:g} | {ru:g} | {nu:g} | {x:g} |"
              for e, c, s, k, u, rk, ru, nu, x in rows]
    return "\n".join(lines) + "\n"


def national_contrasts(election: str, steps=(50, 100, 200, 650), parties=("con", "lab")) -> dict:
    """The posterior mean of the national Con-Lab contrast (log scale) after ``steps`` declared
    seats of a replay, and its prior standard deviation (docs/live.md, "What goes wrong")."""
    model = replay_model(election, draws=2000)
    pr = model.prior
    i, j = (model.state_index[pr.party_index(p)] for p in parties)
    out = {"prior sd": round(float(np.sqrt(2) * pr.scales.national), 3)}
    for k, decl in enumerate(actual_declarations(election), 1):
        model.declare(decl)
        if k in steps:
            mean = model.posterior()[0]
            out[k] = round(float(mean[i] - mean[j]), 3)
    return out


def block_contributions(election: str, steps=(50, 200), draws: int = 4000) -> list[str]:
    """Which learnt errors carry the projection's error: after each of ``steps`` declared seats, each
    party's median minus the actual total with the full posterior mean, then with one block of it
    (national, regional, contest type, party margin, slopes; then each party-margin bin of Con and Lab)
    set to zero; the precision is kept (docs/live.md, "Goals")."""
    from seatcast.live.model import contest_types, margin_bins

    model = replay_model(election, draws=draws)
    pr, s = model.prior, len(model.state)
    n_types, n_bins = contest_types(pr)[1], margin_bins(pr)[1]
    ends = np.cumsum([0, s, s * pr.n_regions, s * n_types, s * n_bins, model.q])
    ends[-1] = model.q
    blocks = dict(zip(("national", "regional", "contest type", "party margin", "slopes"),
                      (np.arange(a, b) for a, b in zip(ends[:-1], ends[1:], strict=True)), strict=True))
    for p in ("con", "lab"):
        k = model.state_index[pr.party_index(p)]
        blocks |= {f"{p} margin bin {b}": np.array([ends[3] + b * s + k]) for b in range(n_bins)}
    actual, lines = actual_gb_totals(election), []
    for k, decl in enumerate(actual_declarations(election), 1):
        model.declare(decl)
        if k not in steps:
            continue
        mean = model.posterior()[0]
        precision = model.precision0 + model.info
        for name, cols in {"none (full posterior)": np.zeros(0, int), **blocks}.items():
            model.eta = precision @ np.where(np.isin(np.arange(model.q), cols), 0.0, mean)
            model._factor = None
            r = score_step(model.project(), actual)
            errs = " ".join(f"{p} {r.get(f'median:{p}', 0) - actual[p]:+d}" for p in actual
                            if actual[p] or r.get(f"median:{p}", 0))
            lines.append(f"{election} after {k}, zeroed {name:22s} SAE {r['sae']:3d}: {errs}")
        model.eta = precision @ mean
        model._factor = None
    return lines


def margin_residuals(election: str, split: int = 200, parties=("con", "lab", "ld", "reform", "green")):
    """Mean change of each party's share (actual minus the eve prior's central share, points) by the
    bin of its own prior margin (:func:`seatcast.live.model.margin_bins`), in the first ``split``
    seats to declare and in the rest; the seat counts in brackets (docs/live.md, "Party margin")."""
    import pandas as pd

    from seatcast.live.model import MARGIN_EDGES, margin_bins
    from seatcast.live.replay import eve_prior

    pr = eve_prior(election)
    bins, _ = margin_bins(pr)
    inner = [f"{a:+.1f}..{b:+.1f}" for a, b in zip(MARGIN_EDGES, MARGIN_EDGES[1:], strict=False)]
    edges = [f"<{MARGIN_EDGES[0]:+.1f}", *inner, f">{MARGIN_EDGES[-1]:+.1f}"]
    rows = []
    for k, decl in enumerate(actual_declarations(election)):
        i = pr.seat_index(decl.ons_code)
        total = sum(decl.votes.values())
        for p in parties:
            j = pr.party_index(p)
            if pr.shares[i, j] >= 0.02:
                rows.append({"party": p, "margin": edges[bins[i, j]],
                             "when": f"first {split}" if k < split else "later",
                             "change": 100 * (decl.votes.get(p, 0.0) / total - pr.shares[i, j])})
    df = pd.DataFrame(rows).assign(margin=lambda d: pd.Categorical(d.margin, edges, ordered=True))
    g = df.groupby(["party", "margin", "when"], observed=True)["change"]
    cell = g.mean().round(1).astype(str) + " (" + g.size().astype(str) + ")"
    return cell.unstack("when").fillna("")


def main(draws: int, elections=REPLAYS) -> None:
    print(accuracy_markdown(draws, elections, workers=1))  # one at a time: the speed rows time them
    print(f"Speed, no exit poll ({draws:,} draws; one update = declare + project; CPU time of the "
          "single-threaded process, then wall-clock time):\n")
    print("| election | CPU median, ms | CPU p95, ms | CPU max, ms | CPU whole replay incl. prior, s | "
          "wall median, ms | wall p95, ms | wall whole replay, s | load average after |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(replays(draws, tuple(elections), 1)[2]))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=20_000)
    ap.add_argument("--elections", nargs="+", default=list(REPLAYS), choices=REPLAYS)
    ap.add_argument("--national", action="store_true",
                    help="print the learnt national Con-Lab contrast after 50, 100, 200 and 650 seats")
    ap.add_argument("--blocks", action="store_true",
                    help="each party's error after 50 and 200 seats with each learnt error block zeroed")
    ap.add_argument("--variants", action="store_true",
                    help="replays of the model as it is and with each change tried (docs/live.md)")
    ap.add_argument("--rival-in-sample", type=float, metavar="SD",
                    help="replays as is and with rival deviations of prior sd SD on every night (in-sample)")
    ap.add_argument("--margins", action="store_true",
                    help="print each party's mean share change against the prior by its prior-margin bin")
    args = ap.parse_args()
    if args.blocks:
        for e in args.elections:
            print(*block_contributions(e), sep="\n")
    elif args.rival_in_sample is not None:
        sd = args.rival_in_sample
        print(in_sample_markdown({"rival_sd": sd}, f"rival deviations, sd {sd:g}", args.draws,
                                 tuple(args.elections)))
    elif args.variants:
        print(variants_markdown(args.draws, tuple(args.elections)))
    elif args.margins:
        for e in args.elections:
            print(e, margin_residuals(e).to_string(), sep="\n")
    elif args.national:
        for e in args.elections:
            print(e, national_contrasts(e))
    else:
        main(args.draws, tuple(args.elections))
