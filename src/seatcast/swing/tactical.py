"""Tactical consolidation: the transition model plus an anti-government squeeze (model ``tac``).

Seat by seat, voters of parties that cannot win there move towards the best-placed challenger
to the party they want out. Here:

* the party voters want out (*target*) is the government: the party with most GB seats at the
  baseline election (Conservative after 2010-2019; Labour after 2024), known before polling day;
* the *anti* bloc is the target's opponents across the left/right divide (:data:`BLOCS`): against
  a right-bloc government (Con, UKIP/Brexit/Reform) the left/centre parties (Lab, LD, Green,
  SNP, Plaid), and vice versa. Independents, the Speaker and ``other`` never move and never
  receive votes (their personal vote is handled by the candidate step);
* in a seat where the target is first or second after the swing model, the *challenger* is the
  anti-bloc party best placed to beat it: the highest anti-bloc party in the projected shares;
* a fraction ``lam`` of every other anti-bloc party's vote in that seat moves to the challenger.

Strength follows a national condition known before polling day: how far the government has
fallen since the baseline election in the targets of the seat's area,
``lam = min(LAM_MAX, strength * max(0, N_target - N'_target))`` (shares as fractions; other
functional forms of the fall, :data:`FORMS`, are compared in ``docs/accuracy.md``). With no
fall there is no tactical step, so **zero swing changes no winner**. A vote moved stays a vote
(rows still sum to one, shares stay in [0, 1]).

**The squeeze keeps the area totals** (``preserve=True``, the default): the targets are poll
shares, and a poll already counts the tactical voter under the party they will vote for, so
the squeeze may move *where* a party's votes are, not *how many* there are. After the squeeze,
each party's vote is rescaled in every seat of the area until the area totals equal the
transition model's again (iterative proportional fitting, Deming and Stephan, *Ann. Math.
Stat.* 11, 1940: :func:`seatcast.swing.kernels.rake`). Without it, the 2024 squeeze added two to
three points to Labour in England beyond the true shares at the strengths that did best
(``docs/accuracy.md``).

Opt-in options, off by default (measured in ``docs/hindsight.md``): the squeeze only in seats the
government holds (``where="held"``); the Leave tilt of radical-right gains (``leave_tilt``,
:func:`leave_tilt`); and its return branch for radical-right falls (``leave_return``,
:func:`leave_return`).

``strength`` is chosen leave-one-election-out (:data:`STRENGTH_BY_BASELINE`): a projection from
baseline ``B`` uses the value chosen on every hindsight pair except the one that starts from
``B``. The choosing runs hindsight projections, so it lives above this package, in
:func:`seatcast.backtest.tuning.strength_table` (``tests/test_tactical.py`` checks the stored table).
"""

from __future__ import annotations

import numpy as np

from seatcast import parties
from seatcast.errors import SeatcastError
from seatcast.swing import kernels
from seatcast.swing.models import TransitionModel, register

#: Party blocs per nation (families): left/right in England and Wales; in Scotland the
#: constitutional divide (the Scottish Greens back independence).
_LEFT_RIGHT = {"right": ("con", "ukip", "brexit", "reform"), "left": ("lab", "ld", "green", "pc")}
BLOCS = {"England": _LEFT_RIGHT, "Wales": _LEFT_RIGHT,
         "Scotland": {"unionist": ("con", "lab", "ld", "ukip", "brexit", "reform"),
                      "nationalist": ("snp", "green")}}
