"""The FastAPI application: JSON API under ``/api``, the static dashboard at ``/``.

Errors are mapped in one place each: :class:`seatcast.errors.SeatcastError` -> 422 naming the
field, request-shape errors -> 422 naming the field,
a panel whose library part is missing -> 503, anything unexpected -> a JSON 500 without
a traceback (the fuzz tests check that no request reaches it).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from seatcast import __version__
from seatcast.errors import SeatcastError
from seatcast.web.live import router as live_router
from seatcast.web.routes import router
from seatcast.web.views import Unavailable

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("seatcast.web")


async def seatcast_error(request: Request, exc: SeatcastError) -> JSONResponse:
    return JSONResponse({"detail": str(exc), "field": exc.field, "allowed": exc.allowed}, 422)


def _loc(loc) -> str:
    parts = [str(p) for p in loc]
    return ".".join(parts[1:] if parts and parts[0] in ("body", "query", "path") else parts)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    field = _loc(first.get("loc", ())) or "body"
    safe = [{"field": _loc(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in errors]
    return JSONResponse({"detail": f"{field}: {first.get('msg')}", "field": field, "errors": safe}, 422)


async def unavailable(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, 503)


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return JSONResponse({"detail": str(exc.detail)}, exc.status_code, headers=exc.headers)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse({"detail": f"internal error ({type(exc).__name__}); please report it"}, 500)


def create_app() -> FastAPI:
    """Build the dashboard application (routes, error handlers, static files)."""
    app = FastAPI(title="seatcast", version=__version__,
                  description="UK general elections: polls to seats. JSON API of the dashboard.")
    app.add_exception_handler(SeatcastError, seatcast_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Unavailable, unavailable)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
    app.include_router(router)
    app.include_router(live_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
