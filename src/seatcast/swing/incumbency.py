"""Incumbency: first-term MPs standing again and retiring MPs.

The effect (``is_sitting_mp`` in the bundled results, UK Parliament election results service):

* a seat's **first-term incumbent** is a baseline winner who was not a sitting MP at the baseline
  election and stands again for the same party at the next one (the "sophomore surge");
* a **retirement** is a seat whose baseline winner does not stand again for that party (the party's
  candidate at the next election is someone else, or it does not stand);
* the winning party's projected share there moves by ``first_term`` or ``retire`` points (the
  other parties scaled to make room), relative to seats whose long-serving MP stands again.

The two effects are fitted on the 2010 -> 2015, 2015 -> 2017 and 2017 -> 2019 transitions (same
boundaries, so a seat's MP can be followed): the residual of the winning party's share (actual
minus the transition model given the true nation shares) is regressed on the two flags with one
intercept per election (:func:`seatcast.backtest.tuning.fit_effect`: fitting runs hindsight
projections, so it lives in the backtest package; this module keeps the fitted values).

:func:`seatcast.backtest.tuning.loo_comparison` scores the effect leave-one-election-out: each
transition is projected with the effect fitted on the other two, and compared with the same
projection without it (table in ``docs/accuracy.md``, "Candidates and personal votes"). It
helped, so projections use it by default
(:data:`USE_BY_DEFAULT`), in the form known before the next election is called: every baseline
winner who was a new MP at the baseline gets the first-term effect (assumed to stand again;
remove the candidate with a seat override if not); future retirements are not known, so the
retirement effect is not applied. The effect a baseline uses is forward-chained
(:data:`EFFECT_BY_BASELINE`: fitted only on transitions that ended by the baseline election). The
2019 notionals carry no MPs, so the ``2019n`` baseline has no incumbency effect.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from seatcast.data import history
from seatcast.data.baseline import baseline
from seatcast.rules import NOT_PARTIES  # personal votes (the Speaker, independents): no party effect

if TYPE_CHECKING:
    import pandas as pd

#: Hindsight transitions with candidates on both sides and the same boundaries.
TRANSITIONS = {"2015": "2010", "2017": "2015", "2019": "2017"}
USE_BY_DEFAULT = True
#: (first_term, retire) effects (fractions of the vote) by baseline, forward-chained: fitted with
#: :func:`seatcast.backtest.tuning.fit_effect` on the transitions ending no later than the baseline
#: (tm model). The 2010 baseline has none before it. ``tests/test_candidates.py`` recomputes the table.
EFFECT_BY_BASELINE = {"2010": (0.0, 0.0), "2015": (0.0096, -0.0142), "2017": (0.0171, -0.0087),
                      "2019": (0.0168, -0.0143), "2024": (0.0168, -0.0143)}


def first_term(base_id: str) -> np.ndarray | None:
    """(seat,) True where the baseline winner was not a sitting MP before it; None for notionals."""
    return history.first_term(base_id)


@cache
def flags(base_id: str, target_id: str) -> pd.DataFrame:
    """Per baseline seat (ons_code index): ``winner``, ``first_term`` and ``retire`` flags."""
    import pandas as pd

    base = baseline(base_id)
    won = history.elected(base_id)
    nxt = history.candidate_names(target_id)
    keys = list(zip(base.codes, base.winners, strict=True))
    again = np.array([nxt.get(k) == won.at[k[0], "candidate"] for k in keys])
    new_mp = history.first_term(base_id)
    return pd.DataFrame({"winner": base.winners, "first_term": new_mp & again, "retire": ~again},
                        index=base.codes)


def apply_incumbency(shares: np.ndarray, parties: tuple[str, ...], f: pd.DataFrame,
                     effect: tuple[float, float]) -> np.ndarray:
    """Move the baseline winner's share by the effect in flagged seats; rows still sum to one."""
    out = shares.copy()
    rows = np.arange(len(f))
    cols = np.array([parties.index(p) for p in f["winner"]])
    delta = effect[0] * f["first_term"].to_numpy() + effect[1] * f["retire"].to_numpy()
    delta[f["winner"].isin(NOT_PARTIES).to_numpy()] = 0.0
    old = out[..., rows, cols]
    new = np.clip(old + delta, 0.0, 1.0)
    scale = np.divide(1.0 - new, 1.0 - old, out=np.ones_like(old), where=old < 1.0)
    out[..., rows, :] *= scale[..., None]
    out[..., rows, cols] = new
    return out


def forecast_flags(base_id: str, target_id: str) -> pd.DataFrame:
    """The flags as known before the next election is called: new MPs, no retirements known."""
    f = flags(base_id, target_id)
    return f.assign(first_term=first_term(base_id), retire=False)
