"""The Data page's signal-to-noise table: which indicators the score uses, with the figure.

Kept apart from the audit section (``risk_model.audit``): this is the model's own record of
the indicators it left out (``risk_model.pipeline.signal_table``), shown as text.
"""
from __future__ import annotations

import math

import pandas as pd

from dashboard.i18n import t
from dashboard.text import format_number

from risk_model.pipeline import signal_table

__all__ = ["signal_table", "signal_display", "left_out_sentence"]


def _snr_text(x: float, lang: str) -> str:
    if math.isinf(x):
        return "∞"
    if math.isnan(x):
        return "–"
    return f"< {format_number(0.01, lang, 2)}" if 0 < x < 0.005 else format_number(x, lang, 2)


def signal_display(signal: pd.DataFrame, catalogue: dict, lang: str) -> pd.DataFrame:
    """``risk_model.pipeline.signal_table`` for display: label, signal-to-noise (2 decimals,
    ∞ for values without sampling error), whether it is scored, goalposts with their unit."""
    rows = []
    for r in signal.itertuples():
        ind = catalogue[r.indicator]
        goal = f"{format_number(r.lower, lang, 2)} – {format_number(r.upper, lang, 2)} {ind.unit(lang)}"
        goal += " (log)" if r.log else ""
        goal += f" · {t('data.goalposts_pooled', lang)}" if r.source == "pooled" else ""
        rows.append({t("data.col_indicator", lang): ind.label(lang), t("data.col_snr", lang): _snr_text(r.snr, lang),
                     t("data.col_scored", lang): t("data.scored_yes" if r.scored else "data.scored_no", lang),
                     t("data.col_goalposts", lang): goal})
    return pd.DataFrame(rows)


def left_out_sentence(signal: pd.DataFrame, catalogue: dict, lang: str) -> str:
    """One sentence naming the indicators left out of the composite (or saying none is)."""
    out = [catalogue[i].label(lang) for i in signal.loc[~signal["scored"], "indicator"]]
    if not out:
        return t("data.signal_none_left_out", lang)
    return t("data.signal_left_out", lang, names="; ".join(out))
