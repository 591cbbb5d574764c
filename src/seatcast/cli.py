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

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except SeatcastError as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except (MissingExtraError, FileNotFoundError, PermissionError) as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return app.command()(wrapper)


def emit_json(obj) -> None:
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
                                         "tm (transition), stm (strong transition), learned.")]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


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
    as_json: Json = False,
):
    """Project national vote shares onto seats: seat totals, verdict, seats changing hands.

    Examples:

        seatcast project --con 43 --lab 36 --ld 12 --brexit 3 --green 2 --baseline 2017 --model stm

        seatcast project --lab 30 --reform 28 --con 18 --ld 12 --green 9 --scotland "snp=32,lab=22"

        seatcast project --polls latest --json
    """
    from seatcast.swing import project as run_projection

    gb = dict(con=con, lab=lab, ld=ld, reform=reform, brexit=brexit, ukip=ukip, green=green,
              snp=snp, pc=pc, other=other)
    if polls is not None:
        from seatcast.polls import scenario_from_polls

        scen = scenario_from_polls(polls)
    else:
        scen = build_scenario(gb, scotland, wales, ni, region)
    proj = run_projection(scen, baseline, model)
    parl = proj.parliament
    flips = parl.flips
    if as_json:
        emit_json({
            **parl.as_dict(),
            "changes": [
                {"ons_code": code, "constituency": r.constituency, "from": r["from"], "to": r["to"]}
                for code, r in flips.iterrows()
            ],
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


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
