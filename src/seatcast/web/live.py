"""Election-night routes: the live page and its server-sent event stream of a replayed night.

``GET /live`` serves the page; ``GET /api/live/replay`` streams one ``projection`` event per
declaration (``text/event-stream``; :func:`seatcast.live.replay`), then a ``done`` event.
Input is validated before the stream starts, so bad input is a 422, never a broken stream.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, StreamingResponse

from seatcast.errors import SeatcastError

STATIC = Path(__file__).parent / "static"
router = APIRouter()


@router.get("/live", include_in_schema=False)
def live_page() -> FileResponse:
    return FileResponse(STATIC / "live.html")


def _events(steps, boundaries: str):
    """Server-sent events: ``projection`` per step (seat, winner, totals, odds), then ``done``."""
    for proj in steps:
        body = proj.as_dict(in_doubt=8)
        body["boundaries"] = boundaries
        yield f"event: projection\ndata: {json.dumps(body, default=str)}\n\n"
    yield "event: done\ndata: {}\n\n"


@router.get("/api/live/replay", summary="Replay an election night as server-sent events (seatcast.live)",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}, "description": "One event per seat."},
                       422: {"description": "Invalid input; names the field."}})
def live_replay(
    election: Annotated[str, Query(max_length=8, description="2015 2017 2019 or 2024.")] = "2019",
    exit_poll: Annotated[bool, Query(description="Use the published exit poll.")] = False,
    limit: Annotated[int, Query(ge=1, le=650, description="Stop after this many declarations.")] = 650,
    draws: Annotated[int, Query(ge=1000, le=50_000, description="Simulated outcomes per update.")] = 20_000,
    speed: Annotated[float, Query(ge=0, le=1e6, description="Seconds of the night per second; 0: "
                                  "as fast as possible.")] = 0.0,
    seed: Annotated[int, Query(ge=0, le=2**32 - 1)] = 20240704,
) -> StreamingResponse:
    from seatcast.data import election as election_info
    from seatcast.live import replay
    from seatcast.live.replay import REPLAYS

    if election not in REPLAYS:
        raise SeatcastError("election", f"no replay for {election!r}", REPLAYS)
    steps = replay(election, exit_poll=exit_poll, draws=draws, seed=seed, speed=speed, limit=limit)
    return StreamingResponse(_events(steps, election_info(election).boundaries),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
