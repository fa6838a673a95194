"""User-made content of the store in a portable file: export and import.

``export_user_data`` writes one JSON document (UTF-8) with everything users made, none of what
the shared files rebuild: imported dataset versions with their provenance (file name, SHA-256,
rows read/stored/unmatched, who imported them and when, status), their observations and
unmatched rows, the indicators defined at import, the dataset history, saved shortlists and the
audit log. Editor tokens are not exported (they belong to one server).

``import_user_data`` merges such a file into a store in one transaction: versions, shortlists
and log lines already present are skipped, so importing the same file twice changes nothing.
A version whose (country, name, version) exists with another SHA-256 is refused with a sentence.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from geodata.errors import DataError
from geodata.store import SCHEMA_VERSION, now_utc

__all__ = ["FORMAT", "export_user_data", "import_user_data"]

FORMAT = "riskmap-user-data"
FORMAT_VERSION = 1
_DATASET = ("country", "name", "version", "kind", "source_file", "sha256", "rows_read", "rows_stored",
            "rows_unmatched", "observations", "imported_at", "imported_by", "status", "notes")
_OBS = ("unit", "level", "year", "indicator", "value", "denominator")
_UNMATCHED = ("file", "row", "column", "value", "reason", "suggestion")
_TABLES = {  # table -> columns compared to tell a line already present
    "dataset_log": ("country", "name", "version", "action", "at", "by", "notes"),
    "shortlists": ("country", "name", "saved_at", "scenario", "level", "year", "items"),
    "audit_log": ("at", "who", "action", "country", "target", "detail"),
}


def _rows(con, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def export_user_data(store, out: Path) -> dict:
    """Write the store's user-made content to ``out`` (JSON, written atomically); return counts."""
    with store.connect() as con:
        datasets = _rows(con, f"SELECT id, {', '.join(_DATASET)} FROM datasets WHERE kind = 'import' "
                              "ORDER BY country, name, version")
        for d in datasets:
            ds = d.pop("id")
            d["rows"] = [list(r) for r in con.execute(
                f"SELECT {', '.join(_OBS)} FROM observations WHERE dataset_id = ? "
                "ORDER BY indicator, level, unit, year", (ds,))]
            d["unmatched"] = [list(r) for r in con.execute(
                'SELECT file, row, "column", value, reason, suggestion FROM unmatched WHERE dataset_id = ? '
                "ORDER BY rowid", (ds,))]
        doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "schema": SCHEMA_VERSION,
               "exported_at": now_utc(), "datasets": datasets,
               "indicators": _rows(con, "SELECT country, id, definition FROM indicators WHERE origin = 'import' "
                                        "ORDER BY country, id")}
        for table, cols in _TABLES.items():
            doc[table] = _rows(con, f"SELECT {', '.join(_quoted(cols))} FROM {table} ORDER BY id")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=0)
    os.replace(tmp, out)
    return _counts(doc)


def _quoted(cols) -> list[str]:
    return [f'"{c}"' for c in cols]


def _counts(doc: dict) -> dict:
    return {"datasets": len(doc["datasets"]), "indicators": len(doc["indicators"]),
            **{t: len(doc[t]) for t in _TABLES}}


def _read(path: Path) -> dict:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("userdata.missing", "file not found: {path}", path=str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError("userdata.bad_file", "{path} is not a user-data file ({detail})", path=str(path),
                        detail=str(err)) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DataError("userdata.bad_file", "{path} is not a user-data file ({detail})", path=str(path),
                        detail=f"format is not {FORMAT!r}")
    if doc.get("format_version") != FORMAT_VERSION:
        raise DataError("userdata.bad_version", "{path}: format version {found}, this program reads {wanted}",
                        path=str(path), found=doc.get("format_version"), wanted=FORMAT_VERSION)
    return doc


def import_user_data(store, path: Path, *, by: str) -> dict:
    """Merge the user-data file at ``path`` into ``store`` (one transaction, then a backup);
    return how many datasets, indicators and lines were added."""
    doc = _read(path)
    added = dict.fromkeys(("datasets", "indicators", *_TABLES), 0)
    try:
        with store.user_transaction("import-user-data") as con:
            for d in doc["datasets"]:
                added["datasets"] += _add_dataset(con, d)
            for ind in doc["indicators"]:
                cur = con.execute("INSERT OR IGNORE INTO indicators (country, id, origin, definition) "
                                  "VALUES (?, ?, 'import', ?)", (ind["country"], ind["id"], ind["definition"]))
                added["indicators"] += cur.rowcount
            for table, cols in _TABLES.items():
                for line in doc[table]:
                    values = tuple(line[c] for c in cols)
                    match = " AND ".join(f'"{c}" IS ?' for c in cols)
                    if con.execute(f"SELECT 1 FROM {table} WHERE {match}", values).fetchone() is None:
                        con.execute(f"INSERT INTO {table} ({', '.join(_quoted(cols))}) "
                                    f"VALUES ({', '.join('?' * len(cols))})", values)
                        added[table] += 1
            _one_active(con)
            store.audit(con, by, "import_user_data", target=Path(path).name,
                        detail=", ".join(f"{k} {v}" for k, v in added.items()))
    except (KeyError, TypeError) as err:
        raise DataError("userdata.bad_file", "{path} is not a user-data file ({detail})", path=str(path),
                        detail=f"missing or malformed field {err}") from None
    return added


def _add_dataset(con, d: dict) -> int:
    row = con.execute("SELECT sha256 FROM datasets WHERE country = ? AND name = ? AND version = ?",
                      (d["country"], d["name"], d["version"])).fetchone()
    if row is not None:
        if row[0] != d["sha256"]:
            raise DataError("userdata.conflict", "dataset {name} version {version} ({country}) is already stored "
                            "from another file; nothing was imported", name=d["name"], version=d["version"],
                            country=d["country"])
        return 0
    cur = con.execute(f"INSERT INTO datasets ({', '.join(_DATASET)}) VALUES ({', '.join('?' * len(_DATASET))})",
                      tuple(d[c] for c in _DATASET))
    ds = cur.lastrowid
    con.executemany("INSERT INTO observations (dataset_id, country, unit, level, year, indicator, value, "
                    "denominator) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(ds, d["country"], *r) for r in d["rows"]])
    con.executemany('INSERT INTO unmatched (dataset_id, file, row, "column", value, reason, suggestion) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", [(ds, *r) for r in d["unmatched"]])
    return 1


def _one_active(con) -> None:
    """Where merging left two active versions of one dataset, the highest stays active."""
    rows = con.execute("SELECT country, name, MAX(version) FROM datasets WHERE status = 'active' "
                       "GROUP BY country, name HAVING COUNT(*) > 1").fetchall()
    for country, name, top in rows:
        con.execute("UPDATE datasets SET status = 'superseded' WHERE country = ? AND name = ? AND "
                    "status = 'active' AND version != ?", (country, name, top))
