"""The tables of the "Candidates and personal votes" section of docs/accuracy.md, as markdown.

    .venv/bin/python benchmarks/regen_docs.py          # rewrites them (cog blocks; with every other table)
    .venv/bin/python benchmarks/candidates_tables.py   # prints them

Retention pairs and factors by label (seatcast.swing.candidates), the incumbency comparison
(seatcast.backtest.tuning, leave-one-election-out and the 2024 out-of-sample check), and today's
forecast for the seats independents and the Speaker hold (`seatcast forecast` defaults). About 8 CPU seconds.
"""

from __future__ import annotations

from docgen import md_table

from seatcast.backtest import tuning
from seatcast.swing import candidates, incumbency

SEATS = ("Islington North", "Dewsbury and Batley", "Blackburn", "Birmingham Perry Barr",
         "Leicester South", "Chorley")
CLI_DRAWS = 50_000  # `seatcast forecast` default


def retention_pairs() -> str:
    rows = [[r.candidate, r.party, r.first, r.first_seat, f"{100 * r.first_share:.1f}", r.second,
             r.second_seat, f"{100 * r.second_share:.1f}", f"{r.second_share / r.first_share:.3f}"]
            for r in candidates.retention_pairs().itertuples()]
    return md_table(["candidate", "label", "first", "seat", "share", "next", "seat", "share", "ratio"], rows,
                  "|---|---|---|---|---:|---|---|---:|---:|")


def retention_factors() -> str:
    """The factor of each label (Speakers, independents) by baseline, the pooled ratio for
    comparison, and the spread of each label's individual ratios."""
    import numpy as np

    pairs = candidates.retention_pairs()
    rows = []
    for base, year in (("2010", 2010), ("2015", 2015), ("2017", 2017), ("2019 / 2019n", 2019),
                       ("2024", 2024)):
        (ind, n_ind), (spk, n_spk) = (candidates.retention_factor(lab, year) for lab in ("ind", "speaker"))
        upto = pairs[pairs["second"].astype(int) <= year]
        pooled = upto["second_share"].sum() / upto["first_share"].sum() if len(upto) else 1.0
        rows.append([base, n_ind, f"{ind:.4f}", n_spk, f"{spk:.4f}", f"{pooled:.4f}"])
    table = md_table(["baseline", "independent pairs", "independents' factor", "Speaker pairs",
                      "Speaker factor", "pooled (not used)"], rows, "|---|---:|---:|---:|---:|---:|")
    notes = []
    for label, name in (("ind", "independents"), ("speaker", "Speakers")):
        sub = pairs[pairs["party"] == label]
        ratio = sub["second_share"] / sub["first_share"]
        notes.append(f"{name}: {len(sub)} pairs of {sub['candidate'].nunique()} people, ratios "
                     f"{ratio.min():.2f} to {ratio.max():.2f}, standard deviation of their logs "
                     f"{np.log(ratio).std(ddof=1):.2f}")
    return table + "\nSpread of the individual ratios: " + "; ".join(notes) + ".\n"


def incumbency_loo() -> str:
    table = tuning.loo_comparison("tm")
    rows = [[r.election, f"{r.first_term:+.2f}", f"{r.retire:+.2f}", f"{r.seats_none} / {r.sae_none}",
             f"{r.seats_known} / {r.sae_known}", f"{r.seats_forecast} / {r.sae_forecast}"]
            for r in table.itertuples()]
    tot = table.sum(numeric_only=True).round().astype(int)
    rows.append(["total", "", "", f"{tot.seats_none} / {tot.sae_none}",
                 f"{tot.seats_known} / {tot.sae_known}", f"{tot.seats_forecast} / {tot.sae_forecast}"])
    return md_table(["held out", "first-term effect (pts)", "retirement effect (pts)", "seats / SAE without",
                   "with, candidates known", "with, forecast-time flags (default)"], rows,
                  "|---|---:|---:|---|---|---|")


def incumbency_today() -> str:
    """Today's projection with and without the effect, and the 2024 out-of-sample check (two paragraphs)."""
    oos = tuning.out_of_sample_2024("tm")
    return (today_with_and_without() + "\n\n"
            "Out of sample, 2024 from the 2019 notionals (effect fitted on 2010-2019, not used to decide): "
            + "; ".join(f"{k} {v[0]} / {v[1]}" for k, v in oos.items()) + ".\n")


def today_with_and_without() -> str:
    from seatcast.polls import scenario_from_polls
    from seatcast.swing import project

    scen, parts = scenario_from_polls("latest"), []
    try:
        for use in (True, False):
            incumbency.USE_BY_DEFAULT = use
            seats = project(scen, "2024", "tm").parliament.seats
            parts.append(", ".join(f"{p} {seats[p]}" for p in ("lab", "reform", "con", "ld")))
    finally:
        incumbency.USE_BY_DEFAULT = True
    return ("On today's polls (`seatcast project --polls latest --model tm`) the effect moves the projection "
            f"from {parts[1]} (without) to {parts[0]} (with).")


def today() -> str:
    """Win probabilities of the seats independents and the Speaker hold, in `seatcast forecast`."""
    from seatcast.simulate import forecast

    fc = forecast(draws=CLI_DRAWS)
    gone = forecast(draws=CLI_DRAWS, overrides=["Islington North:-ind"])
    names = fc.seats_meta["constituency"]

    def top3(f, name):
        top = f.win_prob.loc[names[names == name].index[0]].nlargest(3)
        return ", ".join(f"{p} {v:.1%}" for p, v in top.items())

    rows = [[name, fc.seats_meta.at[names[names == name].index[0], "baseline_winner"], top3(fc, name)]
            for name in SEATS]
    return (f"`seatcast forecast` (model {fc.model}, {fc.draws:,} draws, seed {fc.seed}, "
            f"polls as of {fc.as_of}):\n\n"
            + md_table(["seat", "2024", "win probability (top three)"], rows) + "\n"
            "With `--seat \"Islington North:-ind\"` (Jeremy Corbyn does not stand): "
            + top3(gone, "Islington North") + ".\n")


if __name__ == "__main__":
    tables = (retention_pairs, retention_factors, incumbency_loo, incumbency_today, today)
    print("\n".join(f() for f in tables))
