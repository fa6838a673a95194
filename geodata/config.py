"""Where the project reads shared data and keeps its store (environment-driven)."""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PROJECT_ROOT", "data_root", "store_path", "store_location"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_root() -> Path:
    """The shared data folder: ``RISKMAP_DATA_ROOT``, default ``../shared/data`` beside the project."""
    env = os.environ.get("RISKMAP_DATA_ROOT")
    return Path(env).expanduser().resolve() if env else (PROJECT_ROOT.parent / "shared" / "data").resolve()


def store_path() -> Path:
    """The embedded SQLite store: ``RISKMAP_STORE``, default ``data/riskmap.sqlite`` in the project."""
    env = os.environ.get("RISKMAP_STORE")
    return Path(env).expanduser().resolve() if env else PROJECT_ROOT / "data" / "riskmap.sqlite"


def store_location() -> str | Path:
    """``RISKMAP_STORE`` as given when it is a ``postgresql://`` URL (``geodata.store_pg``),
    else ``store_path()``."""
    env = os.environ.get("RISKMAP_STORE", "")
    return env if env.startswith(("postgresql://", "postgres://")) else store_path()
