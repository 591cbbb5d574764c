"""Read Mark Pack's PollBase workbook (https://www.markpack.org.uk/opinion-polls/), the archive of
British voting-intention polls republished every quarter, into the poll schema.

Layout (checked on the Q4-2020 and Q4-2025 editions): one sheet per parliament, named by years
(``10-15``, ``15-17``, ``17-19``, ``19-24``, ``24-``). Row 1 is the header; each poll is one row
with ``Fieldwork`` (day text such as ``5-6``, ``28-2`` across a month end, ``31/10-16/12``), the
unheaded column after it (the fieldwork start date), ``Polling`` (pollster), ``Publisher``
(client), one column per party (each followed by an unheaded change column), lead columns,
``Mode``, ``Georgraphy`` [sic] (``UK`` where the poll covered the UK; GB otherwise, per the
workbook's introduction), ``MRP?``, then leader ratings and seat projections from ``Leader:`` on,
which are not read. Rows without a voting-intention share (leader ratings only) are not polls of
vote intention and are passed over; a row whose fieldwork end cannot be read ("n/a", "15-?") or
whose shares fail the checks of :mod:`seatcast.polls.importer` is skipped with a warning naming
its sheet and row. PollBase gives no sample sizes. Party headers: :data:`PARTY_HEADERS` (the
2019-24 ``BXP/Reform`` column is kept as ``reform``, as in :mod:`seatcast.polls.sources`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd

from seatcast.errors import MissingExtraError, SeatcastError
from seatcast.polls.importer import MAX_TOTAL
from seatcast.polls.sources import META_COLUMNS, PARTY_COLUMNS, pollster_name

#: The sheets read by default: the parliaments since the 2010 election.
DEFAULT_SHEETS = ("10-15", "15-17", "17-19", "19-24", "24-")
PARTY_HEADERS = {"con": "con", "lab": "lab", "ld": "ld", "ukip": "ukip", "green": "green",
                 "bnp": "bnp", "tig/cuk": "change_uk", "bxp": "brexit", "bxp/reform": "reform",
                 "reform": "reform", "snp": "snp", "plaid": "pc"}
STOP_HEADER = "leader:"
_DAY = r"(\d{1,2})(?:/(\d{1,2}))?"
_FIELDWORK = re.compile(rf"{_DAY}(?:-{_DAY})?")


def _workbook(path: Path):
    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError("pollbase", "openpyxl") from None
    if not path.is_file():
        raise SeatcastError("file", f"no such workbook: {path}")
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl: unreadable header/footer, irrelevant here
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl raise many kinds for a file that is not a workbook
        raise SeatcastError("file", f"{path.name} is not a readable .xlsx workbook ({type(exc).__name__})") \
            from None


def columns(header: tuple) -> dict[str, int]:
    """Column index of each field in a sheet's header row (parties before ``Leader:`` only)."""
    found = {}
    for i, cell in enumerate(header):
        name = str(cell).strip().lower() if cell is not None else ""
        if name == STOP_HEADER:
            break
        if name == "fieldwork":
            found["fieldwork"], found["start"] = i, i + 1
        elif name in ("polling", "publisher", "mode", "mrp?"):
            found[name] = i
        elif name in ("georgraphy", "geography"):
            found["geography"] = i
        elif name in PARTY_HEADERS and PARTY_HEADERS[name] not in found:
            found[PARTY_HEADERS[name]] = i
    missing = [k for k in ("fieldwork", "polling", "con", "lab") if k not in found]
    if missing:
        raise SeatcastError("sheet", f"no {missing[0]!r} column in the header row")
    return found


def fieldwork_end(text, start: dt.date) -> dt.date | None:
    """The end date from PollBase's fieldwork text and the start date (None if unreadable)."""
    m = _FIELDWORK.fullmatch(str(text).strip()) if text is not None else None
    if m is None:
        return None
    day, month = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
    day, month = int(day), int(month) if month else None
    if month is None:
        month = start.month if day >= start.day else start.month % 12 + 1
    year = start.year + (1 if month < start.month else 0)
    try:
        end = dt.date(year, month, day)
    except ValueError:
        return None
    return end if 0 <= (end - start).days <= 120 else None


