"""The standalone HTML map: the dashboard's own folium map with an export's title and footer."""
from __future__ import annotations

from dashboard.i18n import tc

from ..views import MapView
from .context import ExportContext, years_text


def html_map(geojson_text: str, view: MapView, ctx: ExportContext, *, result=None, data=None,
             indicator: str | None = None, year: int, level: str, window: int = 3,
             scheme: str = "quantiles", palette: str = "ylorrd",
             programme: frozenset | None = None, layer=None) -> bytes:
    """The standalone HTML map of the same view: the dashboard's folium risk map
    (``dashboard.map_layer.risk_layer``, ``dashboard.leaflet_map.risk_map``) of ``result`` (composite) or of ``indicator``
    (``layer``: the page's ``risk_model.indicator_layer`` result, computed here when not given),
    with ``view``'s title, subtitle and footer, Leaflet inlined."""
    from dashboard import leaflet_map, map_layer

    from ..html import render_html

    lang = ctx.lang
    if result is not None:
        frame = map_layer.composite_frame(result)
        unit, years_txt, composite = tc("export.legend_score", lang, ctx.country), str(result.year), True
        scheme = result.spec.scheme
        top_n = min(result.spec.top_n, int(result.table["score"].notna().sum()))
    else:
        frame, info = (map_layer.layer_frame(layer) if layer is not None else
                       map_layer.indicator_frame(data, indicator, year=year, window=window, level=level,
                                                 public=ctx.public, scheme=scheme))
        unit, years_txt, composite = data.catalogue[indicator].unit(lang), years_text(info["years"]), False
        top_n = 10
    drawn = map_layer.risk_layer(geojson_text, frame, lang=lang, scheme=scheme, palette=palette, unit=unit,
                            years_txt=years_txt, composite=composite, top_n=top_n,
                            programme=tuple(programme or ()))
    m = leaflet_map.risk_map(drawn)
    return render_html(m, title=view.title, subtitle=view.subtitle,
                       footer=tuple(view.footer) + (view.date_line,), lang=lang, warnings=view.warnings)
