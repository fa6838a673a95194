"""AmericasBarometer (LAPOP) municipal aggregates: weighted percent ``pct_<x>`` with ``n_<x>``.

Duplicate municipio-years (LAPOP 2018 labels two codes "San Juan Nonualco") are merged:
weighted cases add up, respondents add up, the share is recomputed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geodata.adapters.base import AdapterResult, Ledger, check_numbers, observations


def read(path: Path, indicators, matcher) -> AdapterResult:
    df = pd.read_csv(path, dtype=str, encoding="utf-8")
    check_numbers(df, ["year", *(f"{p}_{ind.options['column']}" for ind in indicators for p in ("pct", "n"))],
                  path.name)
    ledger = Ledger(path.name)
    name_col = "municipio_norm"
    df["code"] = None
    for i, r in df.iterrows():
        m = matcher.resolve(r[name_col], r["departamento"])
        if m.code:
            df.at[i, "code"] = m.code
        else:
            ledger.miss(i + 2, name_col, r["municipio"], m.reason, m.suggestion)
    ok = df[df["code"].notna()].copy()
    notes = []
    dup = ok.duplicated(["code", "year"], keep=False)
    if dup.any():
        notes.append("merged duplicate rows: " + "; ".join(
            f"{c} {y}" for c, y in ok.loc[dup, ["code", "year"]].drop_duplicates().itertuples(index=False)))
    records = []
    for ind in indicators:
        col = ind.options["column"]
        pct = pd.to_numeric(ok[f"pct_{col}"], errors="coerce")
        n = pd.to_numeric(ok[f"n_{col}"], errors="coerce")
        part = pd.DataFrame({"code": ok["code"], "year": ok["year"].astype(int),
                             "cases": pct / 100 * n, "n": n})[pct.notna() & (n > 0)]
        g = part.groupby(["code", "year"], as_index=False)[["cases", "n"]].sum()
        for r in g.itertuples(index=False):
            records.append({"unit": r.code, "level": "district", "year": r.year, "indicator": ind.id,
                            "value": float(np.round(100 * r.cases / r.n, 6)), "denominator": float(r.n)})
    return AdapterResult(observations(records), ledger.frame(), len(df), len(ok), notes)
