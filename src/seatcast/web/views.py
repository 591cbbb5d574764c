"""View builders: library results -> compact, JSON-ready dicts for the web API.

Nothing here imports FastAPI, so every view can be tested (and reused) without a server.
Shares in the API are percentages rounded to one decimal place. Array dimensions follow the
library: ``(seat, party)`` for shares, ``(draw, party)`` for simulated seat totals.

Per-seat *swing to flip* is the Butler two-party swing (Butler, *The British General Election
of 1951*) from the winner to the runner-up that would make them level: half the winning
margin, in percentage points, on the shares that decide seats (``share * top_frac``, see
:mod:`seatcast.data.baseline`).
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from functools import cache, lru_cache

import numpy as np

from seatcast import parties
from seatcast.data import ELECTIONS, baseline, data_version, election, hexjson
from seatcast.errors import SeatcastError
from seatcast.parliament import MAJORITY, TOTAL_SEATS

#: Sliders on the page, per area. "Others" is the remainder and is never sent, so parties the
#: scenario does not name (independents, minor parties) keep their baseline shares.
SLIDERS = {
    "gb": ("con", "lab", "ld", "reform", "green", "snp", "pc"),
    "scotland": ("con", "lab", "ld", "reform", "green", "snp"),
    "wales": ("con", "lab", "ld", "reform", "green", "pc"),
}
AREA_NATIONS = {"gb": parties.GB, "scotland": ("Scotland",), "wales": ("Wales",)}
TOP = 4  # parties listed per seat in a projection
CACHE_SIZE = 256


def check_choice(field: str, value: str, allowed) -> str:
    """Raise a :class:`SeatcastError` naming ``field`` unless ``value`` is one of ``allowed``."""
    allowed = list(allowed)
    if value not in allowed:
        raise SeatcastError(field, f"unknown value {value!r}", allowed)
    return value


def _family_share(totals, code: str) -> float:
    """A slider's starting share: the party itself or, if absent, its family's largest member.

    The largest member is the one :func:`seatcast.swing.scenario.prepare` relabels, so a
    zero-swing scenario reproduces the baseline.
    """
    members = parties.family_members(code)
    return max(float(totals.get(m, 0.0)) for m in members)


@cache
def baseline_shares(baseline_id: str) -> dict[str, dict[str, float]]:
    """Starting slider values: the baseline's own shares (percent) in GB, Scotland and Wales.

    Rounded *down* to 0.001 points, so no party rises (which would wake the geography prior)
    and the zero-swing scenario reproduces the baseline seat for seat.
    """
    base = baseline(baseline_id)
    out = {}
    for area, codes in SLIDERS.items():
        totals = base.area_totals(base.nation_mask(*AREA_NATIONS[area]))
        out[area] = {c: math.floor(100_000 * _family_share(totals, c)) / 1000 for c in codes}
    return out


def meta() -> dict:
    """Everything the page needs before its first projection."""
    from seatcast.swing import MODELS

    return {
        "parties": [{"code": p.code, "name": p.name, "colour": p.colour}
                    for p in parties.REGISTRY.values()],
        "baselines": [{"id": e.id, "date": e.date.isoformat(), "boundaries": e.boundaries,
                       "shares": baseline_shares(e.id)} for e in ELECTIONS.values()],
        "models": list(MODELS),
        "sliders": {k: list(v) for k, v in SLIDERS.items()},
        "majority": MAJORITY,
        "total_seats": TOTAL_SEATS,
        "data_version": data_version(),
    }


_COUNTRY = {"E": "England", "S": "Scotland", "W": "Wales", "N": "Northern Ireland"}


@cache
def hexmap(boundaries: str) -> dict:
    """The bundled Open Innovations hexjson for a boundary set, trimmed to ``[q, r, name]``."""
    doc = hexjson(check_choice("boundaries", str(boundaries), ("2010", "2024")))
    hexes = {code: [h["q"], h["r"], h["n"], _COUNTRY.get(code[0], "")]
             for code, h in doc["hexes"].items()}
    return {"boundaries": str(boundaries), "layout": doc["layout"], "hexes": hexes}


def decisive(shares: np.ndarray, top_frac: np.ndarray) -> np.ndarray:
    """(seat, party) shares that decide seats: a bucket competes with its largest candidate."""
    return shares * top_frac


def swing_to_flip(eff: np.ndarray) -> np.ndarray:
    """(seat, party) decisive shares -> (seat,) half the gap between first and second."""
    top2 = -np.partition(-eff, 1, axis=-1)[..., :2]
    return (top2[..., 0] - top2[..., 1]) / 2.0


def _seat_rows(codes, parties_, shares, eff, winners, was) -> list[dict]:
    """One compact row per seat: winners, the ``TOP`` decisive parties' shares, swing to flip."""
    order = np.argsort(-eff, axis=1)[:, :TOP]
    top = np.round(100.0 * np.take_along_axis(shares, order, axis=1), 1).tolist()
    names = np.asarray(parties_)[order].tolist()
    flip = np.round(100.0 * swing_to_flip(eff), 2).tolist()
    return [
        {"ons_code": code, "winner": w, "baseline_winner": b,
         "shares": {p: v for p, v in zip(n, t, strict=True) if v > 0}, "swing_to_flip": f}
        for code, w, b, n, t, f in zip(codes, winners, was, names, top, flip, strict=True)
    ]


