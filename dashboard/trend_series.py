"""What the Trends page shows: yearly series per unit with their 95% intervals, the national
total, the default units, the heat map matrix and the trend flags as display tables. Pure pandas
over ``risk_model``, no Streamlit.

Units: rates per the indicator's ``per`` (100,000 or 1,000) person-years, survey shares in
percent 0..100, published values as published.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.i18n import t
from dashboard.text import format_interval, format_number
from risk_model.estimates import ModelData, estimate_indicator, raw_interval
from risk_model.trends import FLAGS

NATIONAL = "_national"
HEATMAP_ROWS = 40


def _rank(data: ModelData, level: str) -> int:
    return list(data.units).index(level)


def effective_level(data: ModelData, indicator: str, level: str) -> str:
    """``level``, or the indicator's own level when that is coarser (a 44-municipio census
    figure is not shown per district: it would repeat the municipio's value)."""
    native = data.catalogue[indicator].level
    if native not in data.units or level not in data.units:
        return level if level in data.units else data.finest
    return native if _rank(data, native) > _rank(data, level) else level


def trend_indicators(data: ModelData) -> list[str]:
    """Catalogue ids with observations on a map level (national series left out), catalogue order."""
    return [i for i, ind in data.catalogue.items()
            if ind.level in data.units and len(data.indicator_observations(i))]


def _intervals(est, num, den):
    """Value and 95% interval per entry (``risk_model.estimates.raw_interval`` of the estimate's
    kind): exact Poisson for counts, Wilson for shares, none for published values."""
    return raw_interval(est.posterior, num, den, est.per)


def yearly_series(data: ModelData, indicator: str, *, level: str) -> pd.DataFrame:
    """One row per unit and year, plus the national total (``code == NATIONAL``).

    Columns ``code, name, department, year, count, exposure, value, lower, upper, smoothed``:
    counts as rates per ``per`` person-years of that single year with the exact Poisson 95%
    interval; survey shares in percent with the Wilson 95% interval; census values as published
    (no interval). ``smoothed`` is the year's Empirical Bayes estimate (the national row keeps its
    crude value). ``level`` is taken as given (see ``effective_level``).
    """
    units = data.units[level]
    frames = []
    for year in data.years(indicator):
        est = estimate_indicator(data, indicator, year=year, window=1, level=level)
        if est.years != (year,):
            continue
        num, den = np.asarray(est.numerator, float), np.asarray(est.denominator, float)
        value, low, high = _intervals(est, num, den)
        if np.isnan(value).all():  # published values without numerator and denominator
            value = np.asarray(est.raw, float)
        frames.append(pd.DataFrame({"code": units["code"].to_numpy(), "name": units["name"].to_numpy(),
                                    "department": units["dept_name"].to_numpy(), "year": year,
                                    "count": num, "exposure": den, "value": value, "lower": low, "upper": high,
                                    "smoothed": np.asarray(est.smoothed, float)}))
        both = ~np.isnan(num) & ~np.isnan(den)
        n_num, n_den = np.array([num[both].sum()]), np.array([den[both].sum()])
        if both.any():
            nv, nl, nh = _intervals(est, n_num, n_den)
            frames.append(pd.DataFrame({"code": [NATIONAL], "name": [NATIONAL], "department": [""], "year": [year],
                                        "count": n_num, "exposure": n_den, "value": nv, "lower": nl, "upper": nh,
                                        "smoothed": nv}))
    cols = ["code", "name", "department", "year", "count", "exposure", "value", "lower", "upper", "smoothed"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)[cols]
    return out[out["value"].notna()].reset_index(drop=True)


def national_context(observations: pd.DataFrame, country: str, indicator: str = "unodc_homicide_rate") -> pd.DataFrame:
    """The national series of ``indicator`` for ``country`` (``year, value``), e.g. UNODC's
    homicides per 100,000 population (1990-2018 for El Salvador); empty when absent."""
    obs = observations[(observations["indicator"] == indicator) & (observations["level"] == "country")
                       & (observations["unit"].str.lower() == country.lower())]
    return obs[["year", "value"]].sort_values("year").reset_index(drop=True)


def default_units(series: pd.DataFrame, n: int = 3) -> list[str]:
    """The ``n`` units with the most events (or weighted cases) over all years: their lines have
    narrow intervals; a small area with one event would crowd the chart with a huge band.
    Published values without counts: the highest mean value."""
    units = series[series["code"] != NATIONAL]
    if units.empty:
        return []
    key = "count" if units["count"].notna().any() and units["exposure"].ne(1).any() else "value"
    total = units.groupby("code")[key].sum(min_count=1).fillna(-np.inf)
    return sorted(total.index, key=lambda c: (-total[c], c))[:n]


