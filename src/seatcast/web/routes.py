"""JSON API routes. Each parses input, calls one library (or view) function and renders it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from seatcast.web import models, views

router = APIRouter(prefix="/api")
ERRORS = {422: {"model": models.ErrorResponse, "description": "Invalid input; names the field."}}

BaselineQ = Annotated[str, Query(max_length=16, description="Baseline election id.")]
ModelQ = Annotated[str, Query(max_length=16, description="Swing model: uns prop tm stm.")]
SeatQ = Annotated[list[str] | None, Query(max_length=650, description="Candidate override, "
                                          "'Islington North:ind=40' or 'Islington North:-ind'. Repeatable.")]


@router.get("/meta", summary="Parties, baselines, models and slider start values")
def meta() -> dict:
    return views.meta()


@router.get("/hexmap/{boundaries}", summary="Hex cartogram cells [q, r, name, country] (odd-r)",
            responses=ERRORS)
def hexmap(boundaries: Annotated[str, Path(max_length=8)]) -> dict:
    return views.hexmap(boundaries)


@router.post("/project", response_model=models.ProjectResponse, responses=ERRORS,
             summary="Project a scenario onto seats (seatcast.swing.project)")
def project(req: models.ProjectRequest) -> Response:
    body = views.project_json(req.gb, req.scotland, req.wales, req.baseline, req.model,
                              req.seats, req.explain)
    return Response(body, media_type="application/json")


@router.get("/seat/{ons_code}", response_model=models.SeatResponse,
            responses={**ERRORS, 404: {"model": models.ErrorResponse, "description": "Unknown seat."}},
            summary="One seat's baseline result, swing to flip and win probabilities")
def seat(ons_code: Annotated[str, Path(max_length=16)], baseline: BaselineQ = "2024",
         model: ModelQ = "tm", seat: SeatQ = None) -> dict:
    probs = views.cached_win_prob(ons_code, baseline)
    out = views.seat_view(ons_code, baseline, probs)
    if out is None:
        raise HTTPException(404, f"ons_code: no seat {ons_code!r} in the {baseline} baseline")
    return {**out, "explain": views.seat_explain(ons_code, baseline, model, tuple(seat or ()))}


@router.get("/forecast", responses=ERRORS,
            summary="Probabilistic seat forecast from the polls (seatcast.simulate.forecast)")
def forecast(baseline: BaselineQ = "2024", model: ModelQ = "uns",
             draws: Annotated[int, Query(ge=100, le=200_000)] = views.FORECAST_DRAWS,
             seed: Annotated[int | None, Query(ge=0, le=2**32 - 1)] = None, seat: SeatQ = None) -> dict:
    return views.forecast_view(baseline, model, draws, seed, tuple(seat or ()))


@router.get("/polls", responses=ERRORS, summary="Poll average with its band (seatcast.polls.aggregate)")
def polls(as_of: Annotated[str, Query(max_length=16, description="'latest' or a date, 2024-07-03.")]
          = "latest",
          area: Annotated[str, Query(max_length=16, description="GB, Scotland or Wales.")] = "GB") -> dict:
    return views.polls_view(as_of, area)


@router.get("/history", responses=ERRORS,
            summary="Weekly forecasts since the last election, as kept by `seatcast history`")
def history(model: ModelQ = "tm") -> dict:
    from seatcast.simulate.history import stored_history

    hist = stored_history(model)
    return hist.as_dict() if hist else {"model": model, "weeks": 0, "rows": []}


@router.get("/targets", responses=ERRORS, summary="Campaign target seats (seatcast.campaign)")
def targets(party: Annotated[str, Query(min_length=1, max_length=16)] = "lab", baseline: BaselineQ = "2024",
            limit: Annotated[int, Query(ge=1, le=650)] = 50) -> dict:
    return views.targets_view(party, baseline, limit)
