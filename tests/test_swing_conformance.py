"""One conformance test for every registered swing model (scikit-learn conventions).

It runs on the real 2019 -> 2024 set-up, so it checks a model as users meet it.
"""

import inspect

import numpy as np
import pytest

from seatcast.backtest.hindsight import actual_scenario
from seatcast.swing import MODELS, make_model
from seatcast.swing.models import _load_optional
from seatcast.swing.project import prepare_projection

_load_optional()


@pytest.fixture(scope="module")
def setup():
    return actual_scenario("2024", "nations")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_init_only_stores_parameters(name):
    model = make_model(name)
    params = inspect.signature(type(model).__init__).parameters
    stored = set(vars(model))
    named = {k for k, p in params.items()
             if k != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    assert stored == named
    assert not [k for k in stored if k.endswith("_")]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_fit_returns_self_and_predicts_valid_shares(name, setup):
    prep = prepare_projection(setup, "2019n", make_model(name))
    model = prep.model
    assert any(k.endswith("_") for k in vars(model))
    new = model.expand(prep.targets.new)
    out = model.predict(new)
    assert out.shape == prep.shares.shape
    assert np.all(out >= 0) and np.all(out <= 1 + 1e-12)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=1e-9)
    # A leading draw axis broadcasts: two identical draws give the single answer twice.
    twice = model.predict(np.stack([new, new]))
    np.testing.assert_allclose(twice[1], out, atol=1e-9)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_zero_swing_keeps_every_winner(name):
    from seatcast import data
    from seatcast.parliament.kernels import winner_index
    from seatcast.swing.scenario import Scenario

    base = data.baseline("2019")
    gb = base.area_totals(base.nation_mask("England", "Scotland", "Wales")) * 100
    scen = Scenario({p: float(v) for p, v in gb.items() if p not in ("speaker", "ind")})
    prep = prepare_projection(scen, base, make_model(name))
    out = prep.model.predict(prep.model.expand(prep.targets.old))
    same = winner_index(out, base.top_frac) == winner_index(base.shares, base.top_frac)
    assert same.all()


@pytest.mark.parametrize("name", sorted(MODELS))
def test_predict_from_area_targets_matches_predict(name, setup):
    """The engine's path (``predict_areas``) gives exactly what ``predict`` gives."""
    prep = prepare_projection(setup, "2019n", make_model(name))
    rng = np.random.default_rng(7)
    new = prep.targets.new * rng.uniform(0.7, 1.3, size=(4, *prep.targets.new.shape))
    new /= new.sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(prep.model.predict_areas(new), prep.model.predict(prep.model.expand(new)),
                               atol=1e-12)
