"""The hindsight ("perfect poll") test: project an election from the one before using the
true vote shares, and count the seats called right.

Pairs: 2015 from 2010, 2017 from 2015, 2019 from 2017, 2024 from the 2019 notional
(Rallings & Thrasher) on the 2024 boundaries. Scores cover the 632 GB seats: seats whose
projected winner matches the actual winner, and the sum of absolute seat-total errors
across GB parties (SAE). Published anchor: the broadcasters' exit poll SAE was 29, 12, 25
and 34 seats (Curtice et al., exit-poll reports 2015-2024).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from seatcast import parties
from seatcast.data import baseline, data_version, election
from seatcast.elections import TRANSITIONS
from seatcast.swing.actual import LEVELS, actual_scenario  # noqa: F401  (re-exported)
from seatcast.swing.models import _load_optional
from seatcast.swing.project import Projection, project

_load_optional()  # registers "learned" so `seatcast hindsight --all` includes it

HINDSIGHT_PAIRS = TRANSITIONS  # seatcast.elections


@dataclass(frozen=True)
class HindsightResult:
    """Scores of one hindsight projection (GB seats only)."""

    election: str
    baseline: str
    model: str
    level: str
    seats_correct: int
    seats_total: int
    sae: int
    rmse: float  # per-seat vote-share RMSE over GB seats and parties, in points
    seats: dict[str, int]
    actual: dict[str, int]
    data_version: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def score(proj: Projection, election_id: str, level: str, model: str) -> HindsightResult:
    """Compare a projection with the actual result of ``election_id`` on GB seats."""
    actual = baseline(election_id)
    gb = np.isin(actual.seats["country"].to_numpy(), parties.GB)
    pred_w = pd.Series(proj.winners, index=proj.baseline.codes).reindex(actual.codes).to_numpy()
    true_w = actual.winners
    pred_counts = pd.Series(pred_w[gb]).value_counts()
    true_counts = pd.Series(true_w[gb]).value_counts()
    codes = sorted(set(pred_counts.index) | set(true_counts.index))
    sae = int(sum(abs(pred_counts.get(c, 0) - true_counts.get(c, 0)) for c in codes))
    pred_s = pd.DataFrame(proj.shares, index=proj.baseline.codes, columns=list(proj.parties))
    true_s = pd.DataFrame(actual.shares, index=actual.codes, columns=list(actual.parties))
    cols = sorted((set(pred_s.columns) | set(true_s.columns)) - {"other", "ind"})
    diff = (pred_s.reindex(index=actual.codes, columns=cols, fill_value=0.0)
            - true_s.reindex(columns=cols, fill_value=0.0)).to_numpy()[gb]
    return HindsightResult(
        election=election_id, baseline=proj.baseline.election, model=model, level=level,
        seats_correct=int((pred_w[gb] == true_w[gb]).sum()), seats_total=int(gb.sum()), sae=sae,
        rmse=float(100 * np.sqrt(np.mean(diff**2))),
        seats={c: int(pred_counts.get(c, 0)) for c in codes},
        actual={c: int(true_counts.get(c, 0)) for c in codes},
        data_version=data_version(),
    )


def hindsight(election_id: str, model="uns", level: str = "gb") -> HindsightResult:
    """Project ``election_id`` from its predecessor with the true shares and score it."""
    from seatcast.errors import SeatcastError

    e = election(election_id)
    if e.id not in HINDSIGHT_PAIRS:
        raise SeatcastError("election", f"no hindsight test for {e.id}", HINDSIGHT_PAIRS)
    if model == "learned":  # leave-one-election-out: never trained on the election tested
        from seatcast.swing.learned import leave_one_out

        model = leave_one_out(e.id)
    proj = project(actual_scenario(e.id, level), HINDSIGHT_PAIRS[e.id], model)
    name = model if isinstance(model, str) else model.name
    return score(proj, e.id, level, name)
