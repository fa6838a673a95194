"""Empirical Bayes smoothing: hand-worked examples, clipping, islands."""
import numpy as np
import pytest
from esda.smoothing import Empirical_Bayes
from libpysal.weights import W
from numpy.testing import assert_allclose
from scipy import stats

from geodata.errors import DataError
from risk_model.smoothing import (beta_binomial_shrink, eb_global, eb_spatial, neighbour_lists,
                                  reference_sets)

EVENTS = np.array([2.0, 0.0, 6.0, 4.0])
PEOPLE = np.array([1000.0, 2000.0, 3000.0, 4000.0])


def test_eb_global_worked_by_hand():
    # b = 12 / 10,000 = 0.0012 (120 per 100,000); r = [0.002, 0, 0.002, 0.001]
    # n (r - b)^2 = [6.4e-4, 2.88e-3, 1.92e-3, 1.6e-4], sum 5.6e-3 -> s2 = 5.6e-7
    # a = 5.6e-7 - 0.0012 / 2,500 = 5.6e-7 - 4.8e-7 = 8e-8
    # b / n = [1.2e-6, 6e-7, 4e-7, 3e-7] -> w = [1/16, 2/17, 1/6, 4/19]
    # smoothed = w r + (1 - w) 120 = [125, 1800/17, 400/3, 2200/19]
    est = eb_global(EVENTS, PEOPLE)
    assert_allclose(est.raw, [200, 0, 200, 100])
    assert_allclose(est.weight, [1 / 16, 2 / 17, 1 / 6, 4 / 19])
    assert_allclose(est.smoothed, [125, 1800 / 17, 400 / 3, 2200 / 19])
    assert est.method == "eb_global" and est.per == 100_000


def test_eb_global_posterior_interval_by_hand():
    # prior Gamma(b^2 / a, b / a) = Gamma(18, 15,000); unit 0 posterior Gamma(20, 16,000):
    # interval = chi2(q, 40) / 2 / 16,000 * 1e5.
    est = eb_global(EVENTS, PEOPLE)
    assert_allclose(est.shape, [20, 18, 24, 22])
    assert_allclose(est.rate, [16_000, 17_000, 18_000, 19_000])
    assert_allclose(est.lower[0], stats.chi2.ppf(0.025, 40) / 2 / 16_000 * 1e5)
    assert_allclose(est.upper[0], stats.chi2.ppf(0.975, 40) / 2 / 16_000 * 1e5)
    assert_allclose(est.lower[0], 76.35, atol=0.01)


def test_eb_global_matches_esda_when_over_dispersed():
    ref = Empirical_Bayes(EVENTS, PEOPLE).r.ravel() * 1e5
    assert_allclose(eb_global(EVENTS, PEOPLE).smoothed, ref)


def test_under_dispersed_data_clip_the_variance_at_zero():
    # b = 40 / 40,000 = 1e-3; s2 = 10,000 * 2 * (1e-4)^2 / 40,000 = 5e-9 < b / n = 1e-7: a = 0.
    # esda does not clip: it returns a negative rate (-90) and one above every raw rate (290).
    events, people = np.array([10.0, 10.0, 11.0, 9.0]), np.full(4, 10_000.0)
    esda_rates = Empirical_Bayes(events, people).r.ravel() * 1e5
    assert_allclose(esda_rates, [100, 100, -90, 290])
    est = eb_global(events, people)
    assert_allclose(est.weight, 0)
    assert_allclose(est.smoothed, 100)
    assert (est.smoothed >= est.raw.min()).all() and (est.smoothed <= est.raw.max()).all()
    # a == 0: the interval is the exact Poisson interval of the pooled 40 events in 40,000.
    assert_allclose(est.lower, stats.chi2.ppf(0.025, 80) / 2 / 40_000 * 1e5)
    assert_allclose(est.upper, stats.chi2.ppf(0.975, 82) / 2 / 40_000 * 1e5)
    assert_allclose(est.shape / est.rate * 1e5, est.smoothed)


def test_zero_exposure_gets_prior_and_missing_gets_nan():
    est = eb_global([2, 0, 6, 4, 3, np.nan], [1000, 2000, 3000, 4000, 0, 500])
    assert_allclose(est.smoothed[:4], [125, 1800 / 17, 400 / 3, 2200 / 19])  # moments unchanged
    assert np.isnan(est.raw[4]) and est.weight[4] == 0 and est.smoothed[4] == pytest.approx(120)
    assert np.isnan(est.smoothed[5]) and np.isnan(est.weight[5])


def test_no_usable_unit_is_a_data_error():
    with pytest.raises(DataError, match="no unit"):
        eb_global([1, 2], [0, 0])


def test_eb_spatial_chain_by_hand():
    # Unit 3's reference set {2, 3}: e = [1, 9], n = 10,000 each: b = 5e-4,
    # s2 = 10,000 * 2 * (4e-4)^2 / 20,000 = 16e-8, a = 16e-8 - 5e-4 / 10,000 = 11e-8,
    # w = 11e-8 / (11e-8 + 5e-8) = 0.6875, smoothed = 0.6875 * 90 + 0.3125 * 50 = 77.5.
    # Unit 1's set {0, 1, 2}: e = [1, 2, 1]: s2 < b / n so a = 0 and it gets b = 4 / 30,000.
    est = eb_spatial([1, 2, 1, 9], [10_000] * 4, [[1], [0, 2], [1, 3], [2]])
    assert est.weight[3] == pytest.approx(0.6875)
    assert est.smoothed[3] == pytest.approx(77.5)
    assert est.weight[1] == 0 and est.smoothed[1] == pytest.approx(4 / 30_000 * 1e5)
    assert est.method == "eb_spatial"


