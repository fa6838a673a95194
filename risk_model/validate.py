"""Validation statistics that do not flatter: Spearman correlation with a cluster-bootstrap interval,
top-N overlap, and the comparison of our dimensions and composite with a peer index.

The bootstrap resamples *clusters* (the coarsest level at which any input was measured, e.g. the
44 municipios of 2024 when a census value is copied onto their 262 districts), because units that
share one measured value are not independent observations. A correlation whose interval includes
zero is reported as "no demonstrated skill".
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from geodata.errors import DataError

from ._checks import as_array, same_length

__all__ = ["spearman_interval", "top_overlap", "verdict", "cluster_codes", "coarsest_input_level",
           "peer_comparison", "validate_report", "BOOTSTRAP", "VERDICTS", "NOTES"]

BOOTSTRAP = 1000
"""Bootstrap resamples behind every interval."""

VERDICTS = ("skill", "no demonstrated skill", "inverse", "too few data")

#: Column of a unit frame (``ModelData.units[level]``) holding each unit's code at a coarser level.
_CLUSTER_COLUMNS = {"department": "dept_code", "municipio_2024": "mun2024_code"}


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.ConstantInputWarning)
        return float(stats.spearmanr(x, y)[0])


def _midranks(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Ranks (ties averaged) that ``x`` would have in a sample where unit i appears ``w[d, i]``
    times, one row per resample ``d``: the count below each value plus (ties + 1) / 2."""
    values, inverse = np.unique(x, return_inverse=True)
    group = np.zeros((w.shape[0], values.size))
    np.add.at(group.T, inverse, w.T)  # weight per distinct value
    below = np.cumsum(group, axis=1) - group
    return (below + (group + 1) / 2)[:, inverse]


