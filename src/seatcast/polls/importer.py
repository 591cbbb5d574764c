"""Import a user's own polls file, all or nothing.

The file is a UTF-8 CSV with a header row. Columns:

* required: ``pollster``, ``fieldwork_end`` (ISO date ``YYYY-MM-DD``) and at least one party
  column from :data:`seatcast.polls.sources.PARTY_COLUMNS` (shares in percent; a blank cell means
  the party was not reported);
* optional: ``poll_id``, ``fieldwork_start``, ``sample_size``, ``area`` (GB, UK, Scotland, Wales),
  ``client``, ``mode``, ``notes``, ``source``.

Every row is checked before anything is returned; the first bad row raises
:class:`~seatcast.errors.SeatcastError` naming its line (the header is line 1), the field and
the reason. Rules: dates parse and ``fieldwork_start <= fieldwork_end``; shares are percentages
(a row whose shares all look like fractions, as in :mod:`seatcast.swing.scenario`, is refused:
"did you mean percent?"), lie in 0-100 and a
poll's shares add up to at most :data:`MAX_TOTAL` (published figures are rounded, so 101-103
happens: PROVENANCE.md, ``polls_next.csv``); the pollster name is 1-80 printable characters;
``sample_size`` is a whole number from 1 to 1,000,000. Two rows with the same pollster, dates
and shares are a duplicate poll and are rejected, naming both lines; so is a repeated ``poll_id``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from seatcast import _io
from seatcast.errors import SeatcastError
from seatcast.polls.sources import META_COLUMNS, PARTY_COLUMNS, pollster_name
from seatcast.swing.scenario import FRACTION_TOTAL

MAX_TOTAL = 103.0
MAX_BYTES = 20_000_000  # the bundled 2010-2024 polls file is about 0.2 MB
MAX_ROWS = 100_000
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
REQUIRED = ("pollster", "fieldwork_end")
OPTIONAL = ("poll_id", "fieldwork_start", "sample_size", "area", "client", "mode", "notes", "source")
AREAS = ("GB", "UK", "Scotland", "Wales")


def _bad(line: int, field: str, reason: str, allowed=None) -> SeatcastError:
    return SeatcastError(f"line {line}: {field}", reason, allowed)


def _read_text(path: Path) -> pd.DataFrame:
    """The CSV as text cells; the index is each row's line number (blank lines are kept, then dropped)."""
    if not path.exists():
        raise SeatcastError("file", f"no such polls file: {path}")
    text = _io.read_text_file(path, "file", MAX_BYTES)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True,
                         skip_blank_lines=False, nrows=MAX_ROWS + 1)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SeatcastError("file", f"{path.name} is not a readable CSV file: {reason}") from None
    if len(df) > MAX_ROWS:
        raise SeatcastError("file", f"{path.name} has more than {MAX_ROWS:,} rows")
    df.columns = [str(c).strip().lower() for c in df.columns]
    df = df.fillna("")
    df.index = df.index + 2  # the header is line 1
    return df[df.apply(lambda r: any(str(v).strip() for v in r), axis=1)] if len(df) else df


def _check_columns(df: pd.DataFrame) -> list[str]:
    allowed = (*REQUIRED, *OPTIONAL, *PARTY_COLUMNS)
    for col in df.columns:
        if col not in allowed:
            raise SeatcastError("columns", f"unknown column {col!r}", allowed)
    for col in REQUIRED:
        if col not in df.columns:
            raise SeatcastError("columns", f"missing required column {col!r}")
    shares = [c for c in PARTY_COLUMNS if c in df.columns]
    if not shares:
        raise SeatcastError("columns", "no party share column", PARTY_COLUMNS)
    if df.empty:
        raise SeatcastError("file", "the file has a header but no polls")
    return shares


