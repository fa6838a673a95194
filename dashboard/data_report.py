"""What the Data page reports about the data: sources, coverage per indicator and year, the
model indicators' diagnostics (coverage 0..1, skewness, excess kurtosis, collinear pairs) and the
source rows that could not be placed. Pure pandas, no Streamlit.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.i18n import messages, t
from dashboard.text import format_number, percent
from dashboard.trend_series import effective_level
from risk_model.estimates import ModelData, estimate_indicator
from risk_model.treatment import is_skewed, skew_kurtosis

COVERAGE_MIN = 0.66
COLLINEAR_R = 0.9


def sources_table(pack, lang: str) -> pd.DataFrame:
    """The pack's sources: dataset, source, licence, attribution, how to obtain it."""
    return pd.DataFrame([{t("data.col_dataset", lang): s.dataset, t("data.col_source", lang): s.text("source", lang),
                          t("data.col_licence", lang): s.text("licence", lang), t("data.col_attribution", lang): s.attribution,
                          t("data.col_obtain", lang): s.text("obtain", lang)} for s in pack.sources])


def sources_markdown(pack, lang: str) -> list[str]:
    """One Markdown block per pack source (project text from the pack, no user data): the source
    in bold, then licence, attribution and how to obtain it, each on its own line."""
    out = []
    for s in pack.sources:
        lines = [f"**{s.text('source', lang)}**", f"{t('data.col_licence', lang)}: {s.text('licence', lang)}",
                 f"{t('data.col_attribution', lang)}: {s.attribution}"]
        if s.text("obtain", lang):
            lines.append(f"{t('data.col_obtain', lang)}: {s.text('obtain', lang)}")
        lines.append(f"{t('data.col_dataset', lang)}: `{s.dataset}`")
        out.append("  \n".join(lines))
    return out


def coverage_matrix(observations: pd.DataFrame, catalogue: dict, lang: str,
                    level_names: dict | None = None) -> pd.DataFrame:
    """Units with data per indicator and level (rows) and year (columns); 0 where none.
    ``level_names``: level -> display name (``dashboard.data.level_names``); codes otherwise."""
    obs = observations[observations["level"] != "country"]
    if obs.empty:
        return pd.DataFrame()
    m = obs.groupby(["indicator", "level", "year"])["unit"].nunique().unstack("year", fill_value=0)
    m = m.reindex(columns=sorted(m.columns))
    order = {i: n for n, i in enumerate(catalogue)}
    m = m.iloc[sorted(range(len(m)), key=lambda k: (order.get(m.index[k][0], 10**6), m.index[k][1]))]
    m.index = pd.MultiIndex.from_tuples(
        [(catalogue[i].label(lang) if i in catalogue else i, (level_names or {}).get(lvl, lvl))
         for i, lvl in m.index],
        names=[t("data.col_indicator", lang), t("data.col_level", lang)])
    m.columns = [str(c) for c in m.columns]
    return m


def diagnostics(data: ModelData, indicators: list[str], *, year: int, window: int,
                level: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Per model indicator at ``year``: coverage (share of its own level's units with a value,
    0..1), skewness and excess kurtosis of the scored (smoothed) values, and the values themselves
    on ``level`` (default the finest) for correlations. Indicators without data up to ``year``
    are listed with coverage 0."""
    level = level or data.finest
    rows, values = [], {}
    for ind_id in indicators:
        if ind_id not in data.catalogue or data.catalogue[ind_id].level not in data.units:
            continue
        native = effective_level(data, ind_id, level)
        est = estimate_indicator(data, ind_id, year=year, window=window, level=native)
        raw = np.asarray(est.raw, float)
        cov = float((~np.isnan(raw)).mean()) if est.years else 0.0
        skew, kurt = skew_kurtosis(est.smoothed) if est.years else (np.nan, np.nan)
        rows.append({"indicator": ind_id, "level": native, "years": "–".join(map(str, sorted({min(est.years),
                     max(est.years)}))) if est.years else "", "coverage": cov, "skew": skew, "kurtosis": kurt,
                     "low_coverage": cov < COVERAGE_MIN, "skewed": is_skewed(skew, kurt)})
        if est.years:
            values[ind_id] = np.asarray(estimate_indicator(data, ind_id, year=year, window=window,
                                                           level=level).smoothed, float)
    return pd.DataFrame(rows, columns=["indicator", "level", "years", "coverage", "skew", "kurtosis",
                                       "low_coverage", "skewed"]), values


def collinear_pairs(values: dict, threshold: float = COLLINEAR_R, min_units: int = 10) -> pd.DataFrame:
    """Pairs of indicators whose Pearson |r| over the units where both have values exceeds
    ``threshold``: ``a, b, r, n``."""
    ids, out = list(values), []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            x, y = values[a], values[b]
            ok = ~np.isnan(x) & ~np.isnan(y)
            if ok.sum() < min_units or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
                continue
            r = float(np.corrcoef(x[ok], y[ok])[0, 1])
            if abs(r) > threshold:
                out.append({"a": a, "b": b, "r": r, "n": int(ok.sum())})
    return pd.DataFrame(out, columns=["a", "b", "r", "n"])


def unmatched_report(unmatched: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Source rows that could not be placed, each with the reason in plain words."""
    table = messages(lang)
    why = [table.get(f"data.reason_{r}", r) for r in unmatched["reason"]]
    return unmatched.assign(explanation=why)[["dataset", "row", "value", "explanation", "suggestion", "file",
                                              "column", "reason"]]


def headers(df: pd.DataFrame, prefix: str, lang: str) -> pd.DataFrame:
    """``df`` with each column renamed to the message ``prefix + column`` when there is one."""
    table = messages(lang)
    return df.rename(columns={c: table.get(f"{prefix}{c}", c) for c in df.columns})


def diagnostics_display(diag: pd.DataFrame, catalogue: dict, lang: str,
                        level_names: dict | None = None) -> pd.DataFrame:
    """``diagnostics`` for display: coverage in percent, skew and kurtosis, warnings in words;
    ``level_names`` as in ``coverage_matrix``."""
    warn = [", ".join(w for w, on in ((t("data.warn_coverage", lang), low), (t("data.warn_skew", lang), sk)) if on)
            for low, sk in zip(diag["low_coverage"], diag["skewed"])]
    return pd.DataFrame({
        t("data.col_indicator", lang): [catalogue[i].label(lang) for i in diag["indicator"]],
        t("data.col_warning", lang): warn,
        t("data.col_level", lang): [(level_names or {}).get(lvl, lvl) for lvl in diag["level"]],
        t("data.col_years", lang): diag["years"],
        t("data.col_coverage", lang): [percent(x, lang) for x in diag["coverage"]],
        t("data.col_skew", lang): [format_number(x, lang, 2) for x in diag["skew"]],
        t("data.col_kurtosis", lang): [format_number(x, lang, 2) for x in diag["kurtosis"]],
    })


def pairs_display(pairs: pd.DataFrame, catalogue: dict, lang: str) -> pd.DataFrame:
    """Collinear pairs with indicator labels and r as text."""
    return pd.DataFrame({
        t("data.col_a", lang): [catalogue[i].label(lang) for i in pairs["a"]],
        t("data.col_b", lang): [catalogue[i].label(lang) for i in pairs["b"]],
        "r": [format_number(x, lang, 2) for x in pairs["r"]],
        t("data.col_n", lang): pairs["n"].to_numpy(),
    })
