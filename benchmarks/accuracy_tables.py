"""The tables of docs/accuracy.md's "Results" section (markdown): backtests, goals, Scotland, tactical
strength, error scales, hindsight and the learned model.

    .venv/bin/python benchmarks/regen_docs.py        # rewrites them (one cog block; with every other table)
    .venv/bin/python benchmarks/accuracy_tables.py   # prints them

Takes a few minutes: every swing model's four eve-of-election backtests (20,000 draws each, as
`seatcast backtest --all`), the hindsight tests, the tactical and learned-model validations.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from functools import cache

import nation_tables
import numpy as np
import pandas as pd
import scotland_designs
import tactical_designs
from _markdown import table

from seatcast import data
from seatcast.backtest import forecast_backtest as fb
from seatcast.backtest import tuning
from seatcast.backtest.hindsight import HINDSIGHT_PAIRS, actual_scenario, hindsight
from seatcast.backtest.learned_validation import validate
from seatcast.simulate import calibration
from seatcast.simulate.forecast import DEFAULT_MODEL
from seatcast.swing import MODELS
from seatcast.swing.models import _load_optional
from seatcast.swing.project import project
from seatcast.swing.tactical import TacticalModel

ELECTIONS = tuple(HINDSIGHT_PAIRS)
LEVELS = {"gb": "true GB shares", "nations": "true England/Scotland/Wales shares",
          "regions": "true nation and English-region shares"}
ABLATION = {
    "tm + own-swing constant only": (),
    "prop": ("prop",),
    "prop + tactical": ("prop", "tactical"),
    "prop + nation": ("prop", "nation"),
    "prop + nation + Leave (default)": ("prop", "nation", "leave"),
    "nation + Leave": ("nation", "leave"),
    "Leave only": ("leave",),
    "default + census (2021/22 on 2024 boundaries, 2011 before)": ("prop", "nation", "leave", "census"),
    "default + census (2011 everywhere)": ("prop", "nation", "leave", "census11"),
    "prop + nation + census (2021/22 on 2024 boundaries), no Leave": ("prop", "nation", "census"),
    "default + tactical": ("prop", "nation", "leave", "tactical"),
    "default + cross-party drivers": ("prop", "nation", "leave", "cross"),
    "default + incumbency": ("prop", "nation", "leave", "incumbency"),
}
GOALS_SAE = {"2015": 60, "2017": 35, "2019": 15, "2024": 40}


def cell(r) -> str:
    return f"{r.seats_correct} / {r.sae} / {r.rmse:.2f}"


def run_all_backtests():
    """(election, model) -> (BacktestResult, Forecast), every model with a backtest that year."""
    _load_optional()
    out = {}
    for e in fb.BACKTESTS:
        for m in MODELS:
            fc = fb.backtest_forecast(e, m)
            if fc is not None:
                out[e, m] = (fb.score(fc, e, m), fc)
    return out


def default_choice(res) -> dict[str | None, str]:
    """For each held-out election, the model with the lowest total SAE on the other three."""
    full = [m for m in MODELS if all((e, m) in res for e in ELECTIONS)]
    out = {}
    for held in (*ELECTIONS, None):
        total = {m: sum(res[e, m][0].sae for e in ELECTIONS if e != held) for m in full}
        out[held] = min(total, key=total.get)
    return out, full


def reliability(res, model) -> pd.DataFrame:
    return fb.reliability_table([fb.probability_outcomes(res[e, model][1], e) for e in ELECTIONS])


def backtest_section(res, default: str) -> None:
    print("### Backtests, every model (`seatcast backtest --all`)\n")
    print("GB seats (632). SAE of the simulation medians; `E` = SAE of the expected seats (sum of win "
          "probabilities); `modal` = SAE of the modal calls; lead err = error on the actual largest party; "
          "correct = seats whose most likely winner won; in 90% = GB parties whose 90% interval held the "
          "actual total.\n")
    rows = []
    for e in ELECTIONS:
        for m in MODELS:
            if (e, m) not in res:
                continue
            r = res[e, m][0]
            rows.append((e, m, r.sae, r.sae_expected, r.sae_modal, f"{r.largest_error:+d}",
                         r.seats_correct, f"{r.brier:.3f}", f"{r.log_loss:.3f}",
                         f"{sum(r.covered90.values())}/{len(r.covered90)}", f"{r.p_actual_outcome:.1%}"))
    table(("year", "model", "SAE", "E", "modal", "lead err", "correct", "Brier", "log-loss", "in 90%",
           "P(actual)"), rows)
    print(f"### Seat totals of the default model (`{default}`): median / expected / modal (actual)\n")
    rows = []
    for e in ELECTIONS:
        r = res[e, default][0]
        rows.append((e, ", ".join(f"{p} {r.seats[p]} / {r.expected[p]:.1f} / {r.modal[p]} ({r.actual[p]})"
                                  for p in r.seats if r.seats[p] or r.actual[p])))
    table(("year", "party: median / expected / modal (actual)"), rows)


def goals_section(res, default: str) -> None:
    hs = {e: hindsight(e, default, "nations") for e in ELECTIONS}
    r = {e: res[e, default][0] for e in ELECTIONS}
    cov = [v for e in ELECTIONS for v in r[e].covered90.values()]
    rel = reliability(res, default)
    big = rel[rel["n"] >= 200]
    dev = (100 * (big["observed"] - big["forecast"])).abs()
    rows = [(f"SAE {e}", f"{r[e].sae} (expected {r[e].sae_expected:.0f}, modal {r[e].sae_modal})",
             f"<= {GOALS_SAE[e]}", "yes" if r[e].sae <= GOALS_SAE[e] else "no") for e in ELECTIONS]
    snp = r["2015"]
    rows.append(("SNP seats 2015", f"{snp.seats['snp']} (expected {snp.expected['snp']:.0f}, modal "
                 f"{snp.modal['snp']}; actual 56)", "50-62",
                 "yes" if abs(snp.seats["snp"] - 56) <= 6 else "no"))
    ld = r["2024"]
    rows.append(("Lib Dem seats 2024", f"{ld.seats['ld']} (expected {ld.expected['ld']:.0f}, modal "
                 f"{ld.modal['ld']}; actual 72)", "62-82", "yes" if abs(ld.seats["ld"] - 72) <= 10 else "no"))
    rows.append(("GB seats called 2024", f"{ld.seats_correct} / 632", ">= 565",
                 "yes" if ld.seats_correct >= 565 else "no"))
    for e in ELECTIONS:
        goal = 560 if e == "2024" else 585
        rows.append((f"hindsight --nations {e}", f"{hs[e].seats_correct} / 632 (SAE {hs[e].sae})",
                     f">= {goal}", "yes" if hs[e].seats_correct >= goal else "no"))
    share = sum(cov) / len(cov)
    rows.append(("90% intervals holding the actual total", f"{sum(cov)} of {len(cov)} ({share:.0%})",
                 "85-95%", "yes" if 0.85 <= share <= 0.95 else "no"))
    rows.append(("reliability, bins with >= 200 forecasts", f"largest gap {dev.max():.1f} points "
                 f"({len(big)} bins)", "<= 5 points", "yes" if dev.max() <= 5 else "no"))
    print(f"### Goals of issue 10 (default model `{default}`, eve of polling day, no look-ahead)\n")
    table(("measure", "ours", "goal", "met"), rows)
    print("Reliability of the seat win probabilities (default model, four backtests, every GB seat and "
          "party with a positive probability; `seatcast reliability` prints it, `--plot` draws it):\n")
    null = fb.reliability_null(model=default)
    table(("forecast (bin mean)", *[f"{v:.3f}" for v in rel["forecast"]]),
          [("observed", *[f"{v:.3f}" for v in rel["observed"]]), ("n", *[int(v) for v in rel["n"]]),
           ("sd of observed if the model were right", *[f"{v:.3f}" for v in null.table["gap_sd"]])])
    print(f"If the model were right (`forecast_backtest.reliability_null`: {len(null.gaps):,} replicates, "
          "each drawing the four elections from the backtests' own simulations and scoring the same "
          f"forecasts against them), the goal would be met in {null.met:.0%} of replicates; the largest "
          f"gap would have a median of {100 * np.median(null.gaps):.1f} points and reach the one measured "
          f"({dev.max():.1f}) in {np.mean(null.gaps >= dev.max() / 100):.0%} of them.\n")
    rows = []
    for e in ELECTIONS:
        p, y = fb.probability_outcomes(res[e, default][1], e)
        m = (p >= 0.2) & (p < 0.4)
        rows.append((e, f"{p[m].mean():.3f}", f"{y[m].mean():.3f}", int(m.sum())))
    print("Forecasts of 20-40% (the bins furthest from the diagonal) by election:\n")
    table(("election", "forecast (mean)", "observed", "n"), rows)


def default_section(res) -> str:
    choice, full = default_choice(res)
    print("### Default model, chosen leave-one-election-out\n")
    print("For each held-out election, the model (among those with all four backtests) with the lowest "
          "total SAE on the other three; `none` = all four, which sets `seatcast forecast`'s default.\n")
    rows = []
    for held in (*ELECTIONS, None):
        totals = ", ".join(f"{m} {sum(res[e, m][0].sae for e in ELECTIONS if e != held)}" for m in full)
        rows.append((held or "none", choice[held], totals))
    table(("held out", "chosen", "total SAE of the other elections"), rows)
    return choice[None]


def scotland_section(res, default: str) -> None:
    from seatcast.polls.nations import nation_estimate

    print("### Scotland on the eve of polling day (`seatcast.polls.nations`)\n")
    rows = []
    for e in ("2015", "2017", "2019"):
        day = data.election(e).date
        avg = nation_estimate("Scotland", day)
        prev = data.baseline(data.election(e).previous)
        act = data.baseline(e)
        truth = 100 * act.area_totals(act.nation_mask("Scotland"))["snp"]
        held = 100 * prev.area_totals(prev.nation_mask("Scotland"))["snp"]
        lo, hi = avg.band["snp"]
        src = ("YouGov Scottish sub-samples + GB SNP+Plaid figure / f" if e == "2015"
               else "GB polls' SNP column / f")
        r = res[e, default][0]
        rows.append((e, src, len(avg.polls), f"{avg.average['snp']:.1f} ({lo:.1f}-{hi:.1f})", f"{held:.1f}",
                     f"{truth:.1f}", f"{r.seats['snp']} / {r.expected['snp']:.0f}", r.actual["snp"]))
    table(("election", "source", "polls", "SNP % estimate (90% band)", "held at baseline (old rule)",
           "actual SNP %", f"SNP seats, {default} median / expected", "actual seats"), rows)
    wales = nation_estimate("Wales", data.election("2019").date)
    act = data.baseline("2019")
    print(f"Not used: Plaid from the GB polls' Plaid column, 2019: {wales.average['pc']:.1f}% against "
          f"{100 * act.area_totals(act.nation_mask('Wales'))['pc']:.1f}% actual.\n")
    nation_tables.markdown(default)
    scotland_designs.markdown()


def _grid_table(grid) -> None:
    ks = sorted(next(iter(grid.values())))
    table(("election", *[f"{k:g}" for k in ks]), [(e, *[grid[e][k] for k in ks]) for e in ELECTIONS])


def _england_shares(model) -> str:
    """Con / Lab / LD / Green shares in England of the 2024 hindsight projection with ``model``."""
    p = project(actual_scenario("2024", "nations"), "2019n", model)
    nat = p.national_shares(("England",))
    return " / ".join(f"{100 * nat[q]:.1f}" for q in ("con", "lab", "ld", "green"))


def tactical_section() -> None:
    grid = tuning.hindsight_grid()
    print("### Tactical squeeze strength (`tac`), hindsight with true nation shares (seats called of 632)\n")
    _grid_table(grid)
    chosen = tuning.strength_table(grid)
    print("Chosen leave-one-election-out (most seats on the other three; ties: the smaller): "
          + ", ".join(f"baseline {b} -> {chosen[b]:g}" for b in ("2010", "2015", "2017", "2019n"))
          + f"; future forecasts (baseline 2024, all four): {chosen['2024']:g}.\n")
    loose = tuning.hindsight_grid(preserve=False)
    print("Ablation: the squeeze **without keeping the area totals** (the earlier `tac`):\n")
    _grid_table(loose)
    k_loose = tuning.strength_table(loose)["2019n"]
    print(f"England, 2024 hindsight, con / lab / ld / green %: true {_england_shares('tm')} (tm keeps the "
          f"targets); totals kept, strength {chosen['2019n']:g}: {_england_shares(TacticalModel())}; "
          f"not kept, strength {k_loose:g}: {_england_shares(TacticalModel(k_loose, preserve=False))}; "
          f"not kept, strength 1.75: {_england_shares(TacticalModel(1.75, preserve=False))}.\n")
    print("### Functional form of the condition, leave-one-election-out\n")
    print("`lam = min(0.9, strength x g)`, `g` from the government's fall `f` and its baseline share `n` "
          "in the area, each form scaled to equal `f` at a 15-point fall from 40%: linear `f`; square "
          "`f^2/0.15`; relative `0.4 f/n`; relative_square `(0.4 f/n)^2/0.15`; threshold "
          "`3 max(0, f - 0.10)`. For each held-out election the strength is chosen on the other three "
          "(hindsight, true nation shares); the cells are the held-out election's seats called / SAE, "
          "in hindsight and in the deterministic "
          "projection of the eve-of-election poll average (no simulation).\n")
    scores = {label: tuning.variant_scores(params) for label, params in tuning.VARIANTS.items()}
    rows = []
    for label, sc in scores.items():
        loo = tuning.variant_loo(sc)
        rows.append((label, "/".join(f"{loo[e]['strength']:g}" for e in ELECTIONS),
                     *[f"{loo[e]['hindsight'][0]} / {loo[e]['hindsight'][1]}" for e in ELECTIONS],
                     f"{sum(loo[e]['hindsight'][0] for e in ELECTIONS)} / "
                     f"{sum(loo[e]['hindsight'][1] for e in ELECTIONS)}",
                     *[f"{loo[e]['eve'][0]} / {loo[e]['eve'][1]}" for e in ELECTIONS],
                     f"{sum(loo[e]['eve'][1] for e in ELECTIONS)}"))
    table(("variant", "strength (held out 2015/17/19/24)", *[f"hindsight {e}" for e in ELECTIONS],
           "hindsight total", *[f"eve {e}" for e in ELECTIONS], "eve SAE total"), rows)
    kept = {k: v for k, v in scores.items() if "not kept" not in k}
    for intro, subset in (("The form chosen leave-one-election-out as well (the variant and strength with "
                           "most seats on the other three)", scores),
                          ("Among the variants that keep the totals only", kept)):
        choice = tuning.form_choice(subset)
        held = [f"held out {e}: {choice[e][0]} seats, reached by " + ", ".join(f"`{v}`" for v in choice[e][1])
                for e in ELECTIONS]
        print(f"{intro}: " + "; ".join(held) + ".\n")
    tactical_designs.main()
    alt = tuning.hindsight_grid(challenger="baseline")
    print("Ablation: the challenger taken from the **baseline** result (the party second to the government "
          "party at the last election, as tactical-voting campaigns advise) instead of the projection:\n")
    _grid_table(alt)
    pick = tuning.strength_table(alt)
    print(f"Leave-one-election-out it would give 2024 the strength {pick['2019n']:g} "
          f"({alt['2024'][pick['2019n']]} seats, against {grid['2024'][chosen['2019n']]} with the projected "
          "challenger), so the projected challenger stays.\n")


#: The earlier calibration rule: regional and seat scales times one factor, chosen leave-one-election-out
#: by the same criterion (``tuning.choose_sharpness`` before the regional scale was left as measured).
EARLIER_SHARPNESS = {"2015": 0.65, "2017": 0.6, "2019": 0.7, "2024": 0.8}


def _calibration_scores(runs) -> tuple[str, str, str]:
    """90% coverage, largest reliability gap (bins >= 200) and mean Brier of ``{election: (result, fc)}``."""
    cov = [v for e in ELECTIONS for v in runs[e][0].covered90.values()]
    rel = fb.reliability_table([fb.probability_outcomes(runs[e][1], e) for e in ELECTIONS])
    big = rel[rel["n"] >= 200]
    gap = (100 * (big["observed"] - big["forecast"])).abs().max()
    brier = sum(runs[e][0].brier for e in ELECTIONS) / len(ELECTIONS)
    return f"{sum(cov)} of {len(cov)}", f"{gap:.1f}", f"{brier:.4f}"


def calibration_rule_section(res, default: str) -> None:
    from seatcast.simulate.forecast import forecast

    earlier = {}
    for e in ELECTIONS:
        s = calibration.base_scales(default, e)
        f = EARLIER_SHARPNESS[e]
        fc = forecast(fb.eve_scenario(e), as_of=data.election(e).date.isoformat(), baseline=fb.BACKTESTS[e],
                      model=default, scales=calibration.Scales(s.national, s.regional * f, s.seat * f),
                      draws=fb.BACKTEST_DRAWS, seed=fb.DEFAULT_SEED)
        earlier[e] = (fb.score(fc, e, default), fc)
    print(f"### Calibration rule (`{default}`, four backtests)\n")
    now = {e: res[e, default] for e in ELECTIONS}
    table(("rule", "90% intervals holding the total", "largest reliability gap (points)", "mean Brier"),
          [("regional and seat scales sharpened (earlier)", *_calibration_scores(earlier)),
           ("seat scale only sharpened (now)", *_calibration_scores(now))])


def scales_section() -> None:
    print("### Error scales and sharpness (leave-one-election-out)\n")
    rows = []
    for m in ("tm", "tac"):
        for ex in (None, *ELECTIONS):
            b, f = calibration.base_scales(m, ex), calibration.fit_scales(m, ex)
            rows.append((m, ex or "none", f"{b.national:.3f}", f"{b.regional:.3f}", f"{b.seat:.3f}",
                         f"{calibration.sharpness(m, ex):g}", f"{f.regional:.3f}", f"{f.seat:.3f}"))
    table(("model", "left out", "national", "regional (measured)", "seat (measured)", "sharpness",
           "regional used", "seat used"), rows)


def hindsight_section() -> None:
    for level, label in LEVELS.items():
        flag = "" if level == "gb" else " --" + level
        print(f"### Hindsight with {label} (`seatcast hindsight --all{flag}`)\n")
        rows = [(m, *[cell(hindsight(e, m, level)) for e in ELECTIONS]) for m in MODELS]
        table(("model", *ELECTIONS), rows)


def learned_section() -> None:
    print("### Learned model, forward-chaining (trained on earlier transitions only; seats / SAE / RMSE)\n")
    nat, gb = validate("forward", "nations"), validate("forward", "gb")
    table(("election", "true nation shares", "true GB shares"),
          [(a.election, cell(a), cell(b)) for a, b in zip(nat, gb, strict=True)])
    print("### Learned model, feature ablation (leave-one-election-out, true nation shares; seats / SAE)\n")
    rows = []
    for label, feats in ABLATION.items():
        rs = validate("loo", "nations", features=feats)
        rows.append((label, *[f"{r.seats_correct} / {r.sae}" for r in rs], sum(r.seats_correct for r in rs)))
    table(("features", *ELECTIONS, "total seats"), rows)


@cache
def markdown() -> str:
    """Every table of the section, computed once per process (the backtests feed several tables)."""
    buf = io.StringIO()
    with redirect_stdout(buf):
        res = run_all_backtests()
        default = default_section(res)
        if default != DEFAULT_MODEL:
            print(f"**Note:** the chosen default `{default}` differs from `seatcast forecast`'s "
                  f"`{DEFAULT_MODEL}`; the goals below use `{DEFAULT_MODEL}`.\n")
        goals_section(res, DEFAULT_MODEL)
        backtest_section(res, DEFAULT_MODEL)
        scotland_section(res, DEFAULT_MODEL)
        tactical_section()
        calibration_rule_section(res, DEFAULT_MODEL)
        scales_section()
        hindsight_section()
        learned_section()
    return buf.getvalue()


if __name__ == "__main__":
    print(markdown())
