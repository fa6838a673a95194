"""Backtest: how well did the score at year t predict an outcome at t + 1 that is not one of its inputs?"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from geodata.errors import DataError
from geodata.names import OUTCOME_DIMENSIONS

from ._checks import as_array, same_length
from .uncertainty import top_n_membership

__all__ = ["Backtest", "backtest", "backtest_table", "default_outcomes", "BACKTEST_COLUMNS"]


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


BACKTEST_COLUMNS = ["outcome", "year_scored", "year_outcome", "rho", "rho_low", "rho_high", "verdict", "hit_rate",
                    "top_n", "n", "n_clusters", "bootstrap_level", "same_dataset_as_input", "p_value", "note"]


def default_outcomes(data, spec) -> list[str]:
    """Outcomes a backtest may use: catalogue indicators of a risk dimension (violence, extortion,
    displacement) with at least two years of data that are *not* inputs of ``spec``."""
    inputs = {i.id for i in spec.active_indicators()}
    return [k for k, ind in data.catalogue.items()
            if ind.dimension in OUTCOME_DIMENSIONS and k not in inputs and len(data.years(k)) > 1]


def backtest_table(data, spec, outcomes=None, *, top_n: int, level: str | None = None, seed: int = 0) -> pd.DataFrame:
    """Score at year t (no Monte Carlo) against each outcome's EB-smoothed value in t + 1.

    Only outcomes that are not inputs of ``spec`` are allowed (DataError otherwise): predicting
    an input from itself is circular. One row per outcome and year t for which the outcome has
    data in t + 1: ``rho`` (Spearman) with its 95% interval ``rho_low``..``rho_high`` from a
    bootstrap over the clusters of ``bootstrap_level`` (the coarsest level at which any input or
    the outcome was measured, so that units sharing one copied value count once), ``verdict``
    ("skill", "no demonstrated skill" when the interval includes 0, "inverse", "too few data"),
    ``hit_rate`` (share 0..1 of the top N by score also in the top N by outcome), ``n`` units and
    ``n_clusters``, ``same_dataset_as_input`` (the outcome comes from the same source dataset as
    an input, e.g. other ACLED events: related, not independent), ``p_value`` (unit-level,
    optimistic) and ``note`` (why a year could not be scored).
    """
    from .estimates import estimate_indicator
    from .pipeline import run_model
    from .validate import cluster_codes, coarsest_input_level, spearman_interval, verdict

    level = level or data.finest
    inputs = {i.id for i in spec.active_indicators()}
    outcomes = default_outcomes(data, spec) if outcomes is None else list(outcomes)
    for outcome in outcomes:
        if outcome in inputs:
            raise DataError("backtest.circular", "{outcome} is an input of {spec}: predicting it from itself is "
                            "circular; choose an outcome that is not in the spec", outcome=outcome, spec=spec.name)
        if outcome not in data.catalogue:
            raise DataError("backtest.unknown_outcome", "unknown outcome {outcome!r}", outcome=outcome)
    order = list(data.units)
    datasets = {data.catalogue[i].dataset for i in inputs if i in data.catalogue}
    rows, scores = [], {}
    for outcome in outcomes:
        ind = data.catalogue[outcome]
        coarse = coarsest_input_level(data, spec, level)
        if ind.level in order and order.index(ind.level) > order.index(coarse):
            coarse = ind.level
        clusters = cluster_codes(data.units[level], coarse)
        base = {"outcome": outcome, "bootstrap_level": coarse, "same_dataset_as_input": ind.dataset in datasets}
        for t in [y - 1 for y in data.years(outcome)]:
            row = {**base, "year_scored": t, "year_outcome": t + 1}
            try:
                if t not in scores:
                    scores[t] = run_model(data, spec, t, level=level, draws=0).table["score"].to_numpy()
                later = estimate_indicator(data, outcome, year=t + 1, window=1, level=level).smoothed
                b = backtest(scores[t], later, top_n=min(top_n, int(np.isfinite(later).sum())))
            except DataError as err:
                rows.append({**row, "note": str(err)})
                continue
            rho, low, high, k = spearman_interval(scores[t], later, clusters, seed=seed)
            rows.append({**row, "rho": b.rho, "rho_low": low, "rho_high": high, "verdict": verdict(low, high),
                         "hit_rate": b.hit_rate, "top_n": b.top_n, "n": b.n, "n_clusters": k,
                         "p_value": b.p_value, "note": ""})
    return pd.DataFrame(rows).reindex(columns=BACKTEST_COLUMNS)
