"""Per-party error of a replay by step, and the declarations that move the projection most.

    .venv/bin/python benchmarks/live_party_errors.py --elections 2017 2024     # every 25th step from 200
    .venv/bin/python benchmarks/live_party_errors.py --elections 2015 --from 270 --to 290 --every 1
    .venv/bin/python benchmarks/live_party_errors.py --elections 2015 --robust-nu 4   # a LiveModel option

For each step printed: the SAE of the projected GB totals (medians) and each party's median minus
the result, the seat declared at that step and its surprise (the largest absolute standardised
residual of its centred log-share surprise against the posterior before it, in seat sds of the
update, and the party), then the ``--jumps`` declarations from ``--from`` on after which the SAE
rose most. The replay is the one of the docs (the settings chosen without the election, 20,000
draws) unless LiveModel options are given.
"""

from __future__ import annotations

import argparse

import numpy as np

from seatcast.live import LiveModel
from seatcast.live.replay import REPLAYS, actual_declarations, actual_gb_totals, replay_model, score_step


def seat_surprise(model: LiveModel, i: int, votes: dict) -> tuple[float, str]:
    """Largest absolute standardised centred surprise of a declared seat against the current
    posterior mean (before learning from it), and the party that has it."""
    obs = model.seat_residuals(i, votes)
    if obs is None:
        return 0.0, "-"
    r, parties, sd = obs
    j = int(np.argmax(np.abs(r)))
    return float(r[j] / sd), parties[j]


def party_errors(election: str, start: int = 200, stop: int = 650, every: int = 25, jumps: int = 5,
                 draws: int = 20_000, **options) -> list[str]:
    model = replay_model(election, draws=draws)
    if options:
        model = LiveModel(model.prior, None, draws, expected=model.expected, spread=model.spread,
                          obs_scale=model.obs_scale, covariate_sd=model.covariate_sd, **options)
    pr, actual = model.prior, actual_gb_totals(election)
    named = [p for p in actual if actual[p] > 2]
    lines = [f"{election}: result " + " ".join(f"{p} {actual[p]}" for p in named),
             "step  SAE  " + " ".join(f"{p:>6s}" for p in named) + "  seat declared (surprise, sd)"]
    prev, rises = None, []
    for k, decl in enumerate(actual_declarations(election), 1):
        model.posterior()  # learn from the seats before this one
        z, party = seat_surprise(model, pr.seat_index(decl.ons_code), decl.votes)
        model.declare(decl)
        if k < start - 1 or k > stop:
            continue
        r = score_step(model.project(), actual)
        if prev is not None:
            rises.append((r["sae"] - prev, k, decl.constituency, z, party))
        prev = r["sae"]
        if k >= start and (k - start) % every == 0 or k == stop:
            errs = " ".join(f"{r.get(f'median:{p}', 0) - actual[p]:+6d}" for p in named)
            lines.append(f"{k:4d} {r['sae']:4d}  {errs}  {decl.constituency} ({party} {z:+.1f})")
    lines.append("largest rises of the SAE after one declaration:")
    for rise, k, name, z, party in sorted(rises, reverse=True)[:jumps]:
        lines.append(f"  step {k}: +{rise} {name} ({party} {z:+.1f} sd)")
    return lines


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--elections", nargs="+", default=["2015", "2017", "2024"], choices=REPLAYS)
    ap.add_argument("--from", dest="start", type=int, default=200)
    ap.add_argument("--to", dest="stop", type=int, default=650)
    ap.add_argument("--every", type=int, default=25)
    ap.add_argument("--jumps", type=int, default=5)
    ap.add_argument("--draws", type=int, default=20_000)
    ap.add_argument("--robust-nu", type=float, help="LiveModel(robust_nu=...)")
    args = ap.parse_args()
    opts = {} if args.robust_nu is None else {"robust_nu": args.robust_nu}
    for e in args.elections:
        print(*party_errors(e, args.start, args.stop, args.every, args.jumps, args.draws, **opts), sep="\n")
