"""The model as named steps: ``run_model(data, spec, year) -> ModelResult``.

Steps (COINr style, each kept under its name in ``result.steps``): ``rates`` (raw values),
``smoothed`` (the scored values), ``treated``, ``normalised`` (0..10), ``dimensions``,
``composite``, ``classes``. Rank uncertainty reruns the scoring on Monte Carlo draws of the data
(posterior redraws), of the weights (Dirichlet) and of the aggregation (geometric or arithmetic).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geodata.errors import DataError
from geodata.names import CLASS_CODES

from .aggregate import aggregate
from .classify import Classification, classify
from .estimates import IndicatorEstimate, ModelData, estimate_indicator
from .normalise import CONSTANT_SCORE, minmax
from .reliability import reliability
from .spec import Spec
from .treatment import treat
from .uncertainty import RankUncertainty, perturb_weights, rank_uncertainty, redraw_counts, redraw_shares

__all__ = ["ModelResult", "run_model", "model_data"]



@dataclass(frozen=True)
class ModelResult:
    """Everything a page shows for one spec, year and level.

    ``table`` has one row per unit: code, name, department, one column per dimension (0..10),
    score (0..10, 10 = highest risk), class (0..4), class_code, rank (1 = highest score),
    rank_p05, rank_median, rank_p95, p_top (0..1), reliability (0..10), indicators_present.
    ``country`` is the data's country; ``catalogue`` the catalogue entries of the scored
    indicators (so a result says what it scored, e.g. for ``risk_model.regional``).
    """

    spec: Spec
    year: int
    level: str
    table: pd.DataFrame
    steps: dict
    estimates: dict
    classification: Classification
    uncertainty: RankUncertainty | None
    notes: tuple
    country: str = ""
    catalogue: dict = field(default_factory=dict)


def model_data(tables) -> ModelData:
    """ModelData from ``geodata.country_data.Tables``: drops geometry, adds queen neighbours per level."""
    from .hotspots import queen_weights
    from .smoothing import neighbour_lists

    units, weights, neighbours = {}, {}, {}
    for level, gdf in tables.units.items():
        weights[level] = queen_weights(gdf)
        neighbours[level] = neighbour_lists(weights[level])
        units[level] = pd.DataFrame(gdf.drop(columns="geometry"))
    return ModelData(country=tables.country, finest=next(iter(tables.units)), units=units, weights=weights,
                     neighbours=neighbours,
                     observations=tables.observations, population=tables.population,
                     catalogue=tables.catalogue)


def _scale(values: np.ndarray, ispec, direction: int):
    """Treat and normalise one indicator; returns treated values and the 0..10 scaling."""
    t = treat(values, log=ispec.log, winsorise=ispec.winsorise)
    bounds = None
    if ispec.bounds:
        lo, hi = ispec.bounds
        bounds = (np.log1p(lo), np.log1p(hi)) if ispec.log else (lo, hi)
    return t, minmax(t.values, direction=direction, bounds=bounds)


def _draw_values(est: IndicatorEstimate, smoothing: str, rng, draws: int) -> np.ndarray:
    """Monte Carlo draws (draws x units) of an indicator's scored value."""
    base = est.value(smoothing)
    if est.posterior == "gamma" and smoothing != "raw":
        ok = est.p1 > 0
        d = redraw_counts(0, 0, prior_shape=np.where(ok, est.p1, 1.0), prior_rate=np.nan_to_num(est.p2),
                          per=est.per, seed=rng, draws=draws)
        return np.where(ok, d, base)
    if est.posterior == "beta" and smoothing != "raw":
        ok = (est.p1 > 0) & (est.p2 > 0)
        d = redraw_shares(0, 0, prior_alpha=np.where(ok, est.p1, 1.0), prior_beta=np.where(ok, est.p2, 1.0),
                          seed=rng, draws=draws)
        return np.where(ok, d, base)
    return np.broadcast_to(base, (draws, base.size))


