"""ACLED municipio x year aggregates (only municipio-years with at least one event appear).

Absent municipio-years are zero ACLED events (not zero violence), so every district gets an
explicit zero for each year the file covers.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.adapters.base import AdapterResult, Ledger, check_numbers, observations


def read(path: Path, indicators, matcher) -> AdapterResult:
    df = pd.read_csv(path, dtype=str, encoding="utf-8")
    cols = {ind.id: ind.options["column"] for ind in indicators}
    check_numbers(df, ["year", *cols.values()], path.name)
    df["year"] = df["year"].astype(int)
    df[list(cols.values())] = df[list(cols.values())].apply(pd.to_numeric)
    ledger = Ledger(path.name)
    df["code"] = None
    for i, r in df.iterrows():
        m = matcher.resolve(r["admin2"], r["admin1"])
        if m.code:
            df.at[i, "code"] = m.code
        else:
            ledger.miss(i + 2, "admin2", r["admin2"], m.reason, m.suggestion)
    ok = df[df["code"].notna()]
    notes = []
    dup = ok.duplicated(["code", "year"], keep=False)
    if dup.any():
        notes.append(f"{int(dup.sum())} rows share a district-year and were summed")
    sums = ok.groupby(["code", "year"])[list(cols.values())].sum()
    years = range(int(df["year"].min()), int(df["year"].max()) + 1)
    full = pd.MultiIndex.from_product([sorted(matcher.labels["district"]), years], names=["code", "year"])
    sums = sums.reindex(full, fill_value=0)
    filled = len(full) - int(ok.groupby(["code", "year"]).ngroups)
    notes.append(f"{filled} district-years without events stored as 0 events")
    records = [
        {"unit": code, "level": "district", "year": year, "indicator": ind_id,
         "value": float(row[col]), "denominator": float("nan")}
        for (code, year), row in sums.iterrows() for ind_id, col in cols.items()
    ]
    return AdapterResult(observations(records), ledger.frame(), len(df), len(ok), notes)
