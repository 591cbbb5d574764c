"""`seatcast polls update`: the Wikipedia page parser on a hand-written fixture in the page's format
and on generated variants; the MediaWiki API is mocked with httpx.MockTransport (no network)."""

import datetime as dt
import json
import sqlite3
from pathlib import Path

import httpx
import numpy as np
import pytest

from seatcast.cli import app
from seatcast.errors import SeatcastError
from seatcast.polls import store, wiki

FIXTURE = Path(__file__).parent / "fixtures" / "wiki_next_ge.wikitext"
TODAY = dt.date(2026, 11, 30)
REVISION = 1_290_000_123


@pytest.fixture(scope="module")
def page():
    return wiki.parse_page(FIXTURE.read_text(), TODAY)


def api(text: str, revid: int = REVISION, seen: list | None = None):
    """A MockTransport answering the MediaWiki query with ``text`` as the page's wikitext."""

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        body = {"query": {"pages": [{"title": wiki.PAGE, "revisions": [
            {"revid": revid, "slots": {"main": {"contentformat": "text/x-wiki", "content": text}}}]}]}}
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


def offline():
    def handler(request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    return httpx.MockTransport(handler)


def _poll(df, pollster, end):
    rows = df[(df["pollster"] == pollster) & (df["fieldwork_end"] == end)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_national_scotland_and_wales_tables_only(page):
    df, _ = page
    assert (df["area"].value_counts().to_dict()) == {"GB": 10, "UK": 1, "Scotland": 2, "Wales": 2}
    assert "LucidTalk" not in set(df["pollster"])  # Northern Ireland and leader ratings are not read
    assert len(df[df["fieldwork_end"] == "2026-11-27"]) == 1  # the approval table's YouGov row is not a poll


def test_cells_dates_shading_and_footnotes(page):
    df, _ = page
    yougov = _poll(df, "YouGov", "2026-11-27")
    assert (yougov.reform, yougov.lab, yougov.con, yougov.restore_britain, yougov.other) == (27, 20, 17, 3, 2)
    assert yougov.fieldwork_start.date() == dt.date(2026, 11, 25) and yougov.sample_size == 2212
    assert yougov.client == "The Times"
    opinium = _poll(df, "Opinium", "2026-11-24")  # a <ref> after the name
    assert opinium.area == "UK" and opinium.reform == 28
    bmg = _poll(df, "BMG", "2026-11-02")  # "BMG Research", {{opdrts|30|2|Nov|2026}}: 30 Oct to 2 Nov
    assert bmg.fieldwork_start.date() == dt.date(2026, 10, 30)
    fresh = _poll(df, "Freshwater Strategy", "2026-10-21")  # one day, "<1%" Plaid
    assert fresh.fieldwork_start == fresh.fieldwork_end and fresh.pc == 0.5
    ipsos = _poll(df, "Ipsos", "2026-09-03")  # {{efn}} after the name, client N/A
    assert ipsos.client == "" and np.isnan(ipsos.restore_britain)
    assert _poll(df, "Survation", "2026-11-20").is_mrp
    assert _poll(df, "Lord Ashcroft", "2025-12-30").reform == 30  # "Lord Ashcroft Polls", 2025 table
    scot = _poll(df, "Survation", "2026-11-18")
    assert (scot.area, scot.snp, scot.lab, scot.reform) == ("Scotland", 31, 18, 19)
    wales = _poll(df, "YouGov", "2026-11-10")
    assert (wales.area, wales.pc, wales.reform) == ("Wales", 30, 25)
    assert wales.client == "ITV Cymru Wales/Cardiff University"


def test_bad_rows_are_skipped_with_a_warning_naming_them(page):
    df, warnings = page
    assert warnings == [
        "national poll results / 2026 table row 8: alternative figures of the poll above (only the first is "
        "kept) (Find Out Now, 2026-11-18 to 2026-11-19); skipped",
        "national poll results / 2026 table row 9: shares add up to 157, more than 103 (Techne, "
        "2026-11-12 to 2026-11-13); skipped"]
    assert _poll(df, "Find Out Now", "2026-11-19").reform == 30  # the first set of figures is kept
    assert "Techne" not in set(df["pollster"])


# ---- generated variants ---------------------------------------------------------------------

COLUMNS = ["Dates<br />conducted", "Pollster", "Client", "Area", "Sample<br />size", "[[Reform UK|Ref]]",
           "[[Labour Party (UK)|Lab]]", "[[Conservative Party (UK)|Con]]", "[[Liberal Democrats (UK)|LD]]",
           "[[Green Party of England and Wales|Grn]]", "Others", "Lead"]
ROWS = [["{{opdrts|10|12|Nov|2026|year}}", "[https://a.example YouGov]", "''The Times''", "GB", "2,000",
         "'''29%'''", "21%", "18%", "12%", "13%", "7%", "8"],
        ["{{opdrts|3|5|Nov|2026|year}}", "[[Opinium]]", "''The Observer''", "UK", "1,500",
         "'''30%'''", "22%", "17%", "11%", "12%", "8%", "8"]]


def page_of(columns, rows, heading="=== 2026 ===", section="== National poll results =="):
    head = "\n".join(f'! rowspan="2" | {c}' if "[[" not in c else f"! {c}" for c in columns)
    body = "\n".join("|-\n" + "\n".join(f"| {c}" if not c.startswith(("rowspan", "colspan", "style"))
                                        else f"| {c}" for c in row) for row in rows)
    return (f"Intro.\n{section}\n{heading}\n"
            f'{{| class="wikitable sortable mw-datatable"\n|- style="height:42px;"\n{head}\n|-\n'
            f"! style=\"background:red;\" |\n{body}\n|}}\n== References ==\n{{{{reflist}}}}\n")


def drop(columns, rows, name):
    k = columns.index(name)
    keep = [i for i in range(len(columns)) if i != k]
    return [columns[i] for i in keep], [[r[i] for i in keep] for r in rows]


def test_variant_as_built_reads_both_rows():
    df, warnings = wiki.parse_page(page_of(COLUMNS, ROWS), TODAY)
    assert warnings == [] and df["pollster"].tolist() == ["YouGov", "Opinium"]
    assert df[["reform", "lab", "con", "ld", "green", "other"]].to_numpy().tolist() == \
        [[29, 21, 18, 12, 13, 7], [30, 22, 17, 11, 12, 8]]


@pytest.mark.parametrize("missing", ["Client", "Area", "Sample<br />size", "Others", "Lead"])
def test_variant_missing_columns(missing):
    df, warnings = wiki.parse_page(page_of(*drop(COLUMNS, ROWS, missing)), TODAY)
    assert warnings == [] and len(df) == 2 and df["reform"].tolist() == [29, 30]
    if missing == "Area":
        assert df["area"].tolist() == ["GB", "GB"]
    if missing == "Sample<br />size":
        assert df["sample_size"].isna().all()


def test_variant_extra_and_new_party_columns():
    columns = COLUMNS[:10] + ["[[Your Party (UK)|YP]]", "[[Scottish National Party|SNP]]"] + COLUMNS[10:]
    rows = [r[:10] + ["4%", "3%"] + r[10:] for r in ROWS]
    rows[0][12] = "–"  # this poll gives no "others" beyond the new party
    rows[1][10] = "–"  # this one does not ask about it
    df, warnings = wiki.parse_page(page_of(columns, rows), TODAY)
    assert warnings == ["national poll results / 2026: new party column 'YP': its share is added to other"]
    assert df["other"].tolist() == [4, 8] and df["snp"].tolist() == [3, 3]


def test_variant_footnotes_everywhere_change_nothing():
    noted = [[f'{c}<ref name="n{i}">Note {i}.</ref>' if i not in (0, 11) else c for i, c in enumerate(r)]
             for r in ROWS]
    noted[0][1] += "{{efn|Weighted to 2024 vote.}}"
    noted[1][6] = '22%<ref>{{cite web|url=https://x.example|title=Poll}}</ref>'
    plain, _ = wiki.parse_page(page_of(COLUMNS, ROWS), TODAY)
    df, warnings = wiki.parse_page(page_of(COLUMNS, noted), TODAY)
    assert warnings == []
    cols = ["pollster", "client", "area", "sample_size", "reform", "lab", "con", "ld", "green", "other"]
    assert df[cols].equals(plain[cols])


def test_variant_spans():
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[0][2] = 'rowspan="2" | \'\'The Times\'\''  # one client cell for both polls
    rows[1] = rows[1][:2] + rows[1][3:]
    rows[1][4:6] = ['colspan="2" | N/A']  # Ref and Lab not asked
    df, warnings = wiki.parse_page(page_of(COLUMNS, rows), TODAY)
    assert warnings == [] and df["client"].tolist() == ["The Times", "The Times"]
    assert np.isnan(df["reform"].iloc[1]) and np.isnan(df["lab"].iloc[1]) and df["con"].iloc[1] == 17


def test_variant_cross_month_and_text_dates():
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[0][0] = "{{opdrts|28|Oct|2|Nov|2026|year}}"
    rows[1][0] = "30 Dec 2025 – 3 Jan 2026"
    df, _ = wiki.parse_page(page_of(COLUMNS, rows), TODAY)
    spans = zip(df["fieldwork_start"], df["fieldwork_end"], strict=True)
    assert [(s.date(), e.date()) for s, e in spans] == [
        (dt.date(2026, 10, 28), dt.date(2026, 11, 2)), (dt.date(2025, 12, 30), dt.date(2026, 1, 3))]


@pytest.mark.parametrize(("change", "reason"), [
    ((5, "abc"), "reform: 'abc' is not a share"),
    ((5, "129%"), "reform: share 129 is outside 0-100"),
    ((0, "{{opdrts|10|12|Dec|2026|year}}"), "fieldwork 2026-12-10 to 2026-12-12 is not a past date range"),
    ((0, "{{opdrts|10|12|Foo|2026}}"), "unreadable date template"),
    ((4, "12.5k"), "sample size: '12.5k' is not a number"),
    ((1, ""), "no pollster"),
])
def test_variant_bad_row_is_skipped_and_named(change, reason):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[0][change[0]] = change[1]
    df, warnings = wiki.parse_page(page_of(COLUMNS, rows), TODAY)
    assert df["pollster"].tolist() == ["Opinium"]
    assert len(warnings) == 1 and warnings[0].startswith("national poll results / 2026 table row 3")
    assert reason in warnings[0] and warnings[0].endswith("; skipped")


def test_variant_short_row_and_other_sections():
    rows = [ROWS[0][:6], ROWS[1]]
    df, warnings = wiki.parse_page(page_of(COLUMNS, rows), TODAY)
    assert df["pollster"].tolist() == ["Opinium"] and "has 6 cells, the table has 12 columns" in warnings[0]
    seats, _ = wiki.parse_page(page_of(COLUMNS, ROWS, section="== Seat projections =="), TODAY)
    assert seats.empty
    scot, _ = wiki.parse_page(page_of(COLUMNS[:3] + COLUMNS[4:], [r[:3] + r[4:] for r in ROWS],
                                      section="== Sub-national poll results ==", heading="=== Scotland ==="),
                              TODAY)
    assert scot["area"].tolist() == ["Scotland", "Scotland"]


# ---- fetch, merge and the command -----------------------------------------------------------


def test_update_merges_new_polls_and_records_the_revision(fresh_store):
    seen = []
    result = wiki.update(transport=api(FIXTURE.read_text(), seen=seen), today=TODAY)
    params = dict(seen[0].url.params)
    assert seen[0].url.host == "en.wikipedia.org" and params["titles"] == wiki.PAGE
    assert params["action"] == "query" and "content" in params["rvprop"] and "ids" in params["rvprop"]
    assert result.revision == REVISION and len(result.warnings) == 2
    assert result.report.duplicates == 4 and len(result.report.added) == 11
    added = store.listing(source="wikipedia", limit=0)
    assert set(added["source_ref"]) == {f"revision {REVISION}"}
    assert "national poll results / 2026 table row 3" in set(added["source_row"])
    assert store.polls()["fieldwork_end"].max().date() == dt.date(2026, 11, 27)
    assert len(wiki.update(transport=api(FIXTURE.read_text(), 1_290_000_200), today=TODAY).report.added) == 0


def test_update_offline_changes_nothing(fresh_store, runner, monkeypatch):
    store.polls()
    with sqlite3.connect(store.path()) as con:
        before = con.execute("SELECT COUNT(*), MAX(id) FROM polls").fetchone()
    with pytest.raises(SeatcastError, match="network: could not fetch the Wikipedia page"):
        wiki.update(transport=offline())
    monkeypatch.setattr(wiki, "default_transport", offline)
    r = runner.invoke(app, ["polls", "update"])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1 and "nothing changed" in r.output
    with sqlite3.connect(store.path()) as con:
        assert con.execute("SELECT COUNT(*), MAX(id) FROM polls").fetchone() == before


def test_update_command_then_forecast_uses_the_new_polls(fresh_store, runner, monkeypatch):
    monkeypatch.setattr(wiki, "default_transport", lambda: api(FIXTURE.read_text()))
    r = runner.invoke(app, ["polls", "update", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["added"] == 11 and out["revision"] == REVISION and len(out["warnings"]) == 2
    r = runner.invoke(app, ["polls", "update"])
    assert "added 0 polls, 15 already in the store" in r.stdout and "warning" in r.output
    r = runner.invoke(app, ["polls", "--json"])
    assert json.loads(r.stdout)["window"][1] == "2026-11-27"
    assert json.loads(r.stdout)["poll_store"]["newest_poll"] == "2026-11-27"


UPDATE_SCRIPT = """
import sys, datetime as dt, httpx
sys.path.insert(0, sys.argv[1])
from test_polls_wiki import COLUMNS, page_of, api
from seatcast.polls import store, wiki
store.polls()
rows = []
for k in range(int(sys.argv[2])):
    end = dt.date(2024, 8, 1) + dt.timedelta(days=k // 3)
    rows.append([f"{{{{opdrts|{end.day}|{end.day}|{end:%b}|{end.year}|year}}}}", f"[[Pollster {k % 7}]]",
                 "N/A", "GB", "1,000", f"{20 + k % 9}%", "25%", "20%", "12%", "10%", "5%", "3"])
text = page_of(COLUMNS, rows)
print("ready", flush=True)
wiki.update(transport=api(text), today=dt.date(2026, 11, 30))
print("done", flush=True)
"""


def test_sigterm_during_an_update_leaves_the_store_as_it_was(fresh_store, killed_run):
    store.polls()
    with sqlite3.connect(store.path()) as con:
        before = con.execute("SELECT COUNT(*), MAX(id) FROM polls").fetchone()
    states = set()
    for delay in (0.0, 0.6, 2.0):
        code = killed_run(UPDATE_SCRIPT, [str(Path(__file__).parent), "300"], delay)
        with sqlite3.connect(store.path()) as con:
            now = con.execute("SELECT COUNT(*), MAX(id) FROM polls").fetchone()
        if now != before:  # the signal came after the commit (the exit code may still be -15): all of it
            assert code in (0, -15) and now[0] == before[0] + 300
            store.reset()
        states.add(now == before)
    assert True in states
