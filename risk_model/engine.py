"""The model's named steps over a leading draws axis: one engine for the scores and their bands.

Steps (COINr style): ``estimate`` (pool and shrink each indicator, :mod:`risk_model.estimates`),
``smooth`` (the value scored: the smoothed estimate, or posterior draws of it), ``treat`` (cap at
the goalposts, log where skewed), ``scale`` (goalposts to 0..10), ``aggregate`` (indicators ->
dimensions -> composite) and ``rank``. Every step below ``estimate`` takes arrays whose first axis
is the draw: the nominal model is one draw of the nominal values, the Monte Carlo is the same
functions over ``draws`` rows. A draw without perturbation therefore reproduces the nominal
scores exactly (tested), and no step rescales or clips per draw.

:func:`reaggregate` is the cheap end of the chain: dimension-level draws (cached per data
version, year and level by the dashboard) + dimension weights + aggregation -> composite, ranks,
bands and P(top N), in a few milliseconds for 262 units x 1,000 draws.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geodata.errors import DataError

from .estimates import IndicatorEstimate, posterior_variance
from .normalise import Goalposts
from .uncertainty import RankUncertainty, perturb_weights, rank_uncertainty, redraw_counts, min_max_ranks, redraw_shares

__all__ = ["STEPS", "IndicatorPlan", "DimensionDraws", "Reaggregated", "signal_to_noise", "smooth", "treat",
           "scale", "aggregate_dimensions", "composite", "nominal_rank", "reaggregate"]

STEPS = ("estimate", "smooth", "treat", "scale", "aggregate", "rank")


@dataclass(frozen=True)
class IndicatorPlan:
    """How one indicator is scored: its spec, dimension weight share, goalposts and signal.

    ``snr`` is the between-unit variance of the smoothed values over their mean posterior
    variance (inf for values without sampling error); ``scored`` is False when ``snr`` is below
    the spec's threshold (the indicator is then left out of the composite and said so).
    """

    id: str
    dimension: str
    weight: float
    goalposts: Goalposts
    snr: float
    scored: bool


def signal_to_noise(est: IndicatorEstimate) -> float:
    """Between-unit variance of the smoothed values / mean posterior variance of the units with
    a posterior (0 for a constant indicator, inf when no unit has sampling error; nan without
    two values).

    A value shared by the units of a coarse unit counts once per coarse unit (``group``).

    >>> e = IndicatorEstimate("x", "l", "l", (2023,), *([np.array([1.0, 3.0])] * 3), np.array([1.0, 3.0]),
    ...                       *([np.array([1.0, 3.0])] * 3), "beta", np.array([1.0, 1.0]),
    ...                       np.array([3.0, 3.0]), 1.0, np.array([False, False]))
    >>> signal_to_noise(e)   # variance of (1, 3) = 1; posterior variance 375 each
    0.0026666666666666666
    """
    value = np.asarray(est.smoothed, float)
    var = posterior_variance(est)
    keep = ~np.isnan(value)
    if est.group is not None:  # one value per measured (coarse) unit
        _, first = np.unique(np.where(keep, est.group, -1), return_index=True)
        keep = np.zeros(value.size, bool)
        keep[first] = True
        keep &= ~np.isnan(value)
    if keep.sum() < 2:
        return float("nan")
    between = float(np.var(value[keep]))
    noise = var[keep][var[keep] > 0]
    if between == 0 or noise.size == 0:
        return 0.0 if between == 0 else float("inf")
    return between / float(noise.mean())


def smooth(est: IndicatorEstimate, smoothing: str, *, draws: int = 0, rng=None) -> np.ndarray:
    """The ``smooth`` step: the value scored, shape (max(draws, 1), n_units).

    ``draws == 0``: the nominal value (raw, globally or spatially smoothed) as one row.
    Otherwise posterior draws of it, each measured unit drawn once and shared by the units of a
    coarse unit (``est.group``); units without a posterior (census values, published rates,
    flagged zeros, ``smoothing="raw"``) keep their nominal value in every draw.
    """
    base = est.value(smoothing)
    if draws == 0:
        return base[None, :].astype(float)
    out = np.broadcast_to(base, (draws, base.size)).astype(float)
    if smoothing == "raw" or est.posterior == "fixed":
        return out
    group = est.group if est.group is not None else np.arange(base.size)
    ok = (np.asarray(est.p1) > 0) & (np.asarray(est.p2) > 0) & (group >= 0)
    if not ok.any():
        return out
    groups, first, inverse = np.unique(group[ok], return_index=True, return_inverse=True)
    rows = np.flatnonzero(ok)[first]
    a, b = np.asarray(est.p1, float)[rows], np.asarray(est.p2, float)[rows]
    if est.posterior == "gamma":
        d = redraw_counts(0, 0, prior_shape=a, prior_rate=b, per=est.per, seed=rng, draws=draws)
    else:
        d = redraw_shares(0, 0, prior_alpha=a, prior_beta=b, seed=rng, draws=draws)
    out[:, ok] = d[:, inverse]
    return out


def treat(values: np.ndarray, goalposts: Goalposts) -> np.ndarray:
    """The ``treat`` step: cap at the goalposts, then log(1 + x) where the spec says (any shape)."""
    return goalposts.transform(values)


def scale(treated: np.ndarray, goalposts: Goalposts) -> np.ndarray:
    """The ``scale`` step: treated values to 0..10 on the goalposts (any shape)."""
    return goalposts.scale(treated)


def _weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """NaN-aware weighted arithmetic mean over the last axis, the weights renormalised over the
    components present (as :func:`risk_model.aggregate.aggregate`). The same code for one draw
    or many, so a draw equal to the nominal values gives the nominal result to the last bit."""
    present = ~np.isnan(x)
    ww = np.where(present, w, 0.0)
    total = ww.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (ww * np.where(present, x, 0.0)).sum(axis=-1) / total
    return np.where(total > 0, mean, np.nan)


def aggregate_dimensions(scores: dict, plans: list[IndicatorPlan], dimensions: tuple) -> np.ndarray:
    """The ``aggregate`` step, indicators -> dimensions: weighted arithmetic mean of the scored
    indicators of each dimension, shape (draws, n_units, n_dimensions); NaN where a unit has no
    scored indicator of a dimension (missing stays missing)."""
    first = next(iter(scores.values()))
    out = np.full((*first.shape, len(dimensions)), np.nan)
    for k, d in enumerate(dimensions):
        members = [p for p in plans if p.dimension == d and p.scored]
        if members:
            x = np.stack([scores[p.id] for p in members], axis=-1)
            out[..., k] = _weighted_mean(x, np.array([p.weight for p in members]))
    return out


def _combine(x0: np.ndarray, present: np.ndarray, weights: np.ndarray, geometric: bool) -> np.ndarray:
    """Weighted mean over the first axis of (k, draws, n) arrays: ``x0`` the values (0 where
    missing; log(1 + x) for the geometric mean), ``present`` 1.0 / 0.0 (None: all present),
    ``weights`` (draws, k).
    One fused pass per dimension, in dimension order, for one draw or many alike."""
    acc = x0[0] * weights[:, 0, None]
    for k in range(1, x0.shape[0]):
        acc += x0[k] * weights[:, k, None]
    if present is None:  # every unit has every dimension
        total = weights.sum(axis=1)[:, None]
    else:
        total = present[0] * weights[:, 0, None]
        for k in range(1, x0.shape[0]):
            total += present[k] * weights[:, k, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = acc / total
    return np.where(total > 0, np.expm1(mean) if geometric else mean, np.nan)


def composite(dims: np.ndarray, weights, aggregation: str) -> np.ndarray:
    """The ``aggregate`` step, dimensions -> composite 0..10, shape (draws, n_units).

    ``dims`` (draws, n_units, k); ``weights`` (k,) or (draws, k), >= 0. A unit's missing
    dimensions are left out and the weights of the others renormalised; NaN where none is left.
    Arithmetic: ``sum(W D) / sum(W)``; geometric: ``exp(sum(W log(D + 1)) / sum(W)) - 1``.
    """
    return DimensionDraws(("",) * dims.shape[-1], dims[0], dims).combine(weights, aggregation)


@dataclass(frozen=True)
class DimensionDraws:
    """Dimension scores 0..10 of every unit: nominal (n_units, k) and Monte Carlo draws
    (draws, n_units, k), the input of :func:`reaggregate`. ``seed`` seeds the weight draws.
    The draws are also kept per dimension, with missing values zeroed, their presence and
    log(1 + x), so that re-aggregating costs a few fused passes (never mutate the arrays)."""

    dimensions: tuple
    nominal: np.ndarray
    draws: np.ndarray | None
    seed: int = 0

    def __post_init__(self):
        for name, x in (("_nominal", self.nominal[None]), ("_draws", self.draws)):
            if x is None:
                object.__setattr__(self, name, None)
                continue
            by_dim = np.ascontiguousarray(np.moveaxis(x, -1, 0))
            missing = np.isnan(by_dim)
            present = (~missing).astype(float) if missing.any() else None
            x0 = np.nan_to_num(by_dim, nan=0.0)
            object.__setattr__(self, name, (x0, np.log1p(x0), present))

    def combine(self, weights, aggregation: str, *, nominal: bool = False) -> np.ndarray:
        """Composite (draws, n_units) of the draws, or (1, n_units) of the nominal scores."""
        x0, logx, present = self._nominal if nominal else self._draws
        w = np.asarray(weights, float)
        w = np.broadcast_to(w, (x0.shape[1], w.size)) if w.ndim == 1 else w
        geometric = aggregation == "geometric"
        return _combine(logx if geometric else x0, present, w, geometric)


@dataclass(frozen=True)
class Reaggregated:
    """Composite scores (0..10, NaN = no data), shown rank (1 = highest, ties share the best
    place, NaN = no score) and the rank band of :func:`reaggregate`, in unit order."""

    score: np.ndarray
    rank: np.ndarray
    uncertainty: RankUncertainty | None
    draw_scores: np.ndarray | None


def nominal_rank(score: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score; ties share the best place (1, 2, 2, 4); NaN scores get NaN."""
    s = np.asarray(score, float)
    ok = ~np.isnan(s)
    out = np.full(s.size, np.nan)
    out[ok] = min_max_ranks(s[ok])[0]
    return out


