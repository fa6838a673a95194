"""Rolling 12-month rates with change flags, and concentration figures, from a monthly series.

As Guatemala's Diálogos reports do: per unit, the rate over the last 12 months against the 12
months before, and whether the change is more than chance. Under "no change" the events of the
last 12 months, given the events of both windows, are Binomial(total, e_last / (e_last +
e_prev)) (conditional test of two Poisson rates, exact); the change is flagged "rising" or
"falling" when the two-sided p-value is below ``alpha``, "stable" otherwise, and
"insufficient" when both windows together hold fewer than ``min_events`` events (the low-count
guard: 1 -> 3 homicides is not "+200%").
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import stats

from geodata.errors import DataError

from .trends import FLAGS

__all__ = ["ROLLING_COLUMNS", "rolling_change", "rolling_table", "concentration", "month_index"]

ROLLING_COLUMNS = ["code", "events_last", "events_prev", "person_years_last", "person_years_prev",
                   "rate_last", "rate_prev", "pct_change", "p_value", "flag"]


def month_index(year, month) -> np.ndarray:
    """Months since January of year 0 (``12 * year + month - 1``): consecutive months differ by 1."""
    return 12 * np.asarray(year, dtype=int) + np.asarray(month, dtype=int) - 1


def rolling_change(monthly: pd.DataFrame, population: pd.Series, *, end_year: int, end_month: int,
                   per: float = 100_000, min_events: float = 10, alpha: float = 0.05) -> pd.DataFrame:
    """Last 12 months (ending ``end_year``-``end_month``) against the 12 months before, per unit.

    Parameters
    ----------
    monthly : DataFrame
        ``code, year, month, events``: one row per unit and month (events >= 0). A unit-month
        absent from the table counts as missing, and a unit with any missing month in the 24 is
        "insufficient".
    population : Series
        Population (persons) indexed by ``(code, year)``; each month contributes population / 12
        person-years. A month without population makes the unit "insufficient".
    end_year, end_month : int
        The last month of the recent window (1..12).
    per : float
        Rate multiplier (per 100,000 person-years).
    min_events : float
        Low-count guard: fewer events than this in the two windows together -> "insufficient".
    alpha : float
        Two-sided level of the exact conditional test.

    Returns
    -------
    DataFrame
        ``ROLLING_COLUMNS``, one row per unit of ``monthly`` (sorted by code): events and
        person-years in each window, rates per ``per`` person-years, ``pct_change`` (percent,
        NaN when the previous rate is 0 or the unit is insufficient), ``p_value`` and ``flag``
        (one of ``risk_model.trends.FLAGS``).
    """
    if not 1 <= int(end_month) <= 12:
        raise DataError("model.bad_month", "end_month must be 1..12, got {m}", m=end_month)
    end = int(month_index(end_year, end_month))
    m = monthly.assign(t=month_index(monthly["year"], monthly["month"]))
    m = m[(m["t"] > end - 24) & (m["t"] <= end)]
    pop = population.reindex(pd.MultiIndex.from_arrays([m["code"], m["year"]])).to_numpy(float)
    m = m.assign(py=pop / 12, recent=m["t"] > end - 12)
    codes = np.sort(monthly["code"].unique())
    g = m.groupby(["code", "recent"]).agg(events=("events", "sum"), py=("py", "sum"), months=("t", "nunique"),
                                          missing_py=("py", lambda s: int(s.isna().sum())))
    def part(recent: bool, col: str) -> np.ndarray:
        key = pd.MultiIndex.from_arrays([codes, np.full(len(codes), recent)])
        return g[col].reindex(key).to_numpy(float)
    e1, e0 = part(True, "events"), part(False, "events")
    p1, p0 = part(True, "py"), part(False, "py")
    complete = (part(True, "months") == 12) & (part(False, "months") == 12) \
        & (part(True, "missing_py") == 0) & (part(False, "missing_py") == 0) & (p1 > 0) & (p0 > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r1, r0 = e1 / p1 * per, e0 / p0 * per
        pct = np.where(r0 > 0, 100 * (r1 / r0 - 1), np.nan)
    total = np.nan_to_num(e1 + e0)
    enough = complete & (total >= min_events)
    share = np.where(enough, p1 / np.where(enough, p1 + p0, 1), 0.5)
    pvals = np.full(len(codes), np.nan)
    for i in np.flatnonzero(enough):
        pvals[i] = stats.binomtest(int(round(e1[i])), int(round(total[i])), share[i]).pvalue
    flag = np.where(~enough, FLAGS[3],
                    np.where(pvals < alpha, np.where(r1 > r0, FLAGS[0], FLAGS[1]), FLAGS[2]))
    return pd.DataFrame({"code": codes, "events_last": e1, "events_prev": e0, "person_years_last": p1,
                         "person_years_prev": p0, "rate_last": np.where(complete, r1, np.nan),
                         "rate_prev": np.where(complete, r0, np.nan), "pct_change": np.where(enough, pct, np.nan),
                         "p_value": pvals, "flag": flag}, columns=ROLLING_COLUMNS)


def rolling_table(data, monthly: pd.DataFrame, *, level: str | None = None,
                  end: str | None = None) -> pd.DataFrame:
    """:func:`rolling_change` of a ``ModelData``'s units at ``level`` (default its finest; a
    coarser level sums the finest units' months into their ``dept_code``), with the level's
    population, ending at ``end`` ("YYYY-MM", default the series' last month). Adds ``name``
    and ``end_month`` after ``code``. Raises ``DataError`` for an ``end`` that is not a month."""
    if end is None:
        last = monthly[["year", "month"]].drop_duplicates().sort_values(["year", "month"]).iloc[-1]
        end = f"{int(last.year)}-{int(last.month):02d}"
    if not re.fullmatch(r"\d{4}-\d{2}", str(end)):
        raise DataError("model.bad_end", "--end {end!r} is not a month YYYY-MM", end=end)
    level = level or data.finest
    if level != data.finest:
        parent = data.units[data.finest].set_index("code")["dept_code"]
        monthly = monthly.assign(code=monthly["code"].map(parent)).groupby(
            ["code", "year", "month"], as_index=False)["events"].sum()
    pop = data.population[data.population["level"] == level].set_index(["unit", "year"])["population"]
    out = rolling_change(monthly, pop, end_year=int(end[:4]), end_month=int(end[5:]))
    out.insert(1, "name", out["code"].map(data.units[level].set_index("code")["name"]))
    out.insert(2, "end_month", end)
    return out


def concentration(annual: pd.DataFrame, *, top: int = 50) -> pd.DataFrame:
    """Per year: how concentrated the events are.

    ``annual`` has ``code, year, events`` (one row per unit with data that year). Returns
    ``year, units, events, top_share`` (percent of the year's events in the ``top`` units with
    the most events, 0..100) and ``zero_units`` (units with data and no event that year).
    """
    rows = []
    for year, g in annual.groupby("year"):
        ev = np.sort(g["events"].to_numpy(float))[::-1]
        total = ev.sum()
        rows.append({"year": int(year), "units": len(ev), "events": total,
                     "top_share": 100 * ev[:top].sum() / total if total > 0 else np.nan,
                     "zero_units": int((ev == 0).sum())})
    return pd.DataFrame(rows, columns=["year", "units", "events", "top_share", "zero_units"])