LAM_MAX = 0.9
#: Functional forms of the condition: the intensity ``g`` in ``lam = min(LAM_MAX, strength * g)``
#: from the government's fall ``f`` and its baseline share ``n`` in the area (fractions). Each
#: is scaled to equal ``linear`` at a 15-point fall from 40%, so that one strength grid serves all;
#: ``linear`` is the default (the form chosen leave-one-election-out is compared in the docs).
FORMS = {
    "linear": lambda f, n: f,
    "square": lambda f, n: f * f / 0.15,
    "relative": lambda f, n: 0.4 * np.divide(f, n, out=np.zeros_like(f), where=n > 0),
    "relative_square": lambda f, n: (0.4 ** 2 / 0.15) * np.divide(f, n, out=np.zeros_like(f),
                                                                  where=n > 0) ** 2,
    "threshold": lambda f, n: 3.0 * np.clip(f - 0.10, 0.0, None),
}
#: Where the squeeze acts (``where``): ``top2``, every seat whose projected top two are the government and
#: a challenger (the default); ``held``, only those of them the government *won at the baseline*: voters
#: squeeze to unseat a governing party's MP, not to pile up votes where its opponent already holds the
#: seat (Cox, *Making Votes Count*, 1997, ch. 4: strategic voting needs a seat the voter wants to change).
WHERE = ("top2", "held")
#: Family of the radical-right parties whose area gain the Leave tilt (``leave_tilt``) places.
RADICAL_RIGHT = "ukip-brexit-reform"
#: Who trades places by the Leave share when the radical right *falls* (``leave_return``): its
#: right-bloc neighbour (:data:`BLOCS`, England and Wales) gains from the left/centre and nationalist
#: parties. Families (:mod:`seatcast.parties`).
RETURN_TO = ("con",)
RETURN_FROM = ("lab", "ld", "green", "pc", "snp")
#: Rounds of proportional fitting (:func:`seatcast.swing.kernels.rake`): on the 2024 projections
#: the area totals then match to 1e-5, and the strength table is the same with 8 rounds (with 3
#: rounds, 1e-4, one hindsight cell moves by a seat and changes a leave-one-out choice).
RAKE_ROUNDS = 5
#: Governing parties after each baseline election (Con-LD coalition 2010-15; Con 2015-24,
#: with DUP confidence and supply 2017-19, not a governing party; Labour from 2024).
GOVERNMENT = {"2010": ("con", "ld"), "2015": ("con",), "2017": ("con",), "2019": ("con",),
              "2019n": ("con",), "2024": ("lab",)}
#: Devolved governments in every baseline year: SNP in Scotland since 2007, Labour-led in
#: Wales since 1999.
DEVOLVED = {"Scotland": "snp", "Wales": "lab"}
#: Strength per baseline, chosen leave-one-election-out on the hindsight pairs 2010 -> 2015,
#: 2015 -> 2017, 2017 -> 2019 and 2019n -> 2024 (most GB seats called right with true nation
#: shares; ties: the smaller) by :func:`seatcast.backtest.tuning.strength_table`, for the
#: default squeeze (linear form, area totals kept).
STRENGTH_BY_BASELINE = {"2010": 1.5, "2015": 1.5, "2017": 1.5, "2019": 1.25, "2019n": 1.25,
                        "2024": 1.5}


def squeeze(shares: np.ndarray, fall: np.ndarray, bloc: np.ndarray, strength: float,
            rank: np.ndarray | None = None, only: np.ndarray | None = None) -> np.ndarray:
    """The tactical step on ``(..., seat, party)`` shares (rules in the module docstring).

    ``fall`` (..., seat, party): how far each party voters may want out (a governing party)
    has fallen in the seat's area since the baseline, as a fraction, 0 for every other party;
    ``bloc`` (seat, party) int: each party's bloc in the seat's nation, -1 for parties that never
    move (independents, the Speaker, ``other``, NI parties). Where the top two of a seat are one
    party ``T`` with ``fall > 0`` and one party ``C`` of a bloc without, the share
    ``min(LAM_MAX, strength * fall_T)`` of the vote of every other such party of ``C``'s bloc
    moves to ``C``. ``only`` (seat,) bool: squeeze only in these seats (``where="held"``: the seats
    a governing party won at the baseline).
    """
    s = np.asarray(shares, float)
    fall = np.broadcast_to(fall, s.shape)
    bloc = np.broadcast_to(bloc, s.shape)
    first = np.argmax(s, axis=-1)
    idx = np.arange(s.shape[-1])
    second = np.argmax(np.where(idx == first[..., None], -1.0, s), axis=-1)
    top = np.stack([first, second], axis=-1)
    f2 = np.take_along_axis(fall, top, axis=-1)
    b2 = np.take_along_axis(bloc, top, axis=-1)
    is_t = f2 > 0
    ok = (is_t[..., 0] ^ is_t[..., 1])
    k = np.where(is_t[..., 0], 1, 0)  # the non-target slot in the top two
    chal = np.take_along_axis(top, k[..., None], axis=-1)[..., 0]
    cb = np.take_along_axis(b2, k[..., None], axis=-1)[..., 0]
    ok &= cb >= 0
    if only is not None:
        ok &= only
    if rank is not None:  # the bloc's best-placed party by ``rank`` (e.g. the baseline result)
        r = np.where((bloc == cb[..., None]) & (fall <= 0), np.broadcast_to(rank, s.shape), -1.0)
        chal = np.where(ok, np.argmax(r, axis=-1), chal)
    lam = np.minimum(LAM_MAX, strength * f2.max(axis=-1)) * ok
    mover = (bloc == cb[..., None]) & (fall <= 0) & (idx != chal[..., None])
    moved = s * mover * lam[..., None]
    out = s - moved
    gain = np.take_along_axis(out, chal[..., None], axis=-1) + moved.sum(-1, keepdims=True)
    np.put_along_axis(out, chal[..., None], gain, axis=-1)
    return out


