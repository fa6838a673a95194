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
import math

import numpy as np
import pandas as pd

from dashboard.i18n import t
from dashboard.text import format_number
from geodata.names import DIMENSIONS

__all__ = ["DIMENSION_COLOURS", "SCALE", "TOOLTIP_CSS", "contribution_columns", "bar_svg", "bar_uri", "bar_html",
           "legend_text", "why_table"]

#: Okabe-Ito colours per dimension, in ``geodata.names.DIMENSIONS`` order (vermillion, blue,
#: green, reddish purple).
DIMENSION_COLOURS = dict(zip(DIMENSIONS, ("#D55E00", "#0072B2", "#009E73", "#CC79A7")))
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


#: CSS of the tooltip bar (``bar_html``): one element, its parts as cumulative stops
#: ``--a``..``--d`` (percent of ``SCALE``) of a gradient in the dimensions' colours.
TOOLTIP_CSS = (".wb{display:inline-block;width:110px;height:10px;vertical-align:middle;background:linear-gradient("
               "90deg," + ",".join(f"{c} var(--{p}) var(--{q})" for c, p, q in zip(
                   DIMENSION_COLOURS.values(), ("z", "a", "b", "c"), ("a", "b", "c", "d")))
               + ",#eeeeee var(--d))}.wb{--z:0%}")


def bar_html(row) -> str:
    """The bar as one short element for the map tooltip (numbers only; see ``TOOLTIP_CSS``).

    >>> bar_html({"contrib_violence": 2.0, "contrib_displacement": 1.5})
    '<i class=wb style=--a:20%;--b:20%;--c:35%;--d:35%></i>'
    """
    stops, total = [], 0.0
    for d in DIMENSION_COLOURS:
        value = row.get(f"contrib_{d}") if hasattr(row, "get") else None
        value = float(value) if value is not None else math.nan
        if math.isfinite(value) and value > 0:  # math, not NumPy: 4 calls per unit on every map
            total += min(value, SCALE)
        stops.append(f"{100 * min(total, SCALE) / SCALE:.0f}%")
    return "<i class=wb style=" + ";".join(f"--{k}:{v}" for k, v in zip("abcd", stops)) + "></i>"


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
