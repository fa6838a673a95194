"""The risk map's layer: values per unit (composite score or one indicator), classes, colours,
tooltip properties and legend rows, joined to the cached web GeoJSON by code. No folium here:
``dashboard.leaflet_map`` draws a ``RiskLayer``.

Every text property is HTML-escaped here, because folium's tooltip writes properties into
``innerHTML``. Scores are 0..10; indicator values in the indicator's unit; reliability 0..10.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.confidence import confidence_label
from dashboard.i18n import t
from dashboard.shared import memo
from dashboard.text import escape, format_interval, format_number
from dashboard.why import bar_html, contribution_columns
from geodata.names import CLASS_CODES
from risk_model import classify
from risk_model.indicator_layer import class_ranges, fixed_bins

#: ColorBrewer YlOrRd, 5 classes: sequential, colour-blind safe and print friendly.
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA_COLOUR = "#d9d9d9"
#: Colour-blind-safe sequential palettes, 5 classes, lowest risk first (ColorBrewer YlOrRd,
#: matplotlib viridis reversed, cividis reversed: all readable with deuteranopia and in grey).
PALETTES = {
    "ylorrd": ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    "viridis": ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"),
    "cividis": ("#fee838", "#c3b369", "#7c7b78", "#3e4c6d", "#00224e"),
}
#: Reliability (0..10) under which a unit's fill is faded.
LOW_RELIABILITY = 5.0
#: Hotspot overlays: none, Getis-Ord Gi* (``gi``) or Local Moran (``moran``).
HOTSPOT_METHODS = ("none", "gi", "moran")
#: Layer id of the composite score on the map (other layers are indicator ids).
COMPOSITE = "composite"

#: Outline of a unit per hotspot code (Gi*: hot/cold; Local Moran: HH, LL, HL, LH).
_HOT = {"color": "#000000", "weight": 3.0, "dashArray": ""}
_COLD = {"color": "#2166ac", "weight": 3.0, "dashArray": "6 4"}
HOTSPOT_STYLES = {"hot": _HOT, "HH": _HOT, "cold": _COLD, "LL": _COLD,
                  "HL": {"color": "#000000", "weight": 2.5, "dashArray": "1 5"},
                  "LH": {"color": "#2166ac", "weight": 2.5, "dashArray": "1 5"}}
_BORDER = {"color": "#4d4d4d", "weight": 0.6, "dashArray": ""}
PROGRAMME_COLOUR = "#6a3d9a"


def mappable_indicators(catalogue: dict, observations: pd.DataFrame) -> list[str]:
    """Indicator ids with observations at a sub-national level, in catalogue order."""
    have = set(observations.loc[observations["level"] != "country", "indicator"])
    return [i for i, ind in catalogue.items() if i in have and ind.level != "country"]


def composite_frame(result) -> pd.DataFrame:
    """Per unit of ``result.level`` (unit order): ``code, value`` (score 0..10), ``class_code``,
    ``rank, rank_p05, rank_p95, p_top, reliability``."""
    from risk_model.contributions import contribution_table

    tb = result.table
    out = pd.DataFrame({"code": tb["code"].astype(str), "value": tb["score"],
                        "class_code": tb["class_code"], "rank": tb["rank"],
                        "rank_p05": tb["rank_p05"], "rank_p95": tb["rank_p95"],
                        "p_top": tb["p_top"], "reliability": tb["reliability"]})
    parts = contribution_table(result)
    for col in parts.columns[1:]:
        out[col] = parts[col].to_numpy()
    return out


def indicator_frame(data, indicator: str, *, year: int, window: int, level: str,
                    public: bool = True, scheme: str = "quantiles") -> tuple[pd.DataFrame, dict]:
    """One indicator on the units of ``level``: ``risk_model.indicator_layer``'s frame
    (``code, value, raw, lower, upper, count, reliability, imputed, suppressed, class``) and info
    ``years`` (tuple), ``native_level``, ``sensitive``, ``classification``. ``public``: a sensitive
    indicator's counts 1..4 become "<5" and their values and interval are hidden."""
    from risk_model.indicator_layer import indicator_layer

    return layer_frame(indicator_layer(data, indicator, year=year, window=window, level=level, scheme=scheme,
                                       public=public))


def layer_frame(layer) -> tuple[pd.DataFrame, dict]:
    """``indicator_frame``'s frame and info of an already computed ``risk_model.indicator_layer``
    result (the page's own, handed to its exports too)."""
    return layer.frame(), {"years": layer.years, "native_level": layer.native_level,
                           "sensitive": layer.sensitive, "classification": layer.classification}


@dataclass(frozen=True)
class RiskLayer:
    """A classed layer ready for folium, plus what the captions and legend need.

    ``geojson`` is a FeatureCollection whose text properties are HTML-escaped and short-named
    (see ``TOOLTIP_FIELDS``); ``tooltip`` pairs each property with its (escaped) label;
    ``legend`` holds ``(kind, colour, label)`` rows, kind "box", "faded", "line", "dash",
    "dot" or "ring"; ``programme`` the ``(lat, lon)`` of programme units present at this level.
    """

    geojson: dict
    tooltip: tuple[tuple[str, str], ...]
    legend_title: str
    legend: tuple[tuple[str, str, str], ...]
    scheme: str
    k: int
    requested_k: int
    bins: tuple[float, ...]
    present: int
    total: int
    low_reliability: int
    programme: tuple[tuple[float, float], ...]
    hotspots: dict
    styles: dict
    labels: tuple[tuple[float, float, str], ...] = ()


