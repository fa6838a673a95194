"""The regional view: every country's units in one table, without pretending they share a scale.

Each country's composite is built from its own indicators (El Salvador: ACLED and survey proxies;
Guatemala: A2SIT police and prosecutor rates; Honduras: 2014 homicides and the 2023 migration
survey) and min-max scaled *within that country*. A 7 in Guatemala and a 7 in Honduras therefore
both mean "high for that country", not the same risk: the table says so in its ``normalisation``
column and ``attrs["normalisation"]``, and the map must say so in its legend.

A pooled scale is offered only for indicators whose definition is the same in every country,
flagged ``shared_definition`` in the catalogues (today only ``homicide_rate``: intentional
homicides per 100,000). It needs that indicator in *every* country of the view. In the shared data
only Honduras has one (IUDPAS 2014): El Salvador has no public municipal homicide series (ACLED
fatalities are not homicides) and Guatemala's A2SIT has none, so ``pooled="homicide_rate"``
raises ``DataError`` naming the countries without it, unless ``strict=False`` (those
countries then get NaN). It becomes available as soon as an institution imports official
homicide counts flagged with the shared definition.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from geodata.errors import DataError
from geodata.names import DIMENSIONS

from .normalise import minmax
from .treatment import treat

__all__ = ["regional_scores", "pooled_indicators", "REGIONAL_COLUMNS", "WITHIN_COUNTRY"]

WITHIN_COUNTRY = "within_country"
#: Columns of ``regional_scores`` in order; dimension columns follow, then pooled columns.
REGIONAL_COLUMNS = ["country", "level", "year", "code", "name", "department", "score", "class_code",
                    "rank", "reliability", "indicators_present", "normalisation"]


def pooled_indicators(result, definition: str) -> list[str]:
    """Ids of a result's scored indicators whose catalogue entry has this shared definition."""
    return [i for i, ind in getattr(result, "catalogue", {}).items()
            if getattr(ind, "shared_definition", "") == definition and i in result.estimates]


def regional_scores(results: Mapping[str, object], *, pooled: str | None = None,
                    strict: bool = True) -> pd.DataFrame:
    """One row per unit of every country: scores normalised within each country.

    Parameters
    ----------
    results : mapping of country code -> ModelResult
        One ``run_model`` result per country, normally at its finest level (262 districts,
        340 and 298 municipios: about 900 rows), in the order the rows should come.
    pooled : {"homicide_rate"}, optional
        Also scale this shared-definition indicator on one pooled 0..10 scale across countries
        (log(1 + x), outlier capping, min-max over all units together). Columns added:
        ``<pooled>`` (the scored value, e.g. per 100,000, with the country's smoothing),
        ``<pooled>_indicator``, ``<pooled>_year`` and ``<pooled>_score_pooled``.
    strict : bool, default True
        With ``pooled``: raise DataError when a country has no such indicator; when False,
        those countries get NaN and are listed in ``attrs["pooled_missing"]``.

    Returns
    -------
    DataFrame
        ``REGIONAL_COLUMNS`` then the dimension columns present (0..10, NaN where a country has
        no such dimension), then any pooled columns. ``score`` and ``rank`` are the country's own
        (``normalisation == "within_country"``): compare ranks within a country, not scores
        across countries. ``attrs``: ``normalisation``, ``pooled``, ``pooled_missing``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> t = pd.DataFrame({"code": ["a", "b"], "name": ["A", "B"], "department": ["D", "D"],
    ...                   "score": [2.0, 8.0], "class_code": ["low", "high"], "rank": [2.0, 1.0],
    ...                   "reliability": [5.0, 6.0], "indicators_present": [1, 1], "violence": [2.0, 8.0]})
    >>> r = NS(table=t, level="municipio", year=2023, estimates={}, catalogue={})
    >>> df = regional_scores({"xyz": r})
    >>> df[["country", "code", "score", "normalisation"]].values.tolist()
    [['xyz', 'a', 2.0, 'within_country'], ['xyz', 'b', 8.0, 'within_country']]
    >>> regional_scores({"xyz": r}, pooled="homicide_rate")
    Traceback (most recent call last):
    ...
    geodata.errors.DataError: pooled normalisation of homicide_rate needs a scored municipal indicator with that shared definition in every country; none in: xyz. Scores stay normalised within each country.
    """
    if not results:
        raise DataError("regional.empty", "no country results to join")
    if pooled is not None and pooled != "homicide_rate":
        raise DataError("regional.bad_pooled", "pooled normalisation is offered only for shared definitions "
                        "(homicide_rate), not {pooled!r}", pooled=pooled)
    frames = []
    for country, res in results.items():
        t = res.table
        frame = pd.DataFrame({"country": country, "level": res.level, "year": int(res.year),
                              "code": t["code"].astype(str).to_numpy(), "name": t["name"].to_numpy(),
                              "department": t["department"].to_numpy(), "score": t["score"].to_numpy(float),
                              "class_code": t["class_code"].to_numpy(), "rank": t["rank"].to_numpy(float),
                              "reliability": t["reliability"].to_numpy(float),
                              "indicators_present": t["indicators_present"].to_numpy(),
                              "normalisation": WITHIN_COUNTRY})
        for d in DIMENSIONS:
            if d in t:
                frame[d] = t[d].to_numpy(float)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    dims = [d for d in DIMENSIONS if d in out]
    out = out[REGIONAL_COLUMNS + dims]
    missing: list[str] = []
    if pooled is not None:
        values, ids, years = [], [], []
        for country, res in results.items():
            found = pooled_indicators(res, pooled)
            n = len(res.table)
            if not found:
                missing.append(country)
                values.append(np.full(n, np.nan))
                ids.append([""] * n)
                years.append(np.full(n, np.nan))
                continue
            est = res.estimates[found[0]]
            values.append(np.asarray(est.value(res.spec.smoothing), float))
            ids.append([found[0]] * n)
            years.append(np.full(n, float(est.data_year)))
        if missing and strict:
            raise DataError("regional.pooled_unavailable",
                            "pooled normalisation of {definition} needs a scored municipal indicator with that "
                            "shared definition in every country; none in: {countries}. Scores stay normalised "
                            "within each country.", definition=pooled, countries=", ".join(missing))
        x = np.concatenate(values)
        out[pooled] = x
        out[f"{pooled}_indicator"] = np.concatenate([np.asarray(i, dtype=object) for i in ids])
        out[f"{pooled}_year"] = np.concatenate(years)
        score = np.full(len(x), np.nan)
        if np.isfinite(x).any():
            score = minmax(treat(x, log=True, winsorise=True).values, direction=1).score
        out[f"{pooled}_score_pooled"] = score
    out.attrs.update({"normalisation": WITHIN_COUNTRY, "pooled": pooled, "pooled_missing": missing})
    return out
