"""Scotland and Wales designs measured for issue 10 and not shipped (``docs/accuracy.md``, "Scotland:
where the seats go wrong, and three changes that do not help").

    .venv/bin/python benchmarks/scotland_designs.py   # about a minute; also part of docs/accuracy.md

* **Diagnosis**: the Scottish seats the default model (``tm``) gets wrong on the eve of 2015 and 2017
  (deterministic projection of the poll average) and in hindsight with true nation shares, by projected ->
  actual winner, with the Scottish shares the projection starts from.
* **SNP exchange rule** (``seatcast.swing.scenario.EXCHANGE``): with only an SNP estimate for Scotland, a
  share of the SNP's change is exchanged with Scottish Labour before the other parties are rescaled.
  The share is chosen leave-one-election-out two ways: on the backtests (most Scotland + Wales seats
  called on the other elections, as the GB-change rule is chosen) and on the vote (smallest error of
  the Scottish shares the rule gives from the other elections' true GB shares).
* **Leave tilt**: ``tm`` with the Conservative share in each Scottish seat tilted by the 2016 Leave share
  (2017 and 2019, the elections it is known before), raked back to the nation totals; ``beta`` chosen on
  the other election.
* **Devolved squeeze in the default path**: ``tm`` plus the ``tac`` squeeze against the devolved
  government only (the SNP in Scotland; and Labour in Wales), not the UK one; strength chosen
  leave-one-election-out on hindsight, as ``tac``'s is.
"""

from __future__ import annotations

import importlib
from collections import Counter
from unittest import mock

import nation_tables
import numpy as np
import pandas as pd
from _markdown import table
from nation_tables import scotland_share
from scipy.optimize import brentq

from seatcast import data
from seatcast.backtest import forecast_backtest as fb
from seatcast.backtest.hindsight import actual_scenario, score
from seatcast.backtest.tuning import STRENGTH_GRID, choose_strength
from seatcast.data import loaders
from seatcast.elections import TRANSITIONS
from seatcast.polls import nations
from seatcast.simulate.calibration import fit_scales
from seatcast.simulate.forecast import forecast
from seatcast.swing import kernels
from seatcast.swing.models import TransitionModel
from seatcast.swing.project import project
from seatcast.swing.scenario import Scenario, prepare, targets
from seatcast.swing.tactical import RAKE_ROUNDS, TacticalModel

#: The module ``seatcast.swing.scenario`` (``seatcast.swing.scenario`` as a name is the function).
SCENARIO = importlib.import_module("seatcast.swing.scenario")
EXCHANGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
#: Elections whose Scottish target comes from the GB split (no Scotland-only poll before 2020).
SPLIT = ("2015", "2017", "2019")
SHOWN = ("con", "lab", "ld", "snp", "ukip", "reform", "green")
DEVOLVED_ONLY = {"Scotland": "snp", "Wales": "lab"}


def called(winners: pd.Series, election_id: str, nation: str) -> int:
    act = data.baseline(election_id)
    pred = winners.reindex(act.codes).to_numpy()
    return int((pred == act.winners)[act.nation_mask(nation)].sum())


def _winners(proj) -> pd.Series:
    return pd.Series(proj.winners, index=proj.baseline.codes)


def _wrong(proj, election_id: str) -> str:
    act = data.baseline(election_id)
    pred = _winners(proj).reindex(act.codes).to_numpy()
    bad = (pred != act.winners) & act.nation_mask("Scotland")
    pairs = Counter(zip(pred[bad], act.winners[bad], strict=True))
    return ", ".join(f"{a}->{b} {n}" for (a, b), n in pairs.most_common())


def _shares(proj, election_id: str) -> str:
    act = data.baseline(election_id)
    truth = act.area_totals(act.nation_mask("Scotland"))
    mask = proj.baseline.nation_mask("Scotland")
    w = proj.baseline.weights[mask]
    got = pd.Series(w @ proj.shares[mask] / w.sum(), index=list(proj.parties))
    return ", ".join(f"{p} {100 * got.get(p, 0):.1f}/{100 * truth.get(p, 0):.1f}" for p in SHOWN
                     if got.get(p, 0) + truth.get(p, 0) >= 0.005)