def _weighted_spearman(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Spearman's rho of each resample (rows of repeat counts ``w``) without building it: the
    Pearson correlation of the resample's midranks, weighted by the counts."""
    rx, ry = _midranks(x, w), _midranks(y, w)
    total = w.sum(axis=1, keepdims=True)
    mx, my = (w * rx).sum(axis=1, keepdims=True) / total, (w * ry).sum(axis=1, keepdims=True) / total
    cov = (w * (rx - mx) * (ry - my)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / np.sqrt((w * (rx - mx) ** 2).sum(axis=1) * (w * (ry - my) ** 2).sum(axis=1))


def spearman_interval(x, y, clusters=None, *, draws: int = BOOTSTRAP, seed: int = 0,
                      level: float = 0.95) -> tuple[float, float, float, int]:
    """Spearman's rho (-1..1) of ``x`` and ``y`` with a percentile cluster-bootstrap interval.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Paired values; pairs with a missing value are dropped.
    clusters : array_like, shape (n,), optional
        Cluster label of each unit; whole clusters are resampled with replacement (default: each
        unit is its own cluster).
    draws, seed, level
        Bootstrap resamples, seed, and coverage of the interval.

    Returns
    -------
    (rho, low, high, n_clusters)
        NaN rho and interval with fewer than 3 pairs or 3 clusters.

    Examples
    --------
    >>> rho, low, high, k = spearman_interval([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], draws=200)
    >>> round(rho, 3), k, low <= rho <= high
    (0.829, 6, True)
    """
    a, b = as_array(x, "x"), as_array(y, "y")
    same_length(x=a, y=b)
    g = np.arange(a.size) if clusters is None else np.asarray(clusters)
    if g.shape != a.shape:
        raise DataError("model.length_mismatch", "clusters must have one label per unit ({n}), got {m}",
                        n=a.size, m=g.size)
    keep = np.isfinite(a) & np.isfinite(b)
    a, b, g = a[keep], b[keep], g[keep]
    labels, inverse = np.unique(g, return_inverse=True)
    k = labels.size
    if a.size < 3 or k < 3:
        return float("nan"), float("nan"), float("nan"), int(k)
    rho = _spearman(a, b)
    rng = np.random.default_rng(seed)
    counts = np.zeros((draws, k))
    for d in range(draws):  # how often each cluster is drawn; its units are repeated that often
        counts[d] = np.bincount(rng.integers(0, k, k), minlength=k)
    boot = _weighted_spearman(a, b, counts[:, inverse])
    tail = 100 * (1 - level) / 2
    low, high = np.nanpercentile(boot, [tail, 100 - tail]) if np.isfinite(boot).any() else (np.nan, np.nan)
    return rho, float(low), float(high), int(k)


def verdict(low: float, high: float) -> str:
    """"skill" when the interval lies above zero, "inverse" below, "no demonstrated skill" when it
    includes zero, "too few data" when it is missing."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return VERDICTS[3]
    return VERDICTS[0] if low > 0 else VERDICTS[2] if high < 0 else VERDICTS[1]


def top_overlap(x, y, n: int = 20) -> float:
    """Share 0..1 of the ``n`` highest units by ``x`` that are also among the ``n`` highest by ``y``
    (pairs with a missing value dropped; ties broken by position).

    Examples
    --------
    >>> top_overlap([5, 4, 3, 2, 1], [1, 5, 4, 3, 2], n=2)
    0.5
    """
    a, b = as_array(x, "x"), as_array(y, "y")
    same_length(x=a, y=b)
    keep = np.flatnonzero(np.isfinite(a) & np.isfinite(b))
    n = min(int(n), keep.size)
    if n < 1:
        return float("nan")
    top_a = set(keep[np.argsort(-a[keep], kind="stable")[:n]])
    top_b = set(keep[np.argsort(-b[keep], kind="stable")[:n]])
    return len(top_a & top_b) / n


def cluster_codes(units: pd.DataFrame, level: str) -> np.ndarray:
    """Each unit's code at ``level`` (its own code, its department or its 2024 municipio)."""
    if (units["level"] == level).all():
        return units["code"].to_numpy()
    column = _CLUSTER_COLUMNS.get(level)
    if column is None or column not in units:
        raise DataError("model.unknown_level", "units of level {own} cannot be grouped by {level}",
                        own=str(units["level"].iloc[0]), level=level)
    return units[column].to_numpy()


def coarsest_input_level(data, spec, level: str, dimension: str | None = None) -> str:
    """The coarsest level at which any input of ``spec`` (of ``dimension`` only, if given) was
    measured, pooled or filled from, never finer than the scored ``level`` (levels ordered as
    ``data.units``, finest first)."""
    order = list(data.units)
    found = order.index(level)
    for i in spec.active_indicators():
        if dimension is not None and i.dimension != dimension:
            continue
        for lv in (getattr(data.catalogue.get(i.id), "level", ""), i.pool_level, i.fill_missing):
            if lv in order:
                found = max(found, order.index(lv))
    return order[found]


def peer_comparison(ours: pd.DataFrame, peer: pd.DataFrame, pairs, *, clusters=None, top_n: int = 20,
                    seed: int = 0) -> pd.DataFrame:
    """Spearman with interval and top-N overlap between our columns and a peer's, unit by unit.

    Parameters
    ----------
    ours, peer : DataFrame
        Indexed by unit code; ``ours`` holds our scores, ``peer`` the published values.
    pairs : sequence of (our_column, peer_column)
        What to compare (e.g. ("violence", "human_made"), ("score", "MVI")).
    clusters : dict, optional
        {our_column: Series of cluster labels by unit code} for the bootstrap (default: units).

    Returns
    -------
    DataFrame
        One row per pair: ``ours``, ``peer``, ``rho``, ``rho_low``, ``rho_high`` (95%),
        ``includes_zero``, ``top_overlap`` (0..1), ``top_n``, ``n`` (units in both),
        ``n_clusters``.
    """
    rows = []
    codes = ours.index.intersection(peer.index)
    if codes.empty:
        raise DataError("validate.no_common_units", "no unit code is shared by our table and the peer's")
    for mine, theirs in pairs:
        g = (clusters or {}).get(mine)
        g = None if g is None else pd.Series(g).reindex(codes).to_numpy()
        x = ours.loc[codes, mine].to_numpy(float)
        y = pd.to_numeric(peer.loc[codes, theirs], errors="coerce").to_numpy(float)
        rho, low, high, k = spearman_interval(x, y, g, seed=seed)
        n = int((np.isfinite(x) & np.isfinite(y)).sum())
        rows.append({"ours": mine, "peer": theirs, "rho": rho, "rho_low": low, "rho_high": high,
                     "includes_zero": verdict(low, high) == VERDICTS[1],
                     "top_overlap": top_overlap(x, y, top_n), "top_n": min(top_n, n), "n": n, "n_clusters": k})
    return pd.DataFrame(rows)


def validate_report(data, spec, year: int, *, level: str | None = None, seed: int = 0, root=None) -> dict:
    """Peer comparison of one scenario as a JSON-ready dict.

    Keys: ``country``, ``year``, ``level``, ``scenario``, ``peer`` (citation), ``note`` (what the
    comparison can and cannot show) and ``comparisons``: {"violence" | "displacement" | ... |
    "composite": {``peer_column``, ``spearman``, ``interval`` [low, high] (95%, bootstrap over
    ``bootstrap_level`` clusters), ``includes_zero``, ``top20_overlap`` (0..1), ``n``,
    ``n_clusters``, ``bootstrap_level``}}; a dimension without a published reference has
    ``peer_column`` None and every figure None.
    """
    from geodata.reference import load_peer

    from .pipeline import run_model

    res = run_model(data, spec, year, level=level, draws=0)
    peer, published = load_peer(data.country, root)
    units = data.units[res.level]
    ours = res.table.set_index("code")
    out = {}
    for mine, theirs in peer.pairs:
        if mine not in ours:
            continue
        name = "composite" if mine == "score" else mine
        coarse = coarsest_input_level(data, spec, res.level, None if mine == "score" else mine)
        entry = {"peer_column": theirs or None, "bootstrap_level": coarse, "spearman": None, "interval": [None, None],
                 "includes_zero": None, "top20_overlap": None, "n": 0, "n_clusters": 0}
        if theirs:
            clusters = {mine: pd.Series(cluster_codes(units, coarse), index=units["code"].to_numpy())}
            row = peer_comparison(ours, published, [(mine, theirs)], clusters=clusters, seed=seed).iloc[0]
            fin = [None if not np.isfinite(v) else float(v) for v in (row.rho, row.rho_low, row.rho_high, row.top_overlap)]
            entry.update(spearman=fin[0], interval=fin[1:3], includes_zero=bool(row.includes_zero),
                         top20_overlap=fin[3], n=int(row.n), n_clusters=int(row.n_clusters))
        out[name] = entry
    return {"country": data.country, "year": int(year), "level": res.level, "scenario": spec.key(),
            "peer": peer.name, "note": NOTES[data.country], "comparisons": out}


NOTES = {
    "gtm": "A2SIT is built largely from the same municipal inputs as our Guatemala model, so agreement is "
           "expected: this is a consistency check, not independent validation. Never an input, never tuned to.",
    "hnd": "Our violence dimension is built from these same IUDPAS 2014 homicides (smoothed and scaled), so "
           "this checks the treatment, not the model's validity. No published municipal displacement reference.",
}
