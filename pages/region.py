"""Región / Region: the municipios of El Salvador, Guatemala and Honduras on one map, scores
normalised within each country (said on the map), the pooled homicide-rate scale where a
shared definition exists, each country's top units and what each score is built from."""
import streamlit as st

from dashboard import data, data_report, leaflet_map, map_layer, mapview, region, state, text
from dashboard.i18n import t

state.ensure_entrypoint()
ctx = state.context()
lang = ctx.lang
st.title(t("region.title", lang))
st.caption(t("region.intro", lang))

countries = state.REGION_COUNTRIES
names = {c: data.country_name(c, lang) for c in countries}
with st.spinner(t("app.loading", lang)):
    versions = tuple(data.version(c) for c in countries)
c1, c2 = st.columns([3, 2])
mode = c1.radio(t("region.normalisation", lang), region.MODES, key="region_mode", horizontal=True,
                format_func=lambda m: t(f"region.mode_{m}", lang), help=t("region.normalisation_help", lang))
palette = c2.selectbox(t("map.palette", lang), tuple(map_layer.PALETTES), key="region_palette",
                       format_func=lambda p: t(f"map.palette_{p}", lang))

with st.spinner(t("region.computing", lang)):
    table = data.regional(countries, versions, mode)
    geojson = data.regional_geojson(countries, lang)
if mode == "within_country":  # the year each country is scored for; pooled: the indicator's year
    years = ", ".join(f"{names[c]} {data.pack(c).default_year}" for c in countries)
    st.info(t("region.within_note", lang))
else:
    pooled_years = table.dropna(subset=[f"{mode}_year"]).groupby("country")[f"{mode}_year"].max()
    years = ", ".join(f"{names[c]} {int(y)}" for c, y in pooled_years.items())
    if missing := table.attrs.get("pooled_missing", []):
        st.warning(t("region.pooled_missing", lang, countries=", ".join(names[c] for c in missing)))

layer, drawn = mapview.risk_map(geojson, region.map_frame(table, mode), key="region_folium",
                                base_path=state.base_url_path(), legend_position="topright",
                                regional=True, lang=lang, scheme="fixed", palette=palette,
                                unit=t(f"region.legend_{mode}", lang), years_txt="", composite=True)
clicked = mapview.show(drawn, height=620)
st.caption(t(f"region.caption_{mode}", lang, years=years, present=layer.present, total=layer.total))
for c in countries:
    if note := data.pack(c).geometry_note(lang):
        st.caption(f"{names[c]}: {note}")
st.caption(t("region.click_hint", lang))

st.subheader(t("region.top_title", lang, n=10))
for col, country in zip(st.columns(len(countries)), countries):
    col.markdown(f"**{names[country]}**")
    top = region.top_by_country(table, country, 10, mode, lang)
    if top.empty:
        col.caption(t("region.no_values", lang))
    else:
        col.dataframe(top, hide_index=True, width="stretch", key=f"region_top_{country}")
st.download_button(t("region.download", lang), text.csv_bytes(data_report.headers(region.export_frame(table), "region.col_", lang), lang),
                   file_name=f"riskmap_region_{mode}.csv", mime="text/csv", key="region_csv")

with st.expander(t("region.sources_title", lang)):
    for country, version in zip(countries, versions):
        spec, catalogue = data.base_spec(country), data.catalogue(country, version)
        lines = [f"- {t('priorities.dim_' + ind.dimension, lang)}: "
                 f"{catalogue[ind.id].label(lang) if ind.id in catalogue else ind.id}"
                 for ind in spec.active_indicators()]
        st.markdown(f"**{names[country]}** ({data.pack(country).default_year})\n\n" + "\n".join(lines))
    st.caption(t("region.sources_caption", lang))

code = leaflet_map.unit_from_click(clicked, t("map.tip_code", lang), layer.styles)
if code is None:
    st.session_state.pop("_region_clicked", None)
elif code != st.session_state.get("_region_clicked"):
    st.session_state["_region_clicked"] = code
    country, unit = code.split("-", 1)
    state.open_country_profile(country.lower(), unit, data.pack(country.lower()).finest)
