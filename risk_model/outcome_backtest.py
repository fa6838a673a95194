"""Backtest on real outcomes: does a smoothed rate at year t predict the observed rate at t + 1?

For each year t, each method (``raw`` crude rate, ``eb_global`` and ``eb_spatial`` Empirical
Bayes) and each pooling window (1 or 3 years ending at t), the rate of every unit is compared
with its observed crude rate in t + 1 (a single year, not smoothed: the outcome must not share
the predictor's smoothing). Agreement is the Spearman rank correlation with a percentile
bootstrap interval over units, and the top-N hit rate (share of the N highest predicted units
that are among the N highest observed; ties at the cut-off share places, as in ``backtest``).

Everything is computed on arrays (units x years); the function is pure and deterministic given
the seed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from geodata.errors import DataError

from .backtest import backtest
from .smoothing import eb_global, eb_spatial

__all__ = ["METHODS", "WINDOWS", "BACKTEST_COLUMNS", "series_matrices", "outcome_backtest", "backtest_series",
           "spearman_bootstrap"]

METHODS = ("raw", "eb_global", "eb_spatial")
WINDOWS = (1, 3)
BACKTEST_COLUMNS = ["year", "outcome_year", "method", "window", "n", "rho", "rho_low", "rho_high",
                    "hit_rate", "top_n"]


def series_matrices(observations: pd.DataFrame, codes, years) -> tuple[np.ndarray, np.ndarray]:
    """Counts and exposure (units x years) from long observations ``unit, year, value, denominator``.

    A unit-year absent from the observations, or without a denominator (a municipio not yet
    counted by a census), is NaN in both matrices: missing, never zero.
    """
    codes, years = list(codes), list(years)
    obs = observations[observations["denominator"].notna()]
    row = pd.Index(codes).get_indexer(obs["unit"])
    col = pd.Index(years).get_indexer(obs["year"])
    keep = (row >= 0) & (col >= 0)
    counts = np.full((len(codes), len(years)), np.nan)
    exposure = np.full((len(codes), len(years)), np.nan)
    counts[row[keep], col[keep]] = obs["value"].to_numpy(float)[keep]
    exposure[row[keep], col[keep]] = obs["denominator"].to_numpy(float)[keep]
    return counts, exposure


def _resample_ranks(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Average ranks (1-based) of every unit within each resample, given how many times each
    unit is drawn (``weights``, shape (draws, n)). Exactly ``rankdata`` of the resampled values:
    a value's rank is the number drawn below it plus (copies of its value + 1) / 2."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    group = np.cumsum(np.r_[True, xs[1:] != xs[:-1]]) - 1  # tie group of each sorted unit
    gw = np.add.reduceat(weights[:, order], starts, axis=1)
    below = np.cumsum(gw, axis=1) - gw
    ranks_sorted = (below + (gw + 1) / 2)[:, group]
    out = np.empty_like(ranks_sorted)
    out[:, order] = ranks_sorted
    return out


def _weights(n: int, draws: int, seed) -> np.ndarray:
    """Bootstrap multiplicities, shape (draws, n): how often each unit is drawn (rows sum to n)."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, size=(draws, n)) + n * np.arange(draws)[:, None]
    return np.bincount(picks.ravel(), minlength=draws * n).reshape(draws, n).astype(float)


