"""The ``seatcast`` command line: thin wrappers over the library.

Each command parses its options, calls one public function and renders the result.
Domain errors (:class:`seatcast.errors.SeatcastError`) become a one-line message on
stderr and exit code 2 in one place, :func:`seatcast.cliutil.guarded` (which :func:`command`
applies). The option types and output helpers shared with :mod:`seatcast.cli_polls` and
:mod:`seatcast.cli_live` are in :mod:`seatcast.cliutil`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from seatcast import _io, defaults
from seatcast.cliutil import (
    MODEL_HELP,
    PANELS,
    Json,
    Model,
    Number,
    OneLineGroup,
    OneOf,
    PollDate,
    Seed,
    Whole,
    count,
    emit_json,
    given,
    grid,
    guarded,
    out,
    parse_pairs,
    print_note,
    progress_bar,
    tolerant_streams,
    working,
    write_output,
)
from seatcast.elections import ELECTIONS, TRANSITIONS
from seatcast.errors import SeatcastError
from seatcast.geography import GB

app = typer.Typer(
    name="seatcast",
    cls=OneLineGroup,
    help="UK general elections: polls to seats, seats to decisions.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)


def _print_version(value: bool) -> None:
    if value:
        from seatcast import __version__

        out.print(f"seatcast {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """UK general elections: polls to seats, seats to decisions."""


def command(fn):
    """Register ``fn`` as a command (errors handled by :func:`guarded`), in its ``--help`` panel."""
    return app.command(rich_help_panel=PANELS[fn.__name__.replace("_", "-")])(guarded(fn))


Share = Annotated[float | None, typer.Option(parser=Number(), help="GB vote share, percent.",
                                             show_default=False)]
Baseline = Annotated[str, typer.Option(parser=OneOf(ELECTIONS),
                                       help=f"Baseline election: {' '.join(ELECTIONS)}.")]
Election = Annotated[str, typer.Option(parser=OneOf(ELECTIONS),
                                       help=f"Actual election: {' '.join(ELECTIONS)}.")]
SeatOverride = Annotated[list[str] | None, typer.Option(
    "--seat", help="Candidate override in one seat (name or ONS code): 'Islington North:ind=40' "
                   "pins a share, 'Islington North:-ind' removes the candidate. Repeatable.")]
SeatsFile = Annotated[str | None, typer.Option(
    "--seats-file", help="CSV of candidate overrides with columns seat,party,share (0 removes).")]


def seat_overrides(seat: list[str] | None, seats_file: str | None) -> list:
    """The ``--seat`` and ``--seats-file`` overrides as one list (seatcast.swing.candidates)."""
    from seatcast.swing import candidates

    found = candidates.parse_overrides(seat or [])
    return found + (candidates.read_overrides(seats_file) if seats_file else [])


def print_explain(card: dict) -> None:
    """A seat card in words (``Projection.explain``)."""
    moved = f"gain from {card['baseline_winner']}" if card["changes_hands"] else "hold"
    out.print(f"[bold]{escape(card['constituency'])}[/bold] ({card['ons_code']}): {card['winner']} "
              f"{moved}", highlight=False)
    for line in card["summary"]:
        out.print(f"  {escape(line)}", highlight=False, soft_wrap=True)


def _more(total: int, top: int) -> None:
    """Say how many rows ``--top`` left out, and how to see them."""
    if 0 < top < total:
        out.print(f"... and {total - top:,} more (use --top 0 to list all)", highlight=False)


def _rich_table(title: str, rows: list[dict], columns):
    """A result table fitted to the result console's width (:func:`seatcast.present.rich_table`)."""
    from seatcast import present

    return present.rich_table(title, rows, columns, width=out.width)


def seat_table(title: str, seats: dict, changes: dict | None = None):
    """Seat totals (and changes) as a table, via :mod:`seatcast.present`."""
    from seatcast import present

    rows = present.seat_total_rows({"seats": seats, "changes": changes or {}})
    cols = present.SEAT_COLUMNS if changes is not None else present.SEAT_COLUMNS[:2]
    return _rich_table(title, rows, cols)


SwingOpt = Annotated[list[str] | None, typer.Option(
    help="Two-party swing in points, FROM:TO=POINTS, e.g. lab:reform=5, applied to the scenario "
         "(or to the baseline's GB shares when no shares are given). Repeatable.")]
CsvOpt = Annotated[str | None, typer.Option("--csv", help="Also write a per-seat CSV here: shares, winner, "
                                            "majority, swing to flip, win probability.")]


def scenario_input(gb: dict, scotland, wales, ni, region, polls: str | None, swings, baseline: str):
    """The scenario of ``project``: the options parsed, then :func:`seatcast.polls.user_scenario`
    (the same function as ``POST /api/project``)."""
    from seatcast.polls import user_scenario

    nations, regions = parse_areas(scotland, wales, ni, region)
    return user_scenario({k: v for k, v in gb.items() if v is not None}, nations, regions, polls,
                         swings or (), baseline)


def parse_areas(scotland, wales, ni, region) -> tuple[dict, dict]:
    """``--scotland/--wales/--ni 'snp=30,lab=35'`` and ``--region 'London:lab=45'`` -> mappings."""
    nations = {name: parse_pairs(text, name) for name, text in
               (("Scotland", scotland), ("Wales", wales), ("Northern Ireland", ni)) if text}
    regions = {}
    for spec in region or []:
        name, sep, text = spec.partition(":")
        if not sep:
            raise SeatcastError("region", f"expected 'Region:party=share,...', got {spec!r}")
        regions[name.strip()] = parse_pairs(text, name.strip())
    return nations, regions


def build_scenario(gb: dict, scotland, wales, ni, region):
    from seatcast.swing import scenario

    nations, regions = parse_areas(scotland, wales, ni, region)
    return scenario({k: v for k, v in gb.items() if v is not None}, nations, regions)


