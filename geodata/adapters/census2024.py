"""2024 census (CPV 2024) at the level of the 44 municipios of the 2024 reform."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from geodata.adapters.base import AdapterResult, Ledger, check_numbers, observations

LEVEL = "municipio_2024"


def _codes(df: pd.DataFrame, matcher, ledger: Ledger) -> pd.Series:
    codes = []
    for i, raw in enumerate(df["mun2024_mh_code"]):
        m = matcher.code(raw, level=LEVEL)
        if not m.code:
            ledger.miss(i + 2, "mun2024_mh_code", raw, m.reason)
        codes.append(m.code)
    return pd.Series(codes, index=df.index)


def read_emigrants(path: Path, indicators, matcher) -> AdapterResult:
    """Long table: emigrants by municipio, year of departure (2014-2024; 2024 partial) and cause.

    Each indicator sums one cause (``cause = "all"`` sums every cause); municipio-years with no
    row for that cause are stored as 0 emigrants.
    """
    df = pd.read_csv(path, dtype=str, encoding="utf-8")
    check_numbers(df, ["year_departure", "emigrants"], path.name)
    ledger = Ledger(path.name)
    df["code"] = _codes(df, matcher, ledger)
    ok = df[df["code"].notna()].copy()
    ok["year"] = ok["year_departure"].astype(int)
    ok["emigrants"] = pd.to_numeric(ok["emigrants"])
    years = range(int(ok["year"].min()), int(ok["year"].max()) + 1)
    full = pd.MultiIndex.from_product([sorted(matcher.labels[LEVEL]), years], names=["code", "year"])
    records = []
    for ind in indicators:
        cause = ind.options["cause"]
        part = ok if cause == "all" else ok[ok["cause"] == cause]
        sums = part.groupby(["code", "year"])["emigrants"].sum().reindex(full, fill_value=0)
        records += [{"unit": c, "level": LEVEL, "year": y, "indicator": ind.id, "value": float(v),
                     "denominator": float("nan")} for (c, y), v in sums.items()]
    return AdapterResult(observations(records), ledger.frame(), len(df), len(ok),
                         ["2024 is a partial year of departure (census fieldwork in 2024)"])


def read_households(path: Path, indicators, matcher) -> AdapterResult:
    """Wide table, one row per municipio: household shares (percent) with household counts."""
    df = pd.read_csv(path, dtype=str, encoding="utf-8")
    check_numbers(df, [ind.options[k] for ind in indicators for k in ("column", "denominator_column")], path.name)
    ledger = Ledger(path.name)
    df["code"] = _codes(df, matcher, ledger)
    ok = df[df["code"].notna()]
    records = [{"unit": r["code"], "level": LEVEL, "year": 2024, "indicator": ind.id,
                "value": float(r[ind.options["column"]]),
                "denominator": float(r[ind.options["denominator_column"]])}
               for _, r in ok.iterrows() for ind in indicators]
    return AdapterResult(observations(records), ledger.frame(), len(df), len(ok))


def population_2024(path: Path) -> pd.Series:
    """CPV 2024 population by 2024 municipio code (persons; the 44 rows sum to 5,922,921)."""
    df = pd.read_csv(path, dtype={"mun2024_mh_code": str}, encoding="utf-8")
    return df.set_index("mun2024_mh_code")["population_cpv2024"].astype("int64")