def _date(text: str, line: int, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise _bad(line, field, f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _number(text: str, line: int, field: str) -> float:
    if not _NUMBER.fullmatch(text.strip()):
        raise _bad(line, field, f"{text[:40]!r} is not a number")
    value = float(text)
    if not np.isfinite(value):
        raise _bad(line, field, f"{text!r} is not a finite number")
    return value


def _check_pollster(text: str, line: int) -> str:
    name = " ".join(text.split())
    if not name:
        raise _bad(line, "pollster", "is blank")
    if len(name) > 80 or not name.isprintable():
        raise _bad(line, "pollster", "must be 1-80 printable characters")
    return name


def _check_dates(row: dict, line: int) -> tuple[dt.date, dt.date]:
    end = _date(row["fieldwork_end"], line, "fieldwork_end")
    start_text = row.get("fieldwork_start", "").strip()
    start = _date(start_text, line, "fieldwork_start") if start_text else end
    if start > end:
        raise _bad(line, "fieldwork_start", f"{start} is after fieldwork_end {end}")
    if end.year < 1900 or end > dt.date.today():
        raise _bad(line, "fieldwork_end", f"{end} is not a past date")
    return start, end


def _check_shares(row: dict, shares: list[str], line: int) -> dict[str, float]:
    values = {}
    for col in shares:
        text = row[col].strip().rstrip("%")
        if text == "":
            continue
        v = _number(text, line, col)
        if not 0.0 <= v <= 100.0:
            raise _bad(line, col, f"share {v:g} is outside 0-100")
        values[col] = v
    if not values:
        raise _bad(line, "shares", "no party share given")
    if max(values.values()) <= 1.0 and 0.0 < sum(values.values()) <= FRACTION_TOTAL:
        raise _bad(line, "shares", f"add up to {sum(values.values()):g}, which looks like fractions; "
                                   "did you mean percent? (e.g. 43 for 43%, not 0.43)")
    if sum(values.values()) > MAX_TOTAL:
        raise _bad(line, "shares", f"add up to {sum(values.values()):g}, more than {MAX_TOTAL:g}")
    return values


def _check_meta(row: dict, line: int) -> dict:
    meta = {}
    size = row.get("sample_size", "").strip().replace(",", "")
    if size:
        n = _number(size, line, "sample_size")
        if n != int(n) or not 1 <= n <= 1_000_000:
            raise _bad(line, "sample_size", f"{size!r} is not a whole number from 1 to 1,000,000")
        meta["sample_size"] = n
    area = row.get("area", "").strip()
    if area and area not in AREAS:
        raise _bad(line, "area", f"unknown area {area!r}", AREAS)
    meta["area"] = area or "GB"
    pid = row.get("poll_id", "").strip()
    if pid:
        n = _number(pid, line, "poll_id")
        if n != int(n):
            raise _bad(line, "poll_id", f"{pid!r} is not a whole number")
        meta["poll_id"] = int(n)
    return meta


def _parse_row(row: dict, shares: list[str], line: int) -> dict:
    pollster = _check_pollster(row["pollster"], line)
    start, end = _check_dates(row, line)
    values = _check_shares(row, shares, line)
    meta = _check_meta(row, line)
    return {"poll_id": meta.get("poll_id", line - 1), "pollster": pollster_name(pollster),
            "client": row.get("client", "").strip(), "notes": row.get("notes", "").strip(),
            "fieldwork_start": pd.Timestamp(start), "fieldwork_end": pd.Timestamp(end),
            "sample_size": meta.get("sample_size", np.nan), "area": meta["area"],
            "_line": line, **values}


def _check_duplicates(df: pd.DataFrame, shares: list[str]) -> None:
    for key, what in ((["poll_id"], "poll_id"),
                      (["pollster", "fieldwork_start", "fieldwork_end", *shares], "poll")):
        later = df.duplicated(key, keep="first")
        if later.any():
            i = int(np.flatnonzero(later.to_numpy())[0])  # the first row that repeats an earlier one
            keys = df[key].astype(str)  # NaN == NaN here, as in duplicated()
            twin = keys.iloc[:i].eq(keys.iloc[i]).all(axis=1)
            first = int(df.iloc[:i].loc[twin.to_numpy(), "_line"].iloc[0])
            field = "poll_id" if what == "poll_id" else "duplicate"
            reason = (f"poll_id {df.iloc[i]['poll_id']} repeats line {first}" if what == "poll_id" else
                      f"same pollster, dates and shares as line {first}")
            raise _bad(int(df.iloc[i]["_line"]), field, reason)


def read_csv(path) -> pd.DataFrame:
    """Validate and import a polls CSV (rules in the module docstring); all rows or an error.

    Returns the schema of :func:`seatcast.polls.load`, sorted by fieldwork end date.
    """
    path = Path(path)
    df = _read_text(path)
    shares = _check_columns(df)
    rows = [_parse_row(row, shares, int(line)) for line, row in zip(df.index, df.to_dict("records"),
                                                                    strict=True)]
    out = pd.DataFrame(rows)
    for col in PARTY_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="coerce") if col in out else np.nan
    _check_duplicates(out, shares)
    out["cycle"] = pd.NaT
    out["is_mrp"] = False
    out["source_file"] = path.name
    out = out.sort_values(["fieldwork_end", "_line"]).reset_index(drop=True)
    return out[[*META_COLUMNS, *PARTY_COLUMNS]]
