"""The web dashboard: a FastAPI app (JSON API + static page). Needs the ``[web]`` extra.

``create_app()`` builds the app; ``serve(host, port, workers=...)`` runs it under uvicorn
(``seatcast serve``).
"""

from __future__ import annotations

import os
import socket

from seatcast.errors import MissingExtraError, SeatcastError


def _require() -> None:
    for package in ("fastapi", "uvicorn"):
        try:
            __import__(package)
        except ImportError:
            raise MissingExtraError("web", package) from None


def create_app(**kwargs):
    """The FastAPI application (see :mod:`seatcast.web.app`)."""
    _require()
    from seatcast.web.app import create_app as build

    return build(**kwargs)


#: Connections served at once per worker process; more get HTTP 503 from uvicorn.
MAX_CONNECTIONS = 256


def serve(host: str = "127.0.0.1", port: int = 8000, log_level: str = "info", workers: int = 1) -> None:
    """Run the dashboard under uvicorn until interrupted.

    ``host``: the interface (loopback unless told otherwise); a host other than the loopback
    names is added to the Host names the server answers (``0.0.0.0`` or ``::``: any name).
    ``workers`` > 1 runs that many server processes on the same port (uvicorn's process
    manager); each has its own forecast worker (:mod:`seatcast.web.jobs`).
    """
    _require()
    check_address(host, port)
    import uvicorn

    from seatcast.web.guard import HOSTS_ENV, LOOPBACK

    hosts = None
    if host not in LOOPBACK:
        hosts = [*LOOPBACK, "*" if host in ("0.0.0.0", "::", "") else host]
    options = dict(host=host, port=port, log_level=log_level, limit_concurrency=MAX_CONNECTIONS,
                   timeout_graceful_shutdown=5)
    if workers == 1:
        uvicorn.run(create_app(allowed_hosts=hosts), **options)
        return
    import shutil
    import tempfile

    from seatcast.web.jobs import CACHE_ENV

    folder = tempfile.mkdtemp(prefix="seatcast-forecasts-")  # shared by the server processes
    saved = {k: os.environ.get(k) for k in (CACHE_ENV, HOSTS_ENV)}
    os.environ[CACHE_ENV] = folder  # the server processes read these in create_app
    if hosts:
        os.environ[HOSTS_ENV] = ",".join(hosts)
    try:
        uvicorn.run("seatcast.web:create_app", factory=True, workers=workers, **options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


__all__ = ["create_app", "serve"]


def check_address(host: str, port: int) -> None:
    """A one-line error for an address the server cannot listen on (a name that does not resolve,
    a port in use), instead of uvicorn's log lines and exit code 3. The probe socket is closed
    at once; uvicorn binds its own."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise SeatcastError("host", f"cannot resolve {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            raise SeatcastError("port", f"cannot listen on {host}:{port}: {exc.strerror}; "
                                        "choose another with --port") from None
