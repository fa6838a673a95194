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

from .smoothing import beta_binomial_shrink, eb_global, eb_spatial, reference_sets

__all__ = ["ModelData", "IndicatorEstimate", "estimate_indicator", "raw_interval", "window_years", "crude_values",
           "posterior_variance", "PARENT_KEY"]

#: How a unit of a level finds its parent: the column of the finest units table holding the parent code.
PARENT_KEY = {"municipio_2024": "mun2024_code", "department": "dept_code"}


def _rank(data: "ModelData", level: str) -> int:
    """Position of a level from finest (0) to coarsest, in the order of ``data.units``."""
    return list(data.units).index(level)


@dataclass(frozen=True)
class ModelData:
    """Everything the model reads, as plain tables (built by the caller from ``geodata``).

    ``units`` is ordered finest level first; ``units[level]`` is sorted by code (columns code,
    name, dept_code, dept_name; El Salvador also mun2024_code, mun2024_name, pop_2007);
    ``weights[level]`` is the queen-contiguity libpysal ``W`` (ids are row positions) and
    ``neighbours[level]`` the same as lists of positions. ``finest`` is the finest level
    (``district`` for El Salvador, ``municipio`` for Guatemala and Honduras).
    """

    country: str
    units: dict
    weights: dict
    neighbours: dict
    observations: pd.DataFrame
    population: pd.DataFrame
    catalogue: dict
    finest: str = "district"

    def __post_init__(self):  # split once: scoring reads one indicator at a time
        object.__setattr__(self, "_by_indicator", {k: g for k, g in self.observations.groupby("indicator")})
        object.__setattr__(self, "_lookups", {})

    def lookup(self, what: str, level: str = "district") -> dict:
        """Cached code -> value maps of a level's units: ``"position"`` (row), a column name."""
        key = (what, level)
        if key not in self._lookups:
            units = self.units[level]
            values = range(len(units)) if what == "position" else units[what]
            self._lookups[key] = dict(zip(units["code"], values))
        return self._lookups[key]

    def yearly_totals(self, indicator: str) -> pd.Series:
        """Sum of the indicator's stored values per year (index: year), cached (shared, read only)."""
        key = ("#totals", indicator)
        if key not in self._lookups:
            self._lookups[key] = self.indicator_observations(indicator).groupby("year")["value"].sum()
        return self._lookups[key]

    def lookup_many(self, what: str, level: str, codes, missing) -> np.ndarray:
        """``lookup(what, level)`` of every code in ``codes`` at once (``missing`` for unknown
        codes): one hash join in pandas instead of a dictionary call per observation."""
        key = ("#index", level)  # "#": not a column name, so never one of lookup()'s keys
        if key not in self._lookups:
            index = pd.Index(self.units[level]["code"])
            if not index.is_unique:
                raise DataError("model.duplicate_codes", "{level} has duplicate unit codes: {codes}",
                                level=level, codes=", ".join(map(str, index[index.duplicated()].unique()[:5])))
            self._lookups[key] = index
        index = self._lookups[key]
        pos = index.get_indexer(np.asarray(codes))
        values = np.arange(len(index)) if what == "position" else self.units[level][what].to_numpy()
        return np.where(pos >= 0, values[pos], missing)

    def reference_sets(self, level: str):
        """``smoothing.reference_sets`` of a level's neighbours, built once per level."""
        key = ("#reference", level)
        if key not in self._lookups:
            self._lookups[key] = reference_sets(self.neighbours[level], len(self.units[level]))
        return self._lookups[key]

    def indicator_observations(self, indicator: str) -> pd.DataFrame:
        """Observations of one indicator (empty when it has none)."""
        return self._by_indicator.get(indicator, self.observations.iloc[0:0])

    def years(self, indicator: str) -> list[int]:
        return sorted(int(y) for y in self.indicator_observations(indicator)["year"].unique())


