"""Profile and Compare pages and their tables: AppTest under default and non-default states."""
from __future__ import annotations

import pytest

from dashboard import charts, profile_compare, trend_series
from tests.test_dashboard_trends import page, texts


@pytest.mark.parametrize("lang, title", [("es", "Perfil territorial"), ("en", "Area profile")])
@pytest.mark.parametrize("level", ["district", "municipio_2024", "department"])
def test_profile_without_unit_opens_on_the_highest_score(built_store, monkeypatch, lang, title, level):
    at = page(built_store, monkeypatch, "profile", lang=lang, level=level)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [title] and not at.error
    assert len(at.metric) == 4
    assert at.metric[1].value.startswith("1 ")  # rank 1 of n
    assert len(at.dataframe) == 3  # why (dimension contributions), indicators and neighbours
    why = at.dataframe[0].value
    parts = why.iloc[:, -1].str.replace(",", ".").astype(float)  # points added, 2 decimals
    score = float(at.metric[0].value.replace(",", "."))
    assert abs(parts.sum() - score) <= 0.005 * (len(parts) + 1)  # they add up to the score
    unit = at.selectbox(key="profile_unit").value
    assert at.query_params["unit"] in (unit, [unit])


def test_profile_opens_the_clicked_unit_and_switches(built_store, monkeypatch):
    at = page(built_store, monkeypatch, "profile", lang="es",
              state={"profile_unit": "0614", "profile_level": "district"})
    assert not at.exception, at.exception
    assert at.selectbox(key="profile_unit").value == "0614"
    assert "San Salvador" in [s.value for s in at.subheader][0]
    at.selectbox(key="profile_unit").set_value("0101").run()
    assert not at.exception, at.exception
    assert at.subheader[0].value.startswith("Ahuachap")


def test_profile_from_the_url_and_a_click_on_another_level(built_store, monkeypatch):
    at = page(built_store, monkeypatch, "profile", lang="en", params={"unit": "0101"})
    assert not at.exception and at.selectbox(key="profile_unit").value == "0101"
    at = page(built_store, monkeypatch, "profile", lang="en", level="district",
              state={"profile_unit": "06", "profile_level": "department"})
    assert not at.exception, at.exception
    assert at.selectbox(key="profile_unit").value == "06"
    assert "14 departments" in texts(at)
    # the user then picks another level in the sidebar: the profile follows it
    at.sidebar.selectbox(key="level").set_value("municipio_2024").run()
    assert not at.exception, at.exception
    assert "44 municipios" in texts(at)


def test_profile_unknown_unit_says_so(built_store, monkeypatch):
    at = page(built_store, monkeypatch, "profile", lang="es", params={"unit": "9999"})
    assert not at.exception, at.exception
    assert any("no existe" in i.value for i in at.info)


@pytest.mark.parametrize("n", [2, 5])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_compare_two_and_five_units(built_store, monkeypatch, n, lang):
    at = page(built_store, monkeypatch, "compare", lang=lang)
    assert not at.exception, at.exception
    ms = at.multiselect(key="compare_units")
    assert len(ms.value) == 3
    codes = ms.options[:n]
    ms.set_value(codes).run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == n
    assert len(at.get("plotly_chart")) == 1


@pytest.mark.parametrize("level", ["municipio_2024", "department"])
def test_compare_other_levels_and_too_few(built_store, monkeypatch, level):
    at = page(built_store, monkeypatch, "compare", lang="en", level=level)
    assert not at.exception, at.exception
    at.multiselect(key="compare_units").set_value([at.multiselect(key="compare_units").options[0]]).run()
    assert not at.exception
    assert any("at least two" in i.value for i in at.info)


def test_profile_tables(model_data):
    from risk_model.pipeline import run_model
    from risk_model.spec import load_spec

    spec = load_spec("slv_default")
    result = run_model(model_data, spec, 2023, level="district", draws=50)
    series = {"acled_fatalities": trend_series.yearly_series(model_data, "acled_fatalities", level="district"),
              "census2024_emigrants": trend_series.yearly_series(model_data, "census2024_emigrants",
                                                           level="municipio_2024")}
    ind = profile_compare.profile_indicators(model_data, "0614", level="district", year=2023, window=3, lang="en",
                                    series=series)
    row = ind.set_index("indicator")
    assert row.at["acled_fatalities", "years"] == "2021–2023"
    assert len(row.at["acled_fatalities", "trend"]) == 7
    assert len(row.at["census2024_emigrants", "trend"]) == 11  # from its 2024 municipio
    assert row.at["census2007_illiteracy", "interval"] == "–" and row.at["census2007_illiteracy", "trend"] == []
    shown = profile_compare.profile_display(ind, "es")
    assert list(shown.columns)[:4] == ["Indicador", "Tendencia", "Años", "Bruto"]
    nb = profile_compare.neighbours_table(model_data, result.table, "0614", level="district")
    assert len(nb) >= 3 and "0614" not in set(nb["code"])
    assert profile_compare.resolve_profile("0614", None, "department", {"department": ["06"], "district": ["0614"]}) \
        == ("department", None)


def test_compare_table_and_figure(model_data):
    from risk_model.pipeline import run_model
    from risk_model.spec import load_spec

    spec = load_spec("slv_default")
    result = run_model(model_data, spec, 2023, level="department", draws=50)
    codes = list(result.table.sort_values("rank")["code"][:4])
    es = profile_compare.compare_table(result.table, codes, spec.dimensions, "es")
    assert len(es) == 4 and {"Violencia", "Puntaje", "Banda de puestos (5–95 %)"} <= set(es.columns)
    assert "," in es["Puntaje"].iloc[0]  # Spanish decimal comma
    fig = charts.compare_figure(result.table, codes, spec.dimensions, lang="en", title="x")
    assert len(fig.data) == 4 and list(fig.data[0].x)[-1] == "Score"
