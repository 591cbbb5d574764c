"""The web dashboard: a FastAPI app (JSON API + static page). Needs the ``[web]`` extra.

``create_app()`` builds the app; ``serve(host, port)`` runs it under uvicorn (``seatcast serve``).
"""

from __future__ import annotations

from seatcast.errors import MissingExtraError


def _require() -> None:
    for package in ("fastapi", "uvicorn"):
        try:
            __import__(package)
        except ImportError:
            raise MissingExtraError("web", package) from None


def create_app():
    """The FastAPI application (see :mod:`seatcast.web.app`)."""
    _require()
    from seatcast.web.app import create_app as build

    return build()


def serve(host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Run the dashboard under uvicorn until interrupted."""
    _require()
    import uvicorn

    uvicorn.run(create_app(), host=host, port=port, log_level=log_level)


__all__ = ["create_app", "serve"]