@memo(copy=False, max_entries=8)
def parsed_geojson(geojson_text: str) -> dict:
    """The web GeoJSON parsed once per text, shared by every session's map of a level and by
    ``dashboard.mapview`` (never mutated: ``risk_layer`` copies each feature it changes)."""
    return json.loads(geojson_text)


@memo(copy=False, max_entries=8)
def label_points(geojson_text: str) -> dict[str, tuple[float, float]]:
    """Each feature's code -> ``(lat, lon)`` of a point inside it (shapely's
    ``representative_point``, degrees rounded to 4 decimals, about 11 m), where the programme
    rings and name labels go; once per GeoJSON."""
    from shapely.geometry import shape

    out = {}
    for feat in parsed_geojson(geojson_text)["features"]:
        pt = shape(feat["geometry"]).representative_point()
        out[str(feat["properties"]["code"])] = (round(pt.y, 4), round(pt.x, 4))
    return out


def risk_layer(geojson_text: str, frame: pd.DataFrame, *, lang: str, scheme: str, palette: str,
               unit: str, years_txt: str, composite: bool, top_n: int = 10,
               hotspots: pd.DataFrame | None = None, hotspot_method: str = "none",
               programme=(), imputed_note: str = "", decimals: int = 1, labels: int = 0) -> RiskLayer:
    """Join ``frame`` (``composite_frame`` or ``indicator_frame``) to the web GeoJSON by code.

    ``labels``: the units ranked 1..``labels`` (composite) get a name label on the map, "1. Name"
    as in the exports.

    Each feature gets short escaped text properties for the tooltip and a style key ``s``
    (fill colour, faded when reliability < ``LOW_RELIABILITY``, hotspot outline). Units without
    a value are grey ("no data"). ``hotspots`` is ``risk_model.result_tables.hotspot_table`` output.
    """
    colours_all = PALETTES.get(palette, PALETTE)
    parsed = parsed_geojson(geojson_text)  # shared: each feature is copied before its properties change
    fc = dict(parsed, features=[dict(f) for f in parsed["features"]])
    by_code = frame.set_index("code")
    codes = [str(f["properties"]["code"]) for f in fc["features"]]
    df = by_code.reindex(codes)
    v = df["value"].to_numpy(dtype=float)
    present = np.isfinite(v)
    if present.any():
        bins = None
        if scheme == "fixed" and not composite:
            bins = fixed_bins(float(np.nanmax(v)), len(colours_all))
        cls = classify(v, scheme, k=len(colours_all), bins=bins)
        colours = list(colours_all) if cls.k == len(colours_all) else \
            [colours_all[int(round(i))] for i in np.linspace(0, len(colours_all) - 1, cls.k)]
        bins_t, yb, k = tuple(float(b) for b in cls.bins), cls.yb, cls.k
    else:
        colours, bins_t, yb, k = [], (), np.full(len(codes), -1), 0
    rel = df["reliability"].to_numpy(dtype=float)
    faded = np.isfinite(rel) & (rel < LOW_RELIABILITY) & present
    hot = {}
    if hotspots is not None and hotspot_method in ("gi", "moran"):
        col = "gi" if hotspot_method == "gi" else "moran"
        hot = {c: h for c, h in zip(hotspots["code"].astype(str), hotspots[col]) if h in HOTSPOT_STYLES}
    no_data = t("legend.no_data", lang)
    why_cols = contribution_columns(df) if composite else []
    has_p = composite and "p_top" in df and bool(np.isfinite(df["p_top"].to_numpy(float)).any())
    num = lambda x, d=decimals: format_number(x, lang, d)  # noqa: E731
    styles: dict = {}
    rows_by_unit = df.to_dict("records")  # plain dicts: a pandas row per unit cost ~60 µs each
    for i, feat in enumerate(fc["features"]):
        p = feat["properties"]
        row = rows_by_unit[i]
        has = bool(present[i])
        props = {"code": escape(p["code"]), "n": escape(p["name"]), "d": escape(p.get("dept_name", "")),
                 "y": escape(years_txt),
                 "r": escape(num(rel[i]) if np.isfinite(rel[i]) else no_data)}
        if composite:
            props["v"] = escape(num(v[i], 2) if has else no_data)
            props["k"] = escape(t(f"legend.class_{row['class_code']}", lang)
                                if has and row["class_code"] else "")
            props["b"] = escape(f"{num(row['rank'], 0)} ({num(row['rank_p05'], 0)}–{num(row['rank_p95'], 0)})"
                                if has and np.isfinite(row["rank_p05"]) else
                                (num(row["rank"], 0) if has else ""))
            props["q"] = escape(f"{num(100 * row['p_top'], 0)} %" if np.isfinite(row["p_top"]) else "–")
            props["l"] = escape(confidence_label(row["p_top"], top_n, lang))
            if why_cols:
                props["x"] = bar_html(row) if has else ""  # numbers only: not escaped, see dashboard.why
        else:
            props["v"] = escape(num(v[i]) if has else no_data)
            props["w"] = escape(num(row["raw"]))
            cnt = row["count"]
            props["c"] = escape(cnt if isinstance(cnt, str) else num(cnt, 0))
            props["i"] = escape(format_interval(row["lower"], row["upper"], lang, decimals))
            props["f"] = escape(imputed_note if bool(row["imputed"]) else "")
        props["h"] = escape(t(f"legend.{hot[codes[i]]}", lang)) if codes[i] in hot else ""
        fill = colours[yb[i]] if has and yb[i] >= 0 else NO_DATA_COLOUR
        line = HOTSPOT_STYLES[hot[codes[i]]] if codes[i] in hot else _BORDER
        styles[codes[i]] = {"fillColor": fill, "fillOpacity": 0.35 if faded[i] else 0.85, **line}
        feat["properties"] = props
    # legend: classes, no data, faded, hotspot outlines, programme
    rows = []
    ranges = class_ranges(cls, v) if present.any() else []
    for i, colour in enumerate(colours):
        lo, hi = num(ranges[i][0]), num(ranges[i][1])
        label = hi if lo == hi else t("legend.range", lang, low=lo, high=hi)
        if composite and k == len(PALETTE):
            label = f"{t('legend.class_' + CLASS_CODES[i], lang)}: {label}"
        rows.append(("box", colour, label))
    rows.reverse()  # highest risk on top
    if (~present).any():
        rows.append(("box", NO_DATA_COLOUR, no_data))
    if faded.any():
        rows.append(("faded", colours_all[-1], t("legend.low_reliability", lang)))
    for code in dict.fromkeys(hot.values()):
        style = HOTSPOT_STYLES[code]
        kind = "line" if not style["dashArray"] else ("dot" if style["dashArray"].startswith("1 ") else "dash")
        rows.append((kind, style["color"], t(f"legend.{code}", lang)))
    inside = label_points(geojson_text)
    wanted = {str(c) for c in programme}
    points = [inside[code] for code in codes if code in wanted]
    if points:
        rows.append(("ring", PROGRAMME_COLOUR, t("legend.programme", lang)))
    if composite:
        fields = ["n", "d", "code", "v", "k", "b", "q", *(["l"] if has_p else []), *(["x"] if why_cols else []),
                  "r", "y", "h"]
        tips = [t("map.tip_score", lang), t("map.tip_class", lang), t("map.tip_rank", lang),
                t("map.tip_ptop", lang, n=top_n), *([t("confidence.col_label", lang)] if has_p else []),
                *([t("why.tip", lang)] if why_cols else [])]
    else:
        fields = ["n", "d", "code", "v", "w", "c", "i", "r", "y", "f", "h"]
        tips = [f"{t('map.tip_value', lang)} ({unit})", t("map.tip_raw", lang),
                t("map.tip_count", lang), t("map.tip_interval", lang)]
    aliases = [t("tooltip.name", lang), t("tooltip.department", lang), t("map.tip_code", lang), *tips,
               t("map.tip_reliability", lang), t("map.tip_years", lang)]
    if not composite:
        aliases.append(t("map.tip_note", lang))
    aliases.append(t("map.tip_hot", lang))
    if not hot:  # no hotspot overlay: no empty "Cluster" row in the tooltip
        fields, aliases = fields[:-1], aliases[:-1]
    return RiskLayer(geojson=fc, tooltip=tuple(zip(fields, (escape(a) for a in aliases))),
                     legend_title=unit, legend=tuple(rows), scheme=scheme, k=k,
                     requested_k=len(colours_all), bins=bins_t, present=int(present.sum()),
                     total=len(codes), low_reliability=int(faded.sum()), programme=tuple(points),
                     styles=styles,
                     labels=_top_labels(codes, [str(f["properties"]["name"]) for f in parsed["features"]], df,
                                        labels, inside) if composite else (),
                     hotspots={c: int(n) for c, n in pd.Series(list(hot.values()), dtype=object)
                               .value_counts().items()})


def _top_labels(codes: list[str], names: list[str], df: pd.DataFrame, n: int, inside: dict) -> tuple:
    """``(lat, lon, "rank. name")`` of the units ranked 1..``n`` (``df``, ``codes`` and ``names``
    in the GeoJSON's order; names as in the GeoJSON, unescaped: the label is written with
    ``textContent``), at ``inside`` (``label_points``)."""
    if n <= 0 or "rank" not in df:
        return ()
    rank = df["rank"].to_numpy(float)
    out = []
    for i in np.argsort(np.where(np.isfinite(rank), rank, np.inf), kind="stable")[:n]:
        if not np.isfinite(rank[i]):
            break
        out.append((*inside[codes[i]], f"{int(rank[i])}. {names[i]}"))
    return tuple(out)
