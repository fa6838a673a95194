"""Editor rights (safe default: read-only dashboard) and small-count suppression."""
from __future__ import annotations

import pytest

from geodata.errors import DataError
from geodata.roles import ENV_TOKEN, cli_editor, editing_enabled, editor_token, require_editor
from geodata.suppression import mask_derived, suppress

TOKEN = "correct-horse-battery"


def test_no_token_configured_means_read_only(monkeypatch):
    monkeypatch.delenv(ENV_TOKEN, raising=False)
    assert editor_token() is None and not editing_enabled()
    with pytest.raises(DataError, match="editing is disabled") as err:
        require_editor("anything")
    assert err.value.key == "roles.read_only"


def test_short_token_counts_as_not_configured(monkeypatch):
    monkeypatch.setenv(ENV_TOKEN, "1234")
    assert not editing_enabled()
    with pytest.raises(DataError, match="editing is disabled"):
        require_editor("1234")


def test_token_from_environment_or_secrets(monkeypatch):
    monkeypatch.setenv(ENV_TOKEN, TOKEN)
    require_editor(TOKEN)
    for wrong in ("", None, TOKEN + " ", TOKEN.upper()):
        with pytest.raises(DataError, match="^the editor token is not correct$"):
            require_editor(wrong)
    monkeypatch.delenv(ENV_TOKEN)
    secrets = {"editor_token": TOKEN}
    assert editor_token(secrets) == TOKEN
    require_editor(TOKEN, secrets=secrets)
    with pytest.raises(DataError, match="not correct"):
        require_editor("nope", secrets=secrets)


def test_secrets_that_raise_count_as_unset(monkeypatch):
    class NoSecrets:
        def get(self, *a):
            raise FileNotFoundError("no secrets.toml")

    monkeypatch.delenv(ENV_TOKEN, raising=False)
    assert editor_token(NoSecrets()) is None


def test_cli_editor_name(monkeypatch):
    monkeypatch.setenv("USER", "ana")
    assert cli_editor() == "cli:ana"


def test_suppress_small_counts_in_public_mode():
    assert suppress([0, 1, 4, 5, None]) == [0.0, "<5", "<5", 5.0, pytest.approx(float("nan"), nan_ok=True)]
    assert suppress([2, 9], threshold=10) == ["<10", "<10"]
    assert suppress([2, 9], public=False) == [2.0, 9.0]
    assert mask_derived([12.5, 3.0, 80.0], counts=[2, 0, 9]) == [None, 3.0, 80.0]
    assert mask_derived([12.5], counts=[2], public=False) == [12.5]
