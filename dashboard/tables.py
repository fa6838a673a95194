"""Tables the Trends, Profile, Compare and Data pages show: pure pandas over ``risk_model`` and
``geodata`` results, no Streamlit, so every one is tested without a browser.

Numbers keep their units: rates per the indicator's ``per`` (100,000 or 1,000) person-years,
survey shares in percent 0..100, scores 0..10 (10 = highest risk), probabilities 0..1.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

from dashboard.i18n import messages, t
from dashboard.text import format_interval, format_number, neutralise_formula
from geodata.errors import DataError
from risk_model.estimates import ModelData, estimate_indicator
from risk_model.rates import poisson_interval, share_interval
from risk_model.treatment import skew_kurtosis

__all__ = ["NATIONAL", "effective_level", "trend_indicators", "yearly_series", "national_context",
           "default_units", "heatmap_matrix", "flag_table", "flag_counts", "resolve_profile",
           "profile_indicators", "profile_display", "neighbours_table", "neighbours_display",
           "compare_table", "score_columns", "percent", "sources_table", "sources_markdown", "coverage_matrix",
           "diagnostics", "collinear_pairs", "unmatched_report", "headers", "registry_display", "csv_bytes", "problems_table",
           "preview_counts", "diagnostics_display", "pairs_display", "new_indicator_options", "run_import",
           "run_rollback", "import_preview_display", "rollback_preview_display", "methodology_text", "COVERAGE_MIN", "COLLINEAR_R"]

NATIONAL = "_national"
COVERAGE_MIN = 0.66
COLLINEAR_R = 0.9
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
    """Value and 95% interval per entry: exact Poisson for counts, Wilson for shares, none for
    published values."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    if est.posterior == "gamma":
        ok = den > 0
        ci = poisson_interval(np.where(ok, np.nan_to_num(num), 0), np.where(ok, den, 0), per=est.per)
        return [np.where(ok, a, np.nan) for a in (ci.raw, ci.lower, ci.upper)]
    if est.posterior == "beta":
        ok = (den > 0) & ~np.isnan(num)
        n = np.where(ok, den, 1.0)
        ci = share_interval(np.clip(np.where(ok, num, 0), 0, n), n)
        return [np.where(ok, a, np.nan) for a in (ci.share, ci.lower, ci.upper)]
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(den > 0, num / den, np.nan)
    return value, np.full_like(value, np.nan), np.full_like(value, np.nan)


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
        if est.posterior == "fixed" and np.isnan(num).all():
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
    """``risk_model.tables.trend_table`` for display, numbers as text in ``lang``: translated
    flag, percent change per year with its 95% interval, events, years used; rising first."""
    order = {"rising": 0, "falling": 1, "stable": 2, "insufficient": 3}
    df = trends.assign(_o=trends["flag"].map(order)).sort_values(["_o", "pct_change"], ascending=[True, False])
    dup = df["name"].duplicated(keep=False)
    names = df["name"].where(~dup, df["name"] + " (" + df["code"] + ")")
    return pd.DataFrame({
        t("trends.col_name", lang): names.to_numpy(),
        t("trends.col_flag", lang): [t(f"trends.flag_{f}", lang) for f in df["flag"]],
        t("trends.col_change", lang): [_signed(x, lang) for x in df["pct_change"]],
        t("trends.col_interval", lang): [format_interval(a, b, lang) for a, b in zip(df["pct_lower"], df["pct_upper"])],
        t("trends.col_events", lang): [format_number(x, lang, 0) for x in df["total_events"]],
        t("trends.col_years", lang): df["years_used"].astype(int).to_numpy(),
    })


def _signed(x, lang: str) -> str:
    text = format_number(x, lang)
    return f"+{text}" if text not in ("–",) and not text.startswith("-") and float(x) > 0 else text


