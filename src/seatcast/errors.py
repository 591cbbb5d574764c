"""Domain errors.

Every error a user can cause is a :class:`SeatcastError`. It names the offending
``field`` and, where there is a closed set, the ``allowed`` values, so the CLI and
the web layer can turn it into a one-line message and an exit code or HTTP 4xx in
one place each (``seatcast.cli`` and ``seatcast.web``).
"""

from __future__ import annotations

from collections.abc import Iterable


class SeatcastError(ValueError):
    """A problem with user input or with a request that cannot be met."""

    def __init__(self, field: str, message: str, allowed: Iterable[str] | None = None):
        self.field, self.message = field, message
        self.allowed = list(allowed) if allowed is not None else None
        text = f"{field}: {message}"
        if self.allowed:
            text += f" (allowed: {', '.join(map(str, self.allowed))})"
        super().__init__(text)

    def __reduce__(self):  # picklable, so errors cross from the web server's worker processes
        return type(self), (self.field, self.message, self.allowed)


class InfeasibleError(SeatcastError):
    """A goal that cannot be reached under the stated constraints."""


class MissingExtraError(ImportError):
    """An optional dependency group is not installed."""

    def __init__(self, extra: str, package: str):
        super().__init__(
            f"this feature needs the optional '{package}' package: "
            f"pip install 'seatcast[{extra}]'"
        )
