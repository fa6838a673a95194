"""``python -m geodata migrate --from data/riskmap.sqlite --to postgresql://...``: move a store.

Every table of the SQLite store is copied, row for row in ``rowid`` order and with its ids, into
an empty PostgreSQL store (``geodata.store_pg``) in one transaction: the copy lands whole or not
at all, and the source file is only read. A destination that already holds datasets,
shortlists or history is refused (nothing stored is ever overwritten). Afterwards the row count
of every table and the data version of every country are compared between the two stores.
"""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from geodata.errors import DataError
from geodata.store import Store
from geodata.store_pg import _TABLES, PgStore, is_pg_url

__all__ = ["migrate"]


def migrate(source: Path | str, target: str) -> dict[str, int]:
    """Copy the SQLite store at ``source`` into the empty PostgreSQL store at ``target``;
    return table -> rows copied. DataError for a missing source, a non-PostgreSQL target, or
    a target that is not empty."""
    source = Path(source)
    if not source.is_file():
        raise DataError("migrate.no_source", "--from {path}: no such store file", path=str(source))
    if not is_pg_url(target):
        raise DataError("migrate.bad_target", "--to must be a postgresql:// URL, not {target!r}", target=str(target))
    src = Store(source)  # creates any table the file lacks (an older store), so every table reads
    dst = PgStore(target)
    counts = {}
    with contextlib.closing(sqlite3.connect(src.path)) as lite, dst.transaction() as con:
        held = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in _TABLES}
        if any(held.values()):
            raise DataError("migrate.not_empty", "--to {target}: the store there is not empty ({tables}); "
                            "migrate into a new database", target=dst.location,
                            tables=", ".join(f"{t} {n} rows" for t, n in held.items() if n))
        for table, info in _TABLES.items():
            cols = ", ".join(f'"{c}"' for c in info["columns"])
            rows = lite.execute(f"SELECT {cols} FROM {table} ORDER BY rowid").fetchall()
            con.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(info['columns']))})", rows)
            if info["autoid"] and rows:
                con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT MAX(id) FROM {table}))")
            counts[table] = len(rows)
    _verify(src, dst, counts)
    return counts


def _verify(src: Store, dst: PgStore, counts: dict[str, int]) -> None:
    """Row counts and every country's data version must match; DataError otherwise."""
    with dst.connect() as con:
        for table, n in counts.items():
            got = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            if got != n:
                raise DataError("migrate.mismatch", "table {table}: {got} rows in PostgreSQL, {n} in SQLite",
                                table=table, got=got, n=n)
    for country in sorted(set(src.datasets()["country"])):
        if src.version(country) != dst.version(country):
            raise DataError("migrate.mismatch", "country {country}: data versions differ after the copy",
                            country=country)
