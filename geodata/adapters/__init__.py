"""Source adapters: one small module per file kind, registered by name.

Every adapter has the signature ``read(path, indicators, matcher) -> AdapterResult``:
``indicators`` are the catalogue entries fed by that file. Each source row is either stored
(``rows_stored``, possibly merged with a duplicate) or reported in ``unmatched`` with its row
number and reason, so ``rows_stored + len(unmatched) == rows_read``.
"""
from __future__ import annotations

from geodata.adapters import a2sit, acled, americasbarometer, census2007, census2024, honduras, mexico, wdi
from geodata.adapters.base import AdapterResult
from geodata.errors import DataError

__all__ = ["ADAPTERS", "AdapterResult", "get_adapter"]

ADAPTERS = {
    "acled": acled.read,
    "americasbarometer": americasbarometer.read,
    "census2007": census2007.read_csv,
    "census2007_xlsx": census2007.read_xlsx,
    "census2024_emigrants": census2024.read_emigrants,
    "census2024_households": census2024.read_households,
    "wdi": wdi.read,
    "a2sit": a2sit.read,
    "iudpas_homicides": honduras.read_homicides,
    "emr2023_emigrants": honduras.read_emigrants,
    "inegi_annual": mexico.read_annual,
    "inegi_monthly": mexico.read_monthly,
    "sesnsp": mexico.read_sesnsp,
}


def get_adapter(name: str):
    """The adapter's ``read`` function; DataError listing valid names when unknown."""
    try:
        return ADAPTERS[name]
    except KeyError:
        raise DataError("adapter.unknown", "unknown adapter {name!r}; one of {valid}",
                        name=name, valid=", ".join(sorted(ADAPTERS))) from None
