"""Command-line plumbing shared by :mod:`seatcast.cli`, :mod:`seatcast.cli_polls` and
:mod:`seatcast.cli_live`: strict option types, one error policy and the output helpers.

* :class:`Number` and :class:`Whole` parse plain ASCII decimals only: Python's ``float`` and
  ``int`` would also take ``1_0``, ``٣٠`` (Arabic-Indic digits), ``nan`` and ``inf``.
* :class:`OneLineGroup` prints click's usage errors as one line naming the option instead of
  a boxed usage block, and :func:`fail` prints a one-line error and exits.
* :func:`guarded` turns a command's errors into one line on stderr and an exit code (the one
  place domain errors become exit codes); :func:`emit_json`, :data:`out`, :data:`err`,
  :func:`working` and :func:`progress_bar` render results and progress.

Nothing here imports NumPy or pandas, so ``--help`` stays quick.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

try:  # typer >= 0.26 vendors click; its exceptions are not click's
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer on top of click
    from click import exceptions as click_exc

from seatcast.defaults import MODEL_NAMES
from seatcast.errors import MissingExtraError, SeatcastError

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_WHOLE = re.compile(r"[+-]?\d+", re.ASCII)
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug, not the user's input


def parse_number(text, field: str) -> float:
    """A finite number written in plain ASCII decimal (``30``, ``-2.5``, ``1e-3``)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        s = str(text).strip()
        if not _NUMBER.fullmatch(s):
            raise SeatcastError(field, f"{str(text)[:40]!r} is not a number")
        value = float(s)
    if value != value or value in (float("inf"), float("-inf")):
        raise SeatcastError(field, f"{str(text)[:40]!r} is not a finite number")
    return value


def _range_text(lo, hi) -> str:
    if lo is not None and hi is not None:
        return f"from {lo:,} to {hi:,}" if isinstance(lo, int) else f"from {lo:g} to {hi:g}"
    return f"at least {lo:,}" if lo is not None else f"at most {hi:,}"


class Number:
    """Option parser (``typer.Option(parser=Number(0, 1))``): a finite number in ``[lo, hi]``."""

    __name__ = "number"

    def __init__(self, lo: float | None = None, hi: float | None = None):
        self.lo, self.hi = lo, hi

    def __call__(self, value) -> float:
        try:
            v = parse_number(value, "value")
        except SeatcastError as exc:
            raise typer.BadParameter(str(exc).partition(": ")[2]) from None
        if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
            raise typer.BadParameter(f"{v:g} is not {_range_text(self.lo, self.hi)}")
        return v


class Whole:
    """Option parser: a whole number in plain ASCII digits within ``[lo, hi]``."""

    __name__ = "integer"

    def __init__(self, lo: int | None = None, hi: int | None = None):
        self.lo, self.hi = lo, hi

    def __call__(self, value) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            v = value
        elif _WHOLE.fullmatch(str(value).strip()):
            v = int(str(value).strip())
        else:
            raise typer.BadParameter(f"{str(value)[:40]!r} is not a whole number")
        if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
            raise typer.BadParameter(f"{v:,} is not {_range_text(self.lo, self.hi)}")
        return v


class OneOf:
    """Option parser: one of a closed set of names (checked before any work is done); with
    ``ignore_case``, ``gb`` is taken for ``GB`` and the name is returned as listed."""

    __name__ = "choice"

    def __init__(self, allowed, ignore_case: bool = False):
        self.allowed = tuple(allowed)
        self.ignore_case = ignore_case

    def __call__(self, value) -> str:
        if self.ignore_case:
            value = next((a for a in self.allowed if a.casefold() == str(value).casefold()), value)
        if value not in self.allowed:
            raise typer.BadParameter(f"{str(value)[:40]!r} is not one of {', '.join(self.allowed)}")
        return value


