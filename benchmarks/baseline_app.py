"""The naive BASELINE map a typical tutorial builds: ``folium.Choropleth`` over the unsimplified
262-district GeoJSON, rebuilt on every rerun, through ``st_folium`` with its defaults.

Only one thing differs from the tutorial: Leaflet's files are pointed at the app's own static
copy, because this machine has no internet and a CDN-loaded baseline would never paint.
Run by the benchmarks (``python -m benchmarks``), never by users.
"""
import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geodata.config import data_root

LEAFLET = "/app/static/vendor/leaflet/leaflet"

st.title("Baseline")
path = data_root() / "boundaries" / "slv" / "slv_adm2_municipios_262.geojson"
gdf = gpd.read_file(path)
values = pd.DataFrame({"digestyc_code": gdf["digestyc_code"], "pop": gdf["pop_2007"]})
m = folium.Map(location=[13.7, -88.9], zoom_start=8, tiles=None)
m.default_js = [("leaflet", LEAFLET + ".js")]
m.default_css = [("leaflet_css", LEAFLET + ".css")]
choropleth = folium.Choropleth(geo_data=gdf.to_json(), data=values, columns=["digestyc_code", "pop"],
                               key_on="feature.properties.digestyc_code", fill_color="YlOrRd")
choropleth.color_scale = None  # its legend pulls d3 from a CDN
choropleth.add_to(m)
st_folium(m, height=620, use_container_width=True)
