"""``seatcast live``: the election-night projection (library: :mod:`seatcast.live`).

Registered on the main app by :func:`register` (one line in :mod:`seatcast.cli`).
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from seatcast import _io, defaults
from seatcast.cliutil import Number, Seed, Whole, err, grid, out, parse_pairs
from seatcast.errors import SeatcastError


def _table(proj):
    s = proj.summary
    rows = [(p, str(int(s.at[p, "declared"])), str(int(s.at[p, "median"])),
             f"{int(s.at[p, 'p05'])}-{int(s.at[p, 'p95'])}") for p in proj.shown_parties()]
    return grid(f"After {proj.step} declared seats", ("party", "declared", "projected", "90% interval"), rows,
                left=("party",))


def _line(proj) -> str:
    tops = ", ".join(f"{p} {int(proj.summary.at[p, 'median'])} ({int(proj.summary.at[p, 'p05'])}-"
                     f"{int(proj.summary.at[p, 'p95'])})" for p in proj.shown_parties()[:4])
    maj = {k.split(":")[1]: v for k, v in proj.probabilities.items() if k.startswith("majority:")}
    best = max(maj, key=maj.get) if maj else None
    odds = f"P({best} majority) {maj[best]:.0%}" if best else "no majority in any draw"
    last = f" | {proj.last.constituency}: {proj.last.winner}" if proj.last else ""
    called = int(proj.undeclared["called"].sum())
    return f"{proj.step:3d} declared, {called} called | {tops} | {odds}{last}"


def _exit_poll(published: bool, seats: str | None, shares: str | None, election: str | None):
    from seatcast.live import ExitPoll

    if sum(bool(x) for x in (published, seats, shares)) > 1:
        raise SeatcastError("exit_poll", "give one of --exit-poll, --exit-poll-seats, --exit-poll-shares")
    if published:
        if election is None:
            raise SeatcastError("exit_poll", "--exit-poll (the published one) needs --replay YEAR")
        return ExitPoll.published(election)
    if seats:
        return ExitPoll(seats=parse_pairs(seats, "exit_poll_seats"), label="exit poll (seats)")
    if shares:
        return ExitPoll(shares=parse_pairs(shares, "exit_poll_shares"), label="exit poll (shares)")
    return None


def register(app, command) -> None:
    """Add ``live`` to ``app`` through the CLI's ``command`` decorator (one error policy)."""

    @command
    def live(
        replay: Annotated[str | None, typer.Option(help="Replay a past night: 2015 2017 2019 2024.")] = None,
        exit_poll: Annotated[bool, typer.Option("--exit-poll", help="With --replay: use that night's "
                                                "published exit poll.")] = False,
        exit_poll_seats: Annotated[str | None, typer.Option(help="Exit poll seat totals, e.g. "
                                                           "lab=410,con=131,ld=61.")] = None,
        exit_poll_shares: Annotated[str | None, typer.Option(help="Exit poll GB shares (percent), e.g. "
                                                            "lab=35,con=24.")] = None,
        file: Annotated[str | None, typer.Option(help="Live: a JSON-lines file of declarations that "
                                                 "grows; '-' or none reads stdin.")] = None,
        idle: Annotated[float, typer.Option(parser=Number(0), help="With --file: stop after this many "
                                            "seconds without a new line.")] = 60.0,
        # the range seatcast.live.LiveModel accepts
        draws: Annotated[int, typer.Option(parser=Whole(100, 1_000_000),
                                           help="Simulated outcomes per update.")] = 20_000,
        seed: Seed = defaults.SEED,
        call_at: Annotated[float, typer.Option(parser=Number(0.5, 1), help="Call a seat at this win "
                                               "probability (above 0.5, below 1).")] = 0.99,
        speed: Annotated[float, typer.Option(parser=Number(0), help="Replay pacing: seconds of the night "
                                             "per second (0: as fast as possible).")] = 0.0,
        limit: Annotated[int | None, typer.Option(parser=Whole(1), help="With --replay: stop after this "
                                                  "many declarations.")] = None,
        every: Annotated[int, typer.Option(parser=Whole(0), help="Print a line every N declarations "
                                           "(0: every 50 in a replay at full speed, else every one).")] = 0,
        out_dir: Annotated[str | None, typer.Option("--out", help="Write live.png and live.html "
                                                    "(projection against seats declared) here.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per update (JSON lines).")]
        = False,
    ):
        """Election night: project the final result from the declared seats (and an exit poll).

        The prior is the eve-of-election forecast (replay) or the forecast from the latest polls
        (live). After each declaration the national and regional errors are re-learned and the
        undeclared seats resimulated.

        Examples:

            seatcast live --replay 2019

            seatcast live --replay 2024 --exit-poll --out night2024

            tail -f results.jsonl | seatcast live --exit-poll-seats lab=410,con=131,ld=61
        """
        from seatcast.live import replay as run_replay
        from seatcast.live import stream
        from seatcast.live.replay import actual_gb_totals

        if replay is None and (limit is not None or speed):  # not silently ignored on a live night
            raise SeatcastError("limit" if limit is not None else "speed", "applies to --replay only")
        if out_dir is not None:  # checked before the night is run, named by its option
            _io.check_output_dir(out_dir, "--out", frozenset({"live.png", "live.html"}))
        ep = _exit_poll(exit_poll, exit_poll_seats, exit_poll_shares, replay)
        if replay is not None:
            steps = run_replay(replay, draws=draws, seed=seed, speed=speed, exit_poll=ep, call_at=call_at,
                               limit=limit)
        else:
            source = sys.stdin if file in (None, "-") else file
            steps = stream(source, exit_poll=ep, draws=draws, seed=seed, call_at=call_at, idle=idle)
        every = every or (50 if replay and not speed else 1)
        history = []
        for proj in steps:
            history.append(proj)
            if as_json:
                sys.stdout.write(json.dumps(proj.as_dict(in_doubt=5), default=str) + "\n")
                sys.stdout.flush()
            elif proj.step % every == 0:
                out.print(_line(proj), highlight=False, soft_wrap=True)
        if not history:
            raise SeatcastError("file", "no declarations were read")
        if not as_json:
            out.print(_table(history[-1]))
        if out_dir:
            from seatcast.live.report import write_report

            title = f"Election night {replay}, replayed" if replay else "Election night"
            with _io.output_errors("--out", out_dir):
                page = write_report(history, out_dir, title, actual_gb_totals(replay) if replay else None)
            err.print(f"Report: {page}", highlight=False)
