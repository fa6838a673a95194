"""Weighted means of scores 0..10 over indicators (or dimensions), renormalising for missing ones."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geodata.errors import DataError
from geodata.names import AGGREGATIONS

from ._checks import as_array, choice, in_range, non_negative

__all__ = ["Aggregate", "aggregate"]



@dataclass(frozen=True)
class Aggregate:
    """Composite scores and the share of weight they rest on, in unit order.

    Attributes
    ----------
    score : ndarray, shape (n,)
        Weighted mean, score 0..10; NaN where every component is missing.
    coverage : ndarray, shape (n,)
        Share of the total weight carried by the components present, 0..1.
    method : str
        "arithmetic" or "geometric".
    """

    score: np.ndarray
    coverage: np.ndarray
    method: str


def aggregate(scores, weights, *, method: str = "arithmetic") -> Aggregate:
    """Weighted arithmetic or geometric mean across columns, over the columns present.

    Parameters
    ----------
    scores : array_like, shape (n_units, n_components)
        Normalised scores 0..10; NaN = missing.
    weights : array_like, shape (n_components,)
        Non-negative weights, at least one positive; they need not sum to 1.
    method : {"arithmetic", "geometric"}
        Arithmetic: ``sum(w x) / sum(w)``. Geometric: see Notes.

    Returns
    -------
    Aggregate

    Notes
    -----
    For each unit only the present components count and their weights are rescaled to sum to 1
    (``coverage`` says how much weight was present).

    The geometric mean is taken of ``x + 1`` and 1 is subtracted:
    ``exp(sum(w log(x + 1)) / sum(w)) - 1``. On the 0..10 scale a plain geometric mean is 0
    whenever any component is 0, which min-max scaling guarantees for some unit in every
    indicator: that unit's composite would ignore every other dimension. The shift keeps the
    result in 0..10, equal to the common value when all components are equal, continuous and
    increasing in every component, and still penalises imbalance (it is never above the
    arithmetic mean). A floor such as 0.1 would instead make the result depend on an arbitrary
    constant through log(0.1).

    Examples
    --------
    >>> a = aggregate([[2.0, 8.0], [4.0, np.nan]], [1, 1])
    >>> a.score.tolist(), a.coverage.tolist()
    ([5.0, 4.0], [1.0, 0.5])
    >>> aggregate([[0.0, 8.0]], [1, 1], method="geometric").score.round(6).tolist()  # sqrt(1 * 9) - 1
    [2.0]
    """
    x = as_array(scores, "scores", ndim=2)
    w = non_negative(as_array(weights, "weights"), "weights")
    choice(method, "method", AGGREGATIONS)
    if w.size != x.shape[1] or np.isnan(w).any() or not (w > 0).any():
        raise DataError("model.bad_weights",
                        "weights must be {k} non-negative numbers with at least one positive, got {weights}",
                        k=x.shape[1], weights=w.tolist())
    if method == "geometric":
        in_range(x, "scores", 0, np.inf)
    present = ~np.isnan(x)
    w_present = np.where(present, w, 0.0)
    total = w_present.sum(axis=1)
    terms = np.log1p(x) if method == "geometric" else x
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, terms, 0.0) @ w / total
    score = np.expm1(mean) if method == "geometric" else mean
    if method == "geometric" and present.any(axis=1).any():  # exp(log) round-off: 10 and 10 gave 10.000000000000002
        with np.errstate(invalid="ignore"):
            lo = np.where(present, x, np.inf).min(axis=1)
            hi = np.where(present, x, -np.inf).max(axis=1)
        score = np.where(total > 0, np.clip(score, np.minimum(lo, hi), np.maximum(lo, hi)), score)
    return Aggregate(score=np.where(total > 0, score, np.nan), coverage=total / w.sum(), method=method)