def diagnosis() -> None:
    print("#### Where the Scottish seats go wrong (default model `tm`, deterministic projection)\n")
    rows = []
    for e, kind in (("2015", "eve"), ("2017", "eve"), ("2017", "hindsight"), ("2024", "hindsight")):
        scen = fb.eve_scenario(e) if kind == "eve" else actual_scenario(e, "nations")
        proj = project(scen, TRANSITIONS[e], "tm")
        seats = int(data.baseline(e).nation_mask("Scotland").sum())
        rows.append((e, kind, f"{called(_winners(proj), e, 'Scotland')} / {seats}", _wrong(proj, e),
                     _shares(proj, e)))
    table(("election", "shares", "Scotland called", "wrong: projected -> actual winner",
           "Scottish shares, projection / actual %"), rows)
    corr = {e: leave_correlation(e) for e in ("2017", "2019")}
    print("Correlation over Scotland's 59 seats of the hindsight error of each party's share (actual minus "
          "projected) with the 2016 EU-referendum Leave share (Hanretty's estimates, 2010 boundaries): "
          + "; ".join(f"{e} " + ", ".join(f"{p} {r:+.2f}" for p, r in c.items()) for e, c in corr.items())
          + ".\n")


def leave_correlation(election_id: str) -> dict[str, float]:
    """Correlation of ``tm``'s hindsight error in Scotland (true nation shares) with the Leave share."""
    proj = project(actual_scenario(election_id, "nations"), TRANSITIONS[election_id], "tm")
    act = data.baseline(election_id)
    codes = act.codes[act.nation_mask("Scotland")]
    got = pd.DataFrame(proj.shares, index=proj.baseline.codes, columns=list(proj.parties)).reindex(codes)
    truth = pd.DataFrame(act.shares, index=act.codes, columns=list(act.parties)).reindex(codes)
    leave = loaders.leave()["leave_share"].reindex(codes)
    return {p: float(np.corrcoef(truth[p] - got[p], leave)[0, 1]) for p in ("con", "lab", "ld", "snp")}


def exchange_sweep() -> dict[tuple[float, str], tuple[int, int, int, int]]:
    """(share, election) -> (SAE, Scotland called, Wales called, SNP seats) of ``tm``'s backtest."""
    out = {}
    for share in EXCHANGES:
        with mock.patch.object(SCENARIO, "EXCHANGE", share):
            for e in fb.BACKTESTS:
                fc = fb.backtest_forecast(e, "tm")
                r = fb.score(fc, e, "tm")
                out[share, e] = (r.sae, *nation_tables.nation_calls(fc, e), r.seats["snp"])
    return out


def true_snp_scenario(election_id: str) -> Scenario:
    """The true GB shares of ``election_id``, the SNP's given as the eve forecasts give it: ``f`` (of
    the baseline) times its true Scottish share, so the split puts the SNP exactly on its result."""
    gb = dict(actual_scenario(election_id, "gb").gb)
    f = nations.turnout_fraction(TRANSITIONS[election_id], "Scotland")
    gb["snp"] = f * scotland_share(election_id)
    return Scenario(gb)


def split_errors(election_id: str, share: float) -> pd.Series:
    """Errors (points) of the Scottish shares the GB split gives with exchange ``share`` from the
    true GB shares of ``election_id`` and the SNP's true Scottish share (:func:`true_snp_scenario`),
    by party (not ``other``, independents, the Speaker)."""
    scen = true_snp_scenario(election_id)
    base, _ = prepare(data.baseline(TRANSITIONS[election_id]), scen)
    with mock.patch.object(SCENARIO, "EXCHANGE", share):
        tg = targets(base, scen)
    got = pd.Series(tg.new[tg.names.index("Scotland")], index=list(base.parties))
    act = data.baseline(election_id)
    truth = act.area_totals(act.nation_mask("Scotland"))
    codes = sorted((set(got.index) | set(truth.index)) - {"other", "ind", "speaker"})
    return pd.Series({c: 100 * (got.get(c, 0.0) - truth.get(c, 0.0)) for c in codes})


def split_error(election_id: str, share: float) -> float:
    """Sum of the absolute errors of :func:`split_errors`."""
    return float(split_errors(election_id, share).abs().sum())


def labour_exact(election_id: str) -> float:
    """The exchange share that puts Scottish Labour exactly on its result (true GB shares)."""
    return float(brentq(lambda a: split_errors(election_id, a)["lab"], -3.0, 3.0, xtol=1e-3))


