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

import math
from collections import OrderedDict
from functools import cache, lru_cache

from seatcast import defaults, parties, present
from seatcast.data import ELECTIONS, baseline, data_version, hexjson
from seatcast.errors import SeatcastError
from seatcast.parliament import MAJORITY, TOTAL_SEATS

#: Sliders on the page, per area. "Others" is the remainder and is never sent, so parties the
#: scenario does not name (independents, minor parties) keep their baseline shares. GB has every
#: party of the GB poll average (Restore Britain included: without its slider a poll scenario's
#: Restore Britain share fell into "Others" once a slider moved).
SLIDERS = {
    "gb": ("con", "lab", "ld", "reform", "green", "snp", "pc", "restore_britain"),
    "scotland": ("con", "lab", "ld", "reform", "green", "snp"),
    "wales": ("con", "lab", "ld", "reform", "green", "pc"),
}
AREA_NATIONS = {"gb": parties.GB, "scotland": ("Scotland",), "wales": ("Wales",)}
#: Encoded projections kept per server process (about 130 kB each): room for a newsroom's shared
#: scenarios; a stream of new ones would only churn a bigger cache and hold its memory.
CACHE_SIZE = 64


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
        totals = dict(zip(base.parties, base.area_shares(base.nation_mask(*AREA_NATIONS[area])).tolist(),
                          strict=True))
        out[area] = {c: math.floor(100_000 * _family_share(totals, c)) / 1000 for c in codes}
    return out


@cache
def standing(baseline_id: str) -> list[str]:
    """The parties with votes at a baseline: :func:`seatcast.campaign.targets` needs some, so the
    page offers target lists for the slider parties among them (not Reform UK on 2010)."""
    base = baseline(baseline_id)
    return [p for p, n in zip(base.parties, base.votes.sum(axis=0).tolist(), strict=True) if n > 0]


def meta() -> dict:
    """Everything the page needs before its first projection."""
    from seatcast.swing import MODELS

    return {
        "parties": [{"code": p.code, "name": p.name, "colour": p.colour}
                    for p in parties.REGISTRY.values()],
        "baselines": [{"id": e.id, "date": e.date.isoformat(), "boundaries": e.boundaries,
                       "shares": baseline_shares(e.id), "standing": standing(e.id)}
                      for e in ELECTIONS.values()],
        "models": list(MODELS),
        "model_names": {m: defaults.MODEL_NAMES.get(m, m) for m in MODELS},
        "defaults": {"model": defaults.MODEL, "baseline": defaults.BASELINE, "draws": defaults.DRAWS,
                     "seed": defaults.SEED},
        "sliders": {k: list(v) for k, v in SLIDERS.items()},
        "majority": MAJORITY,
        "total_seats": TOTAL_SEATS,
        "data_version": data_version(),
    }


@cache
def meta_json() -> bytes:
    """:func:`meta` encoded once per process (it does not change while the server runs)."""
    return present.dump_bytes(meta())


_COUNTRY = {"E": "England", "S": "Scotland", "W": "Wales", "N": "Northern Ireland"}


@cache
def hexmap(boundaries: str) -> dict:
    """The bundled Open Innovations hexjson for a boundary set, trimmed to ``[q, r, name]``."""
    doc = hexjson(check_choice("boundaries", str(boundaries), ("2010", "2024")))
    hexes = {code: [h["q"], h["r"], h["n"], _COUNTRY.get(code[0], "")]
             for code, h in doc["hexes"].items()}
    return {"boundaries": str(boundaries), "layout": doc["layout"], "hexes": hexes}


def projection_view(proj) -> dict:
    """A projection -> its one JSON document (:func:`seatcast.present.projection_doc`)."""
    return present.projection_doc(proj)


def scenario_from_request(gb, scotland=None, wales=None, ni=None, regions=None, polls=None,
                          swing=None, baseline_id: str = defaults.BASELINE):
    """Request fields -> a validated :class:`seatcast.swing.Scenario` by the library function of
    ``seatcast project`` (:func:`seatcast.polls.user_scenario`; errors name the field)."""
    from seatcast.polls import user_scenario

    nations = {"Scotland": scotland, "Wales": wales, "Northern Ireland": ni}
    return user_scenario(gb or {}, nations, regions, polls, swing or (), baseline_id)


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


def _key(*fields, **named) -> tuple:
    """A hashable cache key of request fields (mappings sorted, nested one level; lists as tuples)."""
    def freeze(v):
        if isinstance(v, dict):
            return tuple(sorted((k, freeze(x)) for k, x in v.items()))
        return tuple(v) if isinstance(v, list) else v
    return tuple(freeze(v) for v in fields) + tuple(sorted((k, freeze(v)) for k, v in named.items()))


def project_json(gb, scotland, wales, baseline_id: str = defaults.BASELINE, model: str = defaults.MODEL,
                 seats=None, explain: str | None = None, **areas) -> bytes:
    """Project a scenario and return the encoded :func:`projection_view` (cached per input).

    ``seats``: candidate overrides ``{seat: {party: share}}``; ``explain``: a seat whose card
    (:meth:`seatcast.swing.Projection.explain`) is added as ``explain``; ``areas``: the other
    inputs of :func:`scenario_from_request` (``ni``, ``regions``, ``polls``, ``swing``)."""
    from seatcast.swing import project

    key = _key(gb, scotland, wales, baseline_id, model, seats, explain, **areas)
    hit = _PROJECTIONS.get(key)
    if hit is not None:
        return hit
    check_choice("baseline", baseline_id, ELECTIONS)
    scen = scenario_from_request(gb, scotland, wales, baseline_id=baseline_id, **areas)
    proj = project(scen, baseline_id, model, seats)
    view = projection_view(proj)
    if explain:
        view["explain"] = proj.explain(explain, "explain")
    return _PROJECTIONS.put(key, present.dump_bytes(view))


