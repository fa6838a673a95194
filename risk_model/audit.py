"""Statistical audit of the index structure (JRC / COINr style): does each dimension hang together,
and does each dimension weigh in the composite what its nominal weight says?

Pure functions on arrays, plus :func:`structure`, which reads one ``ModelResult``:

- per dimension: the Pearson correlation matrix of its indicators' scores, Cronbach's alpha and
  the share of variance of the first principal component;
- the correlation matrix of the dimensions;
- nominal weights (the spec's dimension weights normalised to sum 1) against effective weights
  (each dimension's squared correlation with the composite, normalised to sum 1).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.errors import DataError

from ._checks import as_array

__all__ = ["correlation_matrix", "cronbach_alpha", "pc1_share", "effective_weights", "nominal_weights",
           "structure", "audit_report", "WEIGHT_TOLERANCE", "INDICATOR_STEP"]

WEIGHT_TOLERANCE = 0.10
"""Largest acceptable |effective - nominal| weight of a dimension (issue 13's target)."""

INDICATOR_STEP = "normalised"
"""Name of the ``ModelResult.steps`` frame holding the indicators' 0..10 scores (one column each)."""


def _complete(x) -> np.ndarray:
    """Rows of a 2-D array with no missing value."""
    a = as_array(x, "scores", ndim=2)
    return a[~np.isnan(a).any(axis=1)]


def correlation_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Pearson correlations (-1..1) between the columns, over the rows where both are present
    (pairwise); NaN where a column is constant or fewer than 3 rows pair up."""
    return frame.astype(float).corr(method="pearson", min_periods=3)


def cronbach_alpha(x) -> float:
    """Cronbach's alpha of the columns of ``x`` (units x items), over complete rows.

    ``alpha = k / (k - 1) * (1 - sum(var(item)) / var(sum of items))`` with sample variances
    (ddof 1); at most 1, negative when items disagree. NaN with fewer than 2 items, fewer than
    3 complete rows or a constant item (it says nothing about consistency). Values of 0.7 or more are usually read as a coherent scale.

    Examples
    --------
    >>> round(cronbach_alpha([[1, 2], [2, 3], [3, 5]]), 6)  # 2 * (1 - (1 + 7/3) / (19/3)) = 18/19
    0.947368
    """
    a = _complete(x)
    k = a.shape[1]
    if k < 2 or a.shape[0] < 3 or (np.ptp(a, axis=0) == 0).any():
        return float("nan")
    return float(k / (k - 1) * (1 - a.var(axis=0, ddof=1).sum() / a.sum(axis=1).var(ddof=1)))


def pc1_share(x) -> float:
    """Share 0..1 of the total variance of the standardised columns (units x items) carried by
    the first principal component: the largest eigenvalue of the correlation matrix over k.
    1 means one latent factor; 1/k means unrelated items. NaN with fewer than 2 items, fewer than
    3 complete rows or a constant item.

    Examples
    --------
    >>> pc1_share([[1, 2], [2, 4], [3, 6]])  # perfectly correlated: one component
    1.0
    """
    a = _complete(x)
    k = a.shape[1]
    if k < 2 or a.shape[0] < 3 or (a.std(axis=0) == 0).any():
        return float("nan")
    eig = np.linalg.eigvalsh(np.corrcoef(a, rowvar=False))
    return float(round(eig.max() / k, 12))


def effective_weights(dimensions, composite) -> np.ndarray:
    """Effective weight of each dimension in the composite, normalised to sum 1.

    Parameters
    ----------
    dimensions : array_like, shape (n_units, k)
        Dimension scores (0..10); NaN = missing.
    composite : array_like, shape (n_units,)
        The composite they were aggregated into.

    Returns
    -------
    ndarray, shape (k,)
        ``r_i^2 / sum_j r_j^2`` where ``r_i`` is the Pearson correlation of dimension i with the
        composite over the units where both are present. NaN for a dimension that is constant or
        has fewer than 3 such units (and it is left out of the normalisation).

    Notes
    -----
    The squared correlation is the linear estimate of the correlation ratio (first-order
    sensitivity index) used in the JRC audits (Paruolo, Saisana and Saltelli 2013) and COINr:
    the share of the composite's variance explained by the dimension. A dimension with a large
    spread, or copied onto many units from a coarse measurement, can dominate the composite
    although all nominal weights are equal.

    Examples
    --------
    Two uncorrelated dimensions of equal variance weighted 3:1; r^2 is proportional to w^2.

    >>> d = [[0, 0], [1, 0], [0, 1], [1, 1]]
    >>> effective_weights(d, [0.0, 0.75, 0.25, 1.0]).round(6).tolist()
    [0.9, 0.1]
    """
    d = as_array(dimensions, "dimensions", ndim=2)
    y = as_array(composite, "composite")
    if d.shape[0] != y.size:
        raise DataError("model.length_mismatch", "dimensions have {n} rows but the composite has {m} values",
                        n=d.shape[0], m=y.size)
    r2 = np.full(d.shape[1], np.nan)
    for j in range(d.shape[1]):
        keep = ~np.isnan(d[:, j]) & ~np.isnan(y)
        if keep.sum() >= 3 and np.ptp(d[keep, j]) > 0 and np.ptp(y[keep]) > 0:
            r2[j] = np.corrcoef(d[keep, j], y[keep])[0, 1] ** 2
    total = np.nansum(r2)
    return r2 / total if total > 0 else np.full_like(r2, np.nan)


def nominal_weights(spec, dimensions) -> np.ndarray:
    """The spec's weights of ``dimensions`` normalised to sum 1 (0..1 each)."""
    w = np.array([spec.weight(d) for d in dimensions], dtype=float)
    if not (w > 0).any():
        raise DataError("model.no_weight", "every dimension has weight 0: give at least one dimension a weight")
    return w / w.sum()


def _clean(value):
    """A float for JSON: None where not a number."""
    return None if value is None or not np.isfinite(value) else float(value)


def _matrix(frame: pd.DataFrame) -> dict:
    return {r: {c: _clean(frame.at[r, c]) for c in frame.columns} for r in frame.index}


def structure(result) -> dict:
    """The structural audit of one ``ModelResult`` (JSON-ready: NaN becomes None).

    Keys: ``dimensions`` (scored dimensions in order), ``weighted_dimensions`` (those with a
    positive weight, the only ones in the composite), ``nominal_weights`` and
    ``effective_weights`` ({weighted dimension: 0..1}), ``weight_gap`` ({dimension: effective - nominal}),
    ``over_tolerance`` (dimensions with |gap| > :data:`WEIGHT_TOLERANCE`), ``cronbach_alpha``
    and ``pc1_share`` ({dimension: value or None}, None for a single-indicator dimension),
    ``indicator_correlations`` ({dimension: {indicator: {indicator: r}}}),
    ``dimension_correlations`` ({dimension: {dimension: r}}, including the composite) and
    ``n_units`` (units with a composite).
    """
    spec, table = result.spec, result.table
    dims = [d for d in spec.dimensions if d in table.columns and table[d].notna().any()]  # a dimension
    # with no scored indicator (all below the signal threshold) is empty: not in the composite
    weighted = [d for d in dims if spec.weight(d) > 0]  # a dimension of weight 0 is not in the composite
    scores = result.steps[INDICATOR_STEP]
    nominal = nominal_weights(spec, weighted)
    effective = effective_weights(table[weighted].to_numpy(float), table["score"].to_numpy(float))
    out = {"dimensions": dims, "weighted_dimensions": weighted,
           "nominal_weights": {d: _clean(w) for d, w in zip(weighted, nominal)},
           "effective_weights": {d: _clean(w) for d, w in zip(weighted, effective)}}
    gap = {d: _clean(e - n) for d, e, n in zip(weighted, effective, nominal)}
    out["weight_gap"] = gap
    out["over_tolerance"] = [d for d in weighted if gap[d] is not None and abs(gap[d]) > WEIGHT_TOLERANCE]
    alpha, pc1, corr = {}, {}, {}
    for d in dims:
        members = [i.id for i in spec.active_indicators() if i.dimension == d and i.id in scores.columns]
        x = scores[members]
        alpha[d], pc1[d] = _clean(cronbach_alpha(x.to_numpy(float))), _clean(pc1_share(x.to_numpy(float)))
        corr[d] = _matrix(correlation_matrix(x))
    out.update(cronbach_alpha=alpha, pc1_share=pc1, indicator_correlations=corr)
    both = table[dims + ["score"]].rename(columns={"score": "composite"})
    out["dimension_correlations"] = _matrix(correlation_matrix(both))
    out["n_units"] = int(table["score"].notna().sum())
    return out


def audit_report(data, spec, year: int, *, level: str | None = None, n: int | None = None,
                 seed: int = 0) -> dict:
    """The whole audit of one scenario as a JSON-ready dict: :func:`structure` of the nominal
    model, plus ``sensitivity`` ({input: {first, total, first_conf, total_conf}}, Sobol indices
    of the mean absolute rank shift), ``sensitivity_inputs`` ({input: options or [low, high]}),
    ``sensitivity_runs``, ``sensitivity_n`` and ``rank_range`` ({code: {name, rank, p05,
    median, p95}}), see :mod:`risk_model.sensitivity`."""
    from .pipeline import run_model
    from .sensitivity import DEFAULT_N, rank_sensitivity

    res = run_model(data, spec, year, level=level, draws=0)
    out = {"country": res.country, "year": int(year), "level": res.level, "scenario": spec.key(), **structure(res)}
    sa = rank_sensitivity(data, spec, year, level=level, n=n or DEFAULT_N, seed=seed)
    out["sensitivity_output"] = "mean absolute rank shift against the nominal ranks"
    out["sensitivity"] = {k: {m: _clean(v) for m, v in row.items()} for k, row in sa.indices.items()}
    out["sensitivity_inputs"] = {c.name: list(c.options) if c.options else [c.low, c.high] for c in sa.inputs}
    out["sensitivity_n"], out["sensitivity_runs"] = sa.n, sa.runs
    out["mean_rank_shift"] = _clean(float(np.mean(sa.mean_shift)))
    out["rank_range"] = {r.code: {"name": r.name, "rank": _clean(r.rank), "p05": _clean(r.p05),
                                  "median": _clean(r.median), "p95": _clean(r.p95)}
                         for r in sa.rank_range.itertuples(index=False)}
    return out