def leave_tilt(shares: np.ndarray, gain: np.ndarray, lean: np.ndarray, rr: np.ndarray,
               loser: np.ndarray, tilt: float, floor: np.ndarray | float = 0.0) -> np.ndarray:
    """Place a radical-right gain by Euroscepticism: ``(..., seat, party)`` shares in which the
    declining parties (``loser``, (..., seat, party) bool: the parties that fell in the seat's area)
    lose ``tilt * gain * lean`` more to the radical-right family (``rr``, (party,) bool) in each seat,
    in proportion to their shares there; negative where the seat is less Eurosceptic than average.

    ``gain`` (..., seat): the family's gain in the seat's area since the baseline (fraction, >= 0);
    ``lean`` (seat,): the seat's estimated 2016 Leave share standardised over GB seats (Hanretty 2017),
    0 where unknown. The move is bounded by what the losers have and by what the family has above
    ``floor`` ((..., seat): its baseline share, so a Remain seat can lose the family's gain there but not
    its earlier vote); a vote moved stays a vote, rows still sum to one. With no gain nothing moves, so
    zero swing changes no winner. The caller rakes the result back to the area totals. Rationale: UKIP's
    2015 and Reform's 2024 gains came mostly from Leave-voting Conservatives (the hindsight tables of
    ``benchmarks/hindsight_2024_errors.py``: the 2024 transition model under-states Reform's gain and
    the Conservative fall by 3-4 points in the seats over 65% Leave)."""
    rr_cols = rr & (shares > 0)
    have = (shares * rr_cols).sum(-1)
    pool = (shares * loser).sum(-1)
    up = np.clip(tilt * gain * lean, -np.clip(have - floor, 0.0, None), pool)
    take = np.divide(up, pool, out=np.zeros_like(up), where=pool > 0)[..., None] * shares * loser
    give = np.divide(up, have, out=np.zeros_like(up), where=have > 0)[..., None] * shares * rr_cols
    return shares - take + give


def leave_return(shares: np.ndarray, loss: np.ndarray, lean: np.ndarray, to: np.ndarray,
                 source: np.ndarray, tilt: float) -> np.ndarray:
    """The Leave tilt of a radical-right *fall*: ``(..., seat, party)`` shares in which the gaining
    right-bloc parties (``to``, (..., seat, party) bool) take ``tilt * loss * lean`` from the
    left/centre and nationalist parties (``source``, (party,) bool) in each seat, in proportion to
    their shares on each side; negative (back the other way) where the seat is less Eurosceptic
    than average.

    ``loss`` (..., seat): the radical-right family's fall in the seat's area since the baseline
    (fraction, >= 0); ``lean`` (seat,): standardised 2016 Leave share as in :func:`leave_tilt`, whose
    ``tilt`` it shares: one exchange rate of Euroscepticism per point of radical-right movement, up or
    down. The move is bounded by what each side has; a vote moved stays a vote, rows still sum to
    one; with no fall nothing moves, so zero swing changes no winner. The caller rakes the result
    back to the area totals. Rationale: UKIP's 2017 collapse (12 points in England) went with a
    Conservative gain, and a Labour loss, in Leave seats beyond what the transition model places
    where UKIP's own vote was (``benchmarks/hindsight_2017.py``: the 2017 hindsight residuals of Con
    and Lab move by about +3.6 and -3.3 points per standard deviation of the Leave share; 0.3 x 12
    points = 3.6)."""
    have = (shares * to).sum(-1)
    pool = (shares * source).sum(-1)
    up = np.clip(tilt * loss * lean, -have, np.where(have > 0, pool, 0.0))  # no gainer standing: no move
    take = np.divide(up, pool, out=np.zeros_like(up), where=pool > 0)[..., None] * shares * source
    give = np.divide(up, have, out=np.zeros_like(up), where=have > 0)[..., None] * shares * to
    return shares - take + give


