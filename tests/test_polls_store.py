"""The poll store: built from the bundled polls (same numbers as before), provenance, uniqueness,
migrations, all-or-nothing writes, and a SIGTERM in the middle of an import."""

import datetime as dt
import hashlib
import os
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seatcast import data
from seatcast.errors import SeatcastError
from seatcast.polls import aggregate, sources, store


def _poll(pollster="YouGov", start="2026-11-20", end="2026-11-21", area="GB", **shares):
    shares = shares or {"con": 17.0, "lab": 19.0, "reform": 28.0}
    row = {"poll_id": 1, "pollster": pollster, "client": "", "fieldwork_start": pd.Timestamp(start),
           "fieldwork_end": pd.Timestamp(end), "sample_size": 2000.0, "area": area, "cycle": pd.NaT,
           "is_mrp": False, "source_file": "test", "notes": ""}
    return {**row, **{p: shares.get(p, np.nan) for p in sources.PARTY_COLUMNS}}


def _frame(*polls):
    return pd.DataFrame(list(polls))


def _content(db: Path) -> str:
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT * FROM polls ORDER BY id").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_store_is_built_in_seatcast_home_from_the_bundled_polls(fresh_store):
    files = Path(data.__file__).parent / "files"
    before = {p.name: p.stat().st_mtime_ns for p in files.glob("polls*.csv")}
    df = store.polls("national")
    assert store.path() == fresh_store / "polls.sqlite3" and store.path().exists()
    assert {p.name: p.stat().st_mtime_ns for p in files.glob("polls*.csv")} == before
    for kind in sources.KINDS:
        for mrp in (False, True):
            pd.testing.assert_frame_equal(store.polls(kind, include_mrp=mrp),
                                          sources.load(kind, include_mrp=mrp))
    assert len(df) == len(sources.load("national"))


def test_the_suite_never_uses_the_real_user_folder(seatcast_home):
    assert os.environ["SEATCAST_HOME"] and str(store.home()) != os.path.expanduser("~/.local/share/seatcast")


@pytest.mark.parametrize(("area", "as_of"), [("GB", "2019-12-11"), ("GB", "2024-07-04"), ("GB", "latest"),
                                              ("Scotland", "2024-07-04"), ("Scotland", "latest")])
def test_aggregate_from_a_fresh_store_equals_the_bundled_files(fresh_store, as_of, area):
    from_store = aggregate(as_of=as_of, area=area)
    from_files = aggregate(sources.load({"GB": "national", "Scotland": "scotland"}[area]), as_of=as_of,
                           area=area)
    assert from_store.average == from_files.average and from_store.band == from_files.band
    pd.testing.assert_frame_equal(from_store.daily, from_files.daily)
    assert from_store.data_version == data.data_version()


def test_every_poll_keeps_its_provenance(fresh_store):
    report = store.merge(_frame(_poll()), "csv", "mine.csv", retrieved_at="2026-11-29T10:00:00+00:00")
    with store.connect() as con:
        row = con.execute("SELECT source, source_ref, source_row, retrieved_at, kind FROM polls WHERE id = ?",
                          (int(report.added["poll_id"].iloc[0]),)).fetchone()
        bundled = con.execute("SELECT source, source_ref, source_row FROM polls WHERE id = 10543").fetchone()
    assert row == ("csv", "mine.csv", "1", "2026-11-29T10:00:00+00:00", "national")
    assert bundled == ("bundled", "polls_next.csv", "10543")
    assert int(report.added["poll_id"].iloc[0]) == store.FIRST_USER_ID


