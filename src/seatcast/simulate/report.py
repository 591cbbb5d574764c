"""The forecast report: one HTML page with PNG figures beside it (matplotlib Figure API, no pyplot).

Figures: ``seats.png`` (seat-count histograms of the main parties with the 326 line) and
``hexmap.png`` (Open Innovations hex cartogram of the baseline's seats, odd-r offset coordinates,
``seatcast.data.hex_layout``; each hexagon in the colour of its most likely winner, paler
the less certain). Table: seats that may change hands (the baseline winner holds it with
probability below :data:`HOLD_BELOW`). The report folder is replaced as a whole, atomically.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from seatcast import _io, parties, present
from seatcast.parliament import MAJORITY
from seatcast.simulate.forecast import Forecast

HOLD_BELOW = 0.9
MAIN_PARTIES = 6


def _figure(figsize):
    """A matplotlib Figure and its axes, with no pyplot: no GUI backend is chosen or touched."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    return fig, fig.add_subplot()


def _legend(ax, handles, labels, title: str | None = None) -> None:
    """A legend beside the plot (never over the data)."""
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
              title=title, title_fontsize=8, borderaxespad=0.0)


def seat_histogram(fc: Forecast, path: Path) -> Path:
    """Seat distributions of the main parties, with the majority line; the legend sits outside."""
    fig, ax = _figure((10, 4.5))
    bins = np.arange(0, 651, 5)
    shown = fc.shown_parties()[:MAIN_PARTIES]
    for p in shown:
        j = fc.parties.index(p)
        density, _ = np.histogram(fc.seats[:, j], bins=bins, density=True)
        ax.stairs(density, bins, fill=True, alpha=0.55, color=parties.colour(p), label=parties.name(p))
    ax.axvline(MAJORITY, color="black", linestyle="--", linewidth=1, label=f"{MAJORITY} for a majority")
    ax.set_xlabel("seats")
    ax.set_ylabel("share of simulations (per seat)")
    ax.set_title(f"Seat distributions, {fc.draws:,} simulated elections")
    _legend(ax, *ax.get_legend_handles_labels())
    fig.tight_layout()
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    with _io.atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=110, format="png", bbox_inches="tight")  # keeps the outside legend
    return path


def _blend(colour: str, prob: float) -> tuple:
    """The party colour, paler the less likely: white at 1/3 or less, full at 1."""
    from matplotlib.colors import to_rgb

    t = float(np.clip((prob - 1 / 3) / (2 / 3), 0.15, 1.0))
    return tuple(1 - t * (1 - c) for c in to_rgb(colour))


def hex_map(fc: Forecast, path: Path) -> Path:
    """Hex cartogram of the most likely winner in each seat, shaded by its probability.

    The layout is the baseline's boundary set (2010 or 2024 hexes); the legend lists every party
    that is the most likely winner somewhere on the map, with its number of seats."""
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    from seatcast.data import hex_layout
    from seatcast.elections import election

    layout = hex_layout(election(fc.baseline).boundaries)
    hexes = layout.reindex(fc.win_prob.index).dropna(subset=["q", "r"])
    wp = fc.win_prob.loc[hexes.index]
    lead, prob = wp.idxmax(axis=1), wp.max(axis=1)
    q, r = hexes["q"].to_numpy(float), hexes["r"].to_numpy(float)
    x = q * np.sqrt(3) + np.where(r.astype(int) % 2 == 1, np.sqrt(3) / 2, 0.0)  # odd-r offset
    y = r * 1.5
    angles = np.deg2rad(np.arange(6) * 60 + 30)
    shape = np.c_[np.cos(angles), np.sin(angles)]
    polys = [shape + [xi, yi] for xi, yi in zip(x, y, strict=True)]
    colours = [_blend(parties.colour(p), pr) for p, pr in zip(lead, prob, strict=True)]
    fig, ax = _figure((9, 9))
    ax.add_collection(PolyCollection(polys, facecolors=colours, edgecolors="white", linewidths=0.3))
    ax.set_xlim(x.min() - 2, x.max() + 2)
    ax.set_ylim(y.min() - 2, y.max() + 2)
    ax.set_aspect("equal")
    ax.axis("off")
    counts = lead.value_counts()
    order = [p for p in parties.CODES if p in counts.index]
    _legend(ax, [Patch(facecolor=parties.colour(p), edgecolor="#999999") for p in order],
            [f"{parties.name(p)} ({counts[p]})" for p in order], title="most likely winner (seats)")
    ax.set_title(f"Most likely winner, {len(hexes)} seats (paler = less certain)", fontsize=10)
    fig.tight_layout()
    return _save(fig, path)


