"""The embedded store: one SQLite file with observations, the dataset registry and caches.

Each write runs in one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``): a file lands whole or
not at all, and a process killed mid-way leaves the store as it was (SQLite's rollback journal).
A short-lived connection is opened per call, so one ``Store`` may be shared across threads.

Opening a ``Store`` runs an integrity check once per file state (``sqlite_admin.quick_check``);
a damaged file, a read-only file and a full disk raise ``DataError`` with a sentence
(``store.damaged`` names the restore command) instead of SQLite's exceptions. Writes of user
work (imports, rollbacks, shortlists) go through ``user_transaction``, which takes a backup
after the commit (``geodata.backups``).

Longer than the ~400-line guide on purpose: every SQL statement of the SQLite store lives in
this one class (the layout keeps SQL in the store's methods, ``store_pg.py`` mirrors it), and
its helpers already sit in ``sqlite_admin``, ``auditlog`` and ``backups``.
"""
from __future__ import annotations

import hashlib
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from geodata import sqlite_admin
from geodata.auditlog import AuditLog
from geodata.errors import DataError

__all__ = ["Store", "SCHEMA_VERSION", "open_store"]

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS datasets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    country TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pack', 'import')),
    source_file TEXT NOT NULL, sha256 TEXT NOT NULL,
    rows_read INTEGER NOT NULL, rows_stored INTEGER NOT NULL, rows_unmatched INTEGER NOT NULL,
    observations INTEGER NOT NULL, imported_at TEXT NOT NULL, imported_by TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'superseded', 'rolled_back')),
    notes TEXT NOT NULL DEFAULT '',
    UNIQUE (country, name, version));
CREATE TABLE IF NOT EXISTS observations (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    country TEXT NOT NULL, unit TEXT NOT NULL, level TEXT NOT NULL, year INTEGER NOT NULL,
    indicator TEXT NOT NULL, value REAL NOT NULL, denominator REAL,
    PRIMARY KEY (dataset_id, indicator, level, unit, year));
CREATE INDEX IF NOT EXISTS obs_country_indicator ON observations (country, indicator);
CREATE TABLE IF NOT EXISTS unmatched (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    file TEXT NOT NULL, row INTEGER NOT NULL, "column" TEXT NOT NULL, value TEXT NOT NULL,
    reason TEXT NOT NULL, suggestion TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS population (
    country TEXT NOT NULL, unit TEXT NOT NULL, level TEXT NOT NULL, year INTEGER NOT NULL,
    population REAL NOT NULL, source TEXT NOT NULL, modelled INTEGER NOT NULL,
    PRIMARY KEY (country, level, unit, year));
CREATE TABLE IF NOT EXISTS indicators (
    country TEXT NOT NULL, id TEXT NOT NULL, origin TEXT NOT NULL, definition TEXT NOT NULL,
    PRIMARY KEY (country, id));
CREATE TABLE IF NOT EXISTS web_geometry (
    country TEXT NOT NULL, level TEXT NOT NULL, fingerprint TEXT NOT NULL, geojson TEXT NOT NULL,
    PRIMARY KEY (country, level));
CREATE TABLE IF NOT EXISTS dataset_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    country TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('import', 'supersede', 'rollback')),
    at TEXT NOT NULL, by TEXT NOT NULL, notes TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS shortlists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    country TEXT NOT NULL, name TEXT NOT NULL, saved_at TEXT NOT NULL,
    scenario TEXT NOT NULL, level TEXT NOT NULL, year INTEGER, items TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, country TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS editors (
    name TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL UNIQUE, added_at TEXT NOT NULL,
    revoked_at TEXT);
