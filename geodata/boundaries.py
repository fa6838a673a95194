"""Administrative units of a country pack as GeoDataFrames, keyed by string codes.

Levels (El Salvador): ``district`` (262 pre-2024 municipios, now distritos; DIGESTYC code,
4 characters), ``municipio_2024`` (44 municipios of the 2024 reform; Ministerio de Hacienda
code, 4 characters), ``department`` (14; DIGESTYC code, 2 characters). Water bodies are a
display layer only and never carry data.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.errors import DataError
from geodata.packs import Pack

__all__ = ["LEVELS", "UNIT_COLUMNS", "read_units", "read_crosswalk", "read_water"]

LEVELS = ("district", "municipio_2024", "department")
#: Columns of every units frame, in order; absent parents are empty strings.
UNIT_COLUMNS = ["code", "name", "level", "dept_code", "dept_name", "mun2024_code",
                "mun2024_name", "pop_2007", "geometry"]


def _read(root: Path, rel: str) -> gpd.GeoDataFrame:
    path = root / rel
    if not path.exists():
        raise DataError("data.missing_file", "data file not found: {path} (set RISKMAP_DATA_ROOT)",
                        path=str(path))
    return gpd.read_file(path, engine="pyogrio")


def read_crosswalk(root: Path, pack: Pack) -> pd.DataFrame:
    """The district -> 2024 municipio -> department key table, codes as strings."""
    path = root / pack.boundaries["crosswalk"]
    if not path.exists():
        raise DataError("data.missing_file", "data file not found: {path} (set RISKMAP_DATA_ROOT)",
                        path=str(path))
    return pd.read_csv(path, dtype=str, encoding="utf-8")


def read_units(root: Path, pack: Pack, level: str = "district") -> gpd.GeoDataFrame:
    """Units of one level with the columns of ``UNIT_COLUMNS``, EPSG:4326, sorted by code.

    ``pop_2007`` is the 2007 census population (persons).
    """
    if level not in LEVELS:
        raise DataError("units.unknown_level", "unknown level {level!r}; one of {valid}",
                        level=level, valid=", ".join(LEVELS))
    g = _read(root, pack.boundaries[level])
    if level == "district":
        out = g.rename(columns={"digestyc_code": "code", "mun2024_mh_code": "mun2024_code"})
    elif level == "municipio_2024":
        out = g.rename(columns={"mun2024_mh_code": "code", "mun2024_name": "name"})
        out["mun2024_code"], out["mun2024_name"] = out["code"], out["name"]
    else:
        out = g.rename(columns={"dept_code": "code", "dept_name": "name"})
        out["dept_code"], out["dept_name"] = out["code"], out["name"]
        out["mun2024_code"] = out["mun2024_name"] = ""
    out["level"] = level
    out["pop_2007"] = pd.to_numeric(out["pop_2007"]).astype("int64")
    out = out[UNIT_COLUMNS].sort_values("code").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def read_water(root: Path, pack: Pack) -> gpd.GeoDataFrame:
    """Lakes and reservoirs: a display layer, never a data unit."""
    return _read(root, pack.boundaries["water"]).to_crs("EPSG:4326")
