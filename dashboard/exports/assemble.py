"""Build the renderers' plain inputs from the model's tables, in one language.

Inputs are what a page or the command line already has: a ``ModelResult`` (composite layer),
``ModelData`` (indicator layer and trend), unit GeoDataFrames (full geometry, EPSG:4326) and an
``ExportContext`` (language, date, data version, attribution lines, dataset registry).
Everything that reaches a renderer is translated here with ``dashboard.i18n.t`` and formatted
with ``dashboard.text.format_number``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.i18n import t, tc
from dashboard.text import format_number
from geodata.suppression import DEFAULT_THRESHOLD, is_small, mask_derived, suppress
from risk_model.classify import CLASS_NAMES, Classification, classify
from risk_model.rates import poisson_interval

from .style import NO_DATA_COLOUR, PALETTE
from .views import Briefing, MapView, Overlay, TableExport, TrendPanel

__all__ = ["ExportContext", "LAYER_COMPOSITE", "SUPPRESSED_COLOUR", "class_colours", "class_names",
           "composite_view", "indicator_values", "indicator_view", "briefing", "national_trend", "context_trend", "briefing_trend", "html_map",
           "score_export", "indicator_export", "table_export", "level_text"]

LAYER_COMPOSITE = "composite"
#: Fill of units whose small count of a sensitive indicator is hidden.
SUPPRESSED_COLOUR = "#9e9e9e"
#: The indicator drawn in the briefing's trend chart, per country: a yearly municipal count.
#: Guatemala's and Honduras's municipal data are single-year, so their briefing draws the
#: national homicide rate (``CONTEXT_INDICATOR``) instead of a flat line.
TREND_INDICATORS = {"slv": "acled_fatalities"}
TREND_INDICATOR = TREND_INDICATORS["slv"]
CONTEXT_INDICATOR = "unodc_homicide_rate"


@dataclass(frozen=True)
class ExportContext:
    """What every export prints besides the data.

    ``attributions`` maps a dataset name to its attribution line (the pack's); ``datasets`` is
    the store's registry (``Store.datasets``) for the metadata sheet; ``public`` hides small
    counts of sensitive indicators (``geodata.suppression``).
    """

    country: str
    country_name: str
    lang: str
    date: dt.date
    data_version: str
    attributions: dict = field(default_factory=dict)
    datasets: pd.DataFrame | None = None
    public: bool = True

    @property
    def date_text(self) -> str:
        return self.date.isoformat()


# ----------------------------------------------------------------------------- small pieces

def class_colours(k: int, palette: str = "ylorrd") -> list[str]:
    """``k`` colours spread over a 5-class palette of ``dashboard.map_layer.PALETTES`` (YlOrRd by
    default, as on the map page)."""
    from dashboard.map_layer import PALETTES

    colours = PALETTES.get(palette, PALETTE)
    return [colours[int(round(i))] for i in np.linspace(0, len(colours) - 1, k)] if k > 1 \
        else [colours[len(colours) // 2]]


def class_names(k: int, lang: str) -> list[str]:
    """Translated names of ``k`` classes (very low .. very high, spread when k < 5)."""
    idx = [int(round(i)) for i in np.linspace(0, len(CLASS_NAMES) - 1, k)] if k > 1 else [2]
    return [t(f"export.class_{CLASS_NAMES[i]}", lang) for i in idx]


def _cap(text: str) -> str:
    """First letter upper case (units such as "fatalities per ..." open a subtitle)."""
    return text[:1].upper() + text[1:]


def level_text(level: str, lang: str) -> str:
    return t(f"export.level_{level}", lang)


def _years_text(years) -> str:
    years = sorted(int(y) for y in years)
    if not years:
        return "–"
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def _legend(values: np.ndarray, cls: Classification, lang: str, decimals: int,
            palette: str = "ylorrd") -> list[tuple[str, str]]:
    """(colour, "Name: low – high (n)") per class, lowest first."""
    colours, names = class_colours(cls.k, palette), class_names(cls.k, lang)
    lower = float(np.nanmin(values)) if np.isfinite(values).any() else np.nan
    rows = []
    for i in range(cls.k):
        lo = format_number(lower if i == 0 else cls.bins[i - 1], lang, decimals)
        hi = format_number(cls.bins[i], lang, decimals)
        n = int(cls.counts[i])
        text = (t("export.legend_row_single", lang, name=names[i], value=hi, n=n) if lo == hi
                else t("export.legend_row", lang, name=names[i], low=lo, high=hi, n=n))
        rows.append((colours[i], text))
    return rows


def _sources(ctx: ExportContext, datasets) -> str:
    lines = []
    for d in datasets:
        line = ctx.attributions.get(d, "")
        if line and line not in lines:
            lines.append(line)
    return t("export.source", ctx.lang, sources="; ".join(lines) or "–")


def _labels(units: pd.DataFrame, order: pd.Series, n: int) -> pd.Series:
    """"1. Name" for the ``n`` first units by ``order`` (1 = first), "" for the others."""
    out = pd.Series("", index=units.index, dtype=object)
    top = order[order <= n].sort_values()
    for idx, rank in top.items():
        out[idx] = f"{int(rank)}. {units.at[idx, 'name']}"
    return out


def _frame(units: gpd.GeoDataFrame, fill, label) -> gpd.GeoDataFrame:
    out = units[["code", "name", "geometry"]].copy()
    out["fill"] = list(fill)
    out["label"] = list(label)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=units.crs)


def _aligned(units: gpd.GeoDataFrame, table: pd.DataFrame, level: str = "") -> pd.DataFrame:
    """``table`` reindexed on the codes of ``units`` (same order); ValueError when they share
    no code (units of another level than the table's)."""
    codes = units["code"].astype(str).to_numpy()
    out = table.set_index(table["code"].astype(str)).reindex(codes)
    if len(codes) and out["name"].isna().all():
        raise ValueError(f"the table has no unit of these {len(codes)} units: pass the units of "
                         f"{level!r}, the level of the table")
    return out


# ----------------------------------------------------------------------------- composite

def _scenario(spec, lang: str) -> str:
    weights = ", ".join(t("export.weight", lang, dimension=t(f"export.dim_{d}", lang),
                          weight=format_number(spec.weight(d), lang, 1 if spec.weight(d) % 1 else 0))
                        for d in spec.dimensions if spec.weight(d) > 0)
    return t("export.scenario", lang, aggregation=t(f"export.agg_{spec.aggregation}", lang),
             weights=weights, window=spec.window)


def _vintage(ctx: ExportContext, items) -> str:
    """items: (label, years) pairs."""
    parts = [t("export.vintage_item", ctx.lang, label=label, years=_years_text(years))
             for label, years in items]
    return t("export.vintage", ctx.lang, items="; ".join(parts))


def composite_view(result, units: gpd.GeoDataFrame, ctx: ExportContext, *,
                   outlines: gpd.GeoDataFrame | None = None, water: gpd.GeoDataFrame | None = None,
                   top_labels: int = 10, programme: frozenset | None = None,
                   title: str | None = None, palette: str = "ylorrd") -> MapView:
    """The composite score of ``result`` on ``units`` (same level), classed as the model did."""
    lang = ctx.lang
    tab = _aligned(units, result.table, result.level)
    cls = result.classification
    colours = class_colours(cls.k, palette)
    yb = tab["class"].fillna(-1).astype(int).to_numpy()
    fill = [colours[c] if c >= 0 else NO_DATA_COLOUR for c in yb]
    score = tab["score"].to_numpy(dtype=float)
    legend = _legend(score, cls, lang, 1, palette)
    if (yb < 0).any():
        legend.append((NO_DATA_COLOUR, t("export.no_data", lang)))
    order = pd.Series(tab["rank"].to_numpy(), index=units.index)
    spec = result.spec
    rel = tab["reliability"].to_numpy(dtype=float)
    footer = (
        _sources(ctx, [i.dataset for i in result.catalogue.values()]),
        _vintage(ctx, [(i.label(lang), result.estimates[k].years) for k, i in result.catalogue.items()]),
        t("export.reliability_composite", lang, median=format_number(np.nanmedian(rel), lang),
          low=int((rel < 5).sum()), total=len(rel)),
        t("export.model", lang, spec=spec.key(), version=ctx.data_version),
    )
    overlays = (Overlay(t("export.programme", lang), frozenset(programme)),) if programme else ()
    n = min(top_labels, int(np.isfinite(score).sum()))
    return MapView(
        units=_frame(units, fill, _labels(units, order, n)),
        title=title or tc("export.title_composite", lang, ctx.country, country=ctx.country_name, year=result.year),
        subtitle=tc("export.subtitle_composite", lang, ctx.country, level=level_text(result.level, lang),
                   scenario=_scenario(spec, lang)),
        legend_title=tc("export.legend_score", lang, ctx.country), legend=tuple(legend),
        legend_note=t("export.scheme_note", lang, scheme=t(f"scheme.{cls.scheme}", lang), k=cls.k),
        footer=footer, lang=lang, outlines=outlines, water=water, overlays=overlays,
        labels_note=t("export.labels_note", lang, n=n) if n else "",
        date_line=t("export.date", lang, date=ctx.date_text))


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
                   values: pd.DataFrame | None = None, palette: str = "ylorrd") -> MapView:
    """One indicator's smoothed value (``eb_rate``) per unit of ``level``, classed by ``scheme``."""
    lang = ctx.lang
    ind = data.catalogue[indicator]
    tab = values if values is not None else indicator_values(data, indicator, year=year, window=window,
                                                             level=level, public=ctx.public)
    al = _aligned(units, tab, level)
    v = al["eb_rate"].to_numpy(dtype=float)
    hidden = al["suppressed"].fillna(False).astype(bool).to_numpy()
    present = np.isfinite(v)
    decimals = 2 if present.any() and np.nanmax(np.abs(v)) < 10 else 1
    fill = np.full(len(v), NO_DATA_COLOUR, dtype=object)
    legend: list[tuple[str, str]] = []
    note = ""
    if present.any():
        cls = classify(v[present], scheme)
        colours = class_colours(cls.k, palette)
        fill[present] = [colours[c] for c in cls.yb]
        legend = _legend(v[present], cls, lang, decimals, palette)
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
    footer = [_sources(ctx, [ind.dataset]),
              _vintage(ctx, [(ind.label(lang), range(year_list[0], year_list[-1] + 1) if year_list else ())]),
              _indicator_reliability(ind, tab, lang)]
    if ind.sensitive and ctx.public:
        footer.append(t("export.suppression_note", lang))
    footer.append(t("export.model", lang, spec=f"{indicator};win={window};scheme={scheme}",
                    version=ctx.data_version))
    overlays = (Overlay(t("export.programme", lang), frozenset(programme)),) if programme else ()
    return MapView(
        units=_frame(units, fill, _labels(units, order, n)),
        title=t("export.title_indicator", lang, country=ctx.country_name, label=ind.label(lang), year=year),
        subtitle=_cap(t("export.subtitle_indicator", lang, unit=ind.unit(lang), level=level_text(level, lang),
                   years=_years_text(range(year_list[0], year_list[-1] + 1)) if year_list else "–")),
        legend_title=_cap(ind.unit(lang)), legend=tuple(legend), legend_note=note, footer=tuple(footer),
        lang=lang, outlines=outlines, water=water, overlays=overlays,
        labels_note=t("export.labels_note", lang, n=n) if n else "",
        date_line=t("export.date", lang, date=ctx.date_text))


# ----------------------------------------------------------------------------- briefing

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
    return TrendPanel(title=t("export.trend_title", lang), ylabel=t("export.trend_axis", lang), years=years,
                      national=tuple(ci.raw), lower=tuple(ci.lower), upper=tuple(ci.upper),
                      national_label=t("export.trend_national", lang, country=ctx.country_name),
                      series=named, note=t("export.trend_note", lang))


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
                          programme=programme, palette=palette)
    # the table beside the map names the units: the map shows their rank only
    short = view.units.copy()
    short["label"] = [lab.split(".", 1)[0] if lab else "" for lab in short["label"]]
    view = replace(view, units=short, labels_note=t("export.labels_rank", lang, n=min(rows, len(short))))
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
    dims = ", ".join(t(f"export.dim_{d}", lang) for d in spec.dimensions)
    method = t("export.method_text", lang, dimensions=dims, aggregation=t(f"export.agg_{spec.aggregation}", lang),
               window=spec.window, n=top_n, sources=t(f"export.sources_{ctx.country}", lang),
               draws=format_number(result.uncertainty.draws if result.uncertainty else 0, lang, 0))
    return Briefing(
        title=tc("export.briefing_title", lang, ctx.country, country=ctx.country_name, year=result.year),
        subtitle=view.subtitle, map=view,
        table_title=t("export.table_title", lang, n=len(body)), columns=columns, rows=tuple(body),
        row_colours=tuple(swatches), trend=briefing_trend(data, result, ctx),
        method_title=t("export.method_title", lang), method_text=method,
        footer=view.footer, date_line=view.date_line, lang=lang)


