"""Table downloads (CSV, XLSX): any on-screen table with the metadata every download carries,
the score table and one indicator's table."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd

from dashboard import captions
from dashboard.i18n import t, tc
from dashboard.priorities import column_header
from geodata.names import CLASS_CODES

from ..views import TableExport
from .context import ExportContext, class_names, level_text, sources_line
from .map_view import composite_view, indicator_values


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
    names = dict(zip(CLASS_CODES, class_names(len(CLASS_CODES), lang)))
    if "class" in tab:
        tab["class"] = [names.get(c, c) for c in tab["class"]]
    if "p_top" in tab:  # the words of dashboard.confidence, the one rule used on every page
        from dashboard.confidence import confidence_words

        tab.insert(tab.columns.get_loc("p_top") + 1, "label", confidence_words(tab["p_top"], lang))
    tab.columns = [column_header(c, lang, top_n) for c in tab.columns]  # the names on screen
    view_footer = composite_view(result, _empty_units(result), ctx, top_labels=0).footer
    return table_export(tab, ctx, title=tc("export.title_composite", lang, ctx.country, country=ctx.country_name,
                                           year=result.year,
                                           dimensions=captions.composite_texts(result, None, lang)["dimensions"]),
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
    tab.columns = [column_header(c, lang, 0) for c in tab.columns]
    years = str(tab.iloc[0][column_header("years", lang, 0)]) if len(tab) else ""
    notes = (t("export.suppression_note", lang),) if ind.sensitive and ctx.public else ()
    return table_export(tab, ctx, title=t("export.title_indicator", lang, country=ctx.country_name, label=ind.label(lang), year=year),
                        year=year, level=level, layer=ind.label(lang),
                        spec_key=f"{indicator};win={window}", sources=sources_line(ctx, [ind.dataset]),
                        vintage=years, notes=notes)
