"""The store on PostgreSQL (``RISKMAP_STORE=postgresql://user@host/db``), for several servers.

``PgStore`` is ``geodata.store.Store`` with another connection: every method of the store (the
tables, imports, versions, rollbacks, shortlists, history) runs unchanged, its SQL passed
through ``translate``, which maps the few SQLite spellings the store uses to PostgreSQL's:

* ``?`` parameters -> ``%s`` (and a literal ``%`` -> ``%%``);
* ``INSERT OR REPLACE`` -> delete the row with the same primary key, then insert: SQLite's
  REPLACE, which also gives the row a new ``rowid`` (so ``ORDER BY rowid`` sorts alike);
* an insert into a table with an ``id`` key returns it (``cursor.lastrowid``);
* ``INSERT OR IGNORE`` -> ``INSERT ... ON CONFLICT DO NOTHING``;
* ``x IS ?`` (SQLite's null-safe equality) -> ``x IS NOT DISTINCT FROM %s``;
* the column ``by`` (a reserved word in PostgreSQL) is quoted.

The schema is the SQLite schema (``geodata.store._SCHEMA``) with PostgreSQL types: INTEGER ->
BIGINT, REAL -> DOUBLE PRECISION (the same 64-bit floats, so values round-trip bit for bit),
TEXT -> TEXT COLLATE "C" (byte order, as SQLite sorts, whatever the database's locale), an
``AUTOINCREMENT`` key -> an identity column, and a ``rowid`` identity column on the other tables.

A transaction takes one advisory lock (``pg_advisory_xact_lock``) first: writers queue as with
SQLite's ``BEGIN IMMEDIATE``, so a dataset's next version number cannot be taken twice, and a
failed import rolls back whole. Readers never wait. A connection is opened per call (loopback:
a few milliseconds), so one ``PgStore`` may be shared by threads; nothing is cached here: the
data version is read from the database at each call, so every server sees another's import at
its next run.

Reliability (issue 16), as far as it applies to a database server:

* an unreachable server, a read-only database or transaction, a full disk and a damaged page
  raise ``DataError`` with the same sentences as the SQLite store (``store.unreachable``,
  ``store.read_only``, ``store.full``, ``store.damaged``), never psycopg's exceptions;
* ``integrity_problem`` reads every row of every table once per process (PostgreSQL checks its
  pages as it reads them and says "invalid page" for a damaged one);
* the audit log, named editors and user-data export and import work as on SQLite;
* file backups and ``geodata restore`` are SQLite's: here ``backup_to`` and ``replace_with``
  refuse with a sentence naming ``pg_dump`` and ``pg_restore`` (``file_backups`` is False, so
  no backup is attempted after a change or at start).
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from geodata.config import PROJECT_ROOT
from geodata.errors import DataError
from geodata.store import _SCHEMA, Store

__all__ = ["PgStore", "translate", "pg_schema", "is_pg_url", "redacted", "no_file_backups", "disk_error"]

#: Key of the advisory lock every write transaction takes (any constant; "riskmap" in ASCII).
_LOCK_KEY = 0x7269736B6D6170

_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\);", re.S)
_REPLACE = re.compile(r"^\s*INSERT OR REPLACE INTO (\w+)\s*(?:\(([^)]*)\))?\s*VALUES", re.I | re.S)
_INSERT = re.compile(r"^\s*INSERT INTO (\w+)", re.I)
_IGNORE = re.compile(r"^(\s*INSERT) OR IGNORE( INTO)", re.I)
_IS_PARAM = re.compile(r"\bIS \?")
#: The command the "damaged store" sentence names on PostgreSQL.
RESTORE_COMMAND = "pg_restore --clean --dbname=DATABASE your-pg_dump-file"
#: URLs found intact in this process (``PgStore.ensure_intact``).
_CHECKED: set = set()
_CHECKED_LOCK = threading.Lock()
_BY = re.compile(r'(?<![\w"])by(?![\w"])')


def is_pg_url(location) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) connection URL."""
    return str(location).startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages and reports)."""
    parts = urlsplit(str(url))
    netloc = parts.netloc.rsplit("@", 1)
    if len(netloc) == 2 and ":" in netloc[0]:
        netloc[0] = netloc[0].split(":", 1)[0] + ":***"
    return urlunsplit(parts._replace(netloc="@".join(netloc)))


def no_file_backups(location: str) -> DataError:
    """The sentence for a file backup or restore asked of a PostgreSQL store."""
    return DataError("backup.postgresql", "the store is the PostgreSQL database {location}: file backups and "
                     "`python -m geodata restore` are for the SQLite store; back it up with "
                     "`pg_dump --format=custom --file=FILE DATABASE` and restore it with "
                     "`pg_restore --clean --dbname=DATABASE FILE` (`python -m geodata export-user-data` also "
                     "writes the user-made content to a portable file)", location=location)


def disk_error(err, location: str) -> DataError | None:
    """A sentence for the psycopg errors a user or operator must act on (by SQLSTATE), else None.

    08xxx (no connection) -> ``store.unreachable``; 25006 (read-only transaction) and 42501 (no
    write privilege) -> ``store.read_only``; 53100 (disk full) -> ``store.full``; XX001 and
    XX002 (damaged data or index page) -> ``store.damaged`` naming pg_restore.
    """
    state = getattr(err, "sqlstate", None) or ""
    if state.startswith("08") or (not state and "connection" in str(err).lower()):
        return DataError("store.unreachable", "the PostgreSQL store {path} cannot be reached ({detail}); nothing "
                         "was read or saved (ask the operator to check the database server and RISKMAP_STORE)",
                         path=location, detail=str(err).strip().splitlines()[0] if str(err).strip() else state)
    if state in ("25006", "42501"):
        return DataError("store.read_only", "the store {path} is read-only, so nothing was saved; the map and "
                         "tables still work (ask the operator to make it writable)", path=location)
    if state == "53100":
        return DataError("store.full", "the disk holding the store {path} is full, so nothing was saved; the map "
                         "and tables still work (ask the operator to free space)", path=location)
    if state in ("XX001", "XX002"):
        return DataError("store.damaged", "the store {path} is damaged ({detail}); restore the latest "
                         "backup with `{command}`", path=location, detail=str(err).strip(), command=RESTORE_COMMAND)
    return None


def _tables(schema: str) -> dict[str, dict]:
    """Table -> ``{"columns": [...], "key": [...], "autoid": bool}`` read from the SQLite schema."""
    out = {}
    for name, body in _TABLE.findall(schema):
        columns, key, autoid = [], [], False
        for part in re.split(r",\s*(?![^()]*\))", body.strip()):
            part = part.strip()
            if part.upper().startswith(("PRIMARY KEY", "UNIQUE", "CHECK", "FOREIGN")):
                if part.upper().startswith("PRIMARY KEY"):
                    key = [c.strip().strip('"') for c in part[part.index("(") + 1:part.rindex(")")].split(",")]
                continue
            col = part.split()[0].strip('"')
            columns.append(col)
            if "PRIMARY KEY" in part.upper():
                key = [col]
                autoid = "AUTOINCREMENT" in part.upper()
        out[name] = {"columns": columns, "key": key, "autoid": autoid}
    return out


def pg_schema(schema: str = _SCHEMA) -> str:
    """The SQLite schema in PostgreSQL's types (see the module docstring)."""
    tables = _tables(schema)

    def table(m):
        name, body = m.group(1), m.group(2)
        body = re.sub(r"INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", body)
        body = re.sub(r"\bINTEGER\b", "BIGINT", body)
        body = re.sub(r"\bREAL\b", "DOUBLE PRECISION", body)
        body = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', body)
        if not tables[name]["autoid"]:
            body = body.rstrip() + ",\n    rowid BIGINT GENERATED ALWAYS AS IDENTITY"
        return f"CREATE TABLE IF NOT EXISTS {name} ({body});"

    return _BY.sub('"by"', _TABLE.sub(table, schema))


