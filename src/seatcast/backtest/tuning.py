"""Choosing the tuned constants that :mod:`seatcast.swing` and :mod:`seatcast.simulate` store.

A tuning parameter is chosen by running hindsight projections or forecast backtests, which sit
above the swing models and the simulation; so the choosing is done here and the lower packages
keep only the chosen values (with a docstring saying how they were chosen). Tests recompute them
through this module and check the stored constants match:

* the tactical squeeze strength per baseline (:data:`seatcast.swing.tactical.STRENGTH_BY_BASELINE`),
  leave-one-election-out over the hindsight pairs: :func:`strength_table`
  (``tests/test_tactical.py``; table in ``docs/accuracy.md`` via ``benchmarks/accuracy_tables.py``);
* the incumbency effects per baseline (:data:`seatcast.swing.incumbency.EFFECT_BY_BASELINE`),
  forward-chained: :func:`fit_effect`; scored leave-one-election-out by :func:`loo_comparison` and
  out of sample by :func:`out_of_sample_2024` (``tests/test_candidates.py``,
  ``benchmarks/candidates_tables.py``);
* the sharpness factor of the seat error scale
  (:data:`seatcast.simulate.calibration.SHARPNESS`), leave-one-election-out over the
  eve-of-election backtests: :func:`choose_sharpness` (``benchmarks/calibrate_sharpness.py``;
  ``tests/test_tuning.py`` recomputes one entry).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from seatcast.backtest import forecast_backtest as fb
from seatcast.backtest.hindsight import actual_scenario, score
from seatcast.data import baseline, election, results
from seatcast.elections import TRANSITIONS
from seatcast.simulate.calibration import SHARPNESS_GRID, base_scales, sharpened
from seatcast.simulate.forecast import forecast
from seatcast.swing import incumbency
from seatcast.swing.incumbency import EFFECT_BY_BASELINE, apply_incumbency, flags, forecast_flags
from seatcast.swing.project import Projection, prepare_projection, projection_from
from seatcast.swing.tactical import TacticalModel

# --- the tactical squeeze strength (seatcast.swing.tactical) -----------------------------------

#: Strengths searched (per unit of government fall, fraction of anti-government votes moved).
STRENGTH_GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
#: Hindsight pairs (election predicted -> baseline) the strength is chosen on.
STRENGTH_PAIRS = TRANSITIONS


def hindsight_grid(grid=STRENGTH_GRID, level: str = "nations", **params) -> dict[str, dict[float, int]]:
    """Seats called right (of 632 GB seats) per hindsight pair and strength, true ``level`` shares."""
    out = {}
    for e, b in STRENGTH_PAIRS.items():
        scen = actual_scenario(e, level)
        out[e] = {}
        for k in grid:
            prep = prepare_projection(scen, b, TacticalModel(k, **params))
            out[e][k] = score(projection_from(scen, prep), e, level, "tac").seats_correct
    return out


def choose_strength(exclude: str | None, table: dict[str, dict[float, int]] | None = None) -> float:
    """The strength with most seats called right over every pair but ``exclude`` (ties: smaller)."""
    table = hindsight_grid() if table is None else table
    grid = sorted(next(iter(table.values())))
    total = {k: sum(t[k] for e, t in table.items() if e != exclude) for k in grid}
    best = max(total.values())
    return min(k for k in grid if total[k] == best)


def strength_table(table=None) -> dict[str, float]:
    """``STRENGTH_BY_BASELINE`` recomputed: each baseline leaves out the election it starts."""
    table = hindsight_grid() if table is None else table
    out = {b: choose_strength(e, table) for e, b in STRENGTH_PAIRS.items()}
    out["2019"] = out["2019n"]
    out["2024"] = choose_strength(None, table)
    return out


#: Variants of the squeeze compared leave-one-election-out (``docs/accuracy.md``): the functional
#: form of the condition (:data:`seatcast.swing.tactical.FORMS`), with and without keeping the
#: area totals.
VARIANTS = {f"{form}, {'totals kept' if keep else 'totals not kept'}": {"form": form, "preserve": keep}
            for keep in (True, False) for form in ("linear", "square", "relative", "relative_square",
                                                   "threshold")}


def variant_scores(params: dict, grid=STRENGTH_GRID) -> dict[tuple[str, str, float], tuple[int, int]]:
    """(election, "hindsight" | "eve", strength) -> (GB seats called, SAE) of ``TacticalModel(k, **params)``:
    hindsight with true nation shares, and the deterministic projection of the eve-of-election poll
    average (no simulation)."""
    out = {}
    for e, b in STRENGTH_PAIRS.items():
        for kind, scen in (("hindsight", actual_scenario(e, "nations")), ("eve", fb.eve_scenario(e))):
            for k in grid:
                s = score(projection_from(scen, prepare_projection(scen, b, TacticalModel(k, **params))),
                          e, "nations", "tac")
                out[e, kind, k] = (s.seats_correct, s.sae)
    return out


def variant_loo(scores: dict) -> dict[str, dict]:
    """Per held-out election: the strength chosen on the other pairs' hindsight (most seats; ties:
    the smaller) and the held-out hindsight and eve scores at that strength."""
    grid = sorted({k for _, _, k in scores})
    table = {e: {k: scores[e, "hindsight", k][0] for k in grid} for e in STRENGTH_PAIRS}
    out = {}
    for e in STRENGTH_PAIRS:
        k = choose_strength(e, table)
        out[e] = {"strength": k, "others": sum(table[x][k] for x in table if x != e),
                  "hindsight": scores[e, "hindsight", k], "eve": scores[e, "eve", k]}
    return out


def form_choice(all_scores: dict[str, dict]) -> dict[str, tuple[int, list[str]]]:
    """Per held-out election: the best total of the other pairs' hindsight seats over every variant
    and strength, and the variants that reach it (the form chosen leave-one-election-out too)."""
    out = {}
    for e in STRENGTH_PAIRS:
        best = {}
        for label, sc in all_scores.items():
            ks = {k for _, _, k in sc}
            best[label] = max(sum(sc[x, "hindsight", k][0] for x in STRENGTH_PAIRS if x != e) for k in ks)
        top = max(best.values())
        out[e] = (top, [label for label, v in best.items() if v == top])
    return out


# --- the incumbency effects (seatcast.swing.incumbency) ----------------------------------------


def _raw_projection(target_id: str, base_id: str, model: str):
    """The true-nation-shares scenario, its prepared projection and the model's shares before the
    candidate step."""
    scen = actual_scenario(target_id, "nations")
    prep = prepare_projection(scen, base_id, model)
    return scen, prep, prep.model.predict(prep.model.expand(prep.targets.new))


def residuals(target_id: str, model: str = "tm") -> pd.DataFrame:
    """GB party-held seats of a transition: flags and the winner's residual (actual - projected)."""
    base_id = incumbency.TRANSITIONS[target_id]
    _, prep, raw = _raw_projection(target_id, base_id, model)
    actual = baseline(target_id)
    f = flags(base_id, target_id)
    rows = np.arange(len(f))
    got = actual.shares[rows, [actual.party_index(p) if p in actual.parties else 0 for p in f["winner"]]]
    pred = raw[rows, [prep.baseline.parties.index(p) for p in f["winner"]]]
    keep = (prep.baseline.nation_mask("England", "Scotland", "Wales")
            & ~f["winner"].isin(incumbency.NOT_PARTIES))
    return f.assign(resid=got - pred, election=target_id)[keep.to_numpy()]


