"""Incumbency: first-term MPs standing again and retiring MPs.

The effect (``is_sitting_mp`` in the bundled results, UK Parliament election results service):

* a seat's **first-term incumbent** is a baseline winner who was not a sitting MP at the baseline
  election and stands again for the same party at the next one (the "sophomore surge");
* a **retirement** is a seat whose baseline winner does not stand again for that party (the party's
  candidate at the next election is someone else, or it does not stand);
* the winning party's projected share there moves by ``first_term`` or ``retire`` points (the
  other parties scaled to make room), relative to seats whose long-serving MP stands again.

The two effects are fitted on the 2010 -> 2015, 2015 -> 2017 and 2017 -> 2019 transitions (same
boundaries, so a seat's MP can be followed): the residual of the winning party's share (actual
minus the transition model given the true nation shares) is regressed on the two flags with one
intercept per election (:func:`fit_effect`).

:func:`loo_comparison` scores the effect leave-one-election-out: each transition is projected with
the effect fitted on the other two, and compared with the same projection without it (table in
``docs/accuracy.md``, "Candidates and personal votes"). It helped, so projections use it by default
(:data:`USE_BY_DEFAULT`), in the form known before the next election is called: every baseline
winner who was a new MP at the baseline gets the first-term effect (assumed to stand again;
remove the candidate with a seat override if not); future retirements are not known, so the
retirement effect is not applied. The effect a baseline uses is forward-chained
(:data:`EFFECT_BY_BASELINE`: fitted only on transitions that ended by the baseline election). The
2019 notionals carry no MPs, so the ``2019n`` baseline has no incumbency effect.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from seatcast.data import baseline, results

#: Hindsight transitions with candidates on both sides and the same boundaries.
TRANSITIONS = {"2015": "2010", "2017": "2015", "2019": "2017"}
NOT_PARTIES = ("speaker", "ind")
USE_BY_DEFAULT = True
#: (first_term, retire) effects (fractions of the vote) by baseline, forward-chained: fitted with
#: :func:`fit_effect` on the transitions ending no later than the baseline (tm model). The 2010
#: baseline has none before it. ``tests/test_candidates.py`` recomputes the table.
EFFECT_BY_BASELINE = {"2010": (0.0, 0.0), "2015": (0.0105, -0.0146), "2017": (0.0176, -0.0091),
                      "2019": (0.0171, -0.0159), "2024": (0.0171, -0.0159)}


def first_term(base_id: str) -> np.ndarray | None:
    """(seat,) True where the baseline winner was not a sitting MP before it; None for notionals."""
    won = results(base_id)
    if "is_sitting_mp" not in won.columns:
        return None
    won = won.query("elected").set_index("ons_code").reindex(baseline(base_id).codes)
    return ~won["is_sitting_mp"].fillna(True).astype(bool).to_numpy()


@cache
def flags(base_id: str, target_id: str) -> pd.DataFrame:
    """Per baseline seat (ons_code index): ``winner``, ``first_term`` and ``retire`` flags."""
    base = baseline(base_id)
    won = results(base_id).query("elected").set_index("ons_code").reindex(base.codes)
    nxt = (results(target_id).sort_values("votes", ascending=False)
           .drop_duplicates(["ons_code", "party"]).set_index(["ons_code", "party"]))
    keys = list(zip(base.codes, base.winners, strict=True))
    again = np.array([nxt["candidate"].get(k) == won.at[k[0], "candidate"] for k in keys])
    new_mp = ~won["is_sitting_mp"].astype(bool).to_numpy()
    return pd.DataFrame({"winner": base.winners, "first_term": new_mp & again, "retire": ~again},
                        index=base.codes)


def residuals(target_id: str, model: str = "tm") -> pd.DataFrame:
    """GB party-held seats of a transition: flags and the winner's residual (actual - projected)."""
    from seatcast.backtest.hindsight import actual_scenario
    from seatcast.swing.project import prepare_projection

    base_id = TRANSITIONS[target_id]
    scen = actual_scenario(target_id, "nations")
    prep = prepare_projection(scen, base_id, model)
    raw = prep.model.predict(prep.model.expand(prep.targets.new))  # before the candidate step
    actual = baseline(target_id)
    f = flags(base_id, target_id)
    rows = np.arange(len(f))
    got = actual.shares[rows, [actual.party_index(p) if p in actual.parties else 0 for p in f["winner"]]]
    pred = raw[rows, [prep.baseline.parties.index(p) for p in f["winner"]]]
    keep = prep.baseline.nation_mask("England", "Scotland", "Wales") & ~f["winner"].isin(NOT_PARTIES)
    return f.assign(resid=got - pred, election=target_id)[keep.to_numpy()]