_TABLES = _tables(_SCHEMA)


def translate(sql: str, params=()) -> list[tuple[str, tuple, bool]]:
    """SQLite statement + parameters -> PostgreSQL statements ``(sql, params, returns_id)``
    (two for ``INSERT OR REPLACE``: the delete and the insert)."""
    params = tuple(params)

    def pg(text: str) -> str:
        text = _IS_PARAM.sub("IS NOT DISTINCT FROM ?", text)
        return _BY.sub('"by"', text.replace("%", "%%").replace("?", "%s"))

    if _IGNORE.match(sql):
        return [(pg(_IGNORE.sub(r"\1\2", sql)) + " ON CONFLICT DO NOTHING", params, False)]

    m = _REPLACE.match(sql)
    if m:
        table = _TABLES[m.group(1)]
        cols = [c.strip().strip('"') for c in m.group(2).split(",")] if m.group(2) else table["columns"][:len(params)]
        where = " AND ".join(f'"{k}" = %s' for k in table["key"])
        delete = (f"DELETE FROM {m.group(1)} WHERE {where}", tuple(params[cols.index(k)] for k in table["key"]), False)
        insert = sql[:m.start()] + f"INSERT INTO {m.group(1)} ({', '.join(chr(34) + c + chr(34) for c in cols)}) VALUES" \
            + sql[m.end():]
        return [delete, (pg(insert), params, False)]
    m = _INSERT.match(sql)
    if m and _TABLES.get(m.group(1), {}).get("autoid"):
        return [(pg(sql) + " RETURNING id", params, True)]
    return [(pg(sql), params, False)]