def fit_effect(elections, model: str = "tm") -> tuple[float, float]:
    """(first_term, retire) effects in share points (fractions), one intercept per election."""
    d = pd.concat([residuals(e, model) for e in elections])
    dummies = pd.get_dummies(d["election"], dtype=float).to_numpy()
    x = np.column_stack([d["first_term"].astype(float), d["retire"].astype(float), dummies])
    coef, *_ = np.linalg.lstsq(x, d["resid"].to_numpy(), rcond=None)
    return float(coef[0]), float(coef[1])


def _scores(scen, prep, raw, model: str, target_id: str, effect, flag_sets: dict) -> dict:
    """(seats called, SAE) of the projection with each set of flags (None: no effect)."""
    out = {}
    for label, f in flag_sets.items():
        shares = raw if f is None else apply_incumbency(raw, prep.baseline.parties, f, effect)
        proj = Projection(scen, prep.baseline, model, prep.targets, shares, (), "")
        s = score(proj, target_id, "nations", model)
        out[label] = (s.seats_correct, s.sae)
    return out


def loo_comparison(model: str = "tm") -> pd.DataFrame:
    """Leave-one-election-out, GB seats: seats called and SAE without the effect, with it when the
    candidates are known (nominations), and with the forecast-time flags (the default)."""
    rows = []
    for e, b in incumbency.TRANSITIONS.items():
        effect = fit_effect([x for x in incumbency.TRANSITIONS if x != e])
        scen, prep, raw = _raw_projection(e, b, model)
        got = _scores(scen, prep, raw, model, e, effect,
                      {"none": None, "known": flags(b, e), "forecast": forecast_flags(b, e)})
        row = {"election": e, "first_term": round(100 * effect[0], 2), "retire": round(100 * effect[1], 2)}
        for label, (seats, sae) in got.items():
            row |= {f"seats_{label}": seats, f"sae_{label}": sae}
        rows.append(row)
    return pd.DataFrame(rows)


