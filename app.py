"""Mapa de riesgo municipal / Municipal risk map: the Streamlit entry point.

A frame and a router: the shared sidebar (language, country, year, each with a ``key`` so it
keeps its value across pages) and ``st.navigation`` over ``pages/``.
"""
from pathlib import Path

import streamlit as st

from dashboard import data, priorities, state, warmup
from dashboard.i18n import LANGS, messages, t, t_error, tc
from geodata.errors import DataError

PAGES_DIR = Path(__file__).resolve().parent / "pages"
#: Pages after the map (the default), in menu order; a page is listed once its file exists.
PAGE_ORDER = ("region", "priorities", "trends", "profile", "compare", "data", "methodology")

# No page or page icons: Streamlit fetches Material icon favicons from fonts.gstatic.com.
st.set_page_config(page_title="Mapa de riesgo · Risk map", layout="wide")
state.init_from_url()
lang = state.lang()

with st.sidebar:
    st.subheader(t("app.title", lang))
    st.selectbox(t("sidebar.language", lang), LANGS, key=state.LANG,
                 format_func=lambda code: t(f"lang.{code}", code))
    country = st.selectbox(t("sidebar.country", lang), state.COUNTRIES, key=state.COUNTRY,
                           format_func=lambda code: data.country_name(code, lang))
    state.follow_country(country)
    try:
        with st.spinner(t("app.loading", lang)):
            version = data.version(country)
    except DataError as err:
        st.error(t_error(err, lang))
        st.stop()
    state.set_version(version)
    warmup.start(country, version)  # background: every country's default views, once per version
    years = data.map_years(country, version)
    state.default_year(years, data.pack(country).default_year)
    st.selectbox(t("sidebar.year", lang), years, key=state.YEAR,  # one widget kind less to load
                 help=t("sidebar.year_help", lang))
    levels = [lvl for lvl in data.pack(country).levels if lvl in state.LEVELS]
    state.default_level(levels)
    st.selectbox(t("sidebar.level", lang), levels, key=state.LEVEL,
                 format_func=lambda lvl: data.level_name(country, lvl, lang, "sidebar"))
    state.init_scenario(data.base_spec(country))
    st.caption(priorities.scenario_summary(state.scenario_spec(state.context()), lang))
    st.caption(tc("app.caption", lang, country, country=data.country_name(country, lang)))

state.write_url()
pages = [st.Page("pages/map.py", title=t("nav.map", lang), url_path="map", default=True)]
pages += [st.Page(f"pages/{name}.py", url_path=name,
                  title=messages(lang).get(f"nav.{name}", name.capitalize()))
          for name in PAGE_ORDER if (PAGES_DIR / f"{name}.py").exists()]
st.navigation({t("nav.section", lang): pages}).run()