class _Cursor:
    """What the store reads from ``con.execute(...)``: rows (also by iterating), ``lastrowid``,
    ``rowcount`` and ``description`` (column names first, as in DB-API)."""

    def __init__(self, rows, lastrowid=None, rowcount=-1, description=None):
        self._rows, self.lastrowid, self.rowcount, self.description = rows, lastrowid, rowcount, description

    def __iter__(self):
        return iter(self._rows)

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def fetchall(self):
        return list(self._rows)


class _Connection:
    """A psycopg connection that speaks the store's SQLite dialect (``execute``,
    ``executemany``, ``executescript``) and reads a frame (``frame``)."""

    def __init__(self, con):
        self._con = con

    def execute(self, sql: str, params=()) -> _Cursor:
        rows, lastrowid, description = [], None, None
        with self._con.cursor() as cur:
            for text, args, returns_id in translate(sql, params):
                cur.execute(text, args)
                if cur.description is not None:
                    rows = cur.fetchall()
                    description = [(d.name, None, None, None, None, None, None) for d in cur.description]
                    if returns_id:
                        lastrowid = int(rows[0][0])
            rowcount = cur.rowcount
        return _Cursor(rows, lastrowid, rowcount, description)

    def executemany(self, sql: str, seq) -> None:
        seq = list(seq)
        if not seq:
            return
        if _REPLACE.match(sql):
            for row in seq:
                self.execute(sql, row)
            return
        [(text, _, returns_id)] = translate(sql, seq[0])
        if returns_id:
            text = text[:-len(" RETURNING id")]
        with self._con.cursor() as cur:
            cur.executemany(text, seq)

    def executescript(self, script: str) -> None:
        with self._con.cursor() as cur:
            cur.execute(script)

    def frame(self, sql: str, params=()) -> pd.DataFrame:
        """A query's rows as ``pd.read_sql_query`` makes them (same dtypes)."""
        [(text, args, _)] = translate(sql, params)
        with self._con.cursor() as cur:
            cur.execute(text, args)
            columns = [d.name for d in cur.description]
            return pd.DataFrame.from_records(cur.fetchall(), columns=columns, coerce_float=True)


