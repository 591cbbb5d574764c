"""Choose the live model's tuning constants leave-one-election-out.

Tuned: the prior standard deviations of the contest-type errors and of the slope on the log
prior share, and the factor on the seat standard deviation in the update (``obs_scale``).
For every candidate in a small grid and every election, the night is replayed with the eve
forecast as the prior (2,000 draws, projections only at 50, 100, 200 and 300 declared seats)
and scored with the interval score of the 90% intervals of the GB party totals (Gneiting &
Raftery 2007, eq. 43: width plus 20 times any miss; a proper score, so it rewards accuracy
and calibration together), summed over parties and averaged over the checkpoints. For each
held-out election the chosen candidate has the lowest total over the *other* three.

    .venv/bin/python benchmarks/live_tuning.py
"""

from __future__ import annotations

import itertools

import pandas as pd

from seatcast.live import LiveModel
from seatcast.live.replay import REPLAYS, actual_declarations, actual_gb_totals, eve_prior

CHECKPOINTS = (50, 100, 200, 300)
GRID = list(itertools.product((0.1, 0.2, 0.4), (0.02, 0.1), (1.0, 1.5, 2.0, 3.0)))
ALPHA = 0.1


def interval_score(proj, actual: dict[str, int]) -> float:
    s = proj.summary
    total = 0.0
    for p, y in actual.items():
        lo, hi = s.at[p, "p05"], s.at[p, "p95"]
        total += (hi - lo) + 2 / ALPHA * (max(lo - y, 0) + max(y - hi, 0))
    return total


def night_score(election: str, prior, cand) -> tuple[float, float]:
    """Mean interval score and mean SAE over the checkpoints."""
    model = LiveModel(prior, draws=2000, inner=20, covariate_sd=cand[:2], obs_scale=cand[2])
    actual = actual_gb_totals(election)
    scores, saes = [], []
    for k, decl in enumerate(actual_declarations(election), 1):
        model.declare(decl)
        if k in CHECKPOINTS:
            proj = model.project()
            scores.append(interval_score(proj, actual))
            saes.append(sum(abs(int(proj.summary.at[p, "median"]) - y) for p, y in actual.items()))
        if k >= max(CHECKPOINTS):
            break
    return sum(scores) / len(scores), sum(saes) / len(saes)


def main() -> pd.DataFrame:
    priors = {e: eve_prior(e) for e in REPLAYS}
    rows = []
    for cand in GRID:
        res = {e: night_score(e, priors[e], cand) for e in REPLAYS}
        rows.append({"candidate": cand, **{f"IS {e}": res[e][0] for e in REPLAYS},
                     **{f"SAE {e}": res[e][1] for e in REPLAYS}})
    table = pd.DataFrame(rows).set_index("candidate")
    print(table.round(1).to_string())
    for e in REPLAYS:
        others = table[[f"IS {x}" for x in REPLAYS if x != e]].sum(axis=1)
        print(f"held out {e}: chosen {others.idxmin()}")
    print(f"all four: chosen {table[[f'IS {x}' for x in REPLAYS]].sum(axis=1).idxmin()}")
    return table


if __name__ == "__main__":
    main()
