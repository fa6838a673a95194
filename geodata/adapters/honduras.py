"""Honduras municipal files keyed by INE code: IUDPAS homicides 2014 and the EMR 2023 survey.

- ``read_homicides``: ``hnd_iudpas_municipal_homicides_2014.csv`` (``geoId`` = INE code without
  its leading zero, ``homicides``, ``year``). 265 of 298 municipios; the other 33 are absent
  from the source (very probably zero homicides, unconfirmed) and get no observation.
- ``read_emigrants``: ``hnd_emr2023_municipal_emigrants_by_violence_cause.csv`` (``ine_code``);
  each indicator is the weighted share (percent) of emigrants with a cause column
  (``numerator_column`` over ``total_column``), with ``sample_column`` (``n_cells``, a lower
  bound on the survey records behind it) as its denominator for Beta-binomial shrinkage.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geodata.adapters.base import AdapterResult, Ledger, check_numbers, observations


def _codes(df: pd.DataFrame, column: str, level: str, matcher, ledger: Ledger) -> pd.Series:
    codes = []
    for i, raw in enumerate(df[column]):
        m = matcher.code(raw, level=level)
        if not m.code:
            ledger.miss(i + 2, column, raw, m.reason, m.suggestion)
        codes.append(m.code)
    return pd.Series(codes, index=df.index, dtype=object)


def read_homicides(path: Path, indicators, matcher) -> AdapterResult:
    df = pd.read_csv(path, dtype=str, encoding="utf-8")
    check_numbers(df, ["year", "homicides"], path.name)
    df["year"], df["homicides"] = df["year"].astype(int), pd.to_numeric(df["homicides"])
    ledger = Ledger(path.name)
    (ind,) = indicators
    df["code"] = _codes(df, "geoId", ind.level, matcher, ledger)
    ok = df[df["code"].notna()]
    records = [{"unit": r.code, "level": ind.level, "year": int(r.year), "indicator": ind.id,
                "value": float(r.homicides), "denominator": float("nan")} for r in ok.itertuples()]
    absent = len(matcher.labels[ind.level]) - ok["code"].nunique()
    return AdapterResult(observations(records), ledger.frame(), len(df), len(ok),
                         [f"{absent} municipios absent from the file (probably zero homicides, "
                          "unconfirmed): no observation stored"])


def read_emigrants(path: Path, indicators, matcher) -> AdapterResult:
    df = pd.read_csv(path, dtype={"ine_code": str}, encoding="utf-8")
    check_numbers(df, [ind.options.get(k, d) for ind in indicators for k, d in
                       (("numerator_column", None), ("total_column", "emigrants_weighted"),
                        ("sample_column", "n_cells"))], path.name)
    ledger = Ledger(path.name)
    level = indicators[0].level if indicators else "municipio"
    df["code"] = _codes(df, "ine_code", level, matcher, ledger)
    ok = df[df["code"].notna()]
    records = []
    for ind in indicators:
        num = pd.to_numeric(ok[ind.options["numerator_column"]])
        total = pd.to_numeric(ok[ind.options.get("total_column", "emigrants_weighted")])
        n = pd.to_numeric(ok[ind.options.get("sample_column", "n_cells")])
        share = np.round(100 * num / total, 6)
        for code, v, k in zip(ok["code"], share, n):
            if np.isfinite(v) and k > 0:
                records.append({"unit": code, "level": ind.level, "year": int(ind.options["year"]),
                                "indicator": ind.id, "value": float(v), "denominator": float(k)})
    absent = len(matcher.labels[level]) - ok["code"].nunique()
    return AdapterResult(observations(records), ledger.frame(), len(df), len(ok),
                         [f"{absent} municipios without a surveyed emigrant (no observation stored)",
                          "not representative at municipio level: n_cells is a lower bound on survey records"])
