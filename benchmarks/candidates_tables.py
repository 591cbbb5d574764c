"""Regenerate the "Candidates and personal votes" section of docs/accuracy.md (markdown to stdout).

    .venv/bin/python benchmarks/candidates_tables.py

Retention pairs and factor (seatcast.swing.candidates), the incumbency comparison
(seatcast.swing.incumbency, leave-one-election-out and the 2024 out-of-sample check), and today's
forecast for the seats independents and the Speaker hold (`seatcast forecast` defaults).
"""

from __future__ import annotations

from seatcast.simulate import forecast
from seatcast.swing import candidates, incumbency

SEATS = ("Islington North", "Dewsbury and Batley", "Blackburn", "Birmingham Perry Barr",
         "Leicester South", "Chorley")
CLI_DRAWS = 50_000  # `seatcast forecast` default


def retention() -> None:
    pairs = candidates.retention_pairs()
    print("| candidate | label | first | seat | share | next | seat | share | ratio |")
    print("|---|---|---|---|---:|---|---|---:|---:|")
    for r in pairs.itertuples():
        print(f"| {r.candidate} | {r.party} | {r.first} | {r.first_seat} | {100 * r.first_share:.1f} | "
              f"{r.second} | {r.second_seat} | {100 * r.second_share:.1f} | "
              f"{r.second_share / r.first_share:.3f} |")
    print()
    print("| baseline | pairs used | retention factor |")
    print("|---|---:|---:|")
    rows = (("2010", 2010), ("2015", 2015), ("2017", 2017), ("2019 / 2019n", 2019), ("2024", 2024))
    for base, year in rows:
        factor, n = candidates.retention_factor(year)
        print(f"| {base} | {n} | {factor:.4f} |")
    print()


def incumbency_tables() -> None:
    table = incumbency.loo_comparison("tm")
    print("| held out | first-term effect (pts) | retirement effect (pts) | seats / SAE without | "
          "with, candidates known | with, forecast-time flags (default) |")
    print("|---|---:|---:|---|---|---|")
    for r in table.itertuples():
        print(f"| {r.election} | {r.first_term:+.2f} | {r.retire:+.2f} | {r.seats_none} / {r.sae_none} | "
              f"{r.seats_known} / {r.sae_known} | {r.seats_forecast} / {r.sae_forecast} |")
    tot = table.sum(numeric_only=True).round().astype(int)
    print(f"| total | | | {tot.seats_none} / {tot.sae_none} | {tot.seats_known} / {tot.sae_known} | "
          f"{tot.seats_forecast} / {tot.sae_forecast} |")
    print()
    oos = incumbency.out_of_sample_2024("tm")
    print(today_with_and_without() + "\n")
    print("Out of sample, 2024 from the 2019 notionals (effect fitted on 2010-2019, not used to decide): "
          + "; ".join(f"{k} {v[0]} / {v[1]}" for k, v in oos.items()) + ".")
    print()


def today_with_and_without() -> str:
    from seatcast.polls import scenario_from_polls
    from seatcast.swing import project

    scen, parts = scenario_from_polls("latest"), []
    for use in (True, False):
        incumbency.USE_BY_DEFAULT = use
        seats = project(scen, "2024", "tm").parliament.seats
        parts.append(", ".join(f"{p} {seats[p]}" for p in ("lab", "reform", "con", "ld")))
    incumbency.USE_BY_DEFAULT = True
    return ("On today's polls (`seatcast project --polls latest --model tm`) the effect moves the projection "
            f"from {parts[1]} (without) to {parts[0]} (with).")


def today() -> None:
    fc = forecast(draws=CLI_DRAWS)
    gone = forecast(draws=CLI_DRAWS, overrides=["Islington North:-ind"])
    names = fc.seats_meta["constituency"]
    print(f"`seatcast forecast` (model {fc.model}, {fc.draws:,} draws, seed {fc.seed}, "
          f"polls as of {fc.as_of}):")
    print()
    print("| seat | 2024 | win probability (top three) |")
    print("|---|---|---|")
    for name in SEATS:
        code = names[names == name].index[0]
        top = fc.win_prob.loc[code].nlargest(3)
        print(f"| {name} | {fc.seats_meta.at[code, 'baseline_winner']} | "
              + ", ".join(f"{p} {v:.1%}" for p, v in top.items()) + " |")
    code = names[names == "Islington North"].index[0]
    top = gone.win_prob.loc[code].nlargest(3)
    print()
    print("With `--seat \"Islington North:-ind\"` (Jeremy Corbyn does not stand): "
          + ", ".join(f"{p} {v:.1%}" for p, v in top.items()) + ".")


if __name__ == "__main__":
    retention()
    incumbency_tables()
    today()
