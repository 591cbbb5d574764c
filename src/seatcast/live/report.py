"""The election-night chart: projected final seats (median and 90% interval) against seats
declared, as a PNG and an HTML page (matplotlib, Agg backend; files written atomically)."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np

from seatcast import _io, parties
from seatcast.live.model import LiveProjection
from seatcast.parliament import MAJORITY

MAIN_PARTIES = 6


def track(history: list[LiveProjection]) -> dict:
    """``{"step": (n,), party: (median (n,), p05 (n,), p95 (n,))}`` over a night's projections."""
    last = history[-1]
    shown = last.shown_parties()[:MAIN_PARTIES]
    out = {"step": np.array([h.step for h in history])}
    for p in shown:
        out[p] = tuple(np.array([h.summary.at[p, k] for h in history]) for k in ("median", "p05", "p95"))
    return out


def plot(history: list[LiveProjection], path, title: str, actual: dict | None = None) -> Path:
    """PNG of the projection against seats declared (dashed: the actual result, if given)."""
    from matplotlib.figure import Figure  # no pyplot: no GUI backend is chosen or touched

    t = track(history)
    fig = Figure(figsize=(9, 5))
    ax = fig.add_subplot()
    for p, (med, lo, hi) in ((k, v) for k, v in t.items() if k != "step"):
        c = parties.colour(p)
        ax.fill_between(t["step"], lo, hi, color=c, alpha=0.2, linewidth=0, step="post")
        ax.step(t["step"], med, color=c, where="post", label=parties.name(p))
        if actual and p in actual:
            ax.axhline(actual[p], color=c, linestyle="--", linewidth=0.8)
    ax.axhline(MAJORITY, color="black", linewidth=0.8, linestyle=":")
    ax.set_xlabel("seats declared")
    ax.set_ylabel("projected final seats (median, 90% interval)")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, ncol=2)
    fig.tight_layout()
    with _io.atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    return Path(path)


def write_report(history: list[LiveProjection], out_dir, title: str, actual: dict | None = None,
                 steps=(0, 10, 25, 50, 100, 200, 300, 400, 500, 600, 650)) -> Path:
    """Write ``live.png`` and ``live.html`` (chart and a table of checkpoints) into ``out_dir``."""
    out = Path(out_dir)
    plot(history, out / "live.png", title, actual)
    by_step = {h.step: h for h in history}
    shown = history[-1].shown_parties()[:MAIN_PARTIES]
    head = "".join(f"<th>{html.escape(parties.name(p))}</th>" for p in shown)
    rows = []
    for s in [s for s in steps if s in by_step]:
        h = by_step[s]
        cells = "".join(f"<td>{int(h.summary.at[p, 'median'])} ({int(h.summary.at[p, 'p05'])}-"
                        f"{int(h.summary.at[p, 'p95'])})</td>" for p in shown)
        maj = max((v for k, v in h.probabilities.items() if k.startswith("majority:")), default=0.0)
        rows.append(f"<tr><td>{s}</td>{cells}<td>{h.probabilities.get('hung', 0):.1%}</td>"
                    f"<td>{maj:.1%}</td></tr>")
    if actual:
        cells = "".join(f"<td><b>{actual.get(p, 0)}</b></td>" for p in shown)
        rows.append(f"<tr><td>actual (GB)</td>{cells}<td></td><td></td></tr>")
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:3px 8px;text-align:right}"
            "</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>Prior: {html.escape(history[-1].prior)}.</p>"
            "<img src='live.png' alt='projected seats against seats declared'>"
            f"<table><tr><th>declared</th>{head}<th>P(hung)</th><th>P(majority)</th></tr>"
            f"{''.join(rows)}</table></body></html>")
    return _io.write_text(out / "live.html", page)
