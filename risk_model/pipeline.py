"""The model as named steps: ``run_model(data, spec, year) -> ModelResult``.

The steps (``risk_model.engine.STEPS``: estimate, smooth, treat, scale, aggregate, rank) run in
two parts. :func:`dimension_stage` runs estimate .. aggregate-to-dimensions, once for the nominal
values and once over the Monte Carlo draws (posterior redraws of every measured value, a coarse
unit's value drawn once for its units); it depends on the data, year, level and
``Spec.draws_key()`` only, so the dashboard caches it. :func:`finish` aggregates the dimensions
with the scenario's weights and aggregation (``risk_model.engine.reaggregate``), ranks, classes
and scores reliability. ``run_model`` is both; :func:`rerun` starts again from the first step
whose recorded arguments changed. Step outputs are kept in ``result.steps`` (``rates``,
``smoothed``, ``treated``, ``normalised``, ``dimensions``, ``composite``, ``classes``) and their
arguments in ``result.recipe``.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geodata.errors import DataError
from geodata.names import CLASS_CODES, DIMENSIONS

from . import engine
from .classify import Classification, classify
from .estimates import ModelData, crude_values, estimate_indicator
from .normalise import Goalposts, pooled_goalposts
from .reliability import reliability
from .spec import Spec
from .uncertainty import RankUncertainty

__all__ = ["ModelResult", "Stage", "run_model", "dimension_stage", "finish", "rerun", "model_data",
           "signal_table"]



@dataclass(frozen=True)
class ModelResult:
    """Everything a page shows for one spec, year and level.

    ``table`` has one row per unit: code, name, department, one column per dimension (0..10),
    score (0..10, 10 = highest risk), class (0..4), class_code, rank (1 = highest score),
    rank_p05, rank_median, rank_p95, p_top (0..1), reliability (0..10), indicators_present.
    ``country`` is the data's country; ``catalogue`` the catalogue entries of the scored
    indicators (so a result says what it scored, e.g. for ``risk_model.regional``). ``stage``
    is the dimension-level stage it was aggregated from and ``recipe`` each step's arguments.
    A dimension with no data for a unit is NaN and left out of its composite (weights
    renormalised); ``dimensions_missing`` names them and reliability counts them.
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
    stage: "Stage | None" = None
    recipe: dict = field(default_factory=dict)


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


def _respondents(columns: list) -> np.ndarray | None:
    """Respondents behind a unit's survey indicators: the largest count among them (the same
    people answer several items, so counts are not added); NaN where no one was surveyed."""
    if not columns:
        return None
    most = np.nan_to_num(np.column_stack(columns), nan=0.0).max(axis=1)
    return np.where(most > 0, most, np.nan)


@dataclass(frozen=True)
class Stage:
    """Steps estimate .. aggregate-to-dimensions for one data version, year, level and
    ``Spec.draws_key()``: what a weight change reuses.

    ``plans`` has one ``engine.IndicatorPlan`` per indicator with data (scored or not, with its
    goalposts and signal-to-noise); ``dims`` the nominal and Monte Carlo dimension scores over
    ``dims.dimensions`` (every dimension with a scored indicator, enabled or not).
    """

    year: int
    level: str
    units: pd.DataFrame
    estimates: dict
    plans: tuple
    dims: engine.DimensionDraws
    frames: dict
    notes: tuple
    recipe: dict


def _goalposts(data: ModelData, ispec) -> Goalposts:
    """The spec's goalposts, else the pooled rule over every year (``pooled_goalposts``)."""
    direction = data.catalogue[ispec.id].direction
    if ispec.goalposts:
        return Goalposts(*ispec.goalposts, log=ispec.log, direction=direction)
    return pooled_goalposts(crude_values(data, ispec.id), log=ispec.log, direction=direction)


def _estimate(data: ModelData, spec: Spec, year: int, level: str) -> tuple[dict, list]:
    """The ``estimate`` step for every indicator of the spec that is not excluded."""
    estimates, notes = {}, []
    for ispec in spec.indicators:
        if ispec.id in spec.excluded:
            continue
        if ispec.id not in data.catalogue:
            notes.append(f"{ispec.id}: not in the catalogue, left out")
            continue
        est = estimate_indicator(data, ispec.id, year=year, window=spec.window, level=level,
                                 fill=ispec.fill_missing or None, pool=ispec.pool_level or None)
        if not est.years:
            notes.append(f"{ispec.id}: no data up to {year}")
            continue
        estimates[ispec.id] = est
    return estimates, notes


