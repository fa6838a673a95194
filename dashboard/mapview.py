"""The risk map as a Streamlit element, built once per distinct map and shared by every session.

``st_folium`` turns its folium map into the component's HTML and JavaScript on every script run:
for 262 districts about 100 ms of folium rendering and a walk over every vertex for the bounds,
on top of ``dashboard.map_layer.risk_layer`` (about 30 ms of tooltip texts), even when nothing on
the map changed (a click, a caption, another session opening the same default map).

Here the same arguments are computed once for each distinct map (``risk_map``, cached on the
layer's inputs) and ``show`` sends them to streamlit-folium's own component, so the browser gets
exactly what ``st_folium`` would send (``tests/test_dashboard_mapview.py`` compares the two) and
a rerun with an unchanged map costs a cache lookup (``benchmarks/map.py``: server time per rerun).
This reads streamlit-folium's helpers, which are not public API: the version is pinned in
requirements.txt and the test fails if they change.
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass

import folium.elements
import streamlit as st
import streamlit_folium as sf

from dashboard import leaflet_map, map_layer
from dashboard.leaflet_map import PHONE_WIDTH
from dashboard.data import cache_data, cache_resource

__all__ = ["MapPayload", "payload", "risk_map", "show"]

#: What the map reports back to the page: the tooltip text of the clicked unit only, so panning
#: and zooming never rerun the script (``leaflet_map.unit_from_click`` reads the code from it).
RETURNED = ("last_object_clicked_tooltip",)


@dataclass(frozen=True)
class MapPayload:
    """The arguments ``st_folium`` gives its component for one folium map (all text, so the
    payload pickles in microseconds): Leaflet ``script``, ``header`` and ``html`` with the map's
    id replaced by ``map_div``, its ``css_links``/``js_links``, and ``component_key``, the key
    under which streamlit-folium mounts it (a hash of the script without folium's random ids,
    and of ``key``)."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    component_key: str


#: A feature's geometry in the map drawn by ``risk_map`` before the real one is put in its place.
_PLACEHOLDER = "__riskmap_geometry_{}__"
_PLACEHOLDER_JSON = re.compile(r'\{"type":"__riskmap_geometry_(\d+)__"\}')


@cache_resource(max_entries=16)
def _geometries(geojson_text: str) -> tuple[tuple[str, ...], list | None]:
    """Each feature's geometry as the JSON text folium embeds (keys sorted, no spaces: see
    ``leaflet_map._compact_json``), in feature order, and the collection's bounds; once per GeoJSON
    (shared, never mutated)."""
    fc = map_layer.parsed_geojson(geojson_text)  # the one parse risk_layer reads too
    parts = tuple(json.dumps(f["geometry"], sort_keys=True, separators=(",", ":")) for f in fc["features"])
    if any(c in p for p in parts for c in "<>&'"):  # jinja's tojson would escape these; coordinates never hold them
        raise ValueError("unexpected characters in the GeoJSON geometry")
    return parts, leaflet_map.geojson_bounds(fc)


def payload(m, key: str, deferred: str | None = None) -> MapPayload:
    """Render a folium map the way ``st_folium(m, key=key)`` does (its own helpers, same order:
    the leaflet string must come after the header and the HTML, it changes the map's tree).
    ``deferred``: the text of the map's one ``leaflet_map.Deferred`` GeoJSON (``risk_map``)."""
    m.get_root().render()
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    if deferred is not None:
        if script.count(leaflet_map.DEFERRED_TEXT) != 1:
            raise ValueError("the map's script must hold exactly one deferred GeoJSON")
        script = script.replace(leaflet_map.DEFERRED_TEXT, deferred)
    css, js = [], []
    for elem in _walk(m):
        css += [href for _, href in getattr(elem, "default_css", [])]
        js += [src for _, src in getattr(elem, "default_js", [])]
    return MapPayload(script=script, header=header, html=html, map_id=sf.get_full_id(m),
                      css_links=tuple(dict.fromkeys(css)), js_links=tuple(dict.fromkeys(js)),
                      component_key=sf.generate_js_hash(script, key, False))