def _scale_draws(draws: np.ndarray, ispec, treated, norm) -> np.ndarray:
    """Apply the nominal transform and scaling to draws (draws x units). Draws are clipped into
    the nominal range, which also applies the nominal winsorising caps."""
    x = np.log1p(draws) if ispec.log else draws
    if norm.upper == norm.lower:
        return np.where(np.isnan(x), np.nan, CONSTANT_SCORE)
    x = np.clip(x, norm.lower, norm.upper)
    s = 10 * (x - norm.lower) / (norm.upper - norm.lower)
    return s if norm.direction == 1 else 10 - s


def _weighted_mean(x: np.ndarray, w: np.ndarray, geometric: np.ndarray | bool = False) -> np.ndarray:
    """NaN-aware weighted mean over the last axis; ``w`` broadcasts against ``x``.
    Geometric rows use exp(mean log(x + 1)) - 1, as :func:`risk_model.aggregate.aggregate`."""
    present = ~np.isnan(x)
    ww = np.where(present, w, 0.0)
    total = ww.sum(axis=-1)
    xa = np.where(present, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        arith = (ww * xa).sum(axis=-1) / total
        geo = np.expm1((ww * np.log1p(xa)).sum(axis=-1) / total)
    return np.where(total > 0, np.where(geometric, geo, arith), np.nan)


def _respondents(columns: list) -> np.ndarray | None:
    """Respondents behind a unit's survey indicators: the largest count among them (the same
    people answer several items, so counts are not added); NaN where no one was surveyed."""
    if not columns:
        return None
    most = np.nan_to_num(np.column_stack(columns), nan=0.0).max(axis=1)
    return np.where(most > 0, most, np.nan)


def run_model(data: ModelData, spec: Spec, year: int, *, level: str | None = None, draws: int | None = None,
              seed: int | None = None) -> ModelResult:
    """Score every unit of ``level`` for ``year`` with ``spec``; deterministic given the seed.

    Parameters
    ----------
    data : ModelData
    spec : Spec
    year : int
        Model year Y; counts are pooled over Y-window+1..Y.
    level : str, optional
        A level of ``data.units`` (El Salvador: "district", "municipio_2024", "department";
        Guatemala and Honduras: "municipio", "department"); default the finest.
        Counts and survey answers are re-pooled at that level before scoring.
    draws, seed : int, optional
        Monte Carlo draws (0 = none) and seed; default from the spec.
    """
    draws = spec.draws if draws is None else int(draws)
    seed = spec.seed if seed is None else int(seed)
    level = level or data.finest
    if level not in data.units:
        raise DataError("model.unknown_level", "unknown level {level!r}; one of {valid}",
                        level=level, valid=", ".join(data.units))
    dims = spec.dimensions
    if not dims or sum(spec.weight(d) for d in dims) <= 0:
        raise DataError("model.no_weight", "every dimension has weight 0: give at least one dimension a weight")
    units = data.units[level]
    inds = [i for i in spec.active_indicators() if i.id in data.catalogue]
    notes = [f"{i.id}: not in the catalogue, left out" for i in spec.active_indicators() if i.id not in data.catalogue]
    estimates, raw, smoothed, treated, normalised, scalers = {}, {}, {}, {}, {}, {}
    for ispec in inds:
        est = estimate_indicator(data, ispec.id, year=year, window=spec.window, level=level,
                                 fill=ispec.fill_missing or None, pool=ispec.pool_level or None)
        if not est.years:
            notes.append(f"{ispec.id}: no data up to {year}")
            continue
        estimates[ispec.id] = est
        value = est.value(spec.smoothing)
        t, norm = _scale(value, ispec, data.catalogue[ispec.id].direction)
        raw[ispec.id], smoothed[ispec.id], treated[ispec.id], normalised[ispec.id] = est.raw, value, t.values, norm.score
        scalers[ispec.id] = (ispec, t, norm)
    if not normalised:
        raise DataError("model.no_data", "no indicator of the model has data up to {year}", year=year)
    used = [i for i in inds if i.id in normalised]
    dims = tuple(d for d in dims if any(i.dimension == d for i in used))
    dim_w = np.array([spec.weight(d) for d in dims])
    if not (dim_w > 0).any():
        raise DataError("model.no_weight", "every dimension with data has weight 0: give one of them a weight")
    dim_scores = {}
    for d in dims:
        members = [i for i in used if i.dimension == d]
        x = np.column_stack([normalised[i.id] for i in members])
        dim_scores[d] = aggregate(x, [i.weight for i in members], method="arithmetic").score
    D = np.column_stack([dim_scores[d] for d in dims])
    composite = aggregate(D[:, dim_w > 0], dim_w[dim_w > 0], method=spec.aggregation).score
    scored = ~np.isnan(composite)
    cls = classify(composite[scored], spec.scheme)
    yb = np.full(len(units), -1)
    yb[scored] = cls.yb
    # reliability
    present = np.column_stack([~np.isnan(normalised[i.id]) for i in used])
    ages = np.column_stack([np.where(~np.isnan(normalised[i.id]), year - estimates[i.id].data_year, np.nan)
                            for i in used])
    survey_n = [estimates[i.id].denominator for i in used if data.catalogue[i.id].denominator == "respondents"]
    widths = [(estimates[i.id].upper - estimates[i.id].lower) / estimates[i.id].smoothed for i in used
              if estimates[i.id].posterior != "fixed"]
    imputed = np.column_stack([estimates[i.id].imputed for i in used]).mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = reliability(1 - present.mean(axis=1), np.nan_to_num(np.nanmin(ages, axis=1), nan=10.0),
                          sample_size=_respondents(survey_n),
                          interval_width=np.nanmedian(np.column_stack(widths), axis=1) if widths else None,
                          imputed_share=imputed)
    # Monte Carlo rank uncertainty
    unc = None
    top_n = min(spec.top_n, int(scored.sum()))
    if draws > 0 and scored.sum() > 1:
        rng = np.random.default_rng(seed)
        ind_scores = {i.id: _scale_draws(_draw_values(estimates[i.id], spec.smoothing, rng, draws), *scalers[i.id])
                      for i in used}
        dim_draws = []
        for d in dims:
            members = [i for i in used if i.dimension == d]
            x = np.stack([ind_scores[i.id] for i in members], axis=-1)
            dim_draws.append(_weighted_mean(x, np.array([i.weight for i in members])))
        Dd = np.stack(dim_draws, axis=-1)  # draws x units x dims
        pos = dim_w > 0
        wd = np.zeros((draws, len(dims)))
        wd[:, pos] = perturb_weights(dim_w[pos], seed=rng, draws=draws)
        geometric = (rng.random(draws) < 0.5)[:, None]
        comp_draws = _weighted_mean(Dd, wd[:, None, :], geometric)
        unc = rank_uncertainty(np.nan_to_num(comp_draws[:, scored], nan=0.0), top_n=top_n)
    rank = pd.Series(composite).rank(ascending=False, method="min").to_numpy()
    table = pd.DataFrame({"code": units["code"].to_numpy(), "name": units["name"].to_numpy(),
                          "department": units["dept_name"].to_numpy()})
    for d in dims:
        table[d] = dim_scores[d]
    table["score"] = composite
    table["class"] = yb
    table["class_code"] = [CLASS_CODES[c] if c >= 0 else "" for c in yb]
    table["rank"] = rank
    for col, attr in (("rank_p05", "rank_p05"), ("rank_median", "median_rank"), ("rank_p95", "rank_p95"),
                      ("p_top", "p_top_n")):
        full = np.full(len(units), np.nan)
        if unc is not None:
            full[scored] = getattr(unc, attr)
        table[col] = full
    table["reliability"] = rel.score
    table["indicators_present"] = present.sum(axis=1)
    idx = pd.Index(units["code"], name="code")
    steps = {name: pd.DataFrame(frame, index=idx) for name, frame in
             (("rates", raw), ("smoothed", smoothed), ("treated", treated), ("normalised", normalised),
              ("dimensions", dim_scores))}
    steps["composite"] = pd.Series(composite, index=idx, name="score")
    steps["classes"] = pd.Series(yb, index=idx, name="class")
    return ModelResult(spec=spec, year=year, level=level, table=table, steps=steps, estimates=estimates,
                       classification=cls, uncertainty=unc, notes=tuple(notes), country=data.country,
                       catalogue={i: data.catalogue[i] for i in estimates})
