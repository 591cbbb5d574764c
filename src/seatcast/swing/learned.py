"""The learned swing model: seat share changes learned from past election transitions.

Method (issue 7). For every past transition in ``train`` (2010->2015, 2015->2017,
2017->2019, 2019 notional->2024) the baseline is prepared exactly as a projection would
prepare it (family relabels, geography prior; :func:`seatcast.swing.project.prepare_projection`
with the true nation shares), and each GB seat's change of each party is regressed, by ridge
regression (scikit-learn ``Ridge``, no intercept), on *drivers x features*:

* drivers (:mod:`seatcast.swing.learned_features`): the party's own nation change ``dN_p``;
  its loss and gain scaled by ``s_p / N_p`` (transition-model style); the change of the
  party that won the seat (tactical unwinding); the change of the UKIP -> Brexit -> Reform
  family, of the Conservatives and of Labour (where the realignment's votes come from);
* features: a constant; the seat's tactical position (winner, second, third, gap to the
  winner, margin); Scotland/Wales; 2011 Census rates and the 2016 Leave estimate
  (:mod:`seatcast.data.covariates`, mapped to 2024 boundaries by population overlap),
  standardised over GB seats; all coefficients are separate per party group
  (:data:`GROUPS`; UKIP, Brexit and Reform are one group).

The response is the change beyond uniform swing (``s' - s - dN_p``), so the ridge penalty
shrinks towards uniform national swing. Predictions are clipped at zero and raked (IPF)
per area to the scenario's targets, so seat shares are in [0, 1], sum to 1 per seat and
aggregate to the targets. A party that did not stand in some seats gets its baseline from
the geography prior before the model runs (:mod:`seatcast.swing.prior`).

The fitted coefficients are computed from the bundled data on first use and cached in
process, keyed by :func:`seatcast.data.data_version` and the parameters.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from seatcast import parties
from seatcast.data import data_version
from seatcast.errors import MissingExtraError
from seatcast.swing import kernels
from seatcast.swing import learned_features as lf
from seatcast.swing.models import SwingModel, register

#: Party groups with their own coefficients; everything else (NI parties, independents,
#: others) is ``other``.
GROUPS = ("con", "lab", "ld", "rr", "green", "snp", "pc", "other")
#: Transitions by the election predicted, and the baseline each starts from.
TRANSITIONS = {"2015": "2010", "2017": "2015", "2019": "2017", "2024": "2019n"}
#: Feature families that can be switched off (for the ablation in docs/accuracy.md).
FAMILIES = ("prop", "tactical", "nation", "census", "leave", "cross")
CENSUS = ("degree", "age18to29", "age65plus", "students", "owned", "social", "private_rent",
          "white_british", "muslim", "routine", "no_religion", "density")


def group_of(code: str) -> str:
    """The coefficient group of a party code (``ukip``/``brexit``/``reform`` -> ``rr``)."""
    if code in parties.REGISTRY and parties.REGISTRY[code].family == "ukip-brexit-reform":
        return "rr"
    return code if code in GROUPS else "other"


def feature_names(families: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """For each driver, the names of the features it is multiplied by."""
    demo = (CENSUS if "census" in families else ()) + (("leave",) if "leave" in families else ())
    own = ("one",) + demo
    if "tactical" in families:
        own += ("is_winner", "is_second", "gap", "margin_win")
    if "nation" in families:
        own += ("scotland", "wales")
    spec = {"own": own}
    if "prop" in families:
        spec |= {"own_loss_prop": ("one",), "own_gain_prop": ("one",)}
    if "tactical" in families:
        spec["winner"] = ("is_second", "is_third", "gap_second")
    if "cross" in families:
        spec |= {"radical_right": ("one",) + demo, "con": ("one",) + demo, "lab": ("one",) + demo}
    return spec


def _sklearn_ridge():
    try:
        from sklearn.linear_model import Ridge
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingExtraError("learned", "scikit-learn") from None
    return Ridge
