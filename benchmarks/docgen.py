"""Figure tables of the docs and the README's example, as markdown (used by ``benchmarks/regen_docs.py``).

Each function returns one table (ending in a newline). The docs call them between cog markers::

    <!-- [[[cog import docgen; cog.out(docgen.polls_accuracy()) ]]] -->
    ...generated table...
    <!-- [[[end]]] -->

so ``python benchmarks/regen_docs.py`` rewrites the tables and ``--check`` fails when a committed
table differs from what the code gives today. The other generators: :mod:`accuracy_tables` (backtests,
hindsight, calibration, learned model), :mod:`candidates_tables` (candidates and incumbency) and
:mod:`live_replays` (election-night replays). Timing tables are not generated: they depend on the
machine and are written by the ``bench_*.py`` scripts (see docs/performance.md).
"""

from __future__ import annotations

import contextlib
import io


def md_table(header: list[str], rows: list[list], align: str | None = None) -> str:
    align = align or "|" + "---|" * len(header)
    lines = ["| " + " | ".join(header) + " |", align]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


# ---- the poll average on the eve of each election ------------------------------------------------

def _signed(v) -> str:
    return "–" if v != v else f"{v:+.1f}"


def _plain(v) -> str:
    return "–" if v != v else f"{v:.1f}"


def polls_accuracy() -> str:
    from seatcast.polls import accuracy_table

    tab = accuracy_table(correction=True)
    rows = []
    for (e, p), r in tab.iterrows():
        lead = "-" in p
        avg = _plain(r["aggregate"]) if lead else f"{r['aggregate']:.1f} ({r['low']:.1f}–{r['high']:.1f})"
        rows.append([e, f"**{p} lead**" if lead else p, _plain(r["actual"]), avg, _signed(r["error"]),
                     _plain(r["naive"]), _signed(r["naive_error"]), _plain(r["corrected"]),
                     _signed(r["corrected_error"])])
    return md_table(["election", "party", "actual", "average (90% band)", "error", "naive 7-day", "error",
                   "LOEO-corrected", "error"], rows, "|---|---|---:|---:|---:|---:|---:|---:|---:|")


def polls_summary() -> str:
    from seatcast.polls import accuracy_summary, accuracy_table

    tab = accuracy_table(correction=True)
    s = accuracy_summary(tab)
    n_rows = int((~tab.index.get_level_values("party").str.contains("-") & tab["naive_error"].notna()).sum())
    n_lead = int(tab.index.get_level_values("party").str.contains("-").sum())
    def fmt(what, col):
        return f"{s.at[what, col]:.2f}"

    rows = [[f"party shares ({n_rows} rows)", *(fmt("parties", c) for c in s.columns)],
            [f"lead ({n_lead} elections)", *(fmt("lead", c) for c in s.columns)]]
    return md_table(["", "average", "naive 7-day mean", "LOEO-corrected average"], rows,
                    "|---|---:|---:|---:|")


# ---- campaign analytics (docs/campaign.md) -------------------------------------------------------

def close_calls() -> str:
    """For each election: votes needed for the winner's majority, to deny it, to make it not largest."""
    from seatcast.campaign import close_call
    from seatcast.campaign.common import from_baseline
    from seatcast.elections import TRANSITIONS
    from seatcast.errors import SeatcastError
    from seatcast.parliament import MAJORITY

    def cell(e, goal, party, bold=False):
        try:
            sw = close_call(e, goal, party)
        except SeatcastError as exc:
            return "held" if "already" in str(exc) else str(exc).split(": ", 1)[-1]
        add = close_call(e, goal, party, mode="add")
        n = f"**{sw.votes:,}**" if bold else f"{sw.votes:,}"
        return f"{n} in {len(sw.seats)} seats" + (f" (add: {add.votes:,})" if bold else "")

    rows = []
    for e in TRANSITIONS:
        seats = from_baseline(e).seat_counts()
        win = max(seats, key=seats.get)
        has = seats[win] >= MAJORITY
        rows.append([e, f"{win} {seats[win]}" + ("" if has else " (hung)"),
                     "held" if has else cell(e, "majority", win, bold=True),
                     cell(e, "lose-majority", win, bold=True) if has else "already denied",
                     cell(e, "not-largest", win)])
    return md_table(["election", "winner", "for the winner's majority", "to deny it (`lose-majority`)",
                   "to make it not the largest party"], rows)


