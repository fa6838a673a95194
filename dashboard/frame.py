"""The app's frame: the shared sidebar and ``st.navigation`` over ``pages/`` (``app.py`` calls
``run``; so does a page that was opened without app.py, see ``state.ensure_entrypoint``).

Direct page URLs. Streamlit gives the default page the root URL and ignores its ``url_path``,
so ``/map`` would name no page and show "Page not found"; the map is therefore listed twice:
the default page at ``/`` and a hidden page at ``/map`` (both ``pages/map.py``). Each page's
``url_path`` is its file name, the same name Streamlit's automatic ``pages/`` folder mode gives
it, so a link resolves to the same page in either mode.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import data, oplog, priorities, state, warmup
from dashboard.i18n import LANGS, messages, t, t_error, tc
from geodata.errors import DataError

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"
#: Pages after the map (the default), in menu order; a page is listed once its file exists.
PAGE_ORDER = ("region", "priorities", "trends", "profile", "compare", "data", "methodology")
#: The default page's own url_path: never shown (the default page lives at ``/``) but it must
#: differ from the hidden ``/map`` page's, since Streamlit identifies a page by its url_path.
_DEFAULT_PATH = "inicio"


def app_pages(lang: str) -> list:
    """The ``st.Page`` list in menu order: the map at ``/`` and at ``/map`` (hidden), then the others."""
    title = t("nav.map", lang)
    pages = [st.Page("pages/map.py", title=title, url_path=_DEFAULT_PATH, default=True),
             st.Page("pages/map.py", title=title, url_path="map", visibility="hidden")]
    pages += [st.Page(f"pages/{name}.py", url_path=name,
                      title=messages(lang).get(f"nav.{name}", name.capitalize()))
              for name in PAGE_ORDER if (PAGES_DIR / f"{name}.py").exists()]
    return pages


def _sidebar() -> None:
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
        rejected = state.init_scenario(data.base_spec(country))
        st.caption(priorities.scenario_summary(state.scenario_spec(state.context()), lang))
        # a product line, no dimension words: which dimensions a score has depends on the level,
        # the weights and the signal filter, and the map's title says it (captions.composite_texts)
        st.caption(tc("app.caption", lang, country, country=data.country_name(country, lang)))
    if rejected:
        st.info(t("app.scenario_malformed", lang))


def run() -> None:
    """Draw the sidebar, route with ``st.navigation`` and run the page the URL names."""
    # No page or page icons: Streamlit fetches Material icon favicons from fonts.gstatic.com.
    st.set_page_config(page_title="Mapa de riesgo · Risk map", layout="wide")
    oplog.setup()
    state.init_from_url()
    _sidebar()
    state.write_url()
    lang = state.lang()
    page = st.navigation({t("nav.section", lang): app_pages(lang)})
    state.mark_routed()
    page.run()
