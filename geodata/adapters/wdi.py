"""UNODC national homicide rates via World Bank WDI: one row per country and year."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.adapters.base import AdapterResult, Ledger, check_numbers, observations


def read(path: Path, indicators, matcher) -> AdapterResult:
    df = pd.read_csv(path, dtype={"iso3": str}, encoding="utf-8")
    check_numbers(df, ["year", "value"], path.name)
    df["value"] = pd.to_numeric(df["value"])
    ledger, records = Ledger(path.name), []
    (ind,) = indicators
    for i, r in df.iterrows():
        if pd.isna(r["value"]):
            ledger.miss(i + 2, "value", "", "missing_value")
            continue
        records.append({"unit": str(r["iso3"]), "level": "country", "year": int(r["year"]),
                        "indicator": ind.id, "value": float(r["value"]), "denominator": float("nan")})
    return AdapterResult(observations(records), ledger.frame(), len(df), len(records))
