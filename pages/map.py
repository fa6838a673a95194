"""Mapa de riesgo / Risk map: the composite score or one indicator, at the chosen level,
classed, with reliability, hotspots and programme presence; a click opens the profile."""
import streamlit as st

from dashboard import captions, data, leaflet_map, map_layer, mapview, priorities, shortlist, state
from dashboard.exports.buttons import download_buttons
from dashboard.i18n import t, tc
from dashboard.text import format_number
from geodata.errors import DataError
from geodata.names import SCHEMES

state.ensure_entrypoint()
state.bind_to_country("map_indicator", "_map_clicked", "map_find", "map_find_match")
ctx = state.context()
lang = ctx.lang
st.title(t("map.title", lang))

catalogue = data.catalogue(ctx.country, ctx.version)
md = data.model_data(ctx.country, ctx.version)
layers = [map_layer.COMPOSITE, *data.mappable_indicators(ctx.country, ctx.version)]
if st.session_state.get("map_indicator") not in layers:
    st.session_state["map_indicator"] = map_layer.COMPOSITE
default_programme, unresolved = data.programme_default(ctx.country)
st.session_state.setdefault(state.PROGRAMME, default_programme)

c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
layer_id = c1.selectbox(t("map.layer", lang), layers, key="map_indicator",
                        format_func=lambda i: tc("map.composite", lang, ctx.country) if i == map_layer.COMPOSITE
                        else catalogue[i].label(lang))
# The other options sit in a popover: its widgets are drawn only when it is opened, and the
# 262-option programme picker alone delayed the map's first paint by ~10% (benchmarks/first_paint.py).
with c2.popover(t("map.options", lang), help=t("map.options_help", lang), width="stretch"):
    scheme = st.selectbox(t("map.scheme", lang), SCHEMES, key=state.SCHEME,
                          format_func=lambda s: t(f"scheme.{s}", lang))
    palette = st.selectbox(t("map.palette", lang), tuple(map_layer.PALETTES), key="map_palette",
                           format_func=lambda p: t(f"map.palette_{p}", lang))
    method = st.selectbox(t("map.hotspots", lang), map_layer.HOTSPOT_METHODS, key="map_hotspots",
                          format_func=lambda h: t(f"map.hotspots_{h}", lang))
    names = data.finest_unit_names(ctx.country, ctx.version)
    programme = st.multiselect(t("map.programme", lang), list(names), key=state.PROGRAMME,
                               placeholder=t("app.choose", lang), format_func=names.get,
                               help=t("map.programme_help" if default_programme else "map.programme_help_none", lang))
finest = md.units[md.finest]  # programme units: El Salvador's districts; municipios elsewhere
if unresolved:
    st.caption(t("map.programme_unresolved", lang, names=", ".join(unresolved)))

spec = state.scenario_spec(ctx)
level_txt = data.level_name(ctx.country, ctx.level, lang, "map")
try:
    if layer_id == map_layer.COMPOSITE:
        result = data.model_result(ctx.country, ctx.version, spec.key(), ctx.year, ctx.level)
        frame, unit, composite = map_layer.composite_frame(result), tc("map.composite", lang, ctx.country), True
        years_txt, note, info = str(ctx.year), "", {}
        said = captions.composite_texts(result, md, lang)
    else:
        ind = catalogue[layer_id]
        shown = data.indicator_layer(ctx.country, ctx.version, layer_id, ctx.year, ctx.level, spec.window, scheme)
        frame, info = map_layer.layer_frame(shown)
        if not info["years"]:
            st.info(t("map.no_data_year", lang, year=ctx.year, first=min(md.years(layer_id))))
            st.stop()
        unit, composite = ind.unit(lang), False
        years = info["years"]
        years_txt = f"{min(years)}–{max(years)}" if len(years) > 1 else str(years[0])
        note = t("map.tip_from", lang, unit=t(f"map.one_{info['native_level']}", lang))
        said = {"warnings": captions.warnings(md, [layer_id], ctx.year, lang)}
    hot = None if method == "none" else data.hotspots(ctx.country, ctx.version, ctx.level, layer_id,
                                                      ctx.year, spec.key(), spec.window)
except DataError as err:
    st.info(priorities.model_error_text(err, spec, md, ctx.year, lang))
    st.stop()

codes_here = priorities.codes_at_level(programme, finest, ctx.level)
# Find a unit: accent- and case-insensitive search; the map zooms to it and outlines it.
unit_names = md.units[ctx.level]
unit_labels = dict(zip(unit_names["code"].astype(str), unit_names["name"].astype(str) if ctx.level == "department"
                       else unit_names["name"].astype(str) + " (" + unit_names["dept_name"].astype(str) + ")"))
