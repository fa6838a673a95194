"""Imports into the store: exact messages for bad files, store untouched, versions, rollback, kill -9."""
from __future__ import annotations

import contextlib
import hashlib
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geodata import config
from geodata.build import build
from geodata.errors import DataError
from geodata.importing import MAX_BYTES, datasets_table, import_file, rollback
from geodata.store import Store
from geodata.country_data import catalogue_from_store
from geodata.store_pg import _TABLES
from tests.postgres import each_engine_store, location, pg_built, pg_store  # noqa: F401 - fixtures

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OFFICIAL = FIXTURES / "fixture_homicidios_oficiales_2021_2023.csv"
HOMICIDES = dict(label_es="Homicidios (cifras oficiales)", label_en="Homicides (official figures)",
                 kind="count", dimension="violence", unit="homicidios por 100.000 habitantes")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(each_engine_store):
    """Every test here runs on SQLite and on PostgreSQL (``tests.postgres.each_engine_store``)."""
    return each_engine_store


def snapshot(store: Store) -> tuple[str, str]:
    """The store's whole content as text, and (SQLite) the sha256 of the file's bytes."""
    if hasattr(store, "url"):
        with store.connect() as con:
            dump = "\n".join(repr(sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr))
                             for t in _TABLES)
        return dump, ""
    with contextlib.closing(sqlite3.connect(store.path)) as con:
        dump = "\n".join(con.iterdump())
    return dump, hashlib.sha256(store.path.read_bytes()).hexdigest()


def _import(store, file, *, indicator="homicidios_oficiales", **kw):
    kw.setdefault("new_indicator", HOMICIDES if indicator == "homicidios_oficiales" else None)
    return import_file(store, FIXTURES / file if isinstance(file, str) else file, indicator=indicator,
                       editor="test", **kw)


# -- bad files: the exact message, and nothing changed ---------------------------------------------
BAD = [
    ("fixture_bad_municipio_desconocido.csv", {},
     ["row 3: column 'Municipio': 'Ilopngo' is not a known municipality; did you mean Ilopango (0607)?"]),
    ("fixture_bad_duplicado.csv", {},
     ["row 4: column 'Municipio': Ilopango (0607) in 2022 is already at row 2"]),
    ("fixture_bad_negativo.csv", {},
     ["row 2: column 'Homicidios': -3 is negative; a count must be 0 or more"]),
    ("fixture_bad_no_numerico.csv", {},
     ["row 3: column 'Homicidios': 'diez' is not a number"]),
    ("fixture_bad_porcentaje_mayor_100.csv",
     {"indicator": "porcentaje_prueba", "new_indicator": dict(HOMICIDES, kind="share", unit="%")},
     ["row 3: column 'Porcentaje': 140,2 is outside 0..100; a share is a percent"]),
    ("fixture_bad_anio_fuera_de_rango.csv", {},
     ["row 2: column 'Año': year 1998 is outside 2000..2024, the years with population figures"]),
    ("fixture_bad_mayor_que_poblacion.csv", {},
     ["row 2: column 'Homicidios': 50000 is above the population of San Jorge (1215) in 2022 (7770)"]),
    ("fixture_bad_falta_columna_anio.csv", {},
     ["row 1: column 'Año' is missing: add a year column, put one column per year, or give the year (--year)"]),
    ("fixture_bad_columnas_ambiguas.csv", {},
     ["row 1: several columns could hold the values: 'Homicidios', 'Lesionados'; choose one with --value-column"]),
    ("fixture_bad_extension.xls", {},
     ["fixture_bad_extension.xls: only .csv and .xlsx files can be imported, not '.xls'"]),
    ("fixture_bad_varios_problemas.csv", {}, [
        "row 2: column 'Municipio': 'Ilopngo' is not a known municipality; did you mean Ilopango (0607)?",
        "row 3: column 'Año': year 2031 is outside 2000..2024, the years with population figures",
        "row 4: column 'Homicidios': -1 is negative; a count must be 0 or more",
        "row 5: column 'Municipio': 'El Rosario' matches several municipalities (El Rosario (0704), "
        "El Rosario (0802), El Rosario (1307)); add the department or the code"]),
]


