"""Administrative units of a country pack as GeoDataFrames, keyed by string codes.

Levels are per pack (``pack.levels``, finest first):

- El Salvador (``LEVELS``): ``district`` (262 pre-2024 municipios, now distritos; DIGESTYC
  code, 4 characters), ``municipio_2024`` (44 municipios of the 2024 reform; Ministerio de
  Hacienda code, 4 characters), ``department`` (14; DIGESTYC code, 2 characters).
- Guatemala: ``municipio`` (340; pcode ``GTddmm``), ``department`` (22).
- Honduras: ``municipio`` (298; INE code ``ddmm``), ``department`` (18).
- Mexico: ``municipio`` (2,469; CVEGEO ``eemmm``), ``department`` (the 32 states).

A level without its own boundary file (the departments of Guatemala and Honduras) is derived
by dissolving the finest units on ``dept_code``. Water bodies are a display layer only and
never carry data.
"""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.errors import DataError
from geodata.matching import place_name
from geodata.packs import DEFAULT_LEVELS, Pack

__all__ = ["LEVELS", "UNIT_COLUMNS", "BASIC_UNIT_COLUMNS", "read_units", "read_crosswalk", "read_water",
           "boundary_file", "unit_columns"]

#: El Salvador's levels (``load_pack("slv").levels``); other packs declare theirs.
LEVELS = DEFAULT_LEVELS
#: Columns of every El Salvador units frame, in order; absent parents are empty strings.
UNIT_COLUMNS = ["code", "name", "level", "dept_code", "dept_name", "mun2024_code",
                "mun2024_name", "pop_2007", "geometry"]
#: Columns of the units frames of packs without a 2024 reform (Guatemala, Honduras).
BASIC_UNIT_COLUMNS = ["code", "name", "level", "dept_code", "dept_name", "geometry"]


def unit_columns(pack: Pack) -> list[str]:
    """The columns of ``read_units`` frames for this pack."""
    return UNIT_COLUMNS if "municipio_2024" in pack.levels else BASIC_UNIT_COLUMNS


def boundary_file(pack: Pack, level: str) -> str:
    """The boundary file (relative to the data root) a level is read or derived from."""
    return pack.boundaries.get(level) or pack.boundaries[pack.finest]


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

    ``pop_2007`` is the 2007 census population (persons; El Salvador only: other packs have
    the columns of ``BASIC_UNIT_COLUMNS`` and their population in the store's population table).
    """
    if level not in pack.levels:
        raise DataError("units.unknown_level", "unknown level {level!r}; one of {valid}",
                        level=level, valid=", ".join(pack.levels))
    if "municipio_2024" not in pack.levels:
        return _read_basic(root, pack, level)
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


def _read_basic(root: Path, pack: Pack, level: str) -> gpd.GeoDataFrame:
    """Finest units from their file (code column ``[units] code``), departments dissolved."""
    g = _read(root, boundary_file(pack, level)).to_crs("EPSG:4326")
    g = g.rename(columns={pack.units.get("code", "code"): "code", **pack.units.get("columns", {})})
    g["code"] = g["code"].astype(str)
    g["dept_code"] = g["dept_code"].astype(str)
    if level != pack.finest:  # department: dissolve the finest units
        g = g.dissolve(by="dept_code", as_index=False, aggfunc={"dept_name": "first"})
        g["code"], g["name"] = g["dept_code"], g["dept_name"]
        g["geometry"] = g.geometry.make_valid() if (~g.geometry.is_valid).any() else g.geometry
    g["level"] = level
    for col in ("name", "dept_name"):  # some sources capitalise every word ("San Francisco De Yojoa")
        g[col] = g[col].map(place_name)
    out = g[BASIC_UNIT_COLUMNS].sort_values("code").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def read_water(root: Path, pack: Pack) -> gpd.GeoDataFrame:
    """Lakes and reservoirs: a display layer, never a data unit."""
    return _read(root, pack.boundaries["water"]).to_crs("EPSG:4326")