f1, f2 = st.columns([3, 2], vertical_alignment="bottom")
find_text = f1.text_input(t("find.label", lang), key="map_find", max_chars=60,
                          placeholder=t("find.placeholder", lang,
                                        example=data.search_example(ctx.country, ctx.version, ctx.level)))
focus = None
if find_text.strip():
    found = shortlist.search_units(unit_labels, find_text)
    if found:
        focus = f2.selectbox(t("find.matches", lang), found, key="map_find_match", format_func=unit_labels.get)
    else:
        f2.text(t("find.none", lang, text=find_text.strip()))
if said["warnings"]:  # directly on top of the map frame, one box
    st.warning("\n\n".join(said["warnings"]))
layer, drawn = mapview.risk_map(data.web_geojson(ctx.country, ctx.level), frame, key="map_folium",
                                base_path=state.base_url_path(), lang=lang, scheme=scheme,
                                palette=palette, unit=unit, years_txt=years_txt, composite=composite,
                                top_n=spec.top_n, hotspots=hot, hotspot_method=method,
                                programme=codes_here, imputed_note=note, focus=focus,
                                labels=spec.top_n if composite else 0)
clicked = mapview.show(drawn, height=620)

if focus:
    st.caption(t("find.shown", lang, name=unit_labels[focus]))
if composite:
    st.caption(tc("map.score_caption", lang, ctx.country, year=ctx.year, levels=level_txt, window=spec.window,
                  lead=t("map.score_caption_lead", lang), dimensions=said["dimensions"], data_years=said["data_years"])
               + (" " + t("map.score_window", lang, window=spec.window) if said["pools"] else ""))
    if layer.labels:
        st.caption(t("find.labels", lang, n=len(layer.labels)))
else:
    st.caption(t("map.indicator_caption", lang, label=ind.label(lang), years=years_txt, unit=unit,
                 level=level_txt, present=layer.present, total=layer.total))
    if info["native_level"] != ctx.level:
        native = data.level_name(ctx.country, info["native_level"], lang, "map")
        coarser = state.LEVELS.index(ctx.level) > state.LEVELS.index(info["native_level"])
        st.caption(t("map.repooled", lang, native=native, level=level_txt) if coarser else
                   t("map.from_level", lang, native=native,
                     native_one=t(f"map.one_{info['native_level']}", lang)))
    if info.get("sensitive"):
        st.caption(t("map.suppressed_note", lang))
    if source := data.attribution(ctx.country, ind.dataset):
        st.caption(t("map.source", lang, source=source))
st.caption(t("map.classes", lang, scheme=t(f"scheme.{layer.scheme}", lang), k=layer.k,
             bins="; ".join(format_number(b, lang) for b in layer.bins)))
if layer.k < layer.requested_k:
    st.caption(t("map.degenerate", lang, k=layer.k, requested=layer.requested_k))
if layer.low_reliability:
    st.caption(t("map.reliability_note", lang))
if method != "none":
    st.caption(t("map.hotspot_note", lang, method=t(f"map.hotspots_{method}", lang)))
if note := data.pack(ctx.country).geometry_note(lang):
    st.caption(note)
st.caption(t("map.click_hint", lang))
# The export options appear on request: drawn on every first visit, their widgets (five download
# buttons, each a JS bundle and server work) delayed the map by ~160 ms (benchmarks/first_paint.py).
if st.session_state.get("map_downloads"):
    with st.expander(t("export.download", lang), expanded=True):
        # the exports are made of what this page drew: its result or its indicator layer
        download_buttons("map", ctx=ctx, level=ctx.level, layer=layer_id, spec_key=spec.key(), scheme=scheme,
                         palette=palette, programme=codes_here, key="map_export",
                         result=result if composite else None, indicator_layer=None if composite else shown)
        download_buttons("briefing", ctx=ctx, level=ctx.level, spec_key=spec.key(), palette=palette,
                         programme=codes_here, key="map_briefing", result=result if composite else None)
else:
    st.button(t("export.show_downloads", lang), key="map_downloads_button",
              on_click=st.session_state.update, kwargs={"map_downloads": True})
if not composite and (description := (ind.description_en if lang == "en" else ind.description_es)):
    with st.expander(t("map.description", lang)):
        st.text(description)

code = leaflet_map.unit_from_click(clicked, t("map.tip_code", lang), frame["code"])
if code is None:
    st.session_state.pop("_map_clicked", None)
elif code != st.session_state.get("_map_clicked"):
    st.session_state["_map_clicked"] = code
    state.open_profile(code, ctx.level)
