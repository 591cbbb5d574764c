"""The poll average: a state-space model with house effects, fitted "as of" a date.

Model (kernels in :mod:`seatcast.polls.kernels`), per party on the **share scale** in points:

* the level ``mu_t`` (what the average pollster would publish on day ``t``) is a random walk
  whose daily step has sd ``step_sd * sqrt(p (1 - p)) / 0.5``, where ``p`` is the party's mean
  share in the window: :data:`STEP_SD` points a day for a party near 50%, less for small parties
  (roughly a constant random walk on the logit scale, so a 3% party is not allowed 50% parties'
  jumps);
* a poll is ``mu`` on the fieldwork mid-point plus its pollster's static house effect plus noise
  of variance ``DESIGN_EFFECT * p (1 - p) / n`` (``n``: the published sample size capped at
  :data:`N_CAP`, or :data:`DEFAULT_N` when not published - the 2010-2019 PollBase rows never
  give one);
* house effects are **relative to the average pollster**: for each party they sum to zero over the
  pollsters with at least :data:`MIN_POLLS` polls of that party in the window (unweighted, so a
  prolific pollster is not the yardstick), with an N(0, HOUSE_SD^2) prior; a poll with no named
  pollster (or beyond the :data:`MAX_POLLSTERS` most prolific) carries no house effect. The
  average therefore removes pollster differences but not an error shared by the whole industry
  (see :mod:`seatcast.polls.eve` for that).

Only polls whose fieldwork **ended strictly before** ``as_of`` and after the previous general
election (and at most :data:`MAX_SPAN_DAYS` before ``as_of``) are used; the average is read on the
day before ``as_of``, which may be at most :data:`MAX_CARRY_DAYS` after the last poll. The 90% band is
``mean +/- 1.645 sd`` of the smoothed level: the uncertainty of the average, not of the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from seatcast.errors import SeatcastError
from seatcast.polls import kernels, store
from seatcast.polls.sources import GE_DATES, PARTY_COLUMNS

AREAS = {"GB": "national", "Scotland": "scotland", "Wales": "wales"}
#: Daily level sd (points, for a 50% party) and design effect: the pooled maximum-likelihood pair on
#: a grid (step 0.2-0.5, design effect 1-2) over the Con/Lab/LD polls of the five 2010-2024 cycles.
#: Polls only, no election results, so the eve-of-election test is not tuned on its answers.
STEP_SD = 0.3
DEFAULT_N = 1000  # assumed sample when none is published: the low end of GB polls (median ~1,700)
N_CAP = 5000  # a larger sample is not more accurate than this (weighting, panel effects)
DESIGN_EFFECT = 1.5  # variance inflation over simple random sampling (weighting, quotas): see STEP_SD
HOUSE_SD = 3.0  # prior sd of a house effect, points (published house effects rarely exceed 3)
LEVEL_SD0 = 10.0  # prior sd of the level before the first poll, points (vague)
MIN_POLLS = 5  # polls a pollster needs in the window to enter the sum-to-zero constraint
MIN_REPORTED = 0.1  # modelled parties: reported by this fraction of the polls (see modelled_parties)
MIN_REPORTED_N = 5
RECENT_DAYS = 60
MAX_CARRY_DAYS = 366  # an average is not carried forward more than a year past the last poll
MAX_SPAN_DAYS = 2200  # window length cap (about six years; a parliament lasts at most five)
MAX_POLLSTERS = 30  # house effects for the 30 most prolific pollsters; the rest are taken as published
Z90 = 1.6448536269514722  # standard normal 95th percentile: a central 90% band


@dataclass(frozen=True, eq=False)
class PollAverage:
    """A fitted poll average and the inputs that produced it.

    ``average``: party -> percent on the day before ``as_of``; ``band``: party -> (low, high), 90%;
    ``daily``: index = date, columns = (``mean``/``low``/``high``, party), percent;
    ``house_effects``: index = pollster, columns = party, points (NaN: party not reported by that
    pollster); ``window``: (first, last) fieldwork end date used; ``polls``: the rows used.
    """

    as_of: dt.date
    area: str
    window: tuple[dt.date, dt.date]
    average: dict[str, float]
    band: dict[str, tuple[float, float]]
    daily: pd.DataFrame = field(repr=False)
    house_effects: pd.DataFrame = field(repr=False)
    polls: pd.DataFrame = field(repr=False)
    settings: dict = field(repr=False)
    data_version: str = ""

    @property
    def polls_used(self) -> tuple[int, ...]:
        """Ids of the polls used, oldest first (``len()`` is the count)."""
        return tuple(int(i) for i in self.polls["poll_id"])

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(self.average)

    def latest(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` most recent polls used (newest first) with the modelled party columns."""
        cols = ["poll_id", "pollster", "fieldwork_start", "fieldwork_end", "sample_size", *self.parties]
        return self.polls.sort_values(["fieldwork_end", "poll_id"], ascending=False)[cols].head(n)

    def as_dict(self, latest: int = 10) -> dict:
        house = self.house_effects.round(2).astype(object).where(self.house_effects.notna(), None)
        recent = self.latest(latest).astype(object)
        recent = recent.where(recent.notna(), None)
        return {
            "as_of": self.as_of.isoformat(), "area": self.area,
            "window": [d.isoformat() for d in self.window],
            "average": {p: round(v, 2) for p, v in self.average.items()},
            "band": {p: [round(lo, 2), round(hi, 2)] for p, (lo, hi) in self.band.items()},
            "polls_used": len(self.polls), "house_effects": house.to_dict(orient="index"),
            "latest_polls": [{k: (v.date().isoformat() if isinstance(v, pd.Timestamp) else v)
                              for k, v in row.items()} for row in recent.to_dict("records")],
            "settings": self.settings, "data_version": self.data_version,
        }


