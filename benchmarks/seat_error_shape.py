"""The shape of the seat-level hindsight residuals behind seatcast.simulate.calibration's seat scale.

Run: .venv/bin/python benchmarks/seat_error_shape.py   (seconds once the hindsight projections are cached)

Prints, per election (model ``tm``, projection from the true regional shares, the two parties projected
highest in each seat, as ``calibration.seat_errors``): the number of seat pairs, the scale the engine uses
(root mean square of the log-ratio error over sqrt 2), a robust one (1.4826 x median absolute error over
sqrt 2) and the excess kurtosis of the log-ratio errors (a logistic difference of two Gumbel errors has 1.2);
then the scale by the runner-up's projected share, pooled over the four elections (a log-scale error of
constant spread would give the same scale in every row).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from seatcast.rules import SPEAKER
from seatcast.simulate.calibration import PAIRS, _aligned, seat_errors


def rms_scale(d) -> float:
    return float(np.sqrt(np.mean(np.square(d)) / 2))


def runner_up_pairs(e: str) -> pd.DataFrame:
    """Per seat: the runner-up's projected share and the log-ratio error of the top two."""
    est, act, actual = _aligned(e, "regions", "tm")
    keep = actual.winners != SPEAKER
    est_, act_ = est.to_numpy()[keep], act.to_numpy()[keep]
    top = np.argsort(-est_, axis=1, kind="stable")[:, :2]
    e1, e2 = (np.take_along_axis(est_, top[:, [k]], axis=1)[:, 0] for k in (0, 1))
    a1, a2 = (np.take_along_axis(act_, top[:, [k]], axis=1)[:, 0] for k in (0, 1))
    ok = (a1 > 0) & (a2 > 0) & (e2 > 0)
    return pd.DataFrame({"runner_up": e2[ok], "d": np.log(e1[ok] / e2[ok]) - np.log(a1[ok] / a2[ok])})


def main() -> None:
    print("| election | pairs | scale (rms) | scale (robust) | excess kurtosis |\n|---|---|---|---|---|")
    for e in PAIRS:
        d = seat_errors(e, "tm")
        robust = 1.4826 * np.median(np.abs(d)) / np.sqrt(2)
        print(f"| {e} | {len(d)} | {rms_scale(d):.3f} | {robust:.3f} | {stats.kurtosis(d):.1f} |")
    df = pd.concat([runner_up_pairs(e) for e in PAIRS])
    groups = df.groupby(pd.cut(df["runner_up"], [0, 0.15, 0.2, 0.25, 0.3, 0.35, 1.0]), observed=True)["d"]
    print("\n| runner-up's share | seats | scale (rms) |\n|---|---|---|")
    for band, d in groups:
        print(f"| {band} | {len(d)} | {rms_scale(d):.3f} |")


if __name__ == "__main__":
    main()