@command
def project(
    con: Share = None, lab: Share = None, ld: Share = None, reform: Share = None,
    brexit: Share = None, ukip: Share = None, green: Share = None, snp: Share = None,
    pc: Share = None, restore_britain: Share = None, other: Share = None,
    scotland: Annotated[str | None, typer.Option(help="Scotland shares, e.g. 'snp=30,lab=35'.")] = None,
    wales: Annotated[str | None, typer.Option(help="Wales shares, e.g. 'lab=37,pc=15'.")] = None,
    ni: Annotated[str | None, typer.Option(help="Northern Ireland shares, e.g. 'sf=27,dup=22'.")] = None,
    region: Annotated[list[str] | None, typer.Option(help="English region shares, "
                                                     "e.g. 'London:lab=45,con=25'. Repeatable.")] = None,
    polls: Annotated[str | None, typer.Option(parser=PollDate(), help="Use the poll average as the scenario: "
                                              "'latest' or a date such as 2019-12-11. Shares given "
                                              "as well override the average's.")] = None,
    swing: SwingOpt = None,
    baseline: Baseline = defaults.BASELINE,
    model: Model = defaults.MODEL,
    top: Annotated[int, typer.Option(parser=Whole(0, 650),
                                     help="Seats changing hands to list (0: all).")] = defaults.TOP,
    csv: CsvOpt = None,
    seat: SeatOverride = None,
    seats_file: SeatsFile = None,
    explain: Annotated[list[str] | None, typer.Option(
        help="Explain one seat (name or ONS code): baseline, swing model, tactical step and "
             "candidate effects. 'changes' explains every seat changing hands. Repeatable.")] = None,
    as_json: Json = False,
):
    """Project national vote shares onto seats: seat totals, verdict, seats changing hands.

    Examples:

        seatcast project --con 43 --lab 36 --ld 12 --brexit 3 --green 2 --baseline 2017 --model stm

        seatcast project --lab 30 --reform 28 --con 18 --ld 12 --green 9 --scotland "snp=32,lab=22"

        seatcast project --polls latest --json

        seatcast project --polls latest --model tm --seat "Islington North:-ind" --explain "Islington North"

        seatcast project --polls latest --con 25 --csv seats.csv

        seatcast project --swing lab:reform=5
    """
    from seatcast import present
    from seatcast.swing import project as run_projection

    gb = dict(con=con, lab=lab, ld=ld, reform=reform, brexit=brexit, ukip=ukip, green=green,
              snp=snp, pc=pc, restore_britain=restore_britain, other=other)
    if not any(v is not None for v in gb.values()) and not (scotland or wales or ni or region or polls
                                                            or swing):
        raise SeatcastError("scenario", "give some shares (e.g. --con 43 --lab 36), --polls latest "
                                        "or --swing lab:reform=5")
    csv_path = _io.check_output_file(csv, "--csv", (".csv",)) if csv else None
    scen = scenario_input(gb, scotland, wales, ni, region, polls, swing, baseline)
    proj = run_projection(scen, baseline, model, seat_overrides(seat, seats_file))
    parl = proj.parliament
    flips = parl.flip_records()
    wanted = [c for e in explain or [] for c in ([f["ons_code"] for f in flips] if e == "changes" else [e])]
    cards = [proj.explain(e, "explain") for e in wanted]
    if csv_path:
        write_output(csv_path, "--csv", lambda p: _io.write_text(p, present.seat_csv(proj)))
    if as_json:
        emit_json({**({"explain": cards} if explain else {}), **present.projection_doc(proj)})
        return
    for note in proj.notices:
        print_note(note)
    out.print(seat_table(f"Projection from {proj.baseline.election} ({proj.model})",
                         parl.seats, parl.changes))
    out.print(f"[bold]{parl.verdict}[/bold] (326 for a majority; working-majority line "
              f"{parl.working_line} after the Speaker and Sinn Féin)")
    if parl.ties:
        out.print(f"Tied seats (decided by lot; counted for the first tied party): {', '.join(parl.ties)}")
    if csv_path:
        out.print(f"per-seat CSV written to {csv_path}")
    cols = ("ons_code", "constituency", "from", "to")
    out.print(grid(f"Seats changing hands: {len(flips)}", cols,
                    [[f[c] for c in cols] for f in (flips if top <= 0 else flips[:top])], left=cols))
    _more(len(flips), top)
    for card in cards:
        print_explain(card)


def _all_or_one(ctx: typer.Context, all_: bool) -> bool:
    """``--all`` runs every election: an ``--election`` given as well is an error, not ignored."""
    if all_ and given(ctx, "election"):
        raise SeatcastError("election", "--all runs every election; give --all or --election, not both")
    return all_


@command
def hindsight(
    ctx: typer.Context,
    election: Annotated[str, typer.Option(parser=OneOf(TRANSITIONS),
                                          help=f"Election to project: {' '.join(TRANSITIONS)}.")]
    = defaults.BASELINE,
    model: Model = defaults.MODEL,
    nations: Annotated[bool, typer.Option("--nations", help="Use true England/Scotland/Wales shares.")
                       ] = False,
    regions: Annotated[bool, typer.Option("--regions", help="Also use the true English region shares.")
                       ] = False,
    all_: Annotated[bool, typer.Option("--all", help="Every election, as a table (with every model "
                                       "unless --model is given).")] = False,
    as_json: Json = False,
):
    """The "perfect poll" test: project an election from the previous one with the true shares.

    Columns (GB seats): seats correct, seats whose projected winner won; SAE, the sum over
    parties of |projected seats - actual seats|; share RMSE, the root mean square error of the
    projected vote shares, seat by seat, in points.

    Examples:

        seatcast hindsight --election 2019 --model uns --json

        seatcast hindsight --election 2024 --model tm --nations

        seatcast hindsight --all --regions
    """
    from seatcast.backtest import hindsight as run_hindsight
    from seatcast.backtest.hindsight import HINDSIGHT_PAIRS
    from seatcast.swing import MODELS

    level = "regions" if regions else "nations" if nations else "gb"
    if _all_or_one(ctx, all_):
        pairs = [(e, m) for m in ((model,) if given(ctx, "model") else MODELS) for e in HINDSIGHT_PAIRS]
        bar, advance = progress_bar(len(pairs), "hindsight", not as_json)
        results = []
        with bar:
            for e, m in pairs:
                results.append(run_hindsight(e, m, level))
                if advance:
                    advance(1)
    else:
        results = [run_hindsight(election, model, level)]
    if as_json:
        emit_json(results[0].as_dict() if not all_ else [r.as_dict() for r in results])
        return
    shares = {"gb": "GB", "nations": "nation", "regions": "nation and English-region"}[level]
    out.print(grid(f"Hindsight test, true {shares} shares (GB seats)",
                    ("election", "model", "seats correct", "SAE", "share RMSE (pts)"),
                    [(r.election, r.model, f"{r.seats_correct}/{r.seats_total}", str(r.sae), f"{r.rmse:.2f}")
                     for r in results]))


