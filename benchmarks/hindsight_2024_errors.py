"""Where the transition model's 2024 hindsight goes wrong (issue 10, hindsight goal row).

Run: .venv/bin/python benchmarks/hindsight_2024_errors.py [MODEL ...]   (default ``tm``; a few seconds)

MODEL is a model name or ``tac:key=value,...`` with :class:`seatcast.swing.tactical.TacticalModel`
parameters, e.g. ``tac:where=held,leave_tilt=0.3,strength=1.25``.

2024 is projected from the 2019 notionals (Rallings & Thrasher) with the true nation shares
(``seatcast hindsight --nations``). For the 632 GB seats, grouped by the notional 2019 winner and
runner-up, by the notional Conservative share and by the estimated 2016 Leave share (Hanretty 2017,
mapped to the 2024 boundaries by population overlap, :func:`seatcast.data.covariates.covariates`),
the table prints: seats, seats called right, and for Con, Lab, LD, Reform and Green the mean share
change from the notional baseline, actual (``act``) beside projected (``mod``), in points. The last
table lists the wrong calls by (projected winner -> actual winner).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from seatcast.backtest.hindsight import actual_scenario
from seatcast.data import baseline
from seatcast.data.covariates import covariates
from seatcast.elections import ELECTIONS, TRANSITIONS
from seatcast.geography import GB
from seatcast.swing.project import project
from seatcast.swing.tactical import TacticalModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _markdown import captured, table  # noqa: E402

PARTIES = ("con", "lab", "ld", "reform", "green")
#: The best design of ``benchmarks/hindsight_designs.py`` with the parameters chosen for 2024 on the
#: other three elections (``docs/hindsight.md``), shown beside ``tm`` in the docs.
BEST_LOO = "tac:where=held,leave_tilt=0.3,strength=1.25"


def make(spec: str):
    """A model name, or ``tac:key=value,...`` -> a :class:`TacticalModel` with those parameters."""
    if not spec.startswith("tac:"):
        return spec
    params = dict(kv.split("=") for kv in spec[4:].split(","))
    return TacticalModel(**{k: v if k == "where" else float(v) for k, v in params.items()})


def seat_frame(model="tm", election: str = "2024", shown=PARTIES) -> pd.DataFrame:
    """One row per GB seat: nation, baseline winner/runner-up, baseline Con share, Leave share,
    projected and actual winners and the ``shown`` parties' actual and projected share changes from
    the baseline (points), for the hindsight projection of ``election`` (true nation shares)."""
    b_id = TRANSITIONS[election]
    proj = project(actual_scenario(election, "nations"), b_id, make(model))
    base, act = proj.baseline, baseline(election)
    gb = np.isin(base.seats["country"].to_numpy(), GB)
    codes = base.codes[gb]
    b = pd.DataFrame(base.shares, index=base.codes, columns=list(base.parties)).loc[codes]
    p = pd.DataFrame(proj.shares, index=base.codes, columns=list(base.parties)).loc[codes]
    a = pd.DataFrame(act.shares, index=act.codes, columns=list(act.parties)).reindex(codes)
    order = np.argsort(-b.to_numpy(), axis=1)
    cols = np.asarray(b.columns)
    leave = covariates(ELECTIONS[b_id].boundaries).reindex(codes)["leave"]
    out = pd.DataFrame({"pair": [f"{cols[i]}-{cols[j]}" for i, j in order[:, :2]],
                        "nation": base.seats["country"].to_numpy()[gb],
                        "region": base.seats["region"].to_numpy()[gb],
                        "con_base": 100 * b["con"], "leave": leave,
                        "pred": pd.Series(proj.winners, index=base.codes).loc[codes],
                        "actual": pd.Series(act.winners, index=act.codes).reindex(codes)}, index=codes)
    for q in shown:
        out[f"{q}_act"] = 100 * (a.get(q, 0.0) - b.get(q, 0.0))
        out[f"{q}_mod"] = 100 * (p.get(q, 0.0) - b.get(q, 0.0))
    return out


def grouped(frame: pd.DataFrame, key, shown=PARTIES) -> pd.DataFrame:
    g = frame.assign(right=frame["pred"] == frame["actual"]).groupby(key, observed=True)
    out = pd.DataFrame({"seats": g.size(), "right": g["right"].sum()})
    for q in shown:
        act, mod = g[f"{q}_act"].mean(), g[f"{q}_mod"].mean()
        out[f"{q} act/mod"] = [f"{x:+.1f}/{y:+.1f}" for x, y in zip(act, mod, strict=True)]
    return out


def show(frame: pd.DataFrame) -> None:
    table(["group", *frame.columns], [[k, *row] for k, row in zip(frame.index, frame.to_numpy().tolist(),
                                                                   strict=True)])


def main(models) -> None:
    for model in models:
        f = seat_frame(model)
        print(f"### {model}: 2024 hindsight from 2019n, true nation shares: "
              f"{int((f['pred'] == f['actual']).sum())} / {len(f)} GB seats called\n")
        pairs = f["pair"].where(f["pair"].map(f["pair"].value_counts()) >= 10, "other")
        tables = {"notional winner-runner-up": pairs,
                  "notional Con share": pd.cut(f["con_base"], [0, 20, 30, 40, 50, 60, 100]),
                  "Leave share": pd.cut(f["leave"], [0, 40, 50, 55, 60, 65, 100])}
        for label, key in tables.items():
            print(f"#### by {label} (share change vs notional, points: actual/model)\n")
            show(grouped(f, key))
        wrong = f[f["pred"] != f["actual"]]
        print("#### wrong calls: projected -> actual winner\n")
        show(wrong.groupby(["pred", "actual"]).size().rename("seats").sort_values(ascending=False).to_frame())


def markdown() -> str:
    """The printed tables as one string (for the cog block of ``docs/hindsight.md``)."""
    return captured(main, ["tm", BEST_LOO])

if __name__ == "__main__":
    main(sys.argv[1:] or ["tm"])
