"""Hotspots: Local Moran's I and Getis-Ord Gi* with permutation p-values (PySAL esda).

Run them on smoothed rates or on the composite, never on raw small-area rates. Weights are queen
contiguity built by :func:`queen_weights`; units without neighbours (islands) cannot be part of
a cluster and are always "ns" with a NaN p-value.
"""
from __future__ import annotations

import copy
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import esda
import numpy as np
from libpysal.weights import Queen

from geodata.errors import DataError

from ._checks import as_array, positions, probability

__all__ = ["LocalMoran", "GetisOrd", "PERMUTATIONS", "queen_weights", "local_moran", "getis_ord"]

PERMUTATIONS = 999
"""Default number of conditional permutations; the smallest attainable p-value is 1 / 1000."""

MORAN_CODES = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


@dataclass(frozen=True)
class LocalMoran:
    """Local Moran's I per unit, in the order of the weights' ``id_order``.

    Attributes
    ----------
    statistic : ndarray
        Local I_i (row-standardised weights).
    p : ndarray
        Pseudo p-value from conditional permutations, 0..1; NaN for islands.
    code : ndarray of str
        "HH" (high among high), "LL", "HL" (high among low), "LH", or "ns" (not significant).
    cutoff : float
        p-value at or below which a unit is significant: ``alpha``, or the FDR cut-off.
    fdr : bool
        Whether ``cutoff`` controls the false discovery rate.
    permutations : int
    """

    statistic: np.ndarray
    p: np.ndarray
    code: np.ndarray
    cutoff: float
    fdr: bool
    permutations: int


@dataclass(frozen=True)
class GetisOrd:
    """Getis-Ord Gi* per unit (the unit included in its own neighbourhood), in ``id_order``.

    Attributes
    ----------
    statistic : ndarray
        Gi*: share 0..1 of the total of ``y`` found in the unit and its neighbours (binary
        weights with the unit itself included, as in Getis and Ord 1992).
    z : ndarray
        Analytical z-score of Gi*; > 0 = more than expected (its sign sets hot or cold).
    p : ndarray
        Pseudo p-value, 0..1; NaN for islands.
    code : ndarray of str
        "hot", "cold" or "ns".
    cutoff, fdr, permutations
        As in :class:`LocalMoran`.
    """

    statistic: np.ndarray
    z: np.ndarray
    p: np.ndarray
    code: np.ndarray
    cutoff: float
    fdr: bool
    permutations: int


def queen_weights(gdf):
    """Queen-contiguity weights whose ids are the row positions 0..n-1 of ``gdf``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Unit polygons, in the order of the value arrays they will be used with.

    Returns
    -------
    libpysal.weights.W
        ``w.islands`` lists the positions of units without neighbours (libpysal's warning about
        them is silenced here; they are handled by :func:`local_moran` and :func:`getis_ord`).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)


def local_moran(y, w, *, seed: int, permutations: int = PERMUTATIONS, alpha: float = 0.05,
                fdr: bool = False) -> LocalMoran:
    """Local Moran's I clusters and outliers.

    Parameters
    ----------
    y : array_like, shape (n,)
        Values in ``w.id_order`` (smoothed rate per 100,000 or score 0..10); no NaN.
    w : libpysal.weights.W
        Spatial weights (not modified; a row-standardised copy is used).
    seed : int
        Seed of the permutations, passed in so results are reproducible. esda seeds NumPy's
        global generator; its previous state is restored afterwards.
    permutations : int, default 999
    alpha : float, default 0.05
        Significance level.
    fdr : bool, default False
        Control the false discovery rate across units (``esda.fdr``; Bonferroni when nothing
        passes) instead of testing each unit at ``alpha``.

    Returns
    -------
    LocalMoran

    Examples
    --------
    A 4 x 4 grid with a block of high values in one corner:

    >>> from libpysal.weights import lat2W
    >>> y = np.array([9, 9, 1, 1, 9, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], dtype=float)
    >>> lm = local_moran(y, lat2W(4, 4, rook=False), seed=12345)
    >>> lm.code[[0, 1, 15]].tolist()
    ['HH', 'HH', 'ns']
    """
    values, w, islands = _inputs(y, w)
    with _global_rng_kept():
        stat = esda.Moran_Local(values, w, transformation="r", permutations=permutations,
                                seed=seed, n_jobs=1, keep_simulations=False)
    p, cutoff = _significance(stat.p_sim, islands, alpha, fdr)
    quadrant = np.vectorize(MORAN_CODES.get, otypes=[object])(stat.q).astype(str)
    code = np.where(p <= cutoff, quadrant, "ns")
    return LocalMoran(statistic=np.asarray(stat.Is, dtype=float), p=p, code=code, cutoff=cutoff,
                      fdr=fdr, permutations=permutations)


def getis_ord(y, w, *, seed: int, permutations: int = PERMUTATIONS, alpha: float = 0.05,
              fdr: bool = False) -> GetisOrd:
    """Getis-Ord Gi* hot and cold spots.

    Parameters
    ----------
    y : array_like, shape (n,)
        Non-negative values in ``w.id_order``; no NaN.
    w, seed, permutations, alpha, fdr
        As in :func:`local_moran`.

    Returns
    -------
    GetisOrd

    Examples
    --------
    >>> from libpysal.weights import lat2W
    >>> y = np.array([9, 9, 1, 1, 9, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], dtype=float)
    >>> g = getis_ord(y, lat2W(4, 4, rook=False), seed=12345)
    >>> g.code[[0, 1, 4, 15]].tolist()
    ['hot', 'hot', 'hot', 'cold']
    """
    values, w, islands = _inputs(y, w)
    if (values < 0).any():
        raise DataError("model.negative", "{name} must be finite and >= 0; bad at positions {positions}",
                        name="y", positions=positions(values < 0))
    with _global_rng_kept():
        stat = esda.G_Local(values, w, transform="B", permutations=permutations, star=True,
                            seed=seed, n_jobs=1, keep_simulations=False)
    p, cutoff = _significance(stat.p_sim, islands, alpha, fdr)
    z = np.asarray(stat.Zs, dtype=float)
    code = np.where(p <= cutoff, np.where(z > 0, "hot", "cold"), "ns")
    return GetisOrd(statistic=np.asarray(stat.Gs, dtype=float), z=z, p=p, code=code, cutoff=cutoff,
                    fdr=fdr, permutations=permutations)


def _inputs(y, w):
    values = as_array(y, "y")
    if values.size != w.n:
        raise DataError("model.weights_length", "y has {n} values but the weights have {units} units",
                        n=values.size, units=w.n)
    if not np.isfinite(values).all():
        raise DataError("model.missing_values", "y has missing values at positions {positions}; "
                        "smooth or drop them first", positions=positions(~np.isfinite(values)))
    position = {unit: i for i, unit in enumerate(w.id_order)}
    islands = np.zeros(values.size, dtype=bool)
    islands[[position[u] for u in w.islands]] = True
    return values, copy.deepcopy(w), islands


def _significance(p_sim, islands, alpha, fdr):
    p = np.where(islands, np.nan, np.asarray(p_sim, dtype=float))
    alpha = probability(alpha, "alpha")
    cutoff = float(esda.fdr(p[~islands], alpha)) if fdr and (~islands).any() else alpha
    return p, cutoff


@contextmanager
def _global_rng_kept():
    """esda calls ``np.random.seed``; put NumPy's global generator back as it was.

    Also silences libpysal's "not fully connected" warning: islands are handled by the caller.
    """
    state = np.random.get_state()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The weights matrix is not fully connected")
            yield
    finally:
        np.random.set_state(state)
