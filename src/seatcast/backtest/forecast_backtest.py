"""Forecast backtests: each election forecast as it could have been on the eve of polling day.

For 2015, 2017, 2019 and 2024 (:data:`BACKTESTS`):

* the scenario is the poll average fitted as of polling day, which uses only polls whose
  fieldwork ended before polling day (``seatcast.polls.scenario_from_polls``);
* the baseline is the previous result (the Rallings & Thrasher 2019 notional for 2024);
* the error scales are fitted without that election
  (``seatcast.simulate.calibration.fit_scales(model, exclude=election)``);
* the ``learned`` swing model, if registered, is trained on earlier transitions only
  (forward chaining), and skipped for 2015, which has none.

Scores cover the 632 GB seats: seat totals (median of the simulations) against the actual
totals, the sum of absolute errors over GB parties (SAE), also for the expected seats (sum of
win probabilities) and the modal calls (seats where the party is the most likely winner), the
error on the actual largest party, seats whose most likely winner won, the Brier score and
log-loss of the seat win probabilities (log-loss floors probabilities at :data:`FLOOR`),
whether each GB party's 90% interval held its actual total, and the probability given to the
actual outcome (that party's majority, or a hung parliament).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from seatcast import parties
from seatcast.data import baseline, data_version, election
from seatcast.defaults import BACKTEST_DRAWS
from seatcast.elections import TRANSITIONS
from seatcast.errors import SeatcastError
from seatcast.parliament import MAJORITY
from seatcast.rules import NOT_PARTIES
from seatcast.simulate.forecast import DEFAULT_SEED, Forecast, forecast

BACKTESTS = TRANSITIONS  # seatcast.elections
FLOOR = 1e-4
#: Parties scored for SAE and interval coverage: GB parties (not the Speaker, independents, others).
NOT_SCORED = (*NOT_PARTIES, "other")


@dataclass(frozen=True)
class BacktestResult:
    """Scores of one election's forecast with one swing model (GB seats)."""

    election: str
    model: str
    baseline: str
    as_of: str
    seats: dict[str, int]  # median forecast seats, GB parties
    actual: dict[str, int]
    sae: int
    expected: dict[str, float]  # sum of GB seat win probabilities
    modal: dict[str, int]  # GB seats where the party is the most likely winner
    sae_expected: float
    sae_modal: int
    largest_party: str
    largest_error: int
    seats_correct: int
    seats_total: int
    brier: float
    log_loss: float
    covered90: dict[str, bool]
    p_actual_outcome: float
    actual_outcome: str
    probabilities: dict[str, float]
    scales: dict[str, float]
    draws: int
    seed: int
    data_version: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@cache
def eve_scenario(election_id: str):
    """The poll-average scenario as of polling day (polls ending before it; cached per process,
    as every model's backtest of an election uses the same one), with the Speaker who stood then
    (:func:`seatcast.swing.speaker.speaker_for`: known weeks before polling day)."""
    from seatcast.polls.scenario import scenario_from_polls
    from seatcast.swing.speaker import speaker_for

    scen = scenario_from_polls(election(election_id).date.isoformat())
    return dataclasses.replace(scen, speaker=speaker_for(election_id))


def model_for(name: str, election_id: str):
    """A model name, or for ``learned`` an instance trained on earlier transitions (None if none)."""
    if name != "learned":
        return name
    from seatcast.swing.models import MODELS

    earlier = tuple(e for e in BACKTESTS if int(e) < int(election_id))
    return MODELS["learned"](train=earlier, election=election_id) if earlier else None


def seat_scores(fc: Forecast, actual_winners: pd.Series, gb: np.ndarray) -> dict:
    """Seats correct, Brier score and log-loss over the seats in ``gb`` (actual winners by ons_code)."""
    wp = fc.win_prob.reindex(actual_winners.index).fillna(0.0)
    truth = pd.get_dummies(actual_winners).reindex(columns=wp.columns, fill_value=False)
    p = wp.to_numpy()[gb]
    y = truth.to_numpy(float)[gb]
    hit = (p * y).sum(axis=1)
    modal = wp.columns.to_numpy()[np.argmax(wp.to_numpy(), axis=1)]
    return {"seats_correct": int((modal[gb] == actual_winners.to_numpy()[gb]).sum()),
            "seats_total": int(gb.sum()),
            "brier": float(((p - y) ** 2).sum(axis=1).mean()),
            "log_loss": float(-np.log(np.clip(hit, FLOOR, 1.0)).mean())}


def gb_expected_modal(fc: Forecast, codes, scored) -> tuple[dict[str, float], dict[str, int]]:
    """Expected seats (sum of win probabilities) and modal seats (most likely winner) over ``codes``."""
    wp = fc.win_prob.reindex(codes).fillna(0.0)
    top = wp.columns.to_numpy()[np.argmax(wp.to_numpy(), axis=1)]
    exp = {p: round(float(wp[p].sum()), 1) if p in wp else 0.0 for p in scored}
    return exp, {p: int((top == p).sum()) for p in scored}


