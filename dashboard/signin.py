"""Editor sign-in on the dashboard, and the limits on what a visitor may try or write.

- ``sign_in`` checks an editor token (``geodata.roles.require_editor``: a named editor or the
  operator token) under a lockout: after ``MAX_FAILURES`` wrong tokens within ``WINDOW_S``
  seconds from one browser session *or* one client address, every attempt from it is refused
  until the oldest failure is ``WINDOW_S`` old. Each failure and each lockout is logged for the
  operator (``riskmap.security``, with the address) and written to the audit log (without it).
- ``allow_write`` limits shortlist saves: ``WRITES_PER_WINDOW`` per session and per address in
  ``WRITES_WINDOW_S`` seconds.

The counters are process-wide (``dashboard.shared``), so neither a new tab nor Streamlit's
clear-cache message resets them. ``Limiter`` is plain Python; the Streamlit part is ``visitor``.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque

import streamlit as st

from dashboard.shared import memo
from geodata.errors import DataError

__all__ = ["MAX_FAILURES", "WINDOW_S", "WRITES_PER_WINDOW", "WRITES_WINDOW_S", "Limiter", "visitor", "sign_in",
           "allow_write"]

MAX_FAILURES, WINDOW_S = 5, 600
WRITES_PER_WINDOW, WRITES_WINDOW_S = 10, 600
_LOG = logging.getLogger("riskmap.security")
_SESSION_KEY = "_visitor_id"


class Limiter:
    """At most ``limit`` events per key within ``window`` seconds (a sliding window).

    Examples
    --------
    >>> lim = Limiter(2, 10.0)
    >>> lim.add(["a"], now=0.0), lim.add(["a"], now=1.0), lim.wait(["a"], now=2.0)
    (1, 2, 8.0)
    >>> lim.wait(["a"], now=10.5), lim.wait(["b"], now=2.0)
    (0.0, 0.0)
    """

    def __init__(self, limit: int, window: float):
        self.limit, self.window = int(limit), float(window)
        self._events: dict = {}
        self._lock = threading.Lock()

    def _recent(self, key, now: float) -> deque:
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        return events

    def wait(self, keys, *, now: float | None = None) -> float:
        """Seconds until every key is under its limit again (0 when none is at it)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            waits = [self.window - (now - ev[0]) for k in keys
                     if len(ev := self._recent(k, now)) >= self.limit]
        return max(waits, default=0.0)

    def add(self, keys, *, now: float | None = None) -> int:
        """Record one event for every key; return the largest count within the window."""
        now = time.monotonic() if now is None else now
        with self._lock:
            counts = []
            for k in keys:
                events = self._recent(k, now)
                events.append(now)
                counts.append(len(events))
        return max(counts, default=0)


@memo(copy=False)
def _failures() -> Limiter:
    return Limiter(MAX_FAILURES, WINDOW_S)


@memo(copy=False)
def _writes() -> Limiter:
    return Limiter(WRITES_PER_WINDOW, WRITES_WINDOW_S)


def visitor() -> tuple[str, str]:
    """``(session id, client address)`` of this browser session (address "" when unknown)."""
    sid = st.session_state.setdefault(_SESSION_KEY, uuid.uuid4().hex)
    return sid, str(st.context.ip_address or "")


def _keys(who: tuple[str, str]) -> list:
    sid, address = who
    return [("session", sid)] + ([("address", address)] if address else [])


def _locked(wait: float) -> DataError:
    return DataError("roles.locked", "too many wrong editor tokens: try again in {minutes} minutes",
                     minutes=max(1, int(wait // 60) + 1))


def sign_in(store, given: str | None, *, secrets=None, who: tuple[str, str] = ("", "")) -> str:
    """The editor's name for the token ``given``, under the lockout; DataError otherwise
    (``roles.locked``, ``roles.bad_token``, ``roles.read_only``)."""
    from geodata.roles import require_editor

    keys = _keys(who)
    wait = _failures().wait(keys)
    if wait > 0:
        _LOG.warning("editor sign-in refused while locked out: session %s, address %s", who[0][:8], who[1])
        raise _locked(wait)
    try:
        return require_editor(given, secrets=secrets, store=store)
    except DataError as err:
        if err.key != "roles.bad_token":
            raise
        n = _failures().add(keys)
        _LOG.warning("wrong editor token (%d within %d s): session %s, address %s", n, WINDOW_S, who[0][:8], who[1])
        store.record("unknown", "sign_in_failed", detail=f"{n} within {WINDOW_S // 60} min")
        if n >= MAX_FAILURES:
            _LOG.warning("editor sign-in locked for %d s: session %s, address %s", WINDOW_S, who[0][:8], who[1])
            store.record("unknown", "sign_in_locked", detail=f"{WINDOW_S // 60} min")
            raise _locked(_failures().wait(keys)) from None
        raise


def allow_write(who: tuple[str, str]) -> None:
    """Count one shortlist save; DataError ``limits.writes`` when the session or address has
    made ``WRITES_PER_WINDOW`` in the last ``WRITES_WINDOW_S`` seconds."""
    keys = _keys(who)
    wait = _writes().wait(keys)
    if wait > 0:
        _LOG.warning("shortlist saves limited: session %s, address %s", who[0][:8], who[1])
        raise DataError("limits.writes", "{n} saves in {minutes} minutes is the limit: try again in "
                        "{wait} minutes", n=WRITES_PER_WINDOW, minutes=WRITES_WINDOW_S // 60,
                        wait=max(1, int(wait // 60) + 1))
    _writes().add(keys)