def bloc_table(codes, nations) -> np.ndarray:
    """(seat, party) bloc number of each party in each seat's nation; -1: never moves."""
    out = np.full((len(nations), len(codes)), -1, int)
    for nation in np.unique(nations):
        blocs = BLOCS.get(str(nation), {})
        row = [-1] * len(codes)
        for j, c in enumerate(codes):
            fam = parties.REGISTRY[c].family if c in parties.REGISTRY else None
            for k, members in enumerate(blocs.values()):
                if any(parties.REGISTRY[m].family == fam for m in members):
                    row[j] = k
        out[nations == nation] = row
    return out


def governing(base) -> np.ndarray:
    """(seat, party) True for the parties governing each seat after the baseline election:
    the UK government (:data:`GOVERNMENT`) and the devolved one (:data:`DEVOLVED`)."""
    codes = list(base.parties)
    nations = base.seats["country"].to_numpy()
    out = np.zeros((len(nations), len(codes)), bool)
    for j, c in enumerate(codes):
        out[:, j] = c in GOVERNMENT.get(base.election, ())
        for nation, party in DEVOLVED.items():
            out[:, j] |= (nations == nation) & (c == party)
    return out & np.isin(nations, parties.GB)[:, None]


@register
class TacticalModel(TransitionModel):
    """Transition model, then the anti-government squeeze (rules in the module docstring).

    ``strength=None`` takes the leave-one-election-out value for the baseline from
    :data:`STRENGTH_BY_BASELINE`.
    """

    name = "tac"

    def __init__(self, strength: float | None = None, challenger: str = "projected",
                 preserve: bool = True, form: str = "linear", where: str = "top2",
                 leave_tilt: float = 0.0, leave_return: bool = False):
        self.strength = strength
        self.challenger = challenger
        self.preserve = preserve
        self.form = form
        self.where = where
        self.leave_tilt = leave_tilt
        self.leave_return = leave_return

    def fit(self, shares, area, weights, baseline=None, **context):
        if self.form not in FORMS:
            raise SeatcastError("form", f"unknown squeeze form {self.form!r}", FORMS)
        if self.where not in WHERE:
            raise SeatcastError("where", f"unknown squeeze seats {self.where!r}", WHERE)
        super().fit(shares, area, weights)
        if baseline is None:
            self.governing_ = np.zeros(self.shares_.shape, bool)
            self.bloc_ = np.full(self.shares_.shape, -1)
        else:
            self.governing_ = governing(baseline)
            self.bloc_ = bloc_table(list(baseline.parties), baseline.seats["country"].to_numpy())
        key = baseline.election if baseline is not None else ""
        self.strength_ = (self.strength if self.strength is not None
                          else STRENGTH_BY_BASELINE.get(key, 0.0))
        self.matrix_ = kernels.area_matrix(self.area_, self.weights_)
        rows = np.arange(len(self.shares_))
        self.held_ = self.governing_[rows, self.shares_.argmax(axis=1)]
        self.lean_, self.rr_ = _lean(baseline if self.leave_tilt else None, self.shares_.shape)
        self.rr_base_, self.to_, self.from_ = _return_sides(baseline if self.leave_return else None, self)
        return self

    def predict(self, new):
        return self.predict_stages(new)["tactical"]

    def predict_areas(self, area_new):
        out = kernels.transition_areas(self.shares_, self.area_old_, area_new, self.area_)
        change = np.take(self.area_old_ - area_new, self.area_, axis=-2)
        return self._squeezed(self._tilted(out, -change), np.clip(change, 0.0, None))

    def predict_stages(self, new) -> dict[str, np.ndarray]:
        """``{"model": transition-model shares (Leave tilt included), "tactical": after the squeeze}``
        (for seat cards)."""
        out = self._tilted(kernels.transition(self.shares_, self.old_, new), new - self.old_)
        return {"model": out, "tactical": self._squeezed(out, np.clip(self.old_ - new, 0.0, None))}

    def _tilted(self, out, change):
        """The Leave tilt (:func:`leave_tilt`) of transition shares ``out``, raked back to their area
        totals; ``change`` (..., seat, party): each party's area change since the baseline."""
        if self.leave_tilt == 0 or not self.rr_.any():
            return out
        gain = np.clip((change * self.rr_).sum(axis=-1), 0.0, None)
        moved = leave_tilt(out, gain, self.lean_, self.rr_, (change < 0) & ~self.rr_, self.leave_tilt,
                           (self.shares_ * self.rr_).sum(axis=-1))
        if self.leave_return:
            loss = np.clip(self.rr_base_ - ((self.old_ + change) * self.rr_).sum(axis=-1), 0.0, None)
            moved = leave_return(moved, loss, self.lean_, self.to_ & (change > 0), self.from_,
                                 self.leave_tilt)
        return kernels.rake(moved, np.matmul(self.matrix_, out), self.area_, self.matrix_, RAKE_ROUNDS)

    def _squeezed(self, out, fall):
        """The squeeze of model shares ``out`` given each party's fall in the seat's area."""
        if self.strength_ <= 0 or not self.governing_.any():
            return out
        rank = self.shares_ if self.challenger == "baseline" else None
        base = np.take(self.area_old_, self.area_, axis=-2)
        intensity = FORMS[self.form](fall * self.governing_, base)
        only = self.held_ if self.where == "held" else None
        moved = squeeze(out, intensity, self.bloc_, self.strength_, rank, only)
        if not self.preserve:
            return moved
        return kernels.rake(moved, np.matmul(self.matrix_, out), self.area_, self.matrix_, RAKE_ROUNDS)


