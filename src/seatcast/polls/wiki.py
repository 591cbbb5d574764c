"""``seatcast polls update``: new polls from Wikipedia's "Opinion polling for the next United
Kingdom general election" (text CC BY-SA 4.0; see ``data/files/PROVENANCE.md``, WIKINEXT).

The page's wikitext and revision id come from the MediaWiki API (:data:`API`, ``action=query``,
``prop=revisions``) through httpx; the tables are read with mwparserfromhell. Tables are taken from
the sections "National poll results" (area GB/UK from the Area column, GB if it has none),
"Scotland" and "Wales"; any other table (Northern Ireland, leadership ratings, seat projections)
is passed over. Rules for a table:

* the header row names the columns: dates, pollster, client, area, sample size, lead, others and
  one column per party (:data:`PARTY_NAMES`, matched on the link text or target); a party the
  registry does not know (a new party column) is added to ``other`` with a warning;
* ``rowspan``/``colspan`` cells are expanded; a row whose date *and* pollster cells continue the
  previous row's holds alternative figures of the same survey and only the first is kept (the
  bundled-data rule); a row that is one wide cell (an event such as a leadership election) is
  passed over;
* ``<ref>`` footnotes and ``{{efn}}`` notes are dropped; the leader's shading and bold are markup
  only; ``–`` or ``N/A`` is "not reported"; ``<1%`` is read as 0.5;
* dates come from ``{{opdrts|d1|d2|Mon|YYYY|...}}`` (``d1`` empty: one day; ``d1 > d2``: the
  fieldwork began in the month before), ``{{opdrts|d1|Mon1|d2|Mon2|YYYY}}`` or the text
  "d1–d2 Mon YYYY";
* pollster names are unified (:func:`seatcast.polls.sources.pollster_name`; "(MRP)" becomes
  ``is_mrp``), and a row must pass the checks of :mod:`seatcast.polls.importer` (shares 0-100, at
  most 103 in all, fieldwork ended by today). A row that fails is skipped with a warning naming it.

With no network the update raises :class:`~seatcast.errors.SeatcastError` before touching the
store; a parsed page is merged in one transaction (:func:`seatcast.polls.store.merge`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from seatcast.errors import MissingExtraError, SeatcastError
from seatcast.polls.importer import MAX_TOTAL
from seatcast.polls.sources import META_COLUMNS, PARTY_COLUMNS, pollster_name

API = "https://en.wikipedia.org/w/api.php"
PAGE = "Opinion polling for the next United Kingdom general election"
USER_AGENT = "seatcast/0.1 (https://github.com/seatcast; poll update)"
#: Column header (link text or link target, lower case) -> party code.
PARTY_NAMES = {
    "con": "con", "conservative": "con", "conservatives": "con", "conservative party (uk)": "con",
    "scottish conservatives": "con", "welsh conservatives": "con",
    "lab": "lab", "labour": "lab", "labour party (uk)": "lab", "scottish labour": "lab",
    "welsh labour": "lab",
    "ld": "ld", "lib dem": "ld", "lib dems": "ld", "liberal democrats (uk)": "ld",
    "scottish liberal democrats": "ld", "welsh liberal democrats": "ld",
    "ref": "reform", "reform": "reform", "reform uk": "reform",
    "grn": "green", "green": "green", "greens": "green", "green party of england and wales": "green",
    "scottish greens": "green", "wales green party": "green",
    "snp": "snp", "scottish national party": "snp", "pc": "pc", "plaid": "pc", "plaid cymru": "pc",
    "rb": "restore_britain", "restore britain": "restore_britain", "ukip": "ukip",
    "others": "other", "other": "other", "oth": "other",
}
FIELDS = {"dates conducted": "dates", "date(s) conducted": "dates", "fieldwork date": "dates",
          "dates": "dates", "pollster": "pollster", "polling firm": "pollster", "client": "client",
          "area": "area", "sample size": "sample", "lead": "lead"}
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                      "oct", "nov", "dec"), start=1)}
SECTIONS = {"national poll results": "GB", "scotland": "Scotland", "wales": "Wales"}
NOT_REPORTED = {"", "–", "-", "—", "n/a", "na", "tbc", "?"}


def _mw():
    try:
        import mwparserfromhell
    except ImportError:
        raise MissingExtraError("update", "mwparserfromhell") from None
    return mwparserfromhell


# ---- cells -----------------------------------------------------------------------------------


def _clean(code) -> str:
    """A cell's text without footnotes, notes, markup or links (link text kept)."""
    text = str(code)
    if not any(ch in text for ch in "<{[&"):  # plain text or bold: no need to parse it
        return " ".join(text.replace("'''", "").replace("''", "").split())
    mw = _mw()
    code = mw.parse(text)
    for tag in code.filter_tags(matches=lambda n: str(n.tag).lower() == "ref", recursive=True):
        _remove(code, tag)
    for tpl in code.filter_templates(recursive=False):
        name = str(tpl.name).strip().lower()
        if name in ("n/a", "na"):
            code.replace(tpl, "N/A")
        elif name not in ("opdrts",):
            _remove(code, tpl)
    text = re.sub(r"<br\s*/?>", " ", str(code), flags=re.I)
    return " ".join(mw.parse(text).strip_code().split())


