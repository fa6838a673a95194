"""Issue 16 on the PostgreSQL store: user work survives a rebuild and moves between engines,
file backups are refused with a sentence naming pg_dump, and an unreachable, read-only or
damaged database is one sentence, never a psycopg traceback."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from geodata import backups, store_pg
from geodata.build import build
from geodata.errors import DataError
from geodata.importing import import_file
from geodata.store import Store
from geodata.store_pg import RESTORE_COMMAND, PgStore, disk_error, translate
from geodata.userdata import export_user_data, import_user_data
from tests.postgres import each_engine_store, location, pg_built, pg_store  # noqa: F401 - fixtures

from tests.test_store_recovery import HOMICIDES, ITEMS, OFFICIAL, ROOT  # the same files and list as on SQLite


@pytest.fixture
def store(each_engine_store):
    """Every test here runs on SQLite and on PostgreSQL (``tests.postgres.each_engine_store``)."""
    return each_engine_store


def user_work(store) -> None:
    """An import and a shortlist, as an editor and a viewer make them."""
    import_file(store, OFFICIAL, indicator="homicidios_oficiales", editor="ana", new_indicator=HOMICIDES)
    store.save_shortlist("slv", "<b>junio</b>", ITEMS, scenario="k", level="district", year=2023, by="ana")


def imported(store) -> pd.DataFrame:
    ds = store.datasets("slv")
    return ds[ds["kind"] == "import"][["name", "version", "sha256", "imported_by", "status"]].reset_index(drop=True)


def cli(*args, store_location: str, data_root: Path):
    env = dict(os.environ, RISKMAP_STORE=store_location, RISKMAP_DATA_ROOT=str(data_root))
    return subprocess.run([sys.executable, "-m", "geodata", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


# -- the same user-work guarantees on both engines ---------------------------------------------
def test_forced_rebuild_keeps_user_work_and_the_audit_log(store, data_root):
    user_work(store)

    def user_rows():
        with store.connect() as con:
            return [con.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                    for t in ("shortlists", "audit_log", "dataset_log")]
    before = user_rows()
    with store.connect() as con:
        con.execute("DELETE FROM population")  # a derived table lost
    assert build("slv", store=store, root=data_root, force=True)["changed"]
    assert user_rows() == before
    assert len(store.population("slv")) > 0
    log = store.audit_log("slv")
    assert {"import", "shortlist_save"} <= set(log["action"]) and set(log["who"]) == {"ana"}


def test_user_data_moves_between_sqlite_and_postgresql(built_store, pg_store, tmp_path):
    lite_path = tmp_path / "riskmap.sqlite"
    shutil.copy(built_store.path, lite_path)
    lite = Store(lite_path)
    user_work(lite)
    out = tmp_path / "from_sqlite.json"
    export_user_data(lite, out)
    added = import_user_data(pg_store, out, by="operator")
    assert added["datasets"] == 1 and added["shortlists"] == 1 and added["indicators"] == 1
    assert imported(pg_store).equals(imported(lite))
    a = lite.observations("slv").query("dataset == 'homicidios_oficiales'").reset_index(drop=True)
    b = pg_store.observations("slv").query("dataset == 'homicidios_oficiales'").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert pg_store.version("slv") == lite.version("slv")
    again = import_user_data(pg_store, out, by="operator")  # NULL year, same text: found, not added
    assert again["datasets"] == 0 and again["shortlists"] == 0 and again["audit_log"] == 0
    back_path = tmp_path / "back.sqlite"
    shutil.copy(built_store.path, back_path)
    back = Store(back_path)
    export_user_data(pg_store, tmp_path / "from_pg.json")
    import_user_data(back, tmp_path / "from_pg.json", by="operator")
    assert imported(back).equals(imported(lite))
    meta, items = back.load_shortlist(int(back.list_shortlists("slv")["id"].iloc[0]))
    assert meta["name"] == "<b>junio</b>" and list(items["note"]) == ["uno", "dos"]


# -- PostgreSQL: backups are pg_dump's, problems are sentences ---------------------------------
def test_file_backups_are_refused_naming_pg_dump(pg_store):
    with pytest.raises(DataError) as err:
        backups.make_backup(pg_store, "manual")
    assert err.value.key == "backup.postgresql"
    assert "pg_dump" in str(err.value) and "pg_restore" in str(err.value)
    with pytest.raises(DataError):
        backups.make_backup(pg_store, "manual", out=Path("x.sqlite"))
    user_work(pg_store)  # after_change takes no file backup and raises nothing
    assert backups.after_change(pg_store, "x") is None and backups.daily(pg_store) is None


def test_backup_and_restore_commands_say_pg_dump_without_the_password(pg_store, data_root):
    url = pg_store.url.replace("://riskmap@", "://riskmap:s3cret-pw@")  # trust auth ignores the password
    for args in (["backup"], ["restore", "--latest"]):
        run = cli(*args, store_location=url, data_root=data_root)
        assert run.returncode == 2, run.stdout
        lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and "pg_dump" in lines[0] and "pg_restore" in lines[0], run.stderr
        assert "s3cret-pw" not in run.stderr and "Traceback" not in run.stderr


def test_read_only_database_says_so_and_keeps_serving_reads(pg_store):
    with psycopg.connect(pg_store.url, autocommit=True) as con:
        con.execute(f'ALTER DATABASE "{pg_store.url.rsplit("/", 1)[1]}" SET default_transaction_read_only = on')
    ro = PgStore(pg_store.url)  # opens: the tables exist, nothing to create
    assert len(ro.observations("slv")) > 0
    with pytest.raises(DataError) as err:
        ro.save_shortlist("slv", "A", ITEMS, scenario="k", level="district", year=2023)
    assert err.value.key == "store.read_only" and "read-only" in str(err.value)
    assert ro.list_shortlists("slv").empty


def test_unreachable_server_is_one_sentence(data_root):
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://riskmap:pw@127.0.0.1:{port}/riskmap"
    with pytest.raises(DataError) as err:
        PgStore(url)
    assert err.value.key == "store.unreachable" and "pw@" not in str(err.value)
    run = cli("check", store_location=url, data_root=data_root)
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert run.returncode == 2 and len(lines) == 1 and "cannot be reached" in lines[0], run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("error, key", [
    (psycopg.errors.DataCorrupted("invalid page in block 7 of relation base/16384/16385"), "store.damaged"),
    (psycopg.errors.IndexCorrupted("index \"observations_pkey\" contains unexpected zero page"), "store.damaged"),
    (psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"), "store.read_only"),
    (psycopg.errors.InsufficientPrivilege("permission denied for table shortlists"), "store.read_only"),
    (psycopg.errors.DiskFull("could not extend file: No space left on device"), "store.full"),
    (psycopg.errors.UniqueViolation("duplicate key value"), None),  # a bug, not the operator's: raised as is
])
def test_postgresql_errors_become_the_store_sentences(error, key):
    said = disk_error(error, "postgresql://riskmap@db/riskmap")
    assert (said.key if said else None) == key
    if key == "store.damaged":
        assert RESTORE_COMMAND in str(said) and str(error) in str(said)


def test_integrity_check_reads_every_table_and_reports_a_damaged_page(pg_store, monkeypatch):
    read, real = [], store_pg._Connection.execute

    def execute(self, sql, params=()):
        read.append(sql)
        if damaged and sql == "SELECT COUNT(*) FROM observations":
            raise psycopg.errors.DataCorrupted("invalid page in block 3 of relation base/16384/16385")
        return real(self, sql, params)
    monkeypatch.setattr(store_pg._Connection, "execute", execute)
    damaged = False
    assert pg_store.integrity_problem() is None
    assert {f"SELECT COUNT(*) FROM {t}" for t in store_pg._TABLES} <= set(read)
    damaged = True
    assert pg_store.integrity_problem() == "invalid page in block 3 of relation base/16384/16385"


def test_translate_insert_or_ignore_and_null_safe_equality():
    [(sql, params, returns)] = translate("INSERT OR IGNORE INTO indicators (country, id) VALUES (?, ?)", ("a", "b"))
    assert sql == "INSERT INTO indicators (country, id) VALUES (%s, %s) ON CONFLICT DO NOTHING" and not returns
    [(sql, _, _)] = translate('SELECT 1 FROM shortlists WHERE "year" IS ? AND name IS ?', (None, "x"))
    assert sql == 'SELECT 1 FROM shortlists WHERE "year" IS NOT DISTINCT FROM %s AND name IS NOT DISTINCT FROM %s'
