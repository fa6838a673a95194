"""Reliability 0..10 per unit: how much the score of a unit can be trusted."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import as_array, in_range, positive, same_length

__all__ = ["Reliability", "reliability"]


@dataclass(frozen=True)
class Reliability:
    """Reliability score and its components, in unit order.

    Attributes
    ----------
    score : ndarray
        Reliability 0..10, 10 = complete, recent, precise data measured at the unit's own level.
    coverage, timeliness, sample, precision, imputation : ndarray
        Components 0..1 (1 = best); NaN where a component does not apply to the unit.
    """

    score: np.ndarray
    coverage: np.ndarray
    timeliness: np.ndarray
    sample: np.ndarray
    precision: np.ndarray
    imputation: np.ndarray


def reliability(missing_share, newest_age, *, sample_size=None, interval_width=None,
                imputed_share=None, max_age: float = 10.0, full_sample: float = 400.0,
                max_width: float = 2.0) -> Reliability:
    """Combine data completeness, age, sample size, precision and imputation into 0..10.

    Parameters
    ----------
    missing_share : array_like, shape (n,)
        Share of the model's indicators missing for the unit, 0..1.
    newest_age : array_like, shape (n,)
        Years between the model year and the newest data used for the unit, >= 0.
    sample_size : array_like, optional
        Survey respondents behind the unit's survey indicators, >= 0; NaN = no survey indicator.
    interval_width : array_like, optional
        Relative width of the composite's or key rate's interval, (upper - lower) / estimate,
        >= 0 (inf allowed, e.g. for a zero estimate); NaN = not available.
    imputed_share : array_like, optional
        Share of indicators imputed from a coarser level (a municipio_2024 value applied to its
        districts), 0..1; booleans are read as 0 or 1.
    max_age : float, default 10
        Age in years at which timeliness reaches 0.
    full_sample : float, default 400
        Respondents giving full marks (a 50% share then has a 95% margin of about +-5 points).
    max_width : float, default 2
        Relative interval width at which precision reaches 0.

    Returns
    -------
    Reliability

    Notes
    -----
    Components, each clipped to 0..1::

        coverage   = 1 - missing_share
        timeliness = 1 - newest_age / max_age
        sample     = sqrt(sample_size / full_sample)     (precision of a share grows as sqrt(n))
        precision  = 1 - interval_width / max_width
        imputation = 1 - imputed_share

    ``score = 10 * mean of the components that apply`` (equal weights; a component that is not
    given, or NaN for a unit, is left out of that unit's mean).

    Examples
    --------
    A quarter of the indicators missing (0.75), newest data 2 years old (0.8), 100 respondents
    (sqrt(1/4) = 0.5), interval half the estimate (0.75), nothing imputed (1):
    10 * (0.75 + 0.8 + 0.5 + 0.75 + 1) / 5 = 7.6.

    >>> r = reliability([0.25], [2], sample_size=[100], interval_width=[0.5], imputed_share=[0])
    >>> r.score.round(6).tolist()
    [7.6]
    >>> reliability([0.0, 0.5], [0, 10]).score.tolist()     # (1 + 1) / 2 and (0.5 + 0) / 2
    [10.0, 2.5]
    """
    missing = in_range(as_array(missing_share, "missing_share"), "missing_share", 0, 1)
    age = in_range(as_array(newest_age, "newest_age"), "newest_age", 0, np.inf)
    n = missing.size
    optional = {
        "sample_size": (sample_size, 0, np.inf),
        "interval_width": (interval_width, 0, np.inf),
        "imputed_share": (imputed_share, 0, 1),
    }
    given = {}
    for name, (values, low, high) in optional.items():
        arr = np.full(n, np.nan) if values is None else as_array(values, name)
        given[name] = in_range(arr, name, low, high)
    same_length(missing_share=missing, newest_age=age, **given)
    max_age, full_sample = positive(max_age, "max_age"), positive(full_sample, "full_sample")
    max_width = positive(max_width, "max_width")
    parts = {
        "coverage": 1 - missing,
        "timeliness": np.clip(1 - age / max_age, 0, 1),
        "sample": np.clip(np.sqrt(given["sample_size"] / full_sample), 0, 1),
        "precision": np.clip(1 - given["interval_width"] / max_width, 0, 1),
        "imputation": 1 - given["imputed_share"],
    }
    stacked = np.vstack(list(parts.values()))
    applies = ~np.isnan(stacked)
    with np.errstate(invalid="ignore"):
        score = 10 * np.where(applies, stacked, 0).sum(axis=0) / applies.sum(axis=0)
    return Reliability(score=score, **parts)