@dataclass(frozen=True)
class IndicatorEstimate:
    """One indicator for every unit of a level, in the indicator's unit (``per`` or percent).

    ``posterior`` is ``"gamma"`` (rate per person-year ~ Gamma(p1, p2)), ``"beta"`` (share ~
    Beta(p1, p2)) or ``"fixed"`` (census value without sampling error); a unit whose ``p1`` is
    not positive has no posterior (its value is fixed). ``group`` numbers the units that share
    one measurement: a value measured for a coarse unit (a 2024 municipio, a pooled department)
    has one group per coarse unit, so a Monte Carlo draws it once for all its units; otherwise
    each unit is its own group. -1: no value.
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
    group: np.ndarray | None = None

    @property
    def data_year(self) -> int | None:
        return max(self.years) if self.years else None

    def value(self, smoothing: str) -> np.ndarray:
        """The value that is scored: raw, globally smoothed or spatially smoothed."""
        return {"raw": self.raw, "eb_global": self.smoothed, "eb_spatial": self.spatial}[smoothing]

    def smoothed_interval(self) -> tuple[np.ndarray, np.ndarray]:
        """``(lower, upper)``: the 95% posterior interval of the smoothed value per unit, in the
        indicator's unit; NaN for published values (no sampling error) and units without data."""
        if self.posterior == "fixed":
            nothing = np.full(len(self.smoothed), np.nan)
            return nothing, nothing.copy()
        return np.asarray(self.lower, float), np.asarray(self.upper, float)

    def interval(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(raw, lower, upper)``: the raw value per unit (``raw``) and its 95% interval
        (``raw_interval`` of this estimate's numerator and denominator; NaN for published values),
        in the indicator's unit."""
        _, lower, upper = raw_interval(self.posterior, self.numerator, self.denominator, self.per)
        return np.asarray(self.raw, float), lower, upper


def raw_interval(posterior: str, numerator, denominator, per: float = 1.0):
    """Raw value and 95% interval of counts or shares: ``(raw, lower, upper)`` arrays.

    ``posterior`` "gamma": rate per ``per`` person-years with the exact Poisson interval;
    "beta": share in percent 0..100 with the Wilson interval; "fixed" (published values): the
    ratio, no interval (NaN). Units without a positive denominator give NaN throughout.

    >>> raw, lo, hi = raw_interval("gamma", [5.0, 0.0], [1000.0, 0.0], per=1000)
    >>> float(raw[0]), round(float(lo[0]), 3), round(float(hi[0]), 3), bool(np.isnan(raw[1]))
    (5.0, 1.623, 11.668, True)
    >>> raw_interval("fixed", [3.0], [1.0])[1].tolist()
    [nan]
    """
    from .rates import poisson_interval, share_interval

    num, den = np.asarray(numerator, float), np.asarray(denominator, float)
    ok = (np.nan_to_num(den) > 0) & ~np.isnan(num)
    if posterior == "gamma":
        ci = poisson_interval(np.where(ok, num, 0), np.where(ok, den, 1), per=per)
        found = (ci.raw, ci.lower, ci.upper)
    elif posterior == "beta":
        n = np.where(ok, den, 1.0)
        ci = share_interval(np.clip(np.where(ok, num, 0), 0, n), n)
        found = (ci.share, ci.lower, ci.upper)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(ok, num / np.where(ok, den, 1), np.nan)
        found = (ratio, np.full_like(ratio, np.nan), np.full_like(ratio, np.nan))
    return tuple(np.where(ok, np.asarray(a, float), np.nan) for a in found)


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


def _unit_weights(data: ModelData, year: int) -> pd.Series:
    """Population of the finest units, to weight published values when they are re-pooled:
    El Salvador's 2007 census (``pop_2007``); elsewhere the population table's latest year up
    to ``year`` (else its first year). Units without a population weigh nothing."""
    units = data.units[data.finest]
    if "pop_2007" in units:
        return units.set_index("code")["pop_2007"]
    pop = data.population
    pop = pop[pop["level"] == data.finest]
    if pop.empty:
        return pd.Series(1.0, index=units["code"])
    years = sorted(pop["year"].unique())
    pick = max([y for y in years if y <= year], default=years[0])
    return pop[pop["year"] == pick].set_index("unit")["population"]


def _pool(data: ModelData, ind, years, level: str) -> tuple[np.ndarray, np.ndarray]:
    """Numerator and denominator per unit of ``level`` in unit order (finer observations are
    re-pooled by summing); NaN for units without observations."""
    obs = data.indicator_observations(ind.id)
    obs = obs[obs["year"].isin(years)]
    if ind.kind == "count" and ind.denominator == "population":  # a count without population
        obs = obs[obs["denominator"].notna()]  # (municipio not yet counted) has no rate
    codes = obs["unit"].to_numpy()
    value, den = obs["value"].to_numpy(float), obs["denominator"].to_numpy(float)
    if ind.kind == "share" and ind.denominator != "none":
        num = value / 100 * den
    elif ind.denominator == "none":  # census value: population-weighted when re-pooled
        den = _unit_weights(data, max(years)).reindex(codes).to_numpy(float) if ind.level == data.finest \
            else np.ones(len(codes))
        num = value * den
    else:
        num = value
    if level != ind.level:
        codes = data.lookup_many(PARENT_KEY[level], ind.level, codes, "")
    pos = data.lookup_many("position", level, codes, -1)
    keep = pos >= 0
    n = len(data.units[level])
    seen = np.bincount(pos[keep], minlength=n) > 0
    sums = [np.where(seen, np.bincount(pos[keep], weights=np.nan_to_num(x[keep]), minlength=n), np.nan)
            for x in (num, den)]
    return sums[0], sums[1]


def estimate_indicator(data: ModelData, indicator: str, *, year: int, window: int = 3,
                       level: str | None = None, fill: str | None = None,
                       pool: str | None = None) -> IndicatorEstimate:
    """Pool, shrink and place one indicator on the units of ``level`` (default: the finest).

    Counts: events and person-years summed over the window, global and spatial Empirical Bayes
    (rates per ``per``). Survey shares: weighted cases and respondents summed over the window,
    Beta-binomial shrinkage (percent). Census values and published rates: as published (no
    sampling error, no shrinkage). An indicator measured on 2024 municipios is estimated there
    and applied to each district (``imputed``).

    ``fill`` (a coarser level, e.g. ``"department"``): units without any estimate take their
    parent's pooled estimate (``imputed``; ``raw``, ``numerator`` and ``denominator`` stay NaN).
    ``fill="zero"`` (counts only): the source lists only units with at least one event, so a
    unit absent from it has zero events: raw and smoothed value 0, no posterior (its exposure
    may be unknown, so it is not shrunk), ``imputed``. Otherwise a unit without data stays NaN.
    ``pool`` (a coarser level): estimate there and apply the estimate to every unit of ``level``
    (``imputed``), as for a 2024-municipio indicator; for samples too small to read per unit.
    """
    level = level or data.finest
    if indicator not in data.catalogue:
        raise DataError("model.unknown_indicator", "unknown indicator {id!r}", id=indicator)
    ind = data.catalogue[indicator]
    if ind.level == "country":
        raise DataError("model.national_indicator", "{id} is a national series and cannot be mapped", id=indicator)
    est_level = level if _rank(data, level) >= _rank(data, ind.level) else ind.level
    if pool and pool in data.units and _rank(data, pool) > _rank(data, est_level):
        est_level = pool
    years = window_years(data.years(indicator), year, window)
    units = data.units[est_level]
    codes = units["code"]
    num, den = _pool(data, ind, years, est_level) if years else (np.full(len(codes), np.nan),) * 2
    nan = np.full(len(codes), np.nan)
    if not years or np.isnan(num).all():
        raw = smoothed = spatial = lower = upper = p1 = p2 = nan
        posterior = "fixed"
    elif ind.kind == "count":
        g = eb_global(num, den, per=ind.per)
        s = eb_spatial(num, den, data.reference_sets(est_level), per=ind.per, level=None)  # no interval: unused
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
    group = np.arange(len(codes))
    if est_level != level:  # broadcast a coarser estimate (2024 municipio, pooled level) to its units
        target = data.units[level]
        pos = pd.Series(np.arange(len(codes)), index=codes.to_numpy())
        idx = pos.reindex(target[PARENT_KEY[est_level]]).to_numpy()
        pick = lambda a: np.asarray(a, float)[idx]  # noqa: E731
        num, den, raw, smoothed, spatial, lower, upper, p1, p2 = map(
            pick, (num, den, raw, smoothed, spatial, lower, upper, p1, p2))
        imputed = np.ones(len(target), bool)
        group = np.where(np.isnan(idx), -1, np.nan_to_num(idx, nan=-1)).astype(int)
    if fill and fill in data.units and _rank(data, fill) > _rank(data, level) and np.isnan(smoothed).any():
        parent = estimate_indicator(data, indicator, year=year, window=window, level=fill)
        pos = pd.Series(np.arange(len(parent.smoothed)), index=data.units[fill]["code"].to_numpy())
        idx = pos.reindex(data.units[level][PARENT_KEY[fill]]).to_numpy()
        gap = np.isnan(np.asarray(smoothed, float)) & ~np.isnan(idx)
        take = np.where(gap, idx, 0).astype(int)
        smoothed, spatial, lower, upper, p1, p2 = (
            np.where(gap, np.asarray(b, float)[take], np.asarray(a, float))
            for a, b in ((smoothed, parent.smoothed), (spatial, parent.spatial), (lower, parent.lower),
                         (upper, parent.upper), (p1, parent.p1), (p2, parent.p2)))
        imputed = imputed | gap
        group = np.where(gap, len(group) + take, group)
    if fill == "zero" and ind.kind == "count" and years:
        gap = np.isnan(np.asarray(smoothed, float))
        zero = lambda a: np.where(gap, 0.0, np.asarray(a, float))  # noqa: E731
        raw, smoothed, spatial, lower, upper, p1 = map(zero, (raw, smoothed, spatial, lower, upper, p1))
        imputed = imputed | gap
    group = np.where(np.isnan(np.asarray(smoothed, float)), -1, group)
    return IndicatorEstimate(id=ind.id, level=level, native_level=ind.level, years=years,
                             numerator=num, denominator=den, raw=raw, smoothed=smoothed, spatial=spatial,
                             lower=lower, upper=upper, posterior=posterior, p1=p1, p2=p2,
                             per=float(ind.per), imputed=imputed, group=group)


def posterior_variance(est: IndicatorEstimate) -> np.ndarray:
    """Posterior variance of each unit's smoothed value, in the indicator's unit squared:
    Gamma(a, b) rates ``a / b**2 * per**2``; Beta(a, b) shares in percent
    ``100**2 a b / ((a + b)**2 (a + b + 1))``; 0 for fixed values (census, published rates,
    flagged zeros); NaN where the unit has no value.

    >>> e = IndicatorEstimate("x", "l", "l", (2023,), *([np.array([5.0])] * 7), "beta",
    ...                       np.array([1.0]), np.array([3.0]), 1.0, np.array([False]))
    >>> posterior_variance(e).tolist()   # 10,000 * 3 / (16 * 5)
    [375.0]
    """
    a, b = np.asarray(est.p1, float), np.asarray(est.p2, float)
    ok = (a > 0) & (b > 0)
    a, b = np.where(ok, a, 1.0), np.where(ok, b, 1.0)
    if est.posterior == "gamma":
        var = a / b**2 * est.per**2
    elif est.posterior == "beta":
        var = 1e4 * a * b / ((a + b) ** 2 * (a + b + 1))
    else:
        var = np.zeros(a.shape)
    return np.where(np.isnan(np.asarray(est.smoothed, float)), np.nan, np.where(ok, var, 0.0))


def crude_values(data: ModelData, indicator: str) -> np.ndarray:
    """Crude values of an indicator for every unit and year of its source, pooled (the data the
    goalposts rule reads): counts as events / person-years * ``per``, shares in percent, census
    values and published rates as stored. Rows without a usable denominator are left out."""
    ind = data.catalogue[indicator]
    obs = data.indicator_observations(indicator)
    value, den = obs["value"].to_numpy(float), obs["denominator"].to_numpy(float)
    if ind.kind == "count" and ind.denominator != "none":
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(den > 0, value / den * ind.per, np.nan)
    return value[np.isfinite(value)]
