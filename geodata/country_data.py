"""Everything the model and the dashboard read about a country, as plain tables."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import config
from geodata.boundaries import read_units
from geodata.build import ensure_store
from geodata.catalogue import Indicator
from geodata.packs import load_pack
from geodata.store import Store

__all__ = ["Tables", "load_tables", "catalogue_from_store", "load_monthly"]


@dataclass(frozen=True)
class Tables:
    """Units by level (GeoDataFrames sorted by code), observations, population and catalogue.

    ``units`` is ordered finest level first (``pack.levels``: ``district`` for El Salvador,
    ``municipio`` for Guatemala and Honduras)."""

    country: str
    version: str
    units: dict[str, gpd.GeoDataFrame]
    observations: pd.DataFrame
    population: pd.DataFrame
    catalogue: dict[str, Indicator]


def catalogue_from_store(store: Store, country: str) -> dict[str, Indicator]:
    """The catalogue as stored: the pack's indicators, then any defined at import."""
    out = {}
    for r in store.indicator_definitions(country).itertuples():
        d = json.loads(r.definition)
        out[r.id] = Indicator(**d)
    return out


def load_tables(country: str = "slv", *, store: Store | None = None, root: Path | None = None) -> Tables:
    """Read a country's tables from the store (built on first use) and the boundary files."""
    root = root or config.data_root()
    store = store or ensure_store(country)
    pack = load_pack(country)
    return Tables(country=country, version=store.version(country),
                  units={lvl: read_units(root, pack, lvl) for lvl in pack.levels},
                  observations=store.observations(country), population=store.population(country),
                  catalogue=catalogue_from_store(store, country))


def load_monthly(country: str, *, root: Path | None = None) -> pd.DataFrame | None:
    """A pack's monthly event series (``code, year, month, events``; Mexico's INEGI homicide
    deaths by month and municipio), read from its shared file; None for packs without one."""
    from geodata.adapters.mexico import monthly_counts
    from geodata.build import pack_matcher

    root = root or config.data_root()
    pack = load_pack(country)
    src = next((s for s in pack.sources if s.adapter == "inegi_monthly"), None)
    if src is None:
        return None
    monthly, _ = monthly_counts(root / src.file, pack_matcher(root, pack))
    return monthly.rename(columns={"homicides": "events"})
