"""Per-user state behind one module: widget keys, the URL, and the context pages read.

Shared widgets live in ``app.py``'s sidebar with the keys below, so they keep their value
across pages; pages read them through ``context()``. Nothing here is module-level mutable state.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.i18n import DEFAULT_LANG, normalise_lang

__all__ = ["ensure_entrypoint", "COUNTRIES", "LANG", "COUNTRY", "YEAR", "VERSION", "set_version",
           "default_year", "Context", "init_from_url", "context", "lang",
           "write_url", "base_url_path"]

#: Countries offered in the sidebar (packs ``geodata.packs.COUNTRIES`` may hold more; add a
#: country here once its store builds and its pages have been checked).
COUNTRIES = ("slv",)
LANG, COUNTRY, YEAR, VERSION = "lang", "country", "year", "_data_version"
_URL_READ = "_url_read"


@dataclass(frozen=True)
class Context:
    """What every page needs from the shared sidebar."""

    lang: str
    country: str
    year: int | None
    version: str


def ensure_entrypoint() -> None:
    """Make sure this page runs under ``app.py`` (its sidebar and ``st.navigation``).

    Streamlit quirk (1.67, ``PagesManager.uses_pages_directory``): with a ``pages/`` folder
    beside the entry script, a server's runs use multipage "v1" mode until some run calls
    ``st.navigation``; so the first visitor who opens ``/map`` directly gets ``pages/map.py``
    alone, without app.py's sidebar. Each page calls this first: it switches v1 mode off and
    reruns, and the rerun goes through app.py. A no-op in every normal run.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def init_from_url() -> None:
    """Read ``?lang=en`` (and ``?country=``) once per session, before the widgets are made."""
    if st.session_state.get(_URL_READ):
        return
    st.session_state[_URL_READ] = True
    params = st.query_params
    if "lang" in params:
        st.session_state[LANG] = normalise_lang(params.get("lang"))
    if params.get("country") in COUNTRIES:
        st.session_state[COUNTRY] = params.get("country")


def lang() -> str:
    """The session's language code (``DEFAULT_LANG`` until chosen)."""
    return normalise_lang(st.session_state.get(LANG, DEFAULT_LANG))


def set_version(version: str) -> None:
    """Called by ``app.py`` each run with the store's data version, before the page runs."""
    st.session_state[VERSION] = version


def default_year(years, preferred: int) -> None:
    """Give the shared year widget a valid value: keep the user's, else ``preferred`` when
    available, else the latest of ``years``."""
    current = st.session_state.get(YEAR)
    if years and current not in years:
        st.session_state[YEAR] = preferred if preferred in years else years[-1]


def context() -> Context:
    year = st.session_state.get(YEAR)
    return Context(lang=lang(), country=st.session_state.get(COUNTRY, COUNTRIES[0]),
                   year=int(year) if year is not None else None,
                   version=st.session_state.get(VERSION, ""))


def write_url(**params) -> None:
    """Keep the language (and page parameters) in the URL so a copied link reproduces the view."""
    wanted = {"lang": lang(), **{k: str(v) for k, v in params.items()}}
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def base_url_path() -> str:
    """``server.baseUrlPath`` ('' at the root): static files live under it."""
    return str(st.get_option("server.baseUrlPath") or "").strip("/")