def dimension_stage(data: ModelData, spec: Spec, year: int, *, level: str | None = None,
                    estimates: dict | None = None) -> Stage:
    """Steps estimate .. aggregate-to-dimensions, nominal and over ``spec.draws`` draws (seed
    ``spec.seed``). ``estimates`` (from an earlier stage of the same year, level and window)
    skips the estimate step."""
    level = level or data.finest
    if level not in data.units:
        raise DataError("model.unknown_level", "unknown level {level!r}; one of {valid}",
                        level=level, valid=", ".join(data.units))
    notes = []
    if estimates is None:
        estimates, notes = _estimate(data, spec, year, level)
    if not estimates:
        raise DataError("model.no_data", "no indicator of the model has data up to {year}", year=year)
    plans = []
    for ispec in spec.indicators:
        if ispec.id in estimates:
            snr = engine.signal_to_noise(estimates[ispec.id])
            scored = not snr < spec.snr_min  # nan (one unit) and inf pass
            plans.append(engine.IndicatorPlan(ispec.id, ispec.dimension, ispec.weight, _goalposts(data, ispec),
                                              snr, scored))
            if not scored:
                notes.append(f"{ispec.id}: signal-to-noise {snr:.2g} below {spec.snr_min:g}, left out of the composite")
    scored = [p for p in plans if p.scored]
    dims = tuple(d for d in DIMENSIONS if any(p.dimension == d for p in scored))
    if not dims:
        raise DataError("model.no_data", "no indicator of the model has data up to {year}", year=year)

    def run(draws: int, rng) -> np.ndarray:
        scores, treated, values = {}, {}, {}
        for p in scored:
            values[p.id] = engine.smooth(estimates[p.id], spec.smoothing, draws=draws, rng=rng)
            treated[p.id] = engine.treat(values[p.id], p.goalposts)
            scores[p.id] = engine.scale(treated[p.id], p.goalposts)
        return engine.aggregate_dimensions(scores, scored, dims), values, treated, scores

    nominal, values, treated, scores = run(0, None)
    draws = run(spec.draws, np.random.default_rng(spec.seed))[0] if spec.draws > 0 else None
    units = data.units[level]
    idx = pd.Index(units["code"], name="code")
    frames = {name: pd.DataFrame({k: v[0] for k, v in frame.items()}, index=idx) for name, frame in
              (("smoothed", values), ("treated", treated), ("normalised", scores))}
    frames["rates"] = pd.DataFrame({p.id: estimates[p.id].raw for p in scored}, index=idx)
    frames["dimensions"] = pd.DataFrame(nominal[0], index=idx, columns=list(dims))
    recipe = {"estimate": {"year": int(year), "level": level, "window": spec.window,
                           "indicators": tuple(estimates), "excluded": spec.excluded,
                           "specs": spec.indicators},
              "smooth": {"smoothing": spec.smoothing, "draws": spec.draws, "seed": spec.seed},
              "treat": {p.id: (p.goalposts.lower, p.goalposts.upper, p.goalposts.log) for p in plans},
              "scale": {"snr_min": spec.snr_min, "scored": tuple(p.id for p in scored)}}
    return Stage(year=int(year), level=level, units=units, estimates=estimates, plans=tuple(plans),
                 dims=engine.DimensionDraws(dims, nominal[0], draws, spec.seed), frames=frames,
                 notes=tuple(notes), recipe=recipe)


def _reliability(stage: Stage, used: list, spec: Spec, data_catalogue: dict) -> np.ndarray:
    """Reliability 0..10 per unit over the scored indicators of the composite's dimensions;
    coverage counts each indicator by its share of the nominal weight, so a missing dimension
    weighs as much as the dimension."""
    est = stage.estimates
    share = np.array([spec.weight(p.dimension) / sum(spec.weight(q.dimension) for q in used if q.dimension == p.dimension)
                      * p.weight for p in used])
    share = share / share.sum()
    present = np.column_stack([~np.isnan(est[p.id].smoothed) for p in used])
    ages = np.column_stack([np.where(present[:, k], stage.year - est[p.id].data_year, np.nan)
                            for k, p in enumerate(used)])
    survey_n = [est[p.id].denominator for p in used if data_catalogue[p.id].denominator == "respondents"]
    imputed = np.column_stack([est[p.id].imputed for p in used]).mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)  # a unit without data: NaN
        widths = [(est[p.id].upper - est[p.id].lower) / est[p.id].smoothed for p in used
                  if est[p.id].posterior != "fixed"]
        return reliability(np.clip(1 - (present * share).sum(axis=1), 0, 1),
                           np.nan_to_num(np.nanmin(ages, axis=1), nan=10.0),
                           sample_size=_respondents(survey_n),
                           interval_width=np.nanmedian(np.column_stack(widths), axis=1) if widths else None,
                           imputed_share=imputed).score, present