def heatmap_matrix(series: pd.DataFrame, *, keep: list[str] = (), rows: int = HEATMAP_ROWS) -> pd.DataFrame:
    """Units x years of smoothed values (Empirical Bayes, so one event in a small district is not
    a hot cell): the ``keep`` units plus the highest on average, at most ``rows``.

    Index: unit names (with the department where names repeat); columns: years ascending.
    Sorted by the mean over years, highest first.
    """
    units = series[series["code"] != NATIONAL]
    if units.empty:
        return pd.DataFrame()
    wide = units.pivot_table(index="code", columns="year", values="smoothed", aggfunc="first")
    order = wide.mean(axis=1).sort_values(ascending=False)
    chosen = [c for c in keep if c in wide.index]
    chosen += [c for c in order.index if c not in chosen][: max(rows - len(chosen), 0)]
    wide = wide.loc[sorted(chosen, key=lambda c: -np.nan_to_num(order[c], nan=-np.inf))]
    names = units.drop_duplicates("code").set_index("code")
    dup = names["name"].duplicated(keep=False)
    label = names["name"].where(~dup, names["name"] + " (" + names["department"] + ")")
    wide.index = [label[c] for c in wide.index]
    return wide


def flag_table(trends: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``risk_model.result_tables.trend_table`` for display, numbers as text in ``lang``: translated
    flag, percent change per year with its 95% interval, events, years used; rising first."""
    df, names = _by_flag(trends, ["pct_change"], [False])
    return pd.DataFrame({
        t("trends.col_name", lang): names.to_numpy(),
        t("trends.col_flag", lang): [t(f"trends.flag_{f}", lang) for f in df["flag"]],
        t("trends.col_change", lang): [_signed(x, lang) for x in df["pct_change"]],
        t("trends.col_interval", lang): [format_interval(a, b, lang) for a, b in zip(df["pct_lower"], df["pct_upper"])],
        t("trends.col_events", lang): [format_number(x, lang, 0) for x in df["total_events"]],
        t("trends.col_years", lang): df["years_used"].astype(int).to_numpy(),
    })


#: Display order of the change flags (``risk_model.trends.FLAGS``): rising first, too little data last.
FLAG_ORDER = {flag: i for i, flag in enumerate(FLAGS)}


def _by_flag(frame: pd.DataFrame, then: list, ascending: list) -> tuple[pd.DataFrame, pd.Series]:
    """``frame`` sorted by flag (``FLAG_ORDER``), then by ``then``; and each row's name, with its
    code in brackets where two units share the name."""
    df = frame.assign(_o=frame["flag"].map(FLAG_ORDER)).sort_values(["_o", *then], ascending=[True, *ascending])
    dup = df["name"].duplicated(keep=False)
    return df, df["name"].where(~dup, df["name"] + " (" + df["code"] + ")")


def _signed(x, lang: str) -> str:
    text = format_number(x, lang)
    return f"+{text}" if text not in ("–",) and not text.startswith("-") and float(x) > 0 else text


def rolling_display(rolling: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``risk_model.rolling.rolling_table`` for display, numbers as text in ``lang``: name (with
    its code when two units share it), translated flag, rates per 100,000 person-years in the
    last and the previous 12 months, change in percent and the events of each window; rising
    first, then falling, stable and too little data, each by change (largest first)."""
    df, names = _by_flag(rolling, ["pct_change", "code"], [False, True])
    return pd.DataFrame({
        t("trends.col_name", lang): names.to_numpy(),
        t("trends.col_flag", lang): [t(f"trends.flag_{f}", lang) for f in df["flag"]],
        t("trends.col_rate_last", lang): [format_number(x, lang) for x in df["rate_last"]],
        t("trends.col_rate_prev", lang): [format_number(x, lang) for x in df["rate_prev"]],
        t("trends.col_change_12", lang): [_signed(x, lang) for x in df["pct_change"]],
        t("trends.col_events_last", lang): [format_number(x, lang, 0) for x in df["events_last"]],
        t("trends.col_events_prev", lang): [format_number(x, lang, 0) for x in df["events_prev"]],
    })


def flag_counts(trends: pd.DataFrame) -> dict:
    """Units per flag, in the order rising, falling, stable, insufficient."""
    counts = trends["flag"].value_counts()
    return {f: int(counts.get(f, 0)) for f in FLAGS}