def projection_view(proj) -> dict:
    """A :class:`seatcast.swing.Projection` -> seat totals, verdict and one row per seat."""
    base = proj.baseline
    eff = decisive(proj.shares, base.top_frac)
    seats = _seat_rows(list(base.codes), proj.parties, proj.shares, eff,
                       proj.winners.tolist(), base.winners.tolist())
    return {
        "baseline": base.election,
        "boundaries": election(base.election).boundaries,
        "model": proj.model,
        "scenario": proj.scenario.as_dict(),
        "parliament": proj.parliament.as_dict(),
        "seats": seats,
        "notices": list(proj.notices),
        "data_version": proj.data_version,
    }


def scenario_from_request(gb, scotland, wales):
    """Request fields -> a validated :class:`seatcast.swing.Scenario` (errors name the field)."""
    from seatcast.swing import scenario

    nations = {name: shares for name, shares in (("Scotland", scotland), ("Wales", wales)) if shares}
    return scenario(gb or {}, nations)


class _LRU:
    """A small least-recently-used cache of encoded responses (projections are deterministic)."""

    def __init__(self, size: int):
        self.size, self.data = size, OrderedDict()

    def get(self, key):
        if key in self.data:
            self.data.move_to_end(key)
            return self.data[key]
        return None

    def put(self, key, value):
        self.data[key] = value
        if len(self.data) > self.size:
            self.data.popitem(last=False)
        return value


_PROJECTIONS = _LRU(CACHE_SIZE)


def _key(gb, scotland, wales, baseline_id, model, seats=None, explain=None) -> tuple:
    def items(d):
        return tuple(sorted((d or {}).items()))
    overrides = tuple(sorted((k, items(v)) for k, v in (seats or {}).items()))
    return items(gb), items(scotland), items(wales), baseline_id, model, overrides, explain


def project_json(gb, scotland, wales, baseline_id: str = "2024", model: str = "uns",
                 seats=None, explain: str | None = None) -> bytes:
    """Project a scenario and return the encoded :func:`projection_view` (cached per input).

    ``seats``: candidate overrides ``{seat: {party: share}}``; ``explain``: a seat whose card
    (:meth:`seatcast.swing.Projection.explain`) is added as ``explain``."""
    from seatcast.swing import project

    key = _key(gb, scotland, wales, baseline_id, model, seats, explain)
    hit = _PROJECTIONS.get(key)
    if hit is not None:
        return hit
    check_choice("baseline", baseline_id, ELECTIONS)
    proj = project(scenario_from_request(gb, scotland, wales), baseline_id, model, seats)
    view = projection_view(proj)
    if explain:
        view["explain"] = proj.explain(explain, "explain")
    body = json.dumps(view, separators=(",", ":")).encode()
    return _PROJECTIONS.put(key, body)


_EXPLAINED = _LRU(16)  # (baseline, model, overrides) -> the poll-average projection


def seat_explain(ons_code: str, baseline_id: str = "2024", model: str = "tm",
                 overrides: tuple[str, ...] = ()) -> dict | None:
    """The seat card of ``ons_code`` under the latest poll average (None without polls)."""
    from seatcast.swing import project

    key = (baseline_id, model, overrides)
    proj = _EXPLAINED.get(key)
    if proj is None:
        try:
            scen = _poll_scenario()
        except SeatcastError:
            return None
        proj = _EXPLAINED.put(key, project(scen, baseline_id, model, list(overrides)))
    return proj.explain(ons_code, "ons_code")


@lru_cache(maxsize=1)
def _poll_scenario():
    from seatcast.polls import scenario_from_polls

    return scenario_from_polls("latest")


