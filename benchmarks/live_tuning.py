"""Choose the live model's covariate prior standard deviations leave-one-election-out.

Tuned: the prior standard deviations of the contest-type errors and of the slope on the log
prior share (``COVARIATE_SD``). For every candidate in a small grid and every election, the
night is replayed with the eve forecast as the prior (2,000 draws, projections only at 50,
100, 200 and 300 declared seats) and scored by the mean SAE of the GB party totals at those
checkpoints. For each held-out election the chosen candidate has the lowest total over the
*other* three (``COVARIATE_SD_WITHOUT``); the default for a live night has the lowest total
over all four.

    .venv/bin/python benchmarks/live_tuning.py
"""

from __future__ import annotations

import itertools

import pandas as pd

from seatcast.live import LiveModel
from seatcast.live.replay import REPLAYS, actual_declarations, actual_gb_totals, eve_prior, score_step

CHECKPOINTS = (50, 100, 200, 300)
GRID = list(itertools.product((0.02, 0.1, 0.2, 0.4), (0.02, 0.1, 0.3)))


def night_error(election: str, prior, covariate_sd) -> float:
    """Mean SAE over the checkpoints of one replay."""
    model = LiveModel(prior, draws=2000, inner=20, covariate_sd=covariate_sd)
    actual = actual_gb_totals(election)
    errs = []
    for k, decl in enumerate(actual_declarations(election), 1):
        model.declare(decl)
        if k in CHECKPOINTS:
            errs.append(score_step(model.project(), actual)["sae"])
        if k >= max(CHECKPOINTS):
            break
    return sum(errs) / len(errs)


def main() -> pd.DataFrame:
    priors = {e: eve_prior(e) for e in REPLAYS}
    table = pd.DataFrame([{"sd": sd, **{e: night_error(e, priors[e], sd) for e in REPLAYS}} for sd in GRID])
    table = table.set_index("sd")
    print(table.round(1).to_string())
    for e in REPLAYS:
        others = table[[x for x in REPLAYS if x != e]].sum(axis=1)
        print(f"held out {e}: chosen {others.idxmin()}")
    print(f"all four: chosen {table.sum(axis=1).idxmin()}")
    return table


if __name__ == "__main__":
    main()
