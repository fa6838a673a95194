"""Backups, restore, the integrity check, user-data export/import, and disk errors as sentences.

Every test works on a copy of the session's built store in a temporary folder (its backups go
to ``backups/`` beside the copy). The acceptance case runs the commands as an operator does.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from geodata import backups, sqlite_admin
from geodata.build import build
from geodata.errors import DataError
from geodata.importing import import_file
from geodata.store import Store
from geodata.userdata import export_user_data, import_user_data

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ROOT / "tests" / "fixtures" / "fixture_homicidios_oficiales_2021_2023.csv"
HOMICIDES = dict(label_es="Homicidios (cifras oficiales)", label_en="Homicides (official figures)",
                 kind="count", dimension="violence", unit="homicidios por 100.000 habitantes")
ITEMS = pd.DataFrame({"code": ["0101", "0102"], "name": ["Ahuachapán", "Apaneca"], "note": ["uno", "dos"]})


@pytest.fixture
def store(built_store, tmp_path, monkeypatch):
    monkeypatch.delenv(backups.ENV_DIR, raising=False)
    monkeypatch.delenv(backups.ENV_KEEP, raising=False)
    path = tmp_path / "riskmap.sqlite"
    shutil.copy(built_store.path, path)
    return Store(path)


def imported(store: Store) -> pd.DataFrame:
    ds = store.datasets("slv")
    return ds[ds["kind"] == "import"].reset_index(drop=True)


def truncate_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def cli(module: str, *args, store: Path, data_root: Path, **env):
    full = dict(os.environ, RISKMAP_STORE=str(store), RISKMAP_DATA_ROOT=str(data_root), **env)
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=600)


# -- acceptance: a damaged store, one sentence, restore --latest brings everything back -----------
def test_truncated_store_names_the_restore_command_and_restore_brings_back_user_work(store, data_root, tmp_path):
    import_file(store, OFFICIAL, indicator="homicidios_oficiales", editor="ana", new_indicator=HOMICIDES)
    store.save_shortlist("slv", "Lista de junio", ITEMS, scenario="k", level="district", year=2023)
    truncate_half(store.path)
    out = tmp_path / "scores.csv"
    for module, args in (("geodata", ["check"]), ("risk_model", ["score", "--out", str(out)])):
        run = cli(module, *args, store=store.path, data_root=data_root)
        assert run.returncode != 0, (module, run.stdout)
        lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1, (module, run.stderr)
        assert "python -m geodata restore --latest" in lines[0] and "damaged" in lines[0]
        assert "Traceback" not in run.stderr + run.stdout
    run = cli("geodata", "restore", "--latest", store=store.path, data_root=data_root)
    assert run.returncode == 0, run.stderr
    back = Store(store.path)
    assert list(imported(back)["name"]) == ["homicidios_oficiales"]
    assert list(back.list_shortlists("slv")["name"]) == ["Lista de junio"]
    assert list(store.path.parent.glob("riskmap.sqlite.replaced-*")), "the damaged file is kept aside"
    run = cli("risk_model", "score", "--out", str(out), store=store.path, data_root=data_root)
    assert run.returncode == 0, run.stderr
    assert len(pd.read_csv(out)) == 262


def test_damaged_store_is_refused_on_open_with_the_sentence(store):
    truncate_half(store.path)
    with pytest.raises(DataError) as err:
        Store(store.path)
    assert err.value.key == "store.damaged"
    assert sqlite_admin.RESTORE_COMMAND in str(err.value)


def test_intact_store_passes_and_garbage_file_fails_the_check(store, tmp_path):
    assert store.integrity_problem() is None
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    assert sqlite_admin.quick_check(junk) is not None


# -- backups after each change, rotation, daily ----------------------------------------------
def test_each_user_change_leaves_a_backup_holding_it(store):
    assert backups.list_backups(store.path) == []
    import_file(store, OFFICIAL, indicator="homicidios_oficiales", editor="ana", new_indicator=HOMICIDES)
    after_import = backups.latest(store.path)
    assert after_import is not None and after_import.name.endswith("-import.sqlite")
    assert list(imported(Store(after_import))["name"]) == ["homicidios_oficiales"]
    store.save_shortlist("slv", "A", ITEMS, scenario="k", level="district", year=2023)
    assert backups.latest(store.path).name.endswith("-shortlist.sqlite")
    rows = OFFICIAL.read_text(encoding="utf-8").splitlines()
    changed = "\n".join(rows[:-1] + [rows[-1].rsplit(",", 1)[0] + ",999"]) + "\n"
    import_file(store, changed.encode("utf-8"), filename="v2.csv", indicator="homicidios_oficiales", editor="ana")
    store.rollback("slv", "homicidios_oficiales", 1, by="ana")
    newest = Store(backups.latest(store.path))
    assert backups.latest(store.path).name.endswith("-rollback.sqlite")
    active = imported(newest).query("status == 'active'")
    assert list(active["version"]) == [1]
    assert list(newest.list_shortlists("slv")["name"]) == ["A"]


def test_only_the_newest_backups_are_kept(store, monkeypatch):
    monkeypatch.setenv(backups.ENV_KEEP, "3")
    for i in range(5):
        store.save_shortlist("slv", f"L{i}", ITEMS, scenario="k", level="district", year=2023)
    kept = backups.list_backups(store.path)
    assert len(kept) == 3
    assert Store(kept[-1]).list_shortlists("slv")["name"].iloc[0] == "L4"
    monkeypatch.setenv(backups.ENV_KEEP, "0")
    with pytest.raises(DataError, match="RISKMAP_BACKUP_KEEP"):
        backups.keep_count()


def test_daily_backup_at_most_once_a_day(store):
    first = backups.daily(store)
    assert first is not None
    assert backups.daily(store) is None
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1, minutes=1)
    assert backups.daily(store, now=tomorrow) is not None
    assert len(backups.list_backups(store.path)) == 2


def test_backup_command_and_restore_of_a_named_file(store, data_root, tmp_path):
    out = tmp_path / "copy.sqlite"
    run = cli("geodata", "backup", "--out", str(out), store=store.path, data_root=data_root)
    assert run.returncode == 0, run.stderr
    assert sqlite_admin.quick_check(out) is None
    store.save_shortlist("slv", "después", ITEMS, scenario="k", level="district", year=2023)
    run = cli("geodata", "restore", str(out), store=store.path, data_root=data_root)
    assert run.returncode == 0, run.stderr
    assert Store(store.path).list_shortlists("slv").empty


def test_restore_refuses_missing_and_damaged_backups(store, data_root, tmp_path):
    run = cli("geodata", "restore", "--latest", store=store.path, data_root=data_root)
    assert run.returncode == 2 and "no backup" in run.stderr and "Traceback" not in run.stderr
    bad = tmp_path / "bad.sqlite"
    shutil.copy(store.path, bad)
    truncate_half(bad)
    before = store.path.read_bytes()
    run = cli("geodata", "restore", str(bad), store=store.path, data_root=data_root)
    assert run.returncode == 2 and "damaged" in run.stderr and "Traceback" not in run.stderr
    assert store.path.read_bytes() == before


def test_failed_backup_is_logged_and_the_change_kept(store, monkeypatch, caplog):
    monkeypatch.setenv(backups.ENV_DIR, str(store.path))  # a file, not a folder: the copy fails
    store.save_shortlist("slv", "A", ITEMS, scenario="k", level="district", year=2023)
    assert list(store.list_shortlists("slv")["name"]) == ["A"]
    assert any("backup after shortlist failed" in r.getMessage() for r in caplog.records)


# -- derived tables rebuilt without touching user data ---------------------------------------
def test_forced_rebuild_keeps_imports_shortlists_and_the_audit_log(store, data_root):
    import_file(store, OFFICIAL, indicator="homicidios_oficiales", editor="ana", new_indicator=HOMICIDES)
    store.save_shortlist("slv", "A", ITEMS, scenario="k", level="district", year=2023, by="ana")

    def user_rows():
        with store.connect() as con:
            return [con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                    for t in ("shortlists", "audit_log", "dataset_log")] + \
                   [con.execute("SELECT * FROM observations o JOIN datasets d ON d.id = o.dataset_id "
                                "WHERE d.kind = 'import' ORDER BY 1, 2, 3, 4, 5").fetchall()]
    before = user_rows()
    with store.connect() as con:
        con.execute("DELETE FROM population")  # a derived table lost
    out = build("slv", store=store, root=data_root, force=True)
    assert out["changed"]
    assert user_rows() == before
    assert len(store.population("slv")) > 0


# -- portable user data --------------------------------------------------------------------
def test_user_data_export_and_import_round_trip(store, built_store, tmp_path):
    import_file(store, OFFICIAL, indicator="homicidios_oficiales", editor="ana", new_indicator=HOMICIDES)
    store.save_shortlist("slv", "<b>x</b>", ITEMS, scenario="k", level="district", year=2023, by="ana")
    out = tmp_path / "user.json"
    counts = export_user_data(store, out)
    assert counts["datasets"] == 1 and counts["shortlists"] == 1 and counts["audit_log"] >= 1
    fresh_path = tmp_path / "fresh" / "riskmap.sqlite"
    fresh_path.parent.mkdir()
    shutil.copy(built_store.path, fresh_path)
    fresh = Store(fresh_path)
    added = import_user_data(fresh, out, by="operator")
    assert added["datasets"] == 1 and added["shortlists"] == 1 and added["indicators"] == 1
    assert imported(fresh)[["name", "version", "sha256", "imported_by", "status"]].equals(
        imported(store)[["name", "version", "sha256", "imported_by", "status"]])
    a = store.observations("slv").query("dataset == 'homicidios_oficiales'").reset_index(drop=True)
    b = fresh.observations("slv").query("dataset == 'homicidios_oficiales'").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    _, items = fresh.load_shortlist(int(fresh.list_shortlists("slv")["id"].iloc[0]))
    assert list(items["note"]) == ["uno", "dos"]
    again = import_user_data(fresh, out, by="operator")
    assert again["datasets"] == 0 and again["shortlists"] == 0 and again["dataset_log"] == 0


def test_user_data_import_refuses_other_files_and_conflicts(store, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(DataError, match="not a user-data file"):
        import_user_data(store, bad, by="x")
    import_file(store, OFFICIAL, indicator="homicidios_oficiales", editor="ana", new_indicator=HOMICIDES)
    out = tmp_path / "user.json"
    export_user_data(store, out)
    text = out.read_text(encoding="utf-8")
    sha = imported(store)["sha256"].iloc[0]
    out.write_text(text.replace(sha, "0" * 64), encoding="utf-8")
    with pytest.raises(DataError, match="already stored from another file"):
        import_user_data(store, out, by="x")


# -- read-only store and full disk: sentences, and reads go on --------------------------------
def _opening(uri: str, pragma: str | None = None):
    """A replacement for ``Store._open``: the file opened through ``uri`` (read-only, ...), then
    ``pragma``; ``Store.connect`` turns what SQLite raises into sentences as for the real file."""
    def open_():
        con = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
        if pragma:
            con.execute(pragma)
        return con
    return open_


def test_read_only_store_says_so_and_keeps_serving_reads(store, monkeypatch):
    monkeypatch.setattr(store, "_open", _opening(f"file:{store.path}?mode=ro"))
    assert len(store.observations("slv")) > 0
    with pytest.raises(DataError) as err:
        store.save_shortlist("slv", "A", ITEMS, scenario="k", level="district", year=2023)
    assert err.value.key == "store.read_only" and "read-only" in str(err.value)


def test_full_disk_says_so_and_keeps_serving_reads(store, monkeypatch):
    with store.connect() as con:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
    monkeypatch.setattr(store, "_open", _opening(f"file:{store.path}", f"PRAGMA max_page_count = {pages}"))
    with pytest.raises(DataError) as err:
        import_file(store, OFFICIAL, indicator="homicidios_oficiales", editor="ana", new_indicator=HOMICIDES)
    assert err.value.key == "store.full" and "full" in str(err.value)
    assert imported(store).empty
    assert len(store.observations("slv")) > 0


def test_a_write_killed_midway_is_rolled_back_on_the_next_open(store, data_root):
    """A process killed inside a write leaves a hot journal: the next open rolls it back (the
    store is as before the write) instead of refusing the file."""
    before = len(store.datasets("slv"))
    code = (f"import os, sqlite3\ncon = sqlite3.connect({str(store.path)!r}, isolation_level=None)\n"
            "con.execute('PRAGMA cache_size=1')\ncon.execute('BEGIN IMMEDIATE')\n"
            "con.execute('DELETE FROM observations')\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    journal = store.path.with_name(store.path.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0, "the killed write left no hot journal"
    assert sqlite_admin.quick_check(store.path) is None
    again = Store(store.path)
    assert len(again.datasets("slv")) == before
    run = cli("geodata", "check", "--country", "slv", store=store.path, data_root=data_root)
    assert run.returncode == 0, run.stderr
