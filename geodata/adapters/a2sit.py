"""UNHCR A2SIT municipal indicators (Guatemala): one row per municipio, one column per indicator.

The file is one cross-section keyed by ``admin2Pcode`` (``GTddmm``); each indicator has its own
reference year (catalogue option ``year``, from the MVI metadata sheet). Values are stored as
published (rates per 100,000, fractions scaled by the catalogue option ``scale``); an empty cell
is no observation, reported in the notes, never a zero.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.adapters.base import AdapterResult, Ledger, check_numbers, observations

CODE_COLUMN = "admin2Pcode"


def read(path: Path, indicators, matcher) -> AdapterResult:
    df = pd.read_csv(path, dtype={CODE_COLUMN: str}, encoding="utf-8")
    check_numbers(df, [ind.options["column"] for ind in indicators], path.name)
    ledger, records, stored = Ledger(path.name), [], 0
    empty = {ind.id: 0 for ind in indicators}
    for i, r in df.iterrows():
        level = indicators[0].level if indicators else "municipio"
        m = matcher.code(r[CODE_COLUMN], level=level)
        if not m.code:
            ledger.miss(i + 2, CODE_COLUMN, r[CODE_COLUMN], m.reason, m.suggestion)
            continue
        stored += 1
        for ind in indicators:
            v = pd.to_numeric(r[ind.options["column"]], errors="coerce")
            if pd.isna(v):
                empty[ind.id] += 1
                continue
            records.append({"unit": m.code, "level": ind.level, "year": int(ind.options["year"]),
                            "indicator": ind.id, "value": float(v) * float(ind.options.get("scale", 1)),
                            "denominator": float("nan")})
    notes = [f"{ind_id}: {n} municipios with an empty cell (no observation stored)"
             for ind_id, n in empty.items() if n]
    return AdapterResult(observations(records), ledger.frame(), len(df), stored, notes)