def test_a_poll_is_added_once(fresh_store):
    first = store.merge(_frame(_poll()), "csv", "a.csv")
    again = store.merge(_frame(_poll(), _poll()), "csv", "b.csv")
    assert len(first.added) == 1 and len(again.added) == 0 and again.duplicates == 2
    with store.connect() as con:
        assert store.revision(con).endswith(".1")  # the second merge changed nothing
    with store.connect() as con, pytest.raises(sqlite3.IntegrityError):  # the unique index itself
        row = con.execute("SELECT * FROM polls WHERE id = ?", (store.FIRST_USER_ID,)).fetchone()
        con.execute(f"INSERT INTO polls VALUES ({', '.join('?' * len(row))})", (row[0] + 1, *row[1:]))


def test_the_same_poll_from_another_source_with_fewer_parties_is_known(fresh_store):
    """PollBase lists Con/Lab/LD/Green/Reform only; Wikipedia adds SNP, Plaid and others."""
    last = store.polls("national").iloc[-1]  # YouGov, 16-17 Aug 2026, bundled from Wikipedia
    shares = {p: last[p] for p in ("con", "lab", "ld", "reform", "green")}
    report = store.merge(_frame(_poll(last.pollster, last.fieldwork_start, last.fieldwork_end, **shares)),
                         "pollbase", "PollBase.xlsx")
    assert report.duplicates == 1 and report.added.empty
    shares["con"] += 0.4  # PollBase keeps a decimal that Wikipedia rounds: the same poll
    again = store.merge(_frame(_poll(last.pollster, last.fieldwork_start, last.fieldwork_end, **shares)),
                        "pollbase", "PollBase.xlsx")
    assert again.duplicates == 1 and again.added.empty
    shares["lab"] += 1  # a different figure is a different poll, flagged as sharing pollster and dates
    other = store.merge(_frame(_poll(last.pollster, last.fieldwork_start, last.fieldwork_end, **shares)),
                        "pollbase", "PollBase.xlsx")
    assert len(other.added) == 1 and other.near == 1


def test_a_failed_merge_changes_nothing(fresh_store, monkeypatch):
    store.polls()
    before = _content(store.path())
    real = store._insert

    def insert_then_fail(con, *args):
        real(con, *args)
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_insert", insert_then_fail)
    with pytest.raises(RuntimeError):
        store.merge(_frame(_poll()), "csv", "a.csv")
    assert _content(store.path()) == before


class _KilledAfterCommit:
    """A connection that is sent SIGTERM (SystemExit) the moment its COMMIT has gone through."""

    def __init__(self, con):
        self.con = con

    def __getattr__(self, name):
        return getattr(self.con, name)

    def execute(self, sql, *args):
        out = self.con.execute(sql, *args)
        if sql == "COMMIT":
            raise SystemExit(143)
        return out


def test_sigterm_just_after_commit_exits_cleanly_and_keeps_the_write(fresh_store):
    # CI, stop 18: a forecast sent SIGTERM exited 70 ("internal error"): the SystemExit came just
    # after COMMIT, and the rollback that followed raised "cannot rollback - no transaction is active".
    with store.connect() as con:
        n = con.execute("SELECT COUNT(*) FROM polls").fetchone()[0]
        with pytest.raises(SystemExit):
            with store.transaction(_KilledAfterCommit(con)) as tx:
                tx.execute("DELETE FROM polls WHERE rowid = (SELECT MIN(rowid) FROM polls)")
        assert not con.in_transaction
        assert con.execute("SELECT COUNT(*) FROM polls").fetchone()[0] == n - 1


def test_remove_is_all_or_nothing_and_reset_restores_the_bundled_polls(fresh_store):
    ids = store.merge(_frame(_poll(), _poll("Opinium")), "csv", "a.csv").added["poll_id"].tolist()
    with pytest.raises(SeatcastError, match="no poll with id 999999"):
        store.remove([ids[0], 999999])
    assert len(store.polls()) == len(sources.load()) + 2
    assert store.remove(ids[:1]) == 1 and len(store.polls()) == len(sources.load()) + 1
    store.reset()
    pd.testing.assert_frame_equal(store.polls(), sources.load())


