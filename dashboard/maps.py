"""Folium choropleths that work offline: cached web GeoJSON + a values table, joined by code.

Leaflet is the only script the map needs, and it is served by Streamlit itself from
``static/vendor/leaflet/`` (``make`` copies it there from npm's ``leaflet`` package): see
``OfflineMap``. Values, classes and colours are added to a copy of the cached GeoJSON per render
(``choropleth_layer``); every text property is HTML-escaped there, because folium's tooltip
writes properties into ``innerHTML``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from dashboard.i18n import t
from dashboard.text import escape, format_interval, format_number
from risk_model import classify, poisson_interval, share_interval

__all__ = ["PALETTE", "NO_DATA_COLOUR", "SCHEMES", "LEAFLET_DIR", "OfflineMap", "Legend",
           "MapLayer", "pick_year", "indicator_values", "choropleth_layer", "folium_map",
           "map_levels"]

#: ColorBrewer YlOrRd, 5 classes: sequential, colour-blind safe and print friendly.
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA_COLOUR = "#d9d9d9"
#: Classification schemes offered on the map (``risk_model.classify`` names), default first.
SCHEMES = ("natural_breaks", "quantiles")
#: Where Streamlit serves Leaflet (``[server] enableStaticServing``: ``static/`` -> ``/app/static``).
LEAFLET_DIR = "app/static/vendor/leaflet"
#: Indicator level -> geometry level it is drawn on; indicators of other levels are not mapped.
MAP_LEVEL = {"district": "district", "municipio_2024": "municipio_2024"}


def map_levels() -> tuple[str, ...]:
    """Indicator levels that can be drawn on a map."""
    return tuple(MAP_LEVEL)


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


class Legend(MacroElement):
    """A legend drawn as a Leaflet control; texts go in with ``textContent`` (never as HTML)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var spec = {{ this.spec|tojson }};
            var legend = L.control({position: "topright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "riskmap-legend");
                div.style.cssText = "background:rgba(255,255,255,.92);padding:6px 9px;" +
                    "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.35);font:12px/1.5 " +
                    "sans-serif;color:#222;max-width:260px";
                var title = document.createElement("div");
                title.style.fontWeight = "600";
                title.textContent = spec.title;
                div.appendChild(title);
                spec.rows.forEach(function (row) {
                    var line = document.createElement("div");
                    var box = document.createElement("span");
                    box.style.cssText = "display:inline-block;width:14px;height:12px;" +
                        "margin-right:6px;vertical-align:-1px;border:1px solid #777;background:" +
                        row.colour;
                    line.appendChild(box);
                    line.appendChild(document.createTextNode(row.label));
                    div.appendChild(line);
                });
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, title: str, rows: list[tuple[str, str]]):
        super().__init__()
        self._name = "Legend"
        self.spec = {"title": title, "rows": [{"colour": c, "label": lab} for c, lab in rows]}


@dataclass(frozen=True)
class MapLayer:
    """A choropleth ready for folium, plus what the caption and legend need.

    ``geojson`` is a FeatureCollection dict whose text properties are HTML-escaped;
    ``legend`` pairs a colour with a plain-text label (lowest class first, "no data" last).
    """

    geojson: dict
    legend_title: str
    legend: tuple[tuple[str, str], ...]
    scheme: str
    k: int
    requested_k: int
    bins: tuple[float, ...]
    present: int
    total: int


def pick_year(available, wanted: int) -> tuple[int | None, str | None]:
    """The year to show and the message key explaining a substitution.

    ``wanted`` when available; else the latest earlier year (``map.shown_year``); else the
    first later year (``map.shown_year_later``); ``(None, None)`` when nothing is available.

    Examples
    --------
    >>> pick_year([2018, 2021, 2023], 2023), pick_year([2018, 2021], 2020), pick_year([2021], 2019)
    ((2023, None), (2018, 'map.shown_year'), (2021, 'map.shown_year_later'))
    """
    years = sorted({int(y) for y in available})
    if not years:
        return None, None
    if wanted in years:
        return wanted, None
    earlier = [y for y in years if y < wanted]
    return (earlier[-1], "map.shown_year") if earlier else (years[0], "map.shown_year_later")


def indicator_values(obs: pd.DataFrame, indicator, year: int) -> pd.DataFrame:
    """One indicator's displayed value per unit for one year, with a 95% interval.

    Parameters
    ----------
    obs : DataFrame
        Observations (``unit, level, year, indicator, value, denominator``), as from the store.
    indicator : geodata.catalogue.Indicator
        Its ``kind`` decides the value: counts become rates per ``indicator.per`` population
        (value / denominator * per, exact Poisson interval); shares are the stored percent
        0..100 (Wilson interval on ``denominator`` respondents); rates and indices as stored.
    year : int

    Returns
    -------
    DataFrame
        ``code, value, lower, upper, count, denominator``, one row per unit with data at the
        indicator's own level (NaN interval where none applies).
    """
    sel = obs[(obs["indicator"] == indicator.id) & (obs["year"] == int(year))
              & (obs["level"] == indicator.level)]
    count = sel["value"].to_numpy(dtype=float)
    denom = sel["denominator"].to_numpy(dtype=float)
    lower = upper = np.full(len(sel), np.nan)
    if indicator.kind == "count":
        ok = np.isfinite(denom) & (denom > 0)
        est = poisson_interval(np.where(ok, count, 0), np.where(ok, denom, 1), per=indicator.per)
        value = np.where(ok, est.raw, np.nan)
        lower, upper = np.where(ok, est.lower, np.nan), np.where(ok, est.upper, np.nan)
    elif indicator.kind == "share":
        value = count
        ok = np.isfinite(denom) & (denom > 0) & np.isfinite(count)
        if ok.any():
            est = share_interval(np.where(ok, count / 100 * np.where(ok, denom, 1), 0),
                                 np.where(ok, denom, 1))
            lower, upper = np.where(ok, est.lower, np.nan), np.where(ok, est.upper, np.nan)
    else:
        value = count
    return pd.DataFrame({"code": sel["unit"].astype(str).to_numpy(), "value": value,
                         "lower": lower, "upper": upper, "count": count, "denominator": denom})


def _class_colours(k: int) -> list[str]:
    """``k`` colours spread over the 5-class palette (all 5 when k = 5)."""
    return [PALETTE[int(round(i))] for i in np.linspace(0, len(PALETTE) - 1, k)] if k > 1 \
        else [PALETTE[len(PALETTE) // 2]]


def choropleth_layer(geojson_text: str, values: pd.DataFrame, indicator, *, year: int,
                     lang: str, scheme: str = "natural_breaks", decimals: int = 1) -> MapLayer:
    """Join ``values`` (from ``indicator_values``) to the web GeoJSON by code and class them.

    Each feature gets escaped text properties ``name``, ``dept_name``, ``value_txt``
    (number and unit), ``interval_txt`` and ``year_txt``, and a ``fill`` colour. Units without
    a value are grey and say "no data".
    """
    fc = json.loads(geojson_text)
    by_code = values.set_index("code")
    codes = [f["properties"]["code"] for f in fc["features"]]
    v = by_code["value"].reindex(codes).to_numpy(dtype=float)
    present = np.isfinite(v)
    unit = indicator.unit(lang)
    if present.any():
        cls = classify(v, scheme, k=len(PALETTE))
        colours = _class_colours(cls.k)
        bins, yb, k = tuple(float(b) for b in cls.bins), cls.yb, cls.k
    else:
        colours, bins, yb, k = [], (), np.full(len(codes), -1), 0
    low = by_code["lower"].reindex(codes).to_numpy(dtype=float)
    high = by_code["upper"].reindex(codes).to_numpy(dtype=float)
    no_data = t("legend.no_data", lang)
    for i, feat in enumerate(fc["features"]):
        p = feat["properties"]
        has = bool(present[i])
        feat["properties"] = {
            "code": escape(p["code"]), "name": escape(p["name"]),
            "dept_name": escape(p.get("dept_name", "")),
            "value_txt": escape(f"{format_number(v[i], lang, decimals)} {unit}" if has else no_data),
            "interval_txt": escape(format_interval(low[i], high[i], lang, decimals)),
            "year_txt": escape(str(year)),
            "fill": colours[yb[i]] if has and yb[i] >= 0 else NO_DATA_COLOUR,
        }
    rows = []
    lower_edge = float(np.nanmin(v)) if present.any() else np.nan
    for i, colour in enumerate(colours):
        lo = format_number(lower_edge if i == 0 else bins[i - 1], lang, decimals)
        hi = format_number(bins[i], lang, decimals)
        # a class of one value (e.g. every district with 0 events) reads "0,0", not "0,0 – 0,0"
        rows.append((colour, hi if lo == hi else t("legend.range", lang, low=lo, high=hi)))
    if (~present).any():
        rows.append((NO_DATA_COLOUR, no_data))
    return MapLayer(geojson=fc, legend_title=unit, legend=tuple(rows), scheme=scheme, k=k,
                    requested_k=len(PALETTE), bins=bins, present=int(present.sum()),
                    total=len(codes))


def _style(feature) -> dict:
    return {"fillColor": feature["properties"]["fill"], "fillOpacity": 0.85,
            "color": "#4d4d4d", "weight": 0.6}


def _highlight(feature) -> dict:
    return {"weight": 2.5, "color": "#000000", "fillOpacity": 0.95}


_BACKGROUND_CSS = ("<style>.leaflet-container{background:#eef2f5;}"
                   ".leaflet-tooltip table{font-size:12px;}</style>")


def folium_map(layer: MapLayer, *, lang: str, base_path: str = "", height: int = 620) -> OfflineMap:
    """An ``OfflineMap`` with the choropleth, a tooltip, the legend and no basemap tiles."""
    fc = layer.geojson
    m = OfflineMap(location=[13.7, -88.9], zoom_start=8, zoom_snap=0.25, base_path=base_path,
                   height=height, control_scale=True, prefer_canvas=False)
    m.get_root().header.add_child(Element(_BACKGROUND_CSS), name="riskmap_css")
    fields = ["name", "dept_name", "value_txt", "interval_txt", "year_txt"]
    aliases = [escape(t(k, lang)) for k in ("tooltip.name", "tooltip.department",
                                            "tooltip.value", "tooltip.interval", "tooltip.year")]
    folium.GeoJson(
        fc, name="choropleth", style_function=_style, highlight_function=_highlight,
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True,
                                      localize=False, labels=True),
        smooth_factor=0.5,
    ).add_to(m)
    Legend(layer.legend_title, list(layer.legend)).add_to(m)
    xy = [c for f in fc["features"] for c in _coords(f["geometry"])]
    if xy:
        arr = np.asarray(xy, dtype=float)
        m.fit_bounds([[float(arr[:, 1].min()), float(arr[:, 0].min())],
                      [float(arr[:, 1].max()), float(arr[:, 0].max())]])
    return m


def _coords(geom: dict):
    def walk(c):
        if c and isinstance(c[0], (int, float)):
            yield c
        else:
            for part in c:
                yield from walk(part)
    return walk(geom["coordinates"])
