"""Two model changes for the hindsight goal of issue 10, measured leave-one-election-out.

Run: .venv/bin/python benchmarks/hindsight_designs.py   (about a minute; also part of ``docs/accuracy.md``,
via ``benchmarks/accuracy_tables.py``)

Both are options of the ``tac`` model (:class:`seatcast.swing.tactical.TacticalModel`), off by default:

* ``where="held"``: the tactical squeeze acts only in the seats a governing party won at the baseline
  (voters squeeze to unseat the government's MP), not wherever the government is in the projected top
  two; strength chosen as the shipped one is (most hindsight seats on the other pairs; ties: smaller);
* ``leave_tilt``: the declining parties lose ``tilt * gain * z(Leave)`` more to the radical-right family
  in each seat (:func:`seatcast.swing.tactical.leave_tilt`). It is a vote-placement parameter, so it is
  chosen on vote shares: the tilt of :data:`TILTS` with the lowest summed seat-share RMSE of the other
  pairs' hindsight (strength 0; ties: smaller), then the strength on seats as above.

For each held-out election the printed cells are: the chosen (tilt,) strength; the held-out election's
hindsight with true nation shares (GB seats called / SAE); the deterministic projection of the
eve-of-election poll average (seats / SAE, no simulation, as the squeeze variants table). Caveat: the
Leave estimates are of June 2016, after the 2015 election; 2015 is the only pair where the tilt matters
in hindsight besides 2024.
"""

from __future__ import annotations

from seatcast.backtest import forecast_backtest as fb
from seatcast.backtest.hindsight import actual_scenario, score
from seatcast.backtest.tuning import STRENGTH_GRID, choose_strength
from seatcast.elections import TRANSITIONS
from seatcast.swing.project import prepare_projection, projection_from
from seatcast.swing.tactical import TacticalModel

TILTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75)
DESIGNS = {"tm (default model)": {"strengths": (0.0,)},
           "tac (shipped squeeze)": {},
           "tac, squeeze only in government-held seats": {"where": "held"},
           "tm + Leave tilt": {"strengths": (0.0,), "tilt": True},
           "tac + Leave tilt": {"tilt": True},
           "tac, government-held seats + Leave tilt": {"where": "held", "tilt": True}}


def run(scen, e, b, k, where, tilt):
    model = TacticalModel(k, where=where, leave_tilt=tilt)
    s = score(projection_from(scen, prepare_projection(scen, b, model)), e, "nations", "tac")
    return s.seats_correct, s.sae, s.rmse


def grid_scores(scen, where, tilts, strengths) -> dict:
    """(election, kind, tilt, strength) -> (seats, SAE, RMSE)."""
    return {(e, kind, t, k): run(scen[e][kind], e, b, k, where, t)
            for e, b in TRANSITIONS.items() for kind in ("hindsight", "eve")
            for t in tilts for k in strengths}


def choose_tilt(res, exclude, tilts) -> float:
    """The tilt with the lowest summed hindsight seat-share RMSE (strength 0) of every pair but
    ``exclude`` (ties: the smaller)."""
    total = {t: round(sum(res[e, "hindsight", t, 0.0][2] for e in TRANSITIONS if e != exclude), 4)
             for t in tilts}
    return min(t for t in tilts if total[t] == min(total.values()))


def loo(res, tilts, strengths) -> dict:
    """Held-out election -> (tilt, strength, hindsight (seats, SAE), eve (seats, SAE))."""
    out = {}
    for e in TRANSITIONS:
        t = choose_tilt(res, e, tilts)
        table = {x: {k: res[x, "hindsight", t, k][0] for k in strengths} for x in TRANSITIONS}
        k = choose_strength(e, table)
        out[e] = (t, k, res[e, "hindsight", t, k][:2], res[e, "eve", t, k][:2])
    return out


def main() -> None:
    scen = {e: {"hindsight": actual_scenario(e, "nations"), "eve": fb.eve_scenario(e)} for e in TRANSITIONS}
    print("### Hindsight designs (`benchmarks/hindsight_designs.py`)\n")
    print("Parameters chosen leave-one-election-out; cells: tilt, strength; hindsight with true nation "
          "shares, GB seats called / SAE; eve-of-election projection, seats / SAE (no simulation). "
          "Totals: hindsight seats, eve SAE.\n")
    print("| design | " + " | ".join(f"held out {e}" for e in TRANSITIONS) + " | total |")
    print("|---|" + "---|" * (len(TRANSITIONS) + 1))
    for label, d in DESIGNS.items():
        tilts = TILTS if d.get("tilt") else (0.0,)
        strengths = d.get("strengths", STRENGTH_GRID)
        res = grid_scores(scen, d.get("where", "top2"), tilts, strengths)
        got = loo(res, tilts, strengths)
        cells = [f"{t:g}, {k:g}; {h[0]} / {h[1]}; {v[0]} / {v[1]}" for t, k, h, v in got.values()]
        total = f"{sum(g[2][0] for g in got.values())}; eve SAE {sum(g[3][1] for g in got.values())}"
        print(f"| {label} | " + " | ".join(cells) + f" | {total} |", flush=True)
    print()


def markdown() -> str:
    """The printed tables as one string (for the cog block of ``docs/hindsight.md``)."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        main()
    return buf.getvalue()


if __name__ == "__main__":
    main()