def _return_sides(baseline, model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For :func:`leave_return`: (seat,) the radical-right family's share of the seat's area in the
    baseline *result* (before the geography prior, which gives a new family member such as the
    Brexit Party in 2019 a share it never had), and (party,) masks of :data:`RETURN_TO` and
    :data:`RETURN_FROM`; zeros without a baseline."""
    n_party = model.shares_.shape[1]
    if baseline is None:
        return np.zeros(len(model.shares_)), np.zeros(n_party, bool), np.zeros(n_party, bool)
    fam = [parties.REGISTRY[c].family if c in parties.REGISTRY else None for c in baseline.parties]
    rr = np.asarray(baseline.shares, float)[:, model.rr_].sum(axis=1)
    base = kernels.area_mean(rr[:, None], model.area_, model.weights_)[:, 0]
    return base, np.isin(fam, RETURN_TO), np.isin(fam, RETURN_FROM)


def _lean(baseline, shape) -> tuple[np.ndarray, np.ndarray]:
    """(seat,) standardised Leave share of GB seats (0 elsewhere or without a baseline) and (party,)
    mask of the radical-right family, for :func:`leave_tilt` (no baseline: the tilt is off)."""
    if baseline is None:
        return np.zeros(shape[0]), np.zeros(shape[1], bool)
    from seatcast.data.history import covariate_zscores

    gb = np.isin(baseline.seats["country"].to_numpy(), parties.GB)
    lean = covariate_zscores(baseline.election, baseline.codes, gb, ("leave",))["leave"]
    rr = np.array([c in parties.REGISTRY and parties.REGISTRY[c].family == RADICAL_RIGHT
                   for c in baseline.parties])
    return lean, rr
