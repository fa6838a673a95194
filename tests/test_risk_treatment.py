"""COINr-style treatment: log option, winsorising rule, details."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

from geodata.errors import DataError
from risk_model.treatment import skew_kurtosis, treat


def test_skew_kurtosis_matches_excel_formulas_by_hand():
    # x = [1, 2, 3, 4, 100], mean 22, deviations [-21, -20, -19, -18, 78], sample sd s:
    # SKEW = n / ((n-1)(n-2)) * sum(d^3) / s^3;
    # KURT = n(n+1) / ((n-1)(n-2)(n-3)) * sum(d^4) / s^4 - 3 (n-1)^2 / ((n-2)(n-3)).
    d = np.array([-21.0, -20, -19, -18, 78])
    s = np.sqrt((d**2).sum() / 4)
    skew = 5 / (4 * 3) * (d**3).sum() / s**3
    kurt = 5 * 6 / (4 * 3 * 2) * (d**4).sum() / s**4 - 3 * 16 / (3 * 2)
    assert_allclose(skew_kurtosis([1, 2, 3, 4, 100, np.nan]), (skew, kurt))
    assert_allclose((skew, kurt), (2.2324, 4.9869), atol=1e-4)


def test_one_outlier_is_capped_to_the_next_value():
    t = treat([1, 2, 3, 4, 100])
    assert t.values.tolist() == [1, 2, 3, 4, 4]
    assert t.winsorised.tolist() == [4] and t.n_winsorised == 1
    assert t.skew_before > 2 and t.kurtosis_before > 3.5
    assert abs(t.skew_after) <= 2


def test_capping_stops_at_max_points_or_when_the_rule_no_longer_holds():
    x = np.r_[np.arange(1.0, 21.0), 1e3, 2e3, 3e3, 4e3]   # four outliers above 20
    one = treat(x, max_points=1)
    # step 1: 4000 -> 3000; the rule still holds but max_points stops it.
    assert one.winsorised.tolist() == [23]
    assert one.values[-4:].tolist() == [1000, 2000, 3000, 3000]
    assert one.skew_after > 2 and one.kurtosis_after > 3.5
    full = treat(x)
    # step 2: both 3000s -> 2000 (point 23 is capped again but reported once); then the
    # kurtosis is 3.03 < 3.5 and capping stops although the skew is still 2.14.
    assert full.winsorised.tolist() == [23, 22] and full.n_winsorised == 2
    assert full.values[-4:].tolist() == [1000, 2000, 2000, 2000]
    assert_allclose([full.skew_after, full.kurtosis_after], [2.1386, 3.0287], atol=1e-4)
    assert_allclose([full.skew_before, full.kurtosis_before], skew_kurtosis(x))


def test_negative_skew_raises_the_lowest_value():
    t = treat([-100, 1, 2, 3, 4])
    assert t.values.tolist() == [1, 1, 2, 3, 4] and t.winsorised.tolist() == [0]


def test_rule_not_met_leaves_values_alone_and_nan_is_kept():
    x = [1.0, 2.0, np.nan, 3.0, 4.0, 5.0]
    t = treat(x)
    assert_allclose(t.values, x)
    assert t.n_winsorised == 0
    assert t.skew_before == t.skew_after == pytest.approx(0.0)


def test_log_option_and_disabled_winsorising():
    t = treat([0, np.e - 1, 100], log=True, winsorise=False)
    assert_allclose(t.values, [0, 1, np.log(101)])
    assert t.log and t.n_winsorised == 0
    assert np.isnan(t.skew_before)   # fewer than 4 values: not defined
    with pytest.raises(DataError):
        treat([-2, 1, 2], log=True)


def test_skew_kurtosis_match_scipy_bias_adjusted():
    from scipy import stats as st

    from risk_model.treatment import skew_kurtosis

    for seed in range(5):
        v = np.random.default_rng(seed).gamma(1.0, 1.0, 40)
        s, k = skew_kurtosis(v)
        assert s == pytest.approx(st.skew(v, bias=False)) and k == pytest.approx(st.kurtosis(v, bias=False))
