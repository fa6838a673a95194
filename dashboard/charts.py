"""Plotly figures of the Trends, Profile and Compare pages: returned, never drawn here.

Every label comes from ``t()`` or from the caller (already translated); numbers follow the
language (``separators``: Spanish ``1.234,5``, English ``1,234.5``). Colours are the Okabe-Ito
palette (colour-blind safe). Unit names reach plotly as plain text: plotly renders a small
subset of HTML in labels and hover text, so names are escaped first (``dashboard.text.escape``).
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import t
from dashboard.trend_series import NATIONAL
from dashboard.text import escape

__all__ = ["PALETTE", "trend_figure", "context_figure", "heatmap_figure", "compare_figure", "why_figure",
           "separators"]

#: Okabe-Ito, without black and yellow (kept for the national line and for contrast).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
NATIONAL_COLOUR = "#222222"
HEAT_SCALE = "YlOrRd"


def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks for ``lang``."""
    return ",." if lang == "es" else ".,"


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _layout(fig: go.Figure, lang: str, *, title: str, y_title: str, height: int = 420) -> go.Figure:
    fig.update_layout(title=dict(text=escape(title), x=0, xanchor="left"), separators=separators(lang),
                      height=height, margin=dict(l=10, r=10, t=60, b=10), hovermode="x unified",
                      legend=dict(yanchor="top", y=1, x=1.01, xanchor="left"),
                      plot_bgcolor="white", yaxis=dict(title=escape(y_title), gridcolor="#e5e5e5", rangemode="tozero"),
                      xaxis=dict(title=t("trends.axis_year", lang), gridcolor="#f0f0f0", dtick=1))
    return fig


def trend_figure(series: pd.DataFrame, codes: list[str], *, lang: str, title: str, unit: str,
                 bands: bool = True) -> go.Figure:
    """National line and one line per unit in ``codes``, each with its 95% interval band.

    ``series``: ``dashboard.trend_series.yearly_series`` (``code, name, year, value, lower, upper``).
    """
    fig = go.Figure()
    lines = [(NATIONAL, t("trends.national", lang), NATIONAL_COLOUR)]
    names = series.drop_duplicates("code").set_index("code")["name"]
    lines += [(c, names.get(c, c), PALETTE[i % len(PALETTE)]) for i, c in enumerate(codes) if c in names.index]
    for code, name, colour in lines:
        s = series[series["code"] == code].sort_values("year")
        if s.empty:
            continue
        label = escape(name)
        if bands and s["lower"].notna().any():
            fig.add_trace(go.Scatter(x=list(s["year"]) + list(s["year"])[::-1],
                                     y=list(s["upper"]) + list(s["lower"])[::-1], fill="toself",
                                     fillcolor=_rgba(colour, 0.15), line=dict(width=0), hoverinfo="skip", mode="lines",
                                     showlegend=False, legendgroup=code))
        fig.add_trace(go.Scatter(
            x=s["year"], y=s["value"], name=label, mode="lines+markers", legendgroup=code,
            line=dict(color=colour, width=3 if code == NATIONAL else 2),
            customdata=s[["lower", "upper"]].to_numpy(),
            hovertemplate=f"{label}: %{{y:,.1f}} ({t('trends.hover_interval', lang)} "
                          "%{customdata[0]:,.1f}–%{customdata[1]:,.1f})<extra></extra>"))
    return _layout(fig, lang, title=title, y_title=unit)


def context_figure(context: pd.DataFrame, *, lang: str, title: str, unit: str) -> go.Figure:
    """A national series over its own years (``year, value``), e.g. UNODC homicides."""
    fig = go.Figure(go.Scatter(x=context["year"], y=context["value"], mode="lines+markers",
                               name=escape(title), line=dict(color=NATIONAL_COLOUR, width=2),
                               hovertemplate="%{x}: %{y:,.1f}<extra></extra>"))
    fig = _layout(fig, lang, title=title, y_title=unit, height=320)
    fig.update_xaxes(dtick=2)
    fig.update_layout(showlegend=False)
    return fig


def heatmap_figure(matrix: pd.DataFrame, *, lang: str, title: str, unit: str) -> go.Figure:
    """Units (rows, highest first) x years heat map of ``dashboard.trend_series.heatmap_matrix``."""
    fig = go.Figure(go.Heatmap(
        z=matrix.to_numpy(), x=[str(c) for c in matrix.columns], y=[escape(i) for i in matrix.index],
        colorscale=HEAT_SCALE, colorbar=dict(title=dict(text=escape(unit), side="right")),
        hovertemplate="%{y}, %{x}: %{z:,.1f}<extra></extra>", hoverongaps=False))
    height = max(300, 120 + 18 * len(matrix))
    fig.update_layout(title=dict(text=escape(title), x=0, xanchor="left"), separators=separators(lang),
                      height=height, margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="#d9d9d9",
                      yaxis=dict(autorange="reversed", type="category"),
                      xaxis=dict(type="category", side="top"))
    return fig


def compare_figure(table: pd.DataFrame, codes: list[str], dimensions, *, lang: str, title: str) -> go.Figure:
    """Grouped bars: one group per dimension and the composite score (0..10), one bar per unit.

    ``table``: ``ModelResult.table`` (code, name, department, one column per dimension, score).
    """
    df = table.set_index("code")
    cats = [d for d in dimensions if d in df] + ["score"]
    labels = [t(f"compare.dim_{d}", lang) if d != "score" else t("compare.col_score", lang) for d in cats]
    fig = go.Figure()
    names = df["name"]
    dup = names.duplicated(keep=False)
    for i, code in enumerate(c for c in codes if c in df.index):
        row = df.loc[code]
        name = f"{row['name']} ({row['department']})" if dup.get(code, False) else row["name"]
        fig.add_trace(go.Bar(x=labels, y=[row[c] for c in cats], name=escape(name),
                             marker_color=PALETTE[i % len(PALETTE)],
                             hovertemplate=f"{escape(name)}: %{{y:,.2f}}<extra></extra>"))
    fig = _layout(fig, lang, title=title, y_title=t("compare.axis_score", lang))
    fig.update_layout(barmode="group", hovermode="closest")
    fig.update_yaxes(range=[0, 10])
    fig.update_xaxes(title=None, dtick=None, type="category")
    return fig


def why_figure(row, dimensions, lang: str) -> go.Figure:
    """One unit's score as a horizontal stacked bar of its dimensions' contributions (points
    0..10, ``contrib_<dimension>`` of ``row``), colours of ``dashboard.why``, axis 0..10."""
    from dashboard.text import format_number
    from dashboard.why import DIMENSION_COLOURS, SCALE

    fig = go.Figure()
    for d in dimensions:
        value = float(row.get(f"contrib_{d}", float("nan")))
        if value != value:  # NaN: a dimension without data for this unit adds nothing
            continue
        name = t(f"priorities.dim_{d}", lang)
        fig.add_trace(go.Bar(x=[value], y=[""], orientation="h", name=name, marker_color=DIMENSION_COLOURS[d],
                             text=[format_number(value, lang, 2)], textposition="inside",
                             hovertemplate=f"{escape(name)}: %{{x:.2f}}<extra></extra>"))
    fig.update_layout(barmode="stack", height=130, margin=dict(l=10, r=10, t=10, b=30), separators=separators(lang),
                      plot_bgcolor="white", xaxis=dict(range=[0, SCALE], gridcolor="#e5e5e5", dtick=1),
                      legend=dict(orientation="h", y=-0.45, x=0), showlegend=True)
    return fig
