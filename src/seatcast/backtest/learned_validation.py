"""Honest validation of the learned swing model (issue 7, part 2).

* ``loo`` (leave-one-election-out): each election is projected by a model trained on the
  other three transitions; this is the headline hindsight figure.
* ``forward`` (forward-chaining): each election is projected by a model trained only on
  earlier transitions, as a forecaster could have done (2015 has none, so it is skipped).

Both score with :func:`seatcast.backtest.hindsight.score` on the 632 GB seats.
"""

from __future__ import annotations

from seatcast.errors import SeatcastError

SCHEMES = ("loo", "forward")


def validate(scheme: str = "loo", level: str = "nations", **params) -> list:
    """HindsightResults of the learned model for every election the scheme can test.

    ``params`` go to :class:`seatcast.swing.learned.LearnedSwing` (e.g. ``features`` for an
    ablation).
    """
    from seatcast.backtest.hindsight import HINDSIGHT_PAIRS, actual_scenario, score
    from seatcast.swing.learned import TRANSITIONS, forward_chaining, leave_one_out
    from seatcast.swing.project import project

    if scheme not in SCHEMES:
        raise SeatcastError("scheme", f"unknown validation scheme {scheme!r}", SCHEMES)
    make = leave_one_out if scheme == "loo" else forward_chaining
    tested = list(TRANSITIONS) if scheme == "loo" else list(TRANSITIONS)[1:]
    out = []
    for e in tested:
        proj = project(actual_scenario(e, level), HINDSIGHT_PAIRS[e], make(e, **params))
        out.append(score(proj, e, level, f"learned-{scheme}"))
    return out