def changing_hands(fc: Forecast, below: float = HOLD_BELOW) -> pd.DataFrame:
    """Seats whose baseline winner holds with probability below ``below``, least safe first."""
    meta = fc.seats_meta
    wp = fc.win_prob
    hold = np.array([wp.at[c, w] if w in wp.columns else 0.0
                     for c, w in zip(meta.index, meta["baseline_winner"], strict=True)])
    table = meta[["constituency", "country", "baseline_winner"]].assign(
        p_hold=hold, likely=wp.idxmax(axis=1), p_likely=wp.max(axis=1))
    return table[table["p_hold"] < below].sort_values("p_hold")


CHANGING_COLUMNS = (
    present.Column("ons_code", "ONS code"), present.Column("constituency", "constituency"),
    present.Column("country", "nation"), present.Column("baseline_winner", "held by", "party"),
    present.Column("p_hold", "P(holds)", "pct"), present.Column("likely", "most likely winner", "party"),
    present.Column("p_likely", "P(most likely)", "pct"),
)


def render_html(fc: Forecast, flips: pd.DataFrame, history: bool = False) -> str:
    """The report page (figures referenced by relative file name; ``history.png`` if ``history``)."""
    doc = present.forecast_doc(fc)
    source = (f"poll average as of {fc.as_of} (polls {fc.poll_window[0]} to {fc.poll_window[1]}; "
              f"newest poll ended {fc.poll_window[1]})" if fc.poll_window else "a user scenario")
    history = ('<h2>Forecast over time</h2><p><img src="history.png" alt="seat medians with 50% and 90% '
               'bands and outcome probabilities, week by week" width="100%"></p>') if history else ""
    css = ("body{font-family:sans-serif;max-width:980px;margin:2em auto;padding:0 1em}"
           "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px}")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>seatcast forecast</title><style>{css}</style></head><body>