def flag_counts(trends: pd.DataFrame) -> dict:
    """Units per flag, in the order rising, falling, stable, insufficient."""
    counts = trends["flag"].value_counts()
    return {f: int(counts.get(f, 0)) for f in ("rising", "falling", "stable", "insufficient")}


# -- profile and compare -------------------------------------------------------------------------
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
        rows.append({"indicator": ind_id, "label": ind.label(lang), "years": years,
                     "raw": est.raw[pos], "smoothed": est.smoothed[pos],
                     "interval": format_interval(est.lower[pos], est.upper[pos], lang, 2)
                     if est.posterior != "fixed" else "–",
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


def percent(x, lang: str) -> str:
    """A probability or share 0..1 as a whole percent: Spanish ``58 %``, English ``58%``; "–" if missing.

    >>> percent(0.583, "es"), percent(0.583, "en"), percent(float("nan"), "en")
    ('58 %', '58%', '–')
    """
    if x is None or pd.isna(x):
        return "–"
    return format_number(100 * x, lang, 0) + (" %" if lang == "es" else "%")


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


# -- data page -----------------------------------------------------------------------------------
def sources_table(pack, lang: str) -> pd.DataFrame:
    """The pack's sources: dataset, source, licence, attribution, how to obtain it."""
    return pd.DataFrame([{t("data.col_dataset", lang): s.dataset, t("data.col_source", lang): s.source,
                          t("data.col_licence", lang): s.licence, t("data.col_attribution", lang): s.attribution,
                          t("data.col_obtain", lang): getattr(s, "obtain", "")} for s in pack.sources])


def sources_markdown(pack, lang: str) -> list[str]:
    """One Markdown block per pack source (project text from the pack, no user data): the source
    in bold, then licence, attribution and how to obtain it, each on its own line."""
    out = []
    for s in pack.sources:
        lines = [f"**{s.source}**", f"{t('data.col_licence', lang)}: {s.licence}",
                 f"{t('data.col_attribution', lang)}: {s.attribution}"]
        if getattr(s, "obtain", ""):
            lines.append(f"{t('data.col_obtain', lang)}: {s.obtain}")
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
                     "low_coverage": cov < COVERAGE_MIN, "skewed": bool(abs(np.nan_to_num(skew)) > 2
                                                                        and np.nan_to_num(kurt) > 3.5)})
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


def registry_display(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The dataset registry or its history (``geodata.importing.datasets_table``,
    ``Store.history``) with translated headers and kind, status and action values."""
    table = messages(lang)
    out = df.copy()
    for col, prefix in (("kind", "rollback.kind_"), ("status", "rollback.status_value_"),
                        ("action", "rollback.action_")):
        if col in out:
            out[col] = [table.get(f"{prefix}{v}", v) for v in out[col]]
    return headers(out, "rollback.col_", lang)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets read accents) whose text cells cannot run as formulas."""
    safe = df.copy()
    for col in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise_formula)
    buf = io.StringIO()
    safe.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def problems_table(err: DataError, lang: str) -> pd.DataFrame:
    """The problems of a rejected import, each message in ``lang``: ``row, column, value, problem``."""
    from geodata.validation import problems_frame

    probs = err.params.get("problems") or ()
    table = messages(lang)
    rows = []
    for p in probs:
        try:
            text = table[p.key].format(**p.params) if p.key in table else p.message
        except (KeyError, IndexError, ValueError):
            text = p.message
        rows.append({"row": p.row, "column": p.column, "value": p.value, "problem": text})
    if not rows:
        frame = problems_frame(err)
        rows = [{"row": r.row, "column": r.column, "value": r.value, "problem": r.message}
                for r in frame.itertuples()]
    return pd.DataFrame(rows, columns=["row", "column", "value", "problem"])


def preview_counts(report) -> dict:
    """``added, changed, unchanged, kept, skipped`` of an ``ImportReport`` (dry run or not)."""
    return {"added": report.added, "changed": report.changed, "unchanged": report.unchanged,
            "kept": report.kept, "skipped": len(report.skipped)}



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