@command
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind; 0.0.0.0 exposes it to your network.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(parser=Whole(1, 65535), help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(parser=Whole(1, 16), help="Server processes (2 on a 2-core "
                                         "machine doubles projection throughput).")] = 1,
):
    """Run the web dashboard (swingometer, hex map, forecast, polls) and its JSON API.

    Needs the web extra: pip install 'seatcast[web]'. Open http://127.0.0.1:8000/ ; the API
    schema is at /docs. The server answers only to its own names (127.0.0.1, localhost, and
    --host), against DNS rebinding.

    Examples:

        seatcast serve

        seatcast serve --port 8080 --workers 2
    """
    from seatcast.web import serve as run_server

    run_server(host, port, workers=workers)


def _blocs(bloc: list[str] | None, path: str | None):
    """``--bloc`` strings and a ``--blocs`` file together (None: the default blocs)."""
    from seatcast.parliament.blocs import load_blocs, normalise_blocs

    out = normalise_blocs(bloc) if bloc else {}
    out.update(load_blocs(path) if path else {})
    return out or None


@command
def forecast(
    as_of: Annotated[str | None, typer.Option(parser=PollDate(),
                                              help="Use polls ending before this date (YYYY-MM-DD); "
                                              "default: the newest polls in the poll store.")] = None,
    draws: Annotated[int, typer.Option(parser=Whole(1, defaults.MAX_DRAWS),
                                       help="Simulated elections.")] = defaults.DRAWS,
    seed: Seed = defaults.SEED,
    model: Model = defaults.MODEL,
    baseline: Baseline = defaults.BASELINE,
    bloc: Annotated[list[str] | None, typer.Option(help="A bloc of parties joined by '+' or ',', e.g. "
                                                   "con+reform+dup. Repeatable; replaces the "
                                                   "default blocs.")] = None,
    blocs_file: Annotated[str | None, typer.Option("--blocs", help="A TOML file of blocs, one "
                                                   "'name = [\"con\", \"reform\"]' per line; "
                                                   "replaces the default blocs.")] = None,
    out_dir: Annotated[str | None, typer.Option("--out", help="Folder for the HTML report and PNG figures "
                                                "[default: seatcast-report; with --json: no report]")]
    = None,
    csv: CsvOpt = None,
    seat: SeatOverride = None,
    seats_file: SeatsFile = None,
    as_json: Json = False,
):
    """Forecast the next general election from the poll average: seat distributions, outcome
    probabilities, government arithmetic, and an HTML report with figures.

    Examples:

        seatcast forecast

        seatcast forecast --as-of 2024-07-04 --baseline 2019n --json

        seatcast forecast --bloc con+reform+dup --bloc lab+ld+green+snp+pc --out report

        seatcast forecast --seat "Islington North:-ind" --seats-file overrides.csv

        seatcast forecast --draws 20000 --csv seats.csv
    """
    from seatcast import present
    from seatcast.simulate import forecast as run_forecast
    from seatcast.simulate import write_report
    from seatcast.simulate.report import REPORT_FILES

    if out_dir is None and not as_json:
        out_dir = defaults.REPORT_DIR
    csv_path = _io.check_output_file(csv, "--csv", (".csv",)) if csv else None
    replacing = out_dir is not None and _io.check_output_dir(out_dir, "--out", REPORT_FILES).exists()
    overrides = seat_overrides(seat, seats_file)
    bar, advance = progress_bar(draws, "simulating", not as_json)
    with bar:
        fc = run_forecast(as_of=as_of, baseline=baseline, model=model, draws=draws, seed=seed,
                          blocs=_blocs(bloc, blocs_file), progress=advance,
                          overrides=overrides)
    page = write_report(fc, out_dir, field="--out") if out_dir is not None else None
    if replacing:
        print_note(f"replaced the previous report in {out_dir}")
    if csv_path:
        from seatcast.simulate.report import central_projection

        write_output(csv_path, "--csv",
                     lambda p: _io.write_text(p, present.seat_csv(central_projection(fc), fc.win_prob)))
    doc = present.forecast_doc(fc)
    if as_json:
        emit_json(doc)
        return
    for note in fc.notices:
        print_note(note)
    out.print(f"Poll average as of {fc.as_of} (polls {fc.poll_window[0]} to {fc.poll_window[1]})")
    title = f"Forecast: {fc.draws:,} simulated elections ({fc.model}, baseline {fc.baseline})"
    out.print(_rich_table(title, present.forecast_table_rows(doc), present.FORECAST_COLUMNS))
    out.print(f"[bold]Hung parliament: {fc.probabilities['hung']:.1%}[/bold] (326 seats for a majority)")
    out.print(present.FORECAST_CAVEAT, highlight=False)
    out.print(_rich_table("Government arithmetic (working majority after the Speaker and Sinn Féin)",
                                 present.bloc_table_rows(doc), present.BLOC_COLUMNS))
    if csv_path:
        out.print(f"per-seat CSV written to {csv_path}")
    if page:
        out.print(f"Report: {page}")