# ----------------------------------------------------------------------------- tables

def _header(col: str, lang: str, top_n: int) -> str:
    key = f"export.col_{col}"
    try:
        return t(key, lang, n=top_n) if col == "p_top" else t(key, lang)
    except KeyError:
        return col


def table_export(frame: pd.DataFrame, ctx: ExportContext, *, title: str, year: int, level: str,
                 layer: str, spec_key: str = "", sources: str = "", vintage: str = "",
                 notes: tuple[str, ...] = ()) -> TableExport:
    """Any on-screen table with the metadata every download carries."""
    lang = ctx.lang
    meta = [(t("export.meta_title", lang), title),
            (t("export.meta_country", lang), ctx.country_name),
            (t("export.meta_year", lang), str(year)),
            (t("export.meta_level", lang), level_text(level, lang)),
            (t("export.meta_layer", lang), layer)]
    if spec_key:
        meta.append((t("export.meta_spec", lang), spec_key))
    meta += [(t("export.meta_store_version", lang), ctx.data_version),
             (t("export.meta_date", lang), ctx.date_text),
             (t("export.meta_language", lang), t(f"lang.{lang}", lang))]
    if sources:
        meta.append((t("export.meta_source", lang), sources))
    if vintage:
        meta.append((t("export.meta_vintage", lang), vintage))
    for note in (*notes, t("export.meta_formulas", lang)):
        meta.append((t("export.meta_note", lang), note))
    datasets = None
    if ctx.datasets is not None and len(ctx.datasets):
        ds = ctx.datasets
        if "status" in ds:
            ds = ds[ds["status"] == "active"]
        cols = [c for c in ("name", "version", "sha256", "source_file", "rows_stored", "imported_at",
                            "imported_by", "status") if c in ds]
        datasets = ds[cols].reset_index(drop=True)
    return TableExport(frame=frame, metadata=tuple(meta), datasets=datasets,
                       sheet_name=t("export.sheet_data", lang), metadata_sheet=t("export.sheet_metadata", lang),
                       lang=lang)


