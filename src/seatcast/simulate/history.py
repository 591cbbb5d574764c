"""The forecast over time: :func:`history` -> :class:`History`.

For each week since the last general election (as-of dates polling day + 7k days, then the day
after the newest poll), the forecast is made with :func:`seatcast.simulate.forecast.forecast`
as of that date: only polls whose fieldwork ended before it are used (the as-of rule of
:mod:`seatcast.polls.model`). Each week's result (seat quantiles 5/25/50/75/95%, mean, outcome
probabilities, newest poll) is kept in the poll store's ``history`` table, keyed by as-of date,
model and parameters (draws, seed, baseline, inner) together with a data version: the bundled data
version, a hash of the model code (:func:`code_version`) and a hash of every poll (all areas) that
ended after the last election and before the as-of date. A week is recomputed only when it is
missing or its data version changed (a poll added, removed or corrected before that date, or the
model code changed), so adding this week's poll recomputes the last week only. The error scales
(:func:`seatcast.simulate.calibration.fit_scales`) are fitted once and kept in the store
(:func:`cached_scales`). Weeks run in parallel processes when there are many (``workers``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from seatcast.errors import SeatcastError

QUANTILES = {"p05": 0.05, "p25": 0.25, "median": 0.5, "p75": 0.75, "p95": 0.95}
DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 20240704
POOL_FROM = 4  # weeks to compute before worker processes pay for their start-up


@dataclass(frozen=True)
class History:
    """Weekly forecasts: ``seats`` (as_of, party) -> quantiles and mean; ``probabilities`` (as_of)
    -> ``majority:<p>``, ``largest:<p>``, ``hung``; ``newest_poll`` per week; what was recomputed."""

    model: str
    params: dict
    seats: pd.DataFrame = field(repr=False)
    probabilities: pd.DataFrame = field(repr=False)
    newest_poll: pd.Series = field(repr=False)
    computed: tuple[str, ...]
    reused: int
    skipped: tuple[str, ...] = ()  # weeks without a forecast, with the reason

    @property
    def dates(self) -> list[str]:
        return list(self.probabilities.index)

    def table(self) -> pd.DataFrame:
        """One row per week and party: as_of, newest_poll, party, seat quantiles, mean and P(majority),
        P(largest), P(hung)."""
        df = self.seats.reset_index()
        probs = self.probabilities
        df["p_majority"] = [probs.at[d, f"majority:{p}"] if f"majority:{p}" in probs else 0.0
                            for d, p in zip(df["as_of"], df["party"], strict=True)]
        df["p_largest"] = [probs.at[d, f"largest:{p}"] if f"largest:{p}" in probs else 0.0
                           for d, p in zip(df["as_of"], df["party"], strict=True)]
        df["p_hung"] = df["as_of"].map(probs["hung"])
        df.insert(1, "newest_poll", df["as_of"].map(self.newest_poll))
        return df.fillna({"p_majority": 0.0, "p_largest": 0.0})

    def as_dict(self) -> dict:
        t = self.table().round(4)
        return {"model": self.model, "params": self.params, "weeks": len(self.dates),
                "computed": list(self.computed), "reused": self.reused, "skipped": list(self.skipped),
                "rows": t.astype(object).where(t.notna(), None).to_dict("records")}

    def main_parties(self, n: int = 6) -> list[str]:
        last = self.seats.xs(self.dates[-1], level="as_of")
        return list(last.sort_values("median", ascending=False).index[:n])


def weeks(since: dt.date, latest: dt.date, every: int = 7) -> list[dt.date]:
    """As-of dates ``since + every*k`` (k >= 1) up to ``latest``, and ``latest`` itself."""
    if every < 1:
        raise SeatcastError("every", f"{every} is not a whole number of days >= 1")
    out = [since + dt.timedelta(days=every * k) for k in range(1, (latest - since).days // every + 1)]
    return out if out and out[-1] == latest else [*out, latest]


#: Code whose change changes a forecast: a week is recomputed when any of it changes.
CODE = ("simulate", "swing", "parliament", "polls/model.py", "polls/kernels.py", "polls/scenario.py",
        "polls/eve.py", "polls/sources.py")


def code_version() -> str:
    """A hash of the source of :data:`CODE` (the model code a stored forecast came from)."""
    import hashlib

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for name in CODE:
        for f in sorted((root / name).rglob("*.py")) if (root / name).is_dir() else [root / name]:
            digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


def _polls_until(polls: pd.DataFrame, start: dt.date | None, end: dt.date) -> slice:
    """Positions of the rows of ``polls`` (sorted by end date) ending after ``start`` and before ``end``."""
    ends = polls["fieldwork_end"].to_numpy()
    lo = np.searchsorted(ends, np.datetime64(start, "us"), side="right") if start else 0
    return slice(lo, np.searchsorted(ends, np.datetime64(end, "us"), side="left"))


def _row_hashes(polls: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per poll (ids, dates, pollster, sample and shares), for window versions."""
    from seatcast.polls.sources import PARTY_COLUMNS

    cols = ["poll_id", "pollster", "fieldwork_start", "fieldwork_end", "sample_size", *PARTY_COLUMNS]
    return pd.util.hash_pandas_object(polls[cols], index=False).to_numpy()


