"""JSON API routes. Each parses input, calls one library (or view) function and renders it."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from seatcast import defaults
from seatcast.elections import ELECTIONS
from seatcast.web import jobs, models, views

router = APIRouter(prefix="/api")


def _no_repeats(pairs: list[tuple[str, object]]) -> dict:
    keys = [k for k, _ in pairs]
    repeated = next((k for k in keys if keys.count(k) > 1), None)
    if repeated is not None:
        raise RequestValidationError([{"type": "duplicate_key", "loc": ("body", repeated),
                                       "msg": f"{repeated!r} is given more than once"}])
    return dict(pairs)


async def unique_keys(request: Request) -> None:
    """A JSON body that repeats a key is refused (422), not read with the last value winning
    (RFC 8259 section 4: names within an object SHOULD be unique). Syntax errors are left to the
    body parser, which has already answered them."""
    try:
        json.loads(await request.body(), object_pairs_hook=_no_repeats)
    except ValueError:
        return
ERRORS = {422: {"model": models.ErrorResponse, "description": "Invalid input; names the field."}}

# The enums of the schema come from seatcast.elections and seatcast.defaults (the library checks the values).
BaselineQ = Annotated[str, Query(max_length=16, description="Baseline election id.",
                                 json_schema_extra={"enum": list(ELECTIONS)})]
ModelQ = Annotated[str, Query(max_length=16, description="Swing model.",
                              json_schema_extra={"enum": list(defaults.MODEL_NAMES)})]
DrawsQ = Annotated[int, Query(ge=100, le=defaults.WEB_MAX_DRAWS, description="Simulated elections.")]
SeedQ = Annotated[int, Query(ge=0, le=2**32 - 1, description="Random seed.")]
SeatQ = Annotated[list[str] | None, Query(max_length=650, description="Candidate override, "
                                          "'Islington North:ind=40' or 'Islington North:-ind'. Repeatable.")]


def seat_win_prob(ons_code: str, baseline: str, model: str, draws: int, seed: int,
                  overrides: tuple[str, ...] = ()) -> dict | None:
    """One seat's win probabilities from the forecast with exactly these inputs, if it has been
    computed already (never computed here, never another input's forecast)."""
    view = jobs.cached_forecast(baseline, model, draws, seed, overrides)
    return None if view is None else view["seats"].get(ons_code)


@router.get("/meta", summary="Parties, baselines, models and slider start values")
def meta() -> Response:
    return Response(views.meta_json(), media_type="application/json")


@router.get("/hexmap/{boundaries}", summary="Hex cartogram cells [q, r, name, country] (odd-r)",
            responses=ERRORS)
def hexmap(boundaries: Annotated[str, Path(max_length=8)]) -> dict:
    return views.hexmap(boundaries)


@router.post("/project", response_model=models.ProjectResponse, responses=ERRORS,
             dependencies=[Depends(unique_keys)],
             summary="Project a scenario onto seats (seatcast.swing.project)")
async def project(req: models.ProjectRequest) -> Response:
    """Run on the event loop, not in a thread: a projection is a few milliseconds of CPU under the
    GIL either way, and a thread hand-off per request costs more than it saves."""
    body = views.project_json(req.gb, req.scotland, req.wales, req.baseline, req.model,
                              req.seats, req.explain, ni=req.ni, regions=req.regions, polls=req.polls,
                              swing=req.swing)
    return Response(body, media_type="application/json")


@router.get("/seat/{ons_code}", response_model=models.SeatResponse,
            description="The seat by ONS code or by name, matched as `seatcast seat` matches it "
                        "('islington n', 'aldershott'); several candidates are a 422 listing them.",
            responses={**ERRORS, 404: {"model": models.ErrorResponse, "description": "Unknown seat."}},
            summary="One seat's baseline result, swing to flip and win probabilities")
def seat(ons_code: Annotated[str, Path(max_length=16)], baseline: BaselineQ = defaults.BASELINE,
         model: ModelQ = defaults.MODEL, draws: DrawsQ = defaults.DRAWS, seed: SeedQ = defaults.SEED,
         seat: SeatQ = None) -> dict:
    overrides = tuple(seat or ())
    out = views.seat_view(ons_code, baseline)
    if out is None:
        raise HTTPException(404, f"ons_code: no seat {ons_code!r} in the {baseline} baseline; "
                                 "give an ONS code or a constituency name")
    code = out["ons_code"]
    return {**out, "win_prob": seat_win_prob(code, baseline, model, draws, seed, overrides),
            "explain": views.seat_explain(code, baseline, model, overrides)}


@router.get("/forecast", responses={**ERRORS, 503: {"model": models.ErrorResponse,
                                                    "description": "Forecast queue full; see Retry-After."}},
            summary="Probabilistic seat forecast from the polls (seatcast.simulate.forecast)")
async def forecast(baseline: BaselineQ = defaults.BASELINE, model: ModelQ = defaults.MODEL,
                   draws: DrawsQ = defaults.DRAWS, seed: SeedQ = defaults.SEED,
                   seat: SeatQ = None) -> Response:
    """Validated before any work; run in the bounded worker pool (:mod:`seatcast.web.jobs`), cached."""
    body, _ = await jobs.FORECASTS.get(views.forecast_key(baseline, model, draws, seed, tuple(seat or ())))
    return Response(body, media_type="application/json")


@router.get("/polls", responses=ERRORS, summary="Poll average with its band (seatcast.polls.aggregate)")
def polls(as_of: Annotated[str, Query(max_length=16, description="'latest' or a date, 2024-07-03.")]
          = "latest",
          area: Annotated[str, Query(max_length=16, description="GB, Scotland or Wales.")] = "GB") -> dict:
    return views.polls_view(as_of, area)


@router.get("/history", responses=ERRORS,
            summary="Weekly forecasts since the last election, as kept by `seatcast history`")
def history(model: ModelQ = defaults.MODEL) -> dict:
    from seatcast.simulate.history import stored_history

    hist = stored_history(model)
    return hist.as_dict() if hist else {"model": model, "weeks": 0, "rows": []}


@router.get("/targets", responses=ERRORS, summary="Campaign target seats (seatcast.campaign)")
def targets(party: Annotated[str, Query(min_length=1, max_length=16)] = "lab",
            baseline: BaselineQ = defaults.BASELINE,
            limit: Annotated[int, Query(ge=1, le=650)] = 50) -> dict:
    return views.targets_view(party, baseline, limit)
