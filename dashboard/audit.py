"""Figures and texts of the Data page's audit and validation sections and of the Priorities
page's effective-weight warning: returned, never drawn here.

Inputs are the JSON-ready dicts of ``risk_model.audit.structure`` / ``audit_report`` and
``risk_model.validate.validate_report``, and the ``risk_model.backtest.backtest_table`` frame.
Every label comes from ``t()`` or from the catalogue; names reach plotly escaped.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import PALETTE, separators
from dashboard.i18n import t
from dashboard.text import escape, format_number

__all__ = ["correlation_figure", "weights_figure", "consistency_figure", "sensitivity_figure",
           "rank_range_figure", "weight_warnings", "validation_display", "backtest_display", "dimension_label",
           "input_label",
           "RANK_RANGE_UNITS"]

RANK_RANGE_UNITS = 30
"""Units shown in the rank-range plot: the first 30 by nominal rank."""


def dimension_label(dim: str, lang: str) -> str:
    """A dimension's name; "composite" is the composite score."""
    return t("compare.col_score", lang) if dim in ("composite", "score") else t(f"compare.dim_{dim}", lang)


def _layout(fig: go.Figure, lang: str, title: str, height: int) -> go.Figure:
    fig.update_layout(title=dict(text=escape(title), x=0, xanchor="left"), separators=separators(lang),
                      height=height, margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="white",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"))
    return fig


def correlation_figure(matrix: dict, labels: dict, *, lang: str, title: str) -> go.Figure:
    """Heat map of a correlation matrix ({row: {column: r}}, r -1..1 or None), values written in
    the cells; ``labels`` maps row keys to display names."""
    keys = list(matrix)
    z = np.array([[np.nan if matrix[r][c] is None else matrix[r][c] for c in keys] for r in keys], dtype=float)
    names = [escape(labels.get(k, k)) for k in keys]
    text = [[format_number(v, lang, 2) if np.isfinite(v) else "–" for v in row] for row in z]
    fig = go.Figure(go.Heatmap(z=z, x=names, y=names, zmin=-1, zmax=1, colorscale="RdBu", reversescale=True,
                               text=text, texttemplate="%{text}", hoverongaps=False,
                               hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
                               colorbar=dict(title=dict(text="r", side="right"))))
    fig = _layout(fig, lang, title, max(300, 160 + 50 * len(keys)))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", tickangle=-30)
    return fig


def _grouped_bars(structure: dict, dims, series, lang: str) -> go.Figure:
    """One bar per dimension for each ``(structure key, colour)`` in ``series``, labelled with its
    value (0..1, two decimals) or "one indicator" where the value is None."""
    x = [escape(dimension_label(d, lang)) for d in dims]
    fig = go.Figure()
    for key, colour in series:
        y = [structure[key][d] for d in dims]
        fig.add_trace(go.Bar(x=x, y=y, name=t(f"audit.{key}", lang), marker_color=colour,
                             text=[format_number(v, lang, 2) if v is not None else t("audit.one_indicator", lang)
                                   for v in y], textposition="outside",
                             hovertemplate="%{x}: %{y:.2f}<extra></extra>"))
    return fig


def weights_figure(structure: dict, *, lang: str) -> go.Figure:
    """Grouped bars: nominal and effective weight (0..1) of each dimension in the composite."""
    fig = _grouped_bars(structure, structure["weighted_dimensions"],
                        (("nominal_weights", PALETTE[0]), ("effective_weights", PALETTE[3])), lang)
    fig = _layout(fig, lang, t("audit.weights_title", lang), 380)
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1], title=t("audit.axis_weight", lang), gridcolor="#e5e5e5")
    return fig


def consistency_figure(structure: dict, *, lang: str) -> go.Figure:
    """Bars of Cronbach's alpha and the PC1 variance share per dimension (a dimension with one
    indicator has neither), with the usual 0.7 reference line for alpha."""
    fig = _grouped_bars(structure, structure["dimensions"],
                        (("cronbach_alpha", PALETTE[2]), ("pc1_share", PALETTE[1])), lang)
    fig.add_hline(y=0.7, line_dash="dot", line_color="#555555", annotation_text=t("audit.alpha_reference", lang),
                  annotation_position="top left")
    fig = _layout(fig, lang, t("audit.consistency_title", lang), 380)
    fig.update_layout(barmode="group")
    lowest = min([0.0] + [v for k in ("cronbach_alpha", "pc1_share") for v in structure[k].values() if v is not None])
    fig.update_yaxes(range=[lowest - 0.05, 1.1], gridcolor="#e5e5e5")
    return fig


def input_label(name: str, lang: str, catalogue: dict | None = None) -> str:
    """Display name of a sensitivity input (``weight:<dimension>`` names its dimension)."""
    if name.startswith("weight:"):
        return t("audit.input_weight", lang, dimension=dimension_label(name.split(":", 1)[1], lang))
    return t(f"audit.input_{name}", lang)


