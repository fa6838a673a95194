"""From the long observations table to one estimate per unit and indicator, at a chosen level.

This is the table adapter between ``geodata``'s plain tables and the array functions:
pooling over the window, re-pooling to coarser levels, shrinkage, and applying a coarser
level's estimate to its districts (flagged, so reliability can say so).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.errors import DataError

from .smoothing import beta_binomial_shrink, eb_global, eb_spatial

__all__ = ["ModelData", "IndicatorEstimate", "estimate_indicator", "window_years", "PARENT_KEY"]

#: How a unit of a level finds its parent: the column of the district table holding the parent code.
PARENT_KEY = {"municipio_2024": "mun2024_code", "department": "dept_code"}
_FINER = {"district": 0, "municipio_2024": 1, "department": 2}


@dataclass(frozen=True)
class ModelData:
    """Everything the model reads, as plain tables (built by the caller from ``geodata``).

    ``units[level]`` is sorted by code (columns code, name, dept_code, dept_name, mun2024_code,
    mun2024_name, pop_2007); ``weights[level]`` is the queen-contiguity libpysal ``W`` (ids are
    row positions) and ``neighbours[level]`` the same as lists of positions.
    """

    country: str
    units: dict
    weights: dict
    neighbours: dict
    observations: pd.DataFrame
    population: pd.DataFrame
    catalogue: dict

    def years(self, indicator: str) -> list[int]:
        obs = self.observations
        return sorted(int(y) for y in obs.loc[obs["indicator"] == indicator, "year"].unique())


@dataclass(frozen=True)
class IndicatorEstimate:
    """One indicator for every unit of a level, in the indicator's unit (``per`` or percent).

    ``posterior`` is ``"gamma"`` (rate per person-year ~ Gamma(p1, p2)), ``"beta"`` (share ~
    Beta(p1, p2)) or ``"fixed"`` (census value without sampling error).
    """

    id: str
    level: str
    native_level: str
    years: tuple
    numerator: np.ndarray
    denominator: np.ndarray
    raw: np.ndarray
    smoothed: np.ndarray
    spatial: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    posterior: str
    p1: np.ndarray
    p2: np.ndarray
    per: float
    imputed: np.ndarray

    @property
    def data_year(self) -> int | None:
        return max(self.years) if self.years else None

    def value(self, smoothing: str) -> np.ndarray:
        """The value that is scored: raw, globally smoothed or spatially smoothed."""
        return {"raw": self.raw, "eb_global": self.smoothed, "eb_spatial": self.spatial}[smoothing]


def window_years(available, year: int, window: int) -> tuple:
    """Years pooled for ``year``: those in ``year-window+1 .. year``, else the latest before.

    >>> window_years([2018, 2021, 2023], 2023, 3)
    (2021, 2023)
    >>> window_years([2018], 2023, 3), window_years([2024], 2023, 3)
    ((2018,), ())
    """
    inside = tuple(y for y in sorted(available) if year - window < y <= year)
    if inside:
        return inside
    before = [y for y in available if y <= year]
    return (max(before),) if before else ()


def _pool(data: ModelData, ind, years, level: str) -> tuple[pd.Series, pd.Series]:
    """Numerator and denominator by unit code of ``level`` (finer observations are re-pooled)."""
    obs = data.observations
    obs = obs[(obs["indicator"] == ind.id) & obs["year"].isin(years)].copy()
    if ind.kind == "share" and ind.denominator != "none":
        obs["num"] = obs["value"] / 100 * obs["denominator"]
    elif ind.denominator == "none":  # census value: population-weighted when re-pooled
        weight = data.units["district"].set_index("code")["pop_2007"] if ind.level == "district" else None
        obs["denominator"] = obs["unit"].map(weight) if weight is not None else 1.0
        obs["num"] = obs["value"] * obs["denominator"]
    else:
        obs["num"] = obs["value"]
    if level != ind.level:
        parent = data.units["district"].set_index("code")[PARENT_KEY[level]]
        if ind.level == "municipio_2024":  # only to department
            parent = data.units["municipio_2024"].set_index("code")["dept_code"]
        obs["unit"] = obs["unit"].map(parent)
    g = obs.groupby("unit")[["num", "denominator"]].sum(min_count=1)
    return g["num"], g["denominator"]


def estimate_indicator(data: ModelData, indicator: str, *, year: int, window: int = 3,
                       level: str = "district") -> IndicatorEstimate:
    """Pool, shrink and place one indicator on the units of ``level``.

    Counts: events and person-years summed over the window, global and spatial Empirical Bayes
    (rates per ``per``). Survey shares: weighted cases and respondents summed over the window,
    Beta-binomial shrinkage (percent). Census values: as published (no sampling error). An
    indicator measured on 2024 municipios is estimated there and applied to each district
    (``imputed``).
    """
    if indicator not in data.catalogue:
        raise DataError("model.unknown_indicator", "unknown indicator {id!r}", id=indicator)
    ind = data.catalogue[indicator]
    if ind.level == "country":
        raise DataError("model.national_indicator", "{id} is a national series and cannot be mapped", id=indicator)
    est_level = level if _FINER[level] >= _FINER[ind.level] else ind.level
    years = window_years(data.years(indicator), year, window)
    units = data.units[est_level]
    codes = units["code"]
    num, den = _pool(data, ind, years, est_level) if years else (pd.Series(dtype=float), pd.Series(dtype=float))
    num, den = num.reindex(codes).to_numpy(float), den.reindex(codes).to_numpy(float)
    nan = np.full(len(codes), np.nan)
    if not years or np.isnan(num).all():
        raw = smoothed = spatial = lower = upper = p1 = p2 = nan
        posterior = "fixed"
    elif ind.kind == "count":
        g = eb_global(num, den, per=ind.per)
        s = eb_spatial(num, den, data.neighbours[est_level], per=ind.per)
        raw, smoothed, spatial, lower, upper = g.raw, g.smoothed, s.smoothed, g.lower, g.upper
        posterior, p1, p2 = "gamma", g.shape, g.rate
    elif ind.denominator != "none":
        b = beta_binomial_shrink(num, den)
        raw, smoothed, spatial, lower, upper = b.raw, b.smoothed, b.smoothed, b.lower, b.upper
        posterior, p1, p2 = "beta", b.alpha, b.beta
    else:
        raw = num / den
        smoothed = spatial = lower = upper = raw
        posterior, p1, p2 = "fixed", raw, raw
    imputed = np.zeros(len(codes), bool)
    if est_level != level:  # broadcast a 2024-municipio estimate to its districts
        target = data.units[level]
        pos = pd.Series(np.arange(len(codes)), index=codes.to_numpy())
        idx = pos.reindex(target[PARENT_KEY[est_level]]).to_numpy()
        pick = lambda a: np.asarray(a, float)[idx]  # noqa: E731
        num, den, raw, smoothed, spatial, lower, upper, p1, p2 = map(
            pick, (num, den, raw, smoothed, spatial, lower, upper, p1, p2))
        imputed = np.ones(len(target), bool)
    return IndicatorEstimate(id=ind.id, level=level, native_level=ind.level, years=years,
                             numerator=num, denominator=den, raw=raw, smoothed=smoothed, spatial=spatial,
                             lower=lower, upper=upper, posterior=posterior, p1=p1, p2=p2,
                             per=float(ind.per), imputed=imputed)
