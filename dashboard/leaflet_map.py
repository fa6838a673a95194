"""Leaflet rendering of a ``dashboard.map_layer.RiskLayer`` with folium, offline.

Leaflet is the only script the map needs, and it is served by Streamlit itself from
``static/vendor/leaflet/`` (``make`` copies it there from npm's ``leaflet`` package): see
``OfflineMap``. The legend and the programme rings are small Leaflet controls written here.
"""
from __future__ import annotations

import json

import folium
import numpy as np
from branca.element import Element, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from dashboard.map_layer import PROGRAMME_COLOUR, RiskLayer
from dashboard.why import TOOLTIP_CSS

#: Where Streamlit serves Leaflet (``[server] enableStaticServing``: ``static/`` -> ``/app/static``).
LEAFLET_DIR = "app/static/vendor/leaflet"


class OfflineMap(folium.Map):
    """A ``folium.Map`` whose only assets are Leaflet's JS and CSS from this server.

    folium's Map lists Leaflet, jQuery, Bootstrap, Awesome Markers and Font Awesome on CDNs
    (``default_js``/``default_css``). streamlit-folium loads exactly those lists inside its
    iframe, one script after another, and gives up on the first that fails, so on a machine
    without internet the map would stay blank. Here both lists point at Streamlit's static
    route (absolute paths: the component iframe is served from the same origin) and name
    nothing else; no element used on our maps needs jQuery or Bootstrap.
    """

    def __init__(self, *args, base_path: str = "", **kwargs):
        root = "/" + "/".join(p for p in (base_path.strip("/"), LEAFLET_DIR) if p)
        # instance attributes: streamlit-folium and folium's renderer both read them
        self.default_js = [("leaflet", f"{root}/leaflet.js")]
        self.default_css = [("leaflet_css", f"{root}/leaflet.css")]
        kwargs.setdefault("tiles", None)
        super().__init__(*args, **kwargs)


def _highlight(feature) -> dict:
    return {"weight": 2.5, "color": "#000000", "fillOpacity": 0.95}


#: Screens up to this width (CSS px) are phones: the map's frame is shorter
#: (``mapview.PHONE_HEIGHT``), the legend small and closed, wide tables give way to narrow ones.
PHONE_WIDTH = 560

_BACKGROUND_CSS = ("<style>.leaflet-container{background:#eef2f5;}"
                   ".leaflet-tooltip table{font-size:12px;}" + TOOLTIP_CSS +
                   ".riskmap-label{background:rgba(255,255,255,.85);border:0;box-shadow:none;padding:0 3px;"
                   "font:600 11px/1.3 sans-serif;color:#111}.riskmap-label:before{display:none}"
                   ".riskmap-label-hidden{visibility:hidden}"
                   # the legend's title is its open/close button (``RiskLegend``): ▾ open, ▸ closed
                   ".riskmap-legend-title{display:block;width:100%;margin:0;padding:0;border:0;"
                   "background:none;font:inherit;font-weight:600;color:inherit;text-align:left;cursor:pointer}"
                   ".riskmap-legend-title:before{content:'\\25BE\\00A0'}"
                   ".riskmap-legend-title[aria-expanded=false]:before{content:'\\25B8\\00A0'}"
                   # a phone (``PHONE_WIDTH``): the map takes the frame's height (set by
                   # ``mapview.show``) and the legend shrinks so the country stays visible
                   f"@media (max-width:{PHONE_WIDTH}px){{ #map_div,.folium-map{{height:100vh !important}}"  # "{ #": not a Jinja comment
                   ".riskmap-legend{font-size:10px !important;line-height:1.3 !important;"
                   "padding:3px 6px !important;max-width:170px !important}}</style>")


#: Least space (CSS px) between two name labels shown on the map (``TopLabels``).
LABEL_GAP = 2


def _coords(geom: dict):
    def walk(c):
        if c and isinstance(c[0], (int, float)):
            yield c
        else:
            for part in c:
                yield from walk(part)
    return walk(geom["coordinates"])


