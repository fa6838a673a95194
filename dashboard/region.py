"""The regional view's logic, outside its page: one map and one table over the municipios of
El Salvador (262 districts), Guatemala (340) and Honduras (298), about 900 units.

Unit codes repeat across countries (Honduras's INE ``0101`` is also a Salvadoran district), so
every code on the regional map is prefixed with its country: ``SLV-0101``, ``HND-0101``.
Scores come from ``risk_model.regional.regional_scores``: normalised within each country unless
the pooled homicide-rate scale is asked for. No Streamlit here.
"""
from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard.i18n import t
from dashboard.text import format_number

__all__ = ["MODES", "regional_code", "combine_geojson", "value_column", "map_frame",
           "regional_tooltip", "top_by_country", "export_frame"]

#: Normalisations offered: within each country (default), or the pooled scale of the one
#: indicator with a shared definition (``risk_model.regional``: intentional homicides per 100,000).
MODES = ("within_country", "homicide_rate")


def regional_code(country: str, code: str) -> str:
    """The unit's code on the regional map.

    >>> regional_code("hnd", "0101")
    'HND-0101'
    """
    return f"{country.upper()}-{code}"


def combine_geojson(texts: Mapping[str, str], country_names: Mapping[str, str]) -> str:
    """One FeatureCollection of every country's web GeoJSON (``geodata.build.web_geojson_for``),
    codes prefixed by ``regional_code`` and the department followed by the country's name,
    written without spaces."""
    features = []
    for country, text in texts.items():
        for feat in json.loads(text)["features"]:
            p = feat["properties"]
            dept = p.get("dept_name", "")
            feat["properties"] = {"code": regional_code(country, p["code"]), "name": p["name"],
                                  "dept_name": f"{dept}, {country_names[country]}" if dept
                                  else country_names[country]}
            features.append(feat)
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"),
                      ensure_ascii=False)


def value_column(mode: str) -> str:
    """The ``regional_scores`` column a mode maps: ``score`` or ``<pooled>_score_pooled``."""
    if mode not in MODES:
        raise ValueError(f"unknown regional mode {mode!r}; expected one of {MODES}")
    return "score" if mode == "within_country" else f"{mode}_score_pooled"


def map_frame(regional: pd.DataFrame, mode: str) -> pd.DataFrame:
    """``regional_scores`` output as the frame ``dashboard.map_layer.risk_layer`` joins (composite
    form): regional ``code``, ``value`` (0..10), ``rank`` within the country, ``reliability``
    (0..10). No rank band, P(top N) or class text: those are one country's and the tooltip
    leaves them out (``regional_tooltip``)."""
    n = len(regional)
    return pd.DataFrame({
        "code": [regional_code(c, u) for c, u in zip(regional["country"], regional["code"])],
        "value": regional[value_column(mode)].to_numpy(float),
        "class_code": [""] * n, "rank": regional["rank"].to_numpy(float),
        "rank_p05": np.full(n, np.nan), "rank_p95": np.full(n, np.nan), "p_top": np.full(n, np.nan),
        "reliability": regional["reliability"].to_numpy(float)})


def regional_tooltip(tooltip, lang: str) -> tuple:
    """A composite ``RiskLayer.tooltip`` for the regional map: the rank is relabelled "rank in
    its country"; class, P(top N) and years (one country's notions) are dropped."""
    drop = {"k", "q", "y"}
    rank = t("region.tip_rank", lang)
    return tuple((f, rank if f == "b" else a) for f, a in tooltip if f not in drop)


def top_by_country(regional: pd.DataFrame, country: str, n: int, mode: str, lang: str) -> pd.DataFrame:
    """The ``n`` highest units of one country on the mode's value, for display: rank in the
    country (on that value), name, department, value (0..10, two decimals) and reliability."""
    col = value_column(mode)
    rows = regional[(regional["country"] == country) & regional[col].notna()]
    rows = rows.sort_values([col, "code"], ascending=[False, True]).head(n)
    return pd.DataFrame({
        t("region.col_rank", lang): np.arange(1, len(rows) + 1),
        t("region.col_name", lang): rows["name"].to_numpy(),
        t("region.col_department", lang): rows["department"].to_numpy(),
        t("region.col_score", lang): [format_number(v, lang, 2) for v in rows[col]],
        t("region.col_reliability", lang): [format_number(v, lang, 1) for v in rows["reliability"]]})


def export_frame(regional: pd.DataFrame) -> pd.DataFrame:
    """The regional table for download: every column of ``regional_scores``, country codes
    upper case, the regional code first."""
    out = regional.copy()
    out.insert(0, "regional_code", [regional_code(c, u) for c, u in zip(out["country"], out["code"])])
    out["country"] = out["country"].str.upper()
    return out