def close_call_seats(election: str = "2017", goal: str = "majority", party: str = "con") -> str:
    from seatcast.campaign import close_call
    from seatcast.campaign.common import from_baseline

    res = close_call(election, goal, party)
    fld = from_baseline(election)

    def margin(s):  # votes between the seat's winner and the party the switchers go to
        comp = fld.comp[fld.codes.get_loc(s["ons_code"])]
        return int(comp[fld.index(s["from"])] - comp[fld.index(s["to"])])

    rows = [[s["constituency"], s["from"], f"{margin(s):,}", f"{s['votes']:,}"] for s in res.seats]
    total = sum(margin(s) for s in res.seats)
    rows.append(["**total**", "", f"{total:,}", f"**{res.votes:,}**"])
    return md_table(["seat", "held by", "majority", "switchers"], rows, "|---|---|---:|---:|")




TACTICAL = {"baseline": "2017", "against": "con", "sources": ("lab", "ld", "green"), "model": "uns"}


def tactical_2019() -> str:
    """The 2019 eve-of-poll tactical example of docs/campaign.md section 3
    (`seatcast tactical --baseline 2017 --polls 2019-12-11 --against con --from lab,ld,green --model uns`)."""
    from seatcast.campaign import tactical
    from seatcast.errors import InfeasibleError
    from seatcast.polls import scenario_from_polls

    scen = scenario_from_polls("2019-12-11")
    run = dict(TACTICAL, exclude="2019")
    try:
        tactical(scen, max_share=0.3, draws=0, **run)
        capped = "feasible"
    except InfeasibleError as exc:
        capped = str(exc).split(": ", 1)[-1].replace("infeasible: ", "")
    plan = tactical(scen, max_share=0.6, draws=2000, seed=1, **run)
    free = tactical(scen, max_share=1.0, draws=0, **run)
    cheapest = "; ".join(f"{s['constituency']} {s['switchers']:,} ({', '.join(s['by_party'])} to {s['to']})"
                         for s in sorted(plan.seats, key=lambda s: s["switchers"])[:5])
    rob = plan.robustness
    gb = ", ".join(f"{p} {v:.1f}" for p, v in sorted(scen.gb.items(), key=lambda kv: -kv[1])[:5])
    rows = [["poll average as of 2019-12-11 (GB)", gb],
            ["projection (2017 baseline, uns)", f"con {plan.seats_before['con']} seats"],
            ["`--max-share 0.3`", capped],
            ["`--max-share 0.6`", f"**{plan.total:,} switchers in {len(plan.seats)} seats**: con "
                                  f"{plan.seats_before['con']} → {plan.seats_after['con']}"],
            ["cheapest seats at 0.6", cheapest],
            ["no cap (`--max-share 1`)", f"{free.total:,} switchers in {len(free.seats)} seats"],
            ["robustness at 0.6 (`--draws 2000 --seed 1`)",
             f"goal reached in **{rob['success_with_plan']:.1%}** of draws with the plan, "
             f"{rob['success_without_plan']:.1%} without"]]
    return md_table(["", "result"], rows)


def pacts_2019_eve() -> str:
    """Pacts on the 2019 eve-of-poll projection from 2017 (uniform swing), docs/campaign.md section 4."""
    from seatcast.campaign import pact
    from seatcast.polls import scenario_from_polls

    scen = scenario_from_polls("2019-12-11")
    brexit = {"party": "brexit", "transfer": "con=0.6,lab=0.15,other=0.25"}
    cases = [("Brexit Party stands down where the Conservatives won in 2017 (`--seats held-by:con`)",
              dict(brexit, seats="held-by:con")),
             ("... and everywhere (`--seats all`)", dict(brexit, seats="all")),
             ("Unite to Remain, 70% of partners' votes transfer (`--preset unite-to-remain --rate 0.7`)",
              {"preset": "unite-to-remain", "rate": 0.7})]
    rows = []
    for label, kw in cases:
        res = pact(baseline="2017", scenario=scen, model="uns", **kw)
        flips = ", ".join(f"{f['constituency']} ({f['from']} → {f['to']})" for f in res.flips) or "none"
        rows.append([label, f"{res.verdict_before} → **{res.verdict_after}**; seats changing hands: {flips}"])
    return md_table(["pact", "result"], rows)


