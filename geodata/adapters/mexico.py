"""Mexico's official homicide files, keyed by CVEGEO (5-digit INEGI code, text).

- ``read_annual``: ``mex_inegi_homicides_municipio_year_occurrence_2000_2021.csv`` (``cvegeo,
  year, homicides``): INEGI homicide deaths by municipio and year of occurrence -> ``mex_homicides``
  (count; the build adds the population as denominator).
- ``read_monthly``: the same deaths by month (``|``-separated, gzip; ``ent_mun, year, month,
  homicides``). Nothing is stored (651,288 rows): ``monthly_counts`` reads it on demand for
  rolling 12-month rates; the adapter places every code and reports the yearly sums.
- ``read_sesnsp``: ``mex_sesnsp_homicidio_doloso_municipio_2024_2025h1.csv`` (``cvegeo, Entidad,
  Municipio, year, homicidio_doloso_carpetas, months``): crimes in investigation files, NOT
  victims. Rows without a CVEGEO are placed by name within their state through the alias table;
  'No especificado' and 'Otros municipios' rows are reported and their amounts kept as unplaced.

Municipios created after 2020 (San Felipe 02007, and the SESNSP names of the new municipios of
Campeche, Guerrero, San Luis Potosí and Sinaloa) are summed into the parent municipio of the
2020 frame, as ``aliases_mex.csv`` says, and each is named in the notes.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geodata.adapters.base import AdapterResult, Ledger, observations
from geodata.matching import normalise

__all__ = ["read_annual", "read_monthly", "read_sesnsp", "monthly_counts"]

_UNSPECIFIED = {"no especificado", "otros municipios"}


def _place_codes(raw: pd.Series, matcher, level: str) -> tuple[pd.Series, dict, dict]:
    """Unit code of every raw code (None when unknown), the codes summed into a parent
    (``{raw: parent}``) and the reason for each unknown code."""
    placed, parents, reasons = {}, {}, {}
    for code in raw.dropna().unique():
        m = matcher.code(code, level=level)
        if m.code:
            placed[code] = m.code
            continue
        state = matcher.labels["department"].get(str(code).zfill(5)[:2])
        alias = matcher.resolve(str(code).zfill(5), state, level=level) if m.reason != "bad_code" and state else m
        if alias.code:
            placed[code], parents[code] = alias.code, alias.code
        else:
            reasons[code] = m.reason
    return raw.map(placed), parents, reasons


def _parent_note(parents: dict, matcher, level: str) -> list[str]:
    return [f"{raw} summed into its parent {matcher.label(level, code)} ({code}): created after the 2020 frame"
            for raw, code in sorted(parents.items())]


def _read_counts(df: pd.DataFrame, code_col: str, path: Path, ind_level: str, matcher) -> tuple:
    ledger = Ledger(path.name)
    codes, parents, reasons = _place_codes(df[code_col], matcher, ind_level)
    for i in np.flatnonzero(codes.isna().to_numpy()):
        raw = df[code_col].iat[i]
        ledger.miss(i + 2, code_col, raw, reasons.get(raw, "bad_code"))
    return codes, parents, ledger


def read_annual(path: Path, indicators, matcher) -> AdapterResult:
    (ind,) = indicators
    df = pd.read_csv(path, dtype={"cvegeo": str}, encoding="utf-8")
    codes, parents, ledger = _read_counts(df, "cvegeo", path, ind.level, matcher)
    ok = df.assign(code=codes)[codes.notna()]
    sums = ok.groupby(["code", "year"], as_index=False)["homicides"].sum()
    obs = observations([{"unit": r.code, "level": ind.level, "year": int(r.year), "indicator": ind.id,
                         "value": float(r.homicides), "denominator": float("nan")} for r in sums.itertuples()])
    unplaced = df[codes.isna()].groupby("year")["homicides"].sum()
    return AdapterResult(obs, ledger.frame(), len(df), len(ok), _parent_note(parents, matcher, ind.level),
                         {ind.id: {int(y): float(v) for y, v in unplaced.items()}})


def monthly_counts(path: Path, matcher, level: str = "municipio") -> tuple[pd.DataFrame, AdapterResult]:
    """Homicide deaths by unit, year and month (``code, year, month, homicides``), codes of
    municipios created after 2020 summed into their parent, and the row accounting."""
    df = pd.read_csv(path, sep="|", dtype={"ent_mun": str}, usecols=["ent_mun", "year", "month", "homicides"],
                     compression="gzip", encoding="utf-8")
    codes, parents, ledger = _read_counts(df, "ent_mun", path, level, matcher)
    ok = df.assign(code=codes)[codes.notna()]
    out = ok.groupby(["code", "year", "month"], as_index=False)["homicides"].sum()
    yearly = out.groupby("year")["homicides"].sum()
    notes = _parent_note(parents, matcher, level) + [
        "monthly series read on demand (not stored); yearly sums " +
        ", ".join(f"{int(y)} = {int(v):,}" for y, v in yearly.items())]
    res = AdapterResult(observations([]), ledger.frame(), len(df), len(ok), notes)
    return out, res


def read_monthly(path: Path, indicators, matcher) -> AdapterResult:
    return monthly_counts(path, matcher)[1]


def read_sesnsp(path: Path, indicators, matcher) -> AdapterResult:
    (ind,) = indicators
    df = pd.read_csv(path, dtype={"cvegeo": str}, encoding="utf-8")
    ledger = Ledger(path.name)
    state_of = df.dropna(subset=["cvegeo"]).assign(state=lambda d: d["cvegeo"].str[:2]) \
        .drop_duplicates("Entidad").set_index("Entidad")["state"]
    codes, notes = [], []
    for i, r in enumerate(df.itertuples(index=False)):
        code = None
        if isinstance(r.cvegeo, str) and r.cvegeo.strip():
            m = matcher.code(r.cvegeo, level=ind.level)
            code = m.code
            if not code:
                ledger.miss(i + 2, "cvegeo", r.cvegeo, m.reason)
        elif normalise(r.Municipio) in _UNSPECIFIED:
            ledger.miss(i + 2, "Municipio", r.Municipio, "unspecified_municipio")
        else:
            state = state_of.get(r.Entidad, "")
            m = matcher.resolve(r.Municipio, matcher.label("department", state) if state else None, level=ind.level)
            code = m.code
            if code:
                notes.append(f"{r.Entidad}, {r.Municipio} ({r.year}) placed on {matcher.label(ind.level, code)} "
                             f"({code}) by the alias table")
            else:
                ledger.miss(i + 2, "Municipio", r.Municipio, m.reason, m.suggestion)
        codes.append(code)
    df["code"] = codes
    ok = df[df["code"].notna()]
    sums = ok.groupby(["code", "year"], as_index=False).agg(value=("homicidio_doloso_carpetas", "sum"),
                                                              months=("months", "max"))
    # denominator: the fraction of the year covered; the build turns it into person-years
    obs = observations([{"unit": r.code, "level": ind.level, "year": int(r.year), "indicator": ind.id,
                         "value": float(r.value), "denominator": float(r.months) / 12} for r in sums.itertuples()])
    unplaced = df[df["code"].isna()].groupby("year")["homicidio_doloso_carpetas"].sum()
    notes.append("counts are crimes in investigation files (carpetas), not victims; 2025 covers January-June")
    return AdapterResult(obs, ledger.frame(), len(df), len(ok), notes,
                         {ind.id: {int(y): float(v) for y, v in unplaced.items()}})
