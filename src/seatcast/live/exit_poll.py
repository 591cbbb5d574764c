"""Exit polls: published seat totals (or vote shares) as an observation of the national error.

:data:`EXIT_POLLS` holds the seat projections of the broadcasters' joint exit poll (BBC, ITV
and Sky; fieldwork by Ipsos MORI, from 2023 Ipsos; model by John Curtice, Stephen Fisher,
Jouni Kuha and colleagues), as announced at 22:00 on polling night and reported in the
broadcasters' results programmes and the House of Commons Library election briefings
(CBP-7186 for 2015, CBP-7979 for 2017, CBP-8749 for 2019, CBP-10009 for 2024). Parties not
listed were not given a headline figure.

An exit poll enters the live model as a Gaussian observation of the national log-ratio
errors of its parties: seat totals are turned into the national error that makes the
prior's expected seats match them (least squares), shares into ``log(exit share / prior
share)``. Only contrasts between the listed parties are used (the centring of
:func:`seatcast.live.kernels.seat_information`), with standard deviation ``sd``.

Seat totals are also an observation of the *final* totals, which carries what a national
error cannot (the exit poll's own regional and tactical modelling): each projection's draws of
the final totals are moved by the update of a Gaussian observation (applied to their median)
with standard deviation ``sd_seats`` per listed party (:meth:`ExitPoll.fuse`;
:data:`seatcast.live.model.EXIT_SEATS_SD`, chosen leave-one-election-out), keeping their own
spread. Early in the night, when the draws are spread out, the exit poll dominates; as declared
seats pin the totals down, the draws dominate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from seatcast.errors import SeatcastError
from seatcast.live import kernels
from seatcast.simulate.kernels import gumbel_beta

#: Passes of the exit poll's move of the draws: draws pushed out of ``[declared, declared + cap]``
#: are clipped, which can leave the median a seat off the intended centre; each pass moves the
#: draws again by the gain times what is left (:meth:`ExitPoll.fuse`). It was 3, but the third
#: pass's move was computed and never applied, so 2 is what always ran; applying a third made the
#: 2019 replay (antithetic draws) a seat worse than the exit poll at one step (docs/live.md).
FUSE_PASSES = 2

EXIT_POLLS: dict[str, dict[str, int]] = {
    "2015": {"con": 316, "lab": 239, "snp": 58, "ld": 10},
    "2017": {"con": 314, "lab": 266, "snp": 34, "ld": 14},
    "2019": {"con": 368, "lab": 191, "snp": 55, "ld": 13},
    "2024": {"lab": 410, "con": 131, "ld": 61, "reform": 13, "snp": 10},
}


@dataclass(frozen=True)
class ExitPoll:
    """An exit poll: ``seats`` (party -> seats) or ``shares`` (party -> GB percent)."""

    seats: dict[str, float] | None = None
    shares: dict[str, float] | None = None
    sd: float | None = None
    label: str = "exit poll"
    implied: dict = field(default_factory=dict, compare=False)

    @classmethod
    def published(cls, election: str, sd: float | None = None) -> ExitPoll:
        if str(election) not in EXIT_POLLS:
            raise SeatcastError("exit_poll", f"no published exit poll for {election!r}", EXIT_POLLS)
        return cls(seats=dict(EXIT_POLLS[str(election)]), sd=sd, label=f"published exit poll {election}")

    def as_dict(self) -> dict:
        return {"label": self.label, "seats": self.seats, "shares": self.shares,
                "implied_national_error": self.implied}

    def apply(self, model) -> None:
        """Add this exit poll to ``model`` as an observation of its national errors."""
        from seatcast.live.model import EXIT_POLL_SD

        given = self.seats or self.shares
        if not given or (self.seats and self.shares):
            raise SeatcastError("exit_poll", "give either seats or shares")
        pr = model.prior
        idx = []
        for p, v in given.items():
            j = pr.party_index(p)
            if model.state_index[j] < 0:
                raise SeatcastError("exit_poll", f"party {p!r} has no modelled vote in the prior")
            top = 650 if self.seats else 100
            if not 0 <= float(v) <= top:
                raise SeatcastError(f"exit_poll.{p}", f"{v} is outside 0-{top}")
            idx.append(j)
        n = self._implied(model, idx, np.array([float(given[p]) for p in given]))
        self.implied.update({p: round(float(x), 4) for p, x in zip(given, n, strict=True)})
        cols = model.state_index[idx]
        q = model.q
        design = np.full((len(cols), 2), q)  # national entry only
        design[:, 0] = cols
        vals = np.ones(design.shape, np.float32)
        obs = kernels.seat_information(n, design, vals, q, self.sd or EXIT_POLL_SD)
        model.add_information(*obs)

    def fuse(self, seats: np.ndarray, parties, sd_seats: float, fixed: np.ndarray,
             cap: np.ndarray) -> np.ndarray:
        """Draws of the final totals ``(draw, party)`` moved to the centre the exit poll's seat
        totals give them.

        Each listed party ``p`` moves by its own Kalman gain, ``C_pp / (C_pp + sd_seats**2)`` times
        ``exit_p - median_p`` (``C`` the draws' covariance; the median is what the projection reports, and
        a common shift moves it exactly), and the parties the exit poll does not list take up the
        difference (:func:`named_move`; those that can move that way): the exit poll's listed figures need
        not add up with the seats the draws hold for the others (the Speaker, Plaid Cymru, the Greens,
        Northern Ireland), and a joint update over the listed parties alone would then take the difference
        off one of them. With one listed party this is the Gaussian update ``C H' (H C H' + sd**2)^-1``.
        The spread of the draws stays the live model's own (``sd_seats`` is tuned for the centre, and is
        far below an exit poll's real error). The move is rounded to whole seats that add up to zero
        (:func:`seatcast.live.kernels.round_move`), so every draw stays whole and the reported median
        moves by exactly the rounded move. The undeclared part of each draw (``x - fixed``) is clipped to
        ``[0, cap]`` and, where clipped, rounded back to whole seats adding up; as that can leave the
        median off the intended centre (median + move), the draws are moved again by what is left (at most
        :data:`FUSE_PASSES` passes). Seat polls only (shares leave the draws unchanged).
        """
        if not self.seats or sd_seats <= 0:
            return seats
        cols, median, move, (c, down, up) = self._centre(seats, parties, sd_seats, fixed, cap)
        target = median + move[cols]
        total = float(seats[0].sum())  # every draw holds every seat; a move must not change that
        for done in range(FUSE_PASSES + 1):  # clipped draws, rounded back, can leave the median off target
            out = _clip_round(seats + move, fixed, cap, total)
            off = target - kernels.quantiles(out[:, cols], (0.5,))[0]
            if not off.any() or done == FUSE_PASSES:  # each of the passes' moves is applied
                break
            move = move + kernels.round_move(named_move(c, cols, off, 0.0, down + move, up - move))
        return out

    def centre(self, seats: np.ndarray, parties, sd_seats: float, fixed: np.ndarray,
               cap: np.ndarray) -> tuple[list[int], np.ndarray, np.ndarray]:
        """The listed parties' columns, their median before the fusion, and the whole-seat move of
        every party's draws that :meth:`fuse` starts from (before the clip and the rounding back).

        An exit poll's figure beyond what the seats allow (below the party's declared and held seats,
        or above them plus every undeclared seat it contests) is taken at that bound."""
        return self._centre(seats, parties, sd_seats, fixed, cap)[:3]

    def _centre(self, seats, parties, sd_seats, fixed, cap):
        """:meth:`centre`, plus what :meth:`fuse` moves the draws with again: the draws' covariance
        and the seats each party can lose (``down``) or gain (``up``) from its median."""
        cols = [parties.index(p) for p in self.seats]
        c = np.atleast_2d(np.cov(seats.astype(float), rowvar=False))
        every = kernels.quantiles(seats, (0.5,))[0]
        median = every[cols]  # the median the projection reports
        exit_seats = np.clip([float(v) for v in self.seats.values()], fixed[cols], fixed[cols] + cap[cols])
        down = np.clip(every - fixed, 0.0, None)  # seats a party can lose or gain from its median
        up = np.clip(fixed + cap - every, 0.0, None)
        move = kernels.round_move(named_move(c, cols, exit_seats - median, sd_seats, down, up))
        return cols, median, move, (c, down, up)

    def _implied(self, model, idx, target) -> np.ndarray:
        pr = model.prior
        if self.shares:
            w = pr.weights * pr.gb
            prior_share = w @ pr.shares[:, idx] / w.sum()
            if (target <= 0).any() or (prior_share <= 0).any():
                raise SeatcastError("exit_poll", "every share must be positive, and stood in the prior")
            return np.log(target / 100.0 / prior_share)
        return _solve_seats(model, idx, target)


def named_move(c: np.ndarray, cols, gap: np.ndarray, sd: float, down: np.ndarray,
               up: np.ndarray) -> np.ndarray:
    """``(party,)`` move of the totals for a ``gap`` (listed party's exit figure minus median).

    A listed party moves by its own gain ``C_pp / (C_pp + sd**2)`` times its gap; the other parties
    move as they co-vary with the listed ones (``sum_p C_up gap_p / (C_pp + sd**2)``), plus what still
    keeps the moves adding up to zero, shared among the unlisted parties that can move that way
    (``down``/``up``: seats each can lose or gain, from its median) in proportion to their variance
    (or, where none varies, to that room). So a difference between the exit poll's listed total and
    the draws' comes off the unlisted parties, never off a listed one. A listed party's move is rounded
    to the nearest whole seat here, so the unlisted parties' moves add up to a whole number and
    :func:`seatcast.live.kernels.round_move` rounds only theirs (the rounding of the whole move by
    largest remainder could hand a listed party a seat back: 2015, after 173 declarations, the SNP's
    -0.66 came back to 0 ahead of an unlisted party's 0.29). If no unlisted party can move, the listed
    parties share it by the joint Gaussian update."""
    cols = np.asarray(cols)
    gain = c[:, cols] / (c[cols, cols] + sd**2 + 1e-12)
    rest = np.ones(len(c), bool)
    rest[cols] = False
    move = np.zeros(len(c))
    move[cols] = np.floor(np.diag(gain[cols]) * gap + 0.5)  # whole seats: the nearest to the update
    move[rest] = gain[rest] @ gap
    room = np.where(rest, down if move.sum() > 0 else up, 0.0)
    weight = np.where(room >= 1, np.clip(np.diag(c), 0.0, None), 0.0)
    if weight.sum() <= 1e-9:
        weight = room
    if weight.sum() <= 0:
        return c[:, cols] @ np.linalg.pinv(c[np.ix_(cols, cols)] + sd**2 * np.eye(len(cols))) @ gap
    return move - move.sum() * weight / weight.sum()


def _clip_round(x: np.ndarray, fixed: np.ndarray, cap: np.ndarray, total: float) -> np.ndarray:
    """Draws ``x`` with their undeclared part (``x - fixed``) clipped to ``[0, cap]`` and brought
    back to whole seats adding up to ``total`` (draws left unclipped are unchanged). ``total`` is
    the draws' own sum before the move: a move that does not add up to zero (possible once the
    room left to move is exhausted, late in the night) then cannot create or destroy seats.

    The seats a clip frees (or takes) go to (come from) the parties in proportion to their
    undeclared seats in the draw (a rescaling), but never past a party's bound; what that leaves
    goes in proportion to the room left. (Rescaling alone pushed the SNP to 54 in 14,113 of the
    20,000 draws after 551 declarations in 2019, where it could win 53 at most; a first fix that
    spread the seats by ``u (cap - u)`` kept the bounds but left 2019 a seat behind the exit poll
    at one step, at a seat sd of 0.5.)"""
    live = np.clip(x - fixed, 0.0, cap)
    n = total - float(fixed.sum())
    for spread in (True, False):
        short = n - live.sum(axis=1, keepdims=True)  # seats to give (< 0: to take)
        room = np.where(short > 0, cap - live, live)
        w = live if spread else room
        tot = w.sum(axis=1, keepdims=True)
        live = live + np.clip(np.divide(short * w, tot, out=np.zeros_like(live), where=tot > 0), -room, room)
    return (fixed + kernels.round_to_total(live, np.full(len(x), n))).astype(x.dtype)


def expected_seats(model, n: np.ndarray, idx) -> np.ndarray:
    """Expected seats of every party when the parties ``idx`` get national errors ``n``."""
    pr = model.prior
    theta = np.zeros((1, model.q + 1), np.float32)
    theta[0, model.state_index[idx]] = n
    live = ~pr.fixed
    p = kernels.win_probs(model.logw[live], theta, model.cols[live], model.vals[live],
                          gumbel_beta(pr.seat_scale))
    return np.nan_to_num(p[..., 0]).sum(axis=0) + np.bincount(
        np.argmax(pr.shares[pr.fixed], axis=1), minlength=len(pr.parties))


def _solve_seats(model, idx, target) -> np.ndarray:
    """National errors of the listed parties whose expected seats best match ``target``."""
    from scipy.optimize import least_squares

    def resid(n):
        return np.r_[expected_seats(model, n, idx)[idx] - target, 1.0 * (n - n.mean())]

    fit = least_squares(resid, np.zeros(len(idx)), jac="3-point", diff_step=1e-2)
    return fit.x - fit.x.mean()