def seat_view(ons_code: str, baseline_id: str = "2024", win_prob: dict | None = None) -> dict | None:
    """One seat's baseline result (votes, shares, majority, swing to flip); None if unknown."""
    check_choice("baseline", baseline_id, ELECTIONS)
    base = baseline(baseline_id)
    if ons_code not in base.codes:
        return None
    i = base.codes.get_loc(ons_code)
    meta_row = base.seats.iloc[i]
    electorate = meta_row["electorate"]
    votes, shares = base.votes[i], base.shares[i]
    eff = decisive(shares, base.top_frac[i])
    order = [j for j in np.argsort(-eff) if votes[j] > 0]
    result = [{"party": base.parties[j], "votes": int(votes[j]),
               "share": round(100 * float(shares[j]), 1)} for j in order]
    first, second = (eff[order[0]], eff[order[1]]) if len(order) > 1 else (eff[order[0]], 0.0)
    return {
        "ons_code": ons_code, "constituency": str(meta_row["constituency"]),
        "country": str(meta_row["country"]), "region": str(meta_row["region"]),
        "electorate": int(electorate) if electorate == electorate else None,
        "baseline": base.election, "winner": result[0]["party"],
        "runner_up": result[1]["party"] if len(result) > 1 else None,
        "majority_pct": round(100 * float(first - second), 1),
        "swing_to_flip": round(50 * float(first - second), 2),
        "result": result, "win_prob": win_prob,
    }


class Unavailable(RuntimeError):
    """A panel whose library part is not installed or not present in this build (HTTP 503)."""


FORECAST_DRAWS = 20_000  # 20,000 draws take about 2 s and give probabilities to +/-0.4 points
INTERVAL = 0.90  # the p05-p95 interval of the forecast's summary
_FORECASTS = _LRU(16)  # (baseline, model, draws, seed) -> summary
_LATEST_FORECAST: dict[str, dict] = {}  # baseline id -> the last forecast view computed
_FORECAST_LOCK = threading.Lock()


def cached_win_prob(ons_code: str, baseline_id: str) -> dict | None:
    """Win probabilities for a seat from an already computed forecast of ``baseline_id``."""
    view = _LATEST_FORECAST.get(baseline_id)
    return None if view is None else view["seats"].get(ons_code)