def _remove(code, node) -> None:
    try:
        code.remove(node)
    except ValueError:  # already gone with a parent
        pass


def _month(text: str) -> int | None:
    return MONTHS.get(str(text).strip().lower()[:3])


def _opdrts(params: list[str], row: str) -> tuple[dt.date, dt.date]:
    """(start, end) of ``{{opdrts|...}}`` (forms in the module docstring)."""
    params = [p for p in params if p.strip().lower() not in ("year", "")] if params[0].strip() else params
    bad = SeatcastError(row, f"unreadable date template opdrts|{'|'.join(params)}")
    try:
        if len(params) >= 5 and _month(params[1]) and _month(params[3]):
            d1, m1, d2, m2, year = int(params[0]), _month(params[1]), int(params[2]), _month(params[3]), \
                int(params[4])
            return dt.date(year - (m1 > m2), m1, d1), dt.date(year, m2, d2)
        d1, d2, mon, year = params[0].strip(), int(params[1]), _month(params[2]), int(params[3])
        if mon is None:
            raise bad
        end = dt.date(year, mon, d2)
        if not d1:
            return end, end
        start_month = mon if int(d1) <= d2 else (mon - 2) % 12 + 1
        start_year = year - (start_month > mon)
        return dt.date(start_year, start_month, int(d1)), end
    except (ValueError, IndexError, TypeError):
        raise bad from None


