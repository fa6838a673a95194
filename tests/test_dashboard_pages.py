"""The app and its pages run without exceptions in Spanish and English (streamlit AppTest)."""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
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
def test_every_indicator_and_scheme_renders(app, model_data, lang):
    """Each layer's caption names that layer, in its unit, with the areas that have data; each
    scheme's caption names the scheme and five ascending upper bounds."""
    app.query_params["lang"] = lang
    at = app.run()
    options = at.selectbox(key="map_indicator").options
    assert len(options) >= 10
    unit_word, areas = {"es": ("Unidad", "Territorios: 262 distritos"), "en": ("Unit", "Areas: 262 districts")}[lang]
    for i in range(len(options)):
        at.selectbox(key="map_indicator").select_index(i).run()
        assert not at.exception, (options[i], at.exception)
        chosen = at.selectbox(key="map_indicator").value
        first = at.caption[0].value
        if chosen == "composite":
            assert first.startswith(t("map.score_caption_lead", lang)) and areas.split(": ")[1] in first, first
            continue
        ind = model_data.catalogue[chosen]
        years = model_data.observations.loc[model_data.observations["indicator"] == chosen, "year"]
        if years.min() > at.sidebar.selectbox(key="year").value:  # nothing up to the map's year: a notice naming the first year instead
            assert any(str(years.min()) in i.value for i in at.info), (chosen, [i.value for i in at.info])
            continue
        assert first.startswith(getattr(ind, f"label_{lang}")), (chosen, first)
        assert f"{unit_word}: {getattr(ind, f'unit_{lang}')}." in first and areas in first, (chosen, first)
        present = int(re.search(r"(\d+) (?:de|of) 262", first).group(1))
        assert 0 < present <= 262, (chosen, first)
    for scheme in ("natural_breaks", "fixed"):
        at.selectbox(key="scheme").set_value(scheme).run()
        assert not at.exception, at.exception
        prefix = t("map.classes", lang, scheme=t(f"scheme.{scheme}", lang), k=5, bins="").split(":")[0]
        classes = next(c.value for c in at.caption if c.value.startswith(prefix))
        bounds = [float(b.replace(".", "").replace(",", ".")) if lang == "es" else float(b.replace(",", ""))
                  for b in classes.rsplit(":", 1)[1].strip(" .").split("; ")]
        assert len(bounds) == 5 and bounds == sorted(bounds), classes


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
