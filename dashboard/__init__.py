"""Presentation building blocks: folium maps, text and translations, session state, cached data.

No statistics here (they live in ``risk_model``); no ``st.cache_*`` at all: caches are
``dashboard.data.cache_data`` / ``cache_resource`` (``dashboard.shared``), which no viewer can clear.
Import the submodules directly (``from dashboard import map_layer, text``): this package imports
nothing itself, so ``dashboard.text`` and ``dashboard.i18n`` work without Streamlit.
"""
__all__ = ["data", "i18n", "map_layer", "leaflet_map", "state", "text"]
