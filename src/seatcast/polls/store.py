"""The poll store: an embedded SQLite database of polls in the user's data folder.

Location: ``$SEATCAST_HOME/polls.sqlite3`` when ``SEATCAST_HOME`` is set, else the platform's
user data folder (``platformdirs.user_data_dir("seatcast")``, e.g. ``~/.local/share/seatcast``).
It is created on first use from the bundled polls (:func:`seatcast.polls.sources.load`, MRP rows
included and flagged), built in a temporary file and renamed into place, so the bundled files are
only ever read. After that, polls are added by ``seatcast polls add/import/update``
(:func:`merge`) and removed by ``polls remove`` (:func:`remove`); ``polls reset`` goes back to the
bundled polls.

Rules:

* every poll keeps its provenance: ``source`` (``bundled``, ``csv``, ``pollbase``, ``wikipedia``),
  ``retrieved_at`` (UTC), ``source_ref`` (file name or wiki revision id) and ``source_row``;
* one poll is one (pollster, fieldwork start, fieldwork end, area, shares) - a unique index for
  named pollsters (unnamed bundled rows are kept, as :func:`seatcast.polls.sources.load` keeps
  them). :func:`merge` also skips a poll that an existing one already covers from another source:
  same pollster, dates and national/nation area, and equal shares (or equal after rounding to whole
  points) for every party both report (PollBase lists fewer parties than Wikipedia, and keeps
  decimals). A poll with the same pollster and dates as a stored one but other figures is added
  and counted in :attr:`MergeReport.near`, so the user can check it;
* the schema is versioned with ``PRAGMA user_version`` and upgraded by :data:`MIGRATIONS`;
* every write is one SQLite transaction: an import that fails or is killed changes nothing
  (SQLite's rollback journal undoes a half-written transaction on the next open).

Reads are cached in process per database file and store revision (a counter bumped by every
write), so a loop of ``aggregate`` calls reads the database once.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from seatcast.errors import SeatcastError
from seatcast.polls.sources import GE_DATES, KINDS, META_COLUMNS, PARTY_COLUMNS

DB_NAME = "polls.sqlite3"
ENV_HOME = "SEATCAST_HOME"
#: Ids of polls added after the bundled ones start here (bundled poll ids stay below 100,000).
FIRST_USER_ID = 1_000_001
AREA_KIND = {"GB": "national", "UK": "national", "Scotland": "scotland", "Wales": "wales"}
STALE_DAYS = 14

_POLL_COLUMNS = ", ".join(f"{p} REAL CHECK ({p} IS NULL OR {p} BETWEEN 0 AND 100)" for p in PARTY_COLUMNS)
#: Schema migrations: entry ``k`` upgrades ``user_version`` ``k`` to ``k + 1``.
MIGRATIONS = (
    f"""
    CREATE TABLE imports (id INTEGER PRIMARY KEY, source TEXT NOT NULL, source_ref TEXT NOT NULL,
        retrieved_at TEXT NOT NULL, added INTEGER NOT NULL, skipped INTEGER NOT NULL);
    CREATE TABLE polls (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('national', 'scotland', 'wales')),
        pollster TEXT NOT NULL, client TEXT NOT NULL DEFAULT '',
        fieldwork_start TEXT NOT NULL, fieldwork_end TEXT NOT NULL CHECK (fieldwork_start <= fieldwork_end),
        sample_size REAL, area TEXT NOT NULL, cycle TEXT, is_mrp INTEGER NOT NULL DEFAULT 0,
        notes TEXT NOT NULL DEFAULT '', {_POLL_COLUMNS},
        shares_key TEXT NOT NULL,
        source TEXT NOT NULL, retrieved_at TEXT NOT NULL, source_ref TEXT NOT NULL,
        source_row TEXT NOT NULL, import_id INTEGER NOT NULL REFERENCES imports(id));
    CREATE UNIQUE INDEX poll_identity ON polls (pollster, fieldwork_start, fieldwork_end, area, shares_key)
        WHERE pollster <> '';
    CREATE INDEX poll_kind_end ON polls (kind, fieldwork_end);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    """
    CREATE TABLE history (
        as_of TEXT NOT NULL, model TEXT NOT NULL, params TEXT NOT NULL, data_version TEXT NOT NULL,
        result TEXT NOT NULL, computed_at TEXT NOT NULL, PRIMARY KEY (as_of, model, params));
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_STORED = ("id", "kind", "pollster", "client", "fieldwork_start", "fieldwork_end", "sample_size", "area",
           "cycle", "is_mrp", "notes", *PARTY_COLUMNS, "shares_key", "source", "retrieved_at",
           "source_ref", "source_row", "import_id")


def home() -> Path:
    """The seatcast data folder: ``$SEATCAST_HOME`` or the platform's user data folder."""
    env = os.environ.get(ENV_HOME, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("seatcast", appauthor=False))


