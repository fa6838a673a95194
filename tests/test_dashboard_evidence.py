"""The Methodology page's backtest: sentences read from the table, labels in both languages."""
from __future__ import annotations

import pandas as pd

from dashboard import evidence
from risk_model.outcome_backtest import BACKTEST_COLUMNS


def _table(best_rho: str, best_hit: str) -> pd.DataFrame:
    """Fixture (synthetic): two years, three methods, two windows; one method planted best."""
    rows = []
    for year in (2003, 2004):
        for window in (1, 3):
            for method in ("raw", "eb_global", "eb_spatial"):
                rows.append({"year": year, "outcome_year": year + 1, "method": method, "window": window,
                             "n": 2469, "rho": 0.6 if (method, window) == (best_rho, 3) else 0.3,
                             "rho_low": 0.2, "rho_high": 0.7,
                             "hit_rate": 0.5 if (method, window) == (best_hit, 1) else 0.2, "top_n": 100})
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def test_best_sentence_names_what_the_numbers_say():
    df = _table("eb_spatial", "raw")
    assert evidence.best_sentence(df, "en") == ("Best mean correlation: Spatial Empirical Bayes, 3 years. "
                                                "Best mean hit rate in the top 100: Crude rate, 1 year.")
    df = _table("raw", "eb_global")
    assert "Tasa cruda, 3 años" in evidence.best_sentence(df, "es")
    assert "Bayes empírico global, 1 año" in evidence.best_sentence(df, "es")


def test_summary_and_figure_in_both_languages():
    df = _table("raw", "raw")
    es, en = evidence.backtest_summary(df, "es"), evidence.backtest_summary(df, "en")
    assert list(en.columns) == ["Method", "Window", "Mean rho", "Mean hit rate", "Years"]
    assert es.iloc[0].tolist()[:4] == ["Tasa cruda", "1 año", "0,30", "50 %"]
    fig = evidence.backtest_figure(df, "en")
    names = {tr.name for tr in fig.data if tr.showlegend is not False}
    assert names == {evidence.method_label(m, w, "en") for m in ("raw", "eb_global", "eb_spatial") for w in (1, 3)}


def test_published_table_has_every_year_method_and_window():
    df = evidence.backtest_results()
    assert list(df.columns) == BACKTEST_COLUMNS
    assert df.groupby("year").size().eq(6).all() and df["year"].min() == 2003 and df["year"].max() == 2020
    assert ((df["rho_low"] <= df["rho"]) & (df["rho"] <= df["rho_high"])).all()
