"""Five risk classes (very low .. very high) by a named scheme; the scheme and breaks travel along."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np

from geodata.errors import DataError
from geodata.names import SCHEMES

from ._checks import as_array

__all__ = ["Classification", "classify"]


@dataclass(frozen=True)
class Classification:
    """Classes of a score, mapclassify's vocabulary.

    Attributes
    ----------
    scheme : str
        "fixed", "quantiles" or "natural_breaks".
    k : int
        Classes actually formed (``len(bins)``); below ``requested_k`` when ties left fewer
        distinct breaks.
    bins : ndarray, shape (k,)
        Upper bound of each class, in the unit of ``y``; class i holds bins[i-1] < y <= bins[i].
    yb : ndarray of int, shape (n,)
        Class code of each unit, 0..k-1 (0 = lowest); -1 where y is missing.
    counts : ndarray of int, shape (k,)
        Units per class.
    requested_k : int
        The ``k`` asked for.
    """

    scheme: str
    k: int
    bins: np.ndarray
    yb: np.ndarray
    counts: np.ndarray
    requested_k: int

    @property
    def degenerate(self) -> bool:
        """True when fewer classes were formed than requested (ties or too few distinct values)."""
        return self.k < self.requested_k


def _fixed(y: np.ndarray, k: int, bins) -> np.ndarray:
    if bins is None:
        return 10 * np.arange(1, k + 1) / k
    bins = as_array(bins, "bins")
    if bins.size != k or np.isnan(bins).any() or (np.diff(bins) <= 0).any():
        raise DataError("model.bad_bins", "bins must be {k} increasing upper bounds, got {bins}",
                        k=k, bins=bins.tolist())
    return bins


def _quantiles(y: np.ndarray, k: int, bins) -> np.ndarray:
    return np.unique(np.quantile(y, np.arange(1, k + 1) / k))


def _natural_breaks(y: np.ndarray, k: int, bins) -> np.ndarray:
    distinct = np.unique(y)
    if distinct.size <= k:
        return distinct
    with warnings.catch_warnings():  # "Numba not installed": the pure-Python path is fine at n ~ 262
        warnings.filterwarnings("ignore", message="Numba not installed")
        return np.unique(mapclassify.FisherJenks(y, k=k).bins)


#: The break finder of each of ``geodata.names.SCHEMES``.
_BREAKS = {"fixed": _fixed, "quantiles": _quantiles, "natural_breaks": _natural_breaks}


def classify(y, scheme: str, *, k: int = 5, bins=None) -> Classification:
    """Classify a score into ``k`` classes by a named scheme.

    Parameters
    ----------
    y : array_like, shape (n,)
        Values to classify (usually a score 0..10); NaN = missing, coded -1.
    scheme : str
        "fixed", "quantiles" or "natural_breaks" (case, spaces, hyphens and underscores ignored).
    k : int, default 5
        Number of classes, 2..9.
    bins : array_like, shape (k,), optional
        Only for "fixed": upper bounds of the classes. Default: equal steps over 0..10,
        (2, 4, 6, 8, 10) for k = 5. Values above the last bound join the top class (clamped),
        so breaks fitted on one year classify another.

    Returns
    -------
    Classification

    Notes
    -----
    "quantiles" uses linearly interpolated quantiles at 1/k, 2/k, ..., 1; "natural_breaks" uses
    Fisher-Jenks (mapclassify), which is exact and deterministic, so no seed is needed. When ties
    or too few distinct values leave fewer distinct breaks than ``k``, duplicates are dropped and
    the result reports it: ``k < requested_k`` and ``degenerate`` is True. "fixed" always keeps
    its ``k`` classes; some may be empty.

    Examples
    --------
    >>> c = classify([0.5, 2.0, 3.0, 5.0, 9.5, np.nan], "fixed")
    >>> c.bins.tolist(), c.yb.tolist(), c.counts.tolist()
    ([2.0, 4.0, 6.0, 8.0, 10.0], [0, 0, 1, 2, 4, -1], [2, 1, 1, 0, 1])
    >>> c = classify([1, 1, 1, 1, 2, 3], "Quantiles")
    >>> c.k, c.bins.tolist(), c.counts.tolist()
    (3, [1.0, 2.0, 3.0], [4, 1, 1])
    """
    name = str(scheme).lower().replace("_", "").replace("-", "").replace(" ", "")
    lookup = {key.replace("_", ""): key for key in SCHEMES}
    if name not in lookup:
        raise DataError("model.unknown_scheme",
                        "unknown classification scheme {scheme!r}; use one of {options}", scheme=scheme, options=sorted(SCHEMES))
    scheme = lookup[name]
    if not (isinstance(k, (int, np.integer)) and 2 <= k <= 9):
        raise DataError("model.bad_k", "k must be a whole number from 2 to 9, got {k}", k=k)
    if bins is not None and scheme != "fixed":
        raise DataError("model.bins_not_fixed", "bins apply only to the 'fixed' scheme, not {scheme!r}",
                        scheme=scheme)
    values = as_array(y, "y")
    present = ~np.isnan(values)
    if scheme != "fixed" and not present.any():
        raise DataError("model.no_values", "cannot classify: every value is missing")
    breaks = np.asarray(_BREAKS[scheme](values[present], k, bins), dtype=float)
    yb = np.full(values.size, -1)
    yb[present] = np.minimum(np.searchsorted(breaks, values[present], side="left"), breaks.size - 1)
    counts = np.bincount(yb[present], minlength=breaks.size)
    return Classification(scheme=scheme, k=int(breaks.size), bins=breaks, yb=yb, counts=counts,
                          requested_k=int(k))