# -- import and rollback (the Data page's editor section) ----------------------------------------
EDITOR_NAME = "dashboard:editor"


def new_indicator_options(form: dict) -> dict | None:
    """The ``new_indicator`` options of ``geodata.importing.import_file`` from the page's form
    fields (``label_es, label_en, kind, dimension, unit, direction, sensitive``); None when every
    text field is empty (an existing indicator is meant)."""
    texts = ("label_es", "label_en", "unit")
    if not any(str(form.get(k) or "").strip() for k in texts):
        return None
    out = {k: str(form.get(k) or "").strip() for k in texts}
    out.update(kind=form.get("kind"), dimension=form.get("dimension"),
               direction=int(form.get("direction", 1)), sensitive=bool(form.get("sensitive", False)))
    return out


def run_import(store, content: bytes, filename: str, *, indicator: str, token: str | None, secrets=None,
               new_indicator: dict | None = None, year: int | None = None, value_column: str | None = None,
               dataset: str | None = None, country: str = "slv", dry_run: bool = True):
    """What the Data page's uploader calls: check editor rights, then validate (``dry_run``) or
    import the uploaded bytes. Raises ``DataError`` (``roles.*`` or ``import.*``); nothing is
    written unless the token is right, the whole file is valid and ``dry_run`` is False."""
    from geodata.importing import import_file
    from geodata.roles import require_editor

    require_editor(token, secrets=secrets)
    return import_file(store, content, filename=filename, country=country, indicator=indicator.strip(),
                       editor=EDITOR_NAME, year=year, value_column=(value_column or "").strip() or None,
                       dataset=(dataset or "").strip() or None, new_indicator=new_indicator, dry_run=dry_run)


def run_rollback(store, name: str, version: int, *, token: str | None, secrets=None, country: str = "slv",
                 dry_run: bool = True):
    """Editor rights, then a rollback of an imported dataset (``dry_run``: the preview only)."""
    from geodata.importing import rollback
    from geodata.roles import require_editor

    require_editor(token, secrets=secrets)
    return rollback(store, name, to_version=int(version), editor=EDITOR_NAME, country=country, dry_run=dry_run)


def import_preview_display(report, lang: str) -> pd.DataFrame:
    """An ``ImportReport``'s preview (one row per value) with translated headers and change."""
    p = report.preview
    return pd.DataFrame({
        t("import.col_row", lang): p["row"].to_numpy(), t("import.col_unit", lang): p["name"].to_numpy(),
        t("import.col_year", lang): p["year"].to_numpy(),
        t("import.col_value", lang): [format_number(x, lang, 2) for x in p["value"]],
        t("import.col_previous", lang): [format_number(x, lang, 2) for x in p["previous"]],
        t("import.col_change", lang): [t(f"import.change_{c}", lang) for c in p["change"]],
    })


def rollback_preview_display(report, lang: str) -> pd.DataFrame:
    """A ``RollbackReport``'s preview with translated headers and change."""
    p = report.preview
    return pd.DataFrame({
        t("data.col_indicator", lang): p["indicator"].to_numpy(), t("import.col_unit", lang): p["unit"].to_numpy(),
        t("import.col_year", lang): p["year"].to_numpy(),
        t("rollback.col_now", lang): [format_number(x, lang, 2) for x in p["value_now"]],
        t("rollback.col_after", lang): [format_number(x, lang, 2) for x in p["value_after"]],
        t("import.col_change", lang): [t(f"rollback.change_{c}", lang) for c in p["change"]],
    })


def methodology_text(lang: str) -> str:
    """The methodology in ``lang`` (``docs/methodology.<lang>.md``, project text, no user data)."""
    from pathlib import Path

    from dashboard.i18n import normalise_lang

    docs = Path(__file__).resolve().parent.parent / "docs"
    return (docs / f"methodology.{normalise_lang(lang)}.md").read_text(encoding="utf-8")