class PollDate:
    """Option parser: ``latest`` (if allowed) or a real calendar date written YYYY-MM-DD."""

    __name__ = "date"

    def __init__(self, latest: bool = True):
        self.latest = latest

    def __call__(self, value) -> str:
        import datetime as dt

        text = str(value).strip()
        if self.latest and text == "latest":
            return text
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
                dt.date.fromisoformat(text)
                return text
        except ValueError:
            pass
        raise typer.BadParameter(f"{str(value)[:40]!r} is not a date YYYY-MM-DD"
                                 + (" or 'latest'" if self.latest else ""))


def given(ctx: typer.Context, name: str) -> bool:
    """Whether option ``name`` was given on the command line (not left at its default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")


def count(n: int, noun: str) -> str:
    """``1 poll``, ``2 polls``, ``1,000 seats``: a number with its noun in the right number."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """Print ``error: message`` on one line on stderr and exit with ``code``."""
    typer.echo(f"error: {one_line(message)}", err=True)
    sys.exit(code)


def quiet_stdout() -> None:
    """Point file descriptor 1 at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.close(fd)
    except OSError:  # pragma: no cover - nothing more can be done
        pass


def stdout_failed(exc: OSError) -> None:
    """Standard output is gone (full disk, closed pipe): say so once and exit."""
    quiet_stdout()
    if exc.errno == errno.EPIPE:
        sys.exit(1)
    fail(f"cannot write to standard output: {exc.strerror or exc}", EXIT_USAGE)


class OneLineGroup(TyperGroup):
    """A Typer group whose usage errors are one line (``error: Invalid value for '--x': ...``),
    listing its commands in the order of :data:`PANELS` (a subgroup's in their own order)."""

    def list_commands(self, ctx):
        rank = {name: i for i, name in enumerate(PANELS)}
        return sorted(super().list_commands(ctx), key=lambda name: rank.get(name, len(rank)))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                              standalone_mode=False, **extra)
        except click_exc.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                typer.echo(ctx.get_help(), err=True)
                sys.exit(exc.exit_code)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            fail(exc.format_message() + hint, exc.exit_code)
        except typer.Abort:
            fail("aborted", 1)
        if not standalone_mode:
            return rv
        try:
            sys.stdout.flush()
        except OSError as exc:
            stdout_failed(exc)
        sys.exit(rv if isinstance(rv, int) else 0)


out = Console()  # results (stdout)
err = Console(stderr=True)  # errors, notes and progress (stderr)


