"""Every deterministic figure table of the docs, as markdown (used by ``benchmarks/regen_docs.py``).

Each function returns one table (ending in a newline). The docs call them between cog markers::

    <!-- [[[cog import docgen; cog.out(docgen.hindsight("gb")) ]]] -->
    ...generated table...
    <!-- [[[end]]] -->

so ``python benchmarks/regen_docs.py`` rewrites the tables and ``--check`` fails when a committed
table differs from what the code gives today. Timing tables are not here: they depend on the
machine and are written by the ``bench_*.py`` scripts (see docs/performance.md).
"""

from __future__ import annotations

from functools import cache


def _table(header: list[str], rows: list[list], align: str | None = None) -> str:
    align = align or "|" + "---|" * len(header)
    lines = ["| " + " | ".join(header) + " |", align]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


# ---- hindsight and the learned model (docs/accuracy.md) ----------------------------------------

def _cell(r, rmse: bool = True) -> str:
    return f"{r.seats_correct} / {r.sae}" + (f" / {r.rmse:.2f}" if rmse else "")


def hindsight(level: str) -> str:
    """Seats called / SAE / RMSE for every model and election, true shares at ``level``."""
    from seatcast.backtest.hindsight import hindsight as run
    from seatcast.elections import TRANSITIONS
    from seatcast.swing.models import MODELS, _load_optional

    _load_optional()
    rows = [[m, *(_cell(run(e, m, level)) for e in TRANSITIONS)] for m in MODELS]
    return _table(["model", *TRANSITIONS], rows)


def learned_forward() -> str:
    from seatcast.backtest.learned_validation import validate

    nat, gb = validate("forward", "nations"), validate("forward", "gb")
    return _table(["election", "true nation shares", "true GB shares"],
                  [[a.election, _cell(a), _cell(b)] for a, b in zip(nat, gb, strict=True)])


ABLATION = {
    "tm + own-swing constant only": (),
    "prop": ("prop",),
    "prop + tactical": ("prop", "tactical"),
    "prop + nation": ("prop", "nation"),
    "prop + nation + Leave (default)": ("prop", "nation", "leave"),
    "nation + Leave": ("nation", "leave"),
    "Leave only": ("leave",),
    "default + 2011 Census": ("prop", "nation", "leave", "census"),
    "default + tactical": ("prop", "nation", "leave", "tactical"),
    "default + cross-party drivers": ("prop", "nation", "leave", "cross"),
    "default + incumbency": ("prop", "nation", "leave", "incumbency"),
}


def learned_ablation() -> str:
    from seatcast.backtest.learned_validation import validate
    from seatcast.elections import TRANSITIONS

    rows = [[label, *(_cell(r, rmse=False) for r in validate("loo", "nations", features=feats))]
            for label, feats in ABLATION.items()]
    return _table(["features", *TRANSITIONS], rows)


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
    return _table(["election", "party", "actual", "average (90% band)", "error", "naive 7-day", "error",
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
    return _table(["", "average", "naive 7-day mean", "LOEO-corrected average"], rows, "|---|---:|---:|---:|")


# ---- forecast backtests --------------------------------------------------------------------------

@cache
def _backtests():
    from seatcast.backtest.forecast_backtest import run_backtests

    return tuple(run_backtests())


def backtests() -> str:
    rows = [[r.election, r.model, r.sae, f"{r.largest_error:+d}", r.seats_correct, f"{r.brier:.3f}",
             f"{r.log_loss:.3f}", f"{sum(r.covered90.values())}/{len(r.covered90)}",
             f"{r.p_actual_outcome:.1%}"] for r in _backtests()]
    return _table(["year", "model", "SAE", "lead err", "correct", "Brier", "log-loss", "in 90%", "P(actual)"],
                  rows, "|---|---|---:|---:|---:|---:|---:|---:|---:|")


def backtest_seats(model: str = "tm") -> str:
    """Median seats against the actual seats of the main GB parties, one row per election."""
    main = ("con", "lab", "ld", "snp", "reform")
    rows = [[r.election, *(f"{r.seats.get(p, 0)} ({r.actual.get(p, 0)})" for p in main)]
            for r in _backtests() if r.model == model]
    return _table(["election", *main], rows, "|---|" + "---:|" * len(main))


def reliability(model: str = "tm") -> str:
    from seatcast.backtest.forecast_backtest import reliability as run

    t = run(model=model)
    return _table(["forecast (bin mean)", *(f"{v:.3f}" for v in t["forecast"])],
                  [["observed", *(f"{v:.3f}" for v in t["observed"])], ["n", *(int(v) for v in t["n"])]])


def scales() -> str:
    from seatcast.simulate.calibration import scale_table

    t = scale_table()
    keep = (t["model"] == "uns") | (t["excluded"] == "none")
    rows = [[r.model, r.excluded, f"{r.national:.3f}", f"{r.regional:.3f}", f"{r.seat:.3f}"]
            for r in t[keep].itertuples()]
    return _table(["model", "left out", "national", "regional", "seat"], rows, "|---|---|---:|---:|---:|")


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
    return _table(["election", "winner", "for the winner's majority", "to deny it (`lose-majority`)",
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
    return _table(["seat", "held by", "majority", "switchers"], rows, "|---|---|---:|---:|")


# ---- the README's example ------------------------------------------------------------------------

def readme_verdict() -> str:
    import seatcast

    p = seatcast.project(seatcast.scenario({"con": 43, "lab": 36, "ld": 12, "brexit": 3, "green": 2}),
                         baseline="2017", model="stm")
    return p.parliament.verdict