def fit_effect(elections, model: str = "tm") -> tuple[float, float]:
    """(first_term, retire) effects in share points (fractions), one intercept per election."""
    d = pd.concat([residuals(e, model) for e in elections])
    dummies = pd.get_dummies(d["election"], dtype=float).to_numpy()
    x = np.column_stack([d["first_term"].astype(float), d["retire"].astype(float), dummies])
    coef, *_ = np.linalg.lstsq(x, d["resid"].to_numpy(), rcond=None)
    return float(coef[0]), float(coef[1])


def apply_incumbency(shares: np.ndarray, parties: tuple[str, ...], f: pd.DataFrame,
                     effect: tuple[float, float]) -> np.ndarray:
    """Move the baseline winner's share by the effect in flagged seats; rows still sum to one."""
    out = shares.copy()
    rows = np.arange(len(f))
    cols = np.array([parties.index(p) for p in f["winner"]])
    delta = effect[0] * f["first_term"].to_numpy() + effect[1] * f["retire"].to_numpy()
    delta[f["winner"].isin(NOT_PARTIES).to_numpy()] = 0.0
    old = out[..., rows, cols]
    new = np.clip(old + delta, 0.0, 1.0)
    scale = np.divide(1.0 - new, 1.0 - old, out=np.ones_like(old), where=old < 1.0)
    out[..., rows, :] *= scale[..., None]
    out[..., rows, cols] = new
    return out


def forecast_flags(base_id: str, target_id: str) -> pd.DataFrame:
    """The flags as known before the next election is called: new MPs, no retirements known."""
    f = flags(base_id, target_id)
    return f.assign(first_term=first_term(base_id), retire=False)


def loo_comparison(model: str = "tm") -> pd.DataFrame:
    """Leave-one-election-out, GB seats: seats called and SAE without the effect, with it when the
    candidates are known (nominations), and with the forecast-time flags (the default)."""
    from seatcast.backtest.hindsight import actual_scenario, score
    from seatcast.swing.project import Projection, prepare_projection

    rows = []
    for e, b in TRANSITIONS.items():
        effect = fit_effect([x for x in TRANSITIONS if x != e])
        scen = actual_scenario(e, "nations")
        prep = prepare_projection(scen, b, model)
        raw = prep.model.predict(prep.model.expand(prep.targets.new))
        row = {"election": e, "first_term": round(100 * effect[0], 2), "retire": round(100 * effect[1], 2)}
        for label, f in (("none", None), ("known", flags(b, e)), ("forecast", forecast_flags(b, e))):
            shares = raw if f is None else apply_incumbency(raw, prep.baseline.parties, f, effect)
            proj = Projection(scen, prep.baseline, model, prep.targets, shares, (), "")
            s = score(proj, e, "nations", model)
            row |= {f"seats_{label}": s.seats_correct, f"sae_{label}": s.sae}
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
    from seatcast.backtest.hindsight import actual_scenario, score
    from seatcast.swing.project import Projection, prepare_projection

    f = flags_2019n()
    known = pd.DataFrame({"winner": f["winner"], "first_term": f["new_mp"] & f["again"],
                          "retire": ~f["again"]})
    forecast = pd.DataFrame({"winner": f["winner"], "first_term": f["new_mp"], "retire": False})
    scen = actual_scenario("2024", "nations")
    prep = prepare_projection(scen, "2019n", model)
    raw = prep.model.predict(prep.model.expand(prep.targets.new))
    out = {}
    for label, flags_ in (("none", None), ("known", known), ("forecast", forecast)):
        shares = raw if flags_ is None else apply_incumbency(raw, prep.baseline.parties, flags_,
                                                             EFFECT_BY_BASELINE["2019"])
        proj = Projection(scen, prep.baseline, model, prep.targets, shares, (), "")
        s = score(proj, "2024", "nations", model)
        out[label] = (s.seats_correct, s.sae)
    return out
