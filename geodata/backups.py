"""Backups of the store: when they are made, where they go, how many are kept, and restore.

- After every committed import, rollback and shortlist change (``Store.user_transaction``), so
  the newest backup always holds the newest user work; and at most once a day when the app or
  a command starts (``daily``, from ``geodata.build.ensure_store``).
- In ``RISKMAP_BACKUP_DIR`` (default ``backups/`` beside the store, i.e. ``data/backups/``),
  the newest ``RISKMAP_BACKUP_KEEP`` (default 10) kept; files named
  ``<store stem>-<UTC time to the microsecond>-<reason>.sqlite`` so names sort by time.
- ``restore`` puts a backup (or the newest) in place of the store; the replaced file is moved
  aside, never deleted.

Engine-neutral: copying and checking go through the store (``Store.backup_to``,
``Store.integrity_problem``, ``Store.replace_with``), which hold the SQLite-specific code. A
store whose ``file_backups`` is False (PostgreSQL: pg_dump) gets no automatic backup, and an
asked-for one is refused with the store's sentence (``backup.postgresql``).
"""
from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from geodata.errors import DataError

__all__ = ["ENV_DIR", "ENV_KEEP", "backup_dir", "keep_count", "list_backups", "latest", "make_backup",
           "after_change", "daily", "restore"]

ENV_DIR, ENV_KEEP = "RISKMAP_BACKUP_DIR", "RISKMAP_BACKUP_KEEP"
DEFAULT_KEEP = 10
_LOG = logging.getLogger("riskmap.backups")
_STAMP = "%Y%m%dT%H%M%S%fZ"


def backup_dir(store_path: Path) -> Path:
    """``RISKMAP_BACKUP_DIR``, else ``backups/`` beside the store file."""
    env = os.environ.get(ENV_DIR, "").strip()
    return Path(env).expanduser().resolve() if env else Path(store_path).parent / "backups"


def keep_count() -> int:
    """How many backups are kept: ``RISKMAP_BACKUP_KEEP`` (a whole number >= 1), default 10."""
    raw = os.environ.get(ENV_KEEP, "").strip()
    if not raw:
        return DEFAULT_KEEP
    if not raw.isdigit() or int(raw) < 1:
        raise DataError("backup.bad_keep", "{env} = {value!r}: give a whole number of at least 1",
                        env=ENV_KEEP, value=raw)
    return int(raw)


def list_backups(store_path: Path) -> list[Path]:
    """This store's backups in its backup folder, oldest first."""
    folder = backup_dir(store_path)
    if not folder.is_dir():
        return []
    stem = Path(store_path).stem
    return sorted(p for p in folder.glob(f"{stem}-*.sqlite") if p.is_file())


def latest(store_path: Path) -> Path | None:
    backups = list_backups(store_path)
    return backups[-1] if backups else None


def _taken_at(path: Path) -> datetime | None:
    try:
        stamp = path.stem.rsplit("-", 2)[-2]
        return datetime.strptime(stamp, _STAMP).replace(tzinfo=timezone.utc)
    except (IndexError, ValueError):
        return None


def make_backup(store, reason: str, *, out: Path | None = None) -> Path:
    """Copy the store now (one consistent snapshot); return the file written.

    Without ``out`` the copy goes to the backup folder and older ones beyond ``keep_count()``
    are removed; with ``out`` it goes exactly there and nothing is rotated. A store without
    file backups refuses (its ``backup_to`` raises the sentence naming its own tool).
    """
    if out is not None or not store.file_backups:
        store.backup_to(None if out is None else Path(out))
        return Path(out)
    keep = keep_count()
    stamp = datetime.now(timezone.utc).strftime(_STAMP)
    dest = backup_dir(store.path) / f"{store.path.stem}-{stamp}-{reason}.sqlite"
    store.backup_to(dest)
    for old in list_backups(store.path)[:-keep]:
        old.unlink(missing_ok=True)
    return dest


def after_change(store, reason: str) -> Path | None:
    """The backup after a committed user change; a failure is logged, never raised (the change
    itself is committed), and the function returns None. None at once for a store without
    file backups (PostgreSQL)."""
    if not store.file_backups:
        return None
    try:
        return make_backup(store, reason)
    except (OSError, DataError) as err:
        _LOG.error("backup after %s failed: %s (the change is saved in %s)", reason, err, store.path)
        return None


def daily(store, *, now: datetime | None = None) -> Path | None:
    """A backup when the newest one is older than a day (or there is none); else None (always
    for a store without file backups)."""
    if not store.file_backups:
        return None
    now = now or datetime.now(timezone.utc)
    newest = latest(store.path)
    taken = _taken_at(newest) if newest is not None else None
    if taken is not None and now - taken < timedelta(days=1):
        return None
    return after_change(store, "daily")


def restore(store_cls, store_path: Path, source: Path | None = None) -> tuple[Path, Path | None]:
    """Put the backup ``source`` (None: the newest) in place of the store at ``store_path``.

    Returns ``(backup used, where the replaced store was moved or None)``. Raises DataError
    when there is no backup or the backup is damaged. Stop the server first.
    """
    store_path = Path(store_path)
    if source is None:
        source = latest(store_path)
        if source is None:
            raise DataError("backup.none", "there is no backup in {folder}", folder=str(backup_dir(store_path)))
    source = Path(source)
    if not source.is_file():
        raise DataError("backup.missing", "backup file not found: {path}", path=str(source))
    moved = store_cls.replace_with(source, store_path)
    return source, moved
