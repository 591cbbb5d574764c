"""present.dump_bytes (orjson, for the web API) gives exactly the bytes of present.dumps (json)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seatcast import present
from seatcast.swing import project, scenario


def same(doc) -> None:
    try:
        expected = present.dumps(doc).encode()
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        with pytest.raises(type(exc)):
            present.dump_bytes(doc)
        return
    assert present.dump_bytes(doc) == expected


@dataclass
class Point:
    x: int


@pytest.mark.parametrize("doc", [
    {"tiny": 1e-05}, {"tiny": -2.5e-05}, {"small": 0.0001}, {"exp": 1.5e-7}, {"big": 1e16}, {"big": 1e22},
    {"nan": math.nan}, {"inf": math.inf}, {"neg": -0.0}, {"none": None}, {"np": np.float64(0.5)},
    {"np": np.int64(3)}, {"np": np.str_("lab")}, {np.str_("lab"): 1}, {1: "int key"}, {True: "bool key"},
    {"tuple": (1, 2)}, {"set": {"a"}}, {"date": dt.date(2024, 7, 4)}, {"dc": Point(1)},
    {"text": "Ynys Môn \u2013 \n\t\"quoted\" \x7f"}, {"surrogate": "\ud800"}, {"huge": 2**70},
    {"b": [1, 2.5, "x"], "a": {"z": 1, "é": 2, "\U0001f600": 3, "Z": 4}},
])
def test_the_fast_encoder_gives_the_same_bytes_or_the_same_error(doc):
    same(doc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_document_gives_the_same_bytes(doc):
    same(doc)


@pytest.mark.parametrize("baseline, model, shares", [
    ("2024", "tm", {"lab": 30, "reform": 28, "con": 18, "ld": 12, "green": 9}),
    ("2019n", "uns", {"con": 30, "lab": 35, "reform": 15, "ld": 10}),
    ("2017", "stm", {"con": 43, "lab": 36, "ld": 12, "brexit": 3, "green": 2}),
    ("2024", "tac", {"con": 0.00001, "lab": 40}),
])
def test_projection_documents_are_encoded_alike(baseline, model, shares):
    proj = project(scenario(shares), baseline, model)
    doc = present.projection_doc(proj)
    same(doc)
    same({**doc, "explain": proj.explain(proj.baseline.ons[0])})


def test_a_projection_document_takes_the_fast_path(monkeypatch):
    """What makes the web API's projections cheap: orjson alone encodes them (no json fallback)."""
    doc = present.projection_doc(project(scenario({"lab": 30, "reform": 28, "con": 18}), "2024", "tm"))
    expected = present.dumps(doc).encode()
    monkeypatch.setattr(present, "dumps", lambda *a, **k: pytest.fail("fell back to json"))
    assert present.dump_bytes(doc) == expected


def _render(table, width):
    from rich.console import Console

    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(table)
    return console.export_text()


def test_forecast_table_fits_an_80_column_terminal_with_party_codes():
    """At 80 columns the forecast table wrapped 'Democratic Unionist Party (dup)' over four lines
    and cut 'P(majority)' to 'P(majori…'. Narrow, it now shows party codes, one line per party,
    every header word whole; wide, it keeps the display names."""
    from seatcast import present

    rows = [{"party": p, "median": m, "interval": "1-2", "expected": m + 0.4, "modal": m,
             "p_majority": 0.1, "p_largest": 0.2} for p, m in (("lab", 267), ("dup", 5), ("sdlp", 2))]
    narrow = _render(present.rich_table("t", rows, present.FORECAST_COLUMNS, width=80), 80)
    lines = narrow.splitlines()
    assert max(map(len, lines)) <= 80
    assert "P(majority)" in narrow and "P(largest)" in narrow and "…" not in narrow
    assert sum(line.startswith("│") for line in lines) == 3  # one line per party
    assert "│ dup " in narrow and "Democratic" not in narrow
    wide = _render(present.rich_table("t", rows, present.FORECAST_COLUMNS, width=200), 200)
    assert "Democratic Unionist Party (dup)" in wide


def test_bloc_table_header_uses_the_room_an_80_column_terminal_leaves():
    """At 80 columns the 2024 blocs' table wrapped 'P(can oust the largest party)' over five lines
    (each column was held to its longest word). The spare width now goes to the labels that wrap
    most: every header is at most two lines and the table still fits."""
    from seatcast import present
    from seatcast.parliament.blocs import DEFAULT_BLOCS

    rows = [{"bloc": b, "median": 241, "p_working_majority": 0.126, "p_oust_largest": 0.01}
            for b in DEFAULT_BLOCS]
    text = _render(present.rich_table("t", rows, present.BLOC_COLUMNS, width=80), 80)
    lines = text.splitlines()
    header = lines[lines.index(next(x for x in lines if x.startswith("┏"))) + 1:
                   lines.index(next(x for x in lines if x.startswith("┡")))]
    assert max(map(len, lines)) <= 80 and len(header) <= 2
    assert "P(ousts the" in text and "largest party)" in text


def test_latest_polls_table_fits_80_columns_without_cutting_a_cell():
    """The 'Latest 10 polls' table of `seatcast polls` (August 2026: nine parties, Restore Britain
    among them) cut every pollster, date and sample size at 80 columns ('You…', '202…', '2,4…').
    Too wide for borders, it now drops them for two spaces between columns, and no cell is cut."""
    from seatcast import present

    parties = ("con", "lab", "ld", "reform", "green", "snp", "pc", "restore_britain", "other")
    rows = [("YouGov", "17 Aug", "2441", "19", "22", "12", "24", "13", "3", "1", "4", "2"),
            ("Trajectory Partners", "12 Aug", "1462", "20", "28", "11", "22", "9", "3", "1", "", "7")]
    text = _render(present.grid("Latest polls", ("pollster", "ended", "n", *parties), rows,
                                left=("pollster", "ended"), width=80), 80)
    assert max(map(len, text.splitlines())) <= 80 and "…" not in text
    for word in ("YouGov", "Trajectory", "17 Aug", "2441", "restore", "britain"):
        assert word in text
