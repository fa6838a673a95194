"""The one-page briefing of a composite result: map, top-N table, trend panel, method."""
from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np

from dashboard import captions
from dashboard.i18n import t, tc
from dashboard.text import format_number
from risk_model.rates import poisson_interval

from ..style import NO_DATA_COLOUR
from ..views import Briefing, TrendPanel
from .context import ExportContext, class_colours, class_names, rank_labels_note
from .map_view import composite_view

#: The indicator drawn in the briefing's trend chart, per country: a yearly municipal count.
#: Guatemala's and Honduras's municipal data are single-year, so their briefing draws the
#: national homicide rate (``CONTEXT_INDICATOR``) instead of a flat line.
TREND_INDICATORS = {"slv": "acled_fatalities", "mex": "mex_homicides"}
TREND_INDICATOR = TREND_INDICATORS["slv"]
CONTEXT_INDICATOR = "unodc_homicide_rate"


def national_trend(data, result, ctx: ExportContext, *, indicator: str = TREND_INDICATOR,
                   top: int = 3) -> TrendPanel:
    """National yearly rate of ``indicator`` (sum of counts over sum of population, exact Poisson
    95% band) up to the result's year, and the smoothed yearly rate of the ``top`` first units."""
    from risk_model.estimates import estimate_indicator

    lang = ctx.lang
    ind = data.catalogue[indicator]
    obs = data.indicator_observations(indicator)
    obs = obs[(obs["level"] == ind.level) & (obs["year"] <= result.year)]
    by_year = obs.groupby("year")[["value", "denominator"]].sum().sort_index()
    ci = poisson_interval(by_year["value"].to_numpy(float), by_year["denominator"].to_numpy(float),
                          per=ind.per)
    years = tuple(int(y) for y in by_year.index)
    tab = result.table.sort_values(["rank", "code"]).head(top)
    codes = list(tab["code"])
    pos = {c: i for i, c in enumerate(data.units[result.level]["code"])}
    series = {c: [] for c in codes}
    for y in years:
        est = estimate_indicator(data, indicator, year=y, window=1, level=result.level)
        for c in codes:
            series[c].append(float(est.smoothed[pos[c]]))
    named = tuple((f"{int(r.rank)}. {r.name}", tuple(series[r.code])) for r in tab.itertuples())
    return TrendPanel(title=tc("export.trend_title", lang, ctx.country), ylabel=t("export.trend_axis", lang), years=years,
                      national=tuple(ci.raw), lower=tuple(ci.lower), upper=tuple(ci.upper),
                      national_label=t("export.trend_national", lang, country=ctx.country_name),
                      series=named, note=tc("export.trend_note", lang, ctx.country))


def context_trend(data, result, ctx: ExportContext) -> TrendPanel:
    """The country's national homicide rate per 100,000 (UNODC via WDI) up to the result's
    year, for a briefing whose municipal data have a single year; no band, no unit series."""
    from dashboard.trend_series import national_context

    lang = ctx.lang
    series = national_context(data.observations, ctx.country, CONTEXT_INDICATOR)
    series = series[series["year"] <= result.year]
    years = tuple(int(y) for y in series["year"])
    values = tuple(float(v) for v in series["value"])
    first, last = (years[0], years[-1]) if years else (result.year, result.year)
    return TrendPanel(title=t("export.context_title", lang), ylabel=t("export.trend_axis", lang),
                      years=years, national=values, lower=values, upper=values,
                      national_label=ctx.country_name,
                      note=t("export.context_note", lang, country=ctx.country_name, first=first, last=last))


def briefing_trend(data, result, ctx: ExportContext) -> TrendPanel:
    """``national_trend`` of the country's ``TREND_INDICATORS`` entry, else ``context_trend``."""
    indicator = TREND_INDICATORS.get(ctx.country)
    if indicator in data.catalogue:
        return national_trend(data, result, ctx, indicator=indicator)
    return context_trend(data, result, ctx)


def briefing(result, data, units: gpd.GeoDataFrame, ctx: ExportContext, *,
             outlines: gpd.GeoDataFrame | None = None, water: gpd.GeoDataFrame | None = None,
             rows: int = 10, programme: frozenset | None = None, palette: str = "ylorrd") -> Briefing:
    """The one-page briefing of a composite result: map, top-``rows`` table, trend, method."""
    lang = ctx.lang
    spec = result.spec
    view = composite_view(result, units, ctx, outlines=outlines, water=water, top_labels=rows,
                          programme=programme, palette=palette, data=data)
    said = captions.composite_texts(result, None, lang)
    # the table beside the map names the units: the map shows their rank only
    short = view.units.copy()
    short["label"] = [lab.split(".", 1)[0] if lab else "" for lab in short["label"]]
    view = replace(view, units=short, labels_note=rank_labels_note(result.table["rank"], min(rows, len(short)), lang,
                                                                   "export.labels_rank"))
    top_n = min(spec.top_n, int(result.table["score"].notna().sum()))
    tab = result.table.sort_values(["rank", "code"]).head(rows)
    colours = class_colours(result.classification.k, palette)
    names = class_names(result.classification.k, lang)
    body, swatches = [], []
    for r, c in zip(tab.itertuples(), tab["class"].astype(int)):
        band = (t("export.band", lang, low=format_number(r.rank_p05, lang, 0),
                  high=format_number(r.rank_p95, lang, 0)) if np.isfinite(r.rank_p05) else "–")
        ptop = (t("export.percent", lang, value=format_number(100 * r.p_top, lang, 0))
                if np.isfinite(r.p_top) else "–")
        body.append((format_number(r.rank, lang, 0), str(r.name), str(r.department),
                     format_number(r.score, lang, 1), names[c] if c >= 0 else "–", band, ptop))
        swatches.append(colours[c] if c >= 0 else NO_DATA_COLOUR)
    columns = tuple(t(f"export.col_{c}", lang, n=top_n) if c == "ptop" else t(f"export.col_{c}", lang)
                    for c in ("rank", "name", "department", "score", "class", "band", "ptop"))
    pooling = t("export.method_pooling", lang, window=spec.window) if said["pools"] else ""
    method = tc("export.method_text", lang, ctx.country, dimensions=said["dimensions"],
                aggregation=t(f"export.agg_{spec.aggregation}", lang), pooling=pooling, n=top_n,
                window=spec.window, sources=said["data_years"],
               draws=format_number(result.uncertainty.draws if result.uncertainty else 0, lang, 0))
    return Briefing(
        title=tc("export.briefing_title", lang, ctx.country, country=ctx.country_name, year=result.year,
                 dimensions=said["dimensions"]),
        subtitle=view.subtitle, map=view,
        table_title=t("export.table_title", lang, n=len(body)), columns=columns, rows=tuple(body),
        row_colours=tuple(swatches), trend=briefing_trend(data, result, ctx),
        method_title=t("export.method_title", lang), method_text=method,
        footer=view.footer, date_line=view.date_line, lang=lang)
