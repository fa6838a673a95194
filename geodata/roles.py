"""Who may change the store: editor rights for imports and rollbacks.

The public view is read-only. Imports and rollbacks change what every user sees, so they need
editor rights:

- **Dashboard.** An editor types the editor token; the page calls ``require_editor(given,
  secrets=st.secrets)`` before ``import_file`` or ``rollback``. The token is read from the
  environment variable ``RISKMAP_EDITOR_TOKEN`` or, when that is unset, from the Streamlit secret
  ``editor_token``. The comparison is constant-time (``hmac.compare_digest``).
- **Safe default.** When no token is configured (or it is shorter than ``MIN_TOKEN_LENGTH``
  characters, which counts as not configured), editing from the dashboard is *disabled*: the Data
  page shows history and dry runs only, and ``require_editor`` raises ``roles.read_only``.
- **Command line.** ``python -m geodata import|rollback`` is always allowed: whoever runs it is an
  operator with a shell on the server, who can already write the SQLite file. The history records
  them as ``cli:<user>``.

Examples
--------
>>> require_editor("a-long-enough-token", token="a-long-enough-token")
>>> require_editor("wrong", token="a-long-enough-token")
Traceback (most recent call last):
...
geodata.errors.DataError: the editor token is not correct
>>> editing_enabled(token=None), editing_enabled(token="short")
(False, False)
"""
from __future__ import annotations

import hmac
import os
from collections.abc import Mapping

from geodata.errors import DataError

__all__ = ["ENV_TOKEN", "SECRET_KEY", "MIN_TOKEN_LENGTH", "editor_token", "editing_enabled",
           "require_editor", "cli_editor"]

ENV_TOKEN = "RISKMAP_EDITOR_TOKEN"
SECRET_KEY = "editor_token"
MIN_TOKEN_LENGTH = 12
_UNSET = object()


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


def editing_enabled(secrets: Mapping | None = None, *, token=_UNSET) -> bool:
    """True when an editor token is configured, i.e. the dashboard may offer imports."""
    token = editor_token(secrets) if token is _UNSET else token
    return bool(token) and len(token) >= MIN_TOKEN_LENGTH


def require_editor(given: str | None, *, secrets: Mapping | None = None, token=_UNSET) -> None:
    """Raise DataError unless ``given`` equals the configured editor token.

    ``roles.read_only`` when no token is configured (the safe default), ``roles.bad_token``
    when the given one differs. ``token`` overrides the configuration (for tests).
    """
    token = editor_token(secrets) if token is _UNSET else token
    if not editing_enabled(token=token):
        raise DataError("roles.read_only", "editing is disabled: no editor token is configured "
                        "(set {env} to at least {n} characters); the dashboard is read-only",
                        env=ENV_TOKEN, n=MIN_TOKEN_LENGTH)
    if not hmac.compare_digest(str(given or "").encode("utf-8"), token.encode("utf-8")):
        raise DataError("roles.bad_token", "the editor token is not correct")


def cli_editor() -> str:
    """The name recorded for command-line imports and rollbacks: ``cli:<user>``."""
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or os.environ.get("USERNAME") or "operator"
    return f"cli:{user}"
