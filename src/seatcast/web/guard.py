"""One pure-ASGI middleware for what every request needs before and after the app.

* **Trusted hosts** (against DNS rebinding: a page on evil.example whose name is re-pointed at
  127.0.0.1 must not be able to drive the dashboard): the ``Host`` header must be one of the
  loopback names, or a host given with ``seatcast serve --host``. Otherwise 400.
* **Body size**: at most :data:`MAX_BODY` bytes, by ``Content-Length`` or as the body streams
  in. Otherwise 413.
* **Security headers** on every response: a Content-Security-Policy (scripts only from this
  origin, ``frame-ancestors 'none'``), ``X-Content-Type-Options: nosniff``,
  ``X-Frame-Options: DENY`` and ``Referrer-Policy: no-referrer``. The API docs pages
  (Swagger UI and ReDoc, served from the installed ``fastapi-offline`` package) start with an
  inline script, so they alone allow inline scripts; nothing loads from another origin.

Error bodies are JSON ``{"detail": ..., "field": ...}`` like every other API error.
"""

from __future__ import annotations

import json
import os

from starlette.exceptions import HTTPException

MAX_BODY = 64 * 1024  # a full scenario is under 2 kB
LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")
HOSTS_ENV = "SEATCAST_ALLOWED_HOSTS"  # comma-separated extra host names (set by `seatcast serve`)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'")
DOCS = ("/docs", "/redoc")


def allowed_hosts(extra=()) -> frozenset[str]:
    """Loopback names plus ``extra`` and the names in ``$SEATCAST_ALLOWED_HOSTS``."""
    names = [*LOOPBACK, *extra, *os.environ.get(HOSTS_ENV, "").split(",")]
    return frozenset(n.strip().lower() for n in names if n.strip())


def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _headers(path: str) -> list[tuple[bytes, bytes]]:
    csp = DOCS_CSP if path.startswith(DOCS) else CSP
    return [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer")]


async def _reply(send, status: int, detail: str, field: str, path: str) -> None:
    body = json.dumps({"detail": f"{field}: {detail}", "field": field}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *_headers(path)]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The middleware (see the module docstring)."""

    def __init__(self, app, hosts=None, max_body: int = MAX_BODY):
        self.app, self.max_body = app, max_body
        self.hosts = allowed_hosts() if hosts is None else frozenset(h.lower() for h in hosts)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        headers = dict(scope.get("headers") or ())
        host = _host_name(headers.get(b"host", b"").decode("latin-1"))
        if "*" not in self.hosts and host not in self.hosts:
            return await _reply(send, 400, f"{host[:60]!r} is not a name of this server "
                                f"(allowed: {', '.join(sorted(self.hosts))})", "host", path)
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _reply(send, 413, f"the request body is larger than {self.max_body:,} bytes",
                                "body", path)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:  # the app's HTTP error handler answers 413
                    raise HTTPException(413, f"body: the request body is larger than {self.max_body:,} bytes")
            return message

        async def secured_send(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *_headers(path)]}
            await send(message)

        await self.app(scope, limited_receive, secured_send)
