"""Map exports: the composite score classed as the model did, and one indicator's smoothed
value classed by a scheme, as ``MapView`` inputs for the PNG/SVG/PDF renderer."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard import captions
from dashboard.i18n import t, tc
from dashboard.text import format_number
from geodata.suppression import DEFAULT_THRESHOLD, is_small, mask_derived, suppress
from risk_model.indicator_layer import IndicatorLayer, indicator_layer

from ..style import NO_DATA_COLOUR
from ..views import MapView, Overlay
from .context import (SUPPRESSED_COLOUR, ExportContext, aligned, capitalised, class_colours, legend_rows, level_text,
                      map_frame, rank_labels, rank_labels_note, scenario_text, sources_line, vintage_line, years_text)


def composite_view(result, units: gpd.GeoDataFrame, ctx: ExportContext, *,
                   outlines: gpd.GeoDataFrame | None = None, water: gpd.GeoDataFrame | None = None,
                   top_labels: int = 10, programme: frozenset | None = None,
                   title: str | None = None, palette: str = "ylorrd", data=None) -> MapView:
    """The composite score of ``result`` on ``units`` (same level), classed as the model did;
    with ``data`` (the ``ModelData``) the map carries the data-age warnings."""
    lang = ctx.lang
    said = captions.composite_texts(result, data, lang)
    tab = aligned(units, result.table, result.level)
    cls = result.classification
    colours = class_colours(cls.k, palette)
    yb = tab["class"].fillna(-1).astype(int).to_numpy()
    fill = [colours[c] if c >= 0 else NO_DATA_COLOUR for c in yb]
    score = tab["score"].to_numpy(dtype=float)
    legend = legend_rows(score, cls, lang, 1, palette)
    if (yb < 0).any():
        legend.append((NO_DATA_COLOUR, t("export.no_data", lang)))
    order = pd.Series(tab["rank"].to_numpy(), index=units.index)
    spec = result.spec
    rel = tab["reliability"].to_numpy(dtype=float)
    footer = (
        sources_line(ctx, [i.dataset for i in result.catalogue.values()]),
        vintage_line(ctx, [(i.label(lang), result.estimates[k].years) for k, i in result.catalogue.items()]),
        tc("export.reliability_composite", lang, ctx.country, median=format_number(np.nanmedian(rel), lang),
          low=format_number(int((rel < 5).sum()), lang, 0), total=format_number(len(rel), lang, 0)),
        t("export.model", lang, spec=spec.key(), version=ctx.data_version),
    )
    overlays = (Overlay(t("export.programme", lang), frozenset(programme)),) if programme else ()
    n = min(top_labels, int(np.isfinite(score).sum()))
    return MapView(
        units=map_frame(units, fill, rank_labels(units, order, n)),
        title=title or tc("export.title_composite", lang, ctx.country, country=ctx.country_name, year=result.year,
                          dimensions=said["dimensions"]),
        subtitle=tc("export.subtitle_composite", lang, ctx.country, level=level_text(result.level, lang),
                    scenario=scenario_text(spec, lang, said["pools"]), data_years=said["data_years"]),
        warnings=said["warnings"],
        legend_title=tc("export.legend_score", lang, ctx.country), legend=tuple(legend),
        legend_note=t("export.scheme_note", lang, scheme=t(f"scheme.{cls.scheme}", lang), k=cls.k),
        footer=footer, lang=lang, outlines=outlines, water=water, overlays=overlays,
        labels_note=rank_labels_note(order, n, lang),
        date_line=t("export.date", lang, date=ctx.date_text),
        breaks=tuple(float(b) for b in cls.bins))


# ----------------------------------------------------------------------------- one indicator

def indicator_values(data, indicator: str, *, year: int, window: int, level: str,
                     public: bool = True) -> pd.DataFrame:
    """``risk_model.result_tables.rates_table`` of one indicator, with small counts of a sensitive
    indicator hidden when ``public`` (count "<5"; rates and intervals missing)."""
    from risk_model.result_tables import rates_table

    tab = rates_table(data, indicator, year=year, window=window, level=level)
    ind = data.catalogue[indicator]
    tab["suppressed"] = False
    if public and ind.sensitive:
        counts = tab["count"].to_numpy()
        tab["suppressed"] = [is_small(c) for c in counts]
        for col in ("raw_rate", "ci_low", "ci_high", "eb_rate", "spatial_eb_rate"):
            tab[col] = pd.to_numeric(pd.Series(mask_derived(tab[col].tolist(), counts)), errors="coerce")
        tab["count"] = suppress(counts)
    return tab


def _indicator_reliability(ind, tab: pd.DataFrame, lang: str) -> str:
    total = len(tab)
    count = pd.to_numeric(tab["count"], errors="coerce")
    exposure = pd.to_numeric(tab["exposure"], errors="coerce")
    if ind.kind == "count":
        small = int((tab["suppressed"] | ((count >= 0) & (count < DEFAULT_THRESHOLD))).sum())
        return t("export.reliability_count", lang, small=small, total=total,
                 years=str(tab["years"].iloc[0]).replace("-", "–") if len(tab) else "–")
    if ind.denominator == "respondents":
        return t("export.reliability_share", lang, small=int(((exposure > 0) & (exposure < 30)).sum()),
                 total=total, missing=int((~(exposure > 0)).sum()))
    return t("export.reliability_fixed", lang, missing=int(tab["eb_rate"].isna().sum()), total=total)


def indicator_view(data, indicator: str, units: gpd.GeoDataFrame, ctx: ExportContext, *, year: int,
                   level: str, window: int = 3, scheme: str = "quantiles",
                   outlines: gpd.GeoDataFrame | None = None, water: gpd.GeoDataFrame | None = None,
                   top_labels: int = 10, programme: frozenset | None = None,
                   values: pd.DataFrame | None = None, palette: str = "ylorrd",
                   layer: IndicatorLayer | None = None) -> MapView:
    """One indicator's smoothed value per unit of ``level``, classed as ``layer`` (the page's own
    ``risk_model.indicator_layer`` result; computed with ``scheme`` and ``ctx.public`` when not
    given), so the printed map has the screen map's breaks and classes."""
    lang = ctx.lang
    ind = data.catalogue[indicator]
    if layer is None:
        layer = indicator_layer(data, indicator, year=year, window=window, level=level, scheme=scheme,
                                public=ctx.public)
    tab = values if values is not None else indicator_values(data, indicator, year=year, window=window,
                                                             level=level, public=ctx.public)
    al = aligned(units, layer.frame().assign(name=""), level)
    v = al["value"].to_numpy(dtype=float)
    hidden = al["suppressed"].fillna(False).astype(bool).to_numpy()
    yb = al["class"].fillna(-1).astype(int).to_numpy()
    present = np.isfinite(v)
    decimals = 2 if present.any() and np.nanmax(np.abs(v)) < 10 else 1
    fill = np.full(len(v), NO_DATA_COLOUR, dtype=object)
    legend: list[tuple[str, str]] = []
    note = ""
    cls = layer.classification
    if cls is not None:
        colours = class_colours(cls.k, palette)
        fill[yb >= 0] = [colours[c] for c in yb[yb >= 0]]
        legend = legend_rows(layer.value, cls, lang, decimals, palette)
        note = t("export.scheme_note", lang, scheme=t(f"scheme.{cls.scheme}", lang), k=cls.k)
    fill[hidden] = SUPPRESSED_COLOUR
    if hidden.any():
        legend.append((SUPPRESSED_COLOUR, t("export.suppressed", lang, threshold=DEFAULT_THRESHOLD)))
    if (~present & ~hidden).any():
        legend.append((NO_DATA_COLOUR, t("export.no_data", lang)))
    worst = v * ind.direction
    order = pd.Series(pd.Series(np.where(present, worst, np.nan)).rank(ascending=False, method="first")
                      .to_numpy(), index=units.index)
    n = min(top_labels, int(present.sum()))
    years = tab["years"].iloc[0] if len(tab) else ""
    year_list = [int(y) for y in str(years).split("-") if y.isdigit()]
    footer = [sources_line(ctx, [ind.dataset]),
              vintage_line(ctx, [(ind.label(lang), range(year_list[0], year_list[-1] + 1) if year_list else ())]),
              _indicator_reliability(ind, tab, lang)]
    if ind.sensitive and ctx.public:
        footer.append(t("export.suppression_note", lang))
    footer.append(t("export.model", lang, spec=f"{indicator};win={window};scheme={scheme}",
                    version=ctx.data_version))
    overlays = (Overlay(t("export.programme", lang), frozenset(programme)),) if programme else ()
    return MapView(
        units=map_frame(units, fill, rank_labels(units, order, n)),
        title=t("export.title_indicator", lang, country=ctx.country_name, label=ind.label(lang), year=year),
        subtitle=capitalised(t("export.subtitle_indicator", lang, unit=ind.unit(lang), level=level_text(level, lang),
                   years=years_text(range(year_list[0], year_list[-1] + 1)) if year_list else "–")),
        legend_title=capitalised(ind.unit(lang)), legend=tuple(legend), legend_note=note, footer=tuple(footer),
        lang=lang, outlines=outlines, water=water, overlays=overlays,
        labels_note=rank_labels_note(order, n, lang),
        date_line=t("export.date", lang, date=ctx.date_text),
        warnings=tuple(captions.warnings(data, [indicator], year, lang)),
        breaks=tuple(float(b) for b in cls.bins) if cls is not None else ())
