"""Crude rates and share intervals against hand-computed references."""
import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from geodata.errors import DataError
from risk_model.rates import poisson_interval, share_interval


def test_one_event_in_3000_people():
    # Garwood: lower = -ln(0.975) = 0.025318 events, upper = chi2(0.975, 4) / 2 = 5.571643 events.
    r = poisson_interval([1], [3000])
    assert_allclose(r.raw, [100_000 / 3000])                      # 33.33 per 100,000
    assert_allclose(r.lower, [-math.log(0.975) / 3000 * 1e5])     # 0.844
    assert_allclose(r.upper, [5.571643 / 3000 * 1e5], rtol=1e-6)  # 185.72
    assert round(float(r.lower[0]), 2) == 0.84 and round(float(r.upper[0]), 1) == 185.7


def test_zero_events_upper_bound_is_minus_log_alpha_half():
    # 0 events: lower 0, upper = -ln(0.025) = 3.688879 events -> 122.96 per 100,000.
    r = poisson_interval([0], [3000])
    assert r.raw[0] == 0 and r.lower[0] == 0
    assert_allclose(r.upper, [-math.log(0.025) / 3000 * 1e5])
    assert round(float(r.upper[0]), 2) == 122.96


def test_zero_exposure_gives_nan_not_a_crash():
    r = poisson_interval([2, 1], [0, 1000], per=1000)
    assert np.isnan(r.raw[0]) and np.isnan(r.lower[0]) and np.isnan(r.upper[0])
    assert r.raw[1] == 1.0 and r.per == 1000


def test_level_changes_the_interval():
    # 90%: upper for 0 events = -ln(0.05) = 2.995732 events.
    r = poisson_interval([0], [1], per=1, level=0.90)
    assert_allclose(r.upper, [-math.log(0.05)])


@pytest.mark.parametrize("events, exposure, key", [
    ([-1], [10], "model.negative"),
    ([1, 2], [10], "model.length_mismatch"),
    ([[1]], [[10]], "model.wrong_shape"),
    (["a"], [10], "model.not_numeric"),
])
def test_bad_rate_inputs_raise_data_error(events, exposure, key):
    with pytest.raises(DataError) as err:
        poisson_interval(events, exposure)
    assert err.value.key == key


def test_wilson_by_hand():
    # 12 of 40, z = 1.959964: centre = (0.3 + z^2/80) / (1 + z^2/40) = 0.317518;
    # half = z / (1 + z^2/40) * sqrt(0.3 * 0.7 / 40 + z^2 / 6400) = 0.136776.
    s = share_interval([12], [40])
    z2 = 1.959964**2
    centre = (0.3 + z2 / 80) / (1 + z2 / 40)
    half = 1.959964 / (1 + z2 / 40) * math.sqrt(0.21 / 40 + z2 / 6400)
    assert_allclose(s.share, [30.0])
    assert_allclose([s.lower[0], s.upper[0]], [100 * (centre - half), 100 * (centre + half)], rtol=1e-6)
    assert_allclose([s.lower[0], s.upper[0]], [18.07, 45.43], atol=0.01)


def test_clopper_pearson_edges_have_closed_forms():
    # x = 0: upper = 1 - 0.025^(1/n); x = n: lower = 0.025^(1/n).
    s = share_interval([0, 40], [40, 40], method="clopper_pearson")
    assert_allclose(s.upper[0], 100 * (1 - 0.025 ** (1 / 40)))
    assert_allclose(s.lower[1], 100 * 0.025 ** (1 / 40))
    assert s.lower[0] == 0 and s.upper[1] == 100


def test_jeffreys_beta_interval_and_edges():
    # Jeffreys 0 of 40: lower is 0 (boundary rule) and upper is Beta(0.5, 40.5)'s 97.5% point,
    # narrower than Clopper-Pearson's 8.81%.
    s = share_interval([0, 12], [40, 40], method="beta")
    assert s.lower[0] == 0
    assert 5.5 < s.upper[0] < 100 * (1 - 0.025 ** (1 / 40))
    assert s.lower[1] < 30 < s.upper[1]
    assert s.method == "beta"


def test_share_zero_n_is_nan_and_errors_are_named():
    s = share_interval([0], [0])
    assert np.isnan(s.share[0]) and np.isnan(s.lower[0])
    with pytest.raises(DataError, match="cases exceed n at positions 1"):
        share_interval([1, 5], [2, 4])
    with pytest.raises(DataError, match="unknown method 'exact'") as err:
        share_interval([1], [2], method="exact")
    assert err.value.params["options"] == ["beta", "clopper_pearson", "wilson"]
