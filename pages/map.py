"""Mapa / Map: one indicator for one year on its own geography, classed and explained."""
import streamlit as st
from streamlit_folium import st_folium

from dashboard import data, maps, state
from dashboard.i18n import t
from dashboard.text import format_number

state.ensure_entrypoint()
ctx = state.context()
lang = ctx.lang
st.title(t("map.title", lang))

catalogue = data.catalogue(ctx.country, ctx.version)
indicators = data.map_indicators(ctx.country, ctx.version)
if not indicators:
    st.info(t("map.no_data", lang))
    st.stop()
if st.session_state.get("map_indicator") not in indicators:
    st.session_state["map_indicator"] = "acled_events" if "acled_events" in indicators \
        else indicators[0]

left, right = st.columns([3, 2])
indicator = left.selectbox(t("map.indicator", lang), indicators, key="map_indicator",
                           format_func=lambda i: catalogue[i].label(lang))
scheme = right.radio(t("map.scheme", lang), maps.SCHEMES, key="map_scheme", horizontal=True,
                     format_func=lambda s: t(f"scheme.{s}", lang))
ind = catalogue[indicator]

year, note = maps.pick_year(data.map_years(ctx.country, ctx.version, indicator), ctx.year)
if year is None:
    st.info(t("map.no_data", lang))
    st.stop()
if note:
    st.info(t(note, lang, wanted=ctx.year, shown=year))

layer = data.map_layer(ctx.country, ctx.version, indicator, year, lang, scheme)
st_folium(maps.folium_map(layer, lang=lang, base_path=state.base_url_path()), key="map_folium",
          returned_objects=[], use_container_width=True, height=620)

st.caption(t("map.caption", lang, label=ind.label(lang), year=year, unit=ind.unit(lang),
             level=t(f"map.level_{ind.level}", lang), present=layer.present, total=layer.total))
st.caption(t("map.classes", lang, scheme=t(f"scheme.{layer.scheme}", lang), k=layer.k,
             bins="; ".join(format_number(b, lang) for b in layer.bins)))
if layer.k < layer.requested_k:
    st.caption(t("map.degenerate", lang, k=layer.k, requested=layer.requested_k))
if source := data.attribution(ctx.country, ind.dataset):
    st.caption(t("map.source", lang, source=source))
if description := (ind.description_en if lang == "en" else ind.description_es):
    with st.expander(t("map.description", lang)):
        st.text(description)
