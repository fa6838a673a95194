"""Why a unit scores what it does: its dimension scores and their contributions to the composite
(``risk_model.contributions``), drawn as one small stacked bar, the same everywhere (Priorities
table, map tooltip, Profile, shortlist PDF).

The bar's full width is the score scale 0..10: its length is the composite score and each
coloured part the points one dimension adds. Colours are Okabe-Ito (colour-blind safe, distinct
from the map's yellow-red classes). The bar is built from numbers and fixed colours only, never
from user or data text, so it is safe inside the tooltip's HTML.
"""
from __future__ import annotations

import base64

import numpy as np
import pandas as pd

from dashboard.i18n import t
from dashboard.text import format_number

__all__ = ["DIMENSION_COLOURS", "SCALE", "contribution_columns", "bar_svg", "bar_uri", "bar_html",
           "legend_text", "why_table"]

#: Okabe-Ito colours per dimension.
DIMENSION_COLOURS = {"violence": "#D55E00", "extortion": "#0072B2", "displacement": "#009E73",
                     "vulnerability": "#CC79A7"}
#: The score scale the bar spans (0..10).
SCALE = 10.0


def contribution_columns(frame: pd.DataFrame) -> list[str]:
    """The ``contrib_<dimension>`` columns of ``frame``, in ``DIMENSION_COLOURS`` order."""
    return [f"contrib_{d}" for d in DIMENSION_COLOURS if f"contrib_{d}" in frame]


def _parts(row) -> list[tuple[str, float]]:
    out = []
    for d in DIMENSION_COLOURS:
        value = row.get(f"contrib_{d}") if hasattr(row, "get") else None
        if value is not None and np.isfinite(float(value)) and float(value) > 0:
            out.append((d, float(value)))
    return out


def bar_svg(row, *, width: int = 120, height: int = 14) -> str:
    """An SVG stacked bar of a row's ``contrib_<dimension>`` values (0..``SCALE`` points)."""
    x = 0.0
    rects = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eeeeee"/>']
    for d, value in _parts(row):
        w = width * min(value, SCALE) / SCALE
        rects.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" '
                     f'fill="{DIMENSION_COLOURS[d]}"/>')
        x += w
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{"".join(rects)}</svg>')


def bar_uri(row, **kwargs) -> str:
    """``bar_svg`` as a data URI (for ``st.column_config.ImageColumn``)."""
    return "data:image/svg+xml;base64," + base64.b64encode(bar_svg(row, **kwargs).encode()).decode()


def bar_html(row, *, width: int = 120, height: int = 10) -> str:
    """The bar as inline HTML for the map tooltip (numbers and fixed colours only)."""
    spans = "".join(f'<span style="display:inline-block;height:{height}px;width:'
                    f'{width * min(v, SCALE) / SCALE:.1f}px;background:{DIMENSION_COLOURS[d]}"></span>'
                    for d, v in _parts(row))
    return (f'<span style="display:inline-block;white-space:nowrap;line-height:0;width:{width}px;'
            f'height:{height}px;background:#eeeeee">{spans}</span>')


def legend_text(dimensions, lang: str) -> str:
    """"Bar colours: violence (red-orange), ..." names only the dimensions shown."""
    names = {"#D55E00": "colour_vermilion", "#0072B2": "colour_blue", "#009E73": "colour_green",
             "#CC79A7": "colour_pink"}
    items = ", ".join(f"{t(f'priorities.dim_{d}', lang)} ({t('why.' + names[DIMENSION_COLOURS[d]], lang)})"
                      for d in DIMENSION_COLOURS if d in dimensions)
    return t("why.legend", lang, items=items)


def why_table(row, spec, lang: str) -> pd.DataFrame:
    """One unit's dimension scores (0..10), weights and contributions (points), as text in
    ``lang``, one row per weighted dimension of ``spec``."""
    rows = []
    for d in spec.dimensions:
        if spec.weight(d) <= 0 or d not in row:
            continue
        rows.append({t("why.col_dimension", lang): t(f"priorities.dim_{d}", lang),
                     t("why.col_score", lang): format_number(row[d], lang, 2),
                     t("why.col_weight", lang): format_number(spec.weight(d), lang, 1),
                     t("why.col_contribution", lang): format_number(row.get(f"contrib_{d}", np.nan), lang, 2)})
    return pd.DataFrame(rows)