def portfolio_latest() -> str:
    """`seatcast portfolio --party lab --budget 80 --seed 1 --model uns [--objective majority]` on the
    latest bundled polls, docs/campaign.md section 6."""
    from seatcast.campaign import portfolio
    from seatcast.polls import scenario_from_polls

    scen = scenario_from_polls("latest")
    runs = {obj: portfolio("lab", 80, scen, "2024", "uns", objective=obj, draws=1000, seed=1).summary
            for obj in ("expected", "majority")}
    gb = ", ".join(f"{p} {v:.1f}" for p, v in sorted(scen.gb.items(), key=lambda kv: -kv[1])[:3])

    def cell(s):
        return f"{s['expected_seats']:.1f} seats, P(majority) {s['p_majority']:.1%}"

    rows = [["latest poll average (GB)", gb],
            ["no targeting", cell(runs["expected"]["none"])],
            ["naive smallest-majority-first list", cell(runs["expected"]["naive_smallest_majority"])],
            ["expected-seats portfolio", f"**{cell(runs['expected']['optimised'])}**"],
            ["P(majority) portfolio (`--objective majority`)", f"**{cell(runs['majority']['optimised'])}**"]]
    return md_table(["Labour, 80 target seats (2024 baseline, uns, 1,000 draws)", "result"], rows)


TURNOUT = [('2019 "complacency": 10% of Conservative voters stay home', "2019", "con", ()),
           ("2024: 10% of Labour voters stay home", "2024", "lab", ()),
           ("2019: Labour turnout ×0.9 in London only", "2019", "lab", ("London",))]


def turnout() -> str:
    """Differential turnout on the baseline results (`seatcast turnout --factor 0.9`), docs/campaign.md."""
    from seatcast.campaign import turnout as run

    rows = []
    for label, base, party, regions in TURNOUT:
        r = run(party, 0.9, baseline=base, regions=regions)
        flag = f"--baseline {base} --party {party} --factor 0.9" + "".join(f" --region {a}" for a in regions)
        names = ", ".join(f["constituency"] for f in r.flips)
        seats = f"{r.changes.get(party, 0):+d} {party} seats" + (f": {names}" if len(r.flips) <= 3 else "")
        rows.append([f"{label} (`{flag}`)", f"{r.verdict_before} → **{r.verdict_after}** ({seats}); GB share "
                     f"{r.gb_share_before[party]:.1f} → {r.gb_share_after[party]:.1f}"])
    return md_table(["scenario", "result"], rows)

# ---- the README's Python example (a doctest: tests/test_docs.py) --------------------------------

README_EXAMPLE = [
    "import seatcast",
    "from seatcast import data, present",
    'p = seatcast.project(seatcast.scenario({"con": 43, "lab": 36, "ld": 12, "brexit": 3, "green": 2}),\n'
    '                     baseline="2017", model="stm")',
    "p.parliament.verdict",
    '{party: p.parliament.seats[party] for party in ("con", "lab", "ld", "snp")}',
    "len(p.seat_table())          # one row per seat, keyed by ONS code",
    "doc = present.projection_doc(p)  # the JSON document of `seatcast project --json` and the web API",
    "sorted(doc)",
    'len(data.results("2019"))    # candidate-level results',
]


def readme_example() -> str:
    """The README's example as a doctest block: each statement run as the interactive prompt would."""
    ns: dict = {}
    out = ["```python"]
    for src in README_EXAMPLE:
        first, *rest = src.split("\n")
        out += [">>> " + first, *("... " + line for line in rest)]
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(src, "<README>", "single"), ns)  # noqa: S102 - our own example code
        out += buf.getvalue().splitlines()
    return "\n".join(out) + "\n\n```\n"
