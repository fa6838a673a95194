"""Every ``st.cache_*`` of the dashboard, and nothing else: the data boundary of the pages.

A cached function depends only on its arguments. ``version`` is the store's key of the active
datasets (``Store.version``): an import or a rollback changes it, and with it every cache key.
``cache_data`` returns a fresh copy on each call, so callers may mutate what they get.
"""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard import maps
from geodata.boundaries import read_units
from geodata.build import ensure_store, web_geojson_for
from geodata.config import data_root
from geodata.packs import load_pack
from geodata.store import Store
from geodata.tables import catalogue_from_store

__all__ = ["store", "version", "pack", "observations", "catalogue", "units", "web_geojson",
           "map_indicators", "map_years", "map_layer", "attribution", "country_name"]


@st.cache_resource(show_spinner=False)
def store(country: str) -> Store:
    """The country's store (built on first use). It keeps a path, not a connection."""
    return ensure_store(country)


def version(country: str) -> str:
    """Key of the active data (a short SQLite read, deliberately not cached)."""
    return store(country).version(country)


@st.cache_resource(show_spinner=False)
def pack(country: str):
    """The country pack (a frozen dataclass; shared, never mutated)."""
    return load_pack(country)


@st.cache_data(show_spinner=False)
def observations(country: str, version: str) -> pd.DataFrame:
    return store(country).observations(country)


@st.cache_data(show_spinner=False)
def catalogue(country: str, version: str) -> dict:
    """Indicator id -> ``geodata.catalogue.Indicator`` (frozen), pack and imported ones."""
    return catalogue_from_store(store(country), country)


@st.cache_data(show_spinner=False)
def units(country: str, level: str) -> gpd.GeoDataFrame:
    return read_units(data_root(), pack(country), level)


@st.cache_data(show_spinner=False)
def web_geojson(country: str, level: str) -> str:
    """Simplified GeoJSON text of a level (computed once per boundary file, kept in the store)."""
    return web_geojson_for(store(country), country, level)


@st.cache_data(show_spinner=False)
def map_indicators(country: str, version: str) -> list[str]:
    """Ids of the catalogue's indicators that have mappable observations, catalogue order."""
    obs = observations(country, version)
    have = set(obs.loc[obs["level"].isin(maps.map_levels()), "indicator"])
    return [i for i, ind in catalogue(country, version).items()
            if i in have and ind.level in maps.map_levels()]


@st.cache_data(show_spinner=False)
def map_years(country: str, version: str, indicator: str | None = None) -> list[int]:
    """Years with mappable observations (of one indicator, or of any), ascending."""
    obs = observations(country, version)
    obs = obs[obs["level"].isin(maps.map_levels())]
    if indicator is not None:
        obs = obs[obs["indicator"] == indicator]
    return sorted(int(y) for y in obs["year"].unique())


@st.cache_data(show_spinner=False, max_entries=64)
def map_layer(country: str, version: str, indicator: str, year: int, lang: str,
              scheme: str) -> maps.MapLayer:
    """The classed, escaped choropleth of one indicator and year (see ``maps.choropleth_layer``)."""
    ind = catalogue(country, version)[indicator]
    values = maps.indicator_values(observations(country, version), ind, year)
    return maps.choropleth_layer(web_geojson(country, ind.level), values, ind, year=year,
                                 lang=lang, scheme=scheme)


def country_name(country: str, lang: str) -> str:
    """The country's name from its pack, in ``lang``."""
    p = pack(country)
    return p.name_en if lang == "en" else p.name_es


def attribution(country: str, dataset: str) -> str:
    """The pack's attribution line of a dataset ("" for a dataset the pack does not list)."""
    try:
        return pack(country).source(dataset).attribution
    except KeyError:
        return ""