def score(fc: Forecast, election_id: str, model: str) -> BacktestResult:
    """Compare a forecast with the actual result of ``election_id``."""
    actual = baseline(election_id)
    gb = actual.nation_mask(*parties.GB)
    won = pd.Series(actual.winners, index=actual.codes)
    true_counts = won[gb].value_counts()
    scored = [p for p in parties.CODES if p not in NOT_SCORED
              and set(parties.REGISTRY[p].nations) & set(parties.GB)
              and (p in fc.parties or true_counts.get(p, 0))]
    med = {p: int(fc.summary.at[p, "median"]) if p in fc.parties else 0 for p in scored}
    exp, modal = gb_expected_modal(fc, actual.codes[gb], scored)
    act = {p: int(true_counts.get(p, 0)) for p in scored}
    lead = max(act, key=act.get)
    all_counts = pd.Series(actual.winners).value_counts()
    outcome = f"majority:{lead}" if all_counts.get(lead, 0) >= MAJORITY else "hung"
    covered = {p: bool(fc.summary.at[p, "p05"] <= act[p] <= fc.summary.at[p, "p95"])
               for p in scored if p in fc.parties and (act[p] or fc.summary.at[p, "p95"] > 0)}
    return BacktestResult(
        election=election_id, model=model, baseline=fc.baseline, as_of=str(fc.as_of),
        seats=med, actual=act, sae=int(sum(abs(med[p] - act[p]) for p in scored)),
        expected=exp, modal=modal, sae_expected=round(sum(abs(exp[p] - act[p]) for p in scored), 1),
        sae_modal=int(sum(abs(modal[p] - act[p]) for p in scored)),
        largest_party=lead, largest_error=med[lead] - act[lead],
        **seat_scores(fc, won, gb), covered90=covered,
        p_actual_outcome=float(fc.probabilities.get(outcome, 0.0)), actual_outcome=outcome,
        probabilities=fc.probabilities, scales=fc.scales.as_dict(), draws=fc.draws, seed=fc.seed,
        data_version=data_version(),
    )


def backtest_forecast(election_id: str, model: str = "uns", draws: int = BACKTEST_DRAWS,
                      seed: int = DEFAULT_SEED) -> Forecast | None:
    """The eve-of-election forecast of ``election_id`` (None if the model cannot be used then)."""
    key = str(election_id)
    if key not in BACKTESTS:
        raise SeatcastError("election", f"no backtest for {key!r}", BACKTESTS)
    m = model_for(model, key)
    if m is None:
        return None
    from seatcast.simulate.calibration import fit_scales

    as_of = election(key).date
    return forecast(eve_scenario(key), as_of=as_of.isoformat(), baseline=BACKTESTS[key], model=m,
                    draws=draws, seed=seed, scales=fit_scales(model, exclude=key))


def backtest(election_id: str, model: str = "uns", draws: int = BACKTEST_DRAWS,
             seed: int = DEFAULT_SEED) -> BacktestResult | None:
    """Forecast ``election_id`` as of the day before polling day and score it."""
    fc = backtest_forecast(election_id, model, draws, seed)
    return None if fc is None else score(fc, str(election_id), model)


def run_backtests(elections=tuple(BACKTESTS), models=None, draws: int = BACKTEST_DRAWS,
                  seed: int = DEFAULT_SEED, progress=None) -> list[BacktestResult]:
    """Backtests for every election and model (default: every registered swing model)."""
    from seatcast.swing.models import MODELS, _load_optional

    _load_optional()
    for m in models or ():
        if m not in MODELS:
            raise SeatcastError("model", f"unknown model {m!r}", MODELS)
    results = []
    for e in elections:
        for m in models or tuple(MODELS):
            results.append(backtest(e, m, draws, seed))
            if progress:  # called once per forecast (a CLI progress bar)
                progress(1)
    results = [r for r in results if r is not None]
    if not results:  # e.g. learned on 2015: an empty table would not say why
        raise SeatcastError("model", f"{', '.join(models or MODELS)} cannot be backtested on "
                                     f"{', '.join(map(str, elections))}: it is trained on earlier "
                                     "elections only, and there are none before it")
    return results


def probability_outcomes(fc: Forecast, election_id: str) -> tuple[np.ndarray, np.ndarray]:
    """(p, y): the win probability of every GB seat and party with p > 0, and 1 where it won."""
    actual = baseline(election_id)
    gb = actual.nation_mask(*parties.GB)
    won = pd.Series(actual.winners, index=actual.codes)
    wp = fc.win_prob.reindex(won.index).fillna(0.0)
    y = pd.get_dummies(won).reindex(columns=wp.columns, fill_value=False).to_numpy(float)
    p = wp.to_numpy()
    keep = gb[:, None] & (p > 0)
    return p[keep], y[keep]