class RiskLegend(MacroElement):
    """The risk map's legend (classes, no data, faded reliability, outlines, programme ring) as a
    Leaflet control in a corner; texts go in with ``textContent``.

    Its title is a button that shows or hides the rows: open on a wide screen, closed on a phone
    (``PHONE_WIDTH`` CSS px or less), where the open legend covered the country's south-west
    corner (Honduras). Until the user taps it, it follows the screen (a phone turned sideways).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var spec = {{ this.spec|tojson }};
            var phone = window.matchMedia("(max-width: {{ this.phone_width }}px)");
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "riskmap-legend");
                div.style.cssText = "background:rgba(255,255,255,.94);padding:6px 9px;" +
                    "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.35);font:12px/1.45 " +
                    "sans-serif;color:#222;max-width:300px";
                var title = document.createElement("button");
                title.type = "button";
                title.className = "riskmap-legend-title";
                title.textContent = spec.title;
                div.appendChild(title);
                var rows = document.createElement("div");
                rows.className = "riskmap-legend-rows";
                spec.rows.forEach(function (row) {
                    var line = document.createElement("div");
                    var box = document.createElement("span");
                    var css = "display:inline-block;width:16px;height:11px;margin-right:6px;" +
                        "vertical-align:-1px;box-sizing:border-box;";
                    if (row.kind === "box") css += "border:1px solid #777;background:" + row.colour;
                    else if (row.kind === "faded") css += "border:1px solid #777;opacity:.4;background:" + row.colour;
                    else if (row.kind === "ring") css += "width:11px;border-radius:50%;border:3px solid " + row.colour;
                    else css += "height:0;border-top:3px " + ({line: "solid", dash: "dashed", dot: "dotted"}[row.kind]) +
                        " " + row.colour + ";vertical-align:3px";
                    box.style.cssText = css;
                    line.appendChild(box);
                    line.appendChild(document.createTextNode(row.label));
                    rows.appendChild(line);
                });
                div.appendChild(rows);
                var tapped = false;
                function open(yes) {
                    rows.hidden = !yes;
                    title.setAttribute("aria-expanded", yes ? "true" : "false");
                }
                open(!phone.matches);
                title.addEventListener("click", function () { tapped = true; open(rows.hidden); });
                phone.addEventListener("change", function (e) { if (!tapped) open(!e.matches); });
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, title: str, rows, position: str = "bottomleft"):
        super().__init__()
        self._name = "RiskLegend"
        self.position = position
        self.phone_width = PHONE_WIDTH
        self.spec = {"title": title, "rows": [{"kind": k, "colour": c, "label": lab} for k, c, lab in rows]}


#: How folium's templates write JSON here: keys sorted, no spaces (see ``_compact_json``).
JSON_KWARGS = {"sort_keys": True, "separators": (",", ":")}

#: What folium writes in place of a ``Deferred`` object's JSON (``tojson`` of this string).
DEFERRED_TEXT = '"__riskmap_deferred__"'


class Deferred(dict):
    """A dict folium reads as usual (styles, tooltip fields) but writes as ``DEFERRED_TEXT``:
    the caller puts the real text (``tojson``) in its place after rendering.

    folium wraps each element's rendered script in a new jinja template, so the 262 districts'
    tooltip texts would be lexed by jinja once more on every drawing (about a quarter of a
    session's server time under load, ``benchmarks/load.py``); a placeholder costs nothing.
    """


def tojson(obj) -> str:
    """``obj`` as folium's ``tojson`` writes it in a map's script (HTML-safe, ``JSON_KWARGS``)."""
    return str(htmlsafe_json_dumps(obj, dumps=json.dumps, **JSON_KWARGS))


def _dumps(obj, **kwargs) -> str:
    return DEFERRED_TEXT if isinstance(obj, Deferred) else json.dumps(obj, **kwargs)


def _compact_json(template) -> None:
    """Make a jinja template's ``tojson`` write JSON without spaces (``JSON_KWARGS``) and a
    ``Deferred`` object as ``DEFERRED_TEXT``.

    folium embeds the GeoJSON with jinja's ``tojson`` (``json.dumps`` defaults: ", " and ": "),
    which adds about 12% to the 262 districts' geometry. The setting lives on the template's
    environment, which jinja shares among templates made without one (folium's and branca's);
    it changes whitespace only (and no one else passes a ``Deferred``), so it is set once and is
    the same for every user.
    """
    template.environment.policies["json.dumps_kwargs"] = JSON_KWARGS
    template.environment.policies["json.dumps_function"] = _dumps


class ProgrammeRings(MacroElement):
    """Rings where the programme is present: non-interactive circle markers, so hovering and
    clicking go to the unit below (folium's CircleMarker drops ``interactive``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.points|tojson }}.forEach(function (p) {
            L.circleMarker(p, {radius: 7, color: {{ this.colour|tojson }}, weight: 3, fill: false,
                               interactive: false}).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
    """)

    def __init__(self, points):
        super().__init__()
        self._name = "ProgrammeRings"
        self.points = [list(p) for p in points]
        self.colour = PROGRAMME_COLOUR


class TopLabels(MacroElement):
    """Permanent name labels ("1. San Salvador") at the top units, non-interactive, written
    with ``textContent`` (no HTML), that never cover one another.

    ``points`` come in rank order (``map_layer.risk_layer``'s ``labels``). Whenever the view
    settles (drawn, zoomed, moved, resized) or a label's size changes (streamlit-folium links
    Leaflet's stylesheet after the map's script has run), the labels are taken greedily in
    that order: a label whose box (``getBoundingClientRect`` of the tooltip, plus ``LABEL_GAP``
    px) overlaps one already shown is hidden (``riskmap-label-hidden``). Rank 1 is always
    shown; zooming in spreads the units apart and shows the hidden ones.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, gap = {{ this.gap }};
            var labels = {{ this.points|tojson }}.map(function (p) {
                var span = document.createElement("span");
                span.textContent = p[2];
                return L.tooltip({permanent: true, direction: "right", offset: [4, 0], interactive: false,
                                  className: "riskmap-label"}).setLatLng([p[0], p[1]]).setContent(span)
                    .addTo(map);
            });
            function declutter() {
                var shown = [];
                labels.forEach(function (label) {
                    var el = label.getElement();
                    if (!el) return;
                    var r = el.getBoundingClientRect();
                    var covers = shown.some(function (s) {
                        return r.left < s.right + gap && s.left < r.right + gap &&
                               r.top < s.bottom + gap && s.top < r.bottom + gap;
                    });
                    el.classList.toggle("riskmap-label-hidden", covers);
                    if (!covers) shown.push(r);
                });
            }
            map.on("zoomend moveend resize", declutter);
            map.whenReady(function () { setTimeout(declutter, 0); });
            if (window.ResizeObserver) {  // a label's size changes when Leaflet's stylesheet arrives
                var watch = new ResizeObserver(declutter);
                labels.forEach(function (label) { if (label.getElement()) watch.observe(label.getElement()); });
            }
        })();
        {% endmacro %}
    """)

    def __init__(self, points):
        super().__init__()
        self._name = "TopLabels"
        self.points = [list(p) for p in points]
        self.gap = LABEL_GAP


class FocusOutline(MacroElement):
    """The unit found with the search box: a thick outline on top, not interactive."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.geoJSON({{ this.feature|tojson }}, {interactive: false, style: {color: "#00bcd4", weight: 4,
            fill: false, opacity: 1}}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, feature: dict):
        super().__init__()
        self._name = "FocusOutline"
        self.feature = {"type": "Feature", "properties": {}, "geometry": feature["geometry"]}


