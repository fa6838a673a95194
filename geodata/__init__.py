"""Data of the risk map: units, population, indicator catalogue, source adapters and the store.

Its output is plain tables: a units GeoDataFrame and a long observations table
``(unit, level, year, indicator, value, denominator, dataset)``.
"""
from geodata.boundaries import LEVELS, read_crosswalk, read_units, read_water
from geodata.catalogue import Indicator, load_catalogue
from geodata.errors import DataError
from geodata.matching import Matcher, normalise
from geodata.packs import COUNTRIES, load_pack
from geodata.store import Store

__all__ = ["LEVELS", "COUNTRIES", "DataError", "Indicator", "Matcher", "Store",
           "load_catalogue", "load_pack", "normalise", "read_crosswalk", "read_units",
           "read_water"]