def test_eb_spatial_with_everyone_as_neighbour_equals_global():
    everyone = [np.array([j for j in range(4) if j != i]) for i in range(4)]
    assert_allclose(eb_spatial(EVENTS, PEOPLE, everyone).smoothed, eb_global(EVENTS, PEOPLE).smoothed)


def test_islands_fall_back_to_the_global_prior():
    events, people = [2, 0, 6, 4, 5], [1000, 2000, 3000, 4000, 1000]
    est = eb_spatial(events, people, [[1], [0], [3], [2], []])
    glob = eb_global(events, people)
    assert est.smoothed[4] == pytest.approx(glob.smoothed[4])
    assert est.weight[4] == pytest.approx(glob.weight[4])
    assert est.lower[4] == pytest.approx(glob.lower[4])


def test_libpysal_weights_are_accepted_in_id_order():
    w = W({"b": ["a"], "a": ["b", "c"], "c": ["a"]}, id_order=["a", "b", "c"], silence_warnings=True)
    assert [x.tolist() for x in neighbour_lists(w)] == [[1, 2], [0], [0]]
    from_w = eb_spatial([1, 2, 9], [1000, 1000, 1000], w)
    from_list = eb_spatial([1, 2, 9], [1000, 1000, 1000], [[1, 2], [0], [0]])
    assert_allclose(from_w.smoothed, from_list.smoothed)


def test_precomputed_reference_sets_and_no_interval_give_the_same_rates():
    chain = [[1], [0, 2], [1, 3], [2]]
    full = eb_spatial([1, 2, 1, 9], [10_000] * 4, chain)
    quick = eb_spatial([1, 2, 1, 9], [10_000] * 4, reference_sets(chain, 4), level=None)
    assert quick.smoothed.round(1).tolist() == [15.0, 13.3, 19.5, 77.5]  # the worked example
    assert_allclose(quick.smoothed, full.smoothed)
    assert_allclose(quick.weight, full.weight)
    assert np.isnan(quick.lower).all() and np.isnan(quick.upper).all() and quick.level is None
    assert np.isfinite(full.lower).all()


def test_bad_neighbours_are_named():
    with pytest.raises(DataError, match="neighbours has 2 entries for 3 units"):
        eb_spatial([1, 2, 3], [10, 10, 10], [[1], [0]])
    with pytest.raises(DataError, match="neighbours has 2 entries for 3 units"):
        eb_spatial([1, 2, 3], [10, 10, 10], reference_sets([[1], [0]], 2))
    with pytest.raises(DataError, match="neighbours of unit 0"):
        eb_spatial([1, 2, 3], [10, 10, 10], [[5], [0], []])


def test_beta_binomial_by_hand():
    # mu = 90 / 300 = 0.3; s2 = 100 (0.04 + 0 + 0.04) / 300 = 0.026667;
    # tau2 = 0.026667 - 0.21 / 100 = 0.024567; M = 0.21 / tau2 - 1 = 7.54817;
    # weight = 100 / 107.54817 = 0.929816; smoothed_0 = 9.29816 + 0.070184 * 30 = 11.4037%.
    tau2 = 0.08 / 3 - 0.0021
    size = 0.21 / tau2 - 1
    w = 100 / (100 + size)
    s = beta_binomial_shrink([10, 30, 50], [100, 100, 100])
    assert_allclose(s.weight, w)
    assert_allclose(s.smoothed, [w * 10 + (1 - w) * 30, 30, w * 50 + (1 - w) * 30])
    assert_allclose(s.smoothed[0], 11.4037, atol=1e-4)
    assert_allclose(s.alpha[0], 0.3 * size + 10)
    assert_allclose(s.lower[0], 100 * stats.beta.ppf(0.025, 0.3 * size + 10, 0.7 * size + 90))
    assert (s.lower <= s.smoothed).all() and (s.smoothed <= s.upper).all()


def test_beta_binomial_under_dispersed_shrinks_fully():
    s = beta_binomial_shrink([30, 31, 29], [100, 100, 100])
    assert_allclose(s.weight, 0)
    assert_allclose(s.smoothed, 30)
    assert_allclose(s.lower, 100 * stats.beta.ppf(0.025, 90.5, 210.5))


def test_reference_set_without_a_second_unit_with_exposure_uses_the_global_prior():
    # unit 4's only neighbour has no exposure, so its reference set holds one usable unit.
    events, people = [2, 0, 6, 4, 5, 0], [1000, 2000, 3000, 4000, 1000, 0]
    est = eb_spatial(events, people, [[1], [0], [3], [2], [5], [4]])
    glob = eb_global(events, people)
    assert est.smoothed[4] == pytest.approx(glob.smoothed[4])
    assert est.weight[4] == pytest.approx(glob.weight[4]) and 0 < est.weight[4] < 1
