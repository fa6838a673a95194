"""Log-linear trends with the low-count guard."""
import numpy as np
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

from geodata.errors import DataError
from risk_model.trends import trend

YEARS = [2021, 2022, 2023]


def test_doubling_series_by_hand():
    # 10, 20, 40 with constant exposure: the Poisson MLE fits exactly, slope = ln 2 (+100%/year).
    # Information at x = [-1, 0, 1], mu = [10, 20, 40]: S0 = 70, S1 = 30, S2 = 50,
    # var(slope) = S0 / (S0 S2 - S1^2) = 70 / 2600; Pearson X2 = 0 so the dispersion floor 1 holds.
    t = trend([[10, 20, 40]], [[50_000] * 3], years=YEARS)
    se = np.sqrt(70 / 2600)
    assert_allclose(t.slope, [np.log(2)])
    assert_allclose(t.pct_change, [100.0])
    assert_allclose([t.lower[0], t.upper[0]], np.log(2) + np.array([-1, 1]) * 1.959964 * se, rtol=1e-6)
    assert t.flag.tolist() == ["rising"] and t.total_events[0] == 70 and t.years_used[0] == 3


def test_one_to_two_events_is_not_plus_100_percent():
    t = trend([[1, 2, 2], [0, 0, 0]], [[3000] * 3] * 2, years=YEARS)
    assert t.flag.tolist() == ["insufficient", "insufficient"]
    assert np.isnan(t.pct_change).all()


def test_stable_and_falling():
    t = trend([[30, 28, 31, 29], [60, 40, 25, 15]], [[1e5] * 4] * 2, years=[2020, 2021, 2022, 2023])
    assert t.flag.tolist() == ["stable", "falling"]
    assert t.lower[0] < 0 < t.upper[0]


def test_matches_statsmodels_quasi_poisson_when_over_dispersed():
    events = np.array([12.0, 30, 9, 35, 14, 40, 20])
    exposure = np.array([40_000.0, 41_000, 42_000, 42_500, 43_000, 44_000, 45_000])
    x = np.arange(7) - 3.0
    glm = sm.GLM(events, sm.add_constant(x), family=sm.families.Poisson(), offset=np.log(exposure))
    fit = glm.fit(scale="X2")
    assert fit.scale > 1
    t = trend(events[None, :], exposure[None, :], years=np.arange(2017, 2024))
    assert_allclose(t.slope[0], fit.params[1], rtol=1e-8)
    assert_allclose(t.upper[0] - t.slope[0], 1.959964 * fit.bse[1], rtol=1e-5)


def test_missing_years_last_k_and_no_mle():
    # year 2 missing for unit 0 -> fitted on 4 years; "last=3" keeps the last three columns.
    e = np.array([[10, 20, np.nan, 80, 160], [0, 0, 0, 0, 50]])
    n = np.full((2, 5), 1e4)
    t = trend(e, n, years=np.arange(2019, 2024))
    assert t.years_used.tolist() == [4, 5]
    assert_allclose(t.slope[0], np.log(2))
    assert t.flag[1] == "insufficient"       # all events in the last year: no finite estimate
    assert trend(e, n, years=np.arange(2019, 2024), last=3).years_used.tolist() == [2, 3]


def test_bad_shapes():
    with pytest.raises(DataError, match="must agree"):
        trend([[1, 2, 3]], [[1, 2]], years=YEARS)
    with pytest.raises(DataError, match="years must increase"):
        trend([[1, 2, 3]], [[1, 2, 3]], years=[2023, 2022, 2021])
