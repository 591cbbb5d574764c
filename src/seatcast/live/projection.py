"""Resimulating the undeclared seats from the live model's posterior (pandas-facing layer), and
its result, :class:`LiveProjection`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from seatcast.live import kernels
from seatcast.live.declarations import Declaration
from seatcast.simulate.kernels import gumbel_beta

QUANTILES = (0.5, 0.05, 0.95)


@dataclass(frozen=True, eq=False)
class LiveProjection:
    """The projection after ``step`` declared seats, with the inputs it came from.

    ``seats`` (draw, party) final totals; ``summary`` parties x (median, mean, p05, p95,
    declared, called); ``probabilities`` as :func:`seatcast.simulate.forecast.outcome_probabilities`;
    ``undeclared`` one row per undeclared seat (leader, probability, expected time), seats
    in doubt first in expected declaration order.
    """

    step: int
    last: Declaration | None
    parties: tuple[str, ...]
    seats: np.ndarray = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    probabilities: dict[str, float]
    undeclared: pd.DataFrame = field(repr=False)
    national: dict[str, float]
    prior: str
    exit_poll: dict | None
    draws: int
    seed: int
    call_at: float

    @property
    def in_doubt(self) -> pd.DataFrame:
        return self.undeclared[~self.undeclared["called"]]

    def shown_parties(self) -> list[str]:
        s = self.summary[(self.summary["p95"] > 0) | (self.summary["declared"] > 0)]
        return list(s.sort_values(["median", "mean"], ascending=False).index)

    def as_dict(self, in_doubt: int = 20) -> dict:
        """JSON form: totals per shown party, outcome probabilities, counts, first seats in doubt."""
        doubt = self.in_doubt.head(in_doubt)
        return {
            "step": self.step, "last": None if self.last is None else self.last.as_dict(),
            "parties": {p: {k: (int(v) if k != "mean" else round(float(v), 2))
                            for k, v in self.summary.loc[p].items()} for p in self.shown_parties()},
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "declared": self.step, "called": int(self.undeclared["called"].sum()),
            "in_doubt": int((~self.undeclared["called"]).sum()),
            "seats_in_doubt": [{"ons_code": i, "constituency": r.constituency, "leader": r.leader,
                                "probability": round(float(r.probability), 3),
                                "expected": None if pd.isna(r.expected) else str(r.expected)}
                               for i, r in doubt.iterrows()],
            "national_error": {k: round(v, 4) for k, v in self.national.items()},
            "prior": self.prior, "exit_poll": self.exit_poll, "draws": self.draws,
            "seed": self.seed, "call_at": self.call_at,
        }



def contenders(model, seats: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """(seat, k) each undeclared seat's likeliest parties at the posterior mean."""
    theta = np.r_[mean, 0.0]
    z = model.logw[seats] + (model.vals[seats] * theta[model.cols[seats]]).sum(axis=-1)
    k = min(kernels.CONTENDERS, z.shape[1])
    return np.argsort(-z, axis=1, kind="stable")[:, :k]


def _seat_draws(model, rng, seats: np.ndarray, mean, factor):
    """Win probabilities (seat, k, draw) and the contenders (seat, k) of ``seats``."""
    cont = contenders(model, seats, mean)
    outer = -(-model.draws // model.inner)
    theta = kernels.state_draws(rng, mean, factor, outer, model.antithetic)
    if not model.draw_covariates:  # the forecast's error levels only: national, regional, seat
        theta[:, model.held] = mean[model.held]
    rows = seats[:, None]
    p = kernels.win_probs(model.logw[rows, cont], theta, model.cols[rows, cont], model.vals[rows, cont],
                          gumbel_beta(model.prior.seat_scale))
    return p, cont


def _totals(p, cont, rng, inner, n_party) -> np.ndarray:
    """(draw, party) totals of the live seats, computed on the parties that contend any."""
    act, local = np.unique(cont, return_inverse=True)
    local = local.reshape(cont.shape)
    cap = np.bincount(local.ravel(), minlength=len(act)).astype(float)
    m, c = kernels.seat_moments(p, local, len(act))
    out = np.zeros((p.shape[-1] * inner, n_party), np.int16)
    out[:, act] = kernels.normal_totals(m, c, rng, inner, cap)
    return out


def project(model):
    """The :class:`LiveProjection` of ``model`` (a :class:`seatcast.live.model.LiveModel`)'s current
    state; called by :meth:`LiveModel.project` once the declared seats are learnt from."""
    return _project(model)


def _project(model):
    from seatcast.simulate.forecast import outcome_probabilities

    pr = model.prior
    n_party = len(pr.parties)
    rng = np.random.default_rng([model.seed, len(model.history)])
    mean, factor = model._mean(), model.draw_factor()
    fixed_counts = np.bincount(list(model.declared.values()), minlength=n_party)
    open_ = np.array([i for i in range(len(pr.seats)) if i not in model.declared], dtype=int)
    held = open_[pr.fixed[open_]]
    fixed_counts = fixed_counts + np.bincount(np.argmax(pr.shares[held], axis=1), minlength=n_party)
    live = open_[~pr.fixed[open_]]
    p, cont = _seat_draws(model, rng, live, mean, factor)
    seats = fixed_counts.astype(np.int16) + _totals(p, cont, rng, model.inner, n_party)[: model.draws]
    if model.exit_poll is not None:
        cap = np.bincount(cont.ravel(), minlength=n_party).astype(float)
        seats = model.exit_poll.fuse(seats, pr.parties, model.exit_seats_sd, fixed_counts, cap)
    return LiveProjection(
        step=len(model.history), last=model.history[-1] if model.history else None,
        parties=pr.parties, seats=seats,
        summary=summary(seats, pr.parties, fixed_counts, np.bincount(list(model.declared.values()),
                                                                       minlength=n_party)),
        probabilities=outcome_probabilities(seats, pr.parties),
        undeclared=undeclared_table(model, live, held, p.mean(axis=-1), cont),
        national={pr.parties[j]: float(mean[k]) for k, j in enumerate(model.state)},
        prior=pr.label, exit_poll=None if model.exit_poll is None else model.exit_poll.as_dict(),
        draws=model.draws, seed=model.seed, call_at=model.call_at)


def summary(seats: np.ndarray, parties, fixed, declared) -> pd.DataFrame:
    q = kernels.quantiles(seats, QUANTILES)
    return pd.DataFrame({"median": q[0], "mean": seats.mean(axis=0), "p05": q[1], "p95": q[2],
                         "declared": declared}, index=list(parties))


def undeclared_table(model, live, held, prob, cont) -> pd.DataFrame:
    """Undeclared seats: leader, its win probability, called or not, expected declaration time."""
    pr = model.prior
    top = np.argmax(prob, axis=1) if len(live) else np.zeros(0, int)
    leader = np.asarray(pr.parties)[cont[np.arange(len(live)), top]] if len(live) else np.zeros(0, str)
    rows = np.r_[live, held]
    df = pd.DataFrame({
        "constituency": pr.seats["constituency"].to_numpy()[rows],
        "leader": np.r_[leader, pr.winners[held]],
        "probability": np.r_[prob[np.arange(len(live)), top] if len(live) else [], np.ones(len(held))],
    }, index=pr.seats.index[rows])
    df["called"] = df["probability"] >= model.call_at
    none = pd.Series(pd.NaT, index=df.index)
    df["expected"] = (none if model.expected is None else model.expected.reindex(df.index)).to_numpy()
    return df.sort_values(["called", "expected"], kind="stable", na_position="last")
