"""Treatment of skewed indicators before scaling: optional log(1 + x), then COINr-style capping.

The rule and its defaults follow COINr's ``Treat``: an indicator is treated when
|skewness| > 2 and kurtosis > 3.5 (sample-adjusted skewness and excess kurtosis, as Excel's
SKEW and KURT), by winsorising one point at a time, at most 5 points.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_array, in_range

__all__ = ["Treatment", "treat", "skew_kurtosis", "is_skewed", "SKEW_MAX", "KURTOSIS_MAX"]

#: The outlier rule's limits (COINr's defaults): |skewness| above 2 and excess kurtosis above 3.5.
SKEW_MAX = 2.0
KURTOSIS_MAX = 3.5


def is_skewed(skew: float, kurtosis: float, *, skew_max: float = SKEW_MAX, kurtosis_max: float = KURTOSIS_MAX) -> bool:
    """True when the outlier rule holds: ``|skew| > skew_max`` and ``kurtosis > kurtosis_max``
    (missing values count as 0, so an indicator without values is never skewed).

    >>> is_skewed(2.23, 4.99), is_skewed(-2.5, 3.0), is_skewed(float("nan"), 9.0)
    (True, False, False)
    """
    return bool(abs(np.nan_to_num(skew)) > skew_max and np.nan_to_num(kurtosis) > kurtosis_max)


@dataclass(frozen=True)
class Treatment:
    """Treated values and what was done to them, in input order.

    Attributes
    ----------
    values : ndarray
        Treated values; units as the input, or log(1 + input) when ``log`` is True. NaN kept.
    log : bool
        Whether log(1 + x) was applied before winsorising.
    winsorised : ndarray of int
        Positions of the points whose value was capped (each once), in the order first capped.
    skew_before, kurtosis_before, skew_after, kurtosis_after : float
        Sample skewness and excess kurtosis before and after winsorising (after any log);
        NaN with fewer than 4 values or a constant indicator.
    """

    values: np.ndarray
    log: bool
    winsorised: np.ndarray
    skew_before: float
    kurtosis_before: float
    skew_after: float
    kurtosis_after: float

    @property
    def n_winsorised(self) -> int:
        """Number of points capped."""
        return int(self.winsorised.size)


def skew_kurtosis(x) -> tuple[float, float]:
    """Bias-adjusted sample skewness and excess kurtosis over the non-missing values.

    Examples
    --------
    >>> s, k = skew_kurtosis([1, 2, 3, 4, 100])
    >>> round(s, 3), round(k, 3)
    (2.232, 4.987)
    """
    v = np.asarray(x, dtype=float)
    v = v[~np.isnan(v)]
    if v.size < 4 or np.ptp(v) == 0:
        return np.nan, np.nan
    n = v.size
    d = v - v.mean()
    m2, m3, m4 = (d**2).mean(), (d**3).mean(), (d**4).mean()
    g1, g2 = m3 / m2**1.5, m4 / m2**2 - 3  # biased moments, then the usual small-sample adjustment
    skew = np.sqrt(n * (n - 1)) / (n - 2) * g1  # as scipy.stats.skew(bias=False)
    kurt = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6)  # as scipy.stats.kurtosis(bias=False)
    return float(skew), float(kurt)


def treat(x, *, log: bool = False, winsorise: bool = True, skew_max: float = SKEW_MAX,
          kurtosis_max: float = KURTOSIS_MAX, max_points: int = 5) -> Treatment:
    """Optionally log-transform, then winsorise while the outlier rule holds.

    Parameters
    ----------
    x : array_like, shape (n,)
        Indicator values (rates per 100,000, shares 0..100, ...); NaN = missing.
    log : bool, default False
        Apply log(1 + x) first; needs x > -1.
    winsorise : bool, default True
        Cap outliers while |skew| > ``skew_max`` and kurtosis > ``kurtosis_max``.
    skew_max, kurtosis_max : float
        Thresholds of the rule (COINr defaults 2 and 3.5).
    max_points : int, default 5
        At most this many capping steps (COINr's ``winmax``); a step caps every point tied at
        the extreme, and a point may be capped again by a later step.

    Returns
    -------
    Treatment

    Notes
    -----
    One step caps the most extreme value on the side of the skew: with positive skew the
    largest value is set to the next largest distinct value; with negative skew the smallest is
    raised to the next smallest. Tied extremes are capped together in one step and all reported.
    Steps stop when the rule no longer holds or after ``max_points`` steps; the rule may still
    hold then (compare ``skew_after`` with ``skew_max``).

    Examples
    --------
    One extreme district among five: skew 2.23 and kurtosis 4.99 (> 2 and > 3.5), so 100 is capped to 4.

    >>> t = treat([1, 2, 3, 4, 100])
    >>> t.values.tolist(), t.winsorised.tolist(), round(t.skew_after, 2)
    ([1.0, 2.0, 3.0, 4.0, 4.0], [4], -0.54)
    """
    values = as_array(x, "x").copy()
    if log:
        values = np.log1p(in_range(values, "x", -1 + 1e-12, np.inf))
    skew_before, kurt_before = skew_kurtosis(values)
    capped: list[int] = []
    skew, kurt = skew_before, kurt_before
    steps = 0
    while winsorise and steps < max_points and is_skewed(skew, kurt, skew_max=skew_max, kurtosis_max=kurtosis_max):
        side = np.nanmax if skew > 0 else np.nanmin
        extreme = side(values)
        hit = np.flatnonzero(values == extreme)
        values[hit] = side(values[(values != extreme) & ~np.isnan(values)])
        capped += [i for i in hit.tolist() if i not in capped]
        steps += 1
        skew, kurt = skew_kurtosis(values)
    return Treatment(values=values, log=log, winsorised=np.array(capped, dtype=int),
                     skew_before=skew_before, kurtosis_before=kurt_before, skew_after=skew,
                     kurtosis_after=kurt)