"""

def open_store(location=None) -> "Store":
    """The store at ``location`` (default ``RISKMAP_STORE``): a ``postgresql://`` URL opens
    ``geodata.store_pg.PgStore``, anything else is the SQLite file's path (the default)."""
    from geodata import config

    location = config.store_location() if location is None else location
    if str(location).startswith(("postgresql://", "postgres://")):
        from geodata.store_pg import PgStore

        return PgStore(str(location))
    return Store(location)


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class Store(AuditLog):
    """A path to the SQLite store; every method opens and closes its own connection."""

    #: ``geodata.backups`` copies this store into files (SQLite's online backup); a PostgreSQL
    #: store (``geodata.store_pg``) is backed up with pg_dump instead.
    file_backups = True

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.ensure_intact()
        with self.connect() as con:
            missing = con.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                  "('meta', 'audit_log', 'editors')").fetchone()[0] < 3
        if missing:  # a read-only store that already has its tables is still readable
            with self.connect() as con:
                con.executescript(_SCHEMA)
        self._add_shortlist_author()

    def _add_shortlist_author(self) -> None:
        """Stores made before shortlists had an author get the column (empty for old lists)."""
        with self.connect() as con:
            cols = [r[1] for r in con.execute("PRAGMA table_info(shortlists)")]
            if "author" not in cols:
                try:
                    con.execute("ALTER TABLE shortlists ADD COLUMN author TEXT NOT NULL DEFAULT ''")
                except sqlite3.OperationalError:  # a read-only old store: readable, its lists unnamed by author
                    pass

    def ensure_intact(self) -> None:
        """Raise DataError ``store.damaged`` (naming the restore command) when the file fails
        the integrity check (``sqlite_admin.ensure_intact``: once per file state per process)."""
        sqlite_admin.ensure_intact(self.path)

    def integrity_problem(self) -> str | None:
        """None when the store passes the integrity check, else the first problem found."""
        return sqlite_admin.quick_check(self.path)

    def backup_to(self, dest: Path) -> None:
        """A consistent copy of the whole store at ``dest`` (online: others may keep working);
        DataError ``backup.failed`` when it cannot be written."""
        try:
            sqlite_admin.backup_file(self.path, Path(dest))
        except sqlite3.Error as err:
            raise DataError("backup.failed", "could not write the backup {path} ({detail})", path=str(dest),
                            detail=str(err)) from None

    @staticmethod
    def replace_with(backup: Path, target: Path) -> Path | None:
        """Put the backup file in place of the store at ``target``; return where the old file went."""
        return sqlite_admin.replace_file(Path(backup), Path(target))

    @property
    def location(self) -> str:
        """Where the store is, for messages and reports (the file's path)."""
        return str(self.path)

    @property
    def report_dir(self) -> Path:
        """The folder for reports kept beside the store (the unmatched-rows CSV)."""
        return self.path.parent

    def _open(self) -> sqlite3.Connection:
        """A new autocommit connection to the file, foreign keys on."""
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error:
            con.close()
            raise
        return con

    @contextmanager
    def connect(self):
        """A connection; SQLite's damaged-file, read-only and disk-full errors become DataError."""
        try:
            con = self._open()
            try:
                yield con
            finally:
                con.close()
        except sqlite3.Error as err:
            said = sqlite_admin.disk_error(err, self.path)
            if said is None:
                raise
            raise said from err

    @contextmanager
    def transaction(self):
        """One atomic write: everything inside commits together or not at all."""
        with self.connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                if con.in_transaction:  # SQLite may already have rolled back (e.g. disk full)
                    con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @contextmanager
    def user_transaction(self, reason: str):
        """``transaction`` for user work (import, rollback, shortlist), then a backup of the
        committed store (``geodata.backups.after_change``; a failed backup is logged)."""
        from geodata import backups

        with self.transaction() as con:
            yield con
        backups.after_change(self, reason)

    # -- meta -------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with self.connect() as con:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def set_meta(con, key: str, value: str) -> None:
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- writes (inside a transaction) ------------------------------------------------------
    @staticmethod
    def add_dataset(con, *, country: str, name: str, kind: str, source_file: str, sha256: str,
                    observations: pd.DataFrame, unmatched: pd.DataFrame, rows_read: int,
                    rows_stored: int, imported_by: str, notes: str = "", version: int | None = None) -> int:
        """Insert one dataset version with its observations and unmatched rows; return its id."""
        if version is None:
            version = Store.next_version(con, country, name)
        cur = con.execute(
            "INSERT INTO datasets (country, name, version, kind, source_file, sha256, rows_read, "
            "rows_stored, rows_unmatched, observations, imported_at, imported_by, status, notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)",
            (country, name, version, kind, source_file, sha256, rows_read, rows_stored,
             len(unmatched), len(observations), now_utc(), imported_by, notes))
        ds = cur.lastrowid
        con.executemany(
            "INSERT INTO observations (dataset_id, country, unit, level, year, indicator, value, "
            "denominator) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(ds, country, r.unit, r.level, int(r.year), r.indicator, float(r.value),
              None if pd.isna(r.denominator) else float(r.denominator))
             for r in observations.itertuples(index=False)])
        con.executemany(
            'INSERT INTO unmatched (dataset_id, file, row, "column", value, reason, suggestion) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(ds, r.file, int(r.row), r.column, r.value, r.reason, r.suggestion)
             for r in unmatched.itertuples(index=False)])
        return ds

    @staticmethod
    def delete_pack(con, country: str) -> None:
        """Remove the pack's own (re-derivable) datasets; imported datasets are never touched."""
        ids = "SELECT id FROM datasets WHERE country = ? AND kind = 'pack'"
        con.execute(f"DELETE FROM observations WHERE dataset_id IN ({ids})", (country,))
        con.execute(f"DELETE FROM unmatched WHERE dataset_id IN ({ids})", (country,))
        con.execute("DELETE FROM datasets WHERE country = ? AND kind = 'pack'", (country,))
        con.execute("DELETE FROM population WHERE country = ?", (country,))
        con.execute("DELETE FROM indicators WHERE country = ? AND origin = 'pack'", (country,))

    @staticmethod
    def put_population(con, country: str, table: pd.DataFrame) -> None:
        con.executemany(
            "INSERT INTO population (country, unit, level, year, population, source, modelled) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(country, r.unit, r.level, int(r.year), float(r.population), r.source, int(r.modelled))
             for r in table.itertuples(index=False)])

    @staticmethod
    def put_indicator(con, country: str, ind_id: str, origin: str, definition: str) -> None:
        con.execute("INSERT OR REPLACE INTO indicators (country, id, origin, definition) "
                    "VALUES (?, ?, ?, ?)", (country, ind_id, origin, definition))

    # -- versions of imported datasets (inside a transaction) ------------------------------
    @staticmethod
    def next_version(con, country: str, name: str) -> int:
        """The version number a new version of a dataset gets: 1 + the highest stored (1 if none)."""
        return int(con.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM datasets WHERE country = ? AND name = ?",
                               (country, name)).fetchone()[0])

    @staticmethod
    def indicator_row(con, country: str, ind_id: str):
        """``(origin, definition JSON)`` of a stored indicator, or None (read inside a transaction)."""
        return con.execute("SELECT origin, definition FROM indicators WHERE country = ? AND id = ?",
                           (country, ind_id)).fetchone()

    @staticmethod
    def active_version(con, country: str, name: str):
        """``(id, version, kind, sha256)`` of a dataset's active version, or None."""
        return con.execute("SELECT id, version, kind, sha256 FROM datasets WHERE country = ? AND name = ? "
                           "AND status = 'active' ORDER BY version DESC", (country, name)).fetchone()

    @staticmethod
    def version_rows(con, dataset_id: int) -> pd.DataFrame:
        """Observations of one dataset version: ``unit, level, year, indicator, value, denominator``."""
        df = pd.read_sql_query("SELECT unit, level, year, indicator, value, denominator FROM observations "
                               "WHERE dataset_id = ? ORDER BY indicator, level, unit, year", con,
                               params=(dataset_id,))
        df["year"] = df["year"].astype("int64")
        df["value"] = df["value"].astype("float64")
        df["denominator"] = df["denominator"].astype("float64")
        return df

    @staticmethod
    def supersede(con, country: str, name: str, *, keep: int, by: str) -> None:
        """Mark every other active version of a dataset 'superseded' (kept, never deleted)."""
        rows = con.execute("SELECT id, version FROM datasets WHERE country = ? AND name = ? AND "
                           "status = 'active' AND id != ?", (country, name, keep)).fetchall()
        for ds, version in rows:
            con.execute("UPDATE datasets SET status = 'superseded' WHERE id = ?", (ds,))
            Store.log(con, country, name, version, "supersede", by)

    @staticmethod
    def log(con, country: str, name: str, version: int, action: str, by: str, notes: str = "") -> None:
        """Append one line to the dataset history (imports, supersessions, rollbacks)."""
        con.execute("INSERT INTO dataset_log (country, name, version, action, at, by, notes) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", (country, name, version, action, now_utc(), by, notes))

    def rollback(self, country: str, name: str, to_version: int, *, by: str) -> tuple[int | None, int]:
        """Make ``to_version`` the active version of an imported dataset, in one transaction.

        The version that was active becomes 'rolled_back'; nothing is deleted. Returns
        ``(previous active version or None, to_version)``. The caller validates the request
        (``geodata.importing.rollback`` raises DataError for unknown names and versions).
        """
        with self.user_transaction("rollback") as con:
            target = con.execute("SELECT id FROM datasets WHERE country = ? AND name = ? AND version = ? "
                                 "AND kind = 'import'", (country, name, to_version)).fetchone()
            if target is None:
                raise KeyError((country, name, to_version))
            active = self.active_version(con, country, name)
            if active is not None and active[0] == target[0]:
                return active[1], to_version
            if active is not None:
                con.execute("UPDATE datasets SET status = 'rolled_back' WHERE id = ?", (active[0],))
            con.execute("UPDATE datasets SET status = 'active' WHERE id = ?", (target[0],))
            self.log(con, country, name, to_version, "rollback", by,
                     f"from version {active[1]}" if active is not None else "")
        return (active[1] if active is not None else None), to_version

    # -- shortlists (Priorities page) -----------------------------------------------------
    def save_shortlist(self, country: str, name: str, items: pd.DataFrame, *, scenario: str,
                       level: str, year: int | None, author: str = "", by: str = "viewer") -> int:
        """Store a named shortlist in one transaction; return its id.

        Nothing is ever overwritten: saving under a name already used adds a new entry with its
        own date (``list_shortlists`` shows both). ``items`` holds ``code, name, note`` (any
        other columns are kept too); ``scenario`` is ``Spec.key()``. The name, author and notes
        are checked as plain text of bounded length and every row needs a unit code
        (``geodata.usertext.check_shortlist``: DataError naming the field or the rows, so an
        empty row is never stored); ``by`` goes to the audit log.
        """
        import json

        from geodata.usertext import NAME_MAX, check_shortlist, plain_text

        name, items = check_shortlist(name, items)
        author = plain_text(author, field="author", max_chars=NAME_MAX)
        rows = json.loads(items.to_json(orient="records", force_ascii=False))
        with self.user_transaction("shortlist") as con:
            cur = con.execute("INSERT INTO shortlists (country, name, saved_at, scenario, level, year, "
                              "items, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              (country, name, now_utc(), scenario, level,
                               None if year is None else int(year), json.dumps(rows, ensure_ascii=False),
                               author))
            self.audit(con, by, "shortlist_save", country=country, target=name, detail=f"{len(rows)} units")
        return int(cur.lastrowid)

    def list_shortlists(self, country: str) -> pd.DataFrame:
        """Saved shortlists, newest first: ``id, name, author, saved_at (UTC ISO), scenario, level,
        year, n``."""
        df = self._frame("SELECT id, name, author, saved_at, scenario, level, year, items FROM shortlists "
                         "WHERE country = ? ORDER BY saved_at DESC, id DESC", (country,))
        import json

        df["n"] = [len(json.loads(x)) for x in df["items"]]
        return df.drop(columns="items")

    def load_shortlist(self, shortlist_id: int) -> tuple[dict, pd.DataFrame]:
        """``(meta, items)`` of one saved shortlist; KeyError for an unknown id."""
        import json

        with self.connect() as con:
            row = con.execute("SELECT id, country, name, saved_at, scenario, level, year, author, items "
                              "FROM shortlists WHERE id = ?", (int(shortlist_id),)).fetchone()
        if row is None:
            raise KeyError(shortlist_id)
        meta = dict(zip(("id", "country", "name", "saved_at", "scenario", "level", "year", "author"), row[:8]))
        return meta, pd.DataFrame(json.loads(row[8]))

    def put_web_geojson(self, country: str, level: str, fingerprint: str, text: str) -> None:
        with self.transaction() as con:
            con.execute("INSERT OR REPLACE INTO web_geometry VALUES (?, ?, ?, ?)",
                        (country, level, fingerprint, text))

    # -- reads ------------------------------------------------------------------------------
    def _frame(self, sql: str, params=()) -> pd.DataFrame:
        with self.connect() as con:
            return pd.read_sql_query(sql, con, params=params)

    def observations(self, country: str, indicator: str | None = None) -> pd.DataFrame:
        """Active observations: ``unit, level, year, indicator, value, denominator, dataset``.

        ``value`` is a count for count indicators and a percent 0..100 for shares; ``denominator``
        is the population (persons) for counts, respondents or households for shares.
        """
        sql = ("SELECT o.unit, o.level, o.year, o.indicator, o.value, o.denominator, d.name AS dataset "
               "FROM observations o JOIN datasets d ON d.id = o.dataset_id "
               "WHERE d.status = 'active' AND o.country = ?")
        params: tuple = (country,)
        if indicator is not None:
            sql += " AND o.indicator = ?"
            params += (indicator,)
        df = self._frame(sql + " ORDER BY o.indicator, o.level, o.unit, o.year", params)
        df["denominator"] = df["denominator"].astype("float64")
        return df

    def population(self, country: str, level: str | None = None) -> pd.DataFrame:
        """``unit, level, year, population, source, modelled`` (persons)."""
        sql, params = "SELECT unit, level, year, population, source, modelled FROM population WHERE country = ?", (country,)
        if level:
            sql, params = sql + " AND level = ?", params + (level,)
        df = self._frame(sql + " ORDER BY level, unit, year", params)
        df["modelled"] = df["modelled"].astype(bool)
        return df

    def datasets(self, country: str | None = None) -> pd.DataFrame:
        sql = "SELECT * FROM datasets" + (" WHERE country = ?" if country else "") + " ORDER BY name, version"
        return self._frame(sql, (country,) if country else ())

    def history(self, country: str, name: str | None = None) -> pd.DataFrame:
        """The dataset history, oldest first: ``name, version, action, at, by, notes``."""
        sql = "SELECT name, version, action, at, by, notes FROM dataset_log WHERE country = ?"
        params: tuple = (country,)
        if name is not None:
            sql, params = sql + " AND name = ?", params + (name,)
        return self._frame(sql + " ORDER BY id", params)

    def unmatched(self, country: str) -> pd.DataFrame:
        return self._frame(
            'SELECT d.name AS dataset, u.file, u.row, u."column", u.value, u.reason, u.suggestion '
            "FROM unmatched u JOIN datasets d ON d.id = u.dataset_id "
            "WHERE d.country = ? AND d.status = 'active' ORDER BY u.file, u.row", (country,))

    def indicator_definitions(self, country: str) -> pd.DataFrame:
        return self._frame("SELECT id, origin, definition FROM indicators WHERE country = ? "
                           "ORDER BY rowid", (country,))

    def web_geojson(self, country: str, level: str, fingerprint: str) -> str | None:
        with self.connect() as con:
            row = con.execute("SELECT geojson FROM web_geometry WHERE country = ? AND level = ? "
                              "AND fingerprint = ?", (country, level, fingerprint)).fetchone()
        return row[0] if row else None

    def version(self, country: str) -> str:
        """A short key that changes whenever the active data change (for caches and exports)."""
        with self.connect() as con:
            rows = con.execute("SELECT name, version, sha256 FROM datasets WHERE country = ? AND "
                               "status = 'active' ORDER BY name", (country,)).fetchall()
            fp = con.execute("SELECT value FROM meta WHERE key = ?", (f"pack:{country}",)).fetchone()
        text = repr((rows, fp[0] if fp else ""))
        return hashlib.sha256(text.encode()).hexdigest()[:12]
