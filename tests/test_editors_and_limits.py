"""Named editors (hashed tokens), the sign-in lockout, the audit log, plain-text shortlists with
bounded length and limited saves, and the process caches that Streamlit's clear cannot empty."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from dashboard import dataset_editor, shared, signin
from geodata import roles
from geodata.errors import DataError
from geodata.store import Store
from geodata.store_pg import _TABLES
from geodata.usertext import NAME_MAX, NOTE_MAX
from tests.postgres import location, pg_built, pg_store  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ROOT / "tests" / "fixtures" / "fixture_homicidios_oficiales_2021_2023.csv"
HOMICIDES = dict(label_es="Homicidios (cifras oficiales)", label_en="Homicides (official figures)",
                 kind="count", dimension="violence", unit="homicidios por 100.000 habitantes")
ITEMS = pd.DataFrame({"code": ["0101"], "name": ["Ahuachapán"], "note": ["uno"]})


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, built_store, tmp_path, monkeypatch):
    """The built pack in a store of its own, on SQLite and on PostgreSQL."""
    monkeypatch.delenv(roles.ENV_TOKEN, raising=False)
    shared.clear_all()  # fresh lockout and write counters
    if request.param == "postgresql":
        yield request.getfixturevalue("pg_store")
    else:
        path = tmp_path / "riskmap.sqlite"
        shutil.copy(built_store.path, path)
        yield Store(path)
    shared.clear_all()


def stored_bytes(store) -> bytes:
    """Everything the store holds, as bytes (the SQLite file; PostgreSQL: every table's rows)."""
    if not hasattr(store, "url"):
        return store.path.read_bytes()
    with store.connect() as con:
        return repr([con.execute(f"SELECT * FROM {t}").fetchall() for t in _TABLES]).encode()


# -- named editors ----------------------------------------------------------------------------
def test_named_editor_tokens_are_stored_hashed_and_can_be_revoked(store):
    assert not roles.editing_enabled(store=store)
    token = roles.add_editor(store, "maria", by="cli:root")
    assert len(token) >= 40
    assert roles.editing_enabled(store=store)
    assert roles.require_editor(token, store=store) == "maria"
    assert token.encode() not in stored_bytes(store)
    with pytest.raises(DataError, match="already an editor"):
        roles.add_editor(store, "maria", by="cli:root")
    with pytest.raises(DataError, match="editor name"):
        roles.add_editor(store, "operator", by="cli:root")
    roles.revoke_editor(store, "maria", by="cli:root")
    with pytest.raises(DataError) as err:
        roles.require_editor(token, store=store)
    assert err.value.key == "roles.read_only"
    listed = roles.list_editors(store)
    assert list(listed["name"]) == ["maria"] and listed["revoked_at"].notna().all()
    actions = list(store.audit_log()["action"])
    assert "editor_add" in actions and "editor_revoke" in actions


def test_environment_token_is_the_operator_beside_named_editors(store, monkeypatch):
    monkeypatch.setenv(roles.ENV_TOKEN, "an-operator-token-long-enough")
    token = roles.add_editor(store, "luis", by="cli:root")
    assert roles.require_editor("an-operator-token-long-enough", store=store) == roles.OPERATOR
    assert roles.require_editor(token, store=store) == "luis"
    with pytest.raises(DataError, match="not correct"):
        roles.require_editor("an-operator-token-long-enougX", store=store)


def test_editors_command_line(store, data_root):
    env = dict(os.environ, RISKMAP_STORE=location(store), RISKMAP_DATA_ROOT=str(data_root))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "geodata", "editors", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    added = run("add", "ana")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    assert roles.require_editor(token, store=store) == "ana"
    assert "ana" in run("list").stdout and token not in run("list").stdout
    assert run("revoke", "ana").returncode == 0
    bad = run("revoke", "nobody")
    assert bad.returncode == 2 and "no active editor named 'nobody'" in bad.stderr and "Traceback" not in bad.stderr


def test_imports_and_rollbacks_record_the_editors_name(store):
    token = roles.add_editor(store, "maria", by="cli:root")
    content = OFFICIAL.read_bytes()
    dataset_editor.run_import(store, content, OFFICIAL.name, indicator="homicidios_oficiales", token=token,
                      new_indicator=HOMICIDES, dry_run=False, who=("s1", "10.0.0.1"))
    ds = store.datasets("slv")
    assert ds.loc[ds["kind"] == "import", "imported_by"].tolist() == ["maria"]
    rows = OFFICIAL.read_text(encoding="utf-8").splitlines()
    changed = "\n".join(rows[:-1] + [rows[-1].rsplit(",", 1)[0] + ",999"]) + "\n"
    dataset_editor.run_import(store, changed.encode(), "v2.csv", indicator="homicidios_oficiales", token=token,
                      dry_run=False, who=("s1", "10.0.0.1"))
    dataset_editor.run_rollback(store, "homicidios_oficiales", 1, token=token, dry_run=False, who=("s1", "10.0.0.1"))
    history = store.history("slv")
    assert set(history["by"]) == {"maria"}
    audit = store.audit_log("slv")
    assert {"import", "rollback"} <= set(audit["action"]) and "maria" in set(audit["who"])
    shown = dataset_editor.audit_display(audit, "es")
    assert "Acción" in shown.columns and "reversión" in set(shown["Acción"])


# -- lockout --------------------------------------------------------------------------------
def test_five_wrong_tokens_lock_the_session_and_the_address(store, caplog):
    token = roles.add_editor(store, "maria", by="cli:root")
    caplog.set_level(logging.WARNING, logger="riskmap.security")
    for i in range(signin.MAX_FAILURES - 1):
        with pytest.raises(DataError) as err:
            signin.sign_in(store, f"guess-{i}", who=("tab-1", "203.0.113.7"))
        assert err.value.key == "roles.bad_token"
    with pytest.raises(DataError) as err:
        signin.sign_in(store, "guess-last", who=("tab-1", "203.0.113.7"))
    assert err.value.key == "roles.locked"
    with pytest.raises(DataError) as err:  # even the right token, from the same session
        signin.sign_in(store, token, who=("tab-1", "198.51.100.1"))
    assert err.value.key == "roles.locked"
    with pytest.raises(DataError) as err:  # or from a new tab at the same address
        signin.sign_in(store, token, who=("tab-2", "203.0.113.7"))
    assert err.value.key == "roles.locked"
    assert signin.sign_in(store, token, who=("tab-3", "198.51.100.2")) == "maria"
    logged = [r.getMessage() for r in caplog.records]
    assert sum("wrong editor token" in m for m in logged) == signin.MAX_FAILURES
    assert any("locked" in m and "203.0.113.7" in m for m in logged)
    actions = store.audit_log()["action"].tolist()
    assert actions.count("sign_in_failed") == signin.MAX_FAILURES and "sign_in_locked" in actions
    assert "203.0.113.7" not in store.audit_log().to_string()  # addresses go to the operator log only


def test_limiter_window_slides():
    lim = signin.Limiter(5, 600)
    for t in range(5):
        lim.add(["k"], now=float(t))
    assert lim.wait(["k"], now=10.0) == pytest.approx(590.0)
    assert lim.wait(["k"], now=600.5) == 0.0
    assert lim.wait(["other"], now=10.0) == 0.0


def test_lockout_survives_streamlits_cache_clear(store):
    roles.add_editor(store, "maria", by="cli:root")
    for i in range(signin.MAX_FAILURES):
        with pytest.raises(DataError):
            signin.sign_in(store, f"g{i}", who=("t", "a"))
    st.cache_data.clear()
    st.cache_resource.clear()
    with pytest.raises(DataError) as err:
        signin.sign_in(store, "again", who=("t", "a"))
    assert err.value.key == "roles.locked"


# -- shortlists: plain text, bounded, limited ---------------------------------------------------
def test_shortlist_text_is_kept_as_typed_but_bounded(store):
    name = "![i](http://127.0.0.1:9/t.png) <b>x</b>"
    sid = store.save_shortlist("slv", name + "\x00", ITEMS.assign(note="**n** <i>"), scenario="k",
                               level="district", year=2023)
    meta, items = store.load_shortlist(sid)
    assert meta["name"] == name and items["note"].tolist() == ["**n** <i>"]
    with pytest.raises(DataError) as err:
        store.save_shortlist("slv", "x" * (NAME_MAX + 1), ITEMS, scenario="k", level="district", year=2023)
    assert err.value.key == "text.too_long"
    with pytest.raises(DataError, match="note, row 1"):
        store.save_shortlist("slv", "ok", ITEMS.assign(note="y" * (NOTE_MAX + 1)), scenario="k",
                             level="district", year=2023)
    with pytest.raises(DataError) as err:
        store.save_shortlist("slv", "  \x07 ", ITEMS, scenario="k", level="district", year=2023)
    assert err.value.key == "shortlist.no_name"
    assert len(store.list_shortlists("slv")) == 1


def test_shortlist_saves_are_limited_per_session_and_address(store):
    for _ in range(signin.WRITES_PER_WINDOW):
        signin.allow_write(("tab", "192.0.2.5"))
    with pytest.raises(DataError) as err:
        signin.allow_write(("tab", "192.0.2.9"))
    assert err.value.key == "limits.writes"
    with pytest.raises(DataError):
        signin.allow_write(("other-tab", "192.0.2.5"))
    signin.allow_write(("other-tab", "192.0.2.9"))


# -- caches out of reach of Streamlit's clear -------------------------------------------------
def test_memo_copies_like_cache_data_and_survives_streamlit_clear():
    calls = []

    @shared.memo(copy=True)
    def frame(n: int) -> pd.DataFrame:
        calls.append(n)
        return pd.DataFrame({"x": range(n)})

    a = frame(3)
    a.loc[0, "x"] = 99  # a caller's change stays with the caller
    st.cache_data.clear()
    st.cache_resource.clear()
    assert frame(3)["x"].tolist() == [0, 1, 2]
    assert calls == [3]
    shared.clear_all()
    frame(3)
    assert calls == [3, 3]


def test_memo_keys_tables_by_content():
    calls = []

    @shared.memo(copy=False, max_entries=2)
    def total(df: pd.DataFrame) -> float:
        calls.append(1)
        return float(df["v"].sum())

    assert total(pd.DataFrame({"v": [1.0, 2.0]})) == 3.0
    assert total(pd.DataFrame({"v": [1.0, 2.0]})) == 3.0
    assert total(pd.DataFrame({"v": [1.0, 5.0]})) == 6.0
    assert len(calls) == 2


def test_no_page_or_dashboard_module_uses_streamlits_clearable_caches():
    """Any viewer can empty ``st.cache_data`` / ``st.cache_resource`` with one websocket message:
    the app's caches must be ``dashboard.data.cache_data`` / ``cache_resource`` (``shared.memo``)."""
    import ast

    found = []
    for path in [ROOT / "app.py", *sorted((ROOT / "dashboard").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("cache_data", "cache_resource", "cache") \
                    and isinstance(node.value, ast.Name) and node.value.id == "st":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
