"""What the Profile and Compare pages show: one unit's indicators with intervals and sparkline
values, its neighbours, and units side by side, as display tables. Pure pandas, no Streamlit.

Scores 0..10 (10 = highest risk), ranks 1..N, probabilities as whole percents, reliability 0..10.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.i18n import t
from dashboard.text import format_interval, format_number, percent
from dashboard.trend_series import effective_level, trend_indicators
from risk_model.estimates import ModelData, estimate_indicator


def resolve_profile(requested: str | None, requested_level: str | None, level: str,
                    codes: dict[str, list[str]]) -> tuple[str, str | None]:
    """The level and unit a profile opens on: ``requested`` at ``level`` when it is a unit there,
    else at ``requested_level`` when it is one there (a map click on another level), else
    ``(level, None)`` (the page then opens on the highest-scored unit).

    >>> resolve_profile("0101", None, "district", {"district": ["0101"], "department": ["01"]})
    ('district', '0101')
    >>> resolve_profile("01", "department", "district", {"district": ["0101"], "department": ["01"]})
    ('department', '01')
    >>> resolve_profile("9999", "department", "district", {"district": ["0101"], "department": ["01"]})
    ('district', None)
    """
    if requested and requested in codes.get(level, ()):
        return level, requested
    if requested and requested_level in codes and requested in codes[requested_level]:
        return requested_level, requested
    return level, None


def profile_indicators(data: ModelData, code: str, *, level: str, year: int, window: int, lang: str,
                       series: dict | None = None) -> pd.DataFrame:
    """Every indicator with data up to ``year`` for one unit: raw and smoothed values with the
    smoothed value's 95% interval, the years pooled, the unit; ``trend`` is the unit's yearly
    values (for a sparkline; empty for a single year)."""
    rows = []
    for ind_id in trend_indicators(data):
        ind = data.catalogue[ind_id]
        lvl = effective_level(data, ind_id, level)
        est = estimate_indicator(data, ind_id, year=year, window=window, level=level)
        if not est.years:
            continue
        pos = data.lookup("position", level).get(code)
        if pos is None:
            continue
        spark = []
        if series is not None and ind_id in series:
            s = series[ind_id]
            own = code if lvl == level else _parent(data, code, lvl, level)
            spark = s[s["code"] == own].sort_values("year")["value"].round(3).tolist()
        years = f"{min(est.years)}–{max(est.years)}" if len(est.years) > 1 else str(est.years[0])
        lower, upper = est.smoothed_interval()  # "–" where the value has no sampling error
        rows.append({"indicator": ind_id, "label": ind.label(lang), "years": years,
                     "raw": est.raw[pos], "smoothed": est.smoothed[pos],
                     "interval": format_interval(lower[pos], upper[pos], lang, 2),
                     "unit": ind.unit(lang), "trend": spark if len(spark) > 1 else []})
    return pd.DataFrame(rows, columns=["indicator", "label", "years", "raw", "smoothed", "interval", "unit",
                                       "trend"])


def _parent(data: ModelData, code: str, parent_level: str, level: str) -> str | None:
    """The code of ``code``'s unit at the coarser ``parent_level`` (None when unknown)."""
    from risk_model.estimates import PARENT_KEY

    column = PARENT_KEY.get(parent_level)
    if column is None or column not in data.units[level]:
        return None
    return data.lookup(column, level).get(code)


def neighbours_table(data: ModelData, table: pd.DataFrame, code: str, *, level: str) -> pd.DataFrame:
    """Queen neighbours of ``code`` at ``level`` with their score, rank and reliability."""
    pos = data.lookup("position", level).get(code)
    if pos is None:
        return table.iloc[0:0]
    codes = data.units[level]["code"].to_numpy()[data.neighbours[level][pos]]
    cols = [c for c in ("code", "name", "department", "score", "rank", "rank_p05", "rank_p95", "p_top",
                        "reliability")
            if c in table]
    return table[table["code"].isin(codes)][cols].sort_values("rank").reset_index(drop=True)


def _band(low, high, lang: str) -> str:
    return format_interval(low, high, lang, 0)


def compare_table(table: pd.DataFrame, codes: list[str], dimensions, lang: str, top_n: int | str = "N") -> pd.DataFrame:
    """Side by side (one row per unit, in ``codes`` order), numbers as text in ``lang``:
    dimension scores and score (0..10), rank with its 5th-95th percentile band, P(top N) in
    percent and reliability (0..10)."""
    df = table.set_index("code").reindex([c for c in codes if c in set(table["code"])]).reset_index()
    out = pd.DataFrame({t("compare.col_name", lang): df["name"], t("compare.col_department", lang): df["department"]})
    for d in dimensions:
        if d in df:
            out[t(f"compare.dim_{d}", lang)] = [format_number(x, lang, 2) for x in df[d]]
    return pd.concat([out, score_columns(df, lang, top_n)], axis=1)


def score_columns(df: pd.DataFrame, lang: str, top_n: int | str = "N") -> pd.DataFrame:
    """Score, rank, rank band, P(top N) and reliability of result rows, as text in ``lang``."""
    return pd.DataFrame({
        t("compare.col_score", lang): [format_number(x, lang, 2) for x in df["score"]],
        t("compare.col_rank", lang): [format_number(x, lang, 0) for x in df["rank"]],
        t("compare.col_band", lang): [_band(a, b, lang) for a, b in zip(df["rank_p05"], df["rank_p95"])],
        t("compare.col_p_top", lang, n=top_n): [percent(x, lang)
                                                for x in (df["p_top"] if "p_top" in df else [np.nan] * len(df))],
        t("compare.col_reliability", lang): [format_number(x, lang, 1) for x in df["reliability"]],
    }, index=df.index)


def neighbours_display(neighbours: pd.DataFrame, lang: str, top_n: int | str = "N") -> pd.DataFrame:
    """``neighbours_table`` for display: name, department, then ``score_columns``."""
    out = pd.DataFrame({t("compare.col_name", lang): neighbours["name"],
                        t("compare.col_department", lang): neighbours["department"]}, index=neighbours.index)
    return pd.concat([out, score_columns(neighbours, lang, top_n)], axis=1)


def profile_display(indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``profile_indicators`` for display: numbers as text in ``lang``, translated headers, the
    trend sparkline right after the label."""
    return pd.DataFrame({
        t("profile.col_indicator", lang): indicators["label"],
        t("profile.col_trend", lang): indicators["trend"],
        t("profile.col_years", lang): indicators["years"],
        t("profile.col_raw", lang): [format_number(x, lang, 2) for x in indicators["raw"]],
        t("profile.col_smoothed", lang): [format_number(x, lang, 2) for x in indicators["smoothed"]],
        t("profile.col_interval", lang): indicators["interval"],
        t("profile.col_unit", lang): indicators["unit"],
    })