def finish(stage: Stage, spec: Spec, data: ModelData, *, country: str = "") -> ModelResult:
    """Steps aggregate (dimensions -> composite, the scenario's weights and aggregation) and
    rank, classes and reliability, over a :func:`dimension_stage`."""
    dims = stage.dims.dimensions
    weights = np.array([spec.weight(d) if d in spec.dimensions else 0.0 for d in dims])
    if not spec.dimensions or sum(spec.weight(d) for d in spec.dimensions) <= 0:
        raise DataError("model.no_weight", "every dimension has weight 0: give at least one dimension a weight")
    if not (weights > 0).any():  # the weighted dimensions have no scored indicator this year
        raise DataError("model.no_data", "no indicator of the model has data up to {year}", year=stage.year)
    agg = engine.reaggregate(stage.dims, weights, spec.aggregation, top_n=spec.top_n)
    composite, unc = agg.score, agg.uncertainty
    scored = ~np.isnan(composite)
    cls = classify(composite[scored], spec.scheme)
    yb = np.full(len(stage.units), -1)
    yb[scored] = cls.yb
    used = [p for p in stage.plans if p.scored and weights[dims.index(p.dimension)] > 0]
    rel, present = _reliability(stage, used, spec, data.catalogue)
    units = stage.units
    bands = {}
    for col, attr in (("rank_p05", "rank_p05"), ("rank_median", "median_rank"), ("rank_p95", "rank_p95"),
                      ("p_top", "p_top_n")):
        bands[col] = np.full(len(units), np.nan)
        if unc is not None:
            bands[col][scored] = getattr(unc, attr)
    on = [d for d in dims if weights[dims.index(d)] > 0]
    # one constructor call: inserting 18 columns one by one cost more than the aggregation
    table = pd.DataFrame({
        "code": units["code"].to_numpy(), "name": units["name"].to_numpy(),
        "department": units["dept_name"].to_numpy(),
        **{d: stage.dims.nominal[:, dims.index(d)] if d in dims else np.full(len(units), np.nan)
           for d in spec.dimensions},
        "score": composite, "class": yb, "class_code": [CLASS_CODES[c] if c >= 0 else "" for c in yb],
        "rank": agg.rank, **bands, "reliability": rel, "indicators_present": present.sum(axis=1),
        "dimensions_missing": [",".join(d for d in on if np.isnan(row[dims.index(d)]))
                               for row in stage.dims.nominal]})
    idx = pd.Index(units["code"], name="code")
    used_ids = [p.id for p in used]
    steps = {name: stage.frames[name][[c for c in stage.frames[name] if c in used_ids]]
             for name in ("rates", "smoothed", "treated", "normalised")}
    steps["dimensions"] = stage.frames["dimensions"][[d for d in spec.dimensions if d in dims]]
    steps["composite"] = pd.Series(composite, index=idx, name="score")
    steps["classes"] = pd.Series(yb, index=idx, name="class")
    recipe = {**stage.recipe, "aggregate": {"weights": dict(zip(dims, weights.tolist())),
                                            "aggregation": spec.aggregation},
              "rank": {"top_n": spec.top_n, "scheme": spec.scheme}}
    return ModelResult(spec=spec, year=stage.year, level=stage.level, table=table, steps=steps,
                       estimates={k: stage.estimates[k] for k in used_ids}, classification=cls, uncertainty=unc,
                       notes=stage.notes, country=country or data.country,
                       catalogue={k: data.catalogue[k] for k in used_ids}, stage=stage, recipe=recipe)


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
        Monte Carlo draws (0 = none) and seed; default from the spec (they become part of
        ``result.spec`` and so of its ``key()``).
    """
    spec = spec.with_scenario(draws=draws, seed=seed)
    return finish(dimension_stage(data, spec, year, level=level), spec, data)


def rerun(result: ModelResult, data: ModelData, spec: Spec) -> ModelResult:
    """``spec`` scored again from the first step whose arguments differ from ``result``'s:
    a change of weights, aggregation, classes or N only re-aggregates the stored dimension
    draws; a change of draws, seed, smoothing or goalposts reuses the estimates; anything else
    starts from the estimate step. Same table as ``run_model`` on the same arguments."""
    stage = result.stage
    estimate = stage.recipe["estimate"]
    if (estimate["window"], estimate["excluded"], estimate["specs"]) != (spec.window, spec.excluded, spec.indicators):
        fresh = dimension_stage(data, spec, result.year, level=result.level)
    elif (stage.recipe["smooth"] == {"smoothing": spec.smoothing, "draws": spec.draws, "seed": spec.seed}
          and stage.recipe["scale"]["snr_min"] == spec.snr_min):
        fresh = stage
    else:
        fresh = dimension_stage(data, spec, result.year, level=result.level, estimates=stage.estimates)
    return finish(fresh, spec, data, country=result.country)


def signal_table(result: ModelResult) -> pd.DataFrame:
    """One row per indicator with data in an enabled dimension: ``indicator``, ``dimension``,
    ``snr`` (between-unit variance of the smoothed values / mean posterior variance; inf = no
    sampling error),
    ``threshold`` and ``scored`` (False: left out of the composite), ``lower``, ``upper``,
    ``log`` and ``source`` of its goalposts."""
    stage = result.stage
    return pd.DataFrame([{"indicator": p.id, "dimension": p.dimension, "snr": p.snr,
                          "threshold": result.spec.snr_min, "scored": p.scored,
                          "lower": p.goalposts.lower, "upper": p.goalposts.upper, "log": p.goalposts.log,
                          "source": p.goalposts.source} for p in stage.plans
                         if p.dimension in result.spec.dimensions])
