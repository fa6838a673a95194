"""Trends page and its building blocks (dashboard.trend_series, dashboard.charts): AppTest and unit tests."""
from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, trend_series
from geodata.config import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 180


def page(built_store, monkeypatch, name: str, *, lang: str = "es", level: str | None = None,
         state: dict | None = None, params: dict | None = None) -> AppTest:
    """An AppTest of app.py opened directly on ``pages/<name>.py`` (first run on that page)."""
    monkeypatch.setenv("RISKMAP_STORE", str(built_store.path))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = lang
    if level:
        at.query_params["level"] = level
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()  # app.py's sidebar reads the URL once; then the page
    assert not at.exception, at.exception
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.switch_page(f"pages/{name}.py")
    return at.run()


def texts(at) -> str:
    parts = [e.value for e in at.title] + [e.value for e in at.caption] + [e.value for e in at.info] + \
        [e.value for e in at.markdown] + [e.value for e in at.subheader]
    return "\n".join(str(p) for p in parts)


# -- the page ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang, title", [("es", "Tendencias"), ("en", "Trends")])
@pytest.mark.parametrize("level", ["district", "municipio_2024", "department"])
def test_trends_page_runs_in_both_languages_and_levels(built_store, monkeypatch, lang, title, level):
    at = page(built_store, monkeypatch, "trends", lang=lang, level=level)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [title]
    assert not at.error
    assert len(at.get("plotly_chart")) >= 2  # lines with bands, heat map (+ UNODC context)
    assert at.selectbox(key="trends_indicator").value == "acled_fatalities"
    assert len(at.multiselect(key="trends_units").value) == 3


def test_trends_single_year_indicator_says_so(built_store, monkeypatch):
    at = page(built_store, monkeypatch, "trends", lang="en")
    at.selectbox(key="trends_indicator").set_value("census2007_illiteracy").run()
    assert not at.exception, at.exception
    assert any("single year of data (2007)" in i.value for i in at.info), [i.value for i in at.info]
    assert not any(c.proto.id for c in at.get("plotly_chart") if "trends_chart" in str(c.proto.id))


def test_trends_municipio_indicator_on_districts_is_shown_at_its_level(built_store, monkeypatch):
    at = page(built_store, monkeypatch, "trends", lang="es", level="district")
    at.selectbox(key="trends_indicator").set_value("census2024_emigrants_insecurity").run()
    assert not at.exception, at.exception
    assert any("solo existe para 44 municipios" in i.value for i in at.info)
    at.selectbox(key="trends_indicator").set_value("lapop_extortion_victim").run()
    assert not at.exception, at.exception
    assert "Wilson" in texts(at)


def test_trends_every_indicator_renders(built_store, monkeypatch):
    at = page(built_store, monkeypatch, "trends", lang="es")
    for option in at.selectbox(key="trends_indicator").options:
        at.selectbox(key="trends_indicator").set_value(
            at.selectbox(key="trends_indicator").options[at.selectbox(key="trends_indicator")
                                                         .options.index(option)]).run()
        assert not at.exception, (option, at.exception)


def test_trends_shows_unodc_context_with_its_years(built_store, monkeypatch):
    at = page(built_store, monkeypatch, "trends", lang="en")
    labels = [e.label for e in at.expander]
    first = int(trend_series.national_context(built_store.observations("slv"), "slv")["year"].min())
    assert any(f"{first}–2018" in lbl and "UNODC" in lbl for lbl in labels), labels
    assert f"available only from {first} to 2018" in texts(at)


# -- tables and charts ---------------------------------------------------------------------------
def test_yearly_series_counts_have_exact_poisson_intervals(model_data):
    s = trend_series.yearly_series(model_data, "acled_fatalities", level="department")
    nat = s[s["code"] == trend_series.NATIONAL]
    assert nat["year"].tolist() == list(range(2018, 2025))
    assert (nat["lower"] < nat["value"]).all() and (nat["value"] < nat["upper"]).all()
    units = s[s["code"] != trend_series.NATIONAL]
    # national rate = sum of events / sum of person-years of the departments
    y = units[units["year"] == 2018]
    assert nat.iloc[0]["value"] == pytest.approx(y["count"].sum() / y["exposure"].sum() * 1e5)
    zero = units[units["count"] == 0]
    assert (zero["lower"] == 0).all() and (zero["upper"] > 0).all()


def test_yearly_series_shares_use_wilson(model_data):
    s = trend_series.yearly_series(model_data, "lapop_extortion_victim", level="district")
    assert sorted(s["year"].unique()) == [2018, 2021, 2023]
    ok = s.dropna(subset=["lower"])
    assert ((ok["lower"] >= 0) & (ok["upper"] <= 100) & (ok["lower"] <= ok["value"] + 1e-9)).all()


def test_effective_level_and_single_year(model_data):
    assert trend_series.effective_level(model_data, "census2024_emigrants", "district") == "municipio_2024"
    assert trend_series.effective_level(model_data, "census2024_emigrants", "department") == "department"
    assert trend_series.effective_level(model_data, "acled_events", "municipio_2024") == "municipio_2024"
    s = trend_series.yearly_series(model_data, "census2007_illiteracy", level="district")
    assert s["year"].unique().tolist() == [2007] and s["lower"].isna().all()
    assert "unodc_homicide_rate" not in trend_series.trend_indicators(model_data)


