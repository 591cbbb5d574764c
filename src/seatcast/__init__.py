"""seatcast: polls to seats, seats to decisions, for UK general elections.

``seatcast.project``, ``seatcast.scenario``, ``seatcast.Projection`` and ``seatcast.forecast``
(the function behind ``seatcast forecast``, :func:`seatcast.simulate.forecast`) are loaded on first
use (PEP 562), so importing a light module (``seatcast.cli`` for ``seatcast --help``) does not
import NumPy or pandas.
"""

from seatcast._version import __version__

__all__ = ["Projection", "__version__", "forecast", "project", "scenario"]


def __getattr__(name: str):
    if name in ("Projection", "project", "scenario"):
        from seatcast import swing

        return getattr(swing, name)
    if name == "forecast":
        from seatcast.simulate import forecast

        return forecast
    raise AttributeError(f"module 'seatcast' has no attribute {name!r}")