class PgStore(Store):
    """The store in a PostgreSQL database; the same methods as ``Store``."""

    file_backups = False

    def __init__(self, url: str):
        import psycopg

        if not is_pg_url(url):
            raise ValueError(f"not a PostgreSQL URL: {url!r} (postgresql://user@host/db)")
        self.url = url
        self._psycopg = psycopg
        with self.connect() as con:
            have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                              "WHERE table_schema = current_schema()")}
        if not set(_TABLES) <= have:  # a read-only database that has its tables is still readable
            with self.transaction() as con:
                con.executescript(pg_schema())
        with self.connect() as con:
            author = con.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                                 "AND table_name = 'shortlists' AND column_name = 'author'").fetchone()
        if author is None:  # databases made before shortlists had an author get the column
            with self.transaction() as con:
                con.execute("ALTER TABLE shortlists ADD COLUMN IF NOT EXISTS author TEXT NOT NULL DEFAULT ''")
        self.ensure_intact()

    @property
    def location(self) -> str:
        """The URL without its password (for messages and reports)."""
        return redacted(self.url)

    @property
    def report_dir(self) -> Path:
        """Where reports beside the store go (``data/`` in the project: the database has no folder)."""
        return PROJECT_ROOT / "data"

    def integrity_problem(self) -> str | None:
        """None when every row of every store table reads back, else PostgreSQL's sentence about
        the first damaged page (SQLSTATE XX001/XX002)."""
        try:
            with self.connect() as con:
                for table in _TABLES:
                    con.execute(f"SELECT COUNT(*) FROM {table}")
        except DataError as err:
            if err.key == "store.damaged":
                return err.params["detail"]
            raise
        return None

    def ensure_intact(self) -> None:
        """Raise DataError ``store.damaged`` (naming pg_restore) when ``integrity_problem``
        finds one; a database found intact is not scanned again in this process."""
        with _CHECKED_LOCK:
            if self.url in _CHECKED:
                return
        problem = self.integrity_problem()
        if problem is not None:
            raise DataError("store.damaged", "the store {path} is damaged ({detail}); restore the latest "
                            "backup with `{command}`", path=self.location, detail=problem, command=RESTORE_COMMAND)
        with _CHECKED_LOCK:
            _CHECKED.add(self.url)

    def backup_to(self, dest) -> None:
        """Refused (DataError ``backup.postgresql``): pg_dump backs up a PostgreSQL store."""
        raise no_file_backups(self.location)

    @staticmethod
    def replace_with(backup, target) -> None:
        """Refused (DataError ``backup.postgresql``): pg_restore restores a PostgreSQL store."""
        raise no_file_backups(redacted(str(target)))

    def _open(self, autocommit: bool):
        try:
            return self._psycopg.connect(self.url, autocommit=autocommit)
        except self._psycopg.Error as err:
            raise disk_error(err, self.location) or err from None

    @contextmanager
    def _said(self):
        """psycopg's errors an operator must act on become ``disk_error``'s sentences."""
        try:
            yield
        except self._psycopg.Error as err:
            said = disk_error(err, self.location)
            if said is None:
                raise
            raise said from err

    @contextmanager
    def connect(self):
        con = self._open(autocommit=True)
        try:
            with self._said():
                yield _Connection(con)
        finally:
            con.close()

    @contextmanager
    def transaction(self):
        """One atomic write: everything inside commits together or not at all (writers queue)."""
        con = self._open(autocommit=False)
        try:
            with self._said():
                wrapped = _Connection(con)
                wrapped.execute("SELECT pg_advisory_xact_lock(?)", (_LOCK_KEY,))
                try:
                    yield wrapped
                except BaseException:
                    con.rollback()
                    raise
                con.commit()
        finally:
            con.close()

    def _frame(self, sql: str, params=()) -> pd.DataFrame:
        with self.connect() as con:
            return con.frame(sql, params)

    @staticmethod
    def version_rows(con, dataset_id: int) -> pd.DataFrame:
        df = con.frame("SELECT unit, level, year, indicator, value, denominator FROM observations "
                       "WHERE dataset_id = ? ORDER BY indicator, level, unit, year", (dataset_id,))
        return df.astype({"year": "int64", "value": "float64", "denominator": "float64"})
