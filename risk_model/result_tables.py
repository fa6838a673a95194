"""Result tables for the command line, exports and pages: the same columns everywhere."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .estimates import ModelData, estimate_indicator

__all__ = ["score_table", "rates_table", "trend_table", "hotspot_table", "SCORE_COLUMNS"]

SCORE_COLUMNS = ["code", "name", "department", "score", "class", "rank", "rank_p05", "rank_median",
                 "rank_p95", "p_top", "reliability"]


def score_table(result) -> pd.DataFrame:
    """``ModelResult`` as the documented score table: ``class`` is the class code (very_low ..
    very_high), then one column per dimension (0..10), the dimensions' contributions to the score
    (``contrib_<dimension>``, points that add up to ``score``, ``risk_model.contributions``) and
    ``indicators_present``."""
    from .contributions import contribution_table

    t = result.table
    out = t[["code", "name", "department", "score"]].copy()
    out["class"] = t["class_code"]
    for col in SCORE_COLUMNS[5:]:
        out[col] = t[col]
    for d in result.spec.dimensions:
        if d in t:
            out[d] = t[d]
    parts = contribution_table(result)
    for col in parts.columns[1:]:
        out[col] = parts[col].to_numpy()
    out["indicators_present"] = t["indicators_present"]
    return out.sort_values(["rank", "code"]).reset_index(drop=True)


def rates_table(data: ModelData, indicator: str, *, year: int, window: int = 3,
                level: str | None = None) -> pd.DataFrame:
    """Pooled counts and rates of one indicator with exact intervals and both EB estimates.

    Counts: ``count`` events, ``exposure`` person-years (population summed over the window's
    years), rates per the indicator's ``per`` (100,000 or 1,000) person-years, ``ci_low``/``ci_high``
    the exact Poisson 95% interval of the raw rate. Shares: ``count``/``exposure`` are weighted
    cases and respondents, rates in percent, interval Wilson 95%. Published values: no interval (NaN).
    """
    level = level or data.finest
    est = estimate_indicator(data, indicator, year=year, window=window, level=level)
    units = data.units[level]
    ind = data.catalogue[indicator]
    _, low, high = est.interval()
    return pd.DataFrame({
        "code": units["code"].to_numpy(), "name": units["name"].to_numpy(),
        "department": units["dept_name"].to_numpy(), "indicator": indicator,
        "years": "-".join(map(str, (min(est.years), max(est.years)))) if est.years else "",
        "count": est.numerator, "exposure": est.denominator, "raw_rate": est.raw, "ci_low": low,
        "ci_high": high, "eb_rate": est.smoothed, "spatial_eb_rate": est.spatial,
        "unit": ind.unit_en, "from_level": est.native_level if est.imputed.any() else level,
    })


def trend_table(data: ModelData, indicator: str, *, level: str | None = None, last: int = 5) -> pd.DataFrame:
    """Log-linear trend per unit over the last ``last`` years of a count indicator.

    ``pct_change`` is percent per year with its 95% interval; ``flag`` is rising / falling /
    stable / insufficient (fewer than 10 events or 3 years: never "+100%" from 1 to 2 events).
    """
    from .trends import trend

    level = level or data.finest
    ind = data.catalogue[indicator]
    years = data.years(indicator)
    units = data.units[level]
    ev = np.full((len(units), len(years)), np.nan)
    ex = np.full_like(ev, np.nan)
    for j, y in enumerate(years):
        est = estimate_indicator(data, indicator, year=y, window=1, level=level)
        ev[:, j], ex[:, j] = est.numerator, est.denominator
    if ind.kind != "count":
        ex = np.where(ex > 0, ex, np.nan)  # shares: cases over respondents
    tr = trend(ev, ex, years=np.array(years), last=min(last, len(years)))
    return pd.DataFrame({"code": units["code"].to_numpy(), "name": units["name"].to_numpy(),
                         "pct_change": tr.pct_change, "pct_lower": tr.pct_lower, "pct_upper": tr.pct_upper,
                         "total_events": tr.total_events, "years_used": tr.years_used, "flag": tr.flag})


def hotspot_table(data: ModelData, values, *, level: str | None = None, seed: int = 0,
                  fdr: bool = False) -> pd.DataFrame:
    """Local Moran's I (codes HH, LL, HL, LH, ns) and Gi* (hot, cold, ns) of ``values`` (one per
    unit of ``level``, e.g. the composite 0..10 or a smoothed rate), 999 permutations."""
    from .hotspots import getis_ord, local_moran

    level = level or data.finest
    y = np.asarray(values, dtype=float)
    w = data.weights[level]
    fill = np.where(np.isnan(y), np.nanmean(y), y)
    lm = local_moran(fill, w, seed=seed, fdr=fdr)
    gi = getis_ord(fill, w, seed=seed, fdr=fdr)
    units = data.units[level]
    return pd.DataFrame({"code": units["code"].to_numpy(), "moran": lm.code, "moran_p": lm.p,
                         "gi": gi.code, "gi_p": gi.p})