_EXPLAINED = _LRU(16)  # (baseline, model, overrides) -> the poll-average projection


def seat_explain(ons_code: str, baseline_id: str = defaults.BASELINE, model: str = defaults.MODEL,
                 overrides: tuple[str, ...] = ()) -> dict | None:
    """The seat card of ``ons_code`` under the latest poll average (None without polls)."""
    from seatcast.swing import project

    key = (baseline_id, model, overrides)
    proj = _EXPLAINED.get(key)
    if proj is None:
        try:
            scen = _latest_poll_scenario()
        except SeatcastError:
            return None
        proj = _EXPLAINED.put(key, project(scen, baseline_id, model, list(overrides)))
    return proj.explain(ons_code, "ons_code")


@lru_cache(maxsize=1)
def _latest_poll_scenario():
    from seatcast.polls import scenario_from_polls

    return scenario_from_polls("latest")


def seat_view(seat: str, baseline_id: str = defaults.BASELINE,
              win_prob: dict | None = None) -> dict | None:
    """One seat's baseline result (:func:`seatcast.present.seat_doc`), the seat given by ONS code
    or name as ``seatcast seat`` takes it (:func:`seatcast.data.seats.find_seat`: 'islington n',
    'aldershott'); None if nothing is close; an error listing the candidates if several are."""
    from seatcast.data.seats import find_seat

    check_choice("baseline", baseline_id, ELECTIONS)
    base = baseline(baseline_id)
    try:
        code = find_seat(seat, dict(zip(base.codes, base.seats["constituency"], strict=True)), "ons_code")
    except SeatcastError as exc:
        if exc.allowed:  # several candidates: say which
            raise
        return None
    return present.seat_doc(base, code, win_prob)


class Unavailable(RuntimeError):
    """A panel whose library part is not installed or not present in this build (HTTP 503)."""


FORECAST_DRAWS = defaults.DRAWS  # one draws default for the library, the CLI and the web
INTERVAL = present.INTERVAL


def _run_forecast(baseline_id: str, model: str, draws: int, seed: int, overrides=()):
    try:
        from seatcast.simulate import forecast
    except ImportError as exc:
        raise Unavailable(f"forecast: the simulator is not available ({exc})") from None
    return forecast(None, baseline=baseline_id, model=model, draws=draws, seed=seed,
                    overrides=list(overrides))


def forecast_summary(fc) -> dict:
    """A forecast -> its one JSON document (:func:`seatcast.present.forecast_doc`)."""
    return present.forecast_doc(fc)


def forecast_key(baseline_id: str, model: str, draws: int, seed: int,
                 overrides: tuple[str, ...] = ()) -> tuple:
    """The normalised, validated inputs of a web forecast (errors name the field; no work done)."""
    check_choice("baseline", baseline_id, ELECTIONS)
    check_choice("model", model, defaults.MODEL_NAMES)
    if not 100 <= int(draws) <= defaults.WEB_MAX_DRAWS:
        raise SeatcastError("draws", f"{draws} is not from 100 to {defaults.WEB_MAX_DRAWS:,}")
    if not 0 <= int(seed) <= 2**32 - 1:
        raise SeatcastError("seed", f"{seed} is not from 0 to {2**32 - 1}")
    return baseline_id, model, int(draws), int(seed), tuple(overrides)


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
        "scenario": _poll_scenario(avg),
    }


def _poll_scenario(avg) -> dict | None:
    """The projection scenario of a GB average (what ``project --polls`` uses: GB shares plus
    recent Scotland/Wales averages), so the dashboard's "Use poll average" gives the same seats."""
    if avg.area != "GB":
        return None
    from seatcast.polls.scenario import scenario_from_average

    scen = scenario_from_average(avg)
    return {**scen.as_dict(), "notices": list(scen.notices)}


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
    """The tipping points in the words of ``seatcast targets`` (:func:`seatcast.present.tipping_text`)."""
    from seatcast.present import tipping_text

    notes = [tipping_text(what, tip, party, "", parties.name) for what, tip in (tipping or {}).items() if tip]
    return f"{parties.name(party)} tipping points - " + "; ".join(notes) if notes else ""


@lru_cache(maxsize=32)
def _target_list(party: str, baseline_id: str) -> dict:
    """All targets of ``party`` on a baseline (cached per party and baseline, not per limit)."""
    try:
        from seatcast.campaign import targets
    except ImportError as exc:
        raise Unavailable(f"targets: campaign analytics are not available ({exc})") from None
    check_choice("baseline", baseline_id, ELECTIONS)
    tl = targets(party, baseline=baseline_id)
    table = tl.as_dict(top=650)
    return {"party": tl.party, "vs": tl.vs, "baseline": tl.election, "columns": list(TARGET_COLUMNS),
            "rows": table["targets"], "tipping": table["tipping"],
            "note": _tipping_note(tl.party, table["tipping"]), "data_version": tl.data_version}


def targets_view(party: str = "lab", baseline_id: str = defaults.BASELINE, limit: int = 50) -> dict:
    """:func:`seatcast.campaign.targets` on a baseline result: the easiest ``limit`` targets."""
    view = _target_list(party, baseline_id)
    return {**view, "rows": view["rows"][:limit]}