def path() -> Path:
    """Where the poll store lives (it may not exist yet)."""
    return home() / DB_NAME


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _connect(db: Path) -> sqlite3.Connection:
    con = sqlite3.connect(db, timeout=30, isolation_level=None)  # explicit BEGIN/COMMIT
    con.execute("PRAGMA foreign_keys = ON")
    return con


def migrate(con: sqlite3.Connection) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`, one transaction per step; returns the version."""
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise SeatcastError("store", f"the poll store has schema version {version}, newer than this "
                            f"seatcast ({SCHEMA_VERSION}); upgrade seatcast or run 'seatcast polls reset'")
    for step in range(version, SCHEMA_VERSION):
        with immediate(con):
            for statement in filter(str.strip, MIGRATIONS[step].split(";")):
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {step + 1}")
    return SCHEMA_VERSION


def shares_key(row: dict) -> str:
    """Canonical text of a poll's reported shares, e.g. ``con=20;lab=39.5`` (part of its identity)."""
    return ";".join(f"{p}={float(row[p]):g}" for p in PARTY_COLUMNS
                    if row.get(p) is not None and row[p] == row[p])


def _rows(df: pd.DataFrame, source: str, ref: str, retrieved: str, import_id: int,
          first_id: int) -> list[tuple]:
    """Store tuples (:data:`_STORED` order) of a frame in the loader schema."""
    out = []
    for k, r in enumerate(df.to_dict("records")):
        pid = int(r["poll_id"]) if source == "bundled" else first_id + k
        out.append((
            pid, r.get("kind") or AREA_KIND[r["area"]], r["pollster"], r.get("client") or "",
            r["fieldwork_start"].date().isoformat(), r["fieldwork_end"].date().isoformat(),
            _num(r.get("sample_size")), r["area"],
            None if pd.isna(r.get("cycle")) else pd.Timestamp(r["cycle"]).date().isoformat(),
            int(bool(r.get("is_mrp"))), r.get("notes") or "", *(_num(r.get(p)) for p in PARTY_COLUMNS),
            shares_key(r), source, retrieved, str(r.get("source_file") or ref) if source == "bundled"
            else ref, str(r.get("source_row", pid if source == "bundled" else k + 1)), import_id))
    return out


def _num(v):
    return None if v is None or v != v else float(v)


def _insert(con: sqlite3.Connection, df: pd.DataFrame, source: str, ref: str, retrieved: str) -> int:
    """Insert ``df`` as one import inside the caller's transaction; returns the import id."""
    cur = con.execute("INSERT INTO imports (source, source_ref, retrieved_at, added, skipped) "
                      "VALUES (?, ?, ?, ?, 0)", (source, ref, retrieved, len(df)))
    first = max(FIRST_USER_ID, (con.execute("SELECT MAX(id) FROM polls").fetchone()[0] or 0) + 1)
    rows = _rows(df, source, ref, retrieved, cur.lastrowid, first)
    marks = ", ".join("?" * len(_STORED))
    con.executemany(f"INSERT INTO polls ({', '.join(_STORED)}) VALUES ({marks})", rows)
    return cur.lastrowid


def _bump(con: sqlite3.Connection) -> None:
    con.execute("INSERT INTO meta (key, value) VALUES ('revision', '1') ON CONFLICT(key) DO UPDATE "
                "SET value = CAST(value AS INTEGER) + 1")


def _build(db: Path) -> None:
    """Create the store at ``db`` from the bundled polls (temp file + rename: never half-built)."""
    from seatcast.data import data_version
    from seatcast.polls.sources import load

    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(f".{db.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with closing(_connect(tmp)) as con:
            migrate(con)
            with immediate(con):
                for kind in KINDS:
                    _insert(con, load(kind, include_mrp=True).assign(kind=kind), "bundled",
                            data_version(), now_utc())
                con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                                [("created_from", data_version()), ("created_at", now_utc()),
                                 ("token", uuid.uuid4().hex[:8]), ("revision", "0")])
        os.replace(tmp, db)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def connect() -> Iterator[sqlite3.Connection]:
    """An open connection to the store, creating it from the bundled polls and migrating it first."""
    db = path()
    if not db.exists():
        _build(db)
    try:
        con = _connect(db)
        migrate(con)
    except sqlite3.DatabaseError as exc:
        raise SeatcastError("store", f"{db} is not a readable poll store ({exc}); "
                            "'seatcast polls reset' rebuilds it from the bundled polls") from None
    try:
        yield con
    finally:
        con.close()


@contextmanager
def immediate(con: sqlite3.Connection):
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; any exception (or SIGTERM) rolls back what is uncommitted.

    The rollback runs only while a transaction is open: SIGTERM can land just after ``COMMIT``
    (the SystemExit then comes from the next bytecode, inside this block), and a ROLLBACK with no
    transaction would turn the clean exit into an ``OperationalError``.
    """
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise


@contextmanager
def transaction(con: sqlite3.Connection):
    """:func:`immediate`, and the store revision moves if a row changed."""
    with immediate(con):
        changes = con.total_changes
        yield con
        if con.total_changes != changes:
            _bump(con)


def revision(con: sqlite3.Connection) -> str:
    """A token that changes with every write: ``<store token>.<revision>``."""
    meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('token', 'revision')").fetchall())
    return f"{meta.get('token', '')}.{meta.get('revision', '0')}"


# ---- reading ---------------------------------------------------------------------------------

_CACHE: dict[tuple, pd.DataFrame] = {}


@dataclass(frozen=True)
class StoreUse:
    """What the last read of the store was: which file, how many polls, the newest poll."""

    path: str
    polls: int
    newest: dt.date | None
    revision: str
    latest: bool = False  # the newest polls were asked for (as of "latest"): staleness matters

    def stale_days(self, today: dt.date | None = None) -> int | None:
        return None if self.newest is None else ((today or dt.date.today()) - self.newest).days

    def as_dict(self, today: dt.date | None = None) -> dict:
        age = self.stale_days(today)
        return {"path": self.path, "polls": self.polls,
                "newest_poll": self.newest.isoformat() if self.newest else None,
                "days_old": age, "stale": self.latest and age is not None and age > STALE_DAYS}

    def notice(self, today: dt.date | None = None) -> str:
        age = self.stale_days(today)
        text = (f"polls: store {self.path} ({self.polls:,} polls; newest poll ended "
                f"{self.newest}, {age} days ago)")
        if self.as_dict(today)["stale"]:
            text += f"; warning: more than {STALE_DAYS} days old - run 'seatcast polls update'"
        return text


_LAST_USE: list[StoreUse] = []


def last_use() -> StoreUse | None:
    """The store read most recently in this process (None if polls came from elsewhere)."""
    return _LAST_USE[-1] if _LAST_USE else None


def forget_use() -> None:
    _LAST_USE.clear()


def mark_latest() -> None:
    """Record that the last read was for the latest polls (so the staleness warning applies)."""
    if _LAST_USE:
        _LAST_USE[-1] = replace(_LAST_USE[-1], latest=True)


def _frame(con: sqlite3.Connection) -> pd.DataFrame:
    df = pd.read_sql_query(f"SELECT id AS poll_id, kind, source_ref AS source_file, source, "
                           f"{', '.join(c for c in META_COLUMNS if c not in ('poll_id', 'source_file'))}, "
                           f"{', '.join(PARTY_COLUMNS)} FROM polls", con)
    for col in ("fieldwork_start", "fieldwork_end", "cycle"):
        df[col] = pd.to_datetime(df[col]).astype("datetime64[us]")
    df["is_mrp"] = df["is_mrp"].astype(bool)
    for col in ("sample_size", *PARTY_COLUMNS):
        df[col] = df[col].astype(float)
    return df


def _cache_file() -> Path:
    return path().with_name("polls-cache.npz")


def _read_cache(rev: str) -> pd.DataFrame | None:
    """The frame saved for store revision ``rev`` (plain arrays, no pickle), or None."""
    try:
        with np.load(_cache_file(), allow_pickle=False) as z:
            if str(z["revision"]) != rev:
                return None
            return pd.DataFrame({c: z[f"values_{c}"][z[f"codes_{c}"]] if f"codes_{c}" in z else z[f"col_{c}"]
                                 for c in z["columns"]})
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile):
        return None


def _write_cache(df: pd.DataFrame, rev: str) -> None:
    """Save ``df`` as plain arrays; text columns as distinct values and int32 codes (small, fast)."""
    from seatcast import _io

    arrays = {}
    for c in df.columns:
        if pd.api.types.is_string_dtype(df[c]) or df[c].dtype == object:
            values, codes = np.unique(df[c].to_numpy(dtype=str), return_inverse=True)
            arrays[f"values_{c}"], arrays[f"codes_{c}"] = values, codes.astype(np.int32)
        else:
            arrays[f"col_{c}"] = df[c].to_numpy()
    try:
        with _io.atomic_path(_cache_file(), suffix=".npz") as tmp, open(tmp, "wb") as fh:
            np.savez(fh, revision=np.array(rev), columns=np.array(list(df.columns)), **arrays)
    except OSError:
        pass  # a read-only folder: the store still works, just without the cache


def all_polls() -> pd.DataFrame:
    """Every poll in the store (all kinds, MRP included) with ``kind`` and ``source``; cached in
    process and in ``polls-cache.npz`` beside the store (rebuilt after every write)."""
    with connect() as con:
        key = (str(path()), revision(con))
        if key not in _CACHE:
            _CACHE.clear()
            df = _read_cache(key[1])
            if df is None:
                df = _frame(con)
                _write_cache(df, key[1])
            _CACHE[key] = df
    df = _CACHE[key]
    newest = df["fieldwork_end"].max()
    prev = last_use()
    latest = prev is not None and prev.latest and (prev.path, prev.revision) == key
    _LAST_USE.append(StoreUse(key[0], len(df), None if pd.isna(newest) else newest.date(), key[1], latest))
    del _LAST_USE[:-1]
    return df


def polls(kind: str = "national", *, include_mrp: bool = False) -> pd.DataFrame:
    """The store's polls of one kind in the :func:`seatcast.polls.load` schema.

    With the store as created (the bundled polls) this is exactly ``load(kind)``.
    """
    if kind not in KINDS:
        raise SeatcastError("kind", f"unknown poll set {kind!r}", KINDS)
    df = all_polls()
    df = df[(df["kind"] == kind) & (include_mrp | ~df["is_mrp"])]
    df = df.sort_values(["fieldwork_end", "poll_id"]).reset_index(drop=True)
    return df[[*META_COLUMNS, *PARTY_COLUMNS]].copy()


def window_version(window: pd.DataFrame) -> str:
    """A short hash of the polls in a window (ids, dates, pollsters and shares)."""
    import hashlib

    cols = ["poll_id", "pollster", "fieldwork_start", "fieldwork_end", "sample_size", *PARTY_COLUMNS]
    digest = hashlib.sha256(pd.util.hash_pandas_object(window[cols], index=False).to_numpy().tobytes())
    return digest.hexdigest()[:12]


def data_version(window: pd.DataFrame | None = None) -> str:
    """The bundled data version, plus ``+store:<hash>`` of ``window`` when the store has changed."""
    from seatcast.data import data_version as bundled

    use = last_use()
    if use is None or use.revision.endswith(".0") or window is None:
        return bundled()
    return f"{bundled()}+store:{window_version(window)}"


def _same_share(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Equal, or one is the other rounded to a whole point (PollBase keeps decimals Wikipedia rounds)."""
    rounded = (np.abs(a - np.round(a)) < 1e-9) | (np.abs(b - np.round(b)) < 1e-9)
    return (np.abs(a - b) < 1e-9) | (rounded & (np.abs(a - b) <= 0.5 + 1e-9))


def find_duplicates(new: pd.DataFrame, old: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Two boolean masks over ``new``: ``dup``, the poll is already in ``old`` (same pollster, dates and
    kind, and the shares of every party both report equal or equal after rounding to whole points, at
    least two of them) or repeats an earlier new row; ``near``, not a duplicate but ``old`` has a poll
    of the same pollster and dates with other figures (sources disagree, or a second poll)."""
    key = ["pollster", "fieldwork_start", "fieldwork_end", "kind"]
    named = new["pollster"].to_numpy() != ""
    dup = (new.assign(_k=new.apply(lambda r: shares_key(r.to_dict()), axis=1))
           .duplicated([*key, "area", "_k"]).to_numpy() & named)
    near = np.zeros(len(new), dtype=bool)
    left = new.reset_index(drop=True).reset_index(names="_i")
    pairs = left[named].merge(old[old["pollster"] != ""], on=key, suffixes=("", "_old"))
    if pairs.empty:
        return dup, near
    a = pairs[list(PARTY_COLUMNS)].to_numpy(float)
    b = pairs[[f"{p}_old" for p in PARTY_COLUMNS]].to_numpy(float)
    both = ~np.isnan(a) & ~np.isnan(b)
    same = np.where(both, _same_share(a, b), True).all(axis=1) & (both.sum(axis=1) >= 2)
    dup[pairs.loc[same, "_i"].to_numpy()] = True
    near[pairs["_i"].to_numpy()] = True
    return dup, near & ~dup


# ---- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeReport:
    """What a merge did: the polls added (with their new ids), how many were already known."""

    source: str
    source_ref: str
    added: pd.DataFrame
    duplicates: int
    import_id: int | None
    path: str
    near: int = 0  # added polls with the same pollster and dates as a stored poll but other figures

    def as_dict(self) -> dict:
        cols = ["poll_id", "pollster", "fieldwork_start", "fieldwork_end", "area"]
        rows = self.added[cols].astype({"fieldwork_start": str, "fieldwork_end": str})
        return {"source": self.source, "source_ref": self.source_ref, "added": len(self.added),
                "duplicates": self.duplicates, "same_dates_other_figures": self.near,
                "import_id": self.import_id, "store": self.path,
                "polls": rows.to_dict("records")}


def _with_kind(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    if "kind" not in df:
        unknown = sorted(set(df["area"]) - set(AREA_KIND))
        if unknown:
            raise SeatcastError("area", f"unknown area {unknown[0]!r}", AREA_KIND)
        df["kind"] = df["area"].map(AREA_KIND)
    if "cycle" not in df or df["cycle"].isna().all():
        df["cycle"] = df["fieldwork_end"].map(_cycle)
    return df


def _cycle(end: pd.Timestamp):
    after = [d for d in GE_DATES if d >= end.date()]
    return pd.Timestamp(after[0]) if after else pd.NaT


def merge(df: pd.DataFrame, source: str, source_ref: str, retrieved_at: str | None = None) -> MergeReport:
    """Add the polls of ``df`` (the :func:`seatcast.polls.load` schema, optional ``kind`` and
    ``source_row``) that the store does not have yet, in one transaction."""
    df = _with_kind(df).reset_index(drop=True)
    with connect() as con:
        with transaction(con):
            old = _frame(con)
            dup, near = find_duplicates(df, old)
            new = df[~dup]
            import_id = (_insert(con, new, source, source_ref, retrieved_at or now_utc())
                         if len(new) else None)
            if import_id is not None:
                con.execute("UPDATE imports SET skipped = ? WHERE id = ?", (int(dup.sum()), import_id))
                ids = [r[0] for r in con.execute("SELECT id FROM polls WHERE import_id = ? ORDER BY id",
                                                 (import_id,))]
                new = new.assign(poll_id=ids)
    return MergeReport(source, source_ref, new, int(dup.sum()), import_id, str(path()), int(near.sum()))


def remove(ids) -> int:
    """Delete polls by id (all or none: an unknown id changes nothing); returns how many."""
    ids = sorted({int(i) for i in ids})
    with connect() as con:
        with transaction(con):
            marks = ", ".join("?" * len(ids))
            found = {r[0] for r in con.execute(f"SELECT id FROM polls WHERE id IN ({marks})", ids)}
            missing = [i for i in ids if i not in found]
            if missing:
                raise SeatcastError("id", f"no poll with id {missing[0]} in the store {path()}")
            con.execute(f"DELETE FROM polls WHERE id IN ({marks})", ids)
    return len(ids)


def reset() -> Path:
    """Rebuild the store from the bundled polls (forecast history is dropped too)."""
    db = path()
    for extra in (db, db.with_name(db.name + "-journal"), _cache_file()):
        if extra.exists():
            extra.unlink()
    _CACHE.clear()
    with connect():
        pass
    return db


SOURCES = ("bundled", "csv", "pollbase", "wikipedia")


def listing(area: str | None = None, source: str | None = None, limit: int = 20) -> pd.DataFrame:
    """The newest ``limit`` polls (0: all) with id, provenance and shares, optionally filtered."""
    where, args = [], []
    if area is not None:
        kinds = {"GB": "national", "Scotland": "scotland", "Wales": "wales"}
        if area not in kinds:
            raise SeatcastError("area", f"unknown area {area!r}", kinds)
        where.append("kind = ?")
        args.append(kinds[area])
    if source is not None:
        if source not in SOURCES:
            raise SeatcastError("source", f"unknown source {source!r}", SOURCES)
        where.append("source = ?")
        args.append(source)
    sql = ("SELECT id, pollster, fieldwork_start, fieldwork_end, area, sample_size, shares_key, source, "
           "source_ref, source_row, retrieved_at FROM polls"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY fieldwork_end DESC, id DESC" + (f" LIMIT {int(limit)}" if limit else ""))
    with connect() as con:
        return pd.read_sql_query(sql, con, params=args)


def summary() -> dict:
    """Counts per source and kind, imports, and the newest poll of each kind."""
    with connect() as con:
        per = con.execute("SELECT source, kind, COUNT(*), MAX(fieldwork_end) FROM polls "
                          "GROUP BY source, kind ORDER BY source, kind").fetchall()
        imports = con.execute("SELECT id, source, source_ref, retrieved_at, added, skipped FROM imports "
                              "ORDER BY id").fetchall()
        version = con.execute("PRAGMA user_version").fetchone()[0]
    return {"path": str(path()), "schema_version": version,
            "counts": [dict(zip(("source", "kind", "polls", "newest"), r, strict=True)) for r in per],
            "imports": [dict(zip(("id", "source", "source_ref", "retrieved_at", "added", "skipped"), r,
                                 strict=True)) for r in imports]}
