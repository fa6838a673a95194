"""The app and its pages run without exceptions in Spanish and English (streamlit AppTest)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geodata.config import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 180


@pytest.fixture()
def app(built_store, monkeypatch):
    monkeypatch.setenv("RISKMAP_STORE", str(built_store.path))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _text(at) -> str:
    parts = [e.value for e in at.title] + [e.value for e in at.caption] + \
        [e.value for e in at.info] + [e.value for e in at.markdown]
    return "\n".join(str(p) for p in parts)


def test_map_page_in_spanish_by_default(app):
    at = app.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Mapa de riesgo"]
    assert at.sidebar.selectbox(key="lang").value == "es"
    assert at.selectbox(key="map_indicator").value == "composite"
    at.selectbox(key="map_indicator").set_value("acled_events").run()
    text = _text(at)
    assert "eventos por 100.000 habitantes" in text
    assert "Con datos: 262 de 262" in text


def test_lang_from_url_and_switch_back(app):
    app.query_params["lang"] = "en"
    at = app.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Risk map"]
    at.selectbox(key="map_indicator").set_value("acled_events").run()
    assert "events per 100,000 population" in _text(at)
    at.sidebar.selectbox(key="lang").set_value("es").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Mapa de riesgo"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_indicator_and_scheme_renders(app, lang):
    app.query_params["lang"] = lang
    at = app.run()
    options = at.selectbox(key="map_indicator").options
    assert len(options) >= 10
    for i, label in enumerate(options):
        at.selectbox(key="map_indicator").select_index(i).run()
        assert not at.exception, (label, at.exception)
        assert at.title[0].value in ("Mapa de riesgo", "Risk map")
    at.selectbox(key="scheme").set_value("natural_breaks").run()
    assert not at.exception, at.exception


def test_year_without_data_explains_the_year_shown(app):
    at = app.run()
    at.sidebar.selectbox(key="year").set_value(2007).run()
    assert not at.exception, at.exception
    infos = [i.value for i in at.info]
    assert any("2007" in i and "2014" in i for i in infos), infos  # composite: first year 2014
    at.selectbox(key="map_indicator").set_value("acled_events").run()
    assert not at.exception, at.exception
    infos = [i.value for i in at.info]
    assert any("2007" in i and "2018" in i for i in infos), infos
