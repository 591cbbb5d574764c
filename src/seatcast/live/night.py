"""A live night: declarations read from a growing file or stdin, one projection after each."""

from __future__ import annotations

from collections.abc import Iterator

from seatcast.live.declarations import follow, read_lines
from seatcast.live.model import CALL_AT, DEFAULT_DRAWS, DEFAULT_INNER, DEFAULT_SEED, LiveModel, LiveProjection


def latest_prior(seed: int = DEFAULT_SEED):
    """The forecast from the latest bundled polls (2024 boundaries) as a live prior."""
    from seatcast.live.prior import from_forecast
    from seatcast.simulate import forecast

    return from_forecast(forecast(draws=1000, seed=seed), label="forecast from the latest polls")


def stream(source, prior=None, exit_poll=None, draws: int = DEFAULT_DRAWS, inner: int = DEFAULT_INNER,
           seed: int = DEFAULT_SEED, call_at: float = CALL_AT, idle: float | None = 60.0,
           expected=None) -> Iterator[LiveProjection]:
    """Projections before the first declaration and after each one read from ``source``.

    ``source``: a path (a file that may grow; stops after ``idle`` seconds without a line)
    or an iterable of JSON lines such as ``sys.stdin``."""
    model = LiveModel(prior or latest_prior(seed), exit_poll, draws, inner, seed, call_at, expected)
    yield model.project()
    decls = (follow(source, model.prior, idle=idle) if isinstance(source, str)
             else read_lines(source, model.prior, "stdin line"))
    for decl in decls:
        model.declare(decl)
        yield model.project()
