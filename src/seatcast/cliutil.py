"""Command-line plumbing: strict option types and one-line errors (used by :mod:`seatcast.cli`).

* :class:`Number` and :class:`Whole` parse plain ASCII decimals only: Python's ``float`` and
  ``int`` would also take ``1_0``, ``٣٠`` (Arabic-Indic digits), ``nan`` and ``inf``.
* :class:`OneLineGroup` prints click's usage errors as one line naming the option instead of
  a boxed usage block, and :func:`fail` prints a one-line error and exits.

Nothing here imports NumPy or pandas, so ``--help`` stays quick.
"""

from __future__ import annotations

import errno
import os
import re
import sys

import typer
from typer.core import TyperGroup

try:  # typer >= 0.26 vendors click; its exceptions are not click's
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover - older typer on top of click
    from click import exceptions as click_exc

from seatcast.errors import SeatcastError

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
    """Option parser: one of a closed set of names (checked before any work is done)."""

    __name__ = "choice"

    def __init__(self, allowed):
        self.allowed = tuple(allowed)

    def __call__(self, value) -> str:
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
    """A Typer group whose usage errors are one line (``error: Invalid value for '--x': ...``)."""

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
