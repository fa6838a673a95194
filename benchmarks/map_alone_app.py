"""OUR MAP ALONE, for the first-paint benchmark: a title and the Map page's default map (the 2023
composite score of the 262 districts, the same cached payload through ``dashboard.mapview``),
and nothing else, the same shape as benchmarks/baseline_app.py (a title and the tutorial map).

Compared with the baseline it measures map against map; compared with the whole Map page it
measures what the rest of the page (sidebar, navigation, controls) costs. Used by
benchmarks/first_paint.py only, which runs a copy from benchmarks/_work/map_alone/ beside a
link to the app's static/ folder (Streamlit serves /app/static from the script's folder).
"""
import streamlit as st

from dashboard import data, map_layer, mapview
from dashboard.i18n import t

st.title("Mapa de riesgo")
country, level = "slv", "district"
version = data.version(country)
spec = data.base_spec(country)
year = data.pack(country).default_year
result = data.model_result(country, version, spec.key(), year, level)
programme, _ = data.programme_default(country)
_, drawn = mapview.risk_map(data.web_geojson(country, level), map_layer.composite_frame(result),
                            key="map_folium", lang="es", scheme=spec.scheme,
                            palette=next(iter(map_layer.PALETTES)), unit=t("map.composite", "es"), years_txt=str(year),
                            composite=True, top_n=spec.top_n, programme=programme)
mapview.show(drawn, height=620)