@command
def backtest(
    ctx: typer.Context,
    election: Annotated[str, typer.Option(parser=OneOf(TRANSITIONS),
                                          help=f"Election to backtest: {' '.join(TRANSITIONS)}.")]
    = defaults.BASELINE,
    all_: Annotated[bool, typer.Option("--all", help="All four elections (with every model unless "
                                       "--model is given).")] = False,
    model: Annotated[str | None, typer.Option(parser=OneOf(defaults.MODEL_NAMES),
                                              help=f"Only this model (default: every model). {MODEL_HELP}")]
    = None,
    draws: Annotated[int, typer.Option(parser=Whole(1, defaults.MAX_DRAWS),
                                       help="Simulated elections per forecast.")] = defaults.BACKTEST_DRAWS,
    seed: Seed = defaults.SEED,
    as_json: Json = False,
):
    """Forecast past elections as of the day before polling day and score them.

    Polls up to the day before, the previous result (2019 notional for 2024), error scales
    fitted without that election. Columns (GB seats): SAE, the sum over parties of
    |median seats - actual seats|; lead err, median minus actual seats of the party that won
    most; correct, seats whose most likely winner won; Brier and logloss of the seat win
    probabilities (lower is better); in 90%, parties whose actual total fell in the 90%
    interval; P(actual), the probability given to the actual outcome.

    Examples:

        seatcast backtest --election 2019

        seatcast backtest --all --json
    """
    from seatcast.backtest.forecast_backtest import BACKTESTS, run_backtests
    from seatcast.swing.models import MODELS, _load_optional

    _load_optional()
    _all_or_one(ctx, all_)
    elections = tuple(BACKTESTS) if all_ else (election,)
    bar, advance = progress_bar(len(elections) * (1 if model else len(MODELS)), "backtests", not as_json)
    with bar:
        results = run_backtests(elections, models=(model,) if model else None, draws=draws, seed=seed,
                                progress=advance)
    if as_json:
        emit_json([r.as_dict() for r in results])
        return
    rows = [(r.election, r.model, str(r.sae), f"{r.largest_error:+d}", f"{r.seats_correct}/{r.seats_total}",
             f"{r.brier:.3f}", f"{r.log_loss:.3f}", f"{sum(r.covered90.values())}/{len(r.covered90)}",
             f"{r.p_actual_outcome:.1%}") for r in results]
    out.print(grid("Forecast backtests, as of the day before polling day (GB seats)", ("year", "model", "SAE",
                   "lead err", "correct", "Brier", "logloss", "in 90%", "P(actual)"), rows))
    out.print("seats per party: median / expected (sum of win probabilities) / modal calls (actual)",
              highlight=False)
    for r in results:
        out.print(f"{r.election} {r.model}: " + ", ".join(
            f"{p} {r.seats[p]}/{r.expected[p]:.0f}/{r.modal[p]} ({r.actual[p]})"
            for p in r.seats if r.seats[p] or r.actual[p]), highlight=False)


@command
def reliability(
    model: Model = defaults.MODEL,
    draws: Annotated[int, typer.Option(parser=Whole(1, defaults.MAX_DRAWS),
                                       help="Simulated elections per forecast.")] = defaults.BACKTEST_DRAWS,
    seed: Seed = defaults.SEED,
    plot: Annotated[str | None, typer.Option(help="Also write the reliability diagram (PNG).")] = None,
    as_json: Json = False,
):
    """Are the seat win probabilities calibrated? The eve-of-election backtests of 2015-2024, pooled.

    Every (GB seat, party) with a positive win probability is one forecast; per tenth of the
    probability scale: the mean forecast, the share that won, and the count (docs/accuracy.md).

    Examples:

        seatcast reliability

        seatcast reliability --model tac --plot reliability.png --json
    """
    from seatcast.backtest.forecast_backtest import BACKTESTS, reliability_plot
    from seatcast.backtest.forecast_backtest import reliability as run_reliability

    if plot is not None:
        _io.check_output_file(plot, "--plot", (".png",))
    with working("backtesting 2015-2024", not as_json):
        table = run_reliability(model=model, draws=draws, seed=seed)
    if plot:
        write_output(plot, "--plot", lambda p: reliability_plot(p, model, draws, seed, table=table))
    rows = [{"forecast": round(float(r.forecast), 4), "observed": round(float(r.observed), 4), "n": int(r.n)}
            for r in table.itertuples()]
    if as_json:
        emit_json({"model": model, "draws": draws, "seed": seed, "elections": list(BACKTESTS), "bins": rows})
        return
    cells = [(f"{r['forecast']:.3f}", f"{r['observed']:.3f}", f"{100 * (r['observed'] - r['forecast']):+.1f}",
              f"{r['n']:,}") for r in rows]
    out.print(grid(f"Reliability of seat win probabilities, backtests 2015-2024 ({model})",
                   ("forecast (bin mean)", "observed", "gap (points)", "forecasts"), cells))
    if plot:
        out.print(f"reliability diagram written to {plot}", highlight=False)


# ---- campaign analytics (seatcast.campaign) -----------------------------------------------

Shares = Annotated[str | None, typer.Option(help="Project first: GB shares, e.g. 'con=43,lab=33,ld=12'.")]
PollsAsOf = Annotated[str | None, typer.Option("--polls", parser=PollDate(),
                                               help="Project first from the poll average "
                                               "as of a date (YYYY-MM-DD) or 'latest'.")]


def _campaign_scenario(shares: str | None, polls: str | None, baseline: str):
    """The scenario of a campaign command: poll average, explicit shares, or None (the result)."""
    if polls is not None and shares:
        raise SeatcastError("shares", "give --shares or --polls, not both")
    if polls is not None:
        from seatcast.polls import user_scenario

        return user_scenario(polls=polls, baseline=baseline)
    if shares:
        return build_scenario(parse_pairs(shares, "shares"), None, None, None, None)
    return None


def _print_recount(res, as_json: bool, headline: str, title: str) -> None:
    """Render a re-counted result (pact, turnout): JSON, or headline, seat table and flips."""
    if as_json:
        emit_json(res.as_dict())
        return
    out.print(headline, highlight=False)
    out.print(seat_table(title, res.seats_after, res.changes))
    out.print(_rows_table(f"Seats changing hands: {len(res.flips)}", list(res.flips),
                          ["ons_code", "constituency", "from", "to"]))


def _rows_table(title: str, rows: list[dict], cols: list[str]):
    """Rows of a campaign result as a table: labels and formats from :func:`seatcast.present.columns`."""
    from seatcast import present

    rows = [{k: (", ".join(f"{p} {n:,}" for p, n in v.items()) if isinstance(v, dict) else v)
             for k, v in r.items()} for r in rows]
    return _rich_table(title, rows, present.columns(cols, rows))