<h1>seatcast forecast</h1>
<p>{fc.draws:,} simulated elections from {html.escape(source)}; baseline {fc.baseline},
swing model <code>{fc.model}</code>, seed {fc.seed}, data version {fc.data_version}.
Error scales (log-ratio sd): national {fc.scales.national:.3f}, regional {fc.scales.regional:.3f},
seat {fc.scales.seat:.3f}. Hung parliament: {fc.probabilities['hung']:.1%}.
{present.FORECAST_CAVEAT}</p>
<h2>Seats</h2>{present.html_table(present.forecast_table_rows(doc), present.FORECAST_COLUMNS)}
<p><img src="seats.png" alt="seat distributions" width="100%"></p>
<h2>Government arithmetic</h2>{present.html_table(present.bloc_table_rows(doc), present.BLOC_COLUMNS)}
<h2>Map</h2><p><img src="hexmap.png" alt="hex map of the most likely winners" width="70%"></p>
{history}<h2>Seats that may change hands ({len(flips)})</h2>
<p>The {fc.baseline} winner holds the seat with probability below {HOLD_BELOW:.0%}.</p>
{present.html_table(flips.reset_index(names="ons_code").to_dict("records"), CHANGING_COLUMNS)}
</body></html>
"""


def central_projection(fc: Forecast):
    """The forecast's central (no-error) projection, with its candidate overrides: the shares,
    winners and swings to flip of the per-seat CSV."""
    from seatcast.swing import project

    return project(fc.scenario, fc.baseline, fc.model, list(fc.overrides))


#: The files of a report; an existing folder holding only these may be replaced by a new report.
REPORT_FILES = frozenset({"index.html", "seats.png", "hexmap.png", "forecast.json", "seats.csv",
                          "history.png"})


def plot_history(hist, path) -> Path:
    """Seat medians with 50% and 90% bands (top) and outcome probabilities (bottom) over time, for a
    :class:`seatcast.simulate.history.History`."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 7.5))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    x = pd.to_datetime(hist.dates)
    for p in hist.main_parties():
        s = hist.seats.xs(p, level="party").reindex(hist.dates)
        colour = parties.colour(p)
        top.fill_between(x, s["p05"], s["p95"], color=colour, alpha=0.15, linewidth=0)
        top.fill_between(x, s["p25"], s["p75"], color=colour, alpha=0.35, linewidth=0)
        top.plot(x, s["median"], color=colour, label=parties.name(p), linewidth=1.6)
    top.axhline(MAJORITY, color="black", linestyle="--", linewidth=0.8)
    top.set_ylabel("seats (median, 50% and 90% bands)")
    top.legend(frameon=False, fontsize=8, ncol=3)
    top.set_title(f"Forecast since the last election, week by week ({hist.model}, "
                  f"{hist.params['draws']:,} draws a week)")
    _probability_lines(bottom, hist, x)
    fig.autofmt_xdate()
    fig.tight_layout()
    with _io.atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    return Path(path)


def _probability_lines(ax, hist, x) -> None:
    probs = hist.probabilities
    for col in probs.columns:
        kind, _, p = col.partition(":")
        if kind == "majority" and probs[col].max() >= 0.01:
            ax.plot(x, probs[col], color=parties.colour(p), label=f"{parties.name(p)} majority")
    ax.plot(x, probs["hung"], color="grey", linestyle="--", label="hung parliament")
    ax.set_ylim(0, 1)
    ax.set_ylabel("probability")
    ax.legend(frameon=False, fontsize=8, ncol=3)


def write_report(fc: Forecast, out_dir, field: str = "out") -> Path:
    """Write ``index.html``, ``seats.png``, ``hexmap.png``, ``forecast.json`` (the document of
    :func:`seatcast.present.forecast_doc`) and ``seats.csv`` (:func:`seatcast.present.seat_csv`)
    into ``out_dir``.

    The files are written into a temporary folder that then replaces ``out_dir`` in one step
    (:func:`seatcast._io.atomic_dir`): an interrupted run leaves the previous report whole.
    An existing ``out_dir`` is replaced only if it holds nothing but :data:`REPORT_FILES`.
    """
    out = _io.check_output_dir(out_dir, field, REPORT_FILES)
    with _io.output_errors(field, out), _io.atomic_dir(out) as tmp:
        seat_histogram(fc, tmp / "seats.png")
        hex_map(fc, tmp / "hexmap.png")
        _io.write_text(tmp / "forecast.json", present.dumps(present.forecast_doc(fc), pretty=True))
        _io.write_text(tmp / "seats.csv", present.seat_csv(central_projection(fc), fc.win_prob))
        hist = _history(fc)
        if hist is not None:
            plot_history(hist, tmp / "history.png")
        _io.write_text(tmp / "index.html", render_html(fc, changing_hands(fc), hist is not None))
    return out / "index.html"


def _history(fc: Forecast):
    """The stored forecast history (as kept by ``seatcast history``) matching ``fc``, or None."""
    from seatcast.simulate.history import stored_history

    hist = stored_history(fc.model) if fc.poll_window else None
    if hist is not None and (hist.params["baseline"] != fc.baseline or str(fc.as_of) < hist.dates[0]):
        return None  # another baseline, or a forecast from before the history starts
    return hist