def score_export(result, ctx: ExportContext, *, table: pd.DataFrame | None = None) -> TableExport:
    """The score table (``risk_model.result_tables.score_table``) with translated headers and classes."""
    from risk_model.result_tables import score_table

    lang = ctx.lang
    tab = (table if table is not None else score_table(result)).copy()
    top_n = min(result.spec.top_n, int(result.table["score"].notna().sum()))
    names = dict(zip(CLASS_NAMES, class_names(len(CLASS_NAMES), lang)))
    if "class" in tab:
        tab["class"] = [names.get(c, c) for c in tab["class"]]
    tab.columns = [_header(c, lang, top_n) for c in tab.columns]
    view_footer = composite_view(result, _empty_units(result), ctx, top_labels=0).footer
    return table_export(tab, ctx, title=tc("export.title_composite", lang, ctx.country, country=ctx.country_name, year=result.year),
                        year=result.year, level=result.level, layer=tc("export.layer_composite", lang, ctx.country),
                        spec_key=result.spec.key(), sources=view_footer[0], vintage=view_footer[1],
                        notes=(view_footer[2],))


def _empty_units(result) -> gpd.GeoDataFrame:
    codes = result.table["code"].astype(str)
    return gpd.GeoDataFrame({"code": codes, "name": result.table["name"]},
                            geometry=[None] * len(codes), crs="EPSG:4326")


