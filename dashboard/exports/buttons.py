"""Download buttons for the Map, Priorities and Profile pages (the only Streamlit module here).

A page calls one function with what it already shows and computed::

    from dashboard.exports.buttons import download_buttons
    download_buttons("map", ctx=ctx, level=level, result=result, scheme=scheme, palette=palette,
                     programme=codes)                      # the composite the page drew
    download_buttons("map", ctx=ctx, level=level, layer=indicator_id, indicator_layer=shown, ...)
    download_buttons("table", ctx=ctx, level=level, result=result, table=shown_frame)
    download_buttons("briefing", ctx=ctx, level=level, result=result)

The exports are made from those very objects (the page's ``ModelResult``, its
``risk_model.indicator_layer`` result), not recomputed; only what a page did not compute is read
from ``dashboard.data``'s caches (``spec_key`` names the scenario then). The bytes are built only
when a button is clicked (``st.download_button`` with a callable), so a page pays nothing until
someone downloads. Names of files say what they hold: ``riskmap_slv_2023_district_composite.png``.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import data
from dashboard.i18n import t

from . import assemble

__all__ = ["download_buttons", "export_context"]

_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
         "html": "text/html", "csv": "text/csv",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export_context(ctx, *, public: bool = True) -> assemble.ExportContext:
    """The ``ExportContext`` of a page's ``state.Context`` (language, country, data version)."""
    pack = data.pack(ctx.country)
    return assemble.ExportContext(
        country=ctx.country, country_name=data.country_name(ctx.country, ctx.lang), lang=ctx.lang,
        date=dt.date.today(), data_version=ctx.version,
        attributions={s.dataset: s.attribution for s in pack.sources},
        datasets=data.store(ctx.country).datasets(ctx.country), public=public)


def _water(country: str):
    from geodata.boundaries import read_water
    from geodata.config import data_root

    try:
        return read_water(data_root(), data.pack(country))
    except Exception:  # noqa: BLE001 - lakes are decoration; a map without them is still right
        return None


def _name(ctx, level: str, layer: str, ext: str) -> str:
    return f"riskmap_{ctx.country}_{ctx.year}_{level}_{layer}.{ext}"