def geojson_bounds(fc: dict) -> list | None:
    """``[[south, west], [north, east]]`` of a FeatureCollection's coordinates (None if empty)."""
    xy = [c for f in fc["features"] for c in _coords(f["geometry"])]
    if not xy:
        return None
    arr = np.asarray(xy, dtype=float)
    return [[float(arr[:, 1].min()), float(arr[:, 0].min())], [float(arr[:, 1].max()), float(arr[:, 0].max())]]


def risk_map(layer: RiskLayer, *, base_path: str = "", height: int = 620,
             legend_position: str = "bottomleft", bounds: list | None = None,
             focus: dict | None = None) -> OfflineMap:
    """An ``OfflineMap`` with the classed layer (tooltip), programme rings, top-N labels and the
    legend (a Leaflet corner: "bottomleft" clear of El Salvador's coast, "topright" for the
    region). ``bounds`` (``geojson_bounds``) is computed from the layer's features unless given.
    ``focus``: a GeoJSON feature (with its real geometry) to outline and zoom to (the search box)."""
    _compact_json(folium.GeoJson._template)
    fc = layer.geojson
    m = OfflineMap(location=[13.7, -88.9], zoom_start=8, zoom_snap=0.25, base_path=base_path,
                   height=height, control_scale=True, prefer_canvas=False)
    m.get_root().header.add_child(Element(_BACKGROUND_CSS), name="riskmap_css")
    fields = [f for f, _ in layer.tooltip]
    folium.GeoJson(
        fc, name="choropleth", style_function=lambda f: layer.styles[f["properties"]["code"]],
        highlight_function=_highlight,
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=[a for _, a in layer.tooltip],
                                      sticky=True, localize=False, labels=True),
        smooth_factor=0.5,
    ).add_to(m)
    if layer.programme:
        ProgrammeRings(layer.programme).add_to(m)
    if layer.labels:
        TopLabels(layer.labels).add_to(m)
    RiskLegend(layer.legend_title, list(layer.legend), legend_position).add_to(m)
    if focus is not None:
        FocusOutline(focus).add_to(m)
        m.fit_bounds(geojson_bounds({"features": [focus]}), max_zoom=11)
    else:
        bounds = bounds if bounds is not None else geojson_bounds(fc)
        if bounds:
            m.fit_bounds(bounds)
    return m


def geojson_bytes(m: folium.Map) -> int:
    """Bytes of GeoJSON data embedded in a rendered folium map (what the browser receives)."""
    import re

    html = m.get_root().render()
    found = re.findall(r"_add\((\{\"(?:bbox|features|type)\".*?\})\);\n", html, flags=re.S)
    return sum(len(x.encode("utf-8")) for x in found)


def unit_from_click(clicked, code_label: str, codes) -> str | None:
    """The unit code in a clicked tooltip's text (``st_folium``'s
    ``last_object_clicked_tooltip``), read from the line labelled ``code_label``; None when
    nothing (or no known code) was clicked.

    >>> unit_from_click({"last_object_clicked_tooltip": "Área X  Código 0614  Valor 3"},
    ...                 "Código", ["0614"])
    '0614'
    """
    import re

    text = (clicked or {}).get("last_object_clicked_tooltip") if isinstance(clicked, dict) else None
    if not text:
        return None
    m = re.search(re.escape(code_label) + r"[\s:]+(\S+)", str(text))
    code = m.group(1) if m else None
    return code if code in set(map(str, codes)) else None