def flags_2019n() -> pd.DataFrame:
    """Flags for 2019n -> 2024: each 2024 seat follows the 2019 seat holding most of its population
    (HoC Library overlaps); a flag needs that seat's 2019 winner to be the notional winner's party."""
    from seatcast.data.boundaries import overlap_weights

    base = baseline("2019n")
    ov = overlap_weights().sort_values("weight", ascending=False).drop_duplicates("new_ons_code")
    old = ov.set_index("new_ons_code")["old_ons_code"].reindex(base.codes)
    won = results("2019").query("elected").set_index("ons_code").reindex(old.to_numpy())
    nxt = (results("2024").sort_values("votes", ascending=False)
           .drop_duplicates(["ons_code", "party"]).set_index(["ons_code", "party"]))
    same = won["party"].to_numpy() == base.winners
    new_mp = same & ~won["is_sitting_mp"].fillna(True).astype(bool).to_numpy()
    again = same & np.array([nxt["candidate"].get((c, w)) == n for c, w, n
                             in zip(base.codes, base.winners, won["candidate"], strict=True)])
    return pd.DataFrame({"winner": base.winners, "new_mp": new_mp, "again": again}, index=base.codes)


def out_of_sample_2024(model: str = "tm") -> dict:
    """2024 from the 2019 notionals with the effect fitted on 2010-2019 (never used to choose it)."""
    f = flags_2019n()
    known = pd.DataFrame({"winner": f["winner"], "first_term": f["new_mp"] & f["again"],
                          "retire": ~f["again"]})
    forecast_ = pd.DataFrame({"winner": f["winner"], "first_term": f["new_mp"], "retire": False})
    scen, prep, raw = _raw_projection("2024", "2019n", model)
    return _scores(scen, prep, raw, model, "2024", EFFECT_BY_BASELINE["2019"],
                   {"none": None, "known": known, "forecast": forecast_})


# --- the sharpness of the error scales (seatcast.simulate.calibration) -------------------------


def sharpness_forecasts(model: str, held_out: str | None, factor: float, draws: int = 4000,
                        seed: int = 1) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each other election's backtest with the seat scale times ``factor``: (p, y) of every GB
    seat and party with a positive win probability (``y`` 1 if that party won)."""
    out = {}
    for e, b in fb.BACKTESTS.items():
        m = fb.model_for(model, e)
        if e == held_out or m is None:
            continue
        s = base_scales(model, tuple(x for x in (held_out, e) if x))
        fc = forecast(fb.eve_scenario(e), as_of=election(e).date.isoformat(), baseline=b, model=m,
                      draws=draws, seed=seed, scales=sharpened(s, factor))
        out[e] = fb.probability_outcomes(fc, e)
    return out


def calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: the forecast-weighted mean |observed - forecast| over ten bins."""
    b = np.minimum((p * bins).astype(int), bins - 1)
    n = np.bincount(b, minlength=bins)
    gap = np.abs(np.bincount(b, y, bins) - np.bincount(b, p, bins))
    return float(gap.sum() / n.sum())


def choose_sharpness(model: str, held_out: str | None, grid=SHARPNESS_GRID, **kw) -> float:
    """The factor of ``grid`` with the lowest calibration error (:func:`calibration_error`) of the
    seat win probabilities pooled over the other elections' backtests (ties: the larger)."""
    err = {}
    for f in grid:
        runs = sharpness_forecasts(model, held_out, f, **kw).values()
        err[f] = round(calibration_error(np.concatenate([p for p, _ in runs]),
                                         np.concatenate([y for _, y in runs])), 4)
    best = min(err.values())
    return max(f for f in grid if err[f] == best)
