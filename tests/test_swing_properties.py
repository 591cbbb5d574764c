"""Property tests for every swing model (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from seatcast.parliament.kernels import winner_index
from seatcast.swing import models
from seatcast.swing.kernels import area_mean

CLASSIC = ["uns", "prop", "tm", "stm"]


@st.composite
def elections(draw):
    seats = draw(st.integers(2, 12))
    n = draw(st.integers(2, 5))
    raw = draw(arrays(float, (seats, n), elements=st.floats(0.01, 1.0)))
    shares = raw / raw.sum(axis=1, keepdims=True)
    weights = draw(arrays(float, seats, elements=st.floats(100, 1000)))
    target = draw(arrays(float, n, elements=st.floats(0.01, 1.0)))
    return shares, weights, target / target.sum()


def fitted(name, shares, weights):
    area = np.zeros(len(shares), int)
    return models.make_model(name).fit(shares, area, weights)


@pytest.mark.parametrize("name", CLASSIC)
@settings(max_examples=60, deadline=None)
@given(elections())
def test_shares_in_range_and_sum_to_one(name, election):
    shares, weights, target = election
    m = fitted(name, shares, weights)
    out = m.predict(np.broadcast_to(target, shares.shape))
    assert np.all(out >= 0) and np.all(out <= 1)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=1e-9)


@pytest.mark.parametrize("name", CLASSIC)
@settings(max_examples=60, deadline=None)
@given(elections())
def test_zero_swing_changes_no_winner(name, election):
    shares, weights, _ = election
    m = fitted(name, shares, weights)
    out = m.predict(m.old_)
    ones = np.ones_like(shares)
    np.testing.assert_array_equal(winner_index(out, ones), winner_index(shares, ones))


@pytest.mark.parametrize("name", ["uns", "prop"])
@settings(max_examples=60, deadline=None)
@given(elections(), st.floats(0.001, 0.3))
def test_more_votes_never_cost_a_seat(name, election, bump):
    shares, weights, target = election
    m = fitted(name, shares, weights)
    higher = target.copy()
    higher[0] = min(0.99, target[0] + bump)
    higher[1:] *= (1 - higher[0]) / target[1:].sum()
    ones = np.ones_like(shares)
    before = winner_index(m.predict(np.broadcast_to(target, shares.shape)), ones) == 0
    after = winner_index(m.predict(np.broadcast_to(higher, shares.shape)), ones) == 0
    assert np.all(after[before])


@pytest.mark.parametrize("name", ["tm", "stm"])
@settings(max_examples=40, deadline=None)
@given(elections())
def test_transition_models_hit_area_targets(name, election):
    shares, weights, target = election
    m = fitted(name, shares, weights)
    out = m.predict(np.broadcast_to(target, shares.shape))
    np.testing.assert_allclose(area_mean(out, m.area_, m.weights_)[0], target, atol=1e-9)
