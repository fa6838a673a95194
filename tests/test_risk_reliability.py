"""Reliability 0..10 from its documented components."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

from geodata.errors import DataError
from risk_model.reliability import reliability


def test_all_components_by_hand():
    # unit 0: coverage 0.75, timeliness 1 - 2/10 = 0.8, sample sqrt(100/400) = 0.5,
    #         precision 1 - 0.5/2 = 0.75, imputation 1 -> 10 * 3.8 / 5 = 7.6
    # unit 1: coverage 1, timeliness 0 (12 years, clipped), sample 1 (900 > 400, clipped),
    #         precision 0 (width 3 > 2), imputed from municipio level -> 0 -> 10 * 2 / 5 = 4.0
    r = reliability([0.25, 0.0], [2, 12], sample_size=[100, 900], interval_width=[0.5, 3.0],
                    imputed_share=[False, True])
    assert_allclose(r.score, [7.6, 4.0])
    assert_allclose(r.coverage, [0.75, 1.0])
    assert_allclose(r.timeliness, [0.8, 0.0])
    assert_allclose(r.sample, [0.5, 1.0])
    assert_allclose(r.precision, [0.75, 0.0])
    assert_allclose(r.imputation, [1.0, 0.0])


def test_components_that_do_not_apply_are_left_out():
    # no survey indicator for unit 0 (NaN sample size); an infinite relative width (zero estimate)
    # gives precision 0: unit 0 = 10 * (1 + 1 + 0) / 3; unit 1 = 10 * (0.5 + 0.5 + 0.5 + 0.75) / 4
    r = reliability([0.0, 0.5], [0, 5], sample_size=[np.nan, 100], interval_width=[np.inf, 0.5])
    assert_allclose(r.score, [20 / 3, 5.625])
    assert np.isnan(r.sample[0]) and np.isnan(r.imputation).all()


def test_missing_more_data_lowers_reliability():
    r = reliability([0.0, 0.2, 0.6], [1, 1, 1])
    assert r.score[0] > r.score[1] > r.score[2]


@pytest.mark.parametrize("kwargs, key", [
    ({"missing_share": [1.5], "newest_age": [1]}, "model.out_of_range"),
    ({"missing_share": [0.1], "newest_age": [-1]}, "model.out_of_range"),
    ({"missing_share": [0.1, 0.2], "newest_age": [1]}, "model.length_mismatch"),
    ({"missing_share": [0.1], "newest_age": [1], "max_age": 0}, "model.not_positive"),
])
def test_bad_inputs(kwargs, key):
    with pytest.raises(DataError) as err:
        reliability(**kwargs)
    assert err.value.key == key
