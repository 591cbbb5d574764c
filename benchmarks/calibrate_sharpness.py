"""Recompute the sharpness table of seatcast.simulate.calibration (leave-one-election-out), chosen by
seatcast.backtest.tuning.choose_sharpness.

Run: .venv/bin/python benchmarks/calibrate_sharpness.py [model ...]   (default: tm tac; a few minutes each)
Prints the SHARPNESS entry to paste into src/seatcast/simulate/calibration.py.
     .venv/bin/python benchmarks/calibrate_sharpness.py --scales
Prints the MEASURED table (stored measured scales) for the same file.
"""

from __future__ import annotations

import sys

from seatcast.backtest.tuning import choose_sharpness
from seatcast.swing.models import _load_optional


def scales() -> None:
    from seatcast.simulate.calibration import PAIRS, measure_scales

    for m in ("uns", "prop", "tm", "stm", "tac"):
        print(f'    "{m}": {{')
        for ex in (None, *PAIRS):
            key = "None" if ex is None else f'"{ex}"'
            print(f"        {key}: {tuple(measure_scales(m, ex).as_dict().values())},")
        print("    },")


def main(models) -> None:
    _load_optional()
    for m in models:
        table = {h: choose_sharpness(m, h) for h in (None, "2015", "2017", "2019", "2024")}
        print(f'    "{m}": {table},')


if __name__ == "__main__":
    if "--scales" in sys.argv[1:]:
        scales()
    else:
        main(sys.argv[1:] or ("tm", "tac"))