def sensitivity_figure(sensitivity: dict, *, lang: str) -> go.Figure:
    """Horizontal bars of the first-order and total Sobol indices (0..1) of each input."""
    names = list(sensitivity)
    y = [escape(input_label(n, lang)) for n in names]
    fig = go.Figure()
    for key, colour in (("first", PALETTE[0]), ("total", PALETTE[3])):
        x = [max(0.0, sensitivity[n][key] or 0.0) for n in names]
        err = [sensitivity[n].get(f"{key}_conf") or 0.0 for n in names]
        fig.add_trace(go.Bar(y=y, x=x, orientation="h", name=t(f"audit.sobol_{key}", lang), marker_color=colour,
                             error_x=dict(type="data", array=err, color="#777777", thickness=1),
                             hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig = _layout(fig, lang, t("audit.sensitivity_title", lang), max(320, 120 + 40 * len(names)))
    fig.update_layout(barmode="group")
    fig.update_xaxes(range=[0, 1.05], title=t("audit.axis_sobol", lang), gridcolor="#e5e5e5")
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


def rank_range_figure(rank_range: dict, *, lang: str, n: int = RANK_RANGE_UNITS) -> go.Figure:
    """The first ``n`` units by nominal rank: nominal rank (dot) and the 5-95% range of ranks over
    the methodological choices (bar)."""
    df = pd.DataFrame.from_dict(rank_range, orient="index").dropna(subset=["rank"]).sort_values("rank").head(n)
    dup = df["name"].duplicated(keep=False)
    labels = [escape(f"{r['name']} ({code})" if dup[code] else r["name"]) for code, r in df.iterrows()]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=df["p95"] - df["p05"], base=df["p05"], orientation="h",
                         marker_color="rgba(0,114,178,0.35)", name=t("audit.rank_band", lang),
                         customdata=df[["p05", "p95"]].to_numpy(),
                         hovertemplate="%{y}: %{customdata[0]:.0f}–%{customdata[1]:.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(y=labels, x=df["rank"], mode="markers", marker=dict(color=PALETTE[3], size=8),
                             name=t("audit.rank_nominal", lang), hovertemplate="%{y}: %{x:.0f}<extra></extra>"))
    fig = _layout(fig, lang, t("audit.rank_range_title", lang, n=len(df)), 160 + 22 * len(df))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=t("audit.axis_rank", lang), gridcolor="#e5e5e5", rangemode="tozero")
    return fig


def weight_warnings(structure: dict, lang: str) -> list[str]:
    """One sentence per dimension whose |effective - nominal| weight exceeds the tolerance."""
    return [t("audit.weight_warning", lang, dimension=dimension_label(d, lang),
              effective=format_number(structure["effective_weights"][d], lang, 2),
              nominal=format_number(structure["nominal_weights"][d], lang, 2))
            for d in structure["over_tolerance"]]


def validation_display(report: dict, lang: str, level_names: dict) -> pd.DataFrame:
    """The peer comparison as a table with translated headers, names and formatted figures
    (``level_names``: {level: display name})."""
    rows = []
    for dim, e in report["comparisons"].items():
        low, high = e["interval"]
        rows.append({
            t("validate.col_ours", lang): dimension_label(dim, lang),
            t("validate.col_peer", lang): (t(f"validate.peer_col_{e['peer_column']}", lang) if e["peer_column"]
                                           else t("validate.no_reference", lang)),
            t("validate.col_rho", lang): format_number(e["spearman"], lang, 2),
            t("validate.col_interval", lang): (f"{format_number(low, lang, 2)} – {format_number(high, lang, 2)}"
                                               if low is not None else "–"),
            t("validate.col_overlap", lang): (f"{round(20 * e['top20_overlap'])} / 20"
                                              if e["top20_overlap"] is not None else "–"),
            t("validate.col_n", lang): e["n"],
            t("validate.col_clusters", lang): (f"{e['n_clusters']} / {level_names.get(e['bootstrap_level'], e['bootstrap_level'])}"
                                               if e["n"] else "–"),
        })
    return pd.DataFrame(rows)


def backtest_display(table: pd.DataFrame, catalogue: dict, lang: str, level_names: dict) -> pd.DataFrame:
    """Scored backtest rows with translated headers, labels, levels and verdicts."""
    df = table[table["note"].fillna("") == ""]
    return pd.DataFrame({
        t("validate.col_outcome", lang): [catalogue[o].label(lang) if o in catalogue else o for o in df["outcome"]],
        t("validate.col_years", lang): [f"{int(a)} → {int(b)}" for a, b in zip(df["year_scored"], df["year_outcome"])],
        t("validate.col_rho", lang): [format_number(v, lang, 2) for v in df["rho"]],
        t("validate.col_interval", lang): [f"{format_number(a, lang, 2)} – {format_number(b, lang, 2)}"
                                           for a, b in zip(df["rho_low"], df["rho_high"])],
        t("validate.col_verdict", lang): [t(f"validate.verdict_{v.replace(' ', '_')}", lang) for v in df["verdict"]],
        t("validate.col_clusters", lang): [f"{int(k)} / {level_names.get(lv, lv)}" for k, lv in
                                           zip(df["n_clusters"], df["bootstrap_level"])],
        t("validate.col_same_source", lang): [t("audit.yes" if s else "audit.no", lang) for s in df["same_dataset_as_input"]],
    })