def _walk(element):
    """The elements that bring scripts or styles, parents first (st_folium's order)."""
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


@cache_data(max_entries=32)
def risk_map(geojson_text: str, frame, *, key: str, base_path: str = "",
             legend_position: str = "bottomleft", regional: bool = False, focus: str | None = None,
             **layer_options) -> tuple[map_layer.RiskLayer, MapPayload]:
    """``map_layer.risk_layer(geojson_text, frame, **layer_options)`` drawn by ``leaflet_map.risk_map``, as
    ``(layer, payload)``; cached on every argument (the GeoJSON text and the frame by content),
    so sessions and reruns showing the same map share one rendering.

    ``regional`` relabels the tooltip for the Region page (``dashboard.region.regional_tooltip``).
    The returned layer keeps its classes, legend and counts for the captions but not its
    GeoJSON (``geojson`` is empty): the payload carries the features. ``focus`` is a unit code
    the map zooms to and outlines (``leaflet_map.risk_map``).

    Each distinct scenario is a new map, so this runs once per session under load: folium draws
    it with a placeholder for each feature's geometry, and the geometry texts, serialised once
    per GeoJSON (``_geometries``), are put in their places afterwards. The payload is the very
    text a full drawing gives (``tests/test_dashboard_mapview.py``) in a fraction of its time
    (``benchmarks/map.py``).
    """
    layer = map_layer.risk_layer(geojson_text, frame, **layer_options)
    if regional:
        from dashboard.region import regional_tooltip

        layer = dataclasses.replace(layer, tooltip=regional_tooltip(layer.tooltip,
                                                                    layer_options["lang"]))
    parts, bounds = _geometries(geojson_text)
    features = layer.geojson["features"]
    light = dict(layer.geojson, features=[dict(f, geometry={"type": _PLACEHOLDER.format(i)})
                                          for i, f in enumerate(features)])
    text = _PLACEHOLDER_JSON.sub(lambda g: parts[int(g.group(1))], leaflet_map.tojson(light))
    focused = next(({"type": "Feature", "properties": {}, "geometry": json.loads(parts[i])}
                    for i, f in enumerate(features) if focus is not None and f["properties"]["code"] == focus), None)
    m = leaflet_map.risk_map(dataclasses.replace(layer, geojson=leaflet_map.Deferred(light)), base_path=base_path,
                             legend_position=legend_position, bounds=bounds, focus=focused)
    return dataclasses.replace(layer, geojson={}), payload(m, key, text)


#: On a phone (``leaflet_map.PHONE_WIDTH`` CSS px or less) the map frame is this tall, so a
#: country wider than tall fills it instead of a third of a 620 px frame (390x844 phones).
PHONE_HEIGHT = 400
_PHONE_CSS = (f"<style>@media (max-width:{PHONE_WIDTH}px){{"
              f'iframe[title="streamlit_folium.st_folium"]{{height:{PHONE_HEIGHT}px !important}}}}</style>')


def show(p: MapPayload, *, height: int = 620) -> dict | None:
    """Draw the map at the container's width and return what ``st_folium`` returns: a dict with
    ``last_object_clicked_tooltip`` (see ``RETURNED``), None until a unit is clicked.
    On a phone the frame is ``PHONE_HEIGHT`` tall (our own CSS, no user text)."""
    st.html(_PHONE_CSS)
    defaults = dict.fromkeys(RETURNED)
    return sf._component_func(
        script=p.script, header=p.header, html=p.html, id=p.map_id, key=p.component_key,
        height=height, width=None, returned_objects=list(RETURNED), default=defaults,
        zoom=None, center=None, feature_group=None, return_on_hover=False, layer_control=None,
        pixelated=False, css_links=list(p.css_links), js_links=list(p.js_links), on_change=None,
        wrap_longitude=False)
