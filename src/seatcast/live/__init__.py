"""Election night: a live projection from the exit poll and the declared seats.

* :class:`LiveModel` - learns national and regional errors from declared seats (a Gaussian
  update in information form) and resimulates the undeclared seats -> :class:`LiveProjection`;
* :func:`from_forecast` / :func:`from_projection` - the prior (:class:`LivePrior`);
* :class:`ExitPoll` and :data:`EXIT_POLLS` - published exit polls as an extra observation;
* :func:`replay` - a past election night in its real declaration order;
* :func:`stream` - a live night from a growing file or stdin (JSON lines).

Method and accuracy: docs/live.md. Kernels (NumPy only): :mod:`seatcast.live.kernels`.
"""

from __future__ import annotations

from seatcast.live.declarations import Declaration, follow, parse, read_lines
from seatcast.live.exit_poll import EXIT_POLLS, ExitPoll
from seatcast.live.model import LiveModel, LiveProjection
from seatcast.live.night import stream
from seatcast.live.prior import LivePrior, from_forecast, from_projection
from seatcast.live.replay import replay, replay_model

__all__ = ["EXIT_POLLS", "Declaration", "ExitPoll", "LiveModel", "LivePrior", "LiveProjection",
           "follow", "from_forecast", "from_projection", "parse", "read_lines", "replay", "replay_model",
           "stream"]
