"""Log-linear trends per unit with a low-count guard, so that 1 -> 2 events is not "+100%"."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from geodata.errors import DataError

from ._checks import as_array, non_negative, probability

__all__ = ["Trend", "FLAGS", "trend"]

FLAGS = ("rising", "falling", "stable", "insufficient")


@dataclass(frozen=True)
class Trend:
    """Per-unit trend over the window, in unit order.

    Attributes
    ----------
    slope, lower, upper : ndarray
        Log-linear slope (change in log rate per year) and its interval at ``level``.
    pct_change, pct_lower, pct_upper : ndarray
        The same as percent change in the rate per year, ``100 (exp(slope) - 1)``.
    total_events : ndarray
        Events over the years used.
    years_used : ndarray of int
        Years with positive exposure and a value.
    flag : ndarray of str
        "rising" (interval above 0), "falling" (below 0), "stable" (interval contains 0) or
        "insufficient" (too few events or years, or no finite estimate); slopes are NaN then.
    level : float
        Interval coverage, 0..1.
    """

    slope: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    pct_change: np.ndarray
    pct_lower: np.ndarray
    pct_upper: np.ndarray
    total_events: np.ndarray
    years_used: np.ndarray
    flag: np.ndarray
    level: float


def trend(events, exposure, *, years, last: int | None = None, min_events: float = 10,
          min_years: int = 3, level: float = 0.95) -> Trend:
    """Poisson log-linear slope per unit, fitted for all units at once.

    Parameters
    ----------
    events : array_like, shape (n_units, n_years)
        Event counts per unit and year, >= 0; NaN = missing year.
    exposure : array_like, shape (n_units, n_years)
        Person-years per unit and year, >= 0; 0 or NaN drops that year for the unit.
    years : array_like, shape (n_years,)
        Calendar years of the columns, increasing.
    last : int, optional
        Use only the last ``last`` years (the K of the design); default all.
    min_events : float, default 10
        Fewer events over the years used -> "insufficient".
    min_years : int, default 3
        Fewer usable years -> "insufficient" (at least 3, so dispersion can be estimated).
    level : float, default 0.95
        Interval coverage.

    Returns
    -------
    Trend

    Notes
    -----
    For each unit, ``log E[events_t] = log(exposure_t) + a + b t`` is fitted by maximum
    likelihood (Newton-Raphson on the Poisson GLM, vectorised over units). The standard error
    of ``b`` is quasi-Poisson: the model-based one times ``sqrt(max(1, X2 / (T - 2)))`` with
    ``X2`` the Pearson chi-square, so over-dispersed series get wider intervals and
    under-dispersed ones are not made narrower. The Wald interval is ``b +- z se``. A series
    whose MLE does not exist (for example all events in the last year) is "insufficient".

    Examples
    --------
    Counts 10, 20, 40 with constant exposure double each year (slope ln 2, +100% a year) and the
    interval excludes 0; 1 -> 2 -> 2 events are only 5 events, below the guard:

    >>> t = trend([[10, 20, 40], [1, 2, 2]], np.full((2, 3), 50_000), years=[2021, 2022, 2023])
    >>> t.pct_change.round(1).tolist(), t.flag.tolist()
    ([100.0, nan], ['rising', 'insufficient'])
    """
    e = non_negative(as_array(events, "events", ndim=2), "events")
    n = non_negative(as_array(exposure, "exposure", ndim=2), "exposure")
    t = as_array(years, "years")
    if e.shape != n.shape or e.shape[1] != t.size:
        raise DataError("model.trend_shape", "events {events}, exposure {exposure} and years ({years},) "
                        "must agree", events=e.shape, exposure=n.shape, years=t.size)
    if (np.diff(t) <= 0).any():
        raise DataError("model.years_order", "years must increase, got {years}", years=t.tolist())
    if last is not None:
        e, n, t = e[:, -last:], n[:, -last:], t[-last:]
    level = probability(level, "level")
    z = stats.norm.ppf(1 - (1 - level) / 2)

    valid = ~np.isnan(e) & ~np.isnan(n) & (n > 0)
    y = np.where(valid, e, 0.0)
    offset = np.log(np.where(valid, n, 1.0))
    x = t - t.mean()
    total, used = y.sum(axis=1), valid.sum(axis=1)
    slope, se, converged = _fit_poisson(y, offset, x, valid)
    enough = (total >= min_events) & (used >= max(min_years, 3)) & converged
    slope = np.where(enough, slope, np.nan)
    se = np.where(enough, se, np.nan)
    lower, upper = slope - z * se, slope + z * se
    flag = np.select([~enough, lower > 0, upper < 0], ["insufficient", "rising", "falling"], "stable")
    pct = lambda v: 100 * np.expm1(v)  # noqa: E731
    return Trend(slope=slope, lower=lower, upper=upper, pct_change=pct(slope), pct_lower=pct(lower),
                 pct_upper=pct(upper), total_events=total, years_used=used, flag=flag,
                 level=level)


def _fit_poisson(y, offset, x, valid, *, max_iter: int = 50, tol: float = 1e-9):
    """Newton-Raphson for log mu = offset + a + b x, row by row in parallel; returns b, se(b), ok."""
    rate = y.sum(axis=1) / np.where(valid, np.exp(offset), 0).sum(axis=1)
    a = np.log(np.where(rate > 0, rate, 1.0))
    b = np.zeros_like(a)
    ok = rate > 0
    for _ in range(max_iter):
        mu = np.where(valid, np.exp(np.clip(offset + a[:, None] + b[:, None] * x, -700, 700)), 0.0)
        r = y - mu
        g0, g1 = r.sum(axis=1), (r * x).sum(axis=1)
        h00, h01, h11 = mu.sum(axis=1), (mu * x).sum(axis=1), (mu * x**2).sum(axis=1)
        det = h00 * h11 - h01**2
        with np.errstate(divide="ignore", invalid="ignore"):
            da, db = (h11 * g0 - h01 * g1) / det, (h00 * g1 - h01 * g0) / det
        step_ok = ok & np.isfinite(da) & np.isfinite(db)
        a, b = np.where(step_ok, a + da, a), np.where(step_ok, b + db, b)
        if not (step_ok & (np.abs(db) > tol)).any():
            break
    ok = step_ok & (np.abs(da) < 1e-6) & (np.abs(db) < 1e-6)
    mu = np.where(valid, np.exp(np.clip(offset + a[:, None] + b[:, None] * x, -700, 700)), 0.0)
    h00, h01, h11 = mu.sum(axis=1), (mu * x).sum(axis=1), (mu * x**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = np.where(valid, (y - mu) ** 2 / mu, 0.0).sum(axis=1)
        dispersion = np.maximum(1.0, pearson / (valid.sum(axis=1) - 2))
        se = np.sqrt(dispersion * h00 / (h00 * h11 - h01**2))
    return b, se, ok & np.isfinite(se)