def _shares(row: tuple, cols: dict[str, int]) -> dict[str, float]:
    out = {}
    for p in PARTY_COLUMNS:
        if p in cols and cols[p] < len(row) and isinstance(row[cols[p]], int | float):
            out[p] = float(row[cols[p]])
    return out


def _check(shares: dict[str, float]) -> str | None:
    bad = [p for p, v in shares.items() if not 0.0 <= v <= 100.0]
    if bad:
        return f"share of {bad[0]} {shares[bad[0]]:g} is outside 0-100"
    if sum(shares.values()) > MAX_TOTAL:
        return f"shares add up to {sum(shares.values()):g}, more than {MAX_TOTAL:g}"
    return None


def _poll(row: tuple, cols: dict[str, int], where: str) -> tuple[dict | None, str | None]:
    """One row as a poll dict, or (None, warning); (None, None) for a row that is not a VI poll."""
    shares = _shares(row, cols)
    if not shares:
        return None, None
    start = row[cols["start"]]
    if not isinstance(start, dt.datetime | dt.date):
        return None, f"{where}: no fieldwork start date ({start!r}); skipped"
    start = start.date() if isinstance(start, dt.datetime) else start
    end = fieldwork_end(row[cols["fieldwork"]], start)
    if end is None:
        return None, f"{where}: unreadable fieldwork dates {row[cols['fieldwork']]!r}; skipped"
    problem = _check(shares)
    if problem:
        return None, f"{where}: {problem}; skipped"
    text = {k: (str(row[i]).strip() if i < len(row) and row[i] is not None else "")
            for k, i in cols.items() if k in ("polling", "publisher", "mode", "geography", "mrp?")}
    return {"pollster": pollster_name(text["polling"]), "client": text.get("publisher", ""),
            "fieldwork_start": pd.Timestamp(start), "fieldwork_end": pd.Timestamp(end),
            "area": "UK" if text.get("geography", "").upper() == "UK" else "GB",
            "is_mrp": "mrp" in text.get("mrp?", "").lower(), "notes": text.get("geography", "")
            if text.get("geography", "").upper() not in ("", "UK") else "",
            "sample_size": np.nan, "source_row": where, **shares}, None


def read_sheet(ws, name: str) -> tuple[list[dict], list[str]]:
    """The polls of one sheet and the warnings about rows skipped."""
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise SeatcastError("sheet", f"sheet {name!r} is empty")
    cols = columns(header)
    polls, warnings = [], []
    for i, row in enumerate(rows, start=2):
        poll, warning = _poll(row, cols, f"sheet {name} row {i}")
        if poll is not None:
            polls.append(poll)
        if warning:
            warnings.append(warning)
    return polls, warnings


def read_pollbase(path, sheets=None) -> tuple[pd.DataFrame, list[str]]:
    """The GB voting-intention polls of a PollBase workbook (default :data:`DEFAULT_SHEETS`) in the
    :func:`seatcast.polls.load` schema plus ``source_row`` (``sheet S row R``), and warnings."""
    path = Path(path)
    wb = _workbook(path)
    try:
        wanted = list(sheets) if sheets else [s for s in DEFAULT_SHEETS if s in wb.sheetnames]
        for s in wanted:
            if s not in wb.sheetnames:
                raise SeatcastError("sheet", f"no sheet {s!r} in {path.name}", wb.sheetnames)
        polls, warnings = [], []
        for s in wanted:
            p, w = read_sheet(wb[s], s)
            polls += p
            warnings += w
    finally:
        wb.close()
    if not polls:
        raise SeatcastError("file", f"no voting-intention polls found in {path.name} (sheets {wanted})")
    df = pd.DataFrame(polls)
    for col in (*META_COLUMNS, *PARTY_COLUMNS):
        if col not in df:
            df[col] = np.nan
    df["poll_id"] = np.arange(1, len(df) + 1)
    df["cycle"], df["source_file"] = pd.NaT, path.name
    return df[[*META_COLUMNS, *PARTY_COLUMNS, "source_row"]], warnings
