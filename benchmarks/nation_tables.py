"""Scotland and Wales tables of docs/accuracy.md: the eve-of-election SNP estimate by source and rule,
and the leave-one-election-out choice of the GB-change rule in Scotland and Wales.

    .venv/bin/python benchmarks/nation_tables.py   # prints them (regen_docs.py writes them)

The rule sweep runs the default model's four backtests (20,000 draws) for each weight of the ratio
rule (`seatcast.swing.scenario.RATIO_MIX`), about half a minute.
"""

from __future__ import annotations

import importlib
from unittest import mock

import numpy as np
import pandas as pd
from _markdown import table

from seatcast import data
from seatcast.backtest import forecast_backtest as fb
from seatcast.polls import nations
from seatcast.polls.model import aggregate

MIXES = (0.0, 0.25, 0.5, 0.75, 1.0)


def scotland_share(election_id: str, party: str = "snp") -> float:
    act = data.baseline(election_id)
    return 100 * act.area_totals(act.nation_mask("Scotland"))[party]


def electorate_fraction(election_id: str, nation: str) -> float:
    """The nation's share of the GB electorate at ``election_id`` (an alternative ``f``)."""
    b = data.baseline(election_id)
    el = np.asarray(b.column("electorate"), float)
    return float(el[b.nation_mask(nation)].sum() / el[b.nation_mask("England", "Scotland", "Wales")].sum())


def _estimate(polls: pd.DataFrame, election_id: str) -> str:
    avg = aggregate(polls, as_of=data.election(election_id).date, area="Scotland", parties=["snp"])
    lo, hi = avg.band["snp"]
    return f"{avg.average['snp']:.1f} ({lo:.1f}-{hi:.1f})"


def source_rows() -> list[tuple]:
    """(election, source, estimate) for every source and rule compared (the used one marked)."""
    rows = []
    for use, label in (("sub", "YouGov Scottish sub-samples only (old rule)"),
                       ("gb", "YouGov GB SNP+Plaid figure only: (figure - Plaid 2010) / f"),
                       ("both", "both figures of each poll, inverse-variance (**used**)")):
        rows.append(("2015", label, _estimate(nations.yougov_subsamples("2010", use), "2015")))
    for e in ("2017", "2019"):
        base = data.election(e).previous
        old = "SNP+Plaid figures taken whole (2017) or dropped (2019) (old rule)"
        whole = nations.gb_derived("Scotland", base, "whole")
        rows.append((e, f"GB SNP column / f, {old}", _estimate(whole, e)))
        rows.append((e, "GB SNP column / f, SNP+Plaid figures minus Plaid's previous GB share (**used**)",
                     _estimate(nations.gb_derived("Scotland", base), e)))
    for e in ("2015", "2017", "2019"):
        base = data.election(e).previous
        with mock.patch.object(nations, "turnout_fraction", electorate_fraction):
            f = electorate_fraction(base, "Scotland")
            est = nations.nation_estimate("Scotland", data.election(e).date).average["snp"]
        label = f"as used, but f = Scotland's share of the GB electorate ({100 * f:.1f}%)"
        rows.append((e, label, f"{est:.1f}"))
    return sorted(rows, key=lambda r: r[0])


def sources_section() -> None:
    print("#### Scottish SNP estimate by source and rule (eve of polling day)\n")
    rows = [(e, src, est, f"{scotland_share(e):.1f}") for e, src, est in source_rows()]
    table(("election", "source / rule", "SNP % estimate (90% band)", "actual SNP %"), rows)


def nation_calls(fc, election_id: str) -> tuple[int, int]:
    """Scotland and Wales seats whose most likely winner won."""
    act = data.baseline(election_id)
    won = pd.Series(act.winners, index=act.codes)
    wp = fc.win_prob.reindex(won.index).fillna(0.0)
    ok = wp.columns.to_numpy()[np.argmax(wp.to_numpy(), axis=1)] == won.to_numpy()
    return int(ok[act.nation_mask("Scotland")].sum()), int(ok[act.nation_mask("Wales")].sum())


def rule_sweep(model: str) -> dict[tuple[float, str], tuple[int, int, int]]:
    """(mix, election) -> (SAE, Scotland seats called, Wales seats called) of ``model``'s backtest."""
    module = importlib.import_module("seatcast.swing.scenario")  # the module, not the function
    out = {}
    for mix in MIXES:
        with mock.patch.object(module, "RATIO_MIX", mix):
            for e in fb.BACKTESTS:
                fc = fb.backtest_forecast(e, model)
                out[mix, e] = (fb.score(fc, e, model).sae, *nation_calls(fc, e))
    return out


def loo_choice(sweep, held_out: str, grid=MIXES) -> float:
    """The value of ``grid`` (a rule's weight) with most Scotland + Wales seats called on the other
    elections (ties: lower SAE, then the smaller value); ``sweep``: (value, election) -> (SAE,
    Scotland called, Wales called, ...)."""
    others = [e for e in fb.BACKTESTS if e != held_out]

    def key(mix):
        called = sum(sweep[mix, e][1] + sweep[mix, e][2] for e in others)
        return (-called, sum(sweep[mix, e][0] for e in others), mix)
    return min(grid, key=key)


def rule_section(model: str) -> None:
    sweep = rule_sweep(model)
    print("#### GB-change rule in Scotland and Wales (`RATIO_MIX`, model "
          f"`{model}`): SAE / Scotland called / Wales called\n")
    rows = [(f"{mix:g}", *("{} / {} / {}".format(*sweep[mix, e]) for e in fb.BACKTESTS)) for mix in MIXES]
    table(("ratio weight", *fb.BACKTESTS), rows)
    rows = []
    for e in fb.BACKTESTS:
        mix = loo_choice(sweep, e)
        s, s0 = sweep[mix, e], sweep[0.0, e]
        rows.append((e, f"{mix:g}", f"{s[0]} / {s[1] + s[2]}", f"{s0[0]} / {s0[1] + s0[2]}"))
    table(("held out", "chosen on the other three", "its SAE / Scotland+Wales called",
           "additive (0): SAE / Scotland+Wales called"), rows)


def markdown(model: str = "tm") -> None:
    sources_section()
    rule_section(model)


if __name__ == "__main__":
    markdown()
