"""Leakage: scrambling an election's own result never changes its eve-of-election backtest."""

import importlib

import numpy as np
import pytest

from seatcast import data
from seatcast.backtest import forecast_backtest as fb
from seatcast.data.baseline import Baseline
from seatcast.polls import eve
from seatcast.simulate import calibration


def _clear():
    for f in (calibration.base_scales, calibration.fit_scales, calibration.national_errors,
              calibration.regional_errors, calibration.seat_errors, eve.actual_gb, eve._errors):
        f.cache_clear()


def _scrambled(real, target):
    """``target``'s result with English seats shuffled and the Con and Lab votes swapped."""
    def fake(election_id):
        base = real(election_id)
        if base.election != target:
            return base
        rows = np.arange(len(base.codes))
        eng = np.flatnonzero(base.nation_mask("England"))
        rows[eng] = np.random.default_rng(1).permutation(eng)
        votes = base.votes[rows].copy()
        con, lab = base.party_index("con"), base.party_index("lab")
        votes[:, [con, lab]] = votes[:, [lab, con]]
        return Baseline(base.election, base.seats, base.parties, votes, base.top_frac[rows])
    return fake


@pytest.fixture
def scrambled_2024(monkeypatch):
    _clear()
    fake = _scrambled(data.baseline, "2024")
    hs = importlib.import_module("seatcast.backtest.hindsight")

    for mod in (data, calibration, hs, fb):
        monkeypatch.setattr(mod, "baseline", fake)
    yield
    _clear()


def _run(election_id):
    fc = fb.backtest_forecast(election_id, "tac", draws=300, seed=3)
    return fc.seats.copy(), fc.win_prob.to_numpy().copy(), fc.scales


def test_scrambling_2024_leaves_the_2024_backtest_alone(request, monkeypatch):
    monkeypatch.setattr(calibration, "USE_STORED", False)  # measure the scales from the (scrambled) data
    _clear()
    before = _run("2024")
    other_before = _run("2019")
    request.getfixturevalue("scrambled_2024")
    after = _run("2024")
    np.testing.assert_array_equal(before[0], after[0])
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2] == after[2]
    # Control: the 2019 backtest, whose scales use 2024, does change (the scramble is seen).
    assert _run("2019")[2] != other_before[2]


@pytest.mark.parametrize("model", ["uns", "prop", "tm", "stm", "tac"])
def test_stored_scales_are_what_the_data_give(model):
    for exclude, stored in calibration.MEASURED[model].items():
        assert calibration.measure_scales(model, exclude).as_dict() == pytest.approx(
            dict(zip(("national", "regional", "seat"), stored, strict=True)), rel=1e-9)