def test_an_added_poll_moves_the_average_and_the_data_version(fresh_store):
    before = aggregate(as_of="latest")
    new = _poll("YouGov", "2026-08-20", "2026-08-21", con=30.0, lab=30.0, reform=20.0)
    store.merge(_frame(new), "csv", "a.csv")
    after = aggregate(as_of="latest")
    assert after.window[1] == dt.date(2026, 8, 21) and after.average["con"] > before.average["con"]
    assert after.data_version.startswith(data.data_version() + "+store:")


def test_an_old_schema_is_migrated_and_a_newer_one_refused(fresh_store):
    fresh_store.mkdir(parents=True)
    with sqlite3.connect(store.path()) as con:
        con.executescript(store.MIGRATIONS[0] + "; PRAGMA user_version = 1;")
        con.execute("INSERT INTO meta VALUES ('revision', '0')")
    with store.connect() as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 2
        assert con.execute("SELECT COUNT(*) FROM history").fetchone()[0] == 0
    with sqlite3.connect(store.path()) as con:
        con.execute("PRAGMA user_version = 99")
    with pytest.raises(SeatcastError, match="schema version 99"):
        store.polls()


def test_staleness_notice():
    use = store.StoreUse("/x/polls.sqlite3", 10, dt.date(2026, 8, 17), "t.0", latest=True)
    assert use.as_dict(dt.date(2026, 11, 30)) == {"path": "/x/polls.sqlite3", "polls": 10,
                                                   "newest_poll": "2026-08-17", "days_old": 105,
                                                   "stale": True}
    assert "warning: more than 14 days old" in use.notice(dt.date(2026, 11, 30))
    assert "warning" not in use.notice(dt.date(2026, 8, 31))  # 14 days: not yet stale


KILL_SCRIPT = """
import sys, pandas as pd, numpy as np
from seatcast.polls import store, sources
store.polls()
n = int(sys.argv[1])
rows = {"poll_id": np.arange(n), "pollster": [f"P{i % 97}" for i in range(n)], "client": "",
        "fieldwork_start": pd.Timestamp("2026-09-01") + pd.to_timedelta(np.arange(n) % 80, "D"),
        "sample_size": 1000.0, "area": "GB", "cycle": pd.NaT, "is_mrp": False, "source_file": "x",
        "notes": "",
        "con": 10 + (np.arange(n) % 13) * 1.0, "lab": 10 + (np.arange(n) // 13 % 17) * 1.0, "ld": 12.0}
df = pd.DataFrame(rows)
df["fieldwork_end"] = df["fieldwork_start"]
print("ready", flush=True)
store.merge(df, "csv", "big.csv")
print("done", flush=True)
"""


def test_sigterm_during_an_import_leaves_the_store_as_it_was(fresh_store, killed_run):
    store.polls()
    before = _content(store.path())
    outcomes = set()
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2, 0.4):
        code = killed_run(KILL_SCRIPT, ["20000"], delay)
        now = _content(store.path())
        if now != before:  # the import committed before the signal (exit code 0 or -15): all 20,000 rows
            assert code in (0, -15) and len(store.polls()) == len(sources.load()) + 20000
            store.reset()
        outcomes.add(now == before)
    assert True in outcomes  # at least one kill landed before the commit


def test_the_frame_cache_beside_the_store_follows_every_write(fresh_store):
    first = store.polls("national", include_mrp=True)
    cache = fresh_store / "polls-cache.npz"
    assert cache.exists()
    store._CACHE.clear()  # a new process: read from the cache file
    pd.testing.assert_frame_equal(store.polls("national", include_mrp=True), first)
    store.merge(_frame(_poll()), "csv", "a.csv")
    store._CACHE.clear()
    assert len(store.polls("national", include_mrp=True)) == len(first) + 1
    cache.write_bytes(b"garbage")
    store._CACHE.clear()
    assert len(store.polls("national", include_mrp=True)) == len(first) + 1