def vote_choice(errors: dict[tuple[float, str], float], held_out: str) -> float:
    """The share with the smallest total vote error on the other elections (ties: the smaller)."""
    def total(a):
        return round(sum(errors[a, e] for e in TRANSITIONS if e != held_out), 6)
    return min(EXCHANGES, key=lambda a: (total(a), a))


def exchange_section() -> None:
    sweep = exchange_sweep()
    errors = {(a, e): split_error(e, a) for a in EXCHANGES for e in TRANSITIONS}
    print("#### SNP exchange rule (`EXCHANGE`, model `tm`): backtest SAE / Scotland called / SNP seats; "
          "vote error of the rule from the true GB shares and the SNP's true Scottish share "
          "(points, summed over Scottish parties)\n")
    rows = [(f"{a:g}", *(f"{sweep[a, e][0]} / {sweep[a, e][1]} / {sweep[a, e][3]}" for e in fb.BACKTESTS),
             *(f"{errors[a, e]:.1f}" for e in TRANSITIONS)) for a in EXCHANGES]
    table(("share", *[f"backtest {e}" for e in fb.BACKTESTS], *[f"vote error {e}" for e in TRANSITIONS]),
          rows)
    rows = []
    for e in SPLIT:
        by_seats = nation_tables.loo_choice(sweep, e, EXCHANGES)
        by_vote = vote_choice(errors, e)
        others = {a: sum(errors[a, o] for o in TRANSITIONS if o != e) for a in (by_vote, 0.0)}
        rows.append((e, *(f"{a:g}: {sweep[a, e][0]} / {sweep[a, e][1]} / {sweep[a, e][3]}"
                          for a in (by_seats, by_vote, 0.0)), f"{others[by_vote]:.2f} / {others[0.0]:.2f}"))
    table(("held out", "chosen by seats on the others: SAE / Scotland called / SNP seats", "chosen by vote "
           "error on the others", "no exchange (shipped)", "vote error on the others: chosen / 0"), rows)
    print("The share that would put Scottish Labour exactly on its result, given the true GB and SNP shares "
          "(negative: Labour moves *with* the SNP): "
          + ", ".join(f"{e} {labour_exact(e):+.2f}" for e in TRANSITIONS) + ".\n")


class DevolvedSqueeze(TacticalModel):
    """``tac``'s squeeze against the devolved governments of ``nations`` only (not the UK government)."""

    def __init__(self, strength=None, nations=("Scotland",)):
        super().__init__(strength)
        self.nations = nations

    def fit(self, shares, area, weights, baseline=None, **context):
        super().fit(shares, area, weights, baseline=baseline, **context)
        where = baseline.seats["country"].to_numpy()
        keep = np.zeros_like(self.governing_)
        for nation in self.nations:
            if DEVOLVED_ONLY[nation] in baseline.parties:
                keep[:, baseline.parties.index(DEVOLVED_ONLY[nation])] = where == nation
        self.governing_ = self.governing_ & keep
        return self


def _backtest(e: str, model) -> tuple[int, int]:
    """SAE of the medians and SNP seats of the 20,000-draw eve-of-election forecast with ``model``
    and ``tm``'s error scales (fitted without ``e``)."""
    fc = forecast(fb.eve_scenario(e), as_of=data.election(e).date.isoformat(), baseline=TRANSITIONS[e],
                  model=model, draws=fb.BACKTEST_DRAWS, seed=fb.DEFAULT_SEED,
                  scales=fit_scales("tm", exclude=e))
    r = fb.score(fc, e, "tm")
    return r.sae, r.seats["snp"]


def squeeze_grid(nations) -> tuple[dict, dict]:
    """Hindsight projections (election, strength) -> projection, and GB seats called per strength."""
    res = {(e, k): project(actual_scenario(e, "nations"), b, DevolvedSqueeze(k, nations))
           for e, b in TRANSITIONS.items() for k in STRENGTH_GRID}
    grid = {e: {k: score(res[e, k], e, "nations", "tm").seats_correct for k in STRENGTH_GRID}
            for e in TRANSITIONS}
    return res, grid


