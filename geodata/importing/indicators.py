"""A new imported indicator from plain options (the command line's flags, the Data page's form)."""
from __future__ import annotations

import re

from geodata.catalogue import Indicator, validate_indicator
from geodata.errors import DataError
from geodata.names import DIMENSIONS, IMPORT_LEVELS
from geodata.validation import fail


ID = re.compile(r"[a-z][a-z0-9_]{2,49}")
DATASET = re.compile(r"[a-z0-9][a-z0-9_\-]{2,63}")
_BAD_TEXT = re.compile(r"[<>\x00-\x1f\x7f-\x9f]")
#: Plain-language reasons of the rows an import skips (they are listed, never dropped silently).
SKIP_REASONS = {"not_a_unit": "total row, not a municipality",
                "missing_value": "no value in the row (blank values or a note)"}
NEW_INDICATOR_FIELDS = ("label_es", "label_en", "kind", "dimension", "unit")



def _text(field_name: str, value, limit: int = 200, *, required: bool = True) -> str:
    text = str(value if value is not None else "").strip()
    if (required and not text) or len(text) > limit or _BAD_TEXT.search(text):
        raise fail("import.bad_text", field=field_name, value=text, max=limit)
    return text


def indicator_from_options(ind_id: str, options: dict, *, dataset: str, level: str) -> Indicator:
    """An ``Indicator`` for a new imported series from plain options.

    ``options``: ``label_es``, ``label_en``, ``kind`` (count | share | rate | index), ``dimension``
    (violence | extortion | displacement | vulnerability), ``unit`` (or ``unit_es`` and ``unit_en``),
    optional ``direction`` (1 = higher is worse, default; -1), ``sensitive`` (default False),
    ``description_es``/``description_en``. Counts get ``denominator = "population"`` and
    ``per = 100000`` (rates per 100,000 population); other kinds ``denominator = "none"``, ``per = 1``.
    Labels, units and descriptions may not contain ``<``, ``>`` or control characters (they end up
    in map tooltips and chart titles, some of which render HTML).
    """
    have = {k for k, v in options.items() if v not in (None, "")}
    if "unit" not in have and {"unit_es", "unit_en"} <= have:
        have.add("unit")
    missing = [k for k in NEW_INDICATOR_FIELDS if k not in have]
    if missing:
        raise fail("import.incomplete_indicator", id=ind_id, missing=", ".join(missing))
    kind = options["kind"]
    try:
        direction = int(options.get("direction", 1))
    except (TypeError, ValueError):
        direction = 0
    ind = Indicator(id=ind_id, dataset=dataset, label_es=_text("label_es", options["label_es"]),
                    label_en=_text("label_en", options["label_en"]), level=level, kind=kind,
                    denominator="population" if kind == "count" else "none",
                    per=100000 if kind == "count" else 1,
                    unit_es=_text("unit_es", options.get("unit_es") or options.get("unit")),
                    unit_en=_text("unit_en", options.get("unit_en") or options.get("unit")),
                    direction=direction, dimension=options["dimension"],
                    description_es=_text("description_es", options.get("description_es"), 1000, required=False),
                    description_en=_text("description_en", options.get("description_en"), 1000, required=False),
                    sensitive=bool(options.get("sensitive", False)), options={})
    validate_indicator(ind)
    if ind.dimension not in DIMENSIONS or ind.level not in IMPORT_LEVELS:
        bad = ("dimension", ind.dimension, DIMENSIONS) if ind.dimension not in DIMENSIONS else (
            "level", ind.level, IMPORT_LEVELS)
        raise DataError("catalogue.bad_field", "indicator {id}: {field} = {value!r}; one of {valid}",
                        id=ind_id, field=bad[0], value=bad[1], valid=", ".join(bad[2]))
    return ind