def reliability_table(outcomes, bins: int = 10) -> pd.DataFrame:
    """Per probability bin: mean forecast, observed win rate and count, from (p, y) pairs."""
    df = pd.concat([pd.DataFrame({"p": p, "y": y}) for p, y in outcomes])
    df["bin"] = np.minimum((df["p"] * bins).astype(int), bins - 1)
    return df.groupby("bin").agg(forecast=("p", "mean"), observed=("y", "mean"), n=("y", "size"))


def reliability(elections=tuple(BACKTESTS), model: str = "uns", draws: int = BACKTEST_DRAWS,
                seed: int = DEFAULT_SEED, bins: int = 10) -> pd.DataFrame:
    """Calibration of seat win probabilities: per probability bin, mean forecast and observed rate.

    Every (GB seat, party) pair with a positive win probability is one forecast."""
    outcomes = []
    for e in elections:
        fc = backtest_forecast(e, model, draws, seed)
        if fc is not None:  # None: the model cannot be used then (learned: nothing to train on before 2015)
            outcomes.append(probability_outcomes(fc, e))
    return reliability_table(outcomes, bins)


#: The reliability goal of issue 10: every bin with at least this many forecasts within 5 points.
GOAL_MIN_N, GOAL_GAP = 200, 0.05


def largest_gap(table: pd.DataFrame, min_n: int = GOAL_MIN_N) -> float:
    """Largest |observed - forecast| of a :func:`reliability_table` over bins with ``>= min_n`` forecasts."""
    big = table[table["n"] >= min_n]
    return float((big["observed"] - big["forecast"]).abs().max()) if len(big) else 0.0


@dataclass(frozen=True, eq=False)
class NullReliability:
    """The backtests' reliability if the model were right: ``table`` (per bin: forecast mean, ``n``,
    ``gap_sd`` the spread of observed - forecast), ``gaps`` the largest gap (bins >= 200) of each
    replicate, ``met`` the share of replicates meeting the goal."""

    table: pd.DataFrame
    gaps: np.ndarray
    met: float


def reliability_null(elections=tuple(BACKTESTS), model: str = "tm", replicates: int = 1000,
                     draws: int = BACKTEST_DRAWS, seed: int = DEFAULT_SEED,
                     bins: int = 10) -> NullReliability:
    """Score the backtests' seat win probabilities against elections drawn from the model itself.

    Each replicate draws every backtest election once (``simulate.engine.draw_winners``, with the
    forecast's own scales, so one national and one regional error is shared by all its seats, as
    in a real election) and takes those winners as the actual ones. The forecasts are calibrated
    against such outcomes by construction, so how far the reliability table strays is chance:
    how often the goal would fail for a correct model."""
    from seatcast.simulate.engine import draw_winners
    from seatcast.swing.project import prepare_projection

    p_all, y_all = [], []
    for e, rng in zip(elections, np.random.default_rng(seed).spawn(len(elections)), strict=True):
        fc = backtest_forecast(e, model, draws, seed)
        if fc is None:
            continue
        prep = prepare_projection(eve_scenario(e), BACKTESTS[e], model_for(model, e))
        won = draw_winners(prep, replicates, rng, fc.scales)
        p = fc.win_prob.to_numpy()
        seat, party = np.nonzero(prep.baseline.nation_mask(*parties.GB)[:, None] & (p > 0))
        p_all.append(p[seat, party])
        y_all.append(won[:, seat] == party)
    p, y = np.concatenate(p_all), np.concatenate(y_all, axis=1)
    b = np.minimum((p * bins).astype(int), bins - 1)
    n = np.bincount(b, minlength=bins)
    mean = np.bincount(b, p, bins) / np.maximum(n, 1)
    gap = np.stack([np.bincount(b, row, bins) for row in y.astype(float)]) / np.maximum(n, 1) - mean
    gaps = np.abs(gap[:, n >= GOAL_MIN_N]).max(axis=1)
    table = pd.DataFrame({"forecast": mean, "n": n, "gap_sd": gap.std(axis=0)})[n > 0]
    return NullReliability(table, gaps, float(np.mean(gaps <= GOAL_GAP)))


def reliability_plot(path, model: str = "uns", draws: int = BACKTEST_DRAWS, seed: int = DEFAULT_SEED,
                     table: pd.DataFrame | None = None):
    """Write the reliability diagram of the four backtests' seat win probabilities (PNG); ``table``:
    an already computed :func:`reliability` table of the same model, draws and seed."""
    from matplotlib.figure import Figure  # the Figure API: no pyplot, no GUI backend

    from seatcast import _io

    if table is None:
        table = reliability(model=model, draws=draws, seed=seed)
    fig = Figure(figsize=(5, 5))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect calibration")
    ax.plot(table["forecast"], table["observed"], marker="o", label=f"backtests 2015-2024 ({model})")
    for _, row in table.iterrows():
        ax.annotate(f"{int(row['n'])}", (row["forecast"], row["observed"]), fontsize=7,
                    textcoords="offset points", xytext=(4, -10))
    ax.set_xlabel("forecast win probability (bin mean)")
    ax.set_ylabel("observed win rate")
    ax.set_title("Seat win probabilities, eve-of-election backtests")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    with _io.atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    return table
