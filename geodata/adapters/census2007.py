"""2007 census municipal indicators: the cleaned CSV and DIGESTYC's original XLSX sheet."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from geodata.adapters.base import AdapterResult, Ledger, check_numbers, observations
from geodata.matching import normalise

YEAR = 2007


def _records(code: str, values: dict, indicators) -> list[dict]:
    out = []
    for ind in indicators:
        v = pd.to_numeric(values.get(ind.options["column"]), errors="coerce")
        if pd.notna(v):
            out.append({"unit": code, "level": "district", "year": YEAR, "indicator": ind.id,
                        "value": float(v), "denominator": float("nan")})
    return out


def read_csv(path: Path, indicators, matcher) -> AdapterResult:
    df = pd.read_csv(path, dtype=str, encoding="utf-8")
    check_numbers(df, [ind.options["column"] for ind in indicators], path.name)
    ledger, records, stored = Ledger(path.name), [], 0
    for i, r in df.iterrows():
        m = matcher.resolve(r["municipio"], r["departamento"])
        if not m.code:
            ledger.miss(i + 2, "municipio", r["municipio"], m.reason, m.suggestion)
            continue
        stored += 1
        records += _records(m.code, r.to_dict(), indicators)
    return AdapterResult(observations(records), ledger.frame(), len(df), stored)


def read_xlsx(path: Path, indicators, matcher) -> AdapterResult:
    """Sheet "Municipios": a national row, then per department a '01-AHUACHAPÁN' subtotal row
    followed by its municipios with accented names. Formulas are read as their cached values."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = wb["Municipios"].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows)]
    ledger, records, stored, read, dept = Ledger(path.name), [], 0, 0, None
    for rowno, row in enumerate(rows, start=2):
        if all(v is None for v in row):
            continue
        read += 1
        name = row[0]
        if name is None:
            ledger.miss(rowno, header[0], "", "national_total")
            continue
        if normalise(name).startswith("fuente"):
            ledger.miss(rowno, header[0], name, "footnote")
            continue
        d = matcher.department(name) if str(name)[:2].isdigit() else None
        if d:
            dept = d
            ledger.miss(rowno, header[0], name, "department_subtotal")
            continue
        m = matcher.resolve(name, matcher.labels["department"].get(dept))
        if not m.code:
            ledger.miss(rowno, header[0], name, m.reason, m.suggestion)
            continue
        stored += 1
        records += _records(m.code, dict(zip(header, row)), indicators)
    wb.close()
    return AdapterResult(observations(records), ledger.frame(), read, stored)