@command
def targets(
    party: Annotated[str, typer.Option(help="Party code, e.g. lab.")],
    baseline: Baseline = defaults.BASELINE,
    vs: Annotated[str | None, typer.Option(help="Two-party list: swing from this party.")] = None,
    shares: Shares = None,
    polls: PollsAsOf = None,
    model: Model = defaults.MODEL,
    draws: Annotated[int, typer.Option(parser=Whole(0, defaults.MAX_DRAWS),
                                       help="With a projection: draws for win probabilities.")] = 0,
    seed: Seed = defaults.SEED,
    top: Annotated[int, typer.Option(parser=Whole(0, 650), help="Rows of each list to show (0: all).")] = 20,
    csv: Annotated[str | None, typer.Option("--csv", help="Also write the --top rows of both lists here "
                                            "(ons_code,type,party,...: audit-targets reads it).")] = None,
    as_json: Json = False,
):
    """Target and defence lists: swing, votes switched and votes added needed in each seat,
    and the tipping-point seats for a majority and for being the largest party.

    Examples:

        seatcast targets --party lab --baseline 2019 --top 100

        seatcast targets --party lab --polls latest --top 50 --csv lab_targets.csv

        seatcast targets --party con --vs lab --baseline 2017 --json

        seatcast targets --party lab --baseline 2024 --polls latest --draws 2000
    """
    from seatcast import present
    from seatcast.campaign import targets as run_targets
    from seatcast.campaign.tactical import held_out

    csv_path = _io.check_output_file(csv, "--csv", (".csv",)) if csv else None
    scen = _campaign_scenario(shares, polls, baseline)
    with working("simulating win probabilities", draws > 0 and not as_json):
        tl = run_targets(party, baseline, vs, scen, model, draws=draws, seed=seed, exclude=held_out(polls))
    d = tl.as_dict(top or None)
    if csv_path:
        write_output(csv_path, "--csv", lambda p: _io.write_text(p, tl.to_csv(top or None)))
    if as_json:
        emit_json(d)
        return
    if scen is None:  # the result, not today's polls: say so before the lists are read as current
        print_note(f"these lists are on the {tl.election} result; --polls latest projects today's poll "
                   "average first")
    for what, tip in tl.tipping.items():
        out.print(present.tipping_text(what, tip, tl.party, tl.vs), highlight=False)
    cols = ["rank", "ons_code", "constituency", "winner", "swing_needed", "votes_switched", "votes_added"]
    cols += ["win_prob"] if "win_prob" in tl.targets else []
    on = f"the {tl.field} result" if scen is None else tl.field
    out.print(_rows_table(f"{tl.party} targets on {on}", d["targets"], cols))
    _more(len(tl.targets), top)
    cols[3] = "challenger"
    out.print(_rows_table(f"{tl.party} defences on {on}", d["defences"], cols))
    _more(len(tl.defences), top)
    if csv_path:
        out.print(f"target list CSV written to {csv_path}", highlight=False)


@command
def close_call(
    election: Election = defaults.BASELINE,
    goal: Annotated[str, typer.Option(help="majority, lose-majority, not-largest, largest, bloc-majority.")]
    = "majority",
    party: Annotated[str | None, typer.Option(help="The party the goal is about.")] = None,
    bloc: Annotated[str | None, typer.Option(help="Bloc for bloc-majority, e.g. lab,snp,ld or "
                                                 "lab+snp+ld.")] = None,
    mode: Annotated[str, typer.Option(help="switch (A to B closes the gap by 2), add (new voters), "
                                      "restricted (--from/--to only).")] = "switch",
    from_: Annotated[str | None, typer.Option("--from", help="Source parties (restricted mode).")] = None,
    to: Annotated[str | None, typer.Option(help="Destination parties.")] = None,
    line: Annotated[str | None, typer.Option(help="overall (326) or working (Speaker and Sinn Féin "
                                             "excluded); default overall, working for a bloc.")] = None,
    as_json: Json = False,
):
    """Closest call: the fewest voters who, acting differently, would have changed the outcome.
    Solved exactly as an integer program (HiGHS).

    Examples:

        seatcast close-call --election 2017 --goal majority --party con --json

        seatcast close-call --election 2019 --goal lose-majority --party con

        seatcast close-call --election 2017 --goal bloc-majority --bloc lab,snp,ld,pc,green

        seatcast close-call --election 2017 --goal majority --party con --mode restricted --from lab --to con
    """
    from seatcast.campaign import close_call as run_close_call

    res = run_close_call(election, goal, party, bloc, mode, from_, to, line)
    if as_json:
        emit_json(res.as_dict())
        return
    if not res.seats:  # an empty table is not an answer
        top = ", ".join(f"{p} {n}" for p, n in sorted(res.seats_before.items(), key=lambda kv: -kv[1])[:3])
        out.print(f"'{res.goal.describe()}' already holds at {res.election} ({top}): no voter needs to act "
                  "differently", highlight=False)
        return
    out.print(f"[bold]{count(res.votes, 'voter')}[/bold] ({res.mode}) in {count(len(res.seats), 'seat')}: "
              f"{res.goal.describe()} at {res.election}", highlight=False)
    out.print(_rows_table("Seats", [dict(s, by_party=s.get("switched_from", "")) for s in res.seats],
                          ["ons_code", "constituency", "from", "to", "votes", "by_party"]))
    if res.flows:
        out.print(_rows_table("Switchers by route", list(res.flows), ["from", "to", "voters", "seats"]))
    out.print(f"[dim]{res.rules}[/dim]", highlight=False)


