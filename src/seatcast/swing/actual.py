"""Actual results as scenarios: the true vote shares of an election, at GB, nation or region level.

Used by the hindsight test (:mod:`seatcast.backtest.hindsight`), the calibration of error
scales (:mod:`seatcast.simulate.calibration`), the learned model's training transitions
(:mod:`seatcast.swing.learned`) and two-party swings from a baseline
(:mod:`seatcast.swing.overrides`). It lives here, in the swing layer, so none of them has
to import a layer above its own.
"""

from __future__ import annotations

import numpy as np

from seatcast.data.baseline import baseline
from seatcast.errors import SeatcastError
from seatcast.geography import ENGLISH_REGIONS, GB
from seatcast.rules import NOT_PARTIES
from seatcast.swing.scenario import Scenario
from seatcast.swing.speaker import speaker_for

LEVELS = ("gb", "nations", "regions")


def _area_shares(base, mask) -> dict[str, float]:
    s = base.area_totals(mask) * 100.0
    return {p: float(v) for p, v in s.items() if p not in NOT_PARTIES and v > 0}


def actual_scenario(election_id: str, level: str = "gb") -> Scenario:
    """The true shares of an election as a scenario: GB, or nations, or nations and regions (with
    the Speaker who stood then, :func:`seatcast.swing.speaker.speaker_for`)."""
    if level not in LEVELS:
        raise SeatcastError("level", f"unknown level {level!r}", LEVELS)
    actual = baseline(election_id)
    country = actual.seats["country"].to_numpy()
    region = actual.seats["region"].to_numpy()
    gb = _area_shares(actual, np.isin(country, GB))
    nations, regions = {}, {}
    if level in ("nations", "regions"):
        for n in GB:
            nations[n] = _area_shares(actual, country == n)
    if level == "regions":
        for r in ENGLISH_REGIONS:
            regions[r] = _area_shares(actual, region == r)
    return Scenario(gb, nations, regions, speaker=speaker_for(election_id))