def parse_date(value, field_name: str = "as_of") -> dt.date:
    """A date from a ``date``/``datetime``/``Timestamp`` or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SeatcastError(field_name, f"{value!r} is not a date in the form YYYY-MM-DD or 'latest'") \
            from None


def resolve_as_of(polls: pd.DataFrame, as_of) -> dt.date:
    """``"latest"`` -> the day after the last fieldwork end; otherwise the parsed date."""
    if isinstance(as_of, str) and as_of.strip().lower() == "latest":
        if polls.empty:
            raise SeatcastError("polls", "no polls to aggregate")
        return polls["fieldwork_end"].max().date() + dt.timedelta(days=1)
    day = parse_date(as_of)
    if not dt.date(1950, 1, 1) <= day <= dt.date(2200, 1, 1):
        raise SeatcastError("as_of", f"{day} is outside 1950-2200")
    return day


def cycle_start(as_of: dt.date) -> dt.date | None:
    """Polling day of the last general election before ``as_of`` (None before 2005)."""
    before = [d for d in GE_DATES if d < as_of]
    return before[-1] if before else None


def select_window(polls: pd.DataFrame, as_of: dt.date, start: dt.date | None) -> pd.DataFrame:
    """Polls ending strictly before ``as_of`` and strictly after ``start`` and at most
    :data:`MAX_SPAN_DAYS` before ``as_of``; ``as_of`` at most :data:`MAX_CARRY_DAYS` after the last."""
    floor = as_of - dt.timedelta(days=MAX_SPAN_DAYS)
    start = floor if start is None else max(start, floor)
    end = polls["fieldwork_end"]
    keep = end < pd.Timestamp(as_of)
    if start is not None:
        keep &= end > pd.Timestamp(start)
    window = polls[keep]
    if window.empty:
        span = f"between {start} and {as_of}" if start else f"before {as_of}"
        known = (f"; the polls run from {end.min().date()} to {end.max().date()}" if len(end)
                 else "; there are no polls")
        raise SeatcastError("as_of", f"no polls ended {span} (the window is at most {MAX_SPAN_DAYS:,} "
                                     f"days){known}")
    last = window["fieldwork_end"].max().date()
    if (as_of - last).days > MAX_CARRY_DAYS:
        raise SeatcastError("as_of", f"{as_of} is more than a year after the last poll ({last})")
    return window.sort_values(["fieldwork_end", "poll_id"]).reset_index(drop=True)


def modelled_parties(window: pd.DataFrame, parties=None) -> list[str]:
    """Parties reported by at least :data:`MIN_REPORTED_N` polls (all, in a smaller window) and
    :data:`MIN_REPORTED` of the window's polls or of its last :data:`RECENT_DAYS` days (a new
    party), and at least once in those days (a party pollsters stopped asking about is not carried
    forward); or the requested ones, checked."""
    counts = window[list(PARTY_COLUMNS)].notna().sum()
    end = window["fieldwork_end"]
    recent = window[end > end.max() - pd.Timedelta(days=RECENT_DAYS)][list(PARTY_COLUMNS)].notna().mean()
    share = np.maximum(counts / len(window), recent)
    enough = [p for p in PARTY_COLUMNS
              if recent[p] > 0 and counts[p] >= min(MIN_REPORTED_N, len(window))
              and share[p] >= MIN_REPORTED]
    if parties is None:
        if not enough:
            raise SeatcastError("polls", "no party is reported often enough to average")
        return enough
    for p in parties:
        if p not in PARTY_COLUMNS or counts.get(p, 0) == 0:
            raise SeatcastError("parties", f"no polls in the window report {p!r}", enough)
    return list(parties)


@dataclass(frozen=True, eq=False)
class Design:
    """Kernel inputs built from a window. ``y``, ``r``: (n, J); ``day``, ``pollster``: (n,);
    ``constraint``: (J, K); ``q``, ``m0``, ``p0``: (J,); ``first``: date of day index 0."""

    parties: list[str]
    pollsters: list[str]
    first: dt.date
    n_days: int
    day: np.ndarray
    pollster: np.ndarray
    y: np.ndarray
    r: np.ndarray
    q: np.ndarray
    m0: np.ndarray
    p0: np.ndarray
    constraint: np.ndarray


def _obs_day(window: pd.DataFrame) -> pd.Series:
    """Fieldwork mid-point (rounded down) of each poll."""
    start, end = window["fieldwork_start"], window["fieldwork_end"]
    return start + (end - start) // 2


def design(window: pd.DataFrame, parties: list[str], as_of: dt.date, step_sd: float,
           default_n: float) -> Design:
    """Turn a window of polls into kernel arrays (rules in the module docstring)."""
    mid = _obs_day(window)
    first = mid.min().date()
    day = (mid - pd.Timestamp(first)).dt.days.to_numpy()
    order = np.argsort(day, kind="stable")
    y = window[parties].to_numpy(float)[order]
    p = np.clip(np.nanmean(y, axis=0) / 100.0, 0.01, 0.99)  # (J,) mean share, fraction
    n = window["sample_size"].fillna(default_n).clip(upper=N_CAP).to_numpy(float)[order]
    r = DESIGN_EFFECT * 1e4 * (p * (1 - p))[None, :] / n[:, None]  # (n, J) points^2
    names = window["pollster"].to_numpy()[order]
    counts = pd.Series(names[names != ""]).value_counts()
    pollsters = sorted(counts.index[:MAX_POLLSTERS])
    code = {s: k for k, s in enumerate(pollsters)}
    pollster = np.array([code.get(s, -1) for s in names], dtype=int)
    m0 = np.array([y[~np.isnan(y[:, j]), j][:5].mean() for j in range(len(parties))])
    q = (step_sd * np.sqrt(p * (1 - p)) / 0.5) ** 2
    n_days = (as_of - first).days
    return Design(parties, pollsters, first, n_days, day[order], pollster, y, r, q, m0,
                  np.full(len(parties), LEVEL_SD0**2), _constraint(pollster, y, len(pollsters)))


def _constraint(pollster: np.ndarray, y: np.ndarray, K: int) -> np.ndarray:
    """(J, K) sum-to-zero weights: 1/m over the m pollsters with >= MIN_POLLS polls of the party
    (all pollsters reporting it if none has that many)."""
    J = y.shape[1]
    counts = np.zeros((J, K))
    known = pollster >= 0
    for j in range(J):
        seen = known & ~np.isnan(y[:, j])
        counts[j] = np.bincount(pollster[seen], minlength=K)
    member = counts >= MIN_POLLS
    member = np.where(member.any(axis=1, keepdims=True), member, counts > 0)
    total = member.sum(axis=1, keepdims=True)
    return np.divide(member, total, out=np.zeros((J, K)), where=total > 0)


def _daily(d: Design, sm: kernels.Smoothed) -> pd.DataFrame:
    dates = pd.date_range(d.first, periods=d.n_days, freq="D", name="date")
    sd = np.sqrt(sm.level_var)
    seen_day = np.where(~np.isnan(d.y), d.day[:, None], d.n_days).min(axis=0)  # (J,) first report
    before = np.arange(d.n_days)[:, None] < seen_day[None, :]
    frames = {}
    for name, values in (("mean", sm.level), ("low", sm.level - Z90 * sd), ("high", sm.level + Z90 * sd)):
        values = np.where(before, np.nan, np.clip(values, 0.0, 100.0))
        frames[name] = pd.DataFrame(values, index=dates, columns=d.parties)
    return pd.concat(frames, axis=1, names=["stat", "party"])


def _house(d: Design, sm: kernels.Smoothed) -> pd.DataFrame:
    reported = np.zeros((len(d.pollsters), len(d.parties)), dtype=bool)
    for j in range(len(d.parties)):
        ks = d.pollster[(d.pollster >= 0) & ~np.isnan(d.y[:, j])]
        reported[np.unique(ks), j] = True
    house = pd.DataFrame(sm.house.T, index=pd.Index(d.pollsters, name="pollster"), columns=d.parties)
    return house.where(reported)


def _version(polls, window: pd.DataFrame) -> str:
    if polls is None:
        return store.data_version(window)
    digest = hashlib.sha256(pd.util.hash_pandas_object(window, index=False).to_numpy().tobytes())
    return "user:" + digest.hexdigest()[:12]


def _user_polls(polls, area: str) -> pd.DataFrame:
    """A frame or a path (read with :func:`seatcast.polls.read_csv`), limited to ``area``'s rows
    (GB and UK polls count as GB)."""
    if not isinstance(polls, pd.DataFrame):
        from seatcast.polls.importer import read_csv

        polls = read_csv(polls)
    wanted = ("GB", "UK") if area == "GB" else (area,)
    rows = polls[polls["area"].fillna("GB").isin(wanted)]
    if rows.empty:
        raise SeatcastError("area", f"no {area} polls in the file", sorted(set(polls["area"].dropna())))
    return rows


def aggregate(polls: pd.DataFrame | None = None, *, as_of, area: str = "GB", parties=None,
              start=None, step_sd: float = STEP_SD, default_n: float = DEFAULT_N) -> PollAverage:
    """Fit the poll average as of ``as_of`` (a date, ISO string or ``"latest"``).

    ``polls``: a frame in the :func:`seatcast.polls.load` schema or the path of a polls CSV
    (validated by :func:`seatcast.polls.read_csv`); default: the poll store's polls of ``area``
    (:mod:`seatcast.polls.store`; as created, exactly the bundled polls).
    ``parties``: parties to model (default: those reported often enough);
    ``start``: earliest fieldwork end to use, exclusive (default: the last general election
    before ``as_of``). See the module docstring for the model and its documented constants.
    """
    if area not in AREAS:
        raise SeatcastError("area", f"unknown area {area!r}", AREAS)
    source = store.polls(AREAS[area]) if polls is None else _user_polls(polls, area)
    if polls is None and isinstance(as_of, str) and as_of.strip().lower() == "latest":
        store.mark_latest()
    as_of = resolve_as_of(source, as_of)
    start = cycle_start(as_of) if start is None else parse_date(start, "start")
    window = select_window(source, as_of, start)
    chosen = modelled_parties(window, parties)
    d = design(window, chosen, as_of, float(step_sd), float(default_n))
    sm = kernels.kalman_smooth(d.day, d.pollster, d.y, d.r, d.n_days, len(d.pollsters), d.q, d.m0,
                               d.p0, HOUSE_SD**2, d.constraint)
    daily = _daily(d, sm)
    last = daily.iloc[-1]
    average = {p: float(last["mean", p]) for p in chosen}
    band = {p: (float(last["low", p]), float(last["high", p])) for p in chosen}
    ends = window["fieldwork_end"]
    settings = {"step_sd": float(step_sd), "default_n": float(default_n), "design_effect": DESIGN_EFFECT,
                "n_cap": N_CAP, "house_sd": HOUSE_SD, "start": start.isoformat() if start else None,
                "scale": "share (points)", "house_effects": "relative to the average pollster"}
    return PollAverage(as_of, area, (ends.min().date(), ends.max().date()), average, band, daily,
                       _house(d, sm), window, settings, _version(polls, window))
