"""Mexico in the dashboard (AppTest over the real Mexico store): its own levels and wording,
lethal violence only, and the Region page kept to the Northern Triangle."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import state
from dashboard.shortlist import fold
from geodata.config import PROJECT_ROOT
from tests.test_dashboard_countries import search_example_shown, unit_names

APP = str(PROJECT_ROOT / "app.py")


@pytest.fixture()
def app(mex_store, monkeypatch):
    monkeypatch.setenv("RISKMAP_STORE", str(mex_store.path))
    return AppTest.from_file(APP, default_timeout=300)


def _texts(at) -> str:
    return "\n".join(str(e.value) for kind in (at.title, at.caption, at.info, at.warning, at.markdown)
                     for e in kind)


@pytest.mark.parametrize("lang, levels, words, absent", [
    ("en", ["2,469 municipios", "32 states"], ["Lethal violence in Mexico", "violence 1.0",
                                                "Lethal violence (smoothed INEGI homicide rate"],
     ["extortion 0", "Composite risk score"]),
    ("es", ["2.469 municipios", "32 estados"], ["Violencia letal en México", "violencia 1,0",
                                                "Violencia letal (tasa de homicidios INEGI"],
     ["extorsión 0", "Puntaje compuesto"]),
])
def test_mexico_map_names_only_what_is_there(app, lang, levels, words, absent):
    app.query_params["country"] = "mex"
    app.query_params["lang"] = lang
    at = app.run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="level").options == levels
    assert at.sidebar.selectbox(key="year").value == 2021
    text = _texts(at)
    for w in words:
        assert w in text, w
    for w in absent:
        assert w not in text, w
    layer = at.selectbox(key="map_indicator")
    assert layer.options[0].startswith("Lethal violence" if lang == "en" else "Violencia letal")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_search_example_is_a_mexican_municipio(app, mex_model_data, model_data, country_model_data, lang):
    """The map's search box example is a Mexican municipio, named by no Northern Triangle unit."""
    app.query_params["country"] = "mex"
    app.query_params["lang"] = lang
    at = app.run()
    assert not at.exception, at.exception
    example = search_example_shown(at, lang)
    assert example in {fold(n) for n in mex_model_data.units["municipio"]["name"]}, example
    assert not [md.country for md in (model_data, *country_model_data.values()) if example in unit_names(md)]


def test_region_page_stays_with_the_northern_triangle():
    assert "mex" in state.COUNTRIES and "mex" not in state.REGION_COUNTRIES


def test_mexico_briefing_names_lethal_violence_and_its_trend(mex_model_data, data_root):
    """The briefing's title, method and trend are Mexico's own: lethal violence, INEGI homicides
    over the years (not the single-year fallback of the other packs)."""
    import datetime as dt

    from dashboard.exports import assemble
    from geodata.boundaries import read_units
    from geodata.packs import load_pack
    from risk_model.pipeline import run_model
    from risk_model.spec import load_spec

    result = run_model(mex_model_data, load_spec("mex_default"), 2021, draws=20, seed=0)
    ctx = assemble.ExportContext(country="mex", country_name="Mexico", lang="en", date=dt.date(2026, 1, 1),
                                 data_version="test")
    units = read_units(data_root, load_pack("mex"), "municipio")
    b = assemble.briefing(result, mex_model_data, units, ctx)
    assert b.title == "Lethal violence in Mexico, 2021"
    assert "lethal violence" in b.method_text and "proxy" not in b.method_text
    assert b.trend.title.startswith("Homicides (INEGI)") and b.trend.years[0] == 2000 and b.trend.years[-1] == 2021
    assert "extortion or displacement figures" in " ".join(b.footer)
