"""The PostgreSQL store against the SQLite one: same scores byte for byte, migration, the dialect."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geodata.errors import DataError
from geodata.migrate import migrate
from geodata.store_pg import pg_schema, translate
from tests.postgres import fresh_database, location, pg_built, pg_store  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ROOT / "tests" / "fixtures" / "fixture_homicidios_oficiales_2021_2023.csv"
NEW = ["--label-es", "Homicidios (cifras oficiales)", "--label-en", "Homicides (official figures)", "--kind",
       "count", "--dimension", "violence", "--unit", "homicidios por 100.000 habitantes"]


def test_translate_parameters_reserved_words_and_replace():
    [(sql, params, returns)] = translate("SELECT a FROM t WHERE b = ? AND c LIKE '5%'", (1,))
    assert sql == "SELECT a FROM t WHERE b = %s AND c LIKE '5%%'" and params == (1,) and not returns
    [(sql, _, _)] = translate("SELECT name, at, by FROM dataset_log ORDER BY id")
    assert sql == 'SELECT name, at, "by" FROM dataset_log ORDER BY id'
    [(sql, _, returns)] = translate("INSERT INTO shortlists (country) VALUES (?)", ("slv",))
    assert sql.endswith(" RETURNING id") and returns
    delete, insert = translate("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", ("k", "v"))
    assert delete == ('DELETE FROM meta WHERE "key" = %s', ("k",), False)
    assert insert[0] == 'INSERT INTO meta ("key", "value") VALUES (%s, %s)'
    delete, _ = translate("INSERT OR REPLACE INTO web_geometry VALUES (?, ?, ?, ?)", ("slv", "district", "f", "{}"))
    assert delete[1] == ("slv", "district")


def test_schema_types():
    schema = pg_schema()
    assert "AUTOINCREMENT" not in schema and " REAL" not in schema
    assert 'value DOUBLE PRECISION NOT NULL' in schema and 'country TEXT COLLATE "C" NOT NULL' in schema
    assert '"by" TEXT COLLATE "C"' in schema


def _run(module, args, store, env=None):
    out = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "RISKMAP_STORE": store, **(env or {})}, timeout=600)
    assert out.returncode == 0, out.stderr
    return out


def _build_import_score(store: str, out: Path, spec: Path) -> bytes:
    _run("geodata", ["build", "--quiet", "--country", "slv"], store)
    _run("geodata", ["import", str(OFFICIAL), "--indicator", "homicidios_oficiales", *NEW], store)
    _run("risk_model", ["score", "--year", "2023", "--spec", str(spec), "--draws", "200", "--out", str(out)], store)
    return out.read_bytes()


def test_build_import_score_same_bytes_as_sqlite(tmp_path):
    spec = tmp_path / "spec.toml"  # the default spec plus the imported indicator
    spec.write_text((ROOT / "risk_model" / "specs" / "slv_default.toml").read_text(encoding="utf-8")
                    + '\n[[indicator]]\nid = "homicidios_oficiales"\ndimension = "violence"\nlog = true\n',
                    encoding="utf-8")
    lite = _build_import_score(str(tmp_path / "s.sqlite"), tmp_path / "lite.csv", spec)
    with fresh_database() as url:
        pg = _build_import_score(url, tmp_path / "pg.csv", spec)
    assert len(lite.splitlines()) == 263
    assert pg == lite


def test_same_data_version_and_observations_as_sqlite(pg_store, built_store):
    assert pg_store.version("slv") == built_store.version("slv")
    pd.testing.assert_frame_equal(pg_store.observations("slv"), built_store.observations("slv"))
    pd.testing.assert_frame_equal(pg_store.population("slv"), built_store.population("slv"))
    pd.testing.assert_frame_equal(pg_store.indicator_definitions("slv"), built_store.indicator_definitions("slv"))


def test_shortlists_round_trip(pg_store):
    items = pd.DataFrame({"code": ["0614", "0101"], "name": ["San Salvador", "Ahuachapán"], "note": ["", "ñ <b>"]})
    first = pg_store.save_shortlist("slv", "Lista", items, scenario="slv_default", level="district", year=2023,
                                    author=" Ana <i> ")
    second = pg_store.save_shortlist("slv", "Lista", items.head(1), scenario="slv_default", level="district",
                                     year=None)
    assert second > first
    listed = pg_store.list_shortlists("slv")
    assert listed["id"].tolist() == [second, first] and listed["n"].tolist() == [1, 2]
    assert listed["author"].tolist() == ["", "Ana <i>"]  # plain text, trimmed; none given: empty
    meta, back = pg_store.load_shortlist(first)
    assert meta["name"] == "Lista" and meta["year"] == 2023 and meta["author"] == "Ana <i>"
    pd.testing.assert_frame_equal(back, items)
    with pytest.raises(KeyError):
        pg_store.load_shortlist(10 ** 9)


def test_migrate_copies_everything_once(built_store, tmp_path):
    import shutil

    from geodata.importing import import_file
    from geodata.store import Store
    from geodata.store_pg import PgStore

    path = tmp_path / "s.sqlite"
    shutil.copy(built_store.path, path)
    lite = Store(path)
    import_file(lite, OFFICIAL, indicator="homicidios_oficiales", editor="test",
                new_indicator=dict(label_es="H", label_en="H", kind="count", dimension="violence", unit="h"))
    lite.save_shortlist("slv", "A", pd.DataFrame({"code": ["0614"]}), scenario="s", level="district", year=2023)
    with fresh_database() as url:
        counts = migrate(path, url)
        pg = PgStore(url)
        assert counts["datasets"] == len(lite.datasets()) and counts["shortlists"] == 1
        assert pg.version("slv") == lite.version("slv")
        pd.testing.assert_frame_equal(pg.history("slv"), lite.history("slv"))
        by_id = lambda df: df.sort_values("id").reset_index(drop=True)  # noqa: E731 - ties in name, version
        pd.testing.assert_frame_equal(by_id(pg.datasets()), by_id(lite.datasets()))
        # ids go on after the copied ones
        assert pg.save_shortlist("slv", "B", pd.DataFrame({"code": ["0101"]}), scenario="s",
                                 level="district", year=None) == 2
        with pytest.raises(DataError, match="the store there is not empty"):
            migrate(path, url)
    with pytest.raises(DataError, match="--to must be a postgresql:// URL"):
        migrate(path, str(tmp_path / "other.sqlite"))
    with pytest.raises(DataError, match="no such store file"):
        migrate(tmp_path / "missing.sqlite", "postgresql://x@127.0.0.1/y")
