"""The ``seatcast polls`` group (poll average, and the poll store: add, list, remove, reset,
import, update) and ``seatcast history``. Registered on the main app by :func:`register`.

Each command parses its options, calls one public function of :mod:`seatcast.polls` and renders
the result; domain errors become exit code 2 in :func:`seatcast.cliutil.guarded`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from seatcast import _io, defaults
from seatcast.cliutil import (
    PANELS,
    Json,
    Model,
    Number,
    OneOf,
    PollDate,
    Whole,
    count,
    emit_json,
    err,
    grid,
    guarded,
    out,
    progress_bar,
    write_output,
)
from seatcast.errors import SeatcastError

AREAS = ("GB", "Scotland", "Wales")  # seatcast.polls.model.AREAS, without importing pandas for --help
polls_app = typer.Typer(
    name="polls", invoke_without_command=True, no_args_is_help=False, rich_markup_mode="markdown")


def register(app: typer.Typer) -> None:
    """Add ``polls`` (a group) and ``history`` to the main app."""
    app.add_typer(polls_app, rich_help_panel=PANELS["polls"])
    app.command("history", rich_help_panel=PANELS["history"])(guarded(history))


def _poll_tables(avg, latest: int) -> tuple[object, object]:
    table = grid(f"{avg.area} poll average on {avg.daily.index[-1].date()} ({count(len(avg.polls), 'poll')}, "
                 f"{avg.window[0]} to {avg.window[1]})", ("party", "average %", "90% band"),
                 [(p, f"{v:.1f}", f"{avg.band[p][0]:.1f}-{avg.band[p][1]:.1f}")
                  for p, v in sorted(avg.average.items(), key=lambda kv: -kv[1])], left=("party",))
    recent = avg.latest(latest)
    rows = [(r.pollster or "?", r.fieldwork_end.strftime("%d %b"),  # the year is in the title
             "" if r.sample_size != r.sample_size else str(int(r.sample_size)),
             *("" if r[p] != r[p] else f"{r[p]:g}" for p in avg.parties)) for _, r in recent.iterrows()]
    ends = recent.fieldwork_end
    span = f", fieldwork ended {ends.min():%d %b %Y} to {ends.max():%d %b %Y}" if len(recent) else ""
    return table, grid(f"Latest {count(len(recent), 'poll')} (as published{span})",
                       ("pollster", "ended", "n", *avg.parties), rows, left=("pollster", "ended"))


def _accuracy_output(as_json: bool) -> None:
    from seatcast.polls import accuracy_summary, accuracy_table
    from seatcast.present import cell

    tab = accuracy_table(correction=True)
    summary = accuracy_summary(tab)
    if as_json:
        rows = tab.round(2).reset_index().astype(object)
        emit_json({"table": rows.where(rows.notna(), None).to_dict("records"),
                   "mean_abs_error": summary.round(2).to_dict(orient="index")})
        return
    keys = ("actual", "aggregate", "error", "naive", "naive_error", "corrected", "corrected_error")
    labels = ("election", "party", "actual", "average", "error", "naive 7d", "error", "LOEO corr.", "error")
    rows = [(e, p, *(cell(r[c], "num1") for c in keys)) for (e, p), r in tab.iterrows()]
    title = "Eve-of-election poll average vs actual GB share (error = estimate - actual, points)"
    out.print(grid(title, labels, rows))
    for what, r in summary.iterrows():
        out.print(f"mean absolute error, {what}: average {r['error']:.2f}, naive {r['naive_error']:.2f}, "
                  f"corrected {r['corrected_error']:.2f}")


@polls_app.callback()
@guarded
def polls(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", parser=PollDate(), help="Use polls ending before this date "
                                       "(YYYY-MM-DD) or 'latest'.")] = "latest",
    area: Annotated[str, typer.Option(parser=OneOf(AREAS, ignore_case=True),
                                      help="GB, Scotland or Wales.")] = "GB",
    file: Annotated[str | None, typer.Option("--file", help="A one-off run on your own polls CSV instead "
                                             "of the poll store (validated; columns: see 'seatcast polls "
                                             "add --help'; the store is not touched).")] = None,
    plot: Annotated[str | None, typer.Option("--plot", help="Write the poll tracker PNG here.")] = None,
    latest: Annotated[int, typer.Option(parser=Whole(0, 100_000),
                                        help="How many recent polls to list (0: none; all of "
                                        "them: seatcast polls list --limit 0).")] = 10,
    accuracy: Annotated[bool, typer.Option("--accuracy", help="Eve-of-election accuracy table, "
                                           "2010-2024, with the naive 7-day mean beside it.")] = False,
    as_json: Json = False,
):
    """Poll average with house effects, and the local poll store (add, list, remove, reset,
    import, update).

    The average is a daily one per party with a 90% band. It uses only polls whose fieldwork
    ended before --as-of; the average is for the day before. Polls come from the local poll
    store (created from the bundled polls; see `seatcast polls list`), or from --file for a
    one-off run.

    Examples:

        seatcast polls --as-of 2019-12-11

        seatcast polls --json

        seatcast polls --area Scotland --plot scotland.png

        seatcast polls --file my_polls.csv --as-of 2024-06-30

        seatcast polls --accuracy

        seatcast polls update && seatcast forecast
    """
    if ctx.invoked_subcommand:
        return
    from seatcast.polls import aggregate, save_tracker

    if accuracy:
        if file is not None or plot is not None:
            raise SeatcastError("--accuracy", "scores the bundled polls; it takes neither --file nor --plot")
        _accuracy_output(as_json)
        return
    if plot is not None:
        _io.check_output_file(plot, "--plot", (".png",))
    avg = aggregate(file, as_of=as_of, area=area)
    if plot:
        write_output(plot, "--plot", lambda p: save_tracker(avg, p))
    if as_json:
        emit_json({**avg.as_dict(latest=latest), **({"poll_file": file} if file else {})})
        return
    average, recent = _poll_tables(avg, latest)
    out.print(average)
    if latest:
        out.print(recent)
    if plot:
        out.print(f"tracker written to {plot}")
    if file:
        err.print(f"[dim]polls: file {escape(file)} (one-off; the poll store was not used)[/dim]",
                  highlight=False, soft_wrap=True)


def _merge_output(report, as_json: bool, what: str) -> None:
    """Render a :class:`seatcast.polls.store.MergeReport`."""
    if as_json:
        emit_json(report.as_dict())
        return
    out.print(f"{what}: added {count(len(report.added), 'poll')}, {report.duplicates:,} already in the store "
              f"({report.path})", highlight=False, soft_wrap=True)
    if report.near:
        err.print(f"[yellow]warning[/yellow] {report.near} of the added polls have the same pollster and "
                  "fieldwork dates as a poll already in the store but other figures (the sources disagree, "
                  "or it is a second poll): check them with 'seatcast polls list' and remove any "
                  "duplicate with 'seatcast polls remove ID'", highlight=False, soft_wrap=True)
    if len(report.added):
        rows = report.added.sort_values("fieldwork_end")
        cols = ("id", "pollster", "fieldwork", "area")

        def span(r) -> str:
            return f"{r.fieldwork_start.date()} to {r.fieldwork_end.date()}"

        cells = [(str(r.poll_id), r.pollster or "?", span(r), r.area) for r in rows.tail(20).itertuples()]
        out.print(grid("Polls added" + (" (latest 20)" if len(rows) > 20 else ""), cols, cells, left=cols))


@polls_app.command("add")
@guarded
def add(
    path: Annotated[str, typer.Argument(help="Polls CSV with a header row (columns above).")],
    as_json: Json = False,
):
    """Add your own polls from a CSV file to the poll store: every row is validated first
    (errors name the line), then all rows are added in one transaction, or none.

    Columns: pollster and fieldwork_end (YYYY-MM-DD) are required, with at least one party
    share in percent (con, lab, ld, ukip, brexit, reform, green, snp, pc, change_uk, bnp,
    restore_britain, other; a blank cell: not reported). Optional: poll_id, fieldwork_start,
    sample_size, area (GB, UK, Scotland, Wales; default GB), client, mode, notes, source.
    A file:

        pollster,fieldwork_end,sample_size,con,lab,ld,reform,green
        MyPolls,2026-09-01,1500,20,26,11,25,10

    Examples:

        seatcast polls add my_polls.csv

        seatcast polls add my_polls.csv --json
    """
    from pathlib import Path

    from seatcast.polls import read_csv, store

    report = store.merge(read_csv(path), "csv", Path(path).name)
    _merge_output(report, as_json, f"{path}")


@polls_app.command("list")
@guarded
def list_(
    area: Annotated[str | None, typer.Option(parser=OneOf(AREAS, ignore_case=True),
                                             help="Only GB (national), Scotland or Wales polls.")] = None,
    source: Annotated[str | None, typer.Option(help="Only polls from bundled, csv, pollbase or "
                                               "wikipedia.")] = None,
    limit: Annotated[int, typer.Option(parser=Whole(0), help="How many of the newest polls to show "
                                       "(0: all).")] = 20,
    as_json: Json = False,
):
    """List the polls in the store, newest first, with their id and provenance.

    Examples:

        seatcast polls list

        seatcast polls list --source csv --limit 0 --json
    """
    from seatcast.polls import store

    rows = store.listing(area=area, source=source, limit=limit)
    info = store.summary()
    if as_json:
        emit_json({"store": info, "polls": rows.astype(object).where(rows.notna(), None).to_dict("records")})
        return
    counts = ", ".join(f"{c['polls']:,} {c['source']} {c['kind']}" for c in info["counts"])
    out.print(f"Poll store {info['path']} (schema {info['schema_version']}): {counts}", highlight=False,
              soft_wrap=True)
    cols = ("id", "pollster", "fieldwork_end", "area", "source", "source_ref", "row", "shares")
    cells = [(str(r.id), r.pollster or "?", r.fieldwork_end, r.area, r.source, r.source_ref,
              str(r.source_row), r.shares_key) for _, r in rows.iterrows()]
    out.print(grid(f"Newest {count(len(rows), 'poll')}", cols, cells, left=cols))


@polls_app.command("remove")
@guarded
def remove(
    ids: Annotated[list[int], typer.Argument(parser=Whole(1), help="Poll ids (from seatcast polls list).")],
    as_json: Json = False,
):
    """Remove polls from the store by id (all of them, or none if an id is unknown).

    Example:

        seatcast polls remove 1000001 1000002
    """
    from seatcast.polls import store

    n = store.remove(ids)
    if as_json:
        emit_json({"removed": n, "ids": ids, "store": str(store.path())})
        return
    out.print(f"removed {n} poll{'s' if n != 1 else ''} from {store.path()}", highlight=False, soft_wrap=True)


@polls_app.command("reset")
@guarded
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: drop every added poll and the forecast "
                                      "history.")] = False,
    as_json: Json = False,
):
    """Rebuild the poll store from the bundled polls (added polls and forecast history are dropped).

    Example:

        seatcast polls reset --yes
    """
    from seatcast.polls import store

    if not yes:
        raise SeatcastError("yes", f"resetting {store.path()} drops every added poll; pass --yes")
    db = store.reset()
    if as_json:
        emit_json({"reset": str(db)})
        return
    out.print(f"poll store {db} rebuilt from the bundled polls", highlight=False, soft_wrap=True)


@polls_app.command("import")
@guarded
def import_(
    path: Annotated[str, typer.Argument(help="A PollBase workbook, e.g. PollBase-Q4-2025.xlsx.")],
    sheet: Annotated[list[str] | None, typer.Option(help="Sheets to read (repeatable); default: the "
                                                    "sheets since the 2010 election.")] = None,
    as_json: Json = False,
):
    """Import Mark Pack's PollBase workbook (https://www.markpack.org.uk/opinion-polls/) into the
    poll store; polls already there (from any source) are skipped. Needs the pollbase extra.

    Examples:

        seatcast polls import PollBase-Q4-2025.xlsx

        seatcast polls import PollBase-Q4-2025.xlsx --sheet 24- --json
    """
    from pathlib import Path

    from seatcast.polls import pollbase, store

    polls, warnings = pollbase.read_pollbase(path, sheet or None)
    for w in warnings if not as_json else ():
        err.print(f"[yellow]warning[/yellow] {w}", highlight=False, soft_wrap=True)
    _merge_output(store.merge(polls, "pollbase", Path(path).name), as_json, f"PollBase {path}")


@polls_app.command("update")
@guarded
def update(
    timeout: Annotated[float, typer.Option(parser=Number(1, 300), help="Network timeout, seconds.")] = 30,
    as_json: Json = False,
):
    """Fetch the latest polls from Wikipedia's "Opinion polling for the next United Kingdom general
    election" (national, Scotland and Wales tables) and add the new ones to the poll store.
    The only command that uses the network. Needs the update extra.

    Examples:

        seatcast polls update

        seatcast polls update && seatcast forecast
    """
    from seatcast.polls import wiki

    result = wiki.update(timeout=timeout)
    for w in result.warnings if not as_json else ():
        err.print(f"[yellow]warning[/yellow] {escape(w)}", highlight=False, soft_wrap=True)
    if as_json:
        emit_json({**result.report.as_dict(), "revision": result.revision, "warnings": list(result.warnings)})
        return
    _merge_output(result.report, False, f"Wikipedia revision {result.revision}")


def history(
    model: Model = defaults.MODEL,
    draws: Annotated[int, typer.Option(parser=Whole(100, defaults.MAX_DRAWS),
                                       help="Simulated elections per week.")] = 10_000,
    seed: Annotated[int, typer.Option(parser=Whole(0, 2**63 - 1),
                                      help="Random seed (same seed, same history).")] = defaults.SEED,
    since: Annotated[str | None, typer.Option(parser=PollDate(latest=False), help="First date "
                                              "(YYYY-MM-DD); default: the last general election.")] = None,
    every: Annotated[int, typer.Option(parser=Whole(1, 365), help="Days between forecasts.")] = 7,
    workers: Annotated[int, typer.Option(parser=Whole(1, 16), help="Worker processes.")] = 2,
    recompute: Annotated[bool, typer.Option("--recompute", help="Recompute every week.")] = False,
    plot: Annotated[str | None, typer.Option("--plot", help="Write the history PNG here [default: "
                                             "history.png; with --json: no plot]")] = None,
    csv: Annotated[str | None, typer.Option("--csv", help="Write the weekly table as CSV here.")] = None,
    as_json: Json = False,
):
    """The forecast week by week since the last general election, each made only from the polls
    known by then: seat medians with 50% and 90% bands and outcome probabilities over time.

    Results are kept in the poll store; only weeks that are missing or whose polls changed are
    recomputed (so after `seatcast polls update` it catches up in seconds).

    Examples:

        seatcast history

        seatcast history --draws 2000 --csv history.csv --plot history.png

        seatcast history --model uns --since 2025-01-01 --json
    """
    from seatcast.simulate.history import history as run_history
    from seatcast.simulate.history import write_csv
    from seatcast.simulate.report import plot_history

    if plot is None and not as_json:  # like forecast's report: --json alone writes no file
        plot = "history.png"
    if plot:
        _io.check_output_file(plot, "--plot", (".png",))
    if csv:
        _io.check_output_file(csv, "--csv", (".csv",))
    bar, advance = progress_bar(0, "forecasting weeks", not as_json)

    def progress(done: int, total: int) -> None:
        if advance is not None:
            bar.update(bar.task_ids[0], completed=done, total=total)

    with bar:
        hist = run_history(model, draws=draws, seed=seed, since=since, every=every, workers=workers,
                           recompute=recompute, progress=progress)
    if plot:
        write_output(plot, "--plot", lambda p: plot_history(hist, p))
    if csv:
        write_output(csv, "--csv", lambda p: write_csv(hist, p))
    if as_json:
        emit_json({**hist.as_dict(), "plot": plot, "csv": csv})
        return
    _history_table(hist)
    for note in hist.skipped:
        err.print(f"[dim]note: no forecast as of {escape(note)}[/dim]", highlight=False, soft_wrap=True)
    out.print(f"{len(hist.dates)} weeks: {len(hist.computed)} computed, {hist.reused} reused from the store"
              + (f"; plot {plot}" if plot else "") + (f"; table {csv}" if csv else ""),
              highlight=False, soft_wrap=True)


def _history_table(hist) -> None:
    shown = hist.main_parties(5)
    step = max(1, len(hist.dates) // 12)
    def median(d, p) -> str:
        return f"{hist.seats.at[(d, p), 'median']:.0f}" if (d, p) in hist.seats.index else ""

    rows = [(d, str(hist.newest_poll[d]), *(median(d, p) for p in shown),
             f"{hist.probabilities.at[d, 'hung']:.0%}") for d in hist.dates[::-step][::-1]]
    out.print(grid("Median seats" + (f", every {step} weeks" if step > 1 else ", every week"),
                    ("as of", "newest poll", *shown, "P(hung)"), rows, left=("as of", "newest poll")))
