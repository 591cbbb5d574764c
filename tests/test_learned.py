"""The learned swing model (issue 7): validity, aggregation, no leakage, CLI."""

import importlib
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import seatcast.data as data
from seatcast.backtest.hindsight import actual_scenario, hindsight
from seatcast.data.baseline import Baseline
from seatcast.errors import MissingExtraError, SeatcastError
from seatcast.swing import learned, learned_features, scenario
from seatcast.swing.project import prepare_projection


def _clear():
    learned._transition.cache_clear()
    learned._coefficients.cache_clear()


@pytest.fixture
def fresh_cache():
    _clear()
    yield
    _clear()


def _area_means(prep, out):
    w = prep.baseline.weights
    area = prep.targets.area
    sums = np.zeros((area.max() + 1, out.shape[-1]))
    np.add.at(sums, area, out * w[:, None])
    return sums / np.bincount(area, weights=w)[:, None]


def test_rake_two_by_two_by_hand():
    # IPF keeps the odds ratio (.6 * .8) / (.4 * .2) = 6. With column means .5 and rows summing
    # to 1 the answer is [[x, 1-x], [1-x, x]] with (x / (1-x))**2 = 6.
    raw = np.array([[0.6, 0.4], [0.2, 0.8]])
    new = np.full((2, 2), 0.5)
    out = learned_features.rake(raw, new, np.array([0, 0]), np.array([1.0, 1.0]), tol=1e-12, iterations=500)
    x = np.sqrt(6) / (1 + np.sqrt(6))
    np.testing.assert_allclose(out, [[x, 1 - x], [1 - x, x]], atol=1e-9)


def test_drivers_vanish_at_zero_swing():
    shares = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
    old = np.array([[0.4, 0.4, 0.2]] * 2)
    drv = learned_features.drivers(np.zeros((2, 3)), shares, old, np.array([0, 1]),
                                   np.array([False, False, True]), 0, 1)
    assert drv.shape == (len(learned_features.DRIVERS), 2, 3)
    level = learned_features.DRIVERS.index("level")
    assert not np.delete(drv, level, axis=0).any()


def test_family_groups():
    assert {learned.group_of(c) for c in ("ukip", "brexit", "reform")} == {"rr"}
    assert learned.group_of("dup") == "other" and learned.group_of("con") == "con"


def test_2024_aggregates_to_nation_targets_and_fills_reform():
    prep = prepare_projection(actual_scenario("2024", "nations"), "2019n", learned.leave_one_out("2024"))
    out = prep.model.predict(prep.model.expand(prep.targets.new))
    assert np.abs(_area_means(prep, out) - prep.targets.new).max() < 0.001  # 0.1 points
    # The Brexit Party stood in 275 of 632 GB seats in 2019; Reform gets a share everywhere in GB.
    gb = prep.baseline.nation_mask("England", "Scotland", "Wales")
    j = prep.baseline.party_index("reform")
    stood = data.baseline("2019n").votes[:, data.baseline("2019n").party_index("brexit")] > 0
    assert (out[gb, j] > 0).all()
    # where it did not stand (Conservative-held seats) Reform's 2024 mean was 16%; UNS-like
    # filling would give it far less than where it stood (mean 2019 share 5%)
    assert out[gb & ~stood, j].mean() > 0.10


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(con=st.floats(15, 45), lab=st.floats(15, 45), ld=st.floats(5, 20), reform=st.floats(0, 25),
       green=st.floats(1, 10), seed=st.integers(0, 2**16))
def test_random_scenarios_and_draws_stay_valid(con, lab, ld, reform, green, seed):
    gb = {"con": con, "lab": lab, "ld": ld, "reform": reform, "green": green}
    k = min(1.0, 95.0 / sum(gb.values()))
    prep = prepare_projection(scenario({p: v * k for p, v in gb.items()}), "2024", "learned")
    rng = np.random.default_rng(seed)
    new = prep.targets.new * rng.uniform(0.8, 1.2, size=(3, *prep.targets.new.shape))
    new /= new.sum(axis=-1, keepdims=True)
    out = prep.model.predict(prep.model.expand(new))
    assert out.shape == (3, *prep.shares.shape)
    assert np.all(out >= 0) and np.all(out <= 1)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, atol=1e-9)
    for d in range(3):
        assert np.abs(_area_means(prep, out[d]) - new[d]).max() < 0.001


