"""Empirical Bayes smoothing of small-area rates and survey shares.

A district with 3,000 people and one homicide has a crude rate of 33 per 100,000 and an interval
from 1 to 186: noise, not a hotspot. Empirical Bayes pulls each crude rate towards a reference
rate (national for :func:`eb_global`, the unit and its queen neighbours for :func:`eb_spatial`)
in proportion to how little data it rests on. Raw and smoothed values are both kept.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse, special, stats

from geodata.errors import DataError

from ._checks import as_array, non_negative, positions, positive, probability, same_length
from .rates import poisson_interval

__all__ = ["RateEstimate", "ShareEstimate", "eb_global", "eb_spatial", "beta_binomial_shrink",
           "neighbour_lists", "reference_sets"]


@dataclass(frozen=True)
class RateEstimate:
    """Per-unit rates per ``per`` person-years, in input order.

    Attributes
    ----------
    raw : ndarray
        events / exposure * per; NaN where exposure is 0 or an input is missing.
    smoothed : ndarray
        Empirical Bayes posterior mean, same unit.
    lower, upper : ndarray
        Interval at ``level`` around ``smoothed``, same unit (see Notes of :func:`eb_global`);
        all NaN when ``level`` is None.
    weight : ndarray
        Shrinkage weight on the raw rate, 0..1 (0 = fully pooled).
    shape, rate : ndarray
        Gamma(shape, rate) posterior of the rate per person-year (``rate`` in person-years):
        ``smoothed == shape / rate * per``. Redraw with
        ``uncertainty.redraw_counts(0, 0, prior_shape=shape, prior_rate=rate, ...)``.
    method : str
        "eb_global" or "eb_spatial".
    per : float
        Rate multiplier (100,000 = per 100,000 population per year).
    level : float or None
        Coverage of the interval, 0..1; None when no interval was computed.
    """

    raw: np.ndarray
    smoothed: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    weight: np.ndarray
    shape: np.ndarray
    rate: np.ndarray
    method: str
    per: float
    level: float | None


@dataclass(frozen=True)
class ShareEstimate:
    """Beta-binomial shrunk survey shares in percent 0..100, in input order.

    Attributes
    ----------
    raw, smoothed, lower, upper : ndarray
        Crude share, posterior mean and its equal-tailed interval at ``level``, percent 0..100.
    weight : ndarray
        Shrinkage weight on the raw share, 0..1.
    alpha, beta : ndarray
        Beta(alpha, beta) posterior of the proportion (0..1).
    method : str
        "beta_binomial".
    level : float
        Coverage of the interval, 0..1.
    """

    raw: np.ndarray
    smoothed: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    weight: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    method: str
    level: float


def eb_global(events, exposure, *, per: float = 100_000, level: float = 0.95) -> RateEstimate:
    """Global Poisson-Gamma Empirical Bayes rates (Marshall 1991, as in GeoDa), variance clipped.

    Parameters
    ----------
    events : array_like, shape (n,)
        Event counts over the pooling window, >= 0; NaN = missing.
    exposure : array_like, shape (n,)
        Person-years over the same window, >= 0; NaN = missing.
    per : float, default 100,000
        Rate multiplier.
    level : float, default 0.95
        Interval coverage.

    Returns
    -------
    RateEstimate
        ``method == "eb_global"``.

    Notes
    -----
    Over the units with positive exposure, with crude rates ``r_i = e_i / n_i``:
    ``b = sum(e) / sum(n)``; ``s2 = sum(n_i (r_i - b)^2) / sum(n)``;
    ``a = max(s2 - b / mean(n), 0)``; ``w_i = a / (a + b / n_i)``;
    ``smoothed_i = w_i r_i + (1 - w_i) b``.

    esda's ``Empirical_Bayes`` does not clip ``a``; on under-dispersed data its weights leave
    0..1 and rates can turn negative. Here ``a`` is clipped at 0.

    When ``a > 0`` the prior is Gamma(b^2 / a, b / a) (mean b, variance a); the posterior is
    Gamma(b^2 / a + e_i, b / a + n_i), whose mean is exactly ``smoothed_i``, and the interval
    is its equal-tailed quantiles. When ``a == 0`` the data show no variation beyond Poisson
    noise: every unit gets ``b`` with weight 0, and the interval is the exact Poisson (Garwood)
    interval of the pooled rate ``sum(e) / sum(n)``, so it reflects the uncertainty in ``b``
    instead of collapsing to a point; ``shape, rate = sum(e), sum(n)``.

    Units with zero exposure get the prior (weight 0, smoothed = b); units with a missing
    input get NaN throughout and do not enter the moments.

    Examples
    --------
    Three districts of 10,000 people with 0, 4 and 8 events: b = 12 / 30,000 = 4e-4 (40 per
    100,000); s2 = 10,000 (2 * 0.0004^2) / 30,000 = 32e-8 / 3; a = 32e-8 / 3 - 4e-4 / 10,000
    = 20e-8 / 3; w = (20e-8 / 3) / (20e-8 / 3 + 12e-8 / 3) = 0.625; smoothed = 0.625 r + 0.375 * 40.

    >>> est = eb_global([0, 4, 8], [10_000, 10_000, 10_000])
    >>> est.raw.tolist(), est.smoothed.round(6).tolist(), est.weight.round(6).tolist()
    ([0.0, 40.0, 80.0], [15.0, 40.0, 65.0], [0.625, 0.625, 0.625])
    """
    events, exposure, valid = _rate_inputs(events, exposure)
    if not valid.any():
        raise DataError("model.no_exposure", "no unit has both events and a positive exposure")
    return _eb_rates(events, exposure, valid, None, per=positive(per, "per"),
                     level=probability(level, "level"), method="eb_global")


def eb_spatial(events, exposure, neighbours, *, per: float = 100_000,
               level: float | None = 0.95) -> RateEstimate:
    """Spatial Empirical Bayes: each unit shrinks towards itself plus its neighbours.

    Parameters
    ----------
    events, exposure : array_like, shape (n,)
        As in :func:`eb_global`.
    neighbours : sequence of int arrays, libpysal W, or scipy sparse matrix
        ``neighbours[i]`` are the 0-based positions of unit i's neighbours (queen contiguity).
        A libpysal ``W`` is converted with :func:`neighbour_lists` (its ``id_order`` must match
        the order of ``events``). A sparse matrix is taken as :func:`reference_sets` of them,
        computed once for several indicators of the same units.
    per : float
        As in :func:`eb_global`.
    level : float or None
        As in :func:`eb_global`; None skips the intervals (``lower``/``upper`` NaN), for callers
        that need only the smoothed rates (the Gamma quantiles are most of the cost).

    Returns
    -------
    RateEstimate
        ``method == "eb_spatial"``.

    Notes
    -----
    The formulas of :func:`eb_global` applied, for each unit, to the reference set of the unit
    and its neighbours (GeoDa's spatial EB), with the local ``a`` clipped at 0. Islands (units
    without neighbours) and units whose reference set holds fewer than two units with exposure
    use the global ``b`` and ``a`` instead.

    Examples
    --------
    A chain of four districts of 10,000 people with 1, 2, 1 and 9 events. District 0 uses
    {0, 1}: b = 15 per 100,000 and s2 = 0.25e-8 < b / n = 1.5e-8, so a = 0 and it gets 15.
    District 3 uses {2, 3}: b = 5e-4, s2 = 16e-8, a = 16e-8 - 5e-8 = 11e-8,
    w = 11 / (11 + 5) = 0.6875, smoothed = 0.6875 * 90 + 0.3125 * 50 = 77.5.

    >>> est = eb_spatial([1, 2, 1, 9], [10_000] * 4, [[1], [0, 2], [1, 3], [2]])
    >>> est.smoothed.round(1).tolist(), est.weight.round(4).tolist()
    ([15.0, 13.3, 19.5, 77.5], [0.0, 0.0, 0.6842, 0.6875])
    """
    events, exposure, valid = _rate_inputs(events, exposure)
    if not valid.any():
        raise DataError("model.no_exposure", "no unit has both events and a positive exposure")
    if sparse.issparse(neighbours):
        reference = neighbours
        if reference.shape != (events.size, events.size):
            raise DataError("model.neighbours_length", "neighbours has {got} entries for {n} units",
                            got=reference.shape[0], n=events.size)
    else:
        if hasattr(neighbours, "id_order"):
            neighbours = neighbour_lists(neighbours)
        reference = reference_sets(neighbours, events.size)
    return _eb_rates(events, exposure, valid, reference, per=positive(per, "per"),
                     level=None if level is None else probability(level, "level"), method="eb_spatial")


def beta_binomial_shrink(cases, n, *, level: float = 0.95) -> ShareEstimate:
    """Shrink survey shares towards the pooled share with a method-of-moments Beta prior.

    Parameters
    ----------
    cases : array_like, shape (m,)
        Respondents with the attribute, 0 <= cases <= n (weighted: share * n).
    n : array_like, shape (m,)
        Respondents (or effective sample size), >= 0.
    level : float, default 0.95
        Interval coverage.

    Returns
    -------
    ShareEstimate
        Percent 0..100.

    Notes
    -----
    With ``p_i = x_i / n_i``: ``mu = sum(x) / sum(n)``; ``s2 = sum(n_i (p_i - mu)^2) / sum(n)``;
    ``tau2 = max(s2 - mu (1 - mu) / mean(n), 0)``. If ``tau2 > 0`` the prior is Beta with mean
    ``mu`` and variance ``tau2``: ``M = mu (1 - mu) / tau2 - 1``, prior Beta(mu M, (1 - mu) M),
    posterior Beta(mu M + x_i, (1 - mu) M + n_i - x_i), weight ``n_i / (n_i + M)``. If
    ``tau2 == 0`` every unit gets ``mu`` with weight 0 and the Jeffreys interval of the pooled
    share, Beta(sum(x) + 1/2, sum(n) - sum(x) + 1/2).

    Examples
    --------
    Shares of 10%, 30% and 50% among 100 respondents each: mu = 0.3, s2 = 0.08 / 3,
    tau2 = 0.08 / 3 - 0.21 / 100 = 0.024567, M = 7.548, weight = 100 / 107.548 = 0.93.

    >>> s = beta_binomial_shrink([10, 30, 50], [100, 100, 100])
    >>> s.smoothed.round(1).tolist(), s.weight.round(2).tolist()
    ([11.4, 30.0, 48.6], [0.93, 0.93, 0.93])
    """
    cases = non_negative(as_array(cases, "cases"), "cases")
    n = non_negative(as_array(n, "n"), "n")
    same_length(cases=cases, n=n)
    level = probability(level, "level")
    if (cases > n).any():
        raise DataError("model.cases_above_n", "cases exceed n at positions {positions}",
                        positions=positions(cases > n))
    missing = np.isnan(cases) | np.isnan(n)
    valid = ~missing & (n > 0)
    if not valid.any():
        raise DataError("model.no_respondents", "no unit has respondents")
    x, m = cases[valid], n[valid]
    mu = x.sum() / m.sum()
    s2 = np.sum(m * (x / m - mu) ** 2) / m.sum()
    tau2 = max(s2 - mu * (1 - mu) / m.mean(), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(valid, cases / n, np.nan)
    if tau2 > 0:
        size = mu * (1 - mu) / tau2 - 1
        n_used = np.where(valid, n, 0.0)
        alpha = mu * size + np.where(valid, cases, 0.0)
        beta = (1 - mu) * size + n_used - np.where(valid, cases, 0.0)
        smoothed, weight = alpha / (alpha + beta), n_used / (n_used + size)
    else:
        alpha = np.full(n.size, x.sum() + 0.5)
        beta = np.full(n.size, m.sum() - x.sum() + 0.5)
        smoothed, weight = np.full(n.size, mu), np.zeros(n.size)
    tail = (1 - level) / 2
    lower, upper = stats.beta.ppf(tail, alpha, beta), stats.beta.ppf(1 - tail, alpha, beta)
    nan = lambda v: np.where(missing, np.nan, v)  # noqa: E731
    return ShareEstimate(raw=100 * raw, smoothed=nan(100 * smoothed), lower=nan(100 * lower),
                         upper=nan(100 * upper), weight=nan(weight), alpha=nan(alpha), beta=nan(beta),
                         method="beta_binomial", level=level)


def neighbour_lists(w) -> list[np.ndarray]:
    """Positions of each unit's neighbours from a libpysal ``W``, in ``w.id_order``.

    Examples
    --------
    >>> from libpysal.weights import W
    >>> [a.tolist() for a in neighbour_lists(W({"a": ["b"], "b": ["a", "c"], "c": ["b"], "d": []},
    ...                                          silence_warnings=True))]
    [[1], [0, 2], [1], []]
    """
    position = {unit: i for i, unit in enumerate(w.id_order)}
    return [np.array([position[j] for j in w.neighbors[unit]], dtype=int) for unit in w.id_order]


def _rate_inputs(events, exposure):
    events = non_negative(as_array(events, "events"), "events")
    exposure = non_negative(as_array(exposure, "exposure"), "exposure")
    same_length(events=events, exposure=exposure)
    valid = ~np.isnan(events) & ~np.isnan(exposure) & (exposure > 0)
    return events, exposure, valid


def reference_sets(neighbours, n: int) -> sparse.csr_array:
    """Binary (n, n) matrix: row i marks unit i and its neighbours; islands get an empty row.

    ``neighbours[i]`` are the 0-based positions of unit i's neighbours (as for
    :func:`eb_spatial`, which accepts the result in their place).

    >>> reference_sets([[1], [0, 2], [1], []], 4).toarray().astype(int).tolist()
    [[1, 1, 0, 0], [1, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]]
    """
    if len(neighbours) != n:
        raise DataError("model.neighbours_length", "neighbours has {got} entries for {n} units",
                        got=len(neighbours), n=n)
    lists = [np.asarray(nb, dtype=int).ravel() for nb in neighbours]
    rows = np.repeat(np.arange(n), [nb.size for nb in lists])
    cols = np.concatenate(lists) if lists else np.zeros(0, dtype=int)
    bad = (cols < 0) | (cols >= n)
    if bad.any():
        raise DataError("model.neighbours_index",
                        "neighbours of unit {unit} must be positions 0..{last}", unit=int(rows[bad][0]),
                        last=n - 1)
    rows, cols = rows[cols != rows], cols[cols != rows]
    connected = np.unique(rows)
    ref = sparse.csr_array((np.ones(rows.size + connected.size),
                            (np.r_[rows, connected], np.r_[cols, connected])), shape=(n, n))
    ref.data[:] = 1.0  # duplicates were summed; keep the matrix binary
    return ref


def _eb_rates(events, exposure, valid, reference, *, per, level, method) -> RateEstimate:
    """Marshall EB where row i of ``reference`` marks unit i's reference set (None = all units)."""
    e = np.where(valid, events, 0.0)
    n = np.where(valid, exposure, 0.0)
    r = np.divide(e, n, out=np.zeros_like(e), where=valid)
    sums = np.column_stack([e, n, valid.astype(float), n * r**2])
    ref_sums = np.broadcast_to(sums.sum(axis=0), sums.shape) if reference is None else reference @ sums
    ref_e, ref_n, count, ref_nr2 = ref_sums.T
    local = count >= 2  # a variance needs two units with exposure; else use the global prior
    g_e, g_n, g_count, g_nr2 = sums.sum(axis=0)
    ref_e, ref_n = np.where(local, ref_e, g_e), np.where(local, ref_n, g_n)
    count, ref_nr2 = np.where(local, count, g_count), np.where(local, ref_nr2, g_nr2)
    b = ref_e / ref_n
    s2 = np.maximum((ref_nr2 - 2 * b * ref_e + b**2 * ref_n) / ref_n, 0.0)
    a = np.maximum(s2 - b / (ref_n / count), 0.0)
    shrink = a > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        shape = np.where(shrink, b**2 / a + e, ref_e)
        rate = np.where(shrink, b / a + n, ref_n)
        weight = np.where(shrink, a * n / (a * n + b), 0.0)
    lower, upper = np.full_like(b, np.nan), np.full_like(b, np.nan)
    if level is not None:
        tail = (1 - level) / 2
        if shrink.any():  # quantiles of the Gamma(shape, rate) posterior
            s, rt = shape[shrink], rate[shrink]
            lower[shrink] = special.gammaincinv(s, tail) / rt * per
            upper[shrink] = special.gammaincinv(s, 1 - tail) / rt * per
        if (~shrink).any():  # no shrinkage: exact Poisson interval of the pooled rate
            pooled = poisson_interval(ref_e[~shrink], ref_n[~shrink], per=per, level=level)
            lower[~shrink], upper[~shrink] = pooled.lower, pooled.upper
    missing = np.isnan(events) | np.isnan(exposure)
    nan = lambda v: np.where(missing, np.nan, v)  # noqa: E731
    return RateEstimate(raw=np.where(valid, r * per, np.nan), smoothed=nan(shape / rate * per),
                        lower=nan(lower), upper=nan(upper), weight=nan(weight), shape=nan(shape),
                        rate=nan(rate), method=method, per=per, level=level)
