"""The project's vocabulary, defined once: dimensions, unit levels, classification schemes,
aggregations, smoothings and class codes, each tuple in its display and canonical order.

Every other module imports these names from here (``geodata`` is the lowest layer, so the data
packs, the model and the dashboard can all read it). Translations of the names live in
``dashboard/i18n``; what each one means is documented where it is computed.

>>> DIMENSIONS[0], len(CLASS_CODES), CLASS_CODES[-1]
('violence', 5, 'very_high')
>>> weight_key("extortion")
'w_extortion'
"""
from __future__ import annotations

__all__ = ["DIMENSIONS", "OUTCOME_DIMENSIONS", "CONTEXT_DIMENSION", "INDICATOR_DIMENSIONS", "UNIT_LEVELS",
           "DEFAULT_LEVELS", "IMPORT_LEVELS", "INDICATOR_LEVELS", "FILL_LEVELS", "CLI_LEVELS", "SCHEMES",
           "AGGREGATIONS", "SMOOTHINGS", "CLASS_CODES", "weight_key"]

#: The four scored dimensions of the composite, in the order of weights, tables and exports.
DIMENSIONS = ("violence", "extortion", "displacement", "vulnerability")
#: The risk dimensions a backtest may take an outcome from (vulnerability is a condition, not a harm).
OUTCOME_DIMENSIONS = DIMENSIONS[:3]
#: Indicators shown for context only (a national series): never scored.
CONTEXT_DIMENSION = "context"
#: Dimensions an indicator of the catalogue may belong to.
INDICATOR_DIMENSIONS = (*DIMENSIONS, CONTEXT_DIMENSION)

#: Every level of map units, finest first: El Salvador's districts (262) and 2024 municipios
#: (44), the other countries' municipios, and departments (Mexico's states).
UNIT_LEVELS = ("district", "municipio_2024", "municipio", "department")
#: El Salvador's levels (a pack's levels when its file names none).
DEFAULT_LEVELS = ("district", "municipio_2024", "department")
#: Levels an imported file of official figures may hold.
IMPORT_LEVELS = ("district", "municipio_2024")
#: Levels an indicator may be published at ("country": a national series).
INDICATOR_LEVELS = ("district", "municipio_2024", "municipio", "country")
#: Levels a missing unit may borrow an estimate from (``IndicatorSpec.fill_missing``); "" = none.
FILL_LEVELS = ("", "municipio_2024", "department")
#: ``--level`` of the command lines -> level: "municipio" means El Salvador's 2024 municipios
#: (the commands map it back to "municipio" for countries that have no 2024 municipios).
CLI_LEVELS = {"district": "district", "municipio": "municipio_2024", "department": "department"}

#: Classification schemes (``risk_model.classify``): fixed breaks, quantiles, Jenks-Fisher.
SCHEMES = ("fixed", "quantiles", "natural_breaks")
#: Aggregations of dimension scores into the composite, the default first.
AGGREGATIONS = ("geometric", "arithmetic")
#: Small-area estimates: global Empirical Bayes, spatial (neighbours) Empirical Bayes, raw.
SMOOTHINGS = ("eb_global", "eb_spatial", "raw")
#: The five risk classes, lowest first (class index 0..4).
CLASS_CODES = ("very_low", "low", "medium", "high", "very_high")


def weight_key(dimension: str) -> str:
    """The session/URL key of a dimension's weight slider (``w_<dimension>``)."""
    return f"w_{dimension}"
