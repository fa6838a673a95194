"""The evidence behind the method: Mexico's backtest on real outcomes, for the Methodology page.

``docs/backtest_mex.csv`` is the output of ``python -m risk_model backtest --country mex``
(``tests/test_risk_outcome_backtest.py`` recomputes part of it from the data and compares), so
every country's Methodology page can show it without building Mexico's store. Summaries are
computed from the table: which method does best is read from the numbers, never written in.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.i18n import t
from dashboard.text import escape, format_number

__all__ = ["BACKTEST_FILE", "backtest_results", "backtest_summary", "backtest_figure", "best_sentence",
           "intro_sentence", "method_label", "window_label", "METHOD_COLOURS"]

BACKTEST_FILE = Path(__file__).resolve().parent.parent / "docs" / "backtest_mex.csv"
#: Okabe-Ito colours per method (raw, global EB, spatial EB).
METHOD_COLOURS = {"raw": "#D55E00", "eb_global": "#0072B2", "eb_spatial": "#009E73"}
_DASH = {1: "dot", 3: "solid"}


def backtest_results(path: Path = BACKTEST_FILE) -> pd.DataFrame:
    """The backtest table (``risk_model.outcome_backtest.BACKTEST_COLUMNS``)."""
    return pd.read_csv(path)


def backtest_summary(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Mean Spearman rho and mean top-N hit rate per method and window over all years, as a
    display table (translated headers and method names, numbers in the language's format)."""
    g = df.groupby(["method", "window"], sort=False).agg(rho=("rho", "mean"), hit=("hit_rate", "mean"),
                                                          years=("year", "nunique")).reset_index()
    return pd.DataFrame({
        t("evidence.col_method", lang): [t(f"evidence.method_{m}", lang) for m in g["method"]],
        t("evidence.col_window", lang): [window_label(w, lang) for w in g["window"]],
        t("evidence.col_rho", lang): [format_number(x, lang, 2) for x in g["rho"]],
        t("evidence.col_hit", lang): [format_number(100 * x, lang, 0) + " %" for x in g["hit"]],
        t("evidence.col_years", lang): g["years"].to_numpy(),
    })


def window_label(window: int, lang: str) -> str:
    """"1 year" / "3 years" in ``lang``."""
    return t("evidence.window_one", lang) if int(window) == 1 else t("evidence.window_years", lang, n=int(window))


def method_label(method: str, window: int, lang: str) -> str:
    """"Global Empirical Bayes, 3 years" in ``lang``."""
    return f"{t(f'evidence.method_{method}', lang)}, {window_label(window, lang)}"


def best_sentence(df: pd.DataFrame, lang: str) -> str:
    """Which method-window has the highest mean rho and which the highest mean hit rate, read
    from the table (ties: the first in table order)."""
    g = df.groupby(["method", "window"], sort=False).agg(rho=("rho", "mean"), hit=("hit_rate", "mean"))
    return t("evidence.best", lang, rho=method_label(*g["rho"].idxmax(), lang),
             hit=method_label(*g["hit"].idxmax(), lang), n=int(df["top_n"].max()))


def intro_sentence(df: pd.DataFrame, lang: str) -> str:
    """The backtest's design in ``lang``, with its years and number of municipios."""
    return t("evidence.intro", lang, first=int(df["year"].min()), last=int(df["year"].max()),
             units=format_number(int(df["n"].max()), lang, 0))


def backtest_figure(df: pd.DataFrame, lang: str) -> go.Figure:
    """Spearman rho (with its bootstrap band for 3-year windows) and top-N hit rate by year t,
    one colour per method, solid for 3-year and dotted for 1-year windows."""
    top_n = int(df["top_n"].max())
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=(escape(t("evidence.panel_rho", lang)),
                                        escape(t("evidence.panel_hit", lang, n=top_n))))
    for (method, window), s in df.sort_values("year").groupby(["method", "window"], sort=False):
        colour = METHOD_COLOURS.get(method, "#222222")
        name = escape(method_label(method, window, lang))
        if window == 3:
            fig.add_trace(go.Scatter(x=list(s["year"]) + list(s["year"])[::-1],
                                     y=list(s["rho_high"]) + list(s["rho_low"])[::-1], fill="toself",
                                     fillcolor=colour, opacity=0.15, line=dict(width=0), hoverinfo="skip",
                                     showlegend=False), row=1, col=1)
        fig.add_trace(go.Scatter(x=s["year"], y=s["rho"], mode="lines", name=name, legendgroup=name,
                                 line=dict(color=colour, dash=_DASH.get(int(window), "dash"))), row=1, col=1)
        fig.add_trace(go.Scatter(x=s["year"], y=100 * s["hit_rate"], mode="lines", name=name, legendgroup=name,
                                 showlegend=False, line=dict(color=colour, dash=_DASH.get(int(window), "dash"))),
                      row=1, col=2)
    fig.update_layout(height=420, separators=",." if lang == "es" else ".,", plot_bgcolor="white",
                      margin=dict(l=10, r=10, t=40, b=10), hovermode="x unified",
                      legend=dict(orientation="h", yanchor="top", y=-0.15, x=0))
    fig.update_xaxes(title_text=escape(t("evidence.axis_year", lang)), gridcolor="#f0f0f0", dtick=2)
    fig.update_yaxes(title_text=escape(t("evidence.axis_rho", lang)), gridcolor="#e5e5e5", row=1, col=1)
    fig.update_yaxes(title_text=escape(t("evidence.axis_hit", lang)), gridcolor="#e5e5e5", rangemode="tozero",
                     row=1, col=2)
    return fig
