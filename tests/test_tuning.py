"""The tuning in seatcast.backtest.tuning: the stored sharpness factors of
seatcast.simulate.calibration are what it chooses (the tactical strength and the incumbency
effects are checked in test_tactical.py and test_candidates.py)."""

import numpy as np
import pytest

from seatcast.backtest import tuning
from seatcast.simulate import calibration


def test_calibration_error_by_hand():
    # Two calls at 5% (one came in: observed 50%) and two at 95% (both came in: observed 100%).
    p = np.array([0.05, 0.05, 0.95, 0.95])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    # By hand: half the forecasts are off by 0.45, half by 0.05 -> 0.5 * 0.45 + 0.5 * 0.05 = 0.25.
    assert tuning.calibration_error(p, y) == pytest.approx(0.25)
    assert tuning.calibration_error(np.array([0.25, 0.75]), np.array([0.25, 0.75])) == 0.0


def test_stored_sharpness_for_2024_is_the_leave_one_out_choice():
    # Recomputes one entry of the stored table: 10 factors x the 2015, 2017 and 2019 eve-of-election
    # backtests (4,000 draws each): about 50 s (53 s measured with pytest -n 2 on a busy 2-core machine).
    # benchmarks/calibrate_sharpness.py recomputes the whole table.
    assert tuning.choose_sharpness("tm", "2024") == calibration.SHARPNESS["tm"]["2024"]


def test_sharpness_scales_only_the_seat_error():
    # The regional scale moves seat totals together (it decides the 90% intervals of the totals), so it
    # is used as measured; only the seat scale, whose hindsight residuals also hold what the regional
    # and national draws produce, is multiplied by the factor.
    s = calibration.Scales(national=0.1, regional=0.08, seat=0.2)
    out = calibration.sharpened(s, 0.5)
    assert (out.national, out.regional, out.seat) == (0.1, 0.08, 0.1)
    assert calibration.sharpened(s, 1.0) == s


@pytest.mark.parametrize("held", [None, "2015", "2017", "2019", "2024"])
def test_fit_scales_is_the_measured_regional_scale_and_a_sharpened_seat_scale(held):
    measured = calibration.base_scales("tm", held)
    used = calibration.fit_scales("tm", held)
    factor = calibration.SHARPNESS["tm"][held]
    assert used.regional == measured.regional and used.national == measured.national
    assert used.seat == pytest.approx(measured.seat * factor) and 0 < factor <= 1