def squeeze_section() -> None:
    print("#### Squeeze against the devolved government in the default path (`tm` + squeeze)\n")
    print("`tac`'s squeeze (linear form, totals kept) against the SNP in Scotland only, added to `tm`. "
          "Hindsight with true nation shares: GB seats called / Scotland called, per strength.\n")
    res, grid = squeeze_grid(("Scotland",))
    table(("election", *[f"{k:g}" for k in STRENGTH_GRID]),
          [(e, *[f"{grid[e][k]} / {called(_winners(res[e, k]), e, 'Scotland')}" for k in STRENGTH_GRID])
           for e in TRANSITIONS])
    wales = squeeze_grid(("Scotland", "Wales"))[1]
    same = "changes no cell of this table" if wales == grid else "changes the table"
    print(f"Adding the squeeze against Labour in Wales {same}.\n")
    rows = []
    for e in TRANSITIONS:
        k = choose_strength(e, grid)
        rows.append((e, f"{k:g}", f"{grid[e][k]} / {grid[e][0.0]}",
                     "{} / {}".format(*_backtest(e, DevolvedSqueeze(k, ("Scotland",)))),
                     "{} / {}".format(*_backtest(e, "tm"))))
    table(("held out", "strength chosen on the others (hindsight seats; ties: the smaller)",
           "hindsight seats: chosen / tm", "backtest SAE / SNP seats, chosen",
           "backtest SAE / SNP seats, tm"),
          rows)


class LeaveTilt(TransitionModel):
    """``tm``, then the Conservative share in each Scottish seat times ``exp(beta x (Leave - Scotland's
    mean Leave))``, raked back to the nation totals (the 2016 Leave share is known only before 2017 and
    2019, on the 2010 boundaries)."""

    def __init__(self, beta: float = 0.0):
        self.beta = beta

    def fit(self, shares, area, weights, baseline=None, **context):
        super().fit(shares, area, weights)
        self.matrix_ = kernels.area_matrix(self.area_, self.weights_)
        scot = baseline.seats["country"].to_numpy() == "Scotland"
        leave = loaders.leave()["leave_share"].reindex(baseline.codes).to_numpy()
        x = np.zeros(len(scot))
        if baseline.election in ("2015", "2017"):
            x[scot] = leave[scot] - np.average(leave[scot], weights=self.weights_[scot])
        self.tilt_ = np.ones_like(self.shares_)
        self.tilt_[:, baseline.parties.index("con")] = np.exp(self.beta * x)
        return self

    def predict(self, new):
        out = kernels.transition(self.shares_, self.old_, new)
        tilted = kernels.normalise(out * self.tilt_)
        return kernels.rake(tilted, np.matmul(self.matrix_, out), self.area_, self.matrix_, RAKE_ROUNDS)

    def predict_areas(self, area_new):
        return self.predict(self.expand(area_new))


BETAS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0)
LEAVE_ELECTIONS = ("2017", "2019")


def leave_section() -> None:
    print("#### Conservative share tilted by the Leave share in Scotland (2017 and 2019 only)\n")
    print("`beta`: Conservative share times `exp(beta x (Leave - mean))` in each Scottish seat, raked back "
          "to the nation totals. Cells: hindsight GB seats called / Scotland called, deterministic "
          "eve-of-election projection GB SAE / Scotland called.\n")
    res = {}
    for e in LEAVE_ELECTIONS:
        for b in BETAS:
            h = project(actual_scenario(e, "nations"), TRANSITIONS[e], LeaveTilt(b))
            v = project(fb.eve_scenario(e), TRANSITIONS[e], LeaveTilt(b))
            res[e, b] = (score(h, e, "nations", "tm").seats_correct, called(_winners(h), e, "Scotland"),
                         score(v, e, "eve", "tm").sae, called(_winners(v), e, "Scotland"))
    cell = "{} / {}, {} / {}".format
    table(("beta", *LEAVE_ELECTIONS),
          [(f"{b:g}", *(cell(*res[e, b]) for e in LEAVE_ELECTIONS)) for b in BETAS])
    grid = {e: {b: res[e, b][0] for b in BETAS} for e in LEAVE_ELECTIONS}
    picks = {e: choose_strength(e, grid) for e in LEAVE_ELECTIONS}
    print("Chosen on the other election (most hindsight seats; ties: the smaller): "
          + "; ".join(f"{e}: beta {picks[e]:g}, {cell(*res[e, picks[e]])} against {cell(*res[e, 0.0])}"
                      for e in LEAVE_ELECTIONS) + ".\n")


def markdown() -> None:
    diagnosis()
    exchange_section()
    squeeze_section()
    leave_section()


if __name__ == "__main__":
    markdown()
