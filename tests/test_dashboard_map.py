"""The map page (AppTest) under default and non-default states, and the map's building blocks."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import leaflet_map, map_layer
from geodata.config import PROJECT_ROOT
from geodata.names import SCHEMES

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 240
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture()
def app(built_store, monkeypatch):
    monkeypatch.setenv("RISKMAP_STORE", str(built_store.path))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _ok(at):
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _captions(at) -> str:
    return "\n".join(str(c.value) for c in at.caption) + "\n".join(str(i.value) for i in at.info)


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("level", ["district", "municipio_2024", "department"])
def test_map_every_level_and_language(app, lang, level):
    app.query_params["lang"] = lang
    app.query_params["level"] = level
    at = app.run()
    _ok(at)
    assert at.sidebar.selectbox(key="level").value == level
    assert at.selectbox(key="map_indicator").value == "composite"
    for scheme in SCHEMES:
        at.selectbox(key="scheme").set_value(scheme).run()
        _ok(at)
    at.selectbox(key="map_hotspots").set_value("gi").run()
    _ok(at)
    # a district indicator re-pooled, a 2024-municipio indicator flagged or re-pooled
    shown = {}
    for indicator in ("acled_fatalities", "census2024_emigrants_insecurity"):
        at.selectbox(key="map_indicator").set_value(indicator).run()
        _ok(at)
        shown[indicator] = _captions(at)
    areas, repooled, flagged = LEVEL_WORDS[lang]
    assert areas[level] in shown["acled_fatalities"]
    # ACLED is measured by district: re-pooled at every coarser level, never at its own
    assert (repooled in shown["acled_fatalities"]) == (level != "district")
    # the census by 2024 municipio: flagged at district level, re-pooled by department, as is at its own
    census = shown["census2024_emigrants_insecurity"]
    assert (flagged in census, repooled in census) == {"district": (True, False), "municipio_2024": (False, False),
                                                       "department": (False, True)}[level]


# Words each level's captions must carry: the areas counted, the re-pooling sentence, the flag.
LEVEL_WORDS = {
    "en": ({"district": "Areas: 262 districts", "municipio_2024": "Areas: 44 municipios",
            "department": "Areas: 14 departments"},
           "is re-pooled here (sum of cases and population)", "each area shows the value of its 2024 municipio"),
    "es": ({"district": "Territorios: 262 distritos", "municipio_2024": "Territorios: 44 municipios",
            "department": "Territorios: 14 departamentos"},
           "aquí se reagrupa (suma de casos y población)", "cada territorio muestra el valor de su municipio de 2024"),
}


def test_map_indicator_flagged_from_municipio_at_district_level(app):
    app.query_params["lang"] = "en"
    at = app.run()
    at.selectbox(key="map_indicator").set_value("census2024_emigrants_insecurity").run()
    _ok(at)
    assert "each area shows the value of its 2024 municipio" in _captions(at)
    assert "counts from 1 to 4" in _captions(at)  # sensitive indicator


def test_map_extreme_weights_and_moran(app):
    at = app.run()
    for key, value in (("w_violence", 5.0), ("w_extortion", 0.0), ("w_displacement", 0.0)):
        at.session_state[key] = value
    at.selectbox(key="map_hotspots").set_value("moran").run()
    _ok(at)
    for key in ("w_violence",):
        at.session_state[key] = 0.0
    at.run()
    assert not at.exception
    assert any("0" in i.value for i in at.info)  # every weight 0: a sentence, no traceback


def test_map_year_without_indicator_data(app):
    at = app.run()
    at.selectbox(key="map_indicator").set_value("lapop_intend_move_municipio").run()
    at.sidebar.selectbox(key="year").set_value(2014).run()
    _ok(at)
    assert any("2014" in i.value for i in at.info)


def test_risk_layer_escapes_and_fits_300_kb(model_data, built_store):
    from geodata.webgeom import MAP_BYTES, web_geojson
    from risk_model.pipeline import run_model
    from risk_model.spec import load_spec
    from risk_model.result_tables import hotspot_table
    from geodata.boundaries import read_units
    from geodata.config import data_root
    from geodata.packs import load_pack

    units = read_units(data_root(), load_pack("slv"), "district")
    units.loc[units.index[0], "name"] = EVIL
    text = web_geojson(units, max_bytes=MAP_BYTES)
    result = run_model(model_data, load_spec("slv_default"), 2023, level="district", draws=200)
    hot = hotspot_table(model_data, result.table["score"].to_numpy(), level="district")
    layer = map_layer.risk_layer(text, map_layer.composite_frame(result), lang="es", scheme="quantiles",
                            palette="viridis", unit="puntaje", years_txt="2023", composite=True,
                            hotspots=hot, hotspot_method="gi", programme=["0614", "1108"])
    assert layer.total == 262 and len(layer.programme) == 2
    m = leaflet_map.risk_map(layer)
    html = m.get_root().render()
    assert EVIL not in html and "\\u0026lt;img src=x" in html  # escaped, then JSON-escaped
    size = leaflet_map.geojson_bytes(m)
    assert 100_000 < size <= 300_000, size
    assert "riskmap-legend" in html
    # indicator layer: raw vs smoothed, interval, reliability, "<5" for a sensitive count
    frame, info = map_layer.indicator_frame(model_data, "census2024_emigrants_insecurity", year=2023,
                                       window=3, level="district")
    assert frame["imputed"].all() and info["native_level"] == "municipio_2024"
    layer = map_layer.risk_layer(text, frame, lang="en", scheme="fixed", palette="ylorrd", unit="per 1,000",
                            years_txt="2021–2023", composite=False, imputed_note="value of its 2024 municipio")
    props = layer.geojson["features"][5]["properties"]
    assert {"v", "w", "c", "i", "r", "y", "f"} <= set(props)
    assert leaflet_map.geojson_bytes(leaflet_map.risk_map(layer)) <= 300_000


def test_unit_from_click():
    assert leaflet_map.unit_from_click({"last_object_clicked_tooltip": "Area\nX\nCode\n0614\n"}, "Code", ["0614"]) == "0614"
    assert leaflet_map.unit_from_click({"last_object_clicked_tooltip": None}, "Code", ["0614"]) is None
    assert leaflet_map.unit_from_click(None, "Code", ["0614"]) is None
    assert leaflet_map.unit_from_click({"last_object_clicked_tooltip": "Code 9999"}, "Code", ["0614"]) is None


@pytest.mark.parametrize("layer_id", ["composite", "acled_fatalities"])
def test_map_exports_are_made_of_what_the_page_drew(app, monkeypatch, layer_id):
    """With the downloads open, the export buttons get the page's own result (composite) or
    indicator layer: neither is computed a second time during the run."""
    from dashboard import data

    calls = {"model_result": 0, "indicator_layer": 0}
    for name in calls:
        real = getattr(data, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)
        monkeypatch.setattr(data, name, counted)
    app.query_params["lang"] = "en"
    app.session_state["map_downloads"] = True
    at = app.run()
    at.selectbox(key="map_indicator").set_value(layer_id).run()
    _ok(at)
    assert at.get("download_button"), "the export buttons are not shown"
    calls.update(model_result=0, indicator_layer=0)
    at.run()  # one run of the page with the buttons drawn
    _ok(at)
    wanted = "model_result" if layer_id == "composite" else "indicator_layer"
    assert calls[wanted] == 1, calls