def _scrambled_2024(real):
    """2024 with its seat results shuffled among the English seats (a different election)."""
    def fake(election_id):
        base = real(election_id)
        if base.election != "2024":
            return base
        rows = np.arange(len(base.codes))
        eng = np.flatnonzero(base.nation_mask("England"))
        rows[eng] = np.random.default_rng(1).permutation(eng)
        return Baseline("2024", base.seats, base.parties, base.votes[rows], base.top_frac[rows])
    return fake


def _predict_2024(model):
    prep = prepare_projection(scenario({"con": 30, "lab": 35, "ld": 12, "reform": 12, "green": 6}),
                              "2019n", model)
    return prep.model.predict(prep.model.expand(prep.targets.new))


def test_no_leakage_changing_2024_results_leaves_the_2024_model_alone(monkeypatch, fresh_cache):
    loo_before = _predict_2024(learned.leave_one_out("2024"))
    all_before = _predict_2024(learned.LearnedSwing())
    _clear()
    fake = _scrambled_2024(data.baseline)
    monkeypatch.setattr(data, "baseline", fake)
    monkeypatch.setattr(learned, "baseline", fake)  # the truth each transition is trained on
    monkeypatch.setattr(importlib.import_module("seatcast.backtest.hindsight"), "baseline", fake)
    np.testing.assert_array_equal(_predict_2024(learned.leave_one_out("2024")), loo_before)
    # Control: a model that does train on 2024 sees the change (so the test can fail).
    assert np.abs(_predict_2024(learned.LearnedSwing()) - all_before).max() > 1e-3


def test_forward_chaining_uses_only_earlier_elections():
    assert learned.forward_chaining("2024").train == ("2015", "2017", "2019")
    assert learned.forward_chaining("2017").train == ("2015",)
    with pytest.raises(SeatcastError):
        learned.forward_chaining("2015")


def test_bad_parameters_name_the_field():
    prep_args = (actual_scenario("2019", "nations"), "2017")
    with pytest.raises(SeatcastError, match="train"):
        prepare_projection(*prep_args, learned.LearnedSwing(train=("2030",)))
    with pytest.raises(SeatcastError, match="features"):
        prepare_projection(*prep_args, learned.LearnedSwing(features=("astrology",)))


def test_missing_scikit_learn_is_a_helpful_error(monkeypatch, fresh_cache):
    import sys

    monkeypatch.setitem(sys.modules, "sklearn.linear_model", None)
    with pytest.raises(MissingExtraError, match="seatcast\\[learned\\]"):
        prepare_projection(actual_scenario("2019", "nations"), "2017", learned.LearnedSwing())


def test_2024_hindsight_beats_uniform_swing():
    # Leave-one-election-out (trained on 2015, 2017, 2019 only). UNS calls 475 of 632.
    ours = hindsight("2024", "learned", "nations")
    assert ours.seats_correct > hindsight("2024", "uns", "nations").seats_correct + 25
    assert ours.sae < hindsight("2024", "tm", "nations").sae


def test_cli_hindsight_and_project(runner):
    from seatcast.cli import app

    res = runner.invoke(app, ["hindsight", "--election", "2024", "--model", "learned", "--nations", "--json"])
    assert res.exit_code == 0, res.output
    body = json.loads(res.output)
    assert body["model"] == "learned" and body["seats_total"] == 632
    res = runner.invoke(app, ["project", "--con", "24", "--lab", "34", "--ld", "12", "--reform", "15",
                              "--green", "7", "--model", "learned", "--json"])
    assert res.exit_code == 0, res.output
    body = json.loads(res.output)
    assert body["model"] == "learned" and sum(body["parliament"]["seats"].values()) == 650
