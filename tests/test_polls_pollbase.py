"""PollBase import on a trimmed copy of the Q4-2025 workbook (tests/fixtures; Mark Pack's PollBase,
https://www.markpack.org.uk/opinion-polls/, made by tests/fixtures/make_pollbase_fixture.py)."""

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from seatcast.cli import app
from seatcast.errors import MissingExtraError, SeatcastError
from seatcast.polls import pollbase, store

FIXTURE = Path(__file__).parent / "fixtures" / "PollBase-Q4-2025-trimmed.xlsx"


@pytest.fixture(scope="module")
def workbook():
    return pollbase.read_pollbase(FIXTURE)


def _row(df, sheet_row):
    return df[df["source_row"] == sheet_row].iloc[0]


def test_every_default_sheet_is_read(workbook):
    df, _ = workbook
    sheets = df["source_row"].str.extract(r"sheet (\S+) row")[0]
    assert set(sheets) == {"10-15", "17-19", "19-24", "24-"}  # 15-17 is not in the trimmed copy


@pytest.mark.parametrize(("where", "party_columns"), [
    ("sheet 10-15 row 56", {"con": 34, "lab": 34, "ld": 10, "ukip": 12, "green": 4}),  # YouGov, eve of 2015
    ("sheet 17-19 row 35", {"con": 45, "lab": 35, "ld": 10, "brexit": 3, "ukip": 0, "green": 3}),  # 2019 eve
    ("sheet 19-24 row 8", {"con": 44, "lab": 29, "ld": 11, "reform": 4, "ukip": 2, "green": 5}),  # BXP/Reform
])
def test_party_columns_follow_the_sheet_headers(workbook, where, party_columns):
    row = _row(workbook[0], where)
    assert {p: row[p] for p in party_columns} == party_columns
    assert all(pd.isna(row[p]) for p in ("snp", "pc", "other") if p not in party_columns)


def test_pollster_names_are_unified(workbook):
    df, _ = workbook
    names = set(df["pollster"])
    assert {"YouGov", "Ipsos", "Savanta", "Survation", "Opinium"} <= names
    assert not names & {"MORI", "Ipsos MORI", "ComRes", "Savanta ComRes", "TNS BMRB"}
    # PollBase's "Freshwater" is Wikipedia's "Freshwater Strategy" (bundled polls_next.csv): one house
    from seatcast.polls.sources import pollster_name

    assert pollster_name("Freshwater") == pollster_name("Freshwater Strategy") == "Freshwater Strategy"


def test_fieldwork_dates(workbook):
    df, _ = workbook
    bmg = _row(df, "sheet 19-24 row 8")  # "8-10" January 2020
    assert bmg.fieldwork_start.date() == dt.date(2020, 1, 8)
    assert bmg.fieldwork_end.date() == dt.date(2020, 1, 10)
    long = _row(df, "sheet 24- row 40")  # More in Common MRP, "31/10-16/12" 2024
    assert long.fieldwork_start.date() == dt.date(2024, 10, 31)
    assert long.fieldwork_end.date() == dt.date(2024, 12, 16)
    assert long.is_mrp
    assert (df["fieldwork_end"] >= df["fieldwork_start"]).all()


@pytest.mark.parametrize(("text", "start", "end"), [
    ("12-13", dt.date(2010, 5, 12), dt.date(2010, 5, 13)),
    ("28-2", dt.date(2019, 2, 28), dt.date(2019, 3, 2)),
    ("30/11-5/1", dt.date(2024, 11, 30), dt.date(2025, 1, 5)),
    ("29-3/1", dt.date(2023, 12, 29), dt.date(2024, 1, 3)),
    ("7", dt.date(2015, 5, 7), dt.date(2015, 5, 7)),
    ("15-?", dt.date(2011, 3, 15), None), ("n/a", dt.date(2021, 1, 1), None),
    (None, dt.date(2021, 1, 1), None),
    ("29?", dt.date(2017, 6, 29), None), ("5/1-4/6", dt.date(2017, 1, 5), None),  # over 120 days
])
def test_fieldwork_end_text(text, start, end):
    assert pollbase.fieldwork_end(text, start) == end


def test_area_mrp_and_skipped_rows(workbook):
    df, warnings = workbook
    assert set(df["area"]) == {"GB", "UK"} and (df["area"] == "UK").sum() > 20
    assert df["is_mrp"].sum() > 0 and df["sample_size"].isna().all()
    assert "sheet 10-15 row 33: unreadable fieldwork dates '5-?'; skipped" in warnings


def test_errors(tmp_path, monkeypatch):
    with pytest.raises(SeatcastError, match="no sheet 'Polls'.*allowed: Introduction, 10-15"):
        pollbase.read_pollbase(FIXTURE, ["Polls"])
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(SeatcastError, match="bad.xlsx is not a readable .xlsx workbook"):
        pollbase.read_pollbase(bad)
    with pytest.raises(SeatcastError, match="no 'fieldwork' column"):
        pollbase.read_pollbase(FIXTURE, ["Introduction"])
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingExtraError, match=r"seatcast\[pollbase\]"):
        pollbase.read_pollbase(FIXTURE)


def test_import_command_adds_only_what_the_store_lacks(runner, fresh_store):
    r = runner.invoke(app, ["polls", "import", str(FIXTURE), "--sheet", "24-", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    read = len(pollbase.read_pollbase(FIXTURE, ["24-"])[0])
    assert out["source"] == "pollbase" and out["added"] + out["duplicates"] == read
    assert out["duplicates"] > 25  # most PollBase polls since 2024 are already bundled from Wikipedia
    assert len(store.listing(source="pollbase", limit=0)) == out["added"]
    again = runner.invoke(app, ["polls", "import", str(FIXTURE), "--sheet", "24-", "--json"])
    again = json.loads(again.stdout)
    assert again["added"] == 0