def _version(hashes: np.ndarray, rows: slice) -> str:
    import hashlib

    return hashlib.sha256(hashes[rows].tobytes()).hexdigest()[:12]


def _sorted_polls() -> pd.DataFrame:
    from seatcast.polls import store

    polls = store.all_polls()
    return polls[~polls["is_mrp"]].sort_values(["fieldwork_end", "poll_id"])


def data_versions(dates: list[dt.date]) -> dict[dt.date, str]:
    """The data version of each as-of date (module docstring), with the code version."""
    from seatcast.data import data_version
    from seatcast.polls.model import cycle_start

    polls, code = _sorted_polls(), code_version()
    starts = [cycle_start(d) for d in dates]
    if None not in starts:  # only the polls since the earliest election matter
        polls = polls.iloc[_polls_until(polls, min(starts), max(dates) + dt.timedelta(days=1))]
    hashes = _row_hashes(polls)
    return {d: f"{data_version()}:{code}:{_version(hashes, _polls_until(polls, cycle_start(d), d))}"
            for d in dates}


def cached_scales(model: str):
    """:func:`seatcast.simulate.calibration.fit_scales` for ``model``, kept in the store's meta table
    keyed by the code version and the polls up to the last election (all that the calibration
    reads), so a history run and its workers do not refit them."""
    from seatcast.polls import store
    from seatcast.polls.model import GE_DATES
    from seatcast.simulate.calibration import fit_scales
    from seatcast.simulate.engine import Scales

    last_ge = GE_DATES[-1] + dt.timedelta(days=1)
    polls = _sorted_polls()
    before = _version(_row_hashes(polls), _polls_until(polls, None, last_ge))
    key = f"scales:{model}:{code_version()}:{before}"
    with store.connect() as con:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return Scales(**json.loads(row[0]))
        scales = fit_scales(model)
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(scales.as_dict())))
    return scales


def _week(as_of: str, model: str, params: dict, scales=None) -> dict:
    """One week's forecast, reduced to what the history keeps (runs in a worker process too); a
    week with too few polls for an average (just after the election) keeps the reason instead."""
    from seatcast.simulate.forecast import forecast

    try:
        fc = forecast(as_of=as_of, model=model, draws=params["draws"], seed=params["seed"],
                      baseline=params["baseline"], inner=params["inner"], scales=scales)
    except SeatcastError as exc:
        return {"as_of": as_of, "newest_poll": None, "seats": {}, "probabilities": {}, "error": str(exc)}
    q = np.quantile(fc.seats, list(QUANTILES.values()), axis=0, method="inverted_cdf")
    shown = [j for j, _ in enumerate(fc.parties) if q[-1, j] > 0]
    seats = {fc.parties[j]: {**{k: float(q[i, j]) for i, k in enumerate(QUANTILES)},
                             "mean": float(fc.seats[:, j].mean())} for j in shown}
    return {"as_of": as_of, "newest_poll": fc.poll_window[1] if fc.poll_window else None,
            "seats": seats, "probabilities": fc.probabilities}


def _params(model: str, draws: int, seed: int, baseline: str, inner: int | None) -> dict:
    from seatcast.simulate.forecast import DEFAULT_INNER, MAX_DRAWS

    if not 1 <= int(draws) <= MAX_DRAWS:
        raise SeatcastError("draws", f"{draws} is outside 1-{MAX_DRAWS}")
    return {"draws": int(draws), "seed": int(seed), "baseline": str(baseline),
            "inner": int(inner or DEFAULT_INNER)}


def _stored(model: str, key: str) -> dict[str, tuple[str, dict]]:
    from seatcast.polls import store

    with store.connect() as con:
        rows = con.execute("SELECT as_of, data_version, result FROM history WHERE model = ? AND params = ?",
                           (model, key)).fetchall()
    return {a: (v, json.loads(r)) for a, v, r in rows}


