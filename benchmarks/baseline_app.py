"""The naive BASELINE map a typical tutorial builds: ``folium.Choropleth`` over the unsimplified
262-district GeoJSON, rebuilt on every rerun, through ``st_folium`` with its defaults.

Used by the benchmarks (``python -m benchmarks``), never by users: for the server time per
rerun (AppTest, benchmarks/map.py) and, served by ``streamlit run``, for the end-to-end first
paint (benchmarks/first_paint.py). ``benchmarks/map.py`` builds the same map for the payload
figure and the standalone-document first paint.
"""
import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geodata.config import data_root

st.title("Baseline")
gdf = gpd.read_file(data_root() / "boundaries" / "slv" / "slv_adm2_municipios_262.geojson")
values = pd.DataFrame({"digestyc_code": gdf["digestyc_code"], "pop": gdf["pop_2007"]})
m = folium.Map(location=[13.7, -88.9], zoom_start=8)
folium.Choropleth(geo_data=gdf.to_json(), data=values, columns=["digestyc_code", "pop"],
                  key_on="feature.properties.digestyc_code", fill_color="YlOrRd").add_to(m)
st_folium(m)
