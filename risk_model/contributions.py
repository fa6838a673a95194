"""How much each dimension adds to a unit's composite score: contributions that add up.

For the arithmetic aggregation the composite is ``sum_i w_i x_i / W`` (``W`` the weight of the
dimensions present), so dimension ``i`` contributes ``w_i x_i / W`` and the contributions add up
to the composite exactly.

The geometric aggregation (``risk_model.aggregate``) is ``s = exp(sum_i w_i log(1 + x_i) / W) - 1``,
which has no additive form. Its decomposition here is the **log share**: dimension ``i`` gets the
share of the composite equal to its share of the weighted log sum,

    c_i = s * w_i log(1 + x_i) / sum_j w_j log(1 + x_j),

so the contributions add up to ``s``, are never negative (every ``x >= 0``), are 0 for a
dimension scoring 0 and split ``s`` in proportion to the weights when all dimensions score the
same. When every present dimension scores 0 the composite is 0 and so is every contribution.
Missing dimensions (NaN) contribute nothing (their weight is left out, as in the composite).
"""
from __future__ import annotations

import numpy as np

from .aggregate import aggregate

__all__ = ["contributions", "contribution_table"]


def contributions(scores, weights, *, method: str = "arithmetic") -> np.ndarray:
    """Per unit and dimension, the part of the composite (0..10) each dimension accounts for.

    Parameters
    ----------
    scores : array_like, shape (n_units, n_dimensions)
        Dimension scores 0..10; NaN = missing.
    weights : array_like, shape (n_dimensions,)
        Non-negative weights, at least one positive.
    method : {"arithmetic", "geometric"}
        The aggregation of the composite (see the module docstring for the geometric one).

    Returns
    -------
    ndarray, shape (n_units, n_dimensions)
        Contributions in score points; each row adds up to ``aggregate(...).score`` (NaN rows
        where the composite is NaN; 0 for a missing dimension of a scored unit).

    Examples
    --------
    >>> contributions([[2.0, 8.0]], [1, 1]).tolist()
    [[1.0, 4.0]]
    >>> contributions([[0.0, 8.0]], [1, 1], method="geometric").round(6).tolist()
    [[0.0, 2.0]]
    """
    x = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    total = aggregate(x, w, method=method).score  # validates the arguments
    present = ~np.isnan(x)
    terms = np.log1p(np.where(present, x, 0.0)) if method == "geometric" else np.where(present, x, 0.0)
    weighted = terms * np.where(present, w, 0.0)
    denominator = weighted.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(denominator > 0, weighted / denominator, 0.0)
    out = share * total[:, None]
    return np.where(np.isnan(total)[:, None], np.nan, out)


def contribution_table(result) -> "pd.DataFrame":
    """``code`` and one ``contrib_<dimension>`` column (score points 0..10) per weighted
    dimension of a ``ModelResult``: the rows add up to ``result.table["score"]``."""
    import pandas as pd

    table, spec = result.table, result.spec
    dims = [d for d in spec.dimensions if d in table and spec.weight(d) > 0]
    out = pd.DataFrame({"code": table["code"].to_numpy()})
    if not dims:
        return out
    parts = contributions(table[dims].to_numpy(float), [spec.weight(d) for d in dims],
                          method=spec.aggregation)
    for j, d in enumerate(dims):
        out[f"contrib_{d}"] = parts[:, j]
    return out
