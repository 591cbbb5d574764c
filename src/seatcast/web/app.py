"""The FastAPI application: JSON API under ``/api``, the static dashboard at ``/``.

Errors are mapped in one place each: :class:`seatcast.errors.SeatcastError` -> 422 naming the
field, request-shape errors -> 422 naming the field (a JSON syntax error names ``body`` and
gives the position in the message), a full forecast queue -> 503 with ``Retry-After``, a panel
whose library part is missing -> 503, anything unexpected -> a JSON 500 without a traceback
(the fuzz tests and schemathesis check that no request reaches it). Every JSON response is
ASCII-escaped, so text echoed from a request (even a lone surrogate) can always be encoded.
:class:`seatcast.web.guard.Guard` checks the Host header and the body size and adds the
security headers.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline  # /docs and /redoc from packaged assets, no CDN
from starlette.exceptions import HTTPException as StarletteHTTPException

from seatcast import __version__
from seatcast.errors import SeatcastError
from seatcast.web.guard import Guard
from seatcast.web.jobs import FORECASTS, Busy
from seatcast.web.live import router as live_router
from seatcast.web.routes import router
from seatcast.web.views import Unavailable

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("seatcast.web")


class SafeJSONResponse(JSONResponse):
    """JSON with non-ASCII escaped: lone surrogates from a request cannot break the encoding."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode()


async def seatcast_error(request: Request, exc: SeatcastError) -> JSONResponse:
    return SafeJSONResponse({"detail": str(exc), "field": exc.field, "allowed": exc.allowed}, 422)


def _loc(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[-1] == "[key]":  # a bad mapping key ({"": 40}): the field is the mapping
        parts = parts[:-2]
    return ".".join(parts[1:] if parts and parts[0] in ("body", "query", "path") else parts)


def _field(error: dict) -> str:
    """The field of one pydantic error; a JSON syntax error (loc ``body, <offset>``) is ``body``."""
    if error.get("type") == "json_invalid":
        return "body"
    return _loc(error.get("loc", ())) or "body"


def _message(error: dict) -> str:
    msg = str(error.get("msg", "invalid"))
    if error.get("type") == "json_invalid":
        loc = error.get("loc", ())
        where = f" at character {loc[-1]}" if loc and isinstance(loc[-1], int) else ""
        reason = (error.get("ctx") or {}).get("error", "")
        return f"not valid JSON{where}" + (f" ({reason})" if reason else "")
    loc = error.get("loc", ())
    if error.get("type") == "string_pattern_mismatch" and loc and loc[-1] == "[key]":
        return (f"{str(loc[-2])[:40]!r} is not a party code: lower-case letters and _, "
                "e.g. lab, reform, restore_britain (GET /api/meta lists them)")
    return msg


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    field = _field(first)
    safe = [{"field": _field(e), "message": _message(e)} for e in errors]
    return SafeJSONResponse({"detail": f"{field}: {_message(first)}", "field": field, "errors": safe}, 422)


async def unavailable(request: Request, exc: Exception) -> JSONResponse:
    return SafeJSONResponse({"detail": str(exc)}, 503)


async def busy(request: Request, exc: Busy) -> JSONResponse:
    return SafeJSONResponse({"detail": str(exc), "field": "forecast"}, 503,
                            headers={"Retry-After": str(exc.retry_after)})


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = str(exc.detail)
    field = detail.split(":", 1)[0] if ":" in detail[:24] else None
    return SafeJSONResponse({"detail": detail, "field": field}, exc.status_code, headers=exc.headers)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return SafeJSONResponse({"detail": f"internal error ({type(exc).__name__}); please report it"}, 500)


def _fewer_malloc_arenas(arenas: int = 2) -> None:
    """Bound glibc's per-thread malloc arenas (``mallopt(M_ARENA_MAX)``; default 8 per core).

    The server's thread pool (sync routes) could otherwise give each thread an arena of its own, and
    freed memory scattered over them stays resident. Python objects use pymalloc either way; only
    large buffers (NumPy arrays, response bodies) come from malloc. A no-op where glibc is not the
    C library."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).mallopt(-8, arenas)  # M_ARENA_MAX (malloc.h)
    except (OSError, AttributeError):  # pragma: no cover - musl and others
        pass


def create_app(allowed_hosts=None) -> FastAPI:
    """Build the dashboard application (routes, error handlers, static files, :class:`Guard`).

    ``allowed_hosts``: the Host names to answer (default: the loopback names plus
    ``$SEATCAST_ALLOWED_HOSTS``; ``["*"]`` for any).
    """
    app = FastAPIOffline(title="seatcast", version=__version__, default_response_class=SafeJSONResponse,
                  description="UK general elections: polls to seats. JSON API of the dashboard.")
    _fewer_malloc_arenas()
    app.add_middleware(Guard, hosts=allowed_hosts)
    app.router.on_shutdown.append(FORECASTS.shutdown)
    app.add_exception_handler(SeatcastError, seatcast_error)
    app.add_exception_handler(Busy, busy)
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
