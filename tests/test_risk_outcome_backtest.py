"""Backtest on real outcomes: exact bootstrap ranks, planted and null cases, Mexico's table."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from geodata.errors import DataError
from risk_model.outcome_backtest import (BACKTEST_COLUMNS, _resample_ranks, _weighted_rho, _weights,
                                         backtest_series, outcome_backtest, series_matrices,
                                         spearman_bootstrap)


def test_resample_ranks_equal_ranking_the_resampled_values():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 6, 40).astype(float)  # many ties
    y = rng.normal(size=40)
    w = _weights(40, 5, seed=1)
    rx, ry = _resample_ranks(x, w), _resample_ranks(y, w)
    rho = _weighted_rho(rx, ry, w)
    for b in range(5):
        take = np.repeat(np.arange(40), w[b].astype(int))
        assert np.allclose(stats.rankdata(x[take]), rx[b][take])
        assert rho[b] == pytest.approx(stats.spearmanr(x[take], y[take])[0])


def _poisson_panel(rates, pop, years, seed):
    rng = np.random.default_rng(seed)
    exposure = np.repeat(pop[:, None], len(years), axis=1).astype(float)
    counts = rng.poisson(rates[:, None] * exposure / 1e5).astype(float)
    return counts, exposure


def test_planted_persistent_rates_are_predicted_and_null_is_not():
    years = list(range(2000, 2008))
    pop = np.full(300, 50_000)
    planted = np.linspace(1, 100, 300)  # each unit keeps its rate every year
    c, e = _poisson_panel(planted, pop, years, seed=0)
    res = outcome_backtest(c, e, years, methods=("raw", "eb_global"), boot=100, top_n=30)
    assert (res["rho"] > 0.8).all() and (res["rho_low"] > 0.7).all()
    assert (res["rho_low"] <= res["rho"]).all() and (res["rho"] <= res["rho_high"]).all()
    flat = np.full(300, 20.0)  # the same rate everywhere: nothing to predict
    c, e = _poisson_panel(flat, pop, years, seed=1)
    null = outcome_backtest(c, e, years, methods=("raw",), boot=100, top_n=30)
    assert (null["rho_low"] < 0.05).mean() >= 0.8 and abs(null["rho"].mean()) < 0.05


def test_rows_years_methods_and_windows():
    years = list(range(2000, 2006))
    c, e = _poisson_panel(np.linspace(5, 50, 20), np.full(20, 10_000), years, seed=2)
    nb = [np.array([i - 1, i + 1]) for i in range(20)]
    nb[0], nb[-1] = np.array([1]), np.array([18])
    from risk_model.smoothing import reference_sets
    res = outcome_backtest(c, e, years, reference=reference_sets(nb, 20), boot=0, top_n=5)
    assert list(res.columns) == BACKTEST_COLUMNS
    assert sorted(res["year"].unique()) == [2002, 2003, 2004]  # first t with a 3-year window .. last-1
    assert len(res) == 3 * 3 * 2 and (res["outcome_year"] == res["year"] + 1).all()
    with pytest.raises(DataError, match="eb_spatial needs"):
        outcome_backtest(c, e, years, boot=0)
    with pytest.raises(DataError, match="years t must run"):
        outcome_backtest(c, e, years, reference=reference_sets(nb, 20), first=2000)


def test_missing_unit_years_stay_missing():
    obs = pd.DataFrame({"unit": ["a", "a", "b"], "year": [2000, 2001, 2001], "value": [1.0, 2.0, 3.0],
                        "denominator": [10.0, np.nan, 20.0]})
    c, e = series_matrices(obs, ["a", "b"], [2000, 2001])
    assert np.isnan(c[0, 1]) and np.isnan(e[0, 1]) and np.isnan(c[1, 0]) and c[1, 1] == 3


def test_mexico_backtest_matches_the_published_table(mex_model_data):
    """docs/backtest_mex.csv (the Methodology chart) is what the code gives: two years recomputed."""
    from pathlib import Path

    published = pd.read_csv(Path(__file__).resolve().parent.parent / "docs" / "backtest_mex.csv")
    assert len(published) == 18 * 3 * 2 and sorted(published["year"].unique()) == list(range(2003, 2021))
    fresh = backtest_series(mex_model_data, "mex_homicides", first=2019, last=2020, top_n=100)
    mine = published[published["year"] >= 2019].reset_index(drop=True)
    pd.testing.assert_frame_equal(fresh, mine, check_dtype=False, rtol=1e-5)
    assert (fresh["n"] > 2400).all()