def reaggregate(dims: DimensionDraws, weights, aggregation: str = "geometric", *, top_n: int = 10,
                concentration: float | None = 100.0) -> Reaggregated:
    """Dimension draws + weights + aggregation -> composite, ranks, bands and P(top N).

    Parameters
    ----------
    dims : DimensionDraws
        From the cached Monte Carlo (``draws`` may be None: no band).
    weights : array_like, shape (k,)
        Nominal dimension weights in ``dims.dimensions`` order, >= 0 (0 = dimension off).
    aggregation : {"geometric", "arithmetic"}
    top_n : int
        N of P(top N); capped at the number of scored units.
    concentration : float or None, default 100
        Dirichlet concentration of the weight draws (:func:`risk_model.uncertainty.perturb_weights`,
        seeded with ``dims.seed``); None keeps the nominal weights in every draw.

    Returns
    -------
    Reaggregated
        The band is the 5-95% range of the draws' ranks, widened to hold the shown rank where it
        falls outside (``uncertainty.outside`` counts such units before widening).
    """
    w = np.asarray(weights, float)
    if w.shape != (len(dims.dimensions),) or (w < 0).any() or not (w > 0).any():
        raise DataError("model.no_weight", "every dimension has weight 0: give at least one dimension a weight")
    score = dims.combine(w, aggregation, nominal=True)[0]
    rank = nominal_rank(score)
    scored = ~np.isnan(score)
    if dims.draws is None or scored.sum() < 2:
        return Reaggregated(score, rank, None, None)
    n_draws = dims.draws.shape[0]
    if concentration is None:
        wd = np.broadcast_to(w, (n_draws, w.size))
    else:
        wd = np.zeros((n_draws, w.size))
        pos = w > 0
        wd[:, pos] = perturb_weights(w[pos], seed=np.random.default_rng([dims.seed, 1]), draws=n_draws,
                                     concentration=concentration)
    draw_scores = dims.combine(wd, aggregation)
    if not scored.all():
        draw_scores = draw_scores[:, scored]
    unc = rank_uncertainty(draw_scores, top_n=min(top_n, int(scored.sum())),
                           shown=rank[scored])
    return Reaggregated(score, rank, unc, draw_scores)