@command
def tactical(
    against: Annotated[str, typer.Option(help="The party to stop.")] = "con",
    from_: Annotated[str, typer.Option("--from", help="Parties whose voters may switch.")] = "lab,ld,green",
    max_share: Annotated[float, typer.Option(parser=Number(0, 1),
                                             help="At most this fraction of each source party switches.")]
    = 0.3,
    goal: Annotated[str, typer.Option(help="deny-majority or not-largest.")] = "deny-majority",
    cushion: Annotated[float, typer.Option(parser=Number(0, 0.49), help=(
        "Win each flipped seat by at least this share of its votes (0.02 = 2 points; 0: by one "
        "vote), against the projection's error."))] = 0.0,
    seats: Annotated[str | None, typer.Option(
        help="Only these seats: ONS codes or names (comma-separated), file:PATH, held-by:P.")]
    = None,
    baseline: Baseline = defaults.BASELINE,
    shares: Shares = None,
    polls: Annotated[str | None, typer.Option(
        "--polls", parser=PollDate(), help="Project first from the poll average as of a date (YYYY-MM-DD) "
        f"or 'latest' (the default on {defaults.BASELINE} when no --shares are given).")] = None,
    model: Model = defaults.MODEL,
    draws: Annotated[int, typer.Option(parser=Whole(0, defaults.MAX_DRAWS),
                                       help="Monte Carlo draws for the robustness check (0: skip).")]
    = defaults.CAMPAIGN_DRAWS,
    seed: Seed = defaults.SEED,
    as_json: Json = False,
):
    """Tactical-voting optimiser: the fewest tactical switchers that stop a party, on a projection
    (of the latest poll average unless --shares or --polls say otherwise), and how often the plan
    still works across the forecast's uncertainty.

    Examples:

        seatcast tactical --against reform --goal not-largest --from lab,con,ld,green

        seatcast tactical --baseline 2017 --polls 2019-12-11 --against con --from lab,ld,green --max-share 0.3

        seatcast tactical --baseline 2017 --polls 2019-12-11 --max-share 0.6 --json

        seatcast tactical --baseline 2024 --shares "lab=30,reform=28,con=18,ld=12,green=8" --against reform

        seatcast tactical --shares "con=43,lab=30,ld=10,reform=8,green=5" --max-share 0.6 --cushion 0.02
    """
    from seatcast.campaign import tactical as run_tactical
    from seatcast.campaign.tactical import held_out

    if polls is None and not shares:  # today's polls project from today's baseline only
        if baseline != defaults.BASELINE:
            raise SeatcastError("scenario", f"give --polls DATE or --shares to project from {baseline}")
        polls = "latest"
    scen = _campaign_scenario(shares, polls, baseline)
    with working("optimising and checking robustness", not as_json):
        plan = run_tactical(scen, baseline, against, from_, max_share, goal, seats, model, draws, seed,
                            held_out(polls), cushion)
    if as_json:
        emit_json(plan.as_dict())
        return
    if not plan.seats:
        out.print(f"{plan.against} is already stopped ({plan.goal}) on {plan.field}: {plan.status()}; "
                  "no tactical voting needed", highlight=False)
        return
    out.print(f"[bold]{count(plan.total, 'tactical switcher')}[/bold] in "
              f"{count(len(plan.seats), 'seat')} stop {plan.against} ({plan.goal}) on {plan.field}: "
              f"{plan.seats_before.get(plan.against, 0)} -> {plan.seats_after.get(plan.against, 0)} seats",
              highlight=False)
    out.print(_rows_table("Plan", list(plan.seats), ["ons_code", "constituency", "from", "to", "switchers",
                                                     "by_party"]))
    out.print(_rows_table("Switchers by route", list(plan.flows), ["from", "to", "voters", "seats"]))
    change = {p: plan.seats_after.get(p, 0) - plan.seats_before.get(p, 0) for p in plan.seats_before}
    out.print(seat_table("Seats of the parties the plan changes", {p: plan.seats_after.get(p, 0)
                                                                   for p, d in change.items() if d}, change))
    margin = f"by {plan.cushion:.1%} of its votes" if plan.cushion else "by one vote; --cushion asks for more"
    out.print(f"Each seat's switchers are the fewest that win it on the central projection ({margin}).",
              highlight=False)
    if plan.robustness:
        r = plan.robustness
        out.print(f"Robustness over {r['draws']:,} draws: goal reached in {r['success_with_plan']:.1%} "
                  f"with the plan, {r['success_without_plan']:.1%} without it")


@command
def pact(
    party: Annotated[str | None, typer.Option(help="The party standing aside.")] = None,
    seats: Annotated[str, typer.Option(
        help="Where: held-by:PARTY (at the baseline), ONS codes or seat names (comma-separated), "
             "file:PATH, unite-to-remain, all.")] = "all",
    transfer: Annotated[str | None, typer.Option(help="Where its votes go, e.g. con=0.6,lab=0.15,"
                                                 "other=0.25; the rest stay home.")] = None,
    preset: Annotated[str | None, typer.Option(help="A named pact: unite-to-remain.")] = None,
    rate: Annotated[float, typer.Option(parser=Number(0, 1),
                                        help="Preset pacts: share of a partner's votes passed on.")] = 0.7,
    baseline: Baseline = defaults.BASELINE,
    shares: Shares = None,
    polls: PollsAsOf = None,
    model: Model = defaults.MODEL,
    as_json: Json = False,
):
    """Pacts and stand-asides: remove a party in some seats, pass its votes on, re-count the seats.

    Examples:

        seatcast pact --party brexit --seats held-by:con --transfer con=0.6,lab=0.15,other=0.25

        seatcast pact --party brexit --seats held-by:lab --transfer con=0.6,lab=0.15 --baseline 2019

        seatcast pact --preset unite-to-remain --rate 0.7 --baseline 2017 --polls 2019-12-11 --json
    """
    from seatcast.campaign import pact as run_pact

    scen = _campaign_scenario(shares, polls, baseline)
    res = run_pact(party, seats, transfer, baseline, scen, model, preset, rate)
    _print_recount(res, as_json, f"{res.verdict_before} -> [bold]{res.verdict_after}[/bold] "
                   f"({res.votes_moved:,} votes withdrawn, {res.votes_home:,} stay home)",
                   f"With the pact ({res.field})")


