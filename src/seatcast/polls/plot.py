"""The poll tracker chart: dots are polls, the line and band are the average and its 90% band."""

from __future__ import annotations

from pathlib import Path

from seatcast import parties
from seatcast._io import atomic_path
from seatcast.polls.model import PollAverage

GREY = "#777777"


def _colour(code: str) -> str:
    return parties.REGISTRY[code].colour if code in parties.REGISTRY else GREY


def tracker_figure(avg: PollAverage):
    """A matplotlib ``Figure`` (no pyplot, so no GUI backend is touched)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 5.5), dpi=110)
    ax = fig.add_subplot()
    daily, polls = avg.daily, avg.polls
    for p in avg.parties:
        colour = _colour(p)
        ax.scatter(polls["fieldwork_end"], polls[p], s=6, alpha=0.3, color=colour, linewidths=0)
        ax.fill_between(daily.index, daily["low", p], daily["high", p], color=colour, alpha=0.25,
                        linewidth=0)
        label = f"{parties.REGISTRY[p].name if p in parties.REGISTRY else p} {avg.average[p]:.1f}"
        ax.plot(daily.index, daily["mean", p], color=colour, linewidth=1.6, label=label)
    ax.set_ylabel("vote share, %")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8, ncols=2, frameon=False)
    ax.set_title(f"{avg.area} poll average to {avg.daily.index[-1].date()} "
                 f"({len(avg.polls)} polls; line = average, band = 90%, dots = polls)", fontsize=10)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def save_tracker(avg: PollAverage, path) -> Path:
    """Write the tracker PNG atomically (never a half-written file)."""
    fig = tracker_figure(avg)
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, format="png")
    return Path(path)
