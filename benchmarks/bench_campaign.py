"""Time the campaign integer programs: close-call and tactical (650 seats), portfolio (100 seats).

Run: .venv/bin/python benchmarks/bench_campaign.py
Prints the median wall time of the whole library call (cost matrix + integer program +
result) and of the integer program alone (``seatcast.campaign.ip.solve``), and checks
HiGHS proved optimality (``mip_rel_gap=0``; ``milp`` status 0).
"""

from __future__ import annotations

from _timing import median_time

from seatcast.campaign import close_call, closecall, common, goals, ip, portfolio, tactical
from seatcast.polls import scenario_from_polls
from seatcast.swing import scenario


def ip_only(election, kind, party):
    fld = common.from_baseline(election)
    g = goals.make_goal(kind, party)
    cost = closecall.cost_matrix(fld)
    fixed = fld.winners == "speaker"
    alts = goals.alternatives(g, fld.parties, len(fld.codes), int(fixed.sum()))
    return lambda: ip.solve(cost, fld.winner_idx, fixed, alts, "bench")


def main() -> None:
    print("close-call (switch mode), 650 seats:")
    for election, party in (("2015", "con"), ("2017", "con"), ("2019", "con"), ("2024", "lab")):
        for kind in ("majority", "lose-majority", "not-largest"):
            try:
                close_call(election, kind, party)
            except Exception as exc:  # noqa: BLE001 - e.g. majority already held: still timed below
                print(f"  {election} {kind} {party}: {exc}")
                continue
            total = median_time(lambda e=election, k=kind, p=party: close_call(e, k, p), 7)
            solve = median_time(ip_only(election, kind, party), 7)
            res = close_call(election, kind, party)
            print(f"  {election} {kind:13s} {party}: {res.votes:>7,} votes in {len(res.seats):>3} seats;"
                  f" call {1000 * total:6.1f} ms, IP {1000 * solve:6.1f} ms")
    scen = scenario_from_polls("2019-12-11")
    print("tactical (2017 baseline, polls as of 2019-12-11, against con, from lab,ld,green):")
    for cap in (0.6, 1.0):
        t = median_time(lambda c=cap: tactical(scen, "2017", "con", "lab,ld,green", c), 7)
        plan = tactical(scen, "2017", "con", "lab,ld,green", cap)
        print(f"  max-share {cap}: {plan.total:,} switchers in {len(plan.seats)} seats; "
              f"call {1000 * t:.1f} ms")
    t = median_time(lambda: _infeasible(scen), 5)
    print(f"  max-share 0.3 (infeasible, incl. bisection for the smallest cap): {1000 * t:.1f} ms")
    scen24 = scenario({"lab": 36, "con": 30, "reform": 14, "ld": 11, "green": 6})
    portfolio("lab", 80, scen24, "2024", objective="majority", draws=1000, seed=1)  # warm caches
    for objective in ("expected", "majority"):
        t = median_time(lambda o=objective: portfolio("lab", 80, scen24, "2024", objective=o, draws=1000,
                                                        seed=1, candidates=100), 3)
        print(f"portfolio lab budget 80 of 100 candidate seats, {objective}, 1000 draws: {t:.2f} s")


def _infeasible(scen):
    try:
        tactical(scen, "2017", "con", "lab,ld,green", 0.3)
    except Exception:  # noqa: BLE001
        pass


if __name__ == "__main__":
    main()
