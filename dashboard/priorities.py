"""The Priorities page's logic, outside the page: constraints, the top N, the programme list,
the scenario summary and the shortlist export (no Streamlit here).

``select_top`` is the selection rule (pure, tested in ``tests/test_dashboard_priorities.py``);
``ranked_view`` the table the page shows; ``export_bytes`` the CSV and XLSX downloads, with every
text cell passed through ``dashboard.text.neutralise_formula``.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

from dashboard.i18n import t
from dashboard.text import csv_bytes, format_number, neutralise_formula
from geodata.names import DIMENSIONS

__all__ = ["PROGRAMME_MUNICIPALITIES", "PROGRAMMES", "programme_codes", "codes_at_level", "select_top",
           "ranked_view", "scenario_summary", "export_bytes", "column_header", "PHONE_COLUMNS"]

#: Column -> message of its header: one name per column on screen (the Priorities table, the
#: shortlist, the programme view) and in every download of them (score table, shortlist CSV,
#: XLSX, PDF). ``p_top`` and ``label`` name N. Any other column: ``export.col_<column>``.
HEADERS = {"rank": "priorities.col_rank", "name": "priorities.col_name",
           "department": "priorities.col_department", "score": "priorities.col_score",
           "class": "priorities.col_class", "band": "priorities.col_band", "p_top": "priorities.col_p_top",
           "label": "confidence.col_table", "reliability": "priorities.col_reliability",
           "selected": "priorities.col_selected", "code": "priorities.col_code", "note": "priorities.col_note",
           "why": "why.col_bar", "position": "shortlist.col_position", "pinned": "shortlist.col_pinned",
           "remove": "shortlist.col_remove"}
#: What a phone (390 px wide) shows of a ranked table without sideways scrolling.
PHONE_COLUMNS = ("rank", "name", "score", "label", "p_top")

#: The eight municipalities prioritised by the IOM/USAID reintegration programme, as
#: (name, department). Resolved to district codes with ``geodata.matching.Matcher``, never
#: hard-coded as codes.
PROGRAMME_MUNICIPALITIES = (
    ("Jiquilisco", "Usulután"), ("San Pablo Tacachico", "La Libertad"),
    ("Nueva Concepción", "Chalatenango"), ("La Unión", "La Unión"),
    ("San Salvador", "San Salvador"), ("Santa Ana", "Santa Ana"),
    ("Quezaltepeque", "La Libertad"), ("Ilopango", "San Salvador"),
)
#: Country -> the programme's municipalities there (name, department); none known elsewhere.
PROGRAMMES = {"slv": PROGRAMME_MUNICIPALITIES}


def programme_codes(matcher, names=PROGRAMME_MUNICIPALITIES) -> tuple[list[str], list[str]]:
    """District codes of ``names`` (name, department) through ``matcher.resolve``.

    Returns ``(codes, unresolved names)``; codes in the order given, without duplicates.
    """
    codes, missing = [], []
    for name, dept in names:
        m = matcher.resolve(name, dept, level="district")
        if m.code is None:
            missing.append(name)
        elif m.code not in codes:
            codes.append(m.code)
    return codes, missing


def codes_at_level(unit_codes, units: pd.DataFrame, level: str) -> list[str]:
    """The units of ``level`` holding ``unit_codes``, codes of the country's finest units
    (El Salvador's districts; elsewhere municipios): their 2024 municipio or department.

    ``units`` is the finest units table (``code``, ``dept_code``, and ``mun2024_code`` in El
    Salvador); at the finest level itself the codes come back unchanged.
    """
    codes = [str(c) for c in unit_codes]
    column = {"municipio_2024": "mun2024_code", "department": "dept_code"}.get(level)
    if column is None or column not in units:
        return codes
    parent = units.set_index("code")[column]
    return list(dict.fromkeys(parent.reindex(codes).dropna().astype(str)))


def select_top(table: pd.DataFrame, n: int, *, exclude=(), per_department: int = 0) -> pd.DataFrame:
    """The ranked units that pass the constraints, with the first ``n`` marked ``selected``.

    Parameters
    ----------
    table : DataFrame
        ``code, department, score, rank`` at least (``ModelResult.table``); units without a
        score (NaN) are dropped.
    n : int
        Shortlist size, >= 1; when fewer units are eligible, all of them are selected.
    exclude : iterable of str
        Codes left out (e.g. the units the programme already covers).
    per_department : int
        At most this many selected units per department; 0 = no limit. A unit over the cap
        stays in the table, unselected, so the next eligible unit moves up.

    Returns
    -------
    DataFrame
        The eligible rows in rank order (ties by code) with ``selected`` (bool) and
        ``position`` (1..n for selected rows, NaN otherwise).

    Examples
    --------
    >>> t = pd.DataFrame({"code": list("abcde"), "department": ["X", "X", "X", "Y", "Y"],
    ...                   "score": [9, 8, 7, 6, 5.0], "rank": [1, 2, 3, 4, 5.0]})
    >>> select_top(t, 3, per_department=2).query("selected")["code"].tolist()
    ['a', 'b', 'd']
    >>> select_top(t, 2, exclude=["a"]).query("selected")["code"].tolist()
    ['b', 'c']
    """
    if int(n) < 1:
        raise ValueError("n must be at least 1")
    excluded = {str(c) for c in exclude}
    out = table[table["score"].notna() & ~table["code"].astype(str).isin(excluded)]
    out = out.sort_values(["rank", "code"]).reset_index(drop=True)
    selected = np.zeros(len(out), bool)
    taken: dict = {}
    count = 0
    for i, dept in enumerate(out["department"]):
        if count >= n:
            break
        if per_department and taken.get(dept, 0) >= per_department:
            continue
        selected[i] = True
        taken[dept] = taken.get(dept, 0) + 1
        count += 1
    out["selected"] = selected
    out["position"] = np.where(selected, np.cumsum(selected), np.nan)
    return out


def ranked_view(selection: pd.DataFrame, lang: str, n: int | None = None,
                parts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The table the page shows: rank, name, department, score (0..10, text in the language's
    number format), the "why" bar (data URI, when ``parts``, ``risk_model.contributions.
    contribution_table``, is given), the confidence words for the top ``n`` (when given), class
    label, rank band text, P(top N) (percent 0..100, whole numbers), reliability (0..10, text),
    selected, code. Labels come from i18n."""
    from dashboard.confidence import confidence_words
    from dashboard.why import bar_uri, contribution_columns

    band = [("" if np.isnan(lo) else
             f"{format_number(lo, lang, 0)}–{format_number(hi, lang, 0)}")
            for lo, hi in zip(selection["rank_p05"].to_numpy(float),
                              selection["rank_p95"].to_numpy(float))]
    out = pd.DataFrame({
        "rank": selection["rank"].astype(int).to_numpy(),
        "name": selection["name"].to_numpy(), "department": selection["department"].to_numpy(),
        "score": [format_number(x, lang, 2) for x in selection["score"].to_numpy(float)]})
    if parts is not None and contribution_columns(parts):
        by_code = parts.set_index(parts["code"].astype(str))
        rows = by_code.reindex(selection["code"].astype(str))[contribution_columns(parts)]
        out["why"] = [bar_uri(r) for _, r in rows.iterrows()]
    if n is not None:
        out["label"] = confidence_words(selection["p_top"].to_numpy(float), lang)
    return out.assign(**{
        "class": [t(f"legend.class_{c}", lang) if c else "" for c in selection["class_code"]],
        "band": band, "p_top": (100 * selection["p_top"].to_numpy(float)).round(0),
        "reliability": [format_number(x, lang, 1) for x in selection["reliability"].to_numpy(float)],
        "selected": selection["selected"].to_numpy(bool),
        "code": selection["code"].astype(str).to_numpy(),
    })


def column_header(col: str, lang: str, n: int) -> str:
    """The header of a table column in ``lang`` (``HEADERS``; else ``export.col_<col>``; else
    the column's own name), ``n`` the top N it names (``p_top``, ``label``)."""
    key = HEADERS.get(col, f"export.col_{col}")
    try:
        return t(key, lang, n=int(n))
    except KeyError:
        return col


def scenario_summary(spec, lang: str) -> str:
    """One line for the sidebar: weights per dimension, aggregation, scheme and N."""
    # only the dimensions the country's model has indicators for (Mexico: lethal violence)
    shown = [d for d in DIMENSIONS if any(i.dimension == d for i in spec.indicators)] or list(DIMENSIONS)
    weights = ", ".join(f"{t(f'priorities.dim_{d}', lang).lower()} "
                        f"{format_number(spec.weight(d) if d in spec.enabled else 0, lang, 1)}"
                        for d in shown)
    return t("sidebar.scenario", lang, weights=weights,
             aggregation=t(f"priorities.agg_{spec.aggregation}", lang),
             scheme=t(f"scheme.{spec.scheme}", lang), n=spec.top_n)


def export_bytes(frame: pd.DataFrame, fmt: str, *, columns: dict, footer: str, lang: str) -> bytes:
    """The shortlist as CSV (``dashboard.text.csv_bytes``: the format of ``lang``) or XLSX.

    ``columns`` maps column -> header (translated); ``footer`` (e.g. the scenario key and the
    year) goes in a last row. Every text cell, headers and footer included, passes
    ``neutralise_formula``, so a note such as ``=HYPERLINK(...)`` stays text.
    """
    out = frame[list(columns)].rename(columns=columns)
    out = out.map(neutralise_formula)
    out.columns = [neutralise_formula(c) for c in out.columns]
    foot = pd.DataFrame([[neutralise_formula(footer)] + [""] * (out.shape[1] - 1)], columns=out.columns)
    out = pd.concat([out, foot], ignore_index=True)
    if fmt == "csv":
        return csv_bytes(out, lang)
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "shortlist"
        ws.append(list(out.columns))
        for row in out.itertuples(index=False):
            ws.append([None if isinstance(v, float) and np.isnan(v) else v for v in row])
        for cell in ws.iter_rows():  # openpyxl reads "=..." as a formula: force text cells
            for c in cell:
                if isinstance(c.value, str):
                    c.data_type = "s"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    raise ValueError(f"unknown export format {fmt!r}")


def model_error_text(err, spec, data, year: int, lang: str) -> str:
    """A clear sentence for a ``DataError`` of ``run_model``: every weight 0, no data up to the
    year (naming the first year with data), else the error's translation."""
    from dashboard.i18n import t_error

    if err.key == "model.no_weight":
        return t("priorities.no_weight", lang)
    if err.key == "model.no_data":
        years = [y for i in spec.active_indicators() if i.id in data.catalogue for y in data.years(i.id)]
        if years:
            return t("map.no_model_data", lang, year=year, first=min(years))
    return t_error(err, lang)
