"""Who may change the store: named editors for imports and rollbacks.

The public view is read-only. Imports and rollbacks change what every user sees, so they need
editor rights:

- **Named editors.** ``python -m geodata editors add NAME`` prints a new random token once and
  stores only its SHA-256 (tokens are 32 random bytes, so a fast hash cannot be guessed back);
  ``editors list`` and ``editors revoke NAME`` manage them. ``require_editor(given, store=...)``
  returns the name of the editor whose token was given; imports and rollbacks record that name.
- **The operator token.** The environment variable ``RISKMAP_EDITOR_TOKEN`` (or, when unset, the
  Streamlit secret ``editor_token``) still works: it signs in as the editor named "operator".
  Comparisons are constant-time (``hmac.compare_digest``).
- **Safe default.** With no named editor and no operator token (or one shorter than
  ``MIN_TOKEN_LENGTH`` characters, which counts as not configured), editing from the dashboard
  is *disabled*: the Data page shows history and dry runs only, and ``require_editor`` raises
  ``roles.read_only``. Failed attempts are limited and logged by ``dashboard.signin``.
- **Command line.** ``python -m geodata import|rollback`` is always allowed: whoever runs it is an
  operator with a shell on the server, who can already write the SQLite file. The history records
  them as ``cli:<user>``.

Examples
--------
>>> require_editor("a-long-enough-token", token="a-long-enough-token")
'operator'
>>> require_editor("wrong", token="a-long-enough-token")
Traceback (most recent call last):
...
geodata.errors.DataError: the editor token is not correct
>>> editing_enabled(token=None), editing_enabled(token="short")
(False, False)
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets as _random
from collections.abc import Mapping

import pandas as pd

from geodata.errors import DataError
from geodata.store import now_utc

__all__ = ["ENV_TOKEN", "SECRET_KEY", "MIN_TOKEN_LENGTH", "OPERATOR", "editor_token", "editing_enabled",
           "require_editor", "cli_editor", "add_editor", "list_editors", "revoke_editor"]

ENV_TOKEN = "RISKMAP_EDITOR_TOKEN"
SECRET_KEY = "editor_token"
MIN_TOKEN_LENGTH = 12
#: The editor name of the environment-variable (or secret) token.
OPERATOR = "operator"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,39}$")
_UNSET = object()


def _digest(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def add_editor(store, name: str, *, by: str) -> str:
    """Add a named editor; return the new token (shown once, stored only as its SHA-256).

    ``name``: 1-40 letters, digits, ``. _ @ -``; not "operator" and not already in use (a
    revoked name cannot be reused: the history keeps meaning one person).
    """
    name = str(name or "").strip()
    if not _NAME.match(name) or name.lower() == OPERATOR:
        raise DataError("editors.bad_name", "editor name {name!r}: 1-40 letters, digits or . _ @ -, "
                        "not {operator!r}", name=name, operator=OPERATOR)
    token = _random.token_urlsafe(32)
    with store.transaction() as con:
        if con.execute("SELECT 1 FROM editors WHERE name = ?", (name,)).fetchone():
            raise DataError("editors.exists", "there is already an editor named {name!r}", name=name)
        con.execute("INSERT INTO editors (name, token_sha256, added_at) VALUES (?, ?, ?)",
                    (name, _digest(token), now_utc()))
        store.audit(con, by, "editor_add", target=name)
    return token


def list_editors(store) -> pd.DataFrame:
    """``name, added_at, revoked_at`` of every editor (never the token or its hash)."""
    return store._frame("SELECT name, added_at, revoked_at FROM editors ORDER BY name")


def revoke_editor(store, name: str, *, by: str) -> None:
    """Revoke an editor's token from now on (the name stays in the history)."""
    with store.transaction() as con:
        cur = con.execute("UPDATE editors SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                          (now_utc(), str(name)))
        if cur.rowcount == 0:
            raise DataError("editors.unknown", "no active editor named {name!r}", name=str(name))
        store.audit(con, by, "editor_revoke", target=str(name))


def _named_editors(store) -> list[tuple[str, str]]:
    if store is None:
        return []
    with store.connect() as con:
        return con.execute("SELECT name, token_sha256 FROM editors WHERE revoked_at IS NULL").fetchall()


def editor_token(secrets: Mapping | None = None) -> str | None:
    """The configured editor token: ``RISKMAP_EDITOR_TOKEN``, else ``secrets['editor_token']``.

    Returns None when neither is set or the token is shorter than ``MIN_TOKEN_LENGTH``.
    """
    token = os.environ.get(ENV_TOKEN, "").strip()
    if not token and secrets is not None:
        try:
            token = str(secrets.get(SECRET_KEY, "") or "").strip()
        except Exception:  # Streamlit raises when no secrets file exists: treat as unset
            token = ""
    return token if len(token) >= MIN_TOKEN_LENGTH else None


def editing_enabled(secrets: Mapping | None = None, *, token=_UNSET, store=None) -> bool:
    """True when an operator token is configured or ``store`` has an active named editor,
    i.e. the dashboard may offer imports."""
    token = editor_token(secrets) if token is _UNSET else token
    return (bool(token) and len(token) >= MIN_TOKEN_LENGTH) or bool(_named_editors(store))


def require_editor(given: str | None, *, secrets: Mapping | None = None, token=_UNSET, store=None) -> str:
    """The name of the editor whose token ``given`` is: "operator" for the configured token,
    else an active named editor of ``store``. Raises DataError otherwise.

    ``roles.read_only`` when no editor is configured (the safe default), ``roles.bad_token``
    when the given token matches none. ``token`` overrides the configuration (for tests).
    """
    token = editor_token(secrets) if token is _UNSET else token
    named = _named_editors(store)
    operator = bool(token) and len(token) >= MIN_TOKEN_LENGTH
    if not operator and not named:
        raise DataError("roles.read_only", "editing is disabled: no editor token is configured "
                        "(set {env} to at least {n} characters, or add an editor with "
                        "`python -m geodata editors add NAME`); the dashboard is read-only",
                        env=ENV_TOKEN, n=MIN_TOKEN_LENGTH)
    given = str(given or "")
    found = None
    if operator and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        found = OPERATOR
    digest = _digest(given)
    for name, stored in named:  # every row compared, constant time each
        if hmac.compare_digest(digest, stored) and found is None:
            found = name
    if found is None:
        raise DataError("roles.bad_token", "the editor token is not correct")
    return found


def cli_editor() -> str:
    """The name recorded for command-line imports and rollbacks: ``cli:<user>``."""
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or os.environ.get("USERNAME") or "operator"
    return f"cli:{user}"