def indicator_export(data, indicator: str, ctx: ExportContext, *, year: int, level: str,
                     window: int = 3, values: pd.DataFrame | None = None) -> TableExport:
    """The indicator table (``rates_table``, small sensitive counts hidden) with metadata."""
    lang = ctx.lang
    ind = data.catalogue[indicator]
    tab = values if values is not None else indicator_values(data, indicator, year=year, window=window,
                                                             level=level, public=ctx.public)
    tab = tab.drop(columns=["suppressed"], errors="ignore").copy()
    tab["indicator"] = ind.label(lang)
    tab["unit"] = ind.unit(lang)
    tab.columns = [_header(c, lang, 0) for c in tab.columns]
    years = str(tab.iloc[0][_header("years", lang, 0)]) if len(tab) else ""
    notes = (t("export.suppression_note", lang),) if ind.sensitive and ctx.public else ()
    return table_export(tab, ctx, title=t("export.title_indicator", lang, country=ctx.country_name, label=ind.label(lang), year=year),
                        year=year, level=level, layer=ind.label(lang),
                        spec_key=f"{indicator};win={window}", sources=_sources(ctx, [ind.dataset]),
                        vintage=years, notes=notes)


# ----------------------------------------------------------------------------- HTML

def html_map(geojson_text: str, view: MapView, ctx: ExportContext, *, result=None, data=None,
             indicator: str | None = None, year: int, level: str, window: int = 3,
             scheme: str = "quantiles", palette: str = "ylorrd",
             programme: frozenset | None = None) -> bytes:
    """The standalone HTML map of the same view: the dashboard's folium risk map
    (``dashboard.map_layer.risk_layer``, ``dashboard.leaflet_map.risk_map``) of ``result`` (composite) or of ``indicator``,
    with ``view``'s title, subtitle and footer, Leaflet inlined."""
    from dashboard import leaflet_map, map_layer

    from .html import render_html

    lang = ctx.lang
    if result is not None:
        frame = map_layer.composite_frame(result)
        unit, years_txt, composite = tc("export.legend_score", lang, ctx.country), str(result.year), True
        scheme = result.spec.scheme
        top_n = min(result.spec.top_n, int(result.table["score"].notna().sum()))
    else:
        frame, info = map_layer.indicator_frame(data, indicator, year=year, window=window, level=level,
                                           public=ctx.public)
        unit, years_txt, composite = data.catalogue[indicator].unit(lang), _years_text(info["years"]), False
        top_n = 10
    layer = map_layer.risk_layer(geojson_text, frame, lang=lang, scheme=scheme, palette=palette, unit=unit,
                            years_txt=years_txt, composite=composite, top_n=top_n,
                            programme=tuple(programme or ()))
    m = leaflet_map.risk_map(layer)
    return render_html(m, title=view.title, subtitle=view.subtitle,
                       footer=tuple(view.footer) + (view.date_line,), lang=lang)
