"""Regenerate the hindsight and learned-model tables of docs/accuracy.md (markdown to stdout).

Run: .venv/bin/python benchmarks/accuracy_tables.py
"""

from __future__ import annotations

from seatcast.backtest.hindsight import HINDSIGHT_PAIRS, hindsight
from seatcast.backtest.learned_validation import validate
from seatcast.swing import MODELS
from seatcast.swing.models import _load_optional

ELECTIONS = tuple(HINDSIGHT_PAIRS)
LEVELS = {"gb": "true GB shares", "nations": "true England/Scotland/Wales shares",
          "regions": "true nation and English-region shares"}
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


def cell(r) -> str:
    return f"{r.seats_correct} / {r.sae} / {r.rmse:.2f}"


def hindsight_tables() -> None:
    _load_optional()
    for level, label in LEVELS.items():
        print(f"\n### With {label} (`seatcast hindsight --all{'' if level == 'gb' else ' --' + level}`)\n")
        print("| model | " + " | ".join(ELECTIONS) + " |")
        print("|---" * (len(ELECTIONS) + 1) + "|")
        for m in MODELS:
            print(f"| {m} | " + " | ".join(cell(hindsight(e, m, level)) for e in ELECTIONS) + " |")


def learned_tables() -> None:
    print("\n### Forward-chaining (trained on earlier transitions only; seats / SAE / RMSE)\n")
    print("| election | true nation shares | true GB shares |")
    print("|---|---|---|")
    nat, gb = validate("forward", "nations"), validate("forward", "gb")
    for a, b in zip(nat, gb, strict=True):
        print(f"| {a.election} | {cell(a)} | {cell(b)} |")
    print("\n### Feature ablation (leave-one-election-out, true nation shares; seats / SAE)\n")
    print("| features | " + " | ".join(ELECTIONS) + " |")
    print("|---" * (len(ELECTIONS) + 1) + "|")
    for label, feats in ABLATION.items():
        rows = validate("loo", "nations", features=feats)
        print(f"| {label} | " + " | ".join(f"{r.seats_correct} / {r.sae}" for r in rows) + " |")


if __name__ == "__main__":
    print("Seats called of 632 GB seats / SAE / per-seat share RMSE (points).")
    hindsight_tables()
    learned_tables()