def _weighted_rho(rx: np.ndarray, ry: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Multiplicity-weighted Pearson correlation of each resample's ranks, shape (draws,)."""
    n = w.sum(axis=1, keepdims=True)
    dx = rx - (w * rx).sum(axis=1, keepdims=True) / n
    dy = ry - (w * ry).sum(axis=1, keepdims=True) / n
    with np.errstate(invalid="ignore", divide="ignore"):
        return (w * dx * dy).sum(axis=1) / np.sqrt((w * dx**2).sum(axis=1) * (w * dy**2).sum(axis=1))


def _interval(rho: np.ndarray, level: float) -> tuple[float, float]:
    rho = rho[np.isfinite(rho)]
    if not rho.size:
        return float("nan"), float("nan")
    alpha = (1 - level) / 2
    return float(np.quantile(rho, alpha)), float(np.quantile(rho, 1 - alpha))


def spearman_bootstrap(x, y, *, draws: int = 200, level: float = 0.95, seed=0) -> tuple[float, float]:
    """Percentile bootstrap interval of Spearman's rho, resampling units with replacement.

    ``x`` and ``y`` are complete pairs (no NaN). Each resample is a vector of multiplicities;
    ranks are recomputed within it (average ranks for ties, exactly as ranking the resampled
    values) and rho is the multiplicity-weighted Pearson correlation of those ranks, so no
    resample is ever sorted.

    >>> lo, hi = spearman_bootstrap(np.arange(50.0), np.arange(50.0), draws=20)
    >>> round(lo, 6), round(hi, 6)
    (1.0, 1.0)
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    w = _weights(len(x), draws, seed)
    return _interval(_weighted_rho(_resample_ranks(x, w), _resample_ranks(y, w), w), level)


def _predictor(counts, exposure, j: int, window: int, method: str, reference, per: float) -> np.ndarray:
    """Rate per ``per`` of every unit over the ``window`` years ending at column ``j``."""
    c, e = counts[:, j - window + 1: j + 1], exposure[:, j - window + 1: j + 1]
    complete = np.isfinite(c).all(axis=1) & np.isfinite(e).all(axis=1) & (np.nansum(e, axis=1) > 0)
    num = np.where(complete, np.nansum(c, axis=1), np.nan)
    den = np.where(complete, np.nansum(e, axis=1), np.nan)
    if method == "raw":
        with np.errstate(invalid="ignore", divide="ignore"):
            return num / den * per
    if method == "eb_global":
        return eb_global(num, den, per=per).smoothed
    return eb_spatial(num, den, reference, per=per, level=None).smoothed


def outcome_backtest(counts, exposure, years, *, reference=None, first: int | None = None,
                     last: int | None = None, methods=METHODS, windows=WINDOWS, top_n: int = 100,
                     boot: int = 200, level: float = 0.95, per: float = 100_000, seed: int = 0) -> pd.DataFrame:
    """Predict t + 1 from t: one row per year t, method and window (columns ``BACKTEST_COLUMNS``).

    Parameters
    ----------
    counts, exposure : ndarray, shape (units, years)
        Events and person-years per unit and year (``series_matrices``); NaN = missing.
    years : sequence of int
        The years of the columns, consecutive.
    reference : sparse array, optional
        ``smoothing.reference_sets`` of the units (each unit and its neighbours); needed for
        ``eb_spatial``.
    first, last : int, optional
        First and last year t scored (default: the first year with a full longest window, and
        the year before the last column).
    methods : subset of ``METHODS``; windows : pooling windows in years (>= 1).
    top_n : int
        Shortlist size of the hit rate (clipped to the units compared).
    boot : int
        Bootstrap resamples of the Spearman interval (0: no interval).

    Returns
    -------
    DataFrame
        ``year`` (t), ``outcome_year`` (t + 1), ``method``, ``window``, ``n`` (units with both a
        predictor and an outcome), ``rho`` (-1..1) with ``rho_low``/``rho_high`` (bootstrap,
        ``level``), ``hit_rate`` (0..1), ``top_n``.
    """
    counts, exposure = np.asarray(counts, float), np.asarray(exposure, float)
    years = [int(y) for y in years]
    if counts.shape != exposure.shape or counts.shape[1] != len(years):
        raise DataError("model.bad_shape", "counts {a} and exposure {b} must both be units x {n} years",
                        a=counts.shape, b=exposure.shape, n=len(years))
    if years != list(range(years[0], years[0] + len(years))):
        raise DataError("model.years_not_consecutive", "years must be consecutive, got {years}", years=years)
    bad = [m for m in methods if m not in METHODS]
    if bad or any(int(w) < 1 for w in windows):
        raise DataError("model.bad_backtest_option", "methods must be among {valid} and windows >= 1; "
                        "got {methods}, {windows}", valid=", ".join(METHODS), methods=list(methods),
                        windows=list(windows))
    if "eb_spatial" in methods and reference is None:
        raise DataError("model.no_neighbours", "eb_spatial needs the reference sets of the units")
    first = years[0] + max(windows) - 1 if first is None else int(first)
    last = years[-2] if last is None else int(last)
    if first < years[0] + max(windows) - 1 or last > years[-2] or first > last:
        raise DataError("model.bad_backtest_years", "years t must run within {lo}..{hi}, got {first}..{last}",
                        lo=years[0] + max(windows) - 1, hi=years[-2], first=first, last=last)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = counts / exposure * per
    rows = []
    for t in range(first, last + 1):
        j = years.index(t)
        outcome = np.where(exposure[:, j + 1] > 0, observed[:, j + 1], np.nan)
        resamples: dict = {}  # one set of resamples (and outcome ranks) per set of units: the
        for window in windows:  # variants of a year are compared on the same resamples
            for method in methods:
                pred = _predictor(counts, exposure, j, int(window), method, reference, per)
                keep = np.isfinite(pred) & np.isfinite(outcome)
                n = int(keep.sum())
                k = min(int(top_n), n)
                b = backtest(pred[keep], outcome[keep], top_n=k)
                lo = hi = np.nan
                if boot:
                    key = keep.tobytes()
                    if key not in resamples:
                        w = _weights(n, boot, seed + t)
                        resamples[key] = (w, _resample_ranks(outcome[keep], w))
                    w, ry = resamples[key]
                    lo, hi = _interval(_weighted_rho(_resample_ranks(pred[keep], w), ry, w), level)
                rows.append({"year": t, "outcome_year": t + 1, "method": method, "window": int(window),
                             "n": n, "rho": b.rho, "rho_low": lo, "rho_high": hi, "hit_rate": b.hit_rate,
                             "top_n": k})
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def backtest_series(data, indicator: str, **options) -> pd.DataFrame:
    """``outcome_backtest`` of one count indicator of a ``ModelData`` at its finest level (its
    observations as counts and person-years, neighbours from the data)."""
    ind = data.catalogue.get(indicator)
    if ind is None or ind.kind != "count" or ind.denominator != "population":
        raise DataError("model.not_a_rate_series", "{id} is not a count with a population denominator",
                        id=indicator)
    years = data.years(indicator)
    if len(years) < 3:
        raise DataError("model.short_series", "{id} has {n} years; the backtest needs at least 3",
                        id=indicator, n=len(years))
    years = list(range(years[0], years[-1] + 1))
    counts, exposure = series_matrices(data.indicator_observations(indicator), data.units[ind.level]["code"], years)
    return outcome_backtest(counts, exposure, years, reference=data.reference_sets(ind.level), per=ind.per,
                            **options)
