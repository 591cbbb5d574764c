"""The ``seatcast`` command line: thin wrappers over the library.

Each command parses its options, calls one public function and renders the result.
Domain errors (:class:`seatcast.errors.SeatcastError`) become a one-line message on
stderr and exit code 2 in one place, :func:`command`.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from seatcast import parties
from seatcast.errors import MissingExtraError, SeatcastError

app = typer.Typer(
    name="seatcast",
    help="UK general elections: polls to seats, seats to decisions.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
out = Console()
err = Console(stderr=True)


def command(fn):
    """Register ``fn`` as a command and turn domain errors into exit codes."""
    return app.command()(guarded(fn))


def guarded(fn):
    """``fn`` with domain errors turned into exit code 2, and the poll store it read named on stderr."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            _forget_store_use()
            result = fn(*args, **kwargs)
            if not kwargs.get("as_json"):
                _store_notice()
            return result
        except SeatcastError as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except (MissingExtraError, FileNotFoundError, PermissionError) as exc:
            err.print(f"[red]error[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper


def _store_used():
    """What the poll store read in this command was (None if it was not read)."""
    store = sys.modules.get("seatcast.polls.store")
    return store.last_use() if store else None


def _forget_store_use() -> None:
    if store := sys.modules.get("seatcast.polls.store"):
        store.forget_use()


def _store_notice() -> None:
    """Name the poll store a command read, the newest poll's date and whether it is stale."""
    if use := _store_used():
        colour = "yellow" if use.as_dict()["stale"] else "dim"
        err.print(f"[{colour}]{escape(use.notice())}[/{colour}]", highlight=False, soft_wrap=True)


def emit_json(obj) -> None:
    if isinstance(obj, dict) and (use := _store_used()):
        obj = {**obj, "poll_store": use.as_dict()}
    sys.stdout.write(json.dumps(obj, indent=2, default=str) + "\n")


def parse_pairs(text: str, field: str) -> dict[str, float]:
    """``"snp=30,lab=35"`` -> ``{"snp": 30.0, "lab": 35.0}``."""
    pairs = {}
    for item in filter(None, (t.strip() for t in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep:
            raise SeatcastError(field, f"expected party=share pairs like snp=30,lab=35, got {item!r}")
        try:
            pairs[key.strip()] = float(value)
        except ValueError:
            raise SeatcastError(f"{field}.{key.strip()}", f"share {value!r} is not a number") from None
    return pairs


Share = Annotated[float | None, typer.Option(min=None, help="GB vote share, percent.", show_default=False)]
Baseline = Annotated[str, typer.Option(help="Baseline election: 2010 2015 2017 2019 2024 2019n.")]
Model = Annotated[str, typer.Option(help="Swing model: uns (uniform), prop (proportional), "
                                         "tm (transition), stm (strong transition), "
                                         "tac (transition + tactical squeeze), learned.")]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
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


def seat_table(title: str, seats: dict, changes: dict | None = None) -> Table:
    table = Table(title=title)
    table.add_column("party")
    table.add_column("seats", justify="right")
    if changes is not None:
        table.add_column("change", justify="right")
    for code, n in sorted(seats.items(), key=lambda kv: -kv[1]):
        row = [f"{parties.name(code)} ({code})", str(n)]
        if changes is not None:
            row.append(f"{changes.get(code, 0):+d}")
        table.add_row(*row)
    return table


def build_scenario(gb: dict, scotland, wales, ni, region):
    from seatcast.swing import scenario

    nations = {}
    for name, text in (("Scotland", scotland), ("Wales", wales), ("Northern Ireland", ni)):
        if text:
            nations[name] = parse_pairs(text, name)
    regions = {}
    for spec in region or []:
        name, sep, text = spec.partition(":")
        if not sep:
            raise SeatcastError("region", f"expected 'Region:party=share,...', got {spec!r}")
        regions[name.strip()] = parse_pairs(text, name.strip())
    return scenario({k: v for k, v in gb.items() if v is not None}, nations, regions)


@command
def project(
    con: Share = None, lab: Share = None, ld: Share = None, reform: Share = None,
    brexit: Share = None, ukip: Share = None, green: Share = None, snp: Share = None,
    pc: Share = None, other: Share = None,
    scotland: Annotated[str | None, typer.Option(help="Scotland shares, e.g. 'snp=30,lab=35'.")] = None,
    wales: Annotated[str | None, typer.Option(help="Wales shares, e.g. 'lab=37,pc=15'.")] = None,
    ni: Annotated[str | None, typer.Option(help="Northern Ireland shares, e.g. 'sf=27,dup=22'.")] = None,
    region: Annotated[list[str] | None, typer.Option(help="English region shares, "
                                                     "e.g. 'London:lab=45,con=25'. Repeatable.")] = None,
    polls: Annotated[str | None, typer.Option(help="Use the poll average as the scenario: "
                                              "'latest' or a date such as 2019-12-11.")] = None,
    baseline: Baseline = "2024",
    model: Model = "uns",
    top: Annotated[int, typer.Option(help="Seats changing hands to list (0 for all).")] = 20,
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
    """
    from seatcast.swing import project as run_projection

    gb = dict(con=con, lab=lab, ld=ld, reform=reform, brexit=brexit, ukip=ukip, green=green,
              snp=snp, pc=pc, other=other)
    if polls is not None:
        from seatcast.polls import scenario_from_polls

        scen = scenario_from_polls(polls)
    else:
        scen = build_scenario(gb, scotland, wales, ni, region)
    proj = run_projection(scen, baseline, model, seat_overrides(seat, seats_file))
    parl = proj.parliament
    flips = parl.flips
    wanted = [c for e in explain or [] for c in (list(flips.index) if e == "changes" else [e])]
    cards = [proj.explain(e, "explain") for e in wanted]
    if as_json:
        emit_json({
            **({"explain": cards} if explain else {}),
            **parl.as_dict(),
            "changes": list(parl.flip_records()),
            "seat_changes": parl.changes,
            "scenario": scen.as_dict(),
            "baseline": proj.baseline.election,
            "model": proj.model,
            "notices": list(proj.notices),
            "data_version": proj.data_version,
        })
        return
    for note in proj.notices:
        err.print(f"[dim]note: {note}[/dim]", highlight=False)
    out.print(seat_table(f"Projection from {proj.baseline.election} ({proj.model})",
                         parl.seats, parl.changes))
    out.print(f"[bold]{parl.verdict}[/bold] (326 for a majority; working-majority line "
              f"{parl.working_line} after the Speaker and Sinn Féin)")
    table = Table(title=f"Seats changing hands: {len(flips)}")
    for col in ("ons_code", "constituency", "from", "to"):
        table.add_column(col)
    shown = flips if top <= 0 else flips.head(top)
    for code, r in shown.iterrows():
        table.add_row(code, r.constituency, r["from"], r["to"])
    out.print(table)
    if top > 0 and len(flips) > top:
        out.print(f"... and {len(flips) - top} more (use --top 0 to list all)")
    for card in cards:
        print_explain(card)


@command
def hindsight(
    election: Annotated[str, typer.Option(help="Election to project: 2015 2017 2019 2024.")] = "2024",
    model: Model = "uns",
    nations: Annotated[bool, typer.Option("--nations", help="Use true England/Scotland/Wales shares.")
                       ] = False,
    regions: Annotated[bool, typer.Option("--regions", help="Also use the true English region shares.")
                       ] = False,
    all_: Annotated[bool, typer.Option("--all", help="Every election and model, as a table.")] = False,
    as_json: Json = False,
):
    """The "perfect poll" test: project an election from the previous one with the true shares.

    Examples:

        seatcast hindsight --election 2019 --model uns --json

        seatcast hindsight --election 2024 --model tm --nations

        seatcast hindsight --all --regions
    """
    from seatcast.backtest import hindsight as run_hindsight
    from seatcast.backtest.hindsight import HINDSIGHT_PAIRS
    from seatcast.swing import MODELS

    level = "regions" if regions else "nations" if nations else "gb"
    if all_:
        results = [run_hindsight(e, m, level) for m in MODELS for e in HINDSIGHT_PAIRS]
    else:
        results = [run_hindsight(election, model, level)]
    if as_json:
        emit_json(results[0].as_dict() if not all_ else [r.as_dict() for r in results])
        return
    table = Table(title=f"Hindsight test, true {level} shares (GB seats)")
    for col in ("election", "model", "seats correct", "SAE", "share RMSE (pts)"):
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(r.election, r.model, f"{r.seats_correct}/{r.seats_total}", str(r.sae),
                      f"{r.rmse:.2f}")
    out.print(table)


@command
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind; 0.0.0.0 exposes it to your network.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
):
    """Run the web dashboard (swingometer, hex map, forecast, polls) and its JSON API.

    Needs the web extra: pip install 'seatcast[web]'. Open http://127.0.0.1:8000/ ; the API
    schema is at /docs.

    Examples:

        seatcast serve

        seatcast serve --port 8080
    """
    from seatcast.web import serve as run_server

    run_server(host, port)


def _progress_bar(total: int, label: str, enabled: bool):
    """A transient rich progress bar on stderr; returns (context, advance callback)."""
    from contextlib import nullcontext

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    if not enabled:
        return nullcontext(), None
    bar = Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
                   TimeElapsedColumn(), console=err, transient=True)
    task = bar.add_task(label, total=total)
    return bar, lambda n: bar.advance(task, n)


def _forecast_tables(fc) -> tuple[Table, Table]:
    table = Table(title=f"Forecast: {fc.draws:,} simulated elections ({fc.model}, baseline {fc.baseline})")
    for col in ("party", "median", "90% interval", "expected", "P(majority)", "P(largest)"):
        table.add_column(col, justify="left" if col == "party" else "right")
    for p in fc.shown_parties():
        s = fc.summary.loc[p]
        table.add_row(p, f"{int(s['median'])}", f"{int(s['p05'])}-{int(s['p95'])}",
                      f"{fc.expected_seats[p]:.1f}", f"{fc.probabilities.get(f'majority:{p}', 0):.1%}",
                      f"{fc.probabilities.get(f'largest:{p}', 0):.1%}")
    blocs = Table(title="Government arithmetic (working majority after the Speaker and Sinn Féin)")
    for col in ("bloc", "median seats", "P(working majority)", "P(oust largest)"):
        blocs.add_column(col, justify="left" if col == "bloc" else "right")
    for name, b in fc.blocs.items():
        blocs.add_row(name, f"{b['median']:.0f}", f"{b['p_working_majority']:.1%}",
                      f"{b['p_oust_largest']:.1%}")
    return table, blocs


@command
def forecast(
    as_of: Annotated[str | None, typer.Option(help="Use polls ending before this date (YYYY-MM-DD); "
                                              "default: the latest bundled polls.")] = None,
    draws: Annotated[int, typer.Option(help="Simulated elections.")] = 50_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same output).")] = 20240704,
    model: Model = "tm",
    baseline: Baseline = "2024",
    bloc: Annotated[list[str] | None, typer.Option(help="A bloc of parties joined by '+', e.g. "
                                                   "con+reform+dup. Repeatable; replaces the "
                                                   "default blocs.")] = None,
    out_dir: Annotated[str, typer.Option("--out", help="Folder for the HTML report and PNG figures.")]
    = "seatcast-report",
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
    """
    from seatcast.simulate import forecast as run_forecast
    from seatcast.simulate import write_report

    overrides = seat_overrides(seat, seats_file)
    bar, advance = _progress_bar(draws, "simulating", not as_json)
    with bar:
        fc = run_forecast(as_of=as_of, baseline=baseline, model=model, draws=draws, seed=seed,
                          blocs=bloc or None, progress=advance, overrides=overrides)
    page = write_report(fc, out_dir)
    if as_json:
        emit_json(fc.as_dict())
        return
    for note in fc.notices:
        err.print(f"[dim]note: {note}[/dim]", highlight=False)
    table, blocs = _forecast_tables(fc)
    out.print(f"Poll average as of {fc.as_of} (polls {fc.poll_window[0]} to {fc.poll_window[1]})")
    out.print(table)
    out.print(f"[bold]Hung parliament: {fc.probabilities['hung']:.1%}[/bold] (326 seats for a majority)")
    out.print(blocs)
    out.print(f"Report: {page}")


@command
def backtest(
    election: Annotated[str, typer.Option(help="Election to backtest: 2015 2017 2019 2024.")] = "2019",
    all_: Annotated[bool, typer.Option("--all", help="All four elections and every swing model.")] = False,
    model: Annotated[str | None, typer.Option(help="Only this swing model (default: every model).")] = None,
    draws: Annotated[int, typer.Option(help="Simulated elections per forecast.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 20240704,
    as_json: Json = False,
):
    """Forecast past elections as of the day before polling day and score them.

    Polls up to the day before, the previous result (2019 notional for 2024), error scales
    fitted without that election. Examples:

        seatcast backtest --election 2019

        seatcast backtest --all --json
    """
    from seatcast.backtest.forecast_backtest import BACKTESTS, run_backtests

    elections = tuple(BACKTESTS) if all_ else (election,)
    with err.status("backtesting...") if not as_json else _nullctx():
        results = run_backtests(elections, models=(model,) if model else None, draws=draws, seed=seed)
    if as_json:
        emit_json([r.as_dict() for r in results])
        return
    table = Table(title="Forecast backtests, as of the day before polling day (GB seats)")
    for col in ("year", "model", "SAE", "lead err", "correct", "Brier", "logloss", "in 90%", "P(actual)"):
        table.add_column(col, justify="right")
    for r in results:
        table.add_row(r.election, r.model, str(r.sae), f"{r.largest_error:+d}",
                      f"{r.seats_correct}/{r.seats_total}", f"{r.brier:.3f}", f"{r.log_loss:.3f}",
                      f"{sum(r.covered90.values())}/{len(r.covered90)}", f"{r.p_actual_outcome:.1%}")
    out.print(table)
    out.print("seats per party: median / expected (sum of win probabilities) / modal calls (actual)",
              highlight=False)
    for r in results:
        out.print(f"{r.election} {r.model}: " + ", ".join(
            f"{p} {r.seats[p]}/{r.expected[p]:.0f}/{r.modal[p]} ({r.actual[p]})"
            for p in r.seats if r.seats[p] or r.actual[p]), highlight=False)


def _nullctx():
    from contextlib import nullcontext

    return nullcontext()


# ---- campaign analytics (seatcast.campaign) -----------------------------------------------

Shares = Annotated[str | None, typer.Option(help="Project first: GB shares, e.g. 'con=43,lab=33,ld=12'.")]
PollsAsOf = Annotated[str | None, typer.Option("--polls", help="Project first from the poll average "
                                               "as of a date (YYYY-MM-DD) or 'latest'.")]


def _campaign_scenario(shares: str | None, polls: str | None):
    """The scenario of a campaign command: poll average, explicit shares, or None (the result)."""
    if polls is not None:
        from seatcast.polls import scenario_from_polls

        return scenario_from_polls(polls)
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


def _rows_table(title: str, rows: list[dict], cols: list[str]) -> Table:
    table = Table(title=title)
    for c in cols:
        table.add_column(c, justify="left" if c in ("ons_code", "constituency", "from", "to", "kind",
                                                     "winner", "by_party") else "right")
    for r in rows:
        table.add_row(*("" if r.get(c) is None else f"{r[c]:.2f}" if isinstance(r.get(c), float)
                        else str(r.get(c)) for c in cols))
    return table


@command
def targets(
    party: Annotated[str, typer.Option(help="Party code, e.g. lab.")],
    baseline: Annotated[str, typer.Option(help="Baseline: 2010 2015 2017 2019 2024 2019n.")] = "2019",
    vs: Annotated[str | None, typer.Option(help="Two-party list: swing from this party.")] = None,
    shares: Shares = None,
    polls: PollsAsOf = None,
    model: Model = "uns",
    draws: Annotated[int, typer.Option(help="With a projection: draws for win probabilities.")] = 0,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    top: Annotated[int, typer.Option(help="Rows of each list to show.")] = 20,
    as_json: Json = False,
):
    """Target and defence lists: swing, votes switched and votes added needed in each seat,
    and the tipping-point seats for a majority and for being the largest party.

    Examples:

        seatcast targets --party lab --baseline 2019 --top 100

        seatcast targets --party con --vs lab --baseline 2017 --json

        seatcast targets --party lab --baseline 2024 --polls latest --draws 2000
    """
    from seatcast.campaign import targets as run_targets
    from seatcast.campaign.tactical import held_out

    scen = _campaign_scenario(shares, polls)
    tl = run_targets(party, baseline, vs, scen, model, draws=draws, seed=seed, exclude=held_out(polls))
    if as_json:
        emit_json(tl.as_dict(top))
        return
    for what, tip in tl.tipping.items():
        if tip:
            verb = "keeps" if tip["holds_now"] else "reaches"
            out.print(f"{what}: {tl.party} {verb} it until a uniform swing of {tip['swing']:+.2f} pts "
                      f"from {tip['from']} to {tip['to']}; tipping seat {tip['constituency']} "
                      f"({tip['ons_code']})", highlight=False)
    d = tl.as_dict(top)
    cols = ["rank", "ons_code", "constituency", "winner", "swing_needed", "votes_switched", "votes_added"]
    cols += ["win_prob"] if "win_prob" in tl.targets else []
    out.print(_rows_table(f"{tl.party} targets on {tl.field}", d["targets"], cols))
    out.print(_rows_table(f"{tl.party} defences on {tl.field}", d["defences"], cols))


@command
def close_call(
    election: Annotated[str, typer.Option(help="Actual election: 2010 2015 2017 2019 2024 2019n.")] = "2019",
    goal: Annotated[str, typer.Option(help="majority, lose-majority, not-largest, largest, bloc-majority.")]
    = "majority",
    party: Annotated[str | None, typer.Option(help="The party the goal is about.")] = None,
    bloc: Annotated[str | None, typer.Option(help="Bloc for bloc-majority, e.g. lab,snp,ld.")] = None,
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
    out.print(f"[bold]{res.votes:,} voters[/bold] ({res.mode}) in {len(res.seats)} seats: "
              f"{res.goal.describe()} at {res.election}", highlight=False)
    out.print(_rows_table("Seats", [dict(s, by_party=s.get("switched_from", "")) for s in res.seats],
                          ["ons_code", "constituency", "from", "to", "votes", "by_party"]))
    out.print(f"[dim]{res.rules}[/dim]", highlight=False)


@command
def tactical(
    against: Annotated[str, typer.Option(help="The party to stop.")] = "con",
    from_: Annotated[str, typer.Option("--from", help="Parties whose voters may switch.")] = "lab,ld,green",
    max_share: Annotated[float, typer.Option(help="At most this fraction of each source party switches.")]
    = 0.3,
    goal: Annotated[str, typer.Option(help="deny-majority or not-largest.")] = "deny-majority",
    seats: Annotated[str | None, typer.Option(help="Only these seats: ONS codes, file:PATH, held-by:P.")]
    = None,
    baseline: Annotated[str, typer.Option(help="Baseline election.")] = "2017",
    shares: Shares = None,
    polls: PollsAsOf = None,
    model: Model = "uns",
    draws: Annotated[int, typer.Option(help="Monte Carlo draws for the robustness check (0: skip).")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    as_json: Json = False,
):
    """Tactical-voting optimiser: the fewest tactical switchers that stop a party, on a projection,
    and how often the plan still works across the forecast's uncertainty.

    Examples:

        seatcast tactical --baseline 2017 --polls 2019-12-11 --against con --from lab,ld,green --max-share 0.3

        seatcast tactical --baseline 2017 --polls 2019-12-11 --max-share 0.6 --json

        seatcast tactical --baseline 2024 --shares "lab=30,reform=28,con=18,ld=12,green=8" --against reform
    """
    from seatcast.campaign import tactical as run_tactical
    from seatcast.campaign.tactical import held_out

    scen = _campaign_scenario(shares, polls)
    if scen is None:
        raise SeatcastError("scenario", "give --polls DATE or --shares to project first")
    plan = run_tactical(scen, baseline, against, from_, max_share, goal, seats, model, draws, seed,
                        held_out(polls))
    if as_json:
        emit_json(plan.as_dict())
        return
    out.print(f"[bold]{plan.total:,} tactical switchers[/bold] in {len(plan.seats)} seats stop "
              f"{plan.against} ({plan.goal}): {plan.seats_before.get(plan.against, 0)} -> "
              f"{plan.seats_after.get(plan.against, 0)} seats", highlight=False)
    out.print(_rows_table("Plan", list(plan.seats), ["ons_code", "constituency", "from", "to", "switchers",
                                                     "by_party"]))
    if plan.robustness:
        r = plan.robustness
        out.print(f"Robustness over {r['draws']:,} draws: goal reached in {r['success_with_plan']:.1%} "
                  f"with the plan, {r['success_without_plan']:.1%} without it")


@command
def pact(
    party: Annotated[str | None, typer.Option(help="The party standing aside.")] = None,
    seats: Annotated[str, typer.Option(help="Where: held-by:PARTY (at the baseline), ONS codes, "
                                       "file:PATH, unite-to-remain, all.")] = "all",
    transfer: Annotated[str | None, typer.Option(help="Where its votes go, e.g. con=0.6,lab=0.15,"
                                                 "other=0.25; the rest stay home.")] = None,
    preset: Annotated[str | None, typer.Option(help="A named pact: unite-to-remain.")] = None,
    rate: Annotated[float, typer.Option(help="Preset pacts: share of a partner's votes passed on.")] = 0.7,
    baseline: Annotated[str, typer.Option(help="Baseline election.")] = "2019",
    shares: Shares = None,
    polls: PollsAsOf = None,
    model: Model = "uns",
    as_json: Json = False,
):
    """Pacts and stand-asides: remove a party in some seats, pass its votes on, re-count the seats.

    Examples:

        seatcast pact --party brexit --seats held-by:con --transfer con=0.6,lab=0.15,other=0.25

        seatcast pact --party brexit --seats held-by:lab --transfer con=0.6,lab=0.15 --baseline 2019

        seatcast pact --preset unite-to-remain --rate 0.7 --baseline 2017 --polls 2019-12-11 --json
    """
    from seatcast.campaign import pact as run_pact

    res = run_pact(party, seats, transfer, baseline, _campaign_scenario(shares, polls), model, preset, rate)
    _print_recount(res, as_json, f"{res.verdict_before} -> [bold]{res.verdict_after}[/bold] "
                   f"({res.votes_moved:,} votes withdrawn, {res.votes_home:,} stay home)",
                   f"With the pact ({res.field})")


@command
def turnout(
    party: Annotated[str, typer.Option(help="The party whose turnout changes.")],
    factor: Annotated[float, typer.Option(help="Multiply its votes by this (0.9: a tenth stay home).")],
    region: Annotated[list[str] | None, typer.Option(help="Only in this region or nation. Repeatable.")]
    = None,
    baseline: Annotated[str, typer.Option(help="Baseline election.")] = "2019",
    shares: Shares = None,
    polls: PollsAsOf = None,
    model: Model = "uns",
    as_json: Json = False,
):
    """Differential turnout: scale one party's turnout nationally or by region and re-count seats.

    Examples:

        seatcast turnout --party lab --factor 0.9

        seatcast turnout --party lab --factor 0.9 --region London --json

        seatcast turnout --party con --factor 0.85 --baseline 2024 --polls latest
    """
    from seatcast.campaign import turnout as run_turnout

    res = run_turnout(party, factor, baseline, region, _campaign_scenario(shares, polls), model)
    _print_recount(res, as_json, f"{res.party} x{res.factor:g} in {res.seats_affected} seats: "
                   f"{res.verdict_before} -> [bold]{res.verdict_after}[/bold]; GB share "
                   f"{res.gb_share_before.get(res.party)} -> {res.gb_share_after.get(res.party)}",
                   f"After ({res.field})")


@command
def audit_targets(
    path: Annotated[str, typer.Argument(help="CSV: header ons_code,type[,party]; type offensive/defensive.")],
    election: Annotated[str, typer.Option(help="Election to audit against: 2015 2017 2019 2024.")] = "2019",
    party: Annotated[str | None, typer.Option(help="Campaigning party (else the CSV's party).")] = None,
    threshold: Annotated[int, typer.Option(help="Votes: unlisted seats lost/missed by fewer are flagged.")]
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
    budget: Annotated[int, typer.Option(help="How many seats to target.")],
    objective: Annotated[str, typer.Option(help="expected (seats) or majority (probability).")] = "expected",
    effect: Annotated[float, typer.Option(help="Assumed campaign effect, share (0.02 = 2 points).")] = 0.02,
    baseline: Annotated[str, typer.Option(help="Baseline election.")] = "2024",
    shares: Shares = None,
    polls: PollsAsOf = "latest",
    model: Model = "uns",
    draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
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

    scen = _campaign_scenario(shares, None if shares else polls)
    res = run_portfolio(party, budget, scen, baseline, model, objective, effect, draws, seed,
                        exclude=held_out(polls) if not shares else None)
    if as_json:
        emit_json(res.as_dict())
        return
    table = Table(title=f"{res.party}: {res.budget} target seats ({res.objective}), effect "
                        f"{100 * res.effect:g} pts, {res.draws:,} draws")
    for c in ("list", "expected seats", "P(majority)", "P(largest)"):
        table.add_column(c, justify="left" if c == "list" else "right")
    for name, s in res.summary.items():
        table.add_row(name, f"{s['expected_seats']:.1f}", f"{s['p_majority']:.1%}", f"{s['p_largest']:.1%}")
    out.print(table)
    out.print(_rows_table("Chosen seats", list(res.seats)[:40],
                          ["ons_code", "constituency", "kind", "p_without", "p_with"]))


from seatcast import cli_polls  # noqa: E402  (the polls group and history: they use the helpers above)

cli_polls.register(app)

from seatcast import cli_live  # noqa: E402 - election night, in its own module

cli_live.register(app, command)


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
