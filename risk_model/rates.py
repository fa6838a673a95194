"""Crude rates with exact Poisson intervals, and survey shares with binomial intervals.

Rates are events over exposure (person-years, i.e. population summed over the pooling window)
times ``per`` (default 100,000). Shares are percentages 0..100 of respondents.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from geodata.errors import DataError

from ._checks import as_array, choice, non_negative, positions, positive, probability, same_length

__all__ = ["CrudeRate", "ShareInterval", "SHARE_METHODS", "poisson_interval", "share_interval"]

SHARE_METHODS = ("wilson", "beta", "clopper_pearson")


@dataclass(frozen=True)
class CrudeRate:
    """Crude rates per ``per`` person-years with an exact interval, in input order.

    Attributes
    ----------
    raw : ndarray
        events / exposure * per; NaN where exposure is 0 or an input is missing.
    lower, upper : ndarray
        Garwood exact Poisson interval at ``level``, same unit as ``raw``.
    per : float
        Rate multiplier (100,000 = "per 100,000 population per year").
    level : float
        Coverage of the interval, 0..1.
    """

    raw: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    per: float
    level: float


@dataclass(frozen=True)
class ShareInterval:
    """Survey shares in percent 0..100 with a binomial interval, in input order.

    Attributes
    ----------
    share, lower, upper : ndarray
        cases / n * 100 and its interval, percent 0..100; NaN where n is 0.
    n : ndarray
        Respondents (or effective sample size) behind each share.
    method : str
        "wilson", "beta" (Jeffreys) or "clopper_pearson".
    level : float
        Coverage of the interval, 0..1.
    """

    share: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    n: np.ndarray
    method: str
    level: float


def poisson_interval(events, exposure, *, per: float = 100_000, level: float = 0.95) -> CrudeRate:
    """Crude rate and its exact (Garwood) Poisson interval.

    Parameters
    ----------
    events : array_like, shape (n,)
        Event counts over the window, >= 0. Non-integer counts (weighted) are accepted.
    exposure : array_like, shape (n,)
        Person-years at risk over the same window, >= 0. Zero gives a NaN rate, not an error.
    per : float, default 100,000
        Rate multiplier.
    level : float, default 0.95
        Interval coverage, strictly between 0 and 1.

    Returns
    -------
    CrudeRate

    Notes
    -----
    With alpha = 1 - level and k events, the interval for the expected count is
    ``[Gamma(k).ppf(alpha/2), Gamma(k + 1).ppf(1 - alpha/2)]`` (equivalently half the chi-square
    quantiles with 2k and 2k + 2 degrees of freedom); the lower bound is 0 when k = 0.
    Dividing by exposure and multiplying by ``per`` gives the rate interval.

    Examples
    --------
    One homicide in a district of 3,000 people over one year, and none in another:

    >>> r = poisson_interval([1, 0], [3000, 3000])
    >>> r.raw.round(1).tolist(), r.lower.round(2).tolist(), r.upper.round(1).tolist()
    ([33.3, 0.0], [0.84, 0.0], [185.7, 123.0])
    """
    events = non_negative(as_array(events, "events"), "events")
    exposure = non_negative(as_array(exposure, "exposure"), "exposure")
    same_length(events=events, exposure=exposure)
    per, level = positive(per, "per"), probability(level, "level")
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(exposure > 0, per / exposure, np.nan)
    low = np.where(events > 0, stats.gamma.ppf(alpha / 2, np.where(events > 0, events, 1)), 0.0)
    high = stats.gamma.ppf(1 - alpha / 2, events + 1)
    low = np.where(np.isnan(events), np.nan, low)
    return CrudeRate(raw=events * scale, lower=low * scale, upper=high * scale, per=per, level=level)


def share_interval(cases, n, *, method: str = "wilson", level: float = 0.95) -> ShareInterval:
    """Share of respondents in percent with a Wilson, Jeffreys or Clopper-Pearson interval.

    Parameters
    ----------
    cases : array_like, shape (m,)
        Respondents with the attribute, 0 <= cases <= n. For a weighted estimate pass
        ``weighted share * n`` (non-integer values are accepted).
    n : array_like, shape (m,)
        Respondents (or effective sample size), >= 0. Zero gives NaN.
    method : {"wilson", "beta", "clopper_pearson"}
        "wilson": score interval. "beta": Jeffreys interval, the equal-tailed quantiles of
        Beta(cases + 1/2, n - cases + 1/2), with lower = 0 when cases = 0 and upper = 100 when
        cases = n. "clopper_pearson": exact, conservative Beta quantiles.
    level : float, default 0.95
        Interval coverage.

    Returns
    -------
    ShareInterval
        Percent 0..100.

    Examples
    --------
    12 of 40 respondents (30%); Wilson: centre (12 + 1.92) / (40 + 3.84) = 31.75%, half-width 13.68:

        >>> s = share_interval([12, 0], [40, 40])
    >>> s.share.tolist(), s.lower.round(1).tolist(), s.upper.round(1).tolist()
    ([30.0, 0.0], [18.1, 0.0], [45.4, 8.8])
    """
    cases = non_negative(as_array(cases, "cases"), "cases")
    n = non_negative(as_array(n, "n"), "n")
    same_length(cases=cases, n=n)
    choice(method, "method", SHARE_METHODS)
    alpha = 1 - probability(level, "level")
    if (cases > n).any():
        raise DataError("model.cases_above_n", "cases exceed n at positions {positions}",
                        positions=positions(cases > n))
    valid = n > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(valid, cases / n, np.nan)
    if method == "wilson":
        z = stats.norm.ppf(1 - alpha / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
            half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
        low, high = centre - half, centre + half
    else:
        # Jeffreys: Beta(x + 1/2, n - x + 1/2) on both sides; Clopper-Pearson: Beta(x, n - x + 1)
        # below and Beta(x + 1, n - x) above. Either way the bound is 0 (1) when x = 0 (x = n).
        a_low, b_low, a_high, b_high = ((cases + 0.5, n - cases + 0.5) * 2 if method == "beta"
                                        else (cases, n - cases + 1, cases + 1, n - cases))
        with np.errstate(divide="ignore", invalid="ignore"):
            low = np.where(cases > 0, stats.beta.ppf(alpha / 2, a_low, b_low), 0.0)
            high = np.where(cases < n, stats.beta.ppf(1 - alpha / 2, a_high, b_high), 1.0)
    low = np.where(valid, np.clip(low, 0, 1), np.nan)
    high = np.where(valid, np.clip(high, 0, 1), np.nan)
    return ShareInterval(share=100 * p, lower=100 * low, upper=100 * high, n=n, method=method,
                         level=1 - alpha)