def histogram(values: np.ndarray, max_bins: int = 60) -> dict:
    """(draw,) integer seat totals -> ``start``, bin ``width`` (seats) and ``counts`` per bin."""
    values = np.asarray(values, dtype=np.int64)
    lo, hi = int(values.min()), int(values.max())
    width = max(1, -(-(hi - lo + 1) // max_bins))
    counts = np.bincount((values - lo) // width, minlength=(hi - lo) // width + 1)
    return {"start": lo, "width": width, "counts": counts.astype(int).tolist()}


def outcome_label(key: str) -> str:
    """``majority:lab`` -> ``Labour majority``; ``largest:con`` -> ``Conservative largest party``."""
    kind, _, code = key.partition(":")
    if key == "hung":
        return "Hung parliament"
    name = parties.name(code) if code in parties.REGISTRY else code
    return {"majority": f"{name} majority", "largest": f"{name} largest party"}.get(kind, key)


def _win_prob(table) -> dict:
    """ons_code x party probabilities -> {ons_code: {party: p}} without the near-zero entries."""
    values = np.round(table.to_numpy(float), 3)
    cols = list(table.columns)
    return {code: {cols[j]: float(row[j]) for j in np.flatnonzero(row >= 0.001)}
            for code, row in zip(table.index, values, strict=True)}


def _summary(fc) -> list[dict]:
    rows = [{"party": p, "median": int(fc.summary.at[p, "median"]), "lo": int(fc.summary.at[p, "p05"]),
             "hi": int(fc.summary.at[p, "p95"]), "mean": round(float(fc.summary.at[p, "mean"]), 1)}
            for p in fc.shown_parties()]
    return rows


def _run_forecast(baseline_id: str, model: str, draws: int, seed: int, overrides=()):
    try:
        from seatcast.simulate import forecast
    except ImportError as exc:
        raise Unavailable(f"forecast: the simulator is not available ({exc})") from None
    return forecast(None, baseline=baseline_id, model=model, draws=draws, seed=seed,
                    overrides=list(overrides))


def forecast_summary(fc) -> dict:
    """A :class:`seatcast.simulate.Forecast` -> intervals, outcome odds, histograms, seat odds."""
    summary = _summary(fc)
    index = {p: j for j, p in enumerate(fc.parties)}
    probs = sorted(fc.probabilities.items(), key=lambda kv: -kv[1])
    return {
        "baseline": fc.baseline, "model": fc.model, "draws": int(fc.draws), "seed": int(fc.seed),
        "as_of": fc.as_of, "poll_window": list(fc.poll_window) if fc.poll_window else None,
        "interval": INTERVAL,
        "probabilities": {outcome_label(k): round(float(v), 4) for k, v in probs},
        "summary": summary,
        "histograms": {r["party"]: histogram(fc.seats[:, index[r["party"]]]) for r in summary},
        "seats": _win_prob(fc.win_prob),
        "notices": list(fc.notices), "data_version": fc.data_version,
    }


def forecast_view(baseline_id: str = "2024", model: str = "uns", draws: int = FORECAST_DRAWS,
                  seed: int | None = None, overrides: tuple[str, ...] = ()) -> dict:
    """:func:`seatcast.simulate.forecast` from the latest polls, summarised; cached per process.
    ``overrides``: candidate overrides such as ``"Islington North:-ind"``."""
    check_choice("baseline", baseline_id, ELECTIONS)
    if seed is None:
        from seatcast.simulate import DEFAULT_SEED as seed
    key = (baseline_id, model, int(draws), int(seed), tuple(overrides))
    with _FORECAST_LOCK:
        view = _FORECASTS.get(key)
        if view is None:
            view = _FORECASTS.put(key, forecast_summary(_run_forecast(baseline_id, model, int(draws),
                                                                      int(seed), overrides)))
        _LATEST_FORECAST[baseline_id] = view
        return view


def _series(values) -> list:
    return [None if v != v else round(float(v), 2) for v in values]


@lru_cache(maxsize=16)
def polls_view(as_of: str = "latest", area: str = "GB") -> dict:
    """The poll average (:func:`seatcast.polls.aggregate`) as daily series plus the polls used.

    ``average``/``low``/``high``: party -> one value per entry of ``dates`` (percent; the band is
    the aggregator's 90% band of the average); ``polls``: one row per poll, dated by fieldwork end.
    """
    try:
        from seatcast.polls import aggregate
    except ImportError as exc:
        raise Unavailable(f"polls: the poll aggregator is not available ({exc})") from None
    avg = aggregate(as_of=as_of, area=area)
    order = sorted(avg.parties, key=lambda p: -avg.average[p])
    daily = avg.daily
    polls = avg.polls.sort_values("fieldwork_end")
    rows = [{"date": d.date().isoformat(), "pollster": str(who),
             **{p: (None if v != v else float(v)) for p, v in zip(order, vals, strict=True)}}
            for d, who, vals in zip(polls["fieldwork_end"], polls["pollster"],
                                    polls[order].to_numpy(float), strict=True)]
    return {
        "as_of": avg.as_of.isoformat(), "area": avg.area,
        "window": [d.isoformat() for d in avg.window],
        "parties": order,
        "dates": [d.date().isoformat() if hasattr(d, "date") else str(d) for d in daily.index],
        "average": {p: _series(daily["mean", p]) for p in order},
        "lo": {p: _series(daily["low", p]) for p in order},
        "hi": {p: _series(daily["high", p]) for p in order},
        "latest": {p: round(avg.average[p], 2) for p in order},
        "band": {p: [round(lo, 2), round(hi, 2)] for p, (lo, hi) in avg.band.items()},
        "band_label": "90% band of the average", "method": "Kalman-smoothed average with house effects",
        "polls": rows, "data_version": avg.data_version,
    }


TARGET_COLUMNS = (
    {"key": "rank", "label": "Rank", "kind": "int"},
    {"key": "constituency", "label": "Seat", "kind": "seat"},
    {"key": "winner", "label": "Held by", "kind": "party"},
    {"key": "share", "label": "Party share %", "kind": "num", "digits": 1},
    {"key": "winner_share", "label": "Winner share %", "kind": "num", "digits": 1},
    {"key": "swing_needed", "label": "Swing needed (pts)", "kind": "num", "digits": 2},
    {"key": "votes_switched", "label": "Voters to switch", "kind": "int"},
)


def _tipping_note(party: str, tipping: dict) -> str:
    notes = []
    for what, tip in (tipping or {}).items():
        if not tip:
            continue
        notes.append(f"{what}: a uniform swing of {tip['swing']:+.2f} points from "
                     f"{parties.name(tip['from'])} to {parties.name(tip['to'])} "
                     f"(tipping seat {tip['constituency']})")
    return f"{parties.name(party)} tipping points - " + "; ".join(notes) if notes else ""


@lru_cache(maxsize=32)
def targets_view(party: str = "lab", baseline_id: str = "2024", limit: int = 50) -> dict:
    """:func:`seatcast.campaign.targets` on a baseline result: the easiest ``limit`` targets."""
    try:
        from seatcast.campaign import targets
    except ImportError as exc:
        raise Unavailable(f"targets: campaign analytics are not available ({exc})") from None
    check_choice("baseline", baseline_id, ELECTIONS)
    tl = targets(party, baseline=baseline_id)
    table = tl.as_dict(top=limit)
    return {"party": tl.party, "vs": tl.vs, "baseline": tl.election, "columns": list(TARGET_COLUMNS),
            "rows": table["targets"], "tipping": table["tipping"],
            "note": _tipping_note(tl.party, table["tipping"]), "data_version": tl.data_version}
