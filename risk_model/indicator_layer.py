"""One indicator as every view shows it: computed once, classified once, handed to every renderer.

``indicator_layer(data, indicator, year=, window=, level=, scheme=, public=)`` returns a frozen
``IndicatorLayer``: the smoothed value per unit (the mapped value), the raw value with its 95%
interval, the count (or "<5" for a sensitive indicator in public mode), reliability 0..10, the
imputed flag and the fitted ``Classification`` (mapclassify's pattern: classify once, give the
same object to the screen map, the PNG/SVG/PDF and HTML exports and the tables). A legend shared
across years keeps one year's breaks and classes another year's values with ``find_bin``.

Units: the indicator's own (rates per its ``per`` person-years, shares in percent 0..100,
published values as published); reliability 0..10.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.suppression import mask_derived, suppress

from .classify import Classification, classify
from .estimates import ModelData, estimate_indicator
from .reliability import reliability

__all__ = ["IndicatorLayer", "indicator_layer", "fixed_bins", "find_bin", "class_ranges"]


def fixed_bins(vmax: float, k: int = 5) -> np.ndarray:
    """``k`` equal steps from 0 to a rounded maximum: the "fixed" breaks of an indicator
    (the composite's fixed breaks are 2, 4, .. 10 on its 0..10 scale).

    >>> fixed_bins(87.0).tolist(), fixed_bins(9.1).tolist()
    ([20.0, 40.0, 60.0, 80.0, 100.0], [2.0, 4.0, 6.0, 8.0, 10.0])
    """
    if not np.isfinite(vmax) or vmax <= 0:
        return np.arange(1, k + 1, dtype=float)
    step = vmax / k
    mag = 10 ** np.floor(np.log10(step))
    step = min(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= step)
    return step * np.arange(1, k + 1)


def find_bin(cls: Classification, values) -> np.ndarray:
    """Class codes of ``values`` under ``cls``'s breaks (mapclassify's ``find_bin``): values
    above the last break join the top class, missing values get -1. Used to class another
    year with one legend.

    >>> c = classify([1.0, 2.0, 3.0, 4.0, 5.0], "quantiles")
    >>> find_bin(c, [0.5, 2.5, 9.0, float("nan")]).tolist()
    [0, 1, 4, -1]
    """
    v = np.asarray(values, float)
    out = np.full(v.shape, -1)
    ok = ~np.isnan(v)
    out[ok] = np.minimum(np.searchsorted(cls.bins, v[ok], side="left"), cls.k - 1)
    return out


def class_ranges(cls: Classification, values) -> list[tuple[float, float]]:
    """``(low, high)`` of each class for a legend, lowest first: class i spans the break below
    it to its own break; the first class starts at 0 for "fixed" breaks of non-negative values,
    else at the smallest value.

    >>> class_ranges(classify([3.0, 5.0, 9.0], "fixed"), [3.0, 5.0, 9.0])[:2]
    [(0.0, 2.0), (2.0, 4.0)]
    """
    v = np.asarray(values, float)
    lowest = float(np.nanmin(v)) if np.isfinite(v).any() else np.nan
    if cls.scheme == "fixed" and not lowest < 0:
        lowest = 0.0
    edges = [lowest, *(float(b) for b in cls.bins)]
    return [(edges[i], edges[i + 1]) for i in range(cls.k)]


@dataclass(frozen=True, eq=False)
class IndicatorLayer:
    """One indicator on the units of ``level`` (unit order of ``data.units[level]``).

    ``value`` is the smoothed estimate that is mapped and classed; ``raw, lower, upper`` the raw
    value and its 95% interval (NaN for published values); ``count`` the events or weighted
    cases (float, NaN when not a count), ``shown_count`` the same as shown ("<5" when
    ``suppressed``); ``value``, ``raw`` and the interval of suppressed units are NaN. ``years``
    are the years pooled; ``native_level`` the level the indicator was estimated at.
    """

    indicator: str
    year: int
    window: int
    level: str
    scheme: str
    public: bool
    native_level: str
    years: tuple
    codes: np.ndarray
    value: np.ndarray
    raw: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    count: np.ndarray
    exposure: np.ndarray
    shown_count: tuple
    suppressed: np.ndarray
    reliability: np.ndarray
    imputed: np.ndarray
    sensitive: bool
    classification: Classification | None

    def frame(self) -> pd.DataFrame:
        """Per unit: ``code, value, raw, lower, upper, count`` (number or "<5"),
        ``reliability, imputed, suppressed, class`` (class code 0..k-1, -1 = none)."""
        cls = self.classification.yb if self.classification is not None else np.full(len(self.codes), -1)
        return pd.DataFrame({"code": self.codes, "value": self.value, "raw": self.raw, "lower": self.lower,
                             "upper": self.upper, "count": list(self.shown_count), "reliability": self.reliability,
                             "imputed": self.imputed, "suppressed": self.suppressed, "class": cls})


def indicator_layer(data: ModelData, indicator: str, *, year: int, window: int, level: str,
                    scheme: str = "quantiles", public: bool = True, k: int = 5) -> IndicatorLayer:
    """The layer of one indicator at (``year``, ``window``, ``level``, ``scheme``, ``public``).

    Counts and survey answers are pooled over the window's years up to ``year`` (re-pooled, or
    applied from the indicator's own level). ``public``: a sensitive indicator's counts 1..4 are
    shown as "<5" and their values and intervals hidden. The classification is fitted on the
    shown values: "fixed" uses ``fixed_bins`` of their maximum, the other schemes the values
    themselves; None when no unit has a value.
    """
    ind = data.catalogue[indicator]
    est = estimate_indicator(data, indicator, year=year, window=window, level=level)
    codes = data.units[level]["code"].astype(str).to_numpy()
    n = len(codes)
    value = np.asarray(est.smoothed, float)
    raw, lower, upper = est.interval()
    count = np.asarray(est.numerator, float) if ind.kind == "count" else np.full(n, np.nan)
    rel = _reliability(ind, est, value, year) if est.years else np.full(n, np.nan)
    sensitive = bool(getattr(ind, "sensitive", False)) and public
    shown = suppress(count, public=sensitive)
    hidden = np.array([isinstance(c, str) for c in shown], dtype=bool)
    if sensitive:
        value, raw, lower, upper = (np.array(mask_derived(a, count), dtype=float)
                                    for a in (value, raw, lower, upper))
    present = np.isfinite(value)
    cls = None
    if present.any():
        bins = fixed_bins(float(np.nanmax(value)), k) if scheme == "fixed" else None
        cls = classify(value, scheme, k=k, bins=bins)
    return IndicatorLayer(indicator=indicator, year=year, window=window, level=level,
                          scheme=cls.scheme if cls is not None else scheme, public=public,
                          native_level=est.native_level, years=tuple(est.years), codes=codes, value=value,
                          raw=raw, lower=lower, upper=upper, count=count,
                          exposure=np.asarray(est.denominator, float), shown_count=tuple(shown),
                          suppressed=hidden, reliability=rel, imputed=np.asarray(est.imputed, bool),
                          sensitive=sensitive, classification=cls)


def _reliability(ind, est, value: np.ndarray, year: int) -> np.ndarray:
    """0..10 per unit: completeness, age of the newest year, respondents (surveys), the
    smoothed estimate's relative interval width and imputation (``risk_model.reliability``)."""
    n = len(value)
    lower, upper = est.smoothed_interval()  # NaN for published values: precision is not scored
    with np.errstate(invalid="ignore", divide="ignore"):
        width = np.abs(upper - lower) / value
    width = np.where(np.isfinite(width), width, np.nan)
    return reliability(np.isnan(value).astype(float), np.full(n, float(year - est.data_year)),
                       sample_size=np.asarray(est.denominator, float) if ind.denominator == "respondents" else None,
                       interval_width=width, imputed_share=np.asarray(est.imputed, float)).score
