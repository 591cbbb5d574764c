"""Eve-of-election accuracy: the poll average on the day before polling day vs the GB result.

For each election of :data:`EVE_ELECTIONS` the average is fitted as of polling day, so it uses
only polls whose fieldwork ended before polling day, and read on the day before. Beside it:

* **naive**: the plain mean of the polls whose fieldwork ended in the final :data:`NAIVE_DAYS`
  days (polling day excluded), each poll counted once, each party over the polls reporting it;
* **corrected** (optional): the average minus a per-party systematic bias learned
  **leave-one-election-out**: the mean eve-of-election error of the same party in the *other*
  elections (of the same party family when the code never appeared elsewhere: UKIP, the Brexit
  Party and Reform UK are one family in :mod:`seatcast.parties`), so an election never informs
  its own correction.

Actual GB shares: ``seatcast.data.baseline(id).area_totals`` over the seats of England, Scotland
and Wales (the official results). Errors are estimate minus actual, in points; the lead is
Con-Lab (Lab-Con for 2024, when Labour led).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from seatcast import data, parties
from seatcast.elections import ELECTION_ORDER
from seatcast.errors import SeatcastError
from seatcast.polls.model import PollAverage, aggregate
from seatcast.polls.sources import load

EVE_ELECTIONS = ELECTION_ORDER  # seatcast.elections
NAIVE_DAYS = 7


def lead_pair(election_id: str) -> tuple[str, str]:
    """The two parties of the headline lead: (leader, runner-up) in the polls of that era."""
    return ("lab", "con") if election_id == "2024" else ("con", "lab")


def _check(election_id) -> str:
    key = str(election_id)
    if key not in EVE_ELECTIONS:
        raise SeatcastError("election", f"no eve-of-election test for {key!r}", EVE_ELECTIONS)
    return key


@cache
def actual_gb(election_id: str) -> pd.Series:
    """Actual GB vote shares of an election, percent, indexed by party code."""
    base = data.baseline(election_id)
    return 100.0 * base.area_totals(base.nation_mask(*parties.GB))


@cache
def eve_average(election_id: str) -> PollAverage:
    """The poll average fitted as of polling day (cached; only pre-polling-day polls)."""
    return aggregate(as_of=data.election(_check(election_id)).date)


def naive_mean(election_id: str, days: int = NAIVE_DAYS) -> pd.Series:
    """Mean share per party of the polls ending in the ``days`` days before polling day."""
    day = pd.Timestamp(data.election(_check(election_id)).date)
    polls = load("national")
    end = polls["fieldwork_end"]
    recent = polls[(end < day) & (end >= day - pd.Timedelta(days=days))]
    return recent[list(eve_average(election_id).parties)].mean()


@cache
def _errors() -> pd.DataFrame:
    rows = {}
    for e in EVE_ELECTIONS:
        avg, actual = eve_average(e).average, actual_gb(e)
        rows[e] = {p: v - actual[p] for p, v in avg.items() if p in actual}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(index="election", columns="party")


def eve_errors() -> pd.DataFrame:
    """Election x party: eve-of-election average minus actual GB share, points (cached).

    NaN where a party was not modelled (e.g. no SNP column in PollBase before 2020) or did not
    stand. Intended for calibrating the national error scale leave-one-election-out.
    """
    return _errors().copy()


def loo_bias(election_id: str) -> pd.Series:
    """Per-party bias for ``election_id`` learned from the other elections only (points)."""
    errors = _errors().drop(index=_check(election_id))
    out = {}
    for p in eve_average(election_id).parties:
        same = errors[p].dropna() if p in errors else pd.Series(dtype=float)
        if same.empty:
            fam = [c for c in parties.family_members(p) if c in errors] if p in parties.REGISTRY else []
            same = errors[fam].stack().dropna() if fam else same
        out[p] = float(same.mean()) if len(same) else 0.0
    return pd.Series(out)


def _lead_row(frame: pd.DataFrame, pair: tuple[str, str]) -> pd.Series:
    a, b = pair
    return frame.loc[a] - frame.loc[b]


def eve_of_election(election_id, correction: bool = False) -> pd.DataFrame:
    """One election's eve-of-election comparison, one row per party plus the lead row.

    Columns: ``aggregate``, ``low``, ``high`` (90% band), ``naive``, ``actual``, ``error`` and
    ``naive_error`` (estimate - actual, points); with ``correction``: ``bias`` (leave-one-election-
    out), ``corrected``, ``corrected_error``. The lead row is named e.g. ``con-lab``.
    """
    key = _check(election_id)
    avg = eve_average(key)
    ps = [p for p in avg.parties if p in actual_gb(key).index]
    frame = pd.DataFrame({
        "aggregate": pd.Series(avg.average)[ps],
        "low": pd.Series({p: avg.band[p][0] for p in ps}),
        "high": pd.Series({p: avg.band[p][1] for p in ps}),
        "naive": naive_mean(key)[ps], "actual": actual_gb(key)[ps]})
    if correction:
        frame["bias"] = loo_bias(key)[ps]
        frame["corrected"] = (frame["aggregate"] - frame["bias"]).clip(lower=0.0)
    pair = lead_pair(key)
    lead = _lead_row(frame, pair)
    lead[["low", "high"]] = np.nan
    frame.loc[f"{pair[0]}-{pair[1]}"] = lead
    for col in ("aggregate", "naive", "corrected"):
        if col in frame:
            name = "error" if col == "aggregate" else f"{col}_error"
            frame[name] = frame[col] - frame["actual"]
    frame.index.name = "party"
    frame.attrs.update(election=key, as_of=avg.as_of.isoformat(), polls_used=len(avg.polls))
    return frame


def accuracy_table(correction: bool = True) -> pd.DataFrame:
    """All five elections stacked: index (election, party/lead), columns of :func:`eve_of_election`."""
    frames = {e: eve_of_election(e, correction=correction) for e in EVE_ELECTIONS}
    return pd.concat(frames, names=["election", "party"])


def accuracy_summary(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean absolute error (points) of each estimate: over party rows, and on the lead; only
    rows where every estimate exists, so all are scored on the same cases."""
    table = accuracy_table() if table is None else table
    cols = [c for c in ("error", "naive_error", "corrected_error") if c in table]
    table = table.dropna(subset=cols)
    is_lead = table.index.get_level_values("party").str.contains("-")
    return pd.DataFrame({"parties": table[~is_lead][cols].abs().mean(),
                         "lead": table[is_lead][cols].abs().mean()}).T