def _save(model: str, key: str, version: str, result: dict) -> None:
    from seatcast.polls import store

    with store.connect() as con, store.immediate(con):
        con.execute("INSERT OR REPLACE INTO history VALUES (?, ?, ?, ?, ?, ?)",
                    (result["as_of"], model, key, version, json.dumps(result), store.now_utc()))


def _run(todo: list[str], model: str, params: dict, workers: int):
    """Yield each week's result as it is computed, in worker processes when there are many."""
    scales = cached_scales(model) if todo else None
    if workers <= 1 or len(todo) < POOL_FROM:
        for d in todo:
            yield _week(d, model, params, scales)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = multiprocessing.get_context("spawn")  # fresh interpreters: no forked SQLite handles
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [pool.submit(_week, d, model, params, scales) for d in todo]
        for fut in as_completed(futures):
            yield fut.result()


def history(model: str = "tm", *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
            baseline: str = "2024", inner: int | None = None, since=None, every: int = 7, workers: int = 2,
            recompute: bool = False,
            progress: Callable[[int, int], None] | None = None) -> History:
    """Weekly forecasts from ``since`` (default: the last general election) to the newest poll;
    only missing or changed weeks are computed (module docstring). ``progress(done, total)``."""
    from seatcast.polls import store
    from seatcast.polls.model import cycle_start, parse_date
    from seatcast.swing import MODELS

    if model not in MODELS:
        raise SeatcastError("model", f"unknown model {model!r}", MODELS)
    params = _params(model, draws, seed, baseline, inner)
    key = json.dumps(params, sort_keys=True)
    newest = store.polls("national")["fieldwork_end"].max().date()
    store.mark_latest()  # the last week uses the newest polls: the staleness warning applies
    latest = newest + dt.timedelta(days=1)
    start = parse_date(since, "since") if since is not None else cycle_start(latest)
    if start is None or start >= latest:
        raise SeatcastError("since", f"{start} is not before the day after the newest poll ({latest})")
    dates = weeks(start, latest, every)
    versions = data_versions(dates)
    stored = _stored(model, key)
    todo = [d.isoformat() for d in dates
            if recompute or d.isoformat() not in stored or stored[d.isoformat()][0] != versions[d]]
    results = {a: r for a, (v, r) in stored.items()}
    for k, result in enumerate(_run(todo, model, params, workers), start=1):
        _save(model, key, versions[dt.date.fromisoformat(result["as_of"])], result)
        results[result["as_of"]] = result
        if progress:
            progress(k, len(todo))
    chosen = [results[d.isoformat()] for d in dates]
    return _history(model, params, chosen, tuple(todo), len(dates) - len(todo))


def _history(model: str, params: dict, results: list[dict], computed: tuple, reused: int) -> History:
    skipped = tuple(f"{r['as_of']}: {r['error']}" for r in results if "error" in r)
    results = [r for r in results if "error" not in r]
    if not results:
        raise SeatcastError("since", f"no week has enough polls for a forecast ({skipped[0]})")
    seats = pd.DataFrame([{"as_of": r["as_of"], "party": p, **s}
                          for r in results for p, s in r["seats"].items()])
    seats = seats.set_index(["as_of", "party"])
    probs = pd.DataFrame([r["probabilities"] for r in results], index=[r["as_of"] for r in results])
    probs = probs.fillna(0.0)
    newest = pd.Series({r["as_of"]: r["newest_poll"] for r in results})
    return History(model, params, seats, probs, newest, computed, reused, skipped)


def stored_history(model: str = "tm") -> History | None:
    """The history already in the store for ``model`` (the parameters with the most weeks), or None;
    nothing is computed. An unknown ``model`` is an error (as in :func:`history`), not "no history"."""
    from seatcast.defaults import MODEL_NAMES
    from seatcast.polls import store

    if model not in MODEL_NAMES:
        raise SeatcastError("model", f"unknown model {model!r}", MODEL_NAMES)
    with store.connect() as con:
        row = con.execute("SELECT params FROM history WHERE model = ? GROUP BY params ORDER BY COUNT(*) DESC "
                          "LIMIT 1", (model,)).fetchone()
    if row is None:
        return None
    results = sorted((r for _, r in _stored(model, row[0]).values()), key=lambda r: r["as_of"])
    try:
        return _history(model, json.loads(row[0]), results, (), len(results))
    except SeatcastError:  # only weeks without a forecast
        return None


def write_csv(hist: History, path) -> Path:
    from seatcast import _io

    return _io.write_text(path, hist.table().round(4).to_csv(index=False))
