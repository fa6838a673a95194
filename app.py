"""Mapa de riesgo municipal / Municipal risk map: the Streamlit entry point.

A frame and a router (``dashboard.frame``): the shared sidebar (language, country, year, each
with a ``key`` so it keeps its value across pages) and ``st.navigation`` over ``pages/``.
"""
from dashboard import frame

frame.run()
