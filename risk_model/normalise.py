"""Scaling of an indicator to a score 0..10, 10 = highest risk.

The model scores on fixed goalposts (:class:`Goalposts`, INFORM style); min-max over the data
(:func:`minmax`) remains for the regional view, which normalises within each country.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geodata.errors import DataError

from ._checks import as_array

__all__ = ["Normalised", "minmax", "CONSTANT_SCORE", "Goalposts", "goalpost_scale", "pooled_goalposts",
           "POOLED_UPPER_PERCENTILE"]

CONSTANT_SCORE = 5.0
"""Score given to every unit when the bounds coincide (a constant indicator)."""


@dataclass(frozen=True)
class Normalised:
    """Scores 0..10 (10 = highest risk) and the bounds that produced them.

    Attributes
    ----------
    score : ndarray
        Score 0..10 per unit, in input order; NaN where the input is missing.
    lower, upper : float
        Input values mapped to the ends of the scale (in the indicator's unit). Pass them back as
        ``bounds`` to score another year on the same scale.
    direction : int
        +1: higher values mean higher risk; -1: lower values mean higher risk.
    """

    score: np.ndarray
    lower: float
    upper: float
    direction: int


def minmax(x, *, direction: int = 1, bounds: tuple[float, float] | None = None) -> Normalised:
    """Scale to 0..10, inverted where lower values are worse.

    Parameters
    ----------
    x : array_like, shape (n,)
        Indicator values in their own unit; NaN = missing (kept as NaN).
    direction : {1, -1}, default 1
        1: ``10 (x - lower) / (upper - lower)``; -1: ``10 (upper - x) / (upper - lower)``.
    bounds : (lower, upper), optional
        Fixed bounds from the spec, so scores are comparable across years; values outside are
        clipped into them. Default: the observed minimum and maximum.

    Returns
    -------
    Normalised

    Notes
    -----
    A constant indicator (``lower == upper`` from the data) carries no information to tell units
    apart: every present unit gets 5.0 (:data:`CONSTANT_SCORE`), the middle of the scale, instead
    of NaN or 0. In an arithmetic or geometric mean a common value moves every unit alike, so
    ranks are unchanged, while 0 would pull all composites down and NaN would silently change the
    weights. Fixed bounds must satisfy ``lower < upper``.

    Examples
    --------
    >>> minmax([10, 20, 30, np.nan]).score.tolist()
    [0.0, 5.0, 10.0, nan]
    >>> minmax([10, 20, 30], direction=-1).score.tolist()
    [10.0, 5.0, 0.0]
    >>> n = minmax([5, 20, 60], bounds=(10, 50))
    >>> n.score.tolist(), (n.lower, n.upper)
    ([0.0, 2.5, 10.0], (10.0, 50.0))
    """
    values = as_array(x, "x")
    if direction not in (1, -1):
        raise DataError("model.bad_direction", "direction must be 1 or -1, got {direction}",
                        direction=direction)
    if np.isinf(values).any():
        raise DataError("model.infinite", "x has infinite values")
    if bounds is None:
        present = values[~np.isnan(values)]
        lower, upper = (float(present.min()), float(present.max())) if present.size else (np.nan, np.nan)
    else:
        lower, upper = (float(b) for b in bounds)
        if not lower < upper:
            raise DataError("model.bad_bounds", "bounds must satisfy lower < upper, got ({lower}, {upper})",
                            lower=lower, upper=upper)
    if lower == upper:
        score = np.where(np.isnan(values), np.nan, CONSTANT_SCORE)
    else:
        share = np.clip((np.clip(values, lower, upper) - lower) / (upper - lower), 0, 1)
        score = 10 * (share if direction == 1 else 1 - share)
    return Normalised(score=score, lower=lower, upper=upper, direction=int(direction))


@dataclass(frozen=True)
class Goalposts:
    """Fixed scaling range of an indicator, INFORM style, in the indicator's own unit.

    ``lower`` scores 0 and ``upper`` scores 10 (for ``direction`` +1; reversed for -1); values
    outside are capped at them. With ``log`` the scale is linear in ``log(1 + x)`` between
    ``log(1 + lower)`` and ``log(1 + upper)`` (for skewed rates). ``source`` says where the
    goalposts come from: ``"spec"`` (written in the spec) or ``"pooled"`` (the rule of
    :func:`pooled_goalposts` on every year's data).
    """

    lower: float
    upper: float
    log: bool = False
    direction: int = 1
    source: str = "spec"

    def __post_init__(self):
        if not (np.isfinite(self.lower) and np.isfinite(self.upper) and self.lower < self.upper):
            raise DataError("model.bad_goalposts", "goalposts must be finite with lower < upper, got "
                            "({lower}, {upper})", lower=self.lower, upper=self.upper)
        if self.log and self.lower <= -1:
            raise DataError("model.bad_goalposts", "log goalposts need lower > -1, got {lower}", lower=self.lower)
        if self.direction not in (1, -1):
            raise DataError("model.bad_direction", "direction must be 1 or -1, got {direction}",
                            direction=self.direction)

    def transform(self, x: np.ndarray) -> np.ndarray:
        """The treat step: values capped at the goalposts, then ``log(1 + x)`` when ``log``.
        Any shape (a leading draws axis included); NaN stays NaN."""
        capped = np.clip(x, self.lower, self.upper)
        return np.log1p(capped) if self.log else capped

    def scale(self, treated: np.ndarray) -> np.ndarray:
        """The scale step: treated values (from :meth:`transform`) to scores 0..10."""
        lo, hi = (np.log1p(self.lower), np.log1p(self.upper)) if self.log else (self.lower, self.upper)
        share = (treated - lo) / (hi - lo)
        return 10 * (share if self.direction == 1 else 1 - share)


def goalpost_scale(x, goalposts: Goalposts) -> np.ndarray:
    """Score 0..10 of values in the indicator's unit on fixed goalposts (any shape).

    The same value always gives the same score, whatever the year or the other units: a
    near-constant indicator gives near-constant scores, and Monte Carlo draws of a value are
    scored by exactly the same transform as the value itself.

    Examples
    --------
    Goalposts 0 and 100 on log(1 + x): 9 scores 10 log(10) / log(101) = 4.989; 150 is capped.

    >>> g = Goalposts(0, 100, log=True)
    >>> goalpost_scale([0, 9, 100, 150, np.nan], g).round(3).tolist()
    [0.0, 4.989, 10.0, 10.0, nan]
    >>> goalpost_scale([20, 50, 80], Goalposts(20, 80, direction=-1)).tolist()
    [10.0, 5.0, 0.0]
    """
    values = np.asarray(x, dtype=float)
    if np.isinf(values).any():
        raise DataError("model.infinite", "x has infinite values")
    return goalposts.scale(goalposts.transform(values))


#: Upper goalpost of the pooled rule: this percentile of every year's values.
POOLED_UPPER_PERCENTILE = 95.0


def pooled_goalposts(values, *, log: bool = False, direction: int = 1) -> Goalposts:
    """Goalposts for an indicator whose spec gives none: the documented rule on pooled data.

    ``values`` are the indicator's crude (unsmoothed) values of every unit in every year
    available, pooled. Lower goalpost: their minimum; upper: their 95th percentile
    (:data:`POOLED_UPPER_PERCENTILE`, so a few extreme units are capped instead of squeezing
    everyone else), or their maximum when the percentile equals the minimum. Crude values are
    used, not smoothed ones, so the range is what was measured: shrunk estimates of a noisy
    indicator then sit close together on it instead of being stretched over the whole scale.
    An indicator with a single distinct value gets goalposts ``(v, v + 1)`` (every unit scores
    alike, ranks are unchanged).

    Examples
    --------
    >>> g = pooled_goalposts([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 1000])
    >>> (g.lower, g.upper, g.source)
    (0.0, 19.0, 'pooled')
    >>> (pooled_goalposts([3.0, 3.0]).lower, pooled_goalposts([3.0, 3.0]).upper)
    (3.0, 4.0)
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise DataError("model.no_values", "no values to set goalposts from")
    lower = float(v.min())
    upper = float(np.percentile(v, POOLED_UPPER_PERCENTILE))
    if upper <= lower:
        upper = float(v.max())
    if upper <= lower:
        upper = lower + 1.0
    return Goalposts(lower, upper, log=log, direction=direction, source="pooled")
