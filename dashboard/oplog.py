"""The operator's log: the dashboard's own messages (``riskmap.*`` loggers) on the server's stderr.

Sign-in failures and lockouts (``riskmap.security``), failed backups (``riskmap.backups``) and
each cache computation with its duration (``riskmap.cache``) go here, one line each, with a UTC
time. Tracebacks of unexpected errors are logged by Streamlit itself on the same stderr, while the
browser shows only a generic message (``client.showErrorDetails = "none"`` in
``.streamlit/config.toml``). ``RISKMAP_LOG_LEVEL`` (default INFO) sets the level.
"""
from __future__ import annotations

import logging
import os
import sys
import time

__all__ = ["setup"]


def setup() -> logging.Logger:
    """Attach one stderr handler to the ``riskmap`` logger (idempotent); return the logger."""
    log = logging.getLogger("riskmap")
    if not any(getattr(h, "_riskmap", False) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler._riskmap = True
        formatter = logging.Formatter("%(asctime)sZ %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S")
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
        log.addHandler(handler)
        log.propagate = False
    level = logging.getLevelName(os.environ.get("RISKMAP_LOG_LEVEL", "INFO").strip().upper())
    log.setLevel(level if isinstance(level, int) else logging.INFO)  # an unknown name: INFO
    return log
