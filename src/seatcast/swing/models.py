"""Swing models with scikit-learn conventions.

``__init__`` only stores parameters; ``fit(baseline_shares, area, weights)`` learns what it
needs from the baseline and returns ``self``; learned attributes end in ``_``;
``predict(new)`` maps ``(..., seat, party)`` area targets to seat shares. The formulas are
in :mod:`seatcast.swing.kernels`.
"""

from __future__ import annotations

import numpy as np

from seatcast.errors import SeatcastError
from seatcast.swing import kernels


class SwingModel:
    """Base class: a baseline plus area targets gives seat-level shares for every party."""

    name = "base"

    def get_params(self) -> dict:
        return {k: v for k, v in vars(self).items() if not k.endswith("_")}

    def fit(self, shares: np.ndarray, area: np.ndarray, weights: np.ndarray, **context):
        """Learn from a baseline: ``shares`` (seat, party), ``area`` (seat,), ``weights`` (seat,)."""
        self.shares_ = np.asarray(shares, float)
        self.area_ = np.asarray(area)
        self.weights_ = np.asarray(weights, float)
        self.old_ = kernels.area_mean(self.shares_, self.area_, self.weights_)
        self.area_old_ = self.old_[np.unique(self.area_, return_index=True)[1]]
        return self

    def expand(self, area_targets: np.ndarray) -> np.ndarray:
        """(..., area, party) targets -> (..., seat, party) targets of each seat's area."""
        return np.take(area_targets, self.area_, axis=-2)

    def predict(self, new: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def predict_areas(self, area_new: np.ndarray) -> np.ndarray:
        """``predict`` from ``(..., area, party)`` targets (models may do it faster per area)."""
        return self.predict(self.expand(area_new))


class UniformSwing(SwingModel):
    name = "uns"

    def predict(self, new):
        return kernels.uns(self.shares_, self.old_, new)


class ProportionalSwing(SwingModel):
    name = "prop"

    def predict(self, new):
        return kernels.proportional(self.shares_, self.old_, new)


class TransitionModel(SwingModel):
    name = "tm"

    def predict(self, new):
        return kernels.transition(self.shares_, self.old_, new)

    def predict_areas(self, area_new):
        return kernels.transition_areas(self.shares_, self.area_old_, area_new, self.area_)


class StrongTransitionModel(SwingModel):
    name = "stm"

    def __init__(self, threshold: float = kernels.STM_THRESHOLD):
        self.threshold = threshold

    def fit(self, shares, area, weights, **context):
        super().fit(shares, area, weights)
        weak = np.minimum(self.shares_, self.threshold)
        self.weak_area_ = kernels.area_mean(weak, self.area_, self.weights_)
        return self

    def predict(self, new):
        return kernels.strong_transition(self.shares_, self.old_, new, self.weak_area_,
                                         self.threshold)


MODELS: dict[str, type[SwingModel]] = {
    m.name: m for m in (UniformSwing, ProportionalSwing, TransitionModel, StrongTransitionModel)
}


def register(cls: type[SwingModel]) -> type[SwingModel]:
    """Add a model class to :data:`MODELS` (used by optional models such as ``learned``)."""
    MODELS[cls.name] = cls
    return cls


def make_model(name: str, **params) -> SwingModel:
    """A fresh model by its CLI name (``uns prop tm stm`` and any registered ones)."""
    if name not in MODELS:
        _load_optional()
    if name not in MODELS:
        raise SeatcastError("model", f"unknown model {name!r}", MODELS)
    return MODELS[name](**params)


#: Models registered by their own module, by name -> that module (plug-ins: each imports this
#: module, so it is loaded by name rather than imported here, which would be a cycle). ``tac``
#: needs only NumPy; ``learned`` needs the ``[learned]`` extra and is skipped without it.
OPTIONAL = {"tac": "seatcast.swing.tactical", "learned": "seatcast.swing.learned"}


def _load_optional() -> None:
    import importlib

    for name, module in OPTIONAL.items():
        try:
            importlib.import_module(module)
        except ImportError:
            if name != "learned":  # only ``learned`` needs an extra; anything else is a bug
                raise
