"""Properties of full projections on real baselines."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seatcast.swing import project, scenario


@pytest.mark.parametrize("model", ["uns", "prop"])
@settings(max_examples=8, deadline=None)
@given(con=st.floats(20, 45), bump=st.floats(0.5, 8))
def test_raising_con_never_costs_con_a_seat(model, con, bump):
    rest = {"lab": 35.0, "ld": 12.0, "green": 3.0}
    scale = (100 - con - 5) / sum(rest.values())
    low = scenario({"con": con, **{k: v * scale for k, v in rest.items()}})
    scale2 = (100 - con - bump - 5) / sum(rest.values())
    high = scenario({"con": con + bump, **{k: v * scale2 for k, v in rest.items()}})
    a = project(low, "2019", model).winners == "con"
    b = project(high, "2019", model).winners == "con"
    assert np.all(b[a])


@pytest.mark.parametrize("model", ["uns", "prop", "tm", "stm"])
def test_projection_shares_valid_on_2024_baseline(model):
    p = project(scenario({"lab": 25, "reform": 30, "con": 17, "ld": 13, "green": 10}), "2024", model)
    assert np.all(p.shares >= 0) and np.all(p.shares <= 1)
    np.testing.assert_allclose(p.shares.sum(axis=1), 1.0, atol=1e-9)
    assert sum(p.parliament.seats.values()) == 650
    assert p.parliament.seats["speaker"] == 1
