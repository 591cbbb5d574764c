"""Hand-worked toy elections for each model (worked on paper; see the comments).

Two equal seats, parties A, B, C.  Seat 1: A .6 B .3 C .1; seat 2: A .2 B .5 C .3.
Area baseline (mean): A .4 B .4 C .2.
"""

import numpy as np
import pytest

from seatcast.swing import kernels

SHARES = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
OLD = np.array([[0.4, 0.4, 0.2]] * 2)
NEW = np.array([[0.3, 0.5, 0.2]] * 2)  # A -10, B +10
DEEP = np.array([[0.1, 0.7, 0.2]] * 2)  # A -30, B +30


def test_uns_by_hand():
    # s + (N' - N): seat 1 .5 .4 .1, seat 2 .1 .6 .3
    np.testing.assert_allclose(kernels.uns(SHARES, OLD, NEW), [[0.5, 0.4, 0.1], [0.1, 0.6, 0.3]])


def test_uns_clips_and_renormalises():
    # seat 2: A .2 - .3 = -.1 -> 0; B .8, C .3; total 1.1
    out = kernels.uns(SHARES, OLD, DEEP)
    np.testing.assert_allclose(out[1], [0.0, 0.8 / 1.1, 0.3 / 1.1])


def test_proportional_by_hand():
    # seat 1: .45 .375 .1 (sum .925); seat 2: .15 .625 .3 (sum 1.075)
    expected = [[0.45 / 0.925, 0.375 / 0.925, 0.1 / 0.925], [0.15 / 1.075, 0.625 / 1.075, 0.3 / 1.075]]
    np.testing.assert_allclose(kernels.proportional(SHARES, OLD, NEW), expected)


def test_transition_by_hand():
    # A keeps 3/4: seat 1 releases .15, seat 2 .05; B is the only gainer and takes it all.
    np.testing.assert_allclose(kernels.transition(SHARES, OLD, NEW), [[0.45, 0.45, 0.1], [0.15, 0.55, 0.3]])


def test_transition_deep_fall_by_hand():
    # A keeps 1/4: seat 1 releases .45, seat 2 .15.
    np.testing.assert_allclose(kernels.transition(SHARES, OLD, DEEP), [[0.15, 0.75, 0.1], [0.05, 0.65, 0.3]])


def _weak_area(shares, threshold=0.2):
    return np.minimum(shares, threshold).mean(axis=0, keepdims=True).repeat(2, axis=0)


def test_strong_transition_loses_weak_first_by_hand():
    # weak A = .2 in both seats; drop .1 < W .2 -> each seat loses half its weak A vote (.1).
    out = kernels.strong_transition(SHARES, OLD, NEW, _weak_area(SHARES))
    np.testing.assert_allclose(out, [[0.5, 0.4, 0.1], [0.1, 0.6, 0.3]])


def test_strong_transition_then_strong_by_hand():
    # drop .3 > W .2: all weak go (.2 each) and half the strong (S = .2, need .1):
    # seat 1 strong A .4 loses .2 -> A .2; seat 2 has no strong A -> A 0.
    out = kernels.strong_transition(SHARES, OLD, DEEP, _weak_area(SHARES))
    np.testing.assert_allclose(out, [[0.2, 0.7, 0.1], [0.0, 0.7, 0.3]])


@pytest.mark.parametrize("kernel", [kernels.transition])
def test_transition_conserves_area_totals(kernel):
    np.testing.assert_allclose(kernel(SHARES, OLD, DEEP).mean(axis=0), DEEP[0])