@command
def turnout(
    party: Annotated[str, typer.Option(help="The party whose turnout changes.")],
    factor: Annotated[float, typer.Option(parser=Number(0, 10),
                                          help="Multiply its votes by this (0.9: a tenth stay home).")],
    region: Annotated[list[str] | None, typer.Option(help="Only in this region or nation. Repeatable.")]
    = None,
    baseline: Baseline = defaults.BASELINE,
    shares: Shares = None,
    polls: PollsAsOf = None,
    model: Model = defaults.MODEL,
    as_json: Json = False,
):
    """Differential turnout: scale one party's turnout nationally or by region and re-count seats.

    Examples:

        seatcast turnout --party lab --factor 0.9

        seatcast turnout --party lab --factor 0.9 --region London --json

        seatcast turnout --party con --factor 0.85 --baseline 2024 --polls latest
    """
    from seatcast.campaign import turnout as run_turnout

    res = run_turnout(party, factor, baseline, region, _campaign_scenario(shares, polls, baseline), model)
    before, after = res.gb_share_before.get(res.party), res.gb_share_after.get(res.party)
    gb = (f"GB share {before:.2f} -> {after or 0:.2f}" if before is not None
          else "no GB vote (stands in NI only)")
    _print_recount(res, as_json, f"{res.party} x{res.factor:g} in {count(res.seats_affected, 'seat')}: "
                   f"{res.verdict_before} -> [bold]{res.verdict_after}[/bold]; {gb}", f"After ({res.field})")


@command
def audit_targets(
    path: Annotated[str, typer.Argument(help="CSV: header ons_code,type[,party]; type offensive/defensive.")],
    election: Annotated[str, typer.Option(parser=OneOf(TRANSITIONS),
                                          help=f"Election to audit against: {' '.join(TRANSITIONS)}.")]
    = defaults.BASELINE,
    party: Annotated[str | None, typer.Option(help="Campaigning party (else the CSV's party).")] = None,
    threshold: Annotated[int, typer.Option(parser=Whole(0, 100_000_000),
                                           help="Votes: unlisted seats lost/missed by fewer are flagged.")]
    = 1000,
    as_json: Json = False,
):
    """Audit a target list against the actual result: targets won, targets beyond the swing
    delivered, and close seats that were not on the list.

    Examples:

        seatcast audit-targets list.csv --election 2019

        seatcast audit-targets list.csv --election 2024 --party lab --threshold 500 --json
    """
    from seatcast.campaign import audit

    res = audit(path, election, party, threshold)
    if as_json:
        emit_json(res.as_dict())
        return
    out.print(f"{res.party} at {res.election} (judged from {res.previous}): won {len(res.targets_won)}/"
              f"{res.n_offensive} targets, held {len(res.defences_held)}/{res.n_defensive} defences",
              highlight=False)
    cols = ["ons_code", "constituency", "previous_winner", "winner", "margin"]
    out.print(_rows_table("Targets needing more swing than delivered", list(res.beyond_swing),
                          cols + ["swing_needed", "swing_delivered"]))
    out.print(_rows_table(f"Not on the list, lost or missed by < {res.threshold:,} votes",
                          list(res.unlisted_close), cols + ["kind"]))


@command
def portfolio(
    party: Annotated[str, typer.Option(help="The campaigning party.")],
    budget: Annotated[int, typer.Option(parser=Whole(1, 650), help="How many seats to target.")],
    objective: Annotated[str, typer.Option(help="expected (seats) or majority (probability).")] = "expected",
    effect: Annotated[float, typer.Option(parser=Number(0, 1),
                                          help="Assumed campaign effect, share (0.02 = 2 points).")] = 0.02,
    baseline: Baseline = defaults.BASELINE,
    shares: Shares = None,
    polls: PollsAsOf = "latest",
    model: Model = defaults.MODEL,
    draws: Annotated[int, typer.Option(parser=Whole(1, defaults.MAX_DRAWS),
                                       help="Monte Carlo draws.")] = defaults.CAMPAIGN_DRAWS,
    seed: Seed = defaults.SEED,
    as_json: Json = False,
):
    """Target portfolio: the N seats to campaign in that maximise expected seats or P(majority),
    compared with the naive smallest-majority-first list.

    Examples:

        seatcast portfolio --party lab --budget 80

        seatcast portfolio --party lab --budget 80 --objective majority --json

        seatcast portfolio --party con --budget 50 --shares "con=30,lab=30,reform=20,ld=11,green=6"
    """
    from seatcast.campaign import portfolio as run_portfolio
    from seatcast.campaign.tactical import held_out

    scen = _campaign_scenario(shares, None if shares else polls, baseline)
    with working("simulating and choosing seats", not as_json):
        res = run_portfolio(party, budget, scen, baseline, model, objective, effect, draws, seed,
                            exclude=held_out(polls) if not shares else None)
    if as_json:
        emit_json(res.as_dict())
        return
    for note in res.notes:
        print_note(note)
    labels = {"none": "no campaign", "optimised": "optimised list",
              "naive_smallest_majority": "naive: smallest majorities first"}
    rows = [(labels.get(name, name), f"{s['expected_seats']:.1f}", f"{s['p_majority']:.1%}",
             f"{s['p_largest']:.1%}") for name, s in res.summary.items()]
    title = f"{res.party}: {res.budget} target seats ({res.objective}), effect {100 * res.effect:g} pts"
    out.print(grid(f"{title}, {res.draws:,} draws", ("list", "expected seats", "P(majority)", "P(largest)"),
                   rows, left=("list",)))
    split = [f"{labels[k].split(':')[0]}: {count(s['defensive'], 'defence')}, "
             f"{count(s['offensive'], 'target')}" for k, s in res.summary.items() if k != "none"]
    out.print("Defend or attack? " + "; ".join(split), highlight=False)
    out.print(_rows_table(f"Chosen seats ({len(res.seats)}), largest gain first", list(res.seats),
                          ["ons_code", "constituency", "kind", "p_without", "p_with", "gain"]))


