"""The bundled polls, cleaned into one schema (sources and caveats: ``data/files/PROVENANCE.md``).

Schema of every frame returned here (one row per poll):

``poll_id`` (int), ``pollster`` (str, "" when the source does not name it), ``client``,
``fieldwork_start``, ``fieldwork_end`` (datetime64), ``sample_size`` (float, NaN when not
published), ``area`` (``GB``/``UK``/``Scotland``/``Wales``), ``cycle`` (polling day of the election
the poll preceded, NaT after July 2024), ``is_mrp`` (bool), ``source_file``, ``notes`` and the share
columns :data:`PARTY_COLUMNS` in percent (NaN = not reported, which is not the same as 0).

Cleaning rules, each from PROVENANCE.md:

* national: ``polls.csv`` for the 2010-2019 cycles; ``polls_2024_cycle_full.csv`` for 2019-24 (it
  has pollsters and replaces the 2024 campaign rows of ``polls.csv``, except the 8 campaign polls it
  lacks, which are kept); ``polls_next.csv`` after 4 July 2024. Its ``reform`` column in 2020 is the
  Brexit Party (renamed Reform UK in January 2021), kept as ``reform``.
* MRP polls (``is_mrp``, or PollBase's "seat prediction" notes) are dropped by default: they are
  model outputs, not fresh samples. Of each flagged pair of alternative figures from one survey in
  ``polls_next.csv`` only the first ``poll_id`` is kept.
* A poll with no fieldwork end date is dropped (the as-of rule needs it: 60 PollBase polls with
  unreadable fieldwork text and the 25 undated Stonehaven trackers, among others); a missing start
  date is set to the end date (the 2024 campaign rows of ``polls.csv`` give only the end).
* A row repeating an earlier one exactly (same named pollster, dates and shares) is dropped: two
  such pairs exist in PollBase (Opinium, April 2010; YouGov, June 2011).
* Pollster names are unified across renames (:data:`POLLSTER_ALIASES`), so house effects follow a
  firm across a cycle: e.g. MORI -> Ipsos MORI -> Ipsos; ComRes -> Savanta ComRes -> Savanta;
  TNS BMRB -> Kantar -> Verian (Kantar Public became Verian in 2023).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd

from seatcast import data
from seatcast.errors import SeatcastError

PARTY_COLUMNS = ("con", "lab", "ld", "ukip", "brexit", "reform", "green", "snp", "pc",
                 "change_uk", "bnp", "restore_britain", "other")
META_COLUMNS = ("poll_id", "pollster", "client", "fieldwork_start", "fieldwork_end", "sample_size",
                "area", "cycle", "is_mrp", "source_file", "notes")
KINDS = ("national", "scotland", "wales")
#: Polling days of UK general elections, 2005 onwards (House of Commons Library CBP-7529 and
#: CBP-10009). A poll window never reaches back past the last one before ``as_of``; a poll's
#: cycle is the first one on or after its fieldwork end.
GE_DATES = (dt.date(2005, 5, 5), *sorted({e.date for e in data.ELECTIONS.values()}))

POLLSTER_ALIASES = {
    "MORI": "Ipsos", "Ipsos MORI": "Ipsos",
    "ComRes": "Savanta", "Savanta ComRes": "Savanta", "Savanta ComRes / Electoral Calculus": "Savanta",
    "TNS BMRB": "Verian", "TNS-BMRB": "Verian", "Kantar TNS": "Verian", "Kantar": "Verian",
    "BMG Research": "BMG", "Lord Ashcroft Polls": "Lord Ashcroft",
    "NCP": "Number Cruncher Politics", "People Polling": "PeoplePolling",
    "R+W": "Redfield & Wilton", "Redfield and Wilton": "Redfield & Wilton",
    "We Think": "WeThink", "Whitestone Insight": "Whitestone",
    "Find Out Now / Electoral Calculus": "Find Out Now/Electoral Calculus",
    "Freshwater": "Freshwater Strategy",  # PollBase's short name; Wikipedia's in polls_next.csv
}
#: Rows of ``polls_next.csv`` that repeat a survey with alternative figures (PROVENANCE.md).
ALTERNATIVE_FIGURES = (10213, 10487)


def pollster_name(name) -> str:
    """The unified name of a pollster ("" for a missing one)."""
    if not isinstance(name, str) or not name.strip():
        return ""
    name = " ".join(name.split())
    return POLLSTER_ALIASES.get(name, name)


def _schema(df: pd.DataFrame, source_file: str) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    for col in META_COLUMNS:
        out[col] = df[col] if col in df else np.nan
    out["pollster"] = df["pollster"].map(pollster_name).astype(str)
    out["client"] = df["client"].fillna("").astype(str) if "client" in df else ""
    out["notes"] = df["notes"].fillna("").astype(str)
    out["cycle"] = pd.to_datetime(df["election_date"], errors="coerce")
    out["area"] = df["area"].fillna("GB").astype(str).str.rstrip("?")
    out["is_mrp"] = (df["is_mrp"].astype(bool) if "is_mrp" in df
                     else df["notes"].fillna("").str.contains("seat prediction", case=False))
    out["sample_size"] = pd.to_numeric(df["sample_size"], errors="coerce")
    out["source_file"] = source_file
    for col in PARTY_COLUMNS:
        out[col] = pd.to_numeric(df[col], errors="coerce") if col in df else np.nan
    return out


def _clean(df: pd.DataFrame, include_mrp: bool) -> pd.DataFrame:
    df = df[df["fieldwork_end"].notna()].copy()
    df["fieldwork_start"] = df["fieldwork_start"].fillna(df["fieldwork_end"])
    df = df[~df["poll_id"].isin(ALTERNATIVE_FIGURES)]
    key = ["pollster", "fieldwork_start", "fieldwork_end", *PARTY_COLUMNS]
    df = df[~(df.duplicated(key) & (df["pollster"] != ""))]
    if not include_mrp:
        df = df[~df["is_mrp"]]
    df["poll_id"] = df["poll_id"].astype(int)
    return df.sort_values(["fieldwork_end", "poll_id"]).reset_index(drop=True)


def _national_raw() -> pd.DataFrame:
    old = data.polls("national")
    cycle = data.polls("cycle2024")
    linked = set(cycle["polls_csv_poll_id"].dropna().astype(int))
    old24 = old["election_date"].dt.year == 2024
    keep_old = old[~old24 | ~old["poll_id"].isin(linked)]
    return pd.concat([_schema(keep_old, "polls.csv"),
                      _schema(cycle, "polls_2024_cycle_full.csv"),
                      _schema(data.polls("next"), "polls_next.csv")], ignore_index=True)


@cache
def _load(kind: str, include_mrp: bool) -> pd.DataFrame:
    if kind == "national":
        raw = _national_raw()
    else:
        raw = _schema(data.polls(kind), f"polls_{kind}.csv")
    return _clean(raw, include_mrp)


def load(kind: str = "national", *, include_mrp: bool = False) -> pd.DataFrame:
    """The bundled polls of one kind (``national``, ``scotland``, ``wales``) in the module schema.

    Sources: Mark Pack's PollBase and Wikipedia's opinion-polling tables (CC BY-SA 4.0), as
    described in ``data/files/PROVENANCE.md``; the cleaning rules are in the module docstring.
    """
    if kind not in KINDS:
        raise SeatcastError("kind", f"unknown poll set {kind!r}", KINDS)
    return _load(kind, bool(include_mrp)).copy()
