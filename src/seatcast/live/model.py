"""The live projection: a prior, an optional exit poll, declared seats -> :class:`LiveProjection`.

:class:`LiveModel` holds the Gaussian state of the national and regional errors in
information form (:mod:`seatcast.live.kernels`). :meth:`LiveModel.declare` adds one declared
seat; :meth:`LiveModel.project` resimulates the undeclared seats from the posterior and
returns an immutable :class:`LiveProjection`. The method and its justification are in
docs/live.md.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from seatcast.errors import SeatcastError
from seatcast.live import kernels, projection
from seatcast.live.declarations import Declaration
from seatcast.live.prior import LivePrior
from seatcast.live.projection import LiveProjection

DEFAULT_DRAWS = 20_000
DEFAULT_INNER = 40
DEFAULT_SEED = 20240704
CALL_AT = 0.99
#: A party's residual in a declared seat is used when its prior and its actual share both
#: reach this (log-ratios of tiny shares are mostly noise; the seat scale is calibrated on the
#: two leading parties, see :mod:`seatcast.simulate.calibration`).
MIN_SHARE = 0.02
#: With Gaussian seats (``robust_nu=0``), a seat's centred surprise (residual minus the current
#: posterior prediction) is clipped at this many seat standard deviations when it is learnt: one
#: freak seat must not move a region. The default Student-t seats (:data:`ROBUST_NU`) discount
#: such a seat by its weight instead.
CLIP_SD = 4.0
#: Standard deviation (log scale) of the national error implied by an exit poll; see docs/live.md.
EXIT_POLL_SD = 0.05
#: Standard deviation (seats) of an exit poll's seat total of a party, as an observation of
#: the final totals (:meth:`seatcast.live.exit_poll.ExitPoll.fuse`), chosen by
#: ``benchmarks/live_tuning.py --part exit``; :data:`EXIT_SEATS_SD_WITHOUT` without each election
#: (the default: the choice on all four, with the default spread pair).
EXIT_SEATS_SD = 0.5
EXIT_SEATS_SD_WITHOUT = {"2015": 0.5, "2017": 0.5, "2019": 0.5, "2024": 0.5}
#: Prior standard deviations of the contest-type errors, of the party-margin errors and of the
#: slope on the seat covariate (:func:`contest_types`, :func:`margin_bins`, :func:`covariates`);
#: the first two chosen on the 2015-2024 replays by ``benchmarks/live_tuning.py --part covariates``
#: (lowest mean SAE at 50, 100, 200 and 300 declared seats; the slope's 0.02 from earlier grids);
#: :data:`COVARIATE_SD_WITHOUT` holds the choice made without each election, which its
#: replay uses (leave-one-election-out).
#: :data:`OBS_SCALE` multiplies the seat standard deviation in the update only (not in the
#: resimulation), for seats that share more than the model's terms; chosen with
#: :data:`SPREAD` until the party-margin errors, now held at 3 (``benchmarks/live_tuning.py``,
#: ``SPREADS``; :data:`OBS_SCALE_WITHOUT`).
COVARIATES = ("contest type", "party margin", "level")
COVARIATE_SD = (0.3, 0.3, 0.02)
COVARIATE_SD_WITHOUT = {"2015": (0.2, 0.5, 0.02), "2017": (0.3, 0.3, 0.02), "2019": (0.3, 0.3, 0.02),
                        "2024": (0.5, 0.2, 0.02)}
#: Bins of a party's own prior margin in a seat (its contest strength minus the best other's,
#: :func:`margin_bins`): safe seat, marginal held, close second, distant. Each party has one
#: error per bin, pooled over the contest types and regions (docs/live.md, "Party margin").
MARGIN_EDGES = (-0.3, -0.1, 0.0, 0.1, 0.3)
#: With :data:`MARGIN_BY_OPPONENT`, each party-margin bin is split by the best other party: one of
#: these, or any other (:func:`margin_bins`); tried in docs/live.md, "Changes tried".
#: :data:`BY_OPPONENT_SD_CHOSEN`: the (contest type, party margin, slope) prior sds chosen for it
#: without each election by ``benchmarks/live_tuning.py --part covariates --by-opponent``. It is not
#: the default (it lost: 2024 after 200 seats).
OPPONENTS = ("con", "lab")
MARGIN_BY_OPPONENT = False
BY_OPPONENT_SD_CHOSEN = {"2015": (0.1, 0.5, 0.02), "2017": (0.2, 0.5, 0.02), "2019": (0.3, 0.5, 0.02),
                         "2024": (0.3, 0.1, 0.02)}
#: Prior standard deviation (log scale) of each party's deviation per (party-margin bin, best
#: rival) cell, added to the unsplit party-margin error of its bin (:func:`rival_cells`; 0: no such
#: term, the model as without it). A hierarchical version of :data:`MARGIN_BY_OPPONENT`: the bin's
#: shared error is still learnt from every seat of the bin, the deviation only from the seats with
#: that rival. Chosen by ``benchmarks/live_tuning.py --part rival`` (leave-one-election-out:
#: :data:`RIVAL_SD_CHOSEN`, compared in docs/live.md, "Changes tried"); it is not the default
#: (it lost: 2015 and 2019, and 2017 and 2024 chose 0): :data:`RIVAL_SD_WITHOUT` is what the replays use.
RIVAL_SD = 0.0
#: The parties that get rival deviations, and the rivals they are split by (the cells of other
#: parties or rivals would cost time for few seats: Northern Ireland's parties, the Greens, Plaid).
RIVALS = ("con", "lab", "ld", "reform", "snp")
RIVAL_SD_WITHOUT = {"2015": 0.0, "2017": 0.0, "2019": 0.0, "2024": 0.0}
RIVAL_SD_CHOSEN = {"2015": 0.3, "2017": 0.0, "2019": 0.3, "2024": 0.0, "all": 0.3}
#: Degrees of freedom of a Student-t observation model for the declared seats (0: Gaussian, each
#: seat's centred surprise clipped at :data:`CLIP_SD` once, when it is learnt). With ``nu > 0``
#: each declared seat's information is weighted by ``min(1, (nu + k - 1) / (nu + m2))``
#: (:func:`kernels.t_weights`): ``m2`` its squared centred surprise against the current
#: posterior mean in update seat sds, ``k`` its observed parties. These are the
#: expectation-maximisation weights of a multivariate t (Lange, Little and Taylor 1989), capped
#: at 1 so that ordinary seats keep the Gaussian model and only outlying ones (a personal vote,
#: a by-election legacy) are discounted; recomputed for every declared seat
#: :data:`ROBUST_ITERATIONS` times per update (iteratively reweighted least squares,
#: docs/live.md). Chosen by ``benchmarks/live_tuning.py --part robust``
#: (:data:`ROBUST_NU_CHOSEN`, compared in docs/live.md, "Changes tried"); it is not the default
#: (with the choices made without each night it did not improve the goals over the antithetic
#: draws alone): :data:`ROBUST_NU_WITHOUT` is what the replays use.
ROBUST_NU = 0.0
ROBUST_NU_WITHOUT = {"2015": 0.0, "2017": 0.0, "2019": 0.0, "2024": 0.0}
ROBUST_NU_CHOSEN = {"2015": 32.0, "2017": 0.5, "2019": 1.0, "2024": 4.0, "all": 2.0}
ROBUST_ITERATIONS = 2
#: Antithetic state draws in the resimulation (:func:`kernels.state_draws`): a variance reduction of
#: the Monte Carlo medians, not a change of the model (docs/live.md, "Monte Carlo error").
ANTITHETIC = True
OBS_SCALE = 3.0
#: Census column on whose standardised value each party's error has a slope (:func:`covariates`):
#: the share of residents with a degree (2011 Census; 2021/22 on the 2024 boundaries), known
#: before every replayed night (education divided the swing in 2017 and 2024, and the first
#: seats to declare are mostly low-degree seats). :data:`CENSUS_SD` is the prior sd of the slope
#: (log share per standard deviation of the column; 0: no such term), chosen by
#: ``benchmarks/live_tuning.py --part census`` (leave-one-election-out: :data:`CENSUS_SD_CHOSEN`,
#: compared in docs/live.md, "Changes tried"); it is not the default (it lost).
CENSUS = ("degree",)
CENSUS_SD = 0.0
CENSUS_SD_WITHOUT = {"2015": 0.0, "2017": 0.0, "2019": 0.0, "2024": 0.0}
CENSUS_SD_CHOSEN = {"2015": 0.02, "2017": 0.02, "2019": 0.02, "2024": 0.05, "all": 0.02}
#: Widens the posterior of the state in the resimulation only (its information from declared
#: seats is divided by ``SPREAD**2``; the mean is unchanged, the prior is the limit): the
#: model's terms leave errors shared by seats unmodelled, so the posterior is too sure. Chosen
#: with :data:`OBS_SCALE` by ``benchmarks/live_tuning.py --part spread`` (lowest SAE among the
#: pairs whose 90% intervals hold the truth at >= 90% of the party x step points of the other
#: elections; if none does, the highest coverage there: without 2015 or 2019, the grid's largest
#: spread, 8); :data:`SPREAD_WITHOUT` holds the choice made without each election, which its
#: replay uses (the default: chosen on all four). The contest-type, party-margin and slope terms are not drawn
#: in the resimulation (``draw_covariates``), so the spread widens the national and regional ones.
SPREAD = 8.0
SPREAD_WITHOUT = {"2015": 8.0, "2017": 6.0, "2019": 8.0, "2024": 8.0}
OBS_SCALE_WITHOUT = {"2015": 3.0, "2017": 3.0, "2019": 3.0, "2024": 3.0}
#: Contest types (first and second party under the prior) with fewer seats share one type.
MIN_TYPE_SEATS = 10
#: Parties without a modelled error: the Speaker, independents and others (not polled).
NOT_MODELLED = ("speaker", "ind", "other")


class LiveModel:
    """Election-night model: learn national and regional errors from declared seats.

    ``prior`` a :class:`LivePrior`; ``exit_poll`` an :class:`seatcast.live.exit_poll.ExitPoll`
    (or None); ``draws`` = outer state draws x ``inner`` winner draws; ``expected`` optional
    expected declaration times (ons_code -> Timestamp) used to order the seats in doubt.
    """

    def __init__(self, prior: LivePrior, exit_poll=None, draws: int = DEFAULT_DRAWS,
                 inner: int = DEFAULT_INNER, seed: int = DEFAULT_SEED, call_at: float = CALL_AT,
                 expected: pd.Series | None = None, covariate_sd=None, obs_scale: float | None = None,
                 spread: float | None = None, exit_seats_sd: float | None = None,
                 draw_covariates: bool = False, census_sd: float | None = None,
                 margin_by_opponent: bool | None = None, rival_sd: float | None = None,
                 robust_nu: float | None = None, antithetic: bool | None = None):
        if not 100 <= int(draws) <= 1_000_000:
            raise SeatcastError("draws", f"{draws} is outside 100-1000000")
        if not 0.5 < float(call_at) < 1.0:
            raise SeatcastError("call_at", f"{call_at} must be between 0.5 and 1 (exclusive)")
        self.prior, self.draws, self.seed, self.call_at = prior, int(draws), int(seed), float(call_at)
        self.inner = max(1, min(int(inner), self.draws))
        self.expected = expected
        self.covariate_sd = tuple(COVARIATE_SD if covariate_sd is None else covariate_sd)
        self.obs_scale = _setting("obs_scale", obs_scale, OBS_SCALE, 0.5, 10)
        self.spread = _setting("spread", spread, SPREAD, 0.5, 10)
        self.exit_seats_sd = float(EXIT_SEATS_SD if exit_seats_sd is None else exit_seats_sd)
        self.draw_covariates = bool(draw_covariates)
        if len(self.covariate_sd) != len(COVARIATES) or min(self.covariate_sd) <= 0:
            raise SeatcastError("covariate_sd", f"give {len(COVARIATES)} positive standard deviations")
        self.margin_by_opponent = bool(MARGIN_BY_OPPONENT if margin_by_opponent is None
                                       else margin_by_opponent)
        self.census_sd = _setting("census_sd", census_sd, CENSUS_SD, 0, 1, " (0: no census slope)")
        self.rival_sd = _setting("rival_sd", rival_sd, RIVAL_SD, 0, 1, " (0: no rival deviations)")
        self.robust_nu = _setting("robust_nu", robust_nu, ROBUST_NU, 0, 1000, " (0: Gaussian seats)")
        self.antithetic = bool(ANTITHETIC if antithetic is None else antithetic)
        self._robust = kernels.SeatStore()  # declared seats' rows and weights (robust_nu > 0)
        self._setup_state()
        self.declared: dict[int, int] = {}  # seat index -> winning party index
        self.history: list[Declaration] = []
        self._pending: list[tuple[int, dict]] = []  # declared seats not yet learnt from
        self._factor = None  # Cholesky factor of the posterior precision (None: stale)
        self.exit_poll = exit_poll
        if exit_poll is not None:
            exit_poll.apply(self)

    def _setup_state(self) -> None:
        pr = self.prior
        self.state = tuple(j for j, p in enumerate(pr.parties)
                           if p not in NOT_MODELLED and pr.shares[:, j].max() > 0)
        s = len(self.state)
        idx = np.full(len(pr.parties), -1)
        idx[list(self.state)] = np.arange(s)
        self.state_index = idx
        types, n_types = contest_types(pr)
        bins, n_bins = margin_bins(pr, self.margin_by_opponent)
        x = covariates(pr, CENSUS if self.census_sd else ())
        groups = [(pr.region[:, None], pr.n_regions), (types[:, None], n_types), (bins, n_bins)]
        sd_type, sd_margin, *sd_cov = self.covariate_sd
        sds = [pr.scales.national, pr.scales.regional, sd_type, sd_margin]
        sizes = [s, s * pr.n_regions, s * n_types, s * n_bins]
        if self.rival_sd:
            cells, n_cells = rival_cells(pr, bins, n_bins)
            groups.append((np.maximum(cells, 0), n_cells))
            sds.append(self.rival_sd)
            sizes.append(n_cells * s)
        self.cols, self.vals, self.q = kernels.design(idx[None, :], groups, pr.gb[:, None], x, s)
        if self.rival_sd:  # no deviation for unlisted parties or rivals; keep the cells some seat has
            self.cols[..., 4][cells < 0] = self.q
            start = sum(sizes[:-1])
            self.cols, self.q, sizes[-1] = kernels.drop_unused(self.cols, self.q, start, start + sizes[-1])
        sds += [*sd_cov, *[self.census_sd] * (x.shape[-1] - len(sd_cov))]
        sizes += [s] * x.shape[-1]
        self.precision0 = np.diag(np.repeat(np.asarray(sds, float) ** -2.0, sizes))
        #: State columns of the contest-type and party-margin errors and slopes: learnt, but held at
        #: their posterior mean in the resimulation unless ``draw_covariates`` (docs/live.md,
        #: "The night's start").
        self.held = np.arange(sizes[0] + sizes[1], self.q)
        self.info = np.zeros((self.q, self.q))
        self.eta = np.zeros(self.q)
        with np.errstate(divide="ignore"):
            self.logw = np.log(pr.shares * pr.top_frac).astype(np.float32)

    def add_information(self, cols, block, vec) -> None:
        """Add an observation in information form (used by seats and exit polls)."""
        self.info[np.ix_(cols, cols)] += block
        self.eta[cols] += vec
        self._factor = None

    def declare(self, decl: Declaration) -> None:
        """Record one declared seat; its votes are learnt from before the next projection.

        The learning (:meth:`_learn`) is deferred so that all linear algebra of an update runs
        in one single-threaded BLAS context (:func:`_one_thread`)."""
        i = self.prior.seat_index(decl.ons_code)
        if i in self.declared:
            raise SeatcastError("ons_code", f"{decl.ons_code} ({decl.constituency}) was already declared")
        self.declared[i] = self.prior.party_index(decl.winner)
        self.history.append(decl)
        if decl.votes:
            self._pending.append((i, decl.votes))

    def _learn(self) -> None:
        """Learn from the declared seats not yet used, in declaration order (with
        :attr:`robust_nu`: then reweight every declared seat, :meth:`_reweight`)."""
        if not self.robust_nu:
            while self._pending:
                self.add_information(*self._seat_observation(*self._pending.pop(0)))
            return
        sd, added = self.prior.seat_scale * self.obs_scale, False
        while self._pending:
            rows = self._seat_rows(*self._pending.pop(0))
            if rows is not None:
                d, _, cols, vals = rows
                self._robust.add(d, cols, vals, *kernels.seat_information(d, cols, vals, self.q, sd))
                added = True
        if added:
            self._reweight(sd)

    def _reweight(self, sd: float) -> None:
        """Student-t weights of the declared seats (:data:`ROBUST_NU`) against the posterior mean,
        :data:`ROBUST_ITERATIONS` times; a new seat starts at weight 0, so its first weight comes from
        its surprise against the posterior without it. Only the changed weights touch the information."""
        for _ in range(ROBUST_ITERATIONS):
            m2, k = self._robust.mahalanobis(np.r_[self._mean(), 0.0], sd)
            w = kernels.t_weights(m2, k, self.robust_nu)
            for s, change in self._robust.set_weights(w):
                used, block, vec = self._robust.info[s]
                self.add_information(used, change * block, change * vec)

    @property
    def seat_weights(self) -> np.ndarray:
        """Current weights of the declared seats learnt from (1: Gaussian; in learning order)."""
        return self._robust.weights.copy()

    def _seat_rows(self, i: int, votes: dict[str, float]):
        """A declared seat's log-ratio residuals ``d`` of its observed parties (prior and actual
        share both at least :data:`MIN_SHARE`, modelled parties only), their party indexes and
        :func:`kernels.design` rows; None when it has fewer than two such parties or is fixed."""
        pr = self.prior
        obs = np.zeros(len(pr.parties))
        for p, v in votes.items():
            obs[pr.party_index(p)] += v
        obs /= obs.sum()
        m = pr.shares[i]
        use = (self.state_index >= 0) & (m >= MIN_SHARE) & (obs >= MIN_SHARE)
        if pr.fixed[i] or use.sum() < 2:
            return None
        return np.log(obs[use] / m[use]), np.flatnonzero(use), self.cols[i, use], self.vals[i, use]

    def seat_residuals(self, i: int, votes: dict[str, float]):
        """A declared seat's centred surprise against the current posterior mean, its parties'
        codes and the update's seat sd: ``(r, parties, sd)``, or None (see :meth:`_seat_rows`)."""
        rows = self._seat_rows(i, votes)
        if rows is None:
            return None
        d, use, cols, vals = rows
        r = kernels.centred_surprise(d, cols, vals, np.r_[self._mean(), 0.0])
        return r, [self.prior.parties[j] for j in use], self.prior.seat_scale * self.obs_scale

    def _seat_observation(self, i: int, votes: dict[str, float]):
        rows = self._seat_rows(i, votes)
        if rows is None:
            return np.zeros(0, int), np.zeros((0, 0)), np.zeros(0)
        d, _, cols, vals = rows
        sd = self.prior.seat_scale * self.obs_scale
        r = kernels.centred_surprise(d, cols, vals, np.r_[self._mean(), 0.0])
        d = d - r + np.clip(r, -CLIP_SD * sd, CLIP_SD * sd)
        return kernels.seat_information(d, cols, vals, self.q, sd)

    def _precision_factor(self) -> np.ndarray:
        if self._factor is None:
            self._factor = kernels.precision_factor(self.precision0 + self.info)
        return self._factor

    def _mean(self) -> np.ndarray:
        return kernels.cho_mean(self._precision_factor(), self.eta)

    def draw_factor(self) -> np.ndarray:
        """Cholesky factor of the precision the state is drawn with in the resimulation:
        ``Lambda0 + info / spread**2``, the posterior widened by :attr:`spread` (for information
        from declared seats) but never beyond the prior."""
        if self.spread == 1.0:
            return self._precision_factor()
        return kernels.precision_factor(self.precision0 + self.info / self.spread**2)

    def posterior(self) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean of the state and the lower Cholesky factor ``L`` of its precision
        (``cov = L'^-1 L^-1``), after learning from every declared seat."""
        with _one_thread():
            self._learn()
            return self._mean(), self._precision_factor()

    def project(self) -> LiveProjection:
        """Resimulate the undeclared seats from the current posterior."""
        with _one_thread():
            self._learn()
            return projection.project(self)


def _setting(name: str, value, default: float, lo: float, hi: float, hint: str = "") -> float:
    """``value`` (``default`` if None) as a float, or an error naming ``name`` outside ``[lo, hi]``."""
    x = float(default if value is None else value)
    if not lo <= x <= hi:
        raise SeatcastError(name, f"{value} is outside {lo:g}-{hi:g}{hint}")
    return x


def _one_thread():
    """BLAS on one thread: the matrices are small, and threads only contend on a busy machine.
    The controller is made once (making one scans the loaded libraries: about 1.5 ms)."""
    return _blas_controller().limit(limits=1, user_api="blas")


@cache
def _blas_controller():
    import scipy.linalg  # noqa: F401  (loads SciPy's own BLAS, so the controller sees it too)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def contest_types(prior: LivePrior) -> tuple[np.ndarray, int]:
    """(seat,) contest type of each seat: its first and second party under the prior.

    Types with fewer than :data:`MIN_TYPE_SEATS` seats are pooled into one. Seats of one
    type share an error (as seats of one region do), so the model learns, for instance, how
    the Liberal Democrats did where they were second to the Conservatives (tactical voting)
    from the first such seats to declare.
    """
    w = prior.shares * prior.top_frac
    order = np.argsort(-w, axis=1, kind="stable")[:, :2]
    key = order[:, 0] * len(prior.parties) + order[:, 1]
    uniq, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    big = counts >= MIN_TYPE_SEATS
    label = np.where(big, np.cumsum(big) - 1, big.sum())
    return label[inv], int(big.sum()) + 1


def margin_bins(prior: LivePrior, by_opponent: bool = False) -> tuple[np.ndarray, int]:
    """``(seat, party)`` bin of each party's own prior margin in each seat, and the number of bins.

    The margin is the party's contest strength (share x top-candidate fraction, as in
    :func:`contest_types`) minus the best other party's: positive where it is first under the
    prior, negative elsewhere; binned at :data:`MARGIN_EDGES`. A party's errors by bin let the
    model learn that it fell short in its safe seats without carrying the shortfall to the seats
    it holds narrowly or chases (2024: Labour's vote fell in its strongholds and held up in the
    marginals; docs/live.md).

    ``by_opponent``: each bin split by who the best other party is (:data:`OPPONENTS`, then any
    other), so that a party's surprise in its narrow leads over one rival (Labour over Reform in the
    North East, 2024) is not carried to its narrow leads over another (Labour over the Conservatives)."""
    w = prior.shares * prior.top_frac
    top2 = np.sort(w, axis=1)[:, -2:]
    best_other = np.where(w >= top2[:, 1:], top2[:, :1], top2[:, 1:])
    bins, n = np.digitize(w - best_other, MARGIN_EDGES), len(MARGIN_EDGES) + 1
    if not by_opponent:
        return bins, n
    rival = best_rival(prior)
    code = np.full(len(prior.parties), len(OPPONENTS))
    code[[prior.party_index(p) for p in OPPONENTS]] = np.arange(len(OPPONENTS))
    return bins * (len(OPPONENTS) + 1) + code[rival], n * (len(OPPONENTS) + 1)


def rival_cells(prior: LivePrior, bins: np.ndarray, n_bins: int) -> tuple[np.ndarray, int]:
    """``(seat, party)`` cell of each party in each seat, and the number of cells: its party-margin
    bin ``bins`` (:func:`margin_bins`) crossed with its best rival under the prior
    (:func:`best_rival`); -1 unless both are among :data:`RIVALS`. Each party's deviation per cell
    is added to its error of the bin, so a surprise in its narrow leads over Reform (2024, the North
    East) reaches its narrow leads over the Conservatives only through the bin's shared part. Most
    of the ``n_bins`` x parties cells hold no seat; the model keeps only those that do."""
    rival = best_rival(prior)
    listed = np.isin(np.arange(len(prior.parties)), [prior.party_index(p) for p in RIVALS])
    cells = np.where(listed[None, :] & listed[rival], bins * len(prior.parties) + rival, -1)
    return cells, n_bins * len(prior.parties)


def best_rival(prior: LivePrior) -> np.ndarray:
    """``(seat, party)`` index of each party's best rival in each seat under the prior (by contest
    strength, as :func:`contest_types`): the second party for the first, the first for the others."""
    w = prior.shares * prior.top_frac
    order = np.argsort(-w, axis=1, kind="stable")[:, :2]
    first = np.arange(w.shape[1])[None, :] == order[:, :1]
    return np.where(first, order[:, 1:], order[:, :1])


def covariates(prior: LivePrior, census=()) -> np.ndarray:
    """``(seat, party, 1 + len(census))`` seat covariates of each party's error.

    ``level``: the log of its prior share, centred on its mean over the seats it contests
    (learns whether it gains more where it was strong, proportional-like, or where it was
    weak, uniform-like). Then each census column named in ``census`` (:func:`census_columns`),
    the same for every party that stands (learns, for instance, that a party gained where fewer
    residents hold a degree from the first such seats to declare, and carries that to the seats
    with more graduates in proportion).
    """
    stands = prior.shares > 0
    with np.errstate(divide="ignore"):
        logm = np.where(stands, np.log(np.where(stands, prior.shares, 1.0)), 0.0)
    centre = logm.sum(axis=0) / np.maximum(stands.sum(axis=0), 1)
    cols = [np.clip(logm - centre, -3.0, 3.0)]
    if census:
        z = census_columns(prior, census)
        cols += [np.broadcast_to(z[:, j, None], stands.shape) for j in range(z.shape[1])]
    return np.where(stands[..., None], np.stack(cols, -1), 0.0).astype(np.float32)


def census_columns(prior: LivePrior, names) -> np.ndarray:
    """``(seat, len(names))`` census columns (:func:`seatcast.data.covariates.covariates` on the
    prior's boundaries; the 2021/22 census where it has them on the 2024 boundaries) standardised
    over the GB seats; 0 in Northern Ireland and where missing
    (:func:`seatcast.data.history.covariate_zscores`)."""
    from seatcast.data.history import covariate_zscores

    z = covariate_zscores(prior.baseline, prior.seats.index, prior.gb, names)
    return np.stack([z[name] for name in names], axis=1)
