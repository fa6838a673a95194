"""SQLite-only administration of the store file: integrity check, online backup, restore, and
the translation of SQLite's disk errors into sentences.

Everything that knows it is talking to SQLite lives here, behind small functions that
``geodata.store.Store`` calls (``quick_check``, ``ensure_intact``, ``backup_file``,
``replace_file``, ``disk_error``); the PostgreSQL store (``geodata.store_pg``) has its own
answers (a table scan, and pg_dump for backups).
"""
from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from geodata.errors import DataError

__all__ = ["quick_check", "ensure_intact", "backup_file", "replace_file", "disk_error", "RESTORE_COMMAND"]

#: The command every "damaged store" sentence names.
RESTORE_COMMAND = "python -m geodata restore --latest"
_DAMAGE = ("malformed", "not a database", "file is encrypted", "disk i/o error")
#: Files found intact in this process, as (path, size, mtime): a file that changes is checked again.
_CHECKED: set = set()
_CHECKED_LOCK = threading.Lock()


def quick_check(path: Path) -> str | None:
    """``PRAGMA quick_check`` of the file at ``path``: None when intact, else the first problem.

    A missing or empty file is intact (a new store). Read-only: never writes to the file, except
    that a hot journal (a write cut short by a crash or a kill) is rolled back first, as SQLite
    does on any open that may write: the store is then exactly as before that write, and a
    read-only open would refuse it ("attempt to write a readonly database").
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return None
    journal = path.with_name(path.name + "-journal")
    hot = journal.exists() and journal.stat().st_size > 0 and os.access(path, os.W_OK)
    try:
        con = sqlite3.connect(f"file:{path}?mode={'rw' if hot else 'ro'}", uri=True, timeout=30)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as err:
        if _is_damage(err):
            return str(err)
        raise
    first = rows[0][0] if rows else "no answer"
    return None if first == "ok" else str(first)


def ensure_intact(path: Path) -> None:
    """Raise DataError ``store.damaged`` (naming the restore command) when the file at ``path``
    fails ``quick_check``; a file state found intact is not checked again in this process."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    state = (str(path), st.st_size, st.st_mtime_ns)
    with _CHECKED_LOCK:
        if state in _CHECKED:
            return
    problem = quick_check(path)
    if problem is not None:
        raise DataError("store.damaged", "the store {path} is damaged ({detail}); restore the latest "
                        "backup with `{command}`", path=str(path), detail=problem, command=RESTORE_COMMAND)
    with _CHECKED_LOCK:
        _CHECKED.add(state)


def _is_damage(err: BaseException) -> bool:
    return any(word in str(err).lower() for word in _DAMAGE)


def backup_file(source: Path, dest: Path) -> None:
    """Copy the SQLite file ``source`` to ``dest`` with SQLite's online backup API.

    Consistent while other connections read and write (the copy is one snapshot); ``dest`` is
    written beside itself under a temporary name and renamed, so it is whole or absent.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    os.replace(tmp, dest)


def replace_file(backup: Path, target: Path) -> Path | None:
    """Make ``target`` a copy of the SQLite file ``backup`` (checked first); return where the
    replaced file was moved (``<target>.replaced-<n>``, never deleted), or None if none existed.

    The server should be stopped: open connections keep reading the old file. A leftover
    rollback journal of the old file is moved aside with it, so it cannot be replayed onto the
    restored one.
    """
    backup, target = Path(backup), Path(target)
    problem = quick_check(backup)
    if problem is not None:
        raise DataError("backup.damaged", "the backup {path} is damaged too ({problem})",
                        path=str(backup), problem=problem)
    staged = target.with_name(target.name + ".restoring")
    backup_file(backup, staged)
    moved = None
    if target.exists():
        n = 1
        while target.with_name(f"{target.name}.replaced-{n}").exists():
            n += 1
        moved = target.with_name(f"{target.name}.replaced-{n}")
        os.replace(target, moved)
        for suffix in ("-journal", "-wal", "-shm"):
            side = target.with_name(target.name + suffix)
            if side.exists():
                os.replace(side, moved.with_name(moved.name + suffix))
    os.replace(staged, target)
    return moved


def disk_error(err: sqlite3.Error, path: Path) -> DataError | None:
    """A sentence for SQLite errors a user or operator must act on, else None (a bug).

    ``store.damaged`` names the restore command; ``store.read_only`` and ``store.full`` say
    that reading goes on and what to fix.
    """
    text = str(err).lower()
    if _is_damage(err):
        return DataError("store.damaged", "the store {path} is damaged ({detail}); restore the latest "
                         "backup with `{command}`", path=str(path), detail=str(err), command=RESTORE_COMMAND)
    if "readonly" in text or "read-only" in text or "unable to open database" in text:
        return DataError("store.read_only", "the store {path} is read-only, so nothing was saved; "
                         "the map and tables still work (ask the operator to make it writable)",
                         path=str(path))
    if "full" in text:
        return DataError("store.full", "the disk holding the store {path} is full, so nothing was saved; "
                         "the map and tables still work (ask the operator to free space)", path=str(path))
    return None
