"""Recompute the sharpness table of seatcast.simulate.calibration (leave-one-election-out).

Run: .venv/bin/python benchmarks/calibrate_sharpness.py [model ...]   (default: tm tac; about a minute each)
Prints the SHARPNESS entry to paste into src/seatcast/simulate/calibration.py.
"""

from __future__ import annotations

import sys

from seatcast.simulate.calibration import choose_sharpness
from seatcast.swing.models import _load_optional


def main(models) -> None:
    _load_optional()
    for m in models:
        table = {h: choose_sharpness(m, h) for h in (None, "2015", "2017", "2019", "2024")}
        print(f'    "{m}": {table},')


if __name__ == "__main__":
    main(sys.argv[1:] or ("tm", "tac"))
