"""Data and Methodology pages, the import and rollback helpers they call: AppTest and unit tests.

Every test that can write works on a copy of the store (``RISKMAP_STORE`` -> tmp path) and clears
Streamlit's caches around it, so the session's built store is never modified.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import data_report, dataset_editor, shared, text
from dashboard.i18n import messages
from geodata.errors import DataError
from geodata.store import Store
from geodata.validation import MESSAGES
from tests.test_dashboard_trends import page, texts

FIXTURES = Path(__file__).resolve().parent / "fixtures"
OFFICIAL = FIXTURES / "fixture_homicidios_oficiales_2021_2023.csv"
TOKEN = "a-long-enough-editor-token"
NEW = dict(label_es="Homicidios (cifras oficiales)", label_en="Homicides (official figures)", kind="count",
           dimension="violence", unit="homicidios por 100.000 habitantes", direction=1, sensitive=False)


@pytest.fixture()
def store_copy(built_store, tmp_path, monkeypatch):
    """A copy of the built store behind RISKMAP_STORE, with fresh dashboard caches."""
    path = tmp_path / "copy.sqlite"
    shutil.copy(built_store.path, path)
    monkeypatch.setenv("RISKMAP_STORE", str(path))
    shared.clear_all()
    yield Store(path)
    shared.clear_all()


@pytest.fixture()
def editor(monkeypatch):
    monkeypatch.setenv("RISKMAP_EDITOR_TOKEN", TOKEN)
    return TOKEN


@pytest.fixture()
def read_only(monkeypatch):
    monkeypatch.delenv("RISKMAP_EDITOR_TOKEN", raising=False)


def data_page(store, monkeypatch, lang="es", level=None):
    return page(store, monkeypatch, "data", lang=lang, level=level)


@pytest.mark.parametrize("lang, title", [("es", "Datos"), ("en", "Data")])
@pytest.mark.parametrize("level", ["district", "department"])
def test_data_page_read_only_without_token(store_copy, read_only, monkeypatch, lang, title, level):
    at = data_page(store_copy, monkeypatch, lang, level)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [title] and not at.error
    assert len(at.tabs) == 9  # ... history, audit, validation
    assert len(at.dataframe) >= 4  # coverage, diagnostics, unmatched, datasets
    assert any("ACLED" in m.value and "CC BY 4.0" not in m.value for m in at.markdown)  # sources
    assert "RISKMAP_EDITOR_TOKEN" in texts(at)
    assert not at.text_input  # no token field, no import or rollback controls
    assert {b.key for b in at.button} == {"audit_run", "validate_run"}  # only the on-demand analyses


def test_data_page_with_token_offers_import(store_copy, editor, monkeypatch):
    at = data_page(store_copy, monkeypatch, "en")
    assert not at.exception, at.exception
    assert at.text_input(key="data_token").label == "Editor token"
    assert at.selectbox(key="data_indicator").value == "__new__"
    assert any("Choose a file" in i.value for i in at.info)
    assert at.text_input(key="data_new_id") is not None


def test_import_through_the_page_helper_then_history_and_rollback(store_copy, editor, monkeypatch):
    content = OFFICIAL.read_bytes()
    with pytest.raises(DataError, match="not correct"):
        dataset_editor.run_import(store_copy, content, OFFICIAL.name, indicator="homicidios_oficiales", token="wrong",
                          new_indicator=dataset_editor.new_indicator_options(NEW))
    dry = dataset_editor.run_import(store_copy, content, OFFICIAL.name, indicator="homicidios_oficiales", token=TOKEN,
                            new_indicator=dataset_editor.new_indicator_options(NEW), dry_run=True)
    assert (dry.status, dry.added, dry.changed) == ("dry_run", 786, 0)
    assert "homicidios_oficiales" not in set(store_copy.observations("slv")["indicator"])
    shown = dataset_editor.import_preview_display(dry, "es")
    assert len(shown) == 786 and set(shown["Cambio"]) == {"nuevo"}
    done = dataset_editor.run_import(store_copy, content, OFFICIAL.name, indicator="homicidios_oficiales", token=TOKEN,
                             new_indicator=dataset_editor.new_indicator_options(NEW), dry_run=False)
    assert (done.status, done.version) == ("imported", 1)
    changed = content.replace(b"2021,11", b"2021,12", 1)
    v2 = dataset_editor.run_import(store_copy, changed, "v2.csv", indicator="homicidios_oficiales", token=TOKEN,
                           dry_run=False)
    assert (v2.version, v2.changed) == (2, 1)

    at = data_page(store_copy, monkeypatch, "es")
    assert not at.exception, at.exception
    assert at.selectbox(key="data_rb_name").value == "homicidios_oficiales"
    # the new indicator is offered for the next import, and the trends page shows it
    assert any("(homicidios_oficiales)" in o for o in at.selectbox(key="data_indicator").options)
    at.selectbox(key="data_rb_version").set_value(1)
    at.text_input(key="data_rb_token").input(TOKEN)
    at.button(key="data_rb_preview").click().run()
    assert not at.exception, at.exception
    assert any("1 valores cambiarían" in c.value for c in at.caption)
    at.button(key="data_rb_confirm").click().run()
    assert not at.exception, at.exception
    ds = store_copy.datasets("slv").set_index(["name", "version"])
    assert ds.at[("homicidios_oficiales", 1), "status"] == "active"
    assert ds.at[("homicidios_oficiales", 2), "status"] == "rolled_back"
    assert any("versión 1 está activa" in s.value for s in at.success)

    tr = page(store_copy, monkeypatch, "trends", lang="en")
    tr.selectbox(key="trends_indicator").set_value("homicidios_oficiales").run()
    assert not tr.exception, tr.exception


def test_rollback_with_wrong_token_is_refused_in_the_language(store_copy, editor, monkeypatch):
    dataset_editor.run_import(store_copy, OFFICIAL.read_bytes(), OFFICIAL.name, indicator="homicidios_oficiales",
                      token=TOKEN, new_indicator=dataset_editor.new_indicator_options(NEW), dry_run=False)
    at = data_page(store_copy, monkeypatch, "en")
    at.text_input(key="data_rb_token").input("nope")
    at.button(key="data_rb_preview").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["The editor token is not correct"]


def test_rejected_file_lists_every_problem_translated(store_copy, editor):
    bad = FIXTURES / "fixture_bad_varios_problemas.csv"
    with pytest.raises(DataError) as info:
        dataset_editor.run_import(store_copy, bad.read_bytes(), bad.name, indicator="serie_mala", token=TOKEN,
                          new_indicator=dataset_editor.new_indicator_options(NEW))
    es, en = dataset_editor.problems_table(info.value, "es"), dataset_editor.problems_table(info.value, "en")
    assert len(es) == len(en) >= 3 and list(es.columns) == ["row", "column", "value", "problem"]
    assert all(p.startswith("fila") for p in es["problem"]), es["problem"].tolist()
    assert all(p.startswith("row") for p in en["problem"])


def test_every_validation_message_is_translated_with_its_placeholders():
    from dashboard.i18n import placeholders

    for lang in ("es", "en"):
        table = messages(lang)
        for key, english in list(MESSAGES.items()) + [("roles.read_only", "{env} {n}"), ("roles.bad_token", "")]:
            assert key in table, (lang, key)
            assert placeholders(table[key]) == placeholders(english), (lang, key)


def test_new_indicator_options_and_read_only_helper(store_copy, read_only):
    assert dataset_editor.new_indicator_options({"label_es": " ", "unit": ""}) is None
    opts = dataset_editor.new_indicator_options(dict(NEW, label_es="  Homicidios  "))
    assert opts["label_es"] == "Homicidios" and opts["kind"] == "count"
    with pytest.raises(DataError, match="read-only"):
        dataset_editor.run_import(store_copy, OFFICIAL.read_bytes(), OFFICIAL.name, indicator="x_y_z", token=TOKEN)


def test_data_tables(model_data, built_store, pack):
    cov = data_report.coverage_matrix(model_data.observations, model_data.catalogue, "en",
                                 {"district": "262 districts"})
    row = cov.loc[(model_data.catalogue["acled_events"].label("en"), "262 districts")]
    bare = data_report.coverage_matrix(model_data.observations, model_data.catalogue, "en")
    assert set(bare.index.get_level_values(1)) == {"district", "municipio_2024"}  # codes without names
    assert row[[str(y) for y in range(2018, 2025)]].gt(200).all() and row["2007"] == 0
    assert "2007" in cov.columns and "1990" not in cov.columns  # national series left out
    src = data_report.sources_table(pack, "es")
    assert {"Licencia", "Atribución"} <= set(src.columns) and len(src) == len(pack.sources)
    un = data_report.unmatched_report(built_store.unmatched("slv"), "es")
    assert un["explanation"].notna().all() and not (un["explanation"] == un["reason"]).all()
    diag, values = data_report.diagnostics(model_data, ["acled_fatalities", "lapop_extortion_victim",
                                                   "census2024_emigrants_insecurity"], year=2023, window=3)
    assert set(diag["indicator"]) == set(values) and diag["coverage"].between(0, 1).all()
    assert diag.set_index("indicator").at["census2024_emigrants_insecurity", "level"] == "municipio_2024"
    pairs = data_report.collinear_pairs({"a": values["acled_fatalities"], "b": values["acled_fatalities"] * 2,
                                    "c": values["lapop_extortion_victim"]})
    assert pairs[["a", "b"]].values.tolist() == [["a", "b"]] and pairs["r"].iloc[0] == pytest.approx(1)


@pytest.mark.parametrize("lang, line", [("es", "'=cmd();-1,5"), ("en", "'=cmd(),-1.5")])
def test_csv_download_neutralises_formulas_in_the_language_format(lang, line):
    import pandas as pd

    out = text.csv_bytes(pd.DataFrame({"name": ["=cmd()", "San Miguel"], "value": [-1.5, 2.25]}), lang)
    written = out.decode("utf-8-sig")
    assert written.splitlines()[1] == line


@pytest.mark.parametrize("lang, heading", [("es", "# Metodología"), ("en", "# Methodology")])
def test_methodology_page(built_store, monkeypatch, lang, heading):
    at = page(built_store, monkeypatch, "methodology", lang=lang)
    assert not at.exception, at.exception
    assert any(m.value.startswith(heading) for m in at.markdown)


def test_model_result_is_computed_once_but_each_caller_gets_its_own_table(built_store, monkeypatch):
    """``data.model_result`` caches the re-aggregated result (Mexico's first view): the same
    numbers as a fresh ``run_model``, and a caller that changes its table changes no other's."""
    import pandas as pd

    from dashboard import data
    from risk_model.pipeline import run_model

    monkeypatch.setenv("RISKMAP_STORE", str(built_store.path))
    shared.clear_all()
    try:
        version, spec, pack = data.version("slv"), data.base_spec("slv"), data.pack("slv")
        first = data.model_result("slv", version, spec.key(), pack.default_year, pack.finest, 0)
        first.table["score"] = -1.0
        again = data.model_result("slv", version, spec.key(), pack.default_year, pack.finest, 0)
        fresh = run_model(data.model_data("slv", version), spec, pack.default_year, level=pack.finest, draws=0)
        pd.testing.assert_frame_equal(again.table, fresh.table)
    finally:
        shared.clear_all()


def test_background_warm_up_only_reads_countries_already_built(built_store, tmp_path, monkeypatch):
    """The warm-up a visit starts covers the countries in the store and builds none: building
    Guatemala, Honduras and Mexico in the background held the store's write lock while the
    visitor's own page waited on it."""
    from dashboard import data, state, warmup

    path = tmp_path / "riskmap.sqlite"
    shutil.copy(built_store.path, path)  # El Salvador only
    monkeypatch.setenv("RISKMAP_STORE", str(path))
    assert data.built(state.COUNTRIES) == ("slv",)
    warmup.warm(first="slv", countries=data.built(state.COUNTRIES))
    assert data.built(state.COUNTRIES) == ("slv",)
    assert Store(path).meta("pack:gtm") is None