def download_buttons(kind: str, *, ctx, level: str = "district", layer: str = assemble.LAYER_COMPOSITE,
                     spec_key: str | None = None, scheme: str | None = None, palette: str = "ylorrd",
                     programme=(), table=None, window: int | None = None, key: str = "export",
                     formats: tuple[str, ...] | None = None, result=None, indicator_layer=None) -> None:
    """Render the download buttons of ``kind`` ("map", "table" or "briefing") in a row.

    Parameters
    ----------
    ctx : dashboard.state.Context
        Language, country, year and data version of the page.
    level, layer : str
        Units ("district", "municipio_2024", "department") and "composite" or an indicator id.
    spec_key : str, optional
        The scenario (``Spec.key()``), default the country's spec.
    scheme, palette, programme :
        The map's classes, colours and programme units (overlay).
    table : DataFrame, optional
        For "table": the frame exactly as shown; default the score or indicator table.
    result : risk_model.pipeline.ModelResult, optional
        The composite the page shows (same scenario, year and level); computed from ``spec_key``
        when not given.
    indicator_layer : risk_model.indicator_layer.IndicatorLayer, optional
        The indicator layer the page shows (``layer`` is its id, classed by ``scheme``).
    key : str
        Prefix of the widgets' keys (unique per page).
    """
    if ctx.year is None:
        return
    base = data.base_spec(ctx.country)
    spec_key = spec_key or (result.spec.key() if result is not None else base.key())

    def page_result():
        return result if result is not None else data.model_result(ctx.country, ctx.version, spec_key,
                                                                   ctx.year, level)

    window = window or base.window
    ectx = export_context(ctx)
    composite = layer == assemble.LAYER_COMPOSITE
    programme = frozenset(str(c) for c in programme) or None
    if kind == "table":
        formats = formats or ("csv", "xlsx")
        if composite:  # the model (1,000 draws) runs only when a file is asked for
            built = lambda: assemble.score_export(page_result(), ectx, table=table)  # noqa: E731
        else:
            md = data.model_data(ctx.country, ctx.version)
            built = lambda: assemble.indicator_export(md, layer, ectx, year=ctx.year, level=level,  # noqa: E731
                                                      window=window)
        _row(formats, lambda fmt: _table_bytes(built, fmt, table if not composite else None),
             lambda fmt: _name(ctx, level, layer, fmt), key, ctx.lang)
        return
    units = data.units(ctx.country, level)
    outlines = data.units(ctx.country, "department") if level != "department" else None
    water = _water(ctx.country)
    if kind == "briefing":
        md = data.model_data(ctx.country, ctx.version)

        def briefing_pdf() -> bytes:  # the model (1,000 draws) runs only when the file is asked for
            from .briefing import render_briefing

            return render_briefing(assemble.briefing(page_result(), md, units, ectx, outlines=outlines,
                                                     water=water, programme=programme, palette=palette))
        _row(("pdf",), lambda _fmt: briefing_pdf, lambda fmt: _name(ctx, level, "briefing", fmt), key,
             ctx.lang, label_key="export.briefing_pdf")
        return
    if kind != "map":
        raise ValueError(f"kind {kind!r}; one of 'map', 'table', 'briefing'")
    formats = formats or ("png", "svg", "pdf", "html")
    size = st.selectbox(t("export.size", ctx.lang), ("a4", "slide"), key=f"{key}_size",
                        format_func=lambda s: t(f"export.size_{s}", ctx.lang))
    md = data.model_data(ctx.country, ctx.version)
    shown = result
    if composite and shown is None:
        from risk_model.spec import parse_key

        spec = parse_key(base, spec_key)
        if scheme:
            spec = spec.with_scenario(scheme=scheme)
        shown = data.model_result(ctx.country, ctx.version, spec.key(), ctx.year, level, 0)
    scheme = scheme or base.scheme

    def view():
        if composite:
            return assemble.composite_view(shown, units, ectx, outlines=outlines, water=water,
                                           programme=programme, palette=palette, data=md)
        return assemble.indicator_view(md, layer, units, ectx, year=ctx.year, level=level, window=window,
                                       scheme=scheme, outlines=outlines, water=water,
                                       programme=programme, palette=palette, layer=indicator_layer)

    def render(fmt: str):
        def build() -> bytes:
            if fmt == "html":
                return assemble.html_map(data.web_geojson(ctx.country, level), view(), ectx,
                                         result=shown if composite else None, data=md,
                                         indicator=None if composite else layer, year=ctx.year,
                                         level=level, window=window, scheme=scheme, palette=palette,
                                         programme=programme, layer=indicator_layer)
            from .mapimage import render_map

            return render_map(view(), fmt, size)
        return build

    _row(formats, render, lambda fmt: _name(ctx, level, layer, fmt if fmt == "html" else f"{size}.{fmt}"),
         key, ctx.lang)


def _table_bytes(built, fmt: str, _shown):
    def build() -> bytes:
        from .spreadsheet import render_csv, render_xlsx

        table = built()
        return render_csv(table) if fmt == "csv" else render_xlsx(table)
    return build


def _row(formats, builder, filename, key: str, lang: str, *, label_key: str | None = None) -> None:
    cols = st.columns(len(formats))
    for col, fmt in zip(cols, formats):
        label = t(label_key, lang) if label_key else t(f"export.{'table' if fmt in ('csv', 'xlsx') else 'map'}_{fmt}", lang)
        col.download_button(label, data=builder(fmt), file_name=filename(fmt), mime=_MIME[fmt],
                            key=f"{key}_{fmt}", on_click="ignore", width="stretch")
