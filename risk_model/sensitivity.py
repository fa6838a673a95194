"""Uncertainty and sensitivity analysis of the ranks over the methodological choices (COINr style).

Each *input* is one choice a modeller could reasonably have made differently: the smoothing
(Empirical Bayes global or spatial, or raw rates), the pooling window (one year less or more),
the log transform (as in the spec, or none), the goalposts (as in the spec, or the data's own
range) when the spec fixes any, the aggregation (geometric or arithmetic), leaving out one
indicator (or none), and each dimension's weight (0.5 to 1.5 times its nominal weight).
A Saltelli sample of these inputs (SALib's Sobol sequence, ``N (k + 2)`` model runs for ``k``
inputs) reruns the whole model (``run_model`` with ``draws=0``) for each row; discrete inputs
take equal shares of the unit interval. The output is the mean absolute rank shift of the units
against the nominal ranks; Sobol first-order and total indices say which choice moves the
ranking, alone and with its interactions. Each unit's rank range is its 5th-95th percentile
rank over all runs.

``N = 64`` by default: El Salvador's default spec has 8 inputs, so 640 runs, 10-20 s for the
262 districts on one busy core (Guatemala 576 runs, about 10 s; Honduras about 6 s). The indices' 95% confidence half-widths (``first_conf``,
``total_conf``, bootstrap) say how much that N leaves uncertain.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from geodata.errors import DataError
from geodata.names import AGGREGATIONS, SMOOTHINGS

from .spec import Spec

__all__ = ["Choice", "choices", "apply_choices", "decode", "sobol_indices", "RankSensitivity",
           "rank_sensitivity", "DEFAULT_N", "WEIGHT_RANGE"]

DEFAULT_N = 64
"""Base sample size N of the Saltelli design (a power of 2)."""

WEIGHT_RANGE = (0.5, 1.5)
"""Each dimension weight varies between these multiples of its nominal weight."""

GOALPOSTS_FIELD = "goalposts"
"""The ``IndicatorSpec`` field holding fixed scaling goalposts (empty = from the data)."""


@dataclass(frozen=True)
class Choice:
    """One uncertain input: a discrete set of ``options`` (the first is the spec's own), or, when
    ``options`` is empty, a continuous factor between ``low`` and ``high``."""

    name: str
    options: tuple = ()
    low: float = 0.0
    high: float = 1.0


def choices(spec: Spec) -> tuple[Choice, ...]:
    """The inputs of the analysis for ``spec`` (only those that can change something)."""
    inds = spec.active_indicators()
    out = [Choice("smoothing", (spec.smoothing,) + tuple(s for s in SMOOTHINGS if s != spec.smoothing)),
           Choice("window", tuple(dict.fromkeys(w for w in (spec.window, spec.window - 1, spec.window + 1)
                                                 if w >= 1)))]
    if any(i.log for i in inds):
        out.append(Choice("log", ("spec", "none")))
    if any(getattr(i, GOALPOSTS_FIELD, ()) for i in inds):
        out.append(Choice("goalposts", ("spec", "data")))
    out.append(Choice("aggregation", (spec.aggregation,) + tuple(a for a in AGGREGATIONS if a != spec.aggregation)))
    if len(inds) > 1:
        out.append(Choice("leave_out", ("none",) + tuple(i.id for i in inds)))
    out += [Choice(f"weight:{d}", (), *WEIGHT_RANGE) for d in spec.dimensions if spec.weight(d) > 0]
    return tuple(out)


def decode(inputs: tuple[Choice, ...], u) -> dict:
    """Map one row of the unit hypercube (values 0..1, one per input) to the choices' values."""
    out = {}
    for c, x in zip(inputs, np.asarray(u, dtype=float)):
        if c.options:
            out[c.name] = c.options[min(int(x * len(c.options)), len(c.options) - 1)]
        else:
            out[c.name] = c.low + float(x) * (c.high - c.low)
    return out


def apply_choices(spec: Spec, values: dict) -> Spec:
    """The spec with the decoded choices applied (names as in :func:`choices`)."""
    has_goalposts = GOALPOSTS_FIELD in {f.name for f in fields(spec.indicators[0])} if spec.indicators else False
    inds = []
    for i in spec.indicators:
        if values.get("log") == "none":
            i = replace(i, log=False)
        if values.get("goalposts") == "data" and has_goalposts:
            i = replace(i, **{GOALPOSTS_FIELD: ()})
        inds.append(i)
    out = replace(spec, indicators=tuple(inds), smoothing=values.get("smoothing", spec.smoothing),
                  window=int(values.get("window", spec.window)),
                  aggregation=values.get("aggregation", spec.aggregation))
    if values.get("leave_out", "none") != "none":
        out = replace(out, excluded=tuple(out.excluded) + (values["leave_out"],))
    weights = {k.split(":", 1)[1]: spec.weight(k.split(":", 1)[1]) * v for k, v in values.items()
               if k.startswith("weight:")}
    return out.with_scenario(weights=weights) if weights else out


def sobol_indices(func, names, *, n: int = DEFAULT_N, seed: int = 0) -> tuple[dict, np.ndarray, np.ndarray]:
    """First-order and total Sobol indices of ``func`` over the unit hypercube (Saltelli design).

    Parameters
    ----------
    func : callable
        Takes one row (k values 0..1) and returns a float.
    names : sequence of str
        The k input names.
    n : int
        Base sample size, a power of 2; ``n (k + 2)`` evaluations.
    seed : int
        Seed of the scrambled Sobol sequence and of the bootstrap intervals.

    Returns
    -------
    (indices, X, Y)
        ``indices[name]`` has ``first``, ``total`` (0..1 up to estimation error; SALib's
        Saltelli 2010 and Jansen estimators) and ``first_conf``, ``total_conf`` (95% bootstrap
        half-widths); ``X`` the sample (rows x k), ``Y`` the outputs.
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    if n < 2 or n & (n - 1):
        raise DataError("model.bad_samples", "the sample size N must be a power of 2 (e.g. 32, 64, 128), got {n}", n=n)
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    X = sample.sample(problem, n, calc_second_order=False, seed=seed)
    Y = np.array([func(row) for row in X], dtype=float)
    if not np.isfinite(Y).all():
        raise DataError("model.sensitivity_failed", "{bad} of {n} model runs gave no output", bad=int((~np.isfinite(Y)).sum()),
                        n=Y.size)
    if np.ptp(Y) == 0:
        zero = {"first": 0.0, "total": 0.0, "first_conf": 0.0, "total_conf": 0.0}
        return {name: dict(zero) for name in names}, X, Y
    res = analyze.analyze(problem, Y, calc_second_order=False, seed=seed)
    return ({name: {"first": float(res["S1"][j]), "total": float(res["ST"][j]),
                    "first_conf": float(res["S1_conf"][j]), "total_conf": float(res["ST_conf"][j])}
             for j, name in enumerate(names)}, X, Y)


@dataclass(frozen=True)
class RankSensitivity:
    """Result of :func:`rank_sensitivity`.

    ``indices``: {input: {first, total, first_conf, total_conf}} of the mean absolute rank
    shift; ``rank_range``: one row per unit (code, name, rank, p05, median, p95: ranks, 1 =
    highest risk, over all runs); ``inputs``: the choices analysed; ``n`` and ``runs``: base
    sample size and number of model runs; ``mean_shift``: mean absolute rank shift per run.
    """

    indices: dict
    rank_range: pd.DataFrame
    inputs: tuple
    n: int
    runs: int
    mean_shift: np.ndarray


def _ranks(table: pd.DataFrame, codes: pd.Index) -> np.ndarray:
    """Ranks (1 = highest score, ties share the best) of ``table`` in the order of ``codes``."""
    rank = table["score"].rank(ascending=False, method="min")
    return pd.Series(rank.to_numpy(), index=table["code"]).reindex(codes).to_numpy(float)


def rank_sensitivity(data, spec: Spec, year: int, *, level: str | None = None, n: int = DEFAULT_N,
                     seed: int = 0) -> RankSensitivity:
    """Rerun the model over a Saltelli sample of the methodological choices (see module notes)."""
    from .pipeline import run_model

    nominal = run_model(data, spec, year, level=level, draws=0).table
    codes = pd.Index(nominal["code"])
    base = _ranks(nominal, codes)
    inputs = choices(spec)
    runs = []

    def shift(u) -> float:
        table = run_model(data, apply_choices(spec, decode(inputs, u)), year, level=level, draws=0).table
        r = _ranks(table, codes)
        runs.append(r)
        return float(np.nanmean(np.abs(r - base)))

    with warnings.catch_warnings():  # all-missing rows of unscored units, per run
        warnings.simplefilter("ignore", RuntimeWarning)
        indices, _, Y = sobol_indices(shift, [c.name for c in inputs], n=n, seed=seed)
        R = np.vstack(runs)
        p05, med, p95 = np.nanpercentile(R, [5, 50, 95], axis=0, method="nearest")
    rng = pd.DataFrame({"code": codes, "name": nominal["name"].to_numpy(), "rank": base, "p05": p05,
                        "median": med, "p95": p95})
    return RankSensitivity(indices=indices, rank_range=rng, inputs=inputs, n=n, runs=len(runs), mean_shift=Y)
