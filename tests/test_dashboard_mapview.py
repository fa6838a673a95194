"""dashboard.mapview: the cached map sends the browser exactly what st_folium would send."""
from __future__ import annotations

import re

import pytest
import streamlit_folium as sf

from dashboard import leaflet_map, map_layer, mapview

#: folium names every element with a random 32-hex id; two maps of one layer differ only there
FOLIUM_ID = re.compile(r"_[0-9a-f]{32}")


@pytest.fixture(scope="module")
def inputs(model_data, built_store):
    """The district web GeoJSON and the composite frame of 2023 (real data, 50 draws)."""
    from geodata.build import web_geojson_for
    from risk_model.pipeline import run_model
    from risk_model.spec import load_spec

    text = web_geojson_for(built_store, "slv", "district")
    result = run_model(model_data, load_spec("slv_default"), 2023, level="district", draws=50)
    return text, map_layer.composite_frame(result)


def _options(**extra) -> dict:
    return {"lang": "es", "scheme": "quantiles", "palette": "ylorrd", "unit": "puntaje",
            "years_txt": "2023", "composite": True, **extra}


def _sent(monkeypatch, call) -> dict:
    """The keyword arguments streamlit-folium's component receives from ``call()``, with
    folium's random ids blanked."""
    got = {}
    monkeypatch.setattr(sf, "_component_func", lambda **kw: got.update(kw))
    call()
    assert got, "the component was not called"
    got.pop("on_change")  # st_folium's copies the value into session_state[key]; we use the return
    return {k: FOLIUM_ID.sub("_ID", v) if isinstance(v, str) else v for k, v in got.items()}


@pytest.mark.parametrize("position", ["bottomleft", "topright"])
def test_show_sends_what_st_folium_sends(monkeypatch, inputs, position):
    text, frame = inputs
    layer = map_layer.risk_layer(text, frame, programme=["0614", "1108"], **_options())
    expected = _sent(monkeypatch, lambda: sf.st_folium(
        leaflet_map.risk_map(layer, legend_position=position), key="map_folium",
        returned_objects=["last_object_clicked_tooltip"], use_container_width=True, height=620))
    drawn = mapview.payload(leaflet_map.risk_map(layer, legend_position=position), "map_folium")
    assert _sent(monkeypatch, lambda: mapview.show(drawn, height=620)) == expected
    assert expected["returned_objects"] == ["last_object_clicked_tooltip"]
    assert expected["js_links"] == ["/app/static/vendor/leaflet/leaflet.js"]  # offline: nothing else
    assert expected["script"].count('"type":"Feature"') == 262


def test_cached_map_keeps_captions_and_follows_every_option(inputs):
    text, frame = inputs
    fresh = map_layer.risk_layer(text, frame, **_options())
    layer, drawn = mapview.risk_map(text, frame, key="map_folium", **_options())
    assert layer.geojson == {}  # the features travel in the payload only
    assert (layer.present, layer.total, layer.bins, layer.k, layer.legend) == \
        (fresh.present, fresh.total, fresh.bins, fresh.k, fresh.legend)
    assert drawn.script.count('"type":"Feature"') == 262
    # another palette, language or frame is another map, not a stale cache entry
    _, viridis = mapview.risk_map(text, frame, key="map_folium", **_options(palette="viridis"))
    assert map_layer.PALETTES["viridis"][-1] in viridis.script
    assert map_layer.PALETTES["viridis"][-1] not in drawn.script
    _, english = mapview.risk_map(text, frame, key="map_folium", **_options(lang="en"))
    assert "Very high" in english.script and "Muy alto" in drawn.script
    lowered = frame.assign(value=frame["value"] / 2)
    halved, _ = mapview.risk_map(text, lowered, key="map_folium", **_options())
    assert halved.bins == pytest.approx([b / 2 for b in layer.bins])


@pytest.mark.parametrize("regional", [False, True])
def test_cached_map_is_the_full_drawing(monkeypatch, inputs, regional):
    """The geometry spliced into a placeholder drawing gives the text of a full folium drawing."""
    import dataclasses

    from dashboard.region import regional_tooltip

    text, frame = inputs
    opts = _options(programme=["0614"])
    layer = map_layer.risk_layer(text, frame, **opts)
    if regional:
        layer = dataclasses.replace(layer, tooltip=regional_tooltip(layer.tooltip, "es"))
    full = mapview.payload(leaflet_map.risk_map(layer, legend_position="topright"), "k")
    _, fast = mapview.risk_map(text, frame, key="k", legend_position="topright", regional=regional, **opts)
    assert FOLIUM_ID.sub("_ID", fast.script) == FOLIUM_ID.sub("_ID", full.script)
    assert "__riskmap_geometry_" not in fast.script
    assert (fast.header, fast.css_links, fast.js_links) == (full.header, full.css_links, full.js_links)
    assert FOLIUM_ID.sub("_ID", fast.html) == FOLIUM_ID.sub("_ID", full.html)