def test_heatmap_keeps_selected_units_and_limits_rows(model_data):
    s = trend_series.yearly_series(model_data, "acled_fatalities", level="district")
    keep = ["0101"]
    m = trend_series.heatmap_matrix(s, keep=keep, rows=10)
    assert len(m) == 10 and list(m.columns) == list(range(2018, 2025))
    means = m.mean(axis=1).to_numpy()
    assert np.all(np.diff(means[~np.isnan(means)]) <= 1e-9)  # highest first
    assert any(name.startswith("Ahuachap") for name in m.index)


def test_flag_table_translates_and_orders(model_data):
    from risk_model.result_tables import trend_table

    tr = trend_table(model_data, "acled_fatalities", level="district")
    counts = trend_series.flag_counts(tr)
    assert sum(counts.values()) == 262 and counts["insufficient"] > 0
    es, en = trend_series.flag_table(tr, "es"), trend_series.flag_table(tr, "en")
    assert "Datos insuficientes" in set(es["Señal"]) and "Too little data" in set(en["Flag"])
    assert es["Señal"].iloc[-1] == "Datos insuficientes"


def test_national_context_is_unodc_for_el_salvador(model_data):
    ctx = trend_series.national_context(model_data.observations, "slv")
    assert ctx["year"].min() >= 1990 and ctx["year"].max() == 2018 and len(ctx) > 10


def test_trend_figure_escapes_names_and_formats_per_language(model_data):
    s = trend_series.yearly_series(model_data, "acled_fatalities", level="department")
    s.loc[s["code"] == "01", "name"] = "<img src=x onerror=alert(1)>"
    fig = charts.trend_figure(s, ["01"], lang="es", title="T", unit="u")
    names = [tr.name for tr in fig.data if tr.name]
    assert "&lt;img src=x onerror=alert(1)&gt;" in names and not any("<img" in n for n in names)
    assert fig.layout.separators == ",." and charts.trend_figure(s, [], lang="en", title="T", unit="u") \
        .layout.separators == ".,"
    heat = charts.heatmap_figure(trend_series.heatmap_matrix(s), lang="en", title="T", unit="u")
    assert not any("<img" in y for y in heat.data[0].y)


# -- rolling 12 months (Mexico's monthly series) ---------------------------------------------------
@pytest.mark.parametrize("lang, sentence", [("es", "No hay serie mensual para El Salvador"),
                                            ("en", "There is no monthly series for El Salvador")])
def test_trends_without_monthly_series_says_so(built_store, monkeypatch, lang, sentence):
    at = page(built_store, monkeypatch, "trends", lang=lang)
    assert not at.exception, at.exception
    assert sentence in texts(at)
    assert "trends_rolling" not in [d.key for d in at.dataframe if hasattr(d, "key")]


@pytest.mark.parametrize("lang, level, heading, rows", [
    ("es", "municipio", "Últimos 12 meses", 2_469), ("en", "department", "Last 12 months", 32)])
def test_trends_shows_mexico_rolling_rates_and_flags(mex_store, monkeypatch, lang, level, heading, rows):
    at = page(mex_store, monkeypatch, "trends", lang=lang, level=level, params={"country": "mex"})
    assert not at.exception, at.exception
    assert heading in texts(at) and "2021-12" in texts(at)
    table = at.dataframe[-1].value  # the rolling table is the page's last table
    assert rows * 0.97 < len(table) <= rows  # every unit of the monthly series (a few new municipios have none)
    flags = {"es": ("En aumento", "En descenso", "Estable", "Datos insuficientes"),
             "en": ("Rising", "Falling", "Stable", "Too little data")}[lang]
    shown = [m.value for m in at.metric][-4:]  # the rolling section's four counts
    assert sum(int(str(v).replace(".", "").replace(",", "")) for v in shown) == len(table)
    assert set(table.iloc[:, 1]) <= set(flags)


def test_rolling_display_orders_flags_and_formats(model_data):
    import pandas as pd

    raw = pd.DataFrame({"code": ["a", "b", "c", "d"], "name": ["X", "Y", "Y", "Z"],
                        "flag": ["stable", "rising", "insufficient", "rising"],
                        "rate_last": [10.0, 30.0, np.nan, 1234.5], "rate_prev": [9.0, 10.0, np.nan, 100.0],
                        "pct_change": [11.1, 200.0, np.nan, 1134.5], "events_last": [10, 36, 1, 2000],
                        "events_prev": [9, 12, 0, 160]})
    shown = trend_series.rolling_display(raw, "es")
    assert list(shown.iloc[:, 0]) == ["Z", "Y (b)", "X", "Y (c)"]  # rising by change, then stable, then too little
    assert list(shown.iloc[0, 2:]) == ["1.234,5", "100,0", "+1.134,5", "2.000", "160"]
    assert shown.iloc[3, 4] == "–"
