"""Backtest: Spearman rho and top-N hit rate."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

from geodata.errors import DataError
from risk_model.backtest import backtest


def test_backtest_by_hand():
    # Pairs after dropping the NaN: score [9, 8, 1, 5] -> ranks [4, 3, 1, 2];
    # outcome [30, 10, 20, 5] -> ranks [4, 2, 3, 1]; d = [0, 1, -2, 1], sum d^2 = 6;
    # rho = 1 - 6 * 6 / (4 * 15) = 0.4. Top 2 by score {0, 1}, by outcome {0, 2}: hit rate 1/2.
    b = backtest([9, 8, 1, 5, np.nan], [30, 10, 20, 5, 40], top_n=2)
    assert_allclose(b.rho, 0.4)
    assert b.hit_rate == 0.5 and b.n == 4 and b.top_n == 2
    assert 0 <= b.p_value <= 1


def test_perfect_and_reversed():
    perfect = backtest([1, 2, 3, 4, 5], [10, 20, 30, 40, 50], top_n=2)
    assert perfect.rho == pytest.approx(1.0) and perfect.hit_rate == 1.0
    reversed_ = backtest([1, 2, 3, 4, 5], [50, 40, 30, 20, 10], top_n=2)
    assert reversed_.rho == pytest.approx(-1.0) and reversed_.hit_rate == 0.0


def test_ties_at_the_cut_count_fractionally():
    # outcome top 1 is a tie between units 0 and 1: unit 0 (top by score) is in with share 1/2.
    assert backtest([3, 2, 1], [5, 5, 1], top_n=1).hit_rate == 0.5


def test_constant_series_gives_nan_rho():
    b = backtest([1, 1, 1], [1, 2, 3], top_n=1)
    assert np.isnan(b.rho)


def test_too_few_pairs_and_bad_top_n():
    with pytest.raises(DataError, match="at least 3 units"):
        backtest([1, np.nan, 3], [1, 2, np.nan], top_n=1)
    with pytest.raises(DataError, match="top_n"):
        backtest([1, 2, 3], [1, 2, 3], top_n=5)