@command
def seat(
    name: Annotated[str, typer.Argument(help="Constituency name (matched loosely: 'islington n') or "
                                        "ONS code.")],
    baseline: Baseline = defaults.BASELINE,
    polls: Annotated[str | None, typer.Option("--polls", parser=PollDate(),
                                              help="Also project the seat from the poll average "
                                              "as of a date (YYYY-MM-DD) or 'latest'.")] = None,
    model: Model = defaults.MODEL,
    as_json: Json = False,
):
    """One seat: its result at the baseline (votes, shares, majority, swing to flip) and, with --polls,
    its projected shares.

    Examples:

        seatcast seat "Islington North"

        seatcast seat "ynys mon" --baseline 2019n --json

        seatcast seat aldershot --polls latest
    """
    from seatcast import present
    from seatcast.data import baseline as load_baseline
    from seatcast.data.seats import find_seat

    base = load_baseline(baseline)
    code = find_seat(name, dict(zip(base.codes, base.seats["constituency"], strict=True)))
    doc = present.seat_doc(base, code)
    if polls is not None:
        from seatcast.polls import user_scenario
        from seatcast.swing import project as run_projection

        proj = run_projection(user_scenario(polls=polls, baseline=baseline), baseline, model)
        doc["projection"] = {"model": proj.model, "polls": polls,
                             **present.seat_rows(proj)[base.codes.get_loc(code)]}
    if as_json:
        emit_json(doc)
        return
    where = ", ".join(dict.fromkeys((doc["region"], doc["country"])))  # Wales, not "Wales, Wales"
    out.print(f"[bold]{escape(doc['constituency'])}[/bold] ({doc['ons_code']}), {where}"
              + (f"; electorate {doc['electorate']:,}" if doc["electorate"] else ""), highlight=False)
    rows = [{**r, "share": r["share"] / 100} for r in doc["result"]]
    out.print(_rich_table(f"{doc['baseline']} result", rows, (
        present.Column("party", "party", "party"), present.Column("votes", "votes", "int"),
        present.Column("share", "share", "pct"))))
    tie = " (a tie)" if doc["tie"] else ""
    votes = f"{doc['majority_votes']:,} votes, " if doc["majority_votes"] is not None else ""
    out.print(f"{present.party_name(doc['winner'])} majority {votes}{doc['majority_pct']:.1f} points{tie} "
              f"over {present.party_name(doc['runner_up'] or '')}; swing to flip "
              f"{doc['swing_to_flip']:.2f} points", highlight=False)
    if "projection" in doc:
        pr = doc["projection"]
        shares = ", ".join(f"{p} {v:.1f}%" for p, v in pr["shares"].items())
        out.print(f"Projected from the polls ({polls}, {pr['model']}): "
                  f"[bold]{present.party_name(pr['winner'])}[/bold] ({shares}); swing to flip "
                  f"{pr['swing_to_flip']:.2f} points", highlight=False)
        if doc["country"] not in GB:  # the shares above are the baseline's: say so
            print_note(f"national polls cover Great Britain only, so {doc['country']} keeps its "
                       f"{doc['baseline']} result (NI shares: seatcast project --ni)")


CompareSide = Annotated[str | None, typer.Option(help="A scenario: GB shares 'lab=30,reform=28,...', or "
                                                 "'polls:latest' / 'polls:2019-12-11'. Without --b, B is A's "
                                                 "scenario under --model-b.")]


def _compare_scenario(spec: str | None, field: str, baseline: str):
    if spec is None:
        raise SeatcastError(field, "give a scenario, e.g. 'lab=30,reform=28,con=18' or 'polls:latest'")
    if spec.startswith("polls:"):
        from seatcast.polls.inputs import poll_scenario

        return poll_scenario(spec.split(":", 1)[1].strip() or "latest", baseline, field)
    return build_scenario(parse_pairs(spec, field), None, None, None, None)


@command
def compare(
    a: CompareSide = None,
    b: CompareSide = None,
    model_a: Annotated[str, typer.Option(parser=OneOf(defaults.MODEL_NAMES), help=f"{MODEL_HELP} For A.")]
    = defaults.MODEL,
    model_b: Annotated[str | None, typer.Option(parser=OneOf(defaults.MODEL_NAMES),
                                                help=f"{MODEL_HELP} For B (default: A's).")] = None,
    baseline: Baseline = defaults.BASELINE,
    top: Annotated[int, typer.Option(parser=Whole(0, 650), help="Seats that differ to list (0: all).")]
    = defaults.TOP,
    as_json: Json = False,
):
    """Two scenarios, or one scenario under two models, side by side: seats, verdicts and the seats
    called differently.

    Examples:

        seatcast compare --a "lab=30,reform=28,con=18,ld=12" --b "lab=26,reform=32,con=18,ld=12"

        seatcast compare --a polls:latest --model-a tm --model-b uns

        seatcast compare --a polls:2019-12-11 --b polls:2017-06-07 --baseline 2017
    """
    from seatcast import present
    from seatcast.swing import project as run_projection

    scen_a = _compare_scenario(a, "a", baseline)
    if b is None and (model_b or model_a) == model_a:
        raise SeatcastError("b", "nothing to compare: give a second scenario (--b) or a second model "
                                 "(--model-b)")
    scen_b = _compare_scenario(b, "b", baseline) if b is not None else scen_a
    pa = run_projection(scen_a, baseline, model_a)
    pb = run_projection(scen_b, baseline, model_b or model_a)
    doc = present.compare_doc(pa, pb)
    if as_json:
        emit_json(doc)
        return
    notes = ([f"A: {n}" for n in pa.notices] + [f"B: {n}" for n in pb.notices] if b is not None
             else dict.fromkeys((*pa.notices, *pb.notices)))  # one scenario: its notes once
    for note in notes:
        print_note(note)
    out.print(_rich_table(f"A: {doc['a']['label']}  vs  B: {doc['b']['label']} (baseline {baseline})",
                                 doc["parties"], present.COMPARE_COLUMNS))
    out.print(f"A: [bold]{doc['a']['verdict']}[/bold]", highlight=False)
    out.print(f"B: [bold]{doc['b']['verdict']}[/bold]", highlight=False)
    rows = doc["differ"] if top <= 0 else doc["differ"][:top]
    out.print(_rich_table(f"Seats called differently: {len(doc['differ'])}", rows, (
        present.Column("ons_code", "ONS code"), present.Column("constituency", "constituency"),
        present.Column("a", "A", "party"), present.Column("b", "B", "party"))))
    _more(len(doc["differ"]), top)


from seatcast import cli_polls  # noqa: E402  (the polls group and history: they use the helpers above)

cli_polls.register(app)

from seatcast import cli_live  # noqa: E402 - election night, in its own module

cli_live.register(app, command)


def main() -> None:  # pragma: no cover - entry point
    _io.exit_on_sigterm()  # SIGTERM removes temporary files as Ctrl-C does
    tolerant_streams()  # an ASCII terminal gets 'Sinn F?in', not an internal error
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
