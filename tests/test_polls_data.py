"""Bundled polls (load) and user polls files (read_csv): schema, cleaning, validation."""

import textwrap

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seatcast import data
from seatcast.errors import SeatcastError
from seatcast.polls import PARTY_COLUMNS, load, read_csv


def test_national_covers_every_cycle_with_one_schema():
    polls = load()
    cycles = polls["cycle"].dt.year.value_counts()
    # PROVENANCE.md: 685 / 2,049 / 270 / 457 PollBase polls before cleaning; 1,568 + 8 for 2019-24
    assert 600 < cycles[2010] <= 685 and 1900 < cycles[2015] <= 2049
    assert 250 < cycles[2017] <= 270 and 420 < cycles[2019] <= 457 and 1450 < cycles[2024] <= 1576
    assert polls["cycle"].isna().sum() == 543 - 21 - 2  # polls_next less 21 MRP, one of each alt. pair
    assert polls["fieldwork_end"].notna().all()
    assert (polls["fieldwork_start"] <= polls["fieldwork_end"]).all()
    assert polls["poll_id"].is_unique and not polls["is_mrp"].any()
    assert polls["fieldwork_end"].is_monotonic_increasing


def test_2024_cycle_full_supersedes_polls_csv_campaign_rows():
    polls = load()
    linked = data.polls("cycle2024")["polls_csv_poll_id"].dropna().astype(int)
    assert not polls["poll_id"].isin(linked).any()
    unlinked = {3481, 3482, 3502, 3512, 3554, 3572, 3575, 3606}  # PROVENANCE.md: no PollBase row
    assert unlinked <= set(polls["poll_id"])
    assert 10213 not in set(polls["poll_id"]) and 10212 in set(polls["poll_id"])


def test_pollster_renames_are_unified():
    names = set(load()["pollster"])
    assert {"Ipsos", "Savanta", "Verian", "Redfield & Wilton"} <= names
    assert not {"MORI", "Ipsos MORI", "R+W", "ComRes", "TNS BMRB", "Kantar", "We Think"} & names


def test_nation_polls():
    scot, wales = load("scotland"), load("wales")
    assert set(scot["area"]) == {"Scotland"} and set(wales["area"]) == {"Wales"}
    assert scot["snp"].notna().all() and wales["pc"].notna().all()
    with pytest.raises(SeatcastError):
        load("ni")


GOOD = """\
pollster,fieldwork_start,fieldwork_end,sample_size,con,lab,ld,reform,green,snp
YouGov,2024-06-01,2024-06-03,2000,20,40,11,15,7,3
Ipsos MORI,2024-06-02,2024-06-04,,22,38,10,,6,
Savanta,2024-06-05,2024-06-06,"2,100",21,41,10,14,5,2
"""


def _write(tmp_path, text, name="polls.csv"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_read_csv_good_file(tmp_path):
    polls = read_csv(_write(tmp_path, GOOD))
    assert len(polls) == 3 and list(polls["pollster"]) == ["YouGov", "Ipsos", "Savanta"]
    assert polls.loc[1, "reform"] != polls.loc[1, "reform"]  # blank = not reported (NaN), not 0
    assert polls["sample_size"].tolist()[::2] == [2000, 2100] and np.isnan(polls.loc[1, "sample_size"])
    assert set(PARTY_COLUMNS) <= set(polls.columns) and set(polls["area"]) == {"GB"}


BAD = [
    ("pollster,fieldwork_end,con,lab\nYouGov,2024-06-01,20,40\nICM,2024-13-01,20,40\n",
     "line 3: fieldwork_end"),
    ("pollster,fieldwork_end,con,lab\nYouGov,2024-06-01,120,40\n", "line 2: con"),
    ("pollster,fieldwork_end,con,lab\nYouGov,2024-06-01,20,-1\n", "line 2: lab"),
    ("pollster,fieldwork_end,con,lab\nYouGov,2024-06-01,20,forty\n", "line 2: lab"),
    ("pollster,fieldwork_end,con,lab,ld\nYouGov,2024-06-01,50,45,10\n", "line 2: shares"),
    ("pollster,fieldwork_end,con,lab\n ,2024-06-01,20,40\n", "line 2: pollster"),
    ("pollster,fieldwork_start,fieldwork_end,con\nYouGov,2024-06-05,2024-06-01,20\n",
     "line 2: fieldwork_start"),
    ("pollster,fieldwork_end,con,labour\nYouGov,2024-06-01,20,40\n", "columns"),
    ("pollster,con,lab\nYouGov,20,40\n", "columns"),
    ("pollster,fieldwork_end\nYouGov,2024-06-01\n", "columns"),
    ("pollster,fieldwork_end,con,lab\n", "file"),
    ("pollster,fieldwork_end,sample_size,con\nYouGov,2024-06-01,10.5,20\n", "line 2: sample_size"),
    ("pollster,fieldwork_end,area,con\nYouGov,2024-06-01,Mars,20\n", "line 2: area"),
    ("pollster,fieldwork_end,con,lab\nYouGov,2024-06-01,,\n", "line 2: shares"),
    ("pollster,fieldwork_end,con,lab\nA,2024-06-01,20,40\nB,2024-06-02,21,40\nA,2024-06-01,20,40\n",
     "line 4: duplicate"),
    ("poll_id,pollster,fieldwork_end,con\n7,A,2024-06-01,20\n7,B,2024-06-02,21\n", "line 3: poll_id"),
    ("pollster,fieldwork_end,con\nYouGov,2999-01-01,20\n", "line 2: fieldwork_end"),
    # fractions would enter the average as con 0.4%, lab 0.3% (the scenario refuses them too)
    ("pollster,fieldwork_end,con,lab\nYouGov,2024-06-01,0.4,0.3\n", "line 2: shares"),
]


@pytest.mark.parametrize("text, where", BAD)
def test_read_csv_rejects_bad_rows_with_line_and_field(tmp_path, text, where):
    with pytest.raises(SeatcastError) as exc:
        read_csv(_write(tmp_path, text))
    assert str(exc.value).startswith(where)


def test_read_csv_missing_and_unreadable_files(tmp_path):
    with pytest.raises(SeatcastError, match="no such polls file"):
        read_csv(tmp_path / "nope.csv")
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(SeatcastError, match="file"):
        read_csv(path)


share = st.one_of(st.none(), st.integers(0, 30))


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["YouGov", "Opinium", "More in Common"]),
                               st.integers(1, 28), share, share, share), min_size=1, max_size=12,
                     unique_by=lambda r: r[:2]))
def test_read_csv_round_trips_valid_rows(tmp_path_factory, rows):
    lines = ["pollster,fieldwork_end,con,lab,ld"]
    lines += [f"{p},2023-02-{d:02d},30,{'' if a is None else a},{'' if b is None else b}"
              for p, d, _, a, b in rows]
    path = tmp_path_factory.mktemp("rt") / "p.csv"
    path.write_text("\n".join(lines) + "\n")
    polls = read_csv(path)
    assert len(polls) == len(rows)
    expect = sorted((pd.Timestamp(f"2023-02-{d:02d}"), p, np.nan if a is None else float(a))
                    for p, d, _, a, _ in rows)
    got = sorted(zip(polls["fieldwork_end"], polls["pollster"], polls["lab"], strict=True))
    for (e1, p1, a1), (e2, p2, a2) in zip(expect, got, strict=True):
        assert (e1, p1) == (e2, p2) and (a1 == a2 or (np.isnan(a1) and np.isnan(a2)))
