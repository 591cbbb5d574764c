"""The learned swing model: seat share changes learned from past election transitions.

Method (issue 7). For every past transition in ``train`` (2010->2015, 2015->2017,
2017->2019, 2019 notional->2024) the baseline is prepared exactly as a projection would
prepare it (family relabels, geography prior; :func:`seatcast.swing.project.prepare_projection`
with the true nation shares). Each GB seat's share of each party in the new election, minus
what a classic model (``start``: Electoral Calculus's transition model by default, or uniform
swing) gives, is regressed by ridge regression (scikit-learn ``Ridge``, no intercept) on
*drivers x features*, so the penalty shrinks towards that classic model:

* drivers (:mod:`seatcast.swing.learned_features`): the party's own area change ``dN_p``;
  its loss and gain scaled by ``s_p / N_p``; the change of the party that won the seat
  (tactical unwinding); optionally the change of the UKIP -> Brexit -> Reform family, of the
  Conservatives and of Labour (``cross``) and a constant for incumbency (``incumbency``);
* features (:data:`FAMILIES`): a constant; the seat's tactical position (winner, second,
  third, gap to the winner, margin); Scotland/Wales; the 2016 Leave estimate and 2011 Census
  rates (:mod:`seatcast.data.covariates`, mapped to 2024 boundaries by population overlap),
  standardised over GB seats. Coefficients are per party group (:data:`GROUPS`; UKIP, Brexit
  and Reform are one group), except tactical ones, which are pooled over parties.

Predictions are clipped at zero and raked (IPF) per area to the scenario's targets, so seat
shares are in [0, 1], sum to 1 per seat and aggregate to the targets. A party that did not
stand in some seats gets its baseline from the geography prior before the model runs
(:mod:`seatcast.swing.prior`), at training and at prediction time alike.

Validation (``docs/accuracy.md``): :func:`leave_one_out` never trains on the election it
predicts (hindsight uses it); :func:`forward_chaining` trains only on earlier elections
(what forecast backtests must use). The defaults (:data:`DEFAULT_FEATURES`, ``alpha``) were
chosen by leave-one-election-out over all four transitions together.

The fitted coefficients are computed from the bundled data on first use (about a second)
and cached in process, keyed by :func:`seatcast.data.data_version` and the parameters. The data
(covariates, sitting MPs, earlier results) come as arrays from :mod:`seatcast.data.history`; this
module reads no file.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from seatcast import parties
from seatcast.data import history
from seatcast.data.baseline import baseline
from seatcast.elections import TRANSITIONS as _TRANSITIONS
from seatcast.elections import election
from seatcast.errors import MissingExtraError
from seatcast.swing import kernels
from seatcast.swing import learned_features as lf
from seatcast.swing.models import SwingModel, register

#: Party groups with their own coefficients; everything else (NI parties, independents,
#: others) is ``other``.
GROUPS = ("con", "lab", "ld", "rr", "green", "snp", "pc", "other")
#: Transitions by the election predicted, and the baseline each starts from.
TRANSITIONS = _TRANSITIONS  # seatcast.elections
#: Feature families that can be switched off (for the ablation in docs/accuracy.md).
FAMILIES = ("prop", "tactical", "nation", "census", "census11", "leave", "cross", "incumbency")
#: The default families: the ones that helped under leave-one-election-out (docs/accuracy.md).
DEFAULT_FEATURES = ("prop", "nation", "leave")
CENSUS = ("degree", "age18to29", "age65plus", "students", "owned", "social", "private_rent",
          "white_british", "muslim", "routine", "no_religion", "density")


def group_of(code: str) -> str:
    """The coefficient group of a party code (``ukip``/``brexit``/``reform`` -> ``rr``)."""
    if code in parties.REGISTRY and parties.REGISTRY[code].family == "ukip-brexit-reform":
        return "rr"
    return code if code in GROUPS else "other"


def feature_names(families: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """For each driver: (features with a coefficient per party group, features pooled over groups)."""
    census = "census" in families or "census11" in families
    demo = (CENSUS if census else ()) + (("leave",) if "leave" in families else ())
    own = ("one",) + demo + (("scotland", "wales") if "nation" in families else ())
    tactical = ("is_winner", "is_second", "gap", "margin_win") if "tactical" in families else ()
    spec = {"own": (own, tactical)}
    if "prop" in families:
        spec |= {"own_loss_prop": (("one",), ()), "own_gain_prop": (("one",), ())}
    if "tactical" in families:
        spec["winner"] = ((), ("is_second", "is_third", "gap_second"))
    if "cross" in families:
        spec |= {d: (("one",) + demo, ()) for d in ("radical_right", "con", "lab")}
    if "incumbency" in families:
        spec["level"] = ((), ("retiring", "mp_standing"))
    return spec


def _sklearn_ridge():
    try:
        from sklearn.linear_model import Ridge
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingExtraError("learned", "scikit-learn") from None
    return Ridge


def seat_features(shares: np.ndarray, country: np.ndarray, mp: np.ndarray | None,
                  covariates: dict[str, np.ndarray]) -> dict:
    """name -> (seat, party) feature array for a (prepared) baseline.

    ``shares`` (seat, party) effective baseline shares; ``country`` (seat,) nation names; ``mp``
    (seat, party) 1 where the party's candidate is a sitting MP, None when the candidates are not
    known (:func:`seatcast.data.history.sitting_mps`); ``covariates`` name -> (seat,) census and
    Leave values standardised over GB seats, 0 in Northern Ireland
    (:func:`seatcast.data.history.covariate_zscores`). Tactical features come from the ranking of
    each seat's shares.
    """
    n, k = shares.shape
    order = np.argsort(-shares, axis=1, kind="stable")
    rank = np.empty_like(order)
    rank[np.arange(n)[:, None], order] = np.arange(k)
    top = shares.max(axis=1, keepdims=True)
    second = np.take_along_axis(shares, order[:, 1:2], axis=1)
    full = np.ones((n, k))
    feats = {"one": full, "is_winner": (rank == 0) * 1.0, "is_second": (rank == 1) * 1.0,
             "is_third": (rank == 2) * 1.0, "gap": np.where(rank == 0, 0.0, top - shares),
             "margin_win": (rank == 0) * (top - second), "gap_second": (rank == 1) * (top - second),
             "scotland": (country == "Scotland")[:, None] * full,
             "wales": (country == "Wales")[:, None] * full}
    known = float(mp is not None)
    mp = np.zeros((n, k)) if mp is None else mp
    feats["mp_standing"] = mp
    feats["retiring"] = known * (rank == 0) * (1.0 - mp)
    for name in (*CENSUS, "leave"):
        feats[name] = covariates[name][:, None] * full
    return feats


def _party_info(codes) -> tuple[np.ndarray, np.ndarray, int, int]:
    """(party,) group index, (party,) radical-right mask, and the con / lab columns (-1 if absent)."""
    codes = list(codes)
    gidx = np.array([GROUPS.index(group_of(c)) for c in codes])
    rr = gidx == GROUPS.index("rr")
    return gidx, rr, (codes.index("con") if "con" in codes else -1), \
        (codes.index("lab") if "lab" in codes else -1)


def design(drv: np.ndarray, feats: dict, gidx: np.ndarray, spec: dict) -> np.ndarray:
    """(seat, party, column) design: driver x feature, per party group or pooled.

    ``drv``: (driver, seat, party) from :func:`learned_features.drivers`. Column order: for each
    driver in ``spec``, for each group in :data:`GROUPS` its per-group features, then the
    pooled features.
    """
    cols = []
    for d, (per_group, pooled) in spec.items():
        x = drv[lf.DRIVERS.index(d)]
        for g in range(len(GROUPS)):
            gx = x * (gidx == g)
            cols.extend(gx * feats[name] for name in per_group)
        cols.extend(x * feats[name] for name in pooled)
    return np.stack(cols, axis=-1)


def fields(beta: np.ndarray, feats: dict, gidx: np.ndarray, spec: dict) -> np.ndarray:
    """(driver, seat, party) learned fields ``sum_f beta[d, group(p), f] * feature_f[s, p]``."""
    some = next(iter(feats.values()))
    out = np.zeros((len(lf.DRIVERS), *some.shape))
    at = 0
    for d, (per_group, pooled) in spec.items():
        b = beta[at: at + len(GROUPS) * len(per_group)].reshape(len(GROUPS), len(per_group))
        at += b.size
        field = sum((b[gidx, i] * feats[n] for i, n in enumerate(per_group)), np.zeros_like(some))
        for n in pooled:
            field = field + beta[at] * feats[n]
            at += 1
        out[lf.DRIVERS.index(d)] = field
    return out


def _state(base, shares, area, weights, target=None, families=()):
    """Everything the kernels need about a baseline: features, party info, old, winner.

    ``target``: the election whose sitting MPs stand (None: not known); the covariates use the
    2011 census with the ``census11`` family, the latest census otherwise."""
    census = "2011" if "census11" in families else "latest"
    country = base.seats["country"].to_numpy()
    covs = history.covariate_zscores(base.election, base.codes, np.isin(country, parties.GB),
                                     (*CENSUS, "leave"), census)
    mp = None if target is None else history.sitting_mps(target, base.codes, base.parties)
    feats = seat_features(shares, country, mp, covs)
    old = kernels.area_mean(shares, area, weights)
    return feats, _party_info(base.parties), old, shares.argmax(axis=1)


def _start(prior_model: str, shares, old, new) -> np.ndarray:
    """(..., seat, party) the classic model the learned correction starts from."""
    return kernels.uns(shares, old, new) if prior_model == "uns" else kernels.transition(shares, old, new)


@cache
def _transition(target: str, version: str, families: tuple[str, ...], prior_model: str):
    """(X, y) rows of one past transition: GB seats (Speaker's seat excluded), every party.

    The baseline is prepared as a projection with the true nation shares would prepare it.
    """
    from seatcast.swing import prior
    from seatcast.swing.actual import actual_scenario
    from seatcast.swing.project import prepare_projection

    prep = prepare_projection(actual_scenario(target, "nations"), TRANSITIONS[target], "uns")
    base, shares, tg = prep.baseline, prep.shares, prep.targets
    feats, (gidx, rr, con, lab), old, winner = _state(base, shares, tg.area, base.weights, target,
                                                      families)
    dn = tg.new[tg.area] - old
    drv = lf.drivers(dn, shares, old, winner, rr, con, lab)
    actual = baseline(target)
    truth = np.zeros_like(shares)
    idx = [actual.parties.index(p) for p in base.parties if p in actual.parties]
    cols = [j for j, p in enumerate(base.parties) if p in actual.parties]
    truth[:, cols] = actual.shares[actual.codes.get_indexer(base.codes)][:, idx]
    spec = feature_names(families)
    X = design(drv, feats, gidx, spec)
    y = truth - _start(prior_model, shares, old, tg.new[tg.area])
    rows = base.nation_mask(*parties.GB) & ~prior.speaker_seats(base)
    keep = rows[:, None] & ((shares > 0) | (truth > 0))
    return X[keep], y[keep]


@cache
def _coefficients(train: tuple[str, ...], alpha: float, families: tuple[str, ...],
                  prior_model: str, version: str) -> np.ndarray:
    """Ridge coefficients (column order of :func:`design`) learned from ``train``."""
    Ridge = _sklearn_ridge()
    parts = [_transition(t, version, families, prior_model) for t in train]
    X = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    # RMS over the rows a column touches, so rare columns (a small party's features) are not
    # under-penalised relative to their data
    scale = np.sqrt((X**2).sum(axis=0) / np.maximum((X != 0).sum(axis=0), 1))
    used = scale > 0
    model = Ridge(alpha=alpha, fit_intercept=False).fit(X[:, used] / scale[used], y)
    beta = np.zeros(X.shape[1])
    beta[used] = model.coef_ / scale[used]
    return beta


@register
class LearnedSwing(SwingModel):
    """Swing learned from past transitions (module docstring); ``make_model("learned")``.

    Parameters: ``train`` the elections whose transitions are learned from (keys of
    :data:`TRANSITIONS`); ``alpha`` the ridge penalty on standardised columns; ``features``
    the feature families used (:data:`FAMILIES`); ``start`` the classic model corrected
    (``tm`` or ``uns``); ``election`` the election predicted, only to look up which sitting
    MPs stand (``incumbency`` family; None = unknown).

    ``predict(new)`` takes (..., seat, party) area targets (leading draw axes broadcast) and
    returns (..., seat, party) shares raked to them.
    """

    name = "learned"

    def __init__(self, train: tuple[str, ...] = tuple(TRANSITIONS), alpha: float = 30.0,
                 features: tuple[str, ...] = DEFAULT_FEATURES, start: str = "tm",
                 election: str | None = None):
        self.train = train
        self.election = election
        self.alpha = alpha
        self.features = features
        self.start = start

    def fit(self, shares, area, weights, baseline=None, **context):
        from seatcast.errors import SeatcastError

        super().fit(shares, area, weights)
        if baseline is None:
            raise SeatcastError("baseline", "the learned model needs the baseline (fit(..., baseline=...))")
        train = tuple(sorted({str(t) for t in self.train}))
        unknown = [t for t in train if t not in TRANSITIONS]
        if unknown or not train:
            raise SeatcastError("train", f"unknown or no training elections {unknown}", TRANSITIONS)
        bad = [f for f in self.features if f not in FAMILIES]
        if bad:
            raise SeatcastError("features", f"unknown feature families {bad}", FAMILIES)
        if self.start not in ("tm", "uns"):
            raise SeatcastError("start", f"unknown start model {self.start!r}", ("tm", "uns"))
        families = tuple(f for f in FAMILIES if f in self.features)
        self.coef_ = _coefficients(train, float(self.alpha), families, self.start, history.data_version())
        feats, info, _, self.winner_ = _state(baseline, self.shares_, self.area_, self.weights_,
                                              self.election, families)
        self.groups_, self.rr_, self.con_, self.lab_ = info
        self.fields_ = fields(self.coef_, feats, self.groups_, feature_names(families))
        return self

    def predict(self, new):
        new = np.asarray(new, float)
        dn = new - self.old_
        drv = lf.drivers(dn, self.shares_, self.old_, self.winner_, self.rr_, self.con_, self.lab_)
        raw = lf.apply(_start(self.start, self.shares_, self.old_, new), drv, self.fields_)
        return lf.rake(raw, new, self.area_, self.weights_)


def leave_one_out(election_id: str, **params) -> LearnedSwing:
    """The model for hindsight on ``election_id``: trained on every *other* transition."""
    return LearnedSwing(train=tuple(t for t in TRANSITIONS if t != str(election_id)), **params)


def forward_chaining(election_id: str, **params) -> LearnedSwing:
    """The model a forecaster could have had before ``election_id``: earlier transitions only.

    Raises :class:`SeatcastError` for 2015, the first transition, which has nothing before it.
    """
    from seatcast.errors import SeatcastError

    year = election(election_id).year
    earlier = tuple(t for t in TRANSITIONS if int(t) < year)
    if not earlier:
        raise SeatcastError("election", f"no transition before {election_id} to learn from",
                            [t for t in TRANSITIONS if int(t) > int(min(TRANSITIONS))])
    return LearnedSwing(train=earlier, **params)