def _text_dates(text: str, row: str) -> tuple[dt.date, dt.date]:
    """(start, end) from "14–15 Aug 2026", "30 Oct – 2 Nov 2026" or "21 Oct 2026"."""
    t = text.replace("–", "-").replace("—", "-")
    m = re.fullmatch(r"(\d{1,2})(?:\s+([A-Za-z]+))?(?:\s+(\d{4}))?\s*-\s*"
                     r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", t)
    try:
        if m:
            end = dt.date(int(m[6]), _month(m[5]), int(m[4]))
            start = dt.date(int(m[3] or m[6]), _month(m[2] or m[5]), int(m[1]))
            return start if start <= end else start.replace(year=start.year - 1), end
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", t)
        if m:
            day = dt.date(int(m[3]), _month(m[2]), int(m[1]))
            return day, day
    except (TypeError, ValueError):
        pass
    raise SeatcastError(row, f"unreadable fieldwork dates {text!r}")


def dates(cell, row: str) -> tuple[dt.date, dt.date]:
    """Fieldwork (start, end) of a date cell (wikicode)."""
    mw = _mw()
    for tpl in mw.parse(cell).filter_templates():  # cell: wikicode (not re-parsed) or text
        if str(tpl.name).strip().lower() == "opdrts":
            return _opdrts([str(p.value).strip() for p in tpl.params], row)
    return _text_dates(_clean(cell), row)


def share(text: str, field: str) -> float | None:
    """A share cell: percent, None when not reported; ``<1`` is 0.5."""
    t = text.replace("%", "").strip().lower()
    if t in NOT_REPORTED:
        return None
    if t.startswith("<"):
        return 0.5 if t[1:].strip() in ("1", "0.5") else _float(t[1:], field) / 2
    return _float(t, field)


def _float(text: str, field: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise SeatcastError(field, f"{text!r} is not a share") from None
    if not 0.0 <= value <= 100.0:
        raise SeatcastError(field, f"share {value:g} is outside 0-100")
    return value


# ---- tables ----------------------------------------------------------------------------------


def _cells(tr, kinds=("td", "th")):
    return tr.contents.filter_tags(matches=lambda n: str(n.tag) in kinds, recursive=False)


def _span(cell, name: str) -> int:
    try:
        return max(1, int(str(cell.get(name).value).strip())) if cell.has(name) else 1
    except ValueError:
        return 1


def header_columns(header_cells) -> tuple[list[str], list[str]]:
    """Field of each column (``dates``, ``pollster``, ..., a party code, or ``new:<name>``) from the
    first header row, and the warnings about new party columns."""
    mw = _mw()
    fields, warnings = [], []
    for cell in header_cells:
        code = mw.parse(str(cell.contents))
        links = code.filter_wikilinks()
        text = _clean(cell.contents).lower()
        target = str(links[0].title).strip().lower() if links else ""
        field = FIELDS.get(text) or PARTY_NAMES.get(text) or PARTY_NAMES.get(target)
        if field is None:
            field = f"new:{_clean(cell.contents)}"
            warnings.append(f"new party column {_clean(cell.contents)!r}: its share is added to other")
        fields += [field] * _span(cell, "colspan")
    return fields, warnings


@dataclass
class _Carry:
    cell: object
    left: int
    from_above: bool = True


def table_rows(table) -> tuple[list[str], list[tuple[int, list, set[int]]], list[str]]:
    """Columns, then (row number, cells, indices carried from the row above) of each data row, with
    row/col spans expanded; and warnings."""
    rows = table.contents.filter_tags(matches=lambda n: str(n.tag) == "tr", recursive=False)
    fields, warnings, out = None, [], []
    carry: dict[int, _Carry] = {}
    for number, tr in enumerate(rows, start=1):
        cells = _cells(tr)
        if not cells:
            continue
        if all(str(c.tag) == "th" for c in cells):
            if fields is None:
                fields, warnings = header_columns(cells)
            continue
        if fields is None:
            raise SeatcastError("table", "a poll table has no header row")
        out.append((number, *_expand(cells, carry, len(fields))))
    return fields or [], out, warnings


def _expand(cells, carry: dict, width: int) -> tuple[list, set[int]]:
    """One row's cells per column, filling cells spanned from above."""
    row, carried, queue = [], set(), list(cells)
    col = 0
    while col < width and (queue or col in carry):
        if col in carry:
            row.append(carry[col].cell)
            carried.add(col)
            carry[col].left -= 1
            if carry[col].left == 0:
                del carry[col]
            col += 1
            continue
        cell = queue.pop(0)
        down, across = _span(cell, "rowspan"), _span(cell, "colspan")
        for k in range(across):
            row.append(cell)
            if down > 1:
                carry[col + k] = _Carry(cell, down - 1)
        col += across
    return row, carried


def _poll(fields: list[str], cells: list, carried: set[int], area: str, where: str,
          today: dt.date) -> dict | None:
    """A poll dict from one expanded row; None for an event row; SeatcastError for a bad row."""
    if len(set(map(id, cells))) == 1 and len(fields) > 2:
        return None  # one wide cell: an event line, not a poll
    if len(cells) < len(fields):
        raise SeatcastError(where, f"has {len(cells)} cells, the table has {len(fields)} columns")
    col = {f: i for i, f in reversed(list(enumerate(fields)))}
    if {col["dates"], col["pollster"]} <= carried:
        raise SeatcastError(where, "alternative figures of the poll above (only the first is kept)")
    start, end = dates(cells[col["dates"]].contents, where)
    if start > end or end > today:
        raise SeatcastError(where, f"fieldwork {start} to {end} is not a past date range")
    name = _clean(cells[col["pollster"]].contents)
    is_mrp = "(mrp)" in name.lower()
    name = re.sub(r"\s*\(mrp\)\s*", " ", name, flags=re.I).strip()
    if not name:
        raise SeatcastError(where, "no pollster")
    poll = {"pollster": pollster_name(name), "fieldwork_start": pd.Timestamp(start),
            "fieldwork_end": pd.Timestamp(end), "is_mrp": is_mrp, "area": area,
            "client": "" if "client" not in col else _clean(cells[col["client"]].contents).replace("N/A", "")}
    if "area" in col and area == "GB":
        text = _clean(cells[col["area"]].contents).upper()
        poll["area"] = text if text in ("GB", "UK") else "GB"
    poll["sample_size"] = _sample(cells[col["sample"]].contents, where) if "sample" in col else np.nan
    poll.update(_shares(fields, cells, where))
    return poll


def _sample(cell, where: str) -> float:
    text = _clean(cell).replace(",", "").strip()
    if text.lower() in NOT_REPORTED:
        return np.nan
    try:
        n = float(text)
    except ValueError:
        raise SeatcastError(f"{where}: sample size", f"{text!r} is not a number") from None
    if n != int(n) or not 1 <= n <= 1_000_000:
        raise SeatcastError(f"{where}: sample size", f"{text!r} is not a whole number from 1 to 1,000,000")
    return n


def _shares(fields: list[str], cells: list, where: str) -> dict[str, float]:
    values: dict[str, float] = {}
    for f, cell in zip(fields, cells, strict=False):
        if f in PARTY_COLUMNS or f.startswith("new:"):
            v = share(_clean(cell.contents), f"{where}: {f.removeprefix('new:')}")
            if v is not None:
                key = f if f in PARTY_COLUMNS else "other"
                values[key] = values.get(key, 0.0) + v
    if len(values) < 2:
        raise SeatcastError(where, "fewer than two party shares")
    if sum(values.values()) > MAX_TOTAL:
        raise SeatcastError(where, f"shares add up to {sum(values.values()):g}, more than {MAX_TOTAL:g}")
    return values


# ---- the page --------------------------------------------------------------------------------


def _sections(wikitext: str):
    """(area, section label, table wikicode) of each poll table under the recognised headings."""
    mw = _mw()
    stack: list[tuple[int, str]] = []
    for piece in re.split(r"(?m)^(=+[^=\n].*?=+)\s*$", wikitext):
        m = re.fullmatch(r"(=+)\s*(.*?)\s*=+", piece.strip())
        if m:
            level = len(m[1])
            stack = [(lv, t) for lv, t in stack if lv < level] + [(level, m[2].strip().lower())]
            continue
        areas = [SECTIONS[t] for _, t in stack if t in SECTIONS]
        if not areas:
            continue
        label = " / ".join(t for _, t in stack)
        for table in mw.parse(piece).filter_tags(matches=lambda n: str(n.tag) == "table", recursive=False):
            yield areas[-1], label, table


def parse_page(wikitext: str, today: dt.date | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The polls of the page's national, Scotland and Wales tables in the
    :func:`seatcast.polls.load` schema plus ``source_row``, and the warnings (rows skipped)."""
    today = today or dt.date.today()
    polls, warnings = [], []
    for area, label, table in _sections(wikitext):
        fields, rows, notes = table_rows(table)
        warnings += [f"{label}: {n}" for n in notes]
        if "dates" not in fields or "pollster" not in fields:
            continue
        for number, cells, carried in rows:
            where = f"{label} table row {number}"
            try:
                poll = _poll(fields, cells, carried, area, where, today)
            except SeatcastError as exc:
                warnings.append(f"{exc} ({_row_hint(fields, cells)}); skipped")
                continue
            if poll is not None:
                polls.append({**poll, "source_row": where})
    return _frame(polls), warnings


def _row_hint(fields: list[str], cells: list) -> str:
    """"Pollster, start to end" of a row, as far as it can be read."""
    col = {f: i for i, f in enumerate(fields)}
    parts = []
    if "pollster" in col and col["pollster"] < len(cells):
        parts.append(_clean(cells[col["pollster"]].contents))
    if "dates" in col and col["dates"] < len(cells):
        try:
            start, end = dates(cells[col["dates"]].contents, "")
            parts.append(f"{start} to {end}")
        except SeatcastError:
            parts.append(str(cells[col["dates"]].contents).strip())
    return ", ".join(p for p in parts if p) or "empty row"


def _frame(polls: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(polls)
    for col in (*META_COLUMNS, *PARTY_COLUMNS, "source_row"):
        if col not in df:
            df[col] = np.nan
    if df.empty:
        return df[[*META_COLUMNS, *PARTY_COLUMNS, "source_row"]]
    df["poll_id"] = np.arange(1, len(df) + 1)
    df["client"] = df["client"].fillna("").astype(str)
    df["notes"] = ""
    df["is_mrp"] = df["is_mrp"].astype(bool)
    df["cycle"] = pd.NaT
    df["source_file"] = "wikipedia"
    for col in ("sample_size", *PARTY_COLUMNS):
        df[col] = df[col].astype(float)
    return df[[*META_COLUMNS, *PARTY_COLUMNS, "source_row"]]


# ---- fetching and merging --------------------------------------------------------------------


def default_transport():
    """The httpx transport of :func:`fetch` (None: the network). Tests replace it with a mock."""
    return None


def fetch(transport=None, timeout: float = 30.0) -> tuple[str, int]:
    """(wikitext, revision id) of :data:`PAGE` from the MediaWiki API; SeatcastError when offline."""
    try:
        import httpx
    except ImportError:
        raise MissingExtraError("update", "httpx") from None
    params = {"action": "query", "prop": "revisions", "titles": PAGE, "rvprop": "ids|content",
              "rvslots": "main", "format": "json", "formatversion": "2", "redirects": "1"}
    try:
        with httpx.Client(transport=transport or default_transport(), timeout=timeout,
                          headers={"User-Agent": USER_AGENT}, follow_redirects=True) as client:
            resp = client.get(API, params=params)
            resp.raise_for_status()
            body = resp.json()
    except httpx.HTTPError as exc:
        raise SeatcastError("network", f"could not fetch the Wikipedia page ({type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else 'no detail'}); nothing changed") \
            from None
    except ValueError:
        raise SeatcastError("network", "Wikipedia's answer was not JSON; nothing changed") from None
    try:
        rev = body["query"]["pages"][0]["revisions"][0]
        return rev["slots"]["main"]["content"], int(rev["revid"])
    except (KeyError, IndexError, TypeError):
        raise SeatcastError("network", f"Wikipedia's answer has no revision of {PAGE!r}; nothing changed") \
            from None


@dataclass(frozen=True)
class UpdateResult:
    """What ``polls update`` did: the merge report, the page revision and the warnings."""

    report: object
    revision: int
    warnings: tuple[str, ...]


def update(transport=None, timeout: float = 30.0, today: dt.date | None = None) -> UpdateResult:
    """Fetch the page, parse it and merge its polls into the store (one transaction)."""
    from seatcast.polls import store

    text, revision = fetch(transport, timeout)
    polls, warnings = parse_page(text, today)
    if polls.empty:
        raise SeatcastError("page", f"no polls found in revision {revision} of {PAGE!r}; nothing changed")
    report = store.merge(polls, "wikipedia", f"revision {revision}")
    return UpdateResult(report, revision, tuple(warnings))
