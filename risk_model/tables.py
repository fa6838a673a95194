"""Result tables for the command line, exports and pages: the same columns everywhere."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .estimates import ModelData, estimate_indicator
from .rates import poisson_interval, share_interval

__all__ = ["score_table", "rates_table", "SCORE_COLUMNS"]

SCORE_COLUMNS = ["code", "name", "department", "score", "class", "rank", "rank_p05", "rank_median",
                 "rank_p95", "p_top", "reliability"]


def score_table(result) -> pd.DataFrame:
    """``ModelResult`` as the documented score table: ``class`` is the class code (very_low ..
    very_high), then one column per dimension (0..10) and ``indicators_present``."""
    t = result.table
    out = t[["code", "name", "department", "score"]].copy()
    out["class"] = t["class_code"]
    for col in SCORE_COLUMNS[5:]:
        out[col] = t[col]
    for d in result.spec.dimensions:
        if d in t:
            out[d] = t[d]
    out["indicators_present"] = t["indicators_present"]
    return out.sort_values(["rank", "code"]).reset_index(drop=True)


def rates_table(data: ModelData, indicator: str, *, year: int, window: int = 3,
                level: str = "district") -> pd.DataFrame:
    """Pooled counts and rates of one indicator with exact intervals and both EB estimates.

    Counts: ``count`` events, ``exposure`` person-years (population summed over the window's
    years), rates per the indicator's ``per`` (100,000 or 1,000) person-years, ``ci_low``/``ci_high``
    the exact Poisson 95% interval of the raw rate. Shares: ``count``/``exposure`` are weighted
    cases and respondents, rates in percent, interval Wilson 95%.
    """
    est = estimate_indicator(data, indicator, year=year, window=window, level=level)
    units = data.units[level]
    ind = data.catalogue[indicator]
    if est.posterior == "gamma":
        ci = poisson_interval(np.nan_to_num(est.numerator), np.nan_to_num(est.denominator), per=est.per)
        low, high = ci.lower, ci.upper
    elif est.posterior == "beta":
        ok = est.denominator > 0
        ci = share_interval(np.where(ok, est.numerator, 0), np.where(ok, est.denominator, 1))
        low, high = np.where(ok, ci.lower, np.nan), np.where(ok, ci.upper, np.nan)
    else:
        low = high = est.raw
    return pd.DataFrame({
        "code": units["code"].to_numpy(), "name": units["name"].to_numpy(),
        "department": units["dept_name"].to_numpy(), "indicator": indicator,
        "years": "-".join(map(str, (min(est.years), max(est.years)))) if est.years else "",
        "count": est.numerator, "exposure": est.denominator, "raw_rate": est.raw, "ci_low": low,
        "ci_high": high, "eb_rate": est.smoothed, "spatial_eb_rate": est.spatial,
        "unit": ind.unit_en, "from_level": est.native_level if est.imputed.any() else level,
    })
