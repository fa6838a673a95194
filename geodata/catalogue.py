"""The indicator catalogue: what each indicator measures, at which level, in which unit."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from geodata.errors import DataError
from geodata.names import INDICATOR_DIMENSIONS, INDICATOR_LEVELS
from geodata.packs import Pack

__all__ = ["Indicator", "load_catalogue", "KINDS", "SHARED_DEFINITIONS"]

KINDS = ("count", "share", "rate", "index")
#: ``district``/``municipio_2024``: El Salvador; ``municipio``: Guatemala and Honduras.
#: Definitions shared across countries: only these may be normalised on a pooled regional scale.
SHARED_DEFINITIONS = ("homicide_rate",)
DENOMINATORS = ("population", "respondents", "households", "none")


@dataclass(frozen=True)
class Indicator:
    """One indicator's metadata.

    ``per`` scales a count rate (100000 = per 100,000 population; 1000 = per 1,000); it is 1
    for shares (percent 0..100). ``direction`` is +1 when higher is worse, -1 when lower is worse.
    ``shared_definition`` names a definition that is the same in every country (``homicide_rate``:
    intentional homicides per 100,000 population); only such indicators may be compared on a
    pooled regional scale (``risk_model.regional``). Empty for everything else.
    """

    id: str
    dataset: str
    label_es: str
    label_en: str
    level: str
    kind: str
    denominator: str
    per: int
    unit_es: str
    unit_en: str
    direction: int
    dimension: str
    description_es: str = ""
    description_en: str = ""
    sensitive: bool = False
    shared_definition: str = ""
    options: dict = field(default_factory=dict, compare=False)  # adapter hints: column, cause ...

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_es

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_es


_FIELDS = {f for f in Indicator.__dataclass_fields__ if f != "options"}


def validate_indicator(ind: Indicator) -> None:
    """Raise DataError naming the indicator and the field that is out of its allowed set."""
    checks = [("kind", ind.kind, KINDS), ("dimension", ind.dimension, INDICATOR_DIMENSIONS),
              ("level", ind.level, INDICATOR_LEVELS), ("denominator", ind.denominator, DENOMINATORS),
              ("direction", ind.direction, (1, -1)),
              ("shared_definition", ind.shared_definition, ("",) + SHARED_DEFINITIONS)]
    for name, value, allowed in checks:
        if value not in allowed:
            raise DataError("catalogue.bad_field", "indicator {id}: {field} = {value!r}; one of {valid}",
                            id=ind.id, field=name, value=value, valid=", ".join(map(str, allowed)))


def load_catalogue(pack: Pack) -> dict[str, Indicator]:
    """Indicators of a pack by id, in catalogue order."""
    raw = tomllib.loads(pack.catalogue_file.read_text(encoding="utf-8"))
    out: dict[str, Indicator] = {}
    for row in raw["indicator"]:
        ind = Indicator(**{k: v for k, v in row.items() if k in _FIELDS},
                        options={k: v for k, v in row.items() if k not in _FIELDS})
        validate_indicator(ind)
        if ind.id in out:
            raise DataError("catalogue.duplicate", "indicator {id} is defined twice", id=ind.id)
        out[ind.id] = ind
    return out
