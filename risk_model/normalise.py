"""Min-max scaling of an indicator to a score 0..10, 10 = highest risk."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geodata.errors import DataError

from ._checks import as_array

__all__ = ["Normalised", "minmax", "CONSTANT_SCORE"]

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