@pytest.mark.parametrize("file, kw, messages", BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_rejected_with_exact_messages_and_store_unchanged(store, file, kw, messages):
    _import(store, OFFICIAL)  # something imported already, which must survive
    before = snapshot(store)
    with pytest.raises(DataError) as err:
        _import(store, file, **kw)
    assert [p.message for p in err.value.params["problems"]] == messages
    assert snapshot(store) == before


def test_too_large_file_is_rejected(store, tmp_path):
    big = tmp_path / "fixture_grande.csv"
    with open(big, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    before = snapshot(store)
    with pytest.raises(DataError, match="above the limit of 10485760 bytes") as err:
        _import(store, big)
    assert err.value.key == "import.too_large"
    assert snapshot(store) == before


def test_pack_indicators_and_bad_definitions_are_refused(store):
    before = snapshot(store)
    with pytest.raises(DataError, match="comes from the country pack"):
        _import(store, "fixture_homicidios_utf8_bom_largo.csv", indicator="acled_events")
    with pytest.raises(DataError, match="is not defined: to define it"):
        _import(store, "fixture_homicidios_utf8_bom_largo.csv", indicator="nuevo_sin_definir")
    with pytest.raises(DataError, match="give also: kind, unit"):
        _import(store, "fixture_homicidios_utf8_bom_largo.csv", indicator="hom_x",
                new_indicator={"label_es": "a", "label_en": "b", "dimension": "violence"})
    with pytest.raises(DataError, match=r"label_es: '<b>Homicidios</b>' must be 1..200 characters"):
        _import(store, "fixture_homicidios_utf8_bom_largo.csv", indicator="hom_x",
                new_indicator=dict(HOMICIDES, label_es="<b>Homicidios</b>"))
    _import(store, OFFICIAL)
    before = snapshot(store)
    with pytest.raises(DataError, match="^indicator 'homicidios_oficiales' already exists with a different"):
        _import(store, OFFICIAL, new_indicator=dict(HOMICIDES, label_en="Other"))
    assert _import(store, OFFICIAL).status == "unchanged"  # the same definition again is fine
    with pytest.raises(DataError, match="dimension = 'context'"):
        _import(store, "fixture_homicidios_utf8_bom_largo.csv", indicator="hom_x",
                new_indicator=dict(HOMICIDES, dimension="context"))
    assert snapshot(store) == before


# -- good files ------------------------------------------------------------------------------------
GOOD = [
    ("fixture_hogares_cp1252_punto_y_coma_titulos_total.csv", dict(kind="share", unit="% de hogares",
                                                                    dimension="displacement"), {}, 5),
    ("fixture_homicidios_utf8_bom_largo.csv", {}, {}, 5),
    ("fixture_homicidios_ancho_codigos_numericos.xlsx", {}, {}, 15),
    ("fixture_nombres_con_departamento_y_antiguos.csv", {}, {"year": 2023}, 7),
    ("fixture_desplazados_municipios_2024_44.csv", dict(dimension="displacement", sensitive=True), {}, 44),
    ("fixture_homicidios_oficiales_2021_2023.csv", {}, {}, 786),
]


@pytest.mark.parametrize("file, definition, kw, n", GOOD, ids=[g[0] for g in GOOD])
def test_messy_files_import(store, file, definition, kw, n):
    rep = _import(store, file, indicator="serie_prueba", new_indicator=dict(HOMICIDES, **definition), **kw)
    assert (rep.status, rep.version, rep.added, rep.changed, rep.unchanged) == ("imported", 1, n, 0, 0)
    obs = store.observations("slv", "serie_prueba")
    assert len(obs) == n and (obs["dataset"] == "serie_prueba").all()
    ds = store.datasets("slv").set_index("name").loc["serie_prueba"]
    assert (ds["kind"], ds["status"], ds["sha256"]) == ("import", "active", hashlib.sha256(
        (FIXTURES / file).read_bytes()).hexdigest())
    assert ds["rows_stored"] + ds["rows_unmatched"] == ds["rows_read"]
    ind = catalogue_from_store(store, "slv")["serie_prueba"]
    assert ind.label_en == "Homicides (official figures)" and ind.dataset == "serie_prueba"
    assert ind.level == obs["level"].iloc[0] and ind.sensitive == bool(definition.get("sensitive"))
    origin = store.indicator_definitions("slv").set_index("id").loc["serie_prueba", "origin"]
    assert origin == "import"


def test_dry_run_writes_nothing_and_previews(store):
    before = snapshot(store)
    rep = _import(store, "fixture_homicidios_utf8_bom_largo.csv", dry_run=True)
    assert (rep.status, rep.version, rep.added) == ("dry_run", 1, 5)
    assert rep.preview["change"].tolist() == ["added"] * 5
    assert rep.preview.columns.tolist() == ["row", "unit", "name", "level", "year", "indicator", "value",
                                            "previous", "denominator", "change"]
    assert snapshot(store) == before


def test_reimport_same_file_changes_nothing(store):
    first = _import(store, OFFICIAL)
    before = snapshot(store)
    again = _import(store, OFFICIAL, new_indicator=None)
    assert (again.status, again.version, again.added, again.changed, again.unchanged) == ("unchanged", 1, 0, 0, 786)
    assert again.sha256 == first.sha256
    assert snapshot(store) == before


def test_new_version_supersedes_and_rollback_restores(store):
    _import(store, OFFICIAL)
    v1 = store.observations("slv", "homicidios_oficiales")
    dry = _import(store, "fixture_homicidios_ancho_codigos_numericos.xlsx", new_indicator=None, dry_run=True)
    assert (dry.added, dry.changed + dry.unchanged, dry.kept) == (0, 15, 786 - 15)
    rep = _import(store, "fixture_homicidios_ancho_codigos_numericos.xlsx", new_indicator=None)
    assert (rep.status, rep.version) == ("imported", 2)
    ds = datasets_table(store, "slv", kind="import")
    assert ds[["version", "status"]].values.tolist() == [[2, "active"], [1, "superseded"]]
    v2 = store.observations("slv", "homicidios_oficiales")
    assert len(v2) == 786  # the file's 15 values replace theirs; the other 771 are kept
    assert v2.set_index(["unit", "year"]).loc[("0607", 2022), "value"] == 12
    # every version is kept: both versions' rows are still in the store
    with store.connect() as con:
        assert con.execute("SELECT COUNT(*) FROM observations o JOIN datasets d ON d.id = o.dataset_id "
                           "WHERE d.name = 'homicidios_oficiales'").fetchone()[0] == 786 * 2
    back = rollback(store, "homicidios_oficiales", to_version=1, editor="test")
    assert (back.status, back.from_version, back.to_version) == ("rolled_back", 2, 1)
    assert len(back.preview) == (dry.changed)
    restored = store.observations("slv", "homicidios_oficiales")
    assert restored.drop(columns="dataset").equals(v1.drop(columns="dataset"))
    ds = datasets_table(store, "slv", kind="import")
    assert ds[["version", "status"]].values.tolist() == [[2, "rolled_back"], [1, "active"]]
    assert store.history("slv")["action"].tolist() == ["import", "supersede", "import", "rollback"]
    # a rollback can be undone, and a new import after it gets the next number
    assert rollback(store, "homicidios_oficiales", to_version=2, editor="test").status == "rolled_back"
    assert rollback(store, "homicidios_oficiales", to_version=2, editor="test").status == "unchanged"


def test_rollback_refuses_unknown_names_and_versions(store):
    _import(store, OFFICIAL)
    before = snapshot(store)
    with pytest.raises(DataError, match="^dataset 'homicidios_oficiales' has no version 3; versions: 1$"):
        rollback(store, "homicidios_oficiales", to_version=3, editor="test")
    with pytest.raises(DataError, match="^no imported dataset named 'slv_acled'; imported datasets: "
                                        "homicidios_oficiales$"):
        rollback(store, "slv_acled", to_version=0, editor="test")
    assert snapshot(store) == before


def test_rebuilding_the_pack_keeps_imports(store, data_root):
    _import(store, OFFICIAL)
    before = store.observations("slv", "homicidios_oficiales")
    build("slv", store=store, root=data_root, force=True)
    after = store.observations("slv", "homicidios_oficiales")
    assert len(after) == 786 and after.equals(before)
    assert "homicidios_oficiales" in catalogue_from_store(store, "slv")
    assert "acled_events" in catalogue_from_store(store, "slv")


# -- the command line and kill -9 ------------------------------------------------------------------
def _cli(args, store, **env):
    full_env = {**os.environ, "RISKMAP_STORE": location(store), **env}
    return subprocess.run([sys.executable, "-m", "geodata", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


NEW = ["--label-es", "Homicidios (cifras oficiales)", "--label-en", "Homicides (official figures)", "--kind",
       "count", "--dimension", "violence", "--unit", "homicidios por 100.000 habitantes"]


def test_cli_import_datasets_rollback(store):
    out = _cli(["import", str(OFFICIAL), "--indicator", "homicidios_oficiales", *NEW], store)
    assert out.returncode == 0, out.stderr
    assert "imported as version 1; 786 rows read, 786 added" in out.stdout
    out = _cli(["import", str(FIXTURES / "fixture_homicidios_ancho_codigos_numericos.xlsx"), "--indicator",
                "homicidios_oficiales"], store)
    assert out.returncode == 0 and "imported as version 2" in out.stdout
    assert "note: row 9: 'TOTAL' skipped (total row, not a municipality)" in out.stderr
    before = snapshot(store)
    out = _cli(["import", str(FIXTURES / "fixture_bad_varios_problemas.csv"), "--indicator",
                "homicidios_oficiales"], store)
    assert out.returncode == 2 and out.stdout == ""
    lines = out.stderr.splitlines()
    assert lines[0] == BAD[-1][2][0] and len(lines) == 5
    assert lines[-1] == "error: fixture_bad_varios_problemas.csv: 4 problem(s); nothing was imported"
    out = _cli(["import", str(FIXTURES / "fixture_bad_columnas_ambiguas.csv"), "--indicator",
                "homicidios_oficiales"], store)
    assert out.returncode == 2 and out.stderr.strip() == BAD[8][2][0]
    assert snapshot(store) == before
    out = _cli(["datasets", "--imports"], store)
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 3 and "superseded" in out.stdout
    out = _cli(["rollback", "homicidios_oficiales", "--to", "1"], store)
    assert out.returncode == 0 and "rolled back from version 2 to version 1" in out.stdout
    out = _cli(["rollback", "homicidios_oficiales", "--to", "9"], store)
    assert out.returncode == 2 and "has no version 9" in out.stderr


#: The command line's import, run with ``Store.supersede`` (called after the new version's rows are
#: written, before the commit) replaced by one that says so and sleeps: the pause lives in the test.
PAUSED_IMPORT = """
import sys, time
from geodata import __main__ as cli
from geodata.store import Store

def paused(con, *args, **kw):
    print("paused inside the transaction", file=sys.stderr, flush=True)
    time.sleep(120)

Store.supersede = staticmethod(paused)
sys.exit(cli.main(sys.argv[1:]))
"""


def test_import_killed_mid_transaction_leaves_store_as_before(store):
    _import(store, "fixture_homicidios_utf8_bom_largo.csv", indicator="hom_bom", new_indicator=HOMICIDES)
    before = snapshot(store)
    env = {**os.environ, "RISKMAP_STORE": location(store)}
    argv = ["import", str(OFFICIAL), "--indicator", "homicidios_oficiales", *NEW]
    proc = subprocess.Popen([sys.executable, "-c", PAUSED_IMPORT, *argv], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, seen = time.time() + 90, ""
        while "paused inside the transaction" not in seen:
            ready, _, _ = select.select([proc.stderr], [], [], max(0.0, deadline - time.time()))
            line = proc.stderr.readline() if ready else ""
            assert line, f"the import did not pause: {seen}"
            seen += line
        if not hasattr(store, "url"):  # the rows are written, uncommitted: SQLite's rollback journal
            assert Path(str(store.path) + "-journal").exists()  # holds the old pages
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(store)[0] == before[0]  # SQLite: reading rolls the hot journal back; PostgreSQL
    # aborts the dead client's transaction
    assert snapshot(store) == before       # ... to the very same bytes
    assert "homicidios_oficiales" not in set(store.observations("slv")["indicator"])
    # and the store still works
    assert _import(store, OFFICIAL).status == "imported"
