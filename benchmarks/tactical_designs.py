"""Two squeeze designs measured for issue 10 and not shipped (``docs/accuracy.md``, tactical section).

Run: .venv/bin/python benchmarks/tactical_designs.py   (about 10 s; also part of ``docs/accuracy.md``, via
``benchmarks/accuracy_tables.py``)

* ``third``: the squeeze also acts where the government is third, towards the best-placed party of
  the other bloc among the top three (the seat is a fight between two opposition parties);
* ``reach r``: the squeeze acts only where the challenger has at least ``r`` times the government's
  share in the seat (the challenger's *viability*).

Both keep the area totals like the shipped ``tac``. For each held-out election the strength is chosen
on the other three (hindsight with true nation shares, most seats, ties: the smaller), as
``seatcast.backtest.tuning.choose_strength`` does; printed: the held-out election's seats called / SAE in
hindsight and in the deterministic eve-of-election projection.
"""

from __future__ import annotations

import numpy as np

from seatcast.backtest import forecast_backtest as fb
from seatcast.backtest.hindsight import actual_scenario, score
from seatcast.backtest.tuning import STRENGTH_GRID, choose_strength
from seatcast.elections import TRANSITIONS
from seatcast.swing.kernels import rake
from seatcast.swing.project import project
from seatcast.swing.tactical import LAM_MAX, RAKE_ROUNDS, TacticalModel


def squeeze_variant(s, fall, bloc, strength, top: int = 2, reach: float = 0.0):
    """:func:`seatcast.swing.tactical.squeeze` with the government among the top ``top`` and the
    challenger the highest other party of another bloc there, moving only where it has ``reach``
    times the government's share."""
    fall, bloc = np.broadcast_to(fall, s.shape), np.broadcast_to(bloc, s.shape)
    order = np.argsort(-s, axis=-1)[..., :top]
    is_t = np.take_along_axis(fall, order, -1) > 0
    tpos, cpos = np.argmax(is_t, -1)[..., None], np.argmax(~is_t, -1)[..., None]
    chal = np.take_along_axis(order, cpos, -1)[..., 0]
    tb, cb = (np.take_along_axis(np.take_along_axis(bloc, order, -1), p, -1)[..., 0] for p in (tpos, cpos))
    ts, cs = (np.take_along_axis(np.take_along_axis(s, order, -1), p, -1)[..., 0] for p in (tpos, cpos))
    ok = (is_t.sum(-1) == 1) & (cb >= 0) & (cs >= reach * ts) & ((top == 2) | (cb != tb))
    lam = np.minimum(LAM_MAX, strength * np.take_along_axis(fall, order, -1).max(-1)) * ok
    mover = (bloc == cb[..., None]) & (fall <= 0) & (np.arange(s.shape[-1]) != chal[..., None])
    moved = s * mover * lam[..., None]
    out = s - moved
    np.put_along_axis(out, chal[..., None], np.take_along_axis(out, chal[..., None], -1)
                      + moved.sum(-1, keepdims=True), -1)
    return out


class Variant(TacticalModel):
    def __init__(self, strength=None, top: int = 2, reach: float = 0.0):
        super().__init__(strength)
        self.top, self.reach = top, reach

    def _squeezed(self, out, fall):
        if self.strength_ <= 0:
            return out
        moved = squeeze_variant(out, fall * self.governing_, self.bloc_, self.strength_, self.top, self.reach)
        return rake(moved, np.matmul(self.matrix_, out), self.area_, self.matrix_, RAKE_ROUNDS)


def main() -> None:
    scen = {e: {"hindsight": actual_scenario(e, "nations"), "eve": fb.eve_scenario(e)} for e in TRANSITIONS}
    designs = {"shipped (government in the top two)": {}, "also where the government is third": {"top": 3},
               "challenger within reach (>= 0.75 x government)": {"reach": 0.75},
               "challenger within reach (>= 0.9 x government)": {"reach": 0.9}}
    print("### Squeeze designs not shipped (`benchmarks/tactical_designs.py`)\n")
    print("Both keep the totals; strengths chosen leave-one-election-out; cells: strength, hindsight seats / "
          "SAE, eve-of-election projection seats / SAE (no simulation).\n")
    print("| design | " + " | ".join(f"held out {e}" for e in TRANSITIONS) + " |")
    print("|---|" + "---|" * len(TRANSITIONS))
    for label, kw in designs.items():
        res = {(e, kind, k): score(project(scen[e][kind], b, Variant(k, **kw)), e, "nations", "tac")
               for e, b in TRANSITIONS.items() for kind in ("hindsight", "eve") for k in STRENGTH_GRID}
        table = {e: {k: res[e, "hindsight", k].seats_correct for k in STRENGTH_GRID} for e in TRANSITIONS}
        cells = []
        for e in TRANSITIONS:
            k = choose_strength(e, table)
            h, v = res[e, "hindsight", k], res[e, "eve", k]
            cells.append(f"{k:g}, {h.seats_correct} / {h.sae}, {v.seats_correct} / {v.sae}")
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
    print()


if __name__ == "__main__":
    main()