def _error(message: str, code: int = EXIT_USAGE):
    err.print(f"[red]error[/red] {escape(' '.join(message.split()))}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def guarded(fn):
    """``fn`` with errors turned into one line on stderr and an exit code, and the poll store
    it read named on stderr.

    Input errors exit 2; standard output that cannot be written (full disk) exits 2 with a
    message; a bug exits 70 with a one-line message (``SEATCAST_DEBUG=1`` shows the traceback).
    SIGTERM becomes SystemExit, so temporary files are removed (:mod:`seatcast._io`).
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            _forget_store_use()
            result = fn(*args, **kwargs)
            sys.stdout.flush()
            if not kwargs.get("as_json"):
                _store_notice()
            return result
        except typer.Exit:
            raise
        except SeatcastError as exc:
            raise _error(str(exc)) from None
        except MissingExtraError as exc:
            raise _error(str(exc)) from None
        except OSError as exc:
            if exc.filename is None:
                stdout_failed(exc)
            raise _error(f"{exc.filename}: {exc.strerror or exc}") from None
        except Exception as exc:
            if os.environ.get("SEATCAST_DEBUG"):
                raise
            raise _error(f"internal error ({type(exc).__name__}: {exc}); please report it",
                         EXIT_INTERNAL) from None

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


def grid(title: str, labels, rows, left=()):
    """A table of preformatted cells fitted to the result console (:func:`seatcast.present.grid`)."""
    from seatcast import present

    return present.grid(title, labels, rows, left, width=out.width)


def print_note(text: str) -> None:
    """A dim one-line note on stderr."""
    err.print(f"[dim]note: {escape(text)}[/dim]", highlight=False, soft_wrap=True)


def write_output(path, field: str, write) -> None:
    """Write the output file ``path`` given by option ``field`` with ``write(path)``: an error names
    the option and the file, and replacing an existing file is noted (issue 11)."""
    import os

    from seatcast import _io

    existed = os.path.exists(path)
    with _io.output_errors(field, path):
        write(path)
    if existed:
        print_note(f"replaced the existing file {path}")


def tolerant_streams() -> None:
    """Standard output and error that cannot encode a character ('Sinn Féin' on an ASCII or
    Latin-1 terminal, a cron job) print a '?' rather than fail with an internal error."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, OSError, ValueError):  # no stream, or a closed one: nothing to do
            pass


def emit_json(obj) -> None:
    """Print a document with the one serialisation of :func:`seatcast.present.dumps`, naming the
    poll store the command read; non-ASCII characters are escaped (\\u00e9) when standard output
    cannot encode them, so the JSON stays exact (keys are already sorted)."""
    from seatcast.present import dumps

    if isinstance(obj, dict) and (use := _store_used()):
        obj = {**obj, "poll_store": use.as_dict()}
    text = dumps(obj, pretty=True)
    try:
        text.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        import json

        text = json.dumps(json.loads(text), indent=2, ensure_ascii=True)  # same document, \\u escapes
    sys.stdout.write(text + "\n")


def parse_pairs(text: str, field: str) -> dict[str, float]:
    """``"snp=30,lab=35"`` -> ``{"snp": 30.0, "lab": 35.0}``; party codes in any case (``SNP=30``),
    as ``--party LAB`` is taken."""
    pairs = {}
    for item in filter(None, (t.strip() for t in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep:
            raise SeatcastError(field, f"expected party=share pairs like snp=30,lab=35, got {item!r}")
        key = key.strip().lower()
        if key in pairs:
            raise SeatcastError(f"{field}.{key}", "given twice")
        pairs[key] = parse_number(value, f"{field}.{key}")
    if not pairs:
        raise SeatcastError(field, f"expected party=share pairs like snp=30,lab=35, got {text!r}")
    return pairs


#: The panel each command is listed under in ``seatcast --help``, in the order listed (main jobs first).
PANELS = {
    **dict.fromkeys(("forecast", "project", "seat", "compare", "history", "live"), "Forecasts and scenarios"),
    **dict.fromkeys(("targets", "close-call", "tactical", "pact", "turnout", "audit-targets", "portfolio"),
                    "Campaign tools"),
    **dict.fromkeys(("backtest", "hindsight", "reliability"), "Accuracy"),
    **dict.fromkeys(("polls", "serve"), "Polls and dashboard"),
}
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
MODEL_HELP = "Swing model: " + ", ".join(f"{k} ({v})" for k, v in MODEL_NAMES.items()) + "."
Model = Annotated[str, typer.Option(parser=OneOf(MODEL_NAMES), help=MODEL_HELP)]
#: A random seed: numpy's generators take 0 to 2**63 - 1 (a negative seed is a usage error, not a crash).
Seed = Annotated[int, typer.Option(parser=Whole(0, 2**63 - 1), help="Random seed (same seed, same output).")]


def working(label: str, enabled: bool):
    """A transient rich spinner on stderr for work of unknown length (nothing with --json)."""
    from contextlib import nullcontext

    return err.status(f"{label}...") if enabled and err.is_terminal else nullcontext()


def progress_bar(total: int, label: str, enabled: bool):
    """A transient rich progress bar on stderr; returns (context, advance callback)."""
    from contextlib import nullcontext

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    if not enabled or not err.is_terminal:  # piped stderr: no bar, and no blank line it leaves
        return nullcontext(), None
    bar = Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
                   TimeElapsedColumn(), console=err, transient=True)
    task = bar.add_task(label, total=total)
    return bar, lambda n: bar.advance(task, n)
