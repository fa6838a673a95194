"""Backtest: how well did the score at year t predict the outcome at t + 1?"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

from geodata.errors import DataError

from ._checks import as_array, same_length
from .uncertainty import top_n_membership

__all__ = ["Backtest", "backtest"]


@dataclass(frozen=True)
class Backtest:
    """Agreement between a score and the later outcome.

    Attributes
    ----------
    rho : float
        Spearman rank correlation, -1..1.
    p_value : float
        Two-sided p-value of ``rho`` (scipy), 0..1.
    hit_rate : float
        Share 0..1 of the ``top_n`` units by score that are also in the ``top_n`` by outcome.
    top_n : int
    n : int
        Units with both a score and an outcome (missing values are dropped pairwise).
    """

    rho: float
    p_value: float
    hit_rate: float
    top_n: int
    n: int


def backtest(score, outcome, *, top_n: int) -> Backtest:
    """Rank correlation and top-N hit rate between a score and a later outcome.

    Parameters
    ----------
    score : array_like, shape (n,)
        Risk score at year t (for example the composite 0..10).
    outcome : array_like, shape (n,)
        Outcome at year t + 1 (for example the smoothed homicide rate per 100,000).
    top_n : int
        Shortlist size, 1..number of complete pairs.

    Returns
    -------
    Backtest

    Notes
    -----
    Units missing either value are dropped; at least 3 complete pairs are needed. ``rho`` and
    ``p_value`` are NaN when either series is constant. Ties at the
    top-N cut-off share the remaining places (see :func:`uncertainty.top_n_membership`), so the
    hit rate is the average over random tie-breaking.

    Examples
    --------
    Top 2 by score are units 0 and 1; by outcome 0 and 2: one hit of two.

    >>> b = backtest([9, 8, 1, 5, np.nan], [30, 10, 20, 5, 40], top_n=2)
    >>> round(b.rho, 2), b.hit_rate, b.n
    (0.4, 0.5, 4)
    """
    x, y = as_array(score, "score"), as_array(outcome, "outcome")
    same_length(score=x, outcome=y)
    keep = np.isfinite(x) & np.isfinite(y)
    n = int(keep.sum())
    if n < 3:
        raise DataError("model.too_few_pairs", "backtest needs at least 3 units with both a score and "
                        "an outcome, got {n}", n=n)
    if not (isinstance(top_n, (int, np.integer)) and 1 <= top_n <= n):
        raise DataError("model.bad_top_n", "top_n must be a whole number from 1 to {n}, got {top_n}",
                        n=n, top_n=top_n)
    x, y = x[keep], y[keep]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        rho, p_value = stats.spearmanr(x, y)
    hits = float(top_n_membership(x, top_n) @ top_n_membership(y, top_n)) / top_n
    return Backtest(rho=float(rho), p_value=float(p_value), hit_rate=hits, top_n=int(top_n), n=n)
