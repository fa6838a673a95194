"""Monte Carlo rank uncertainty and the perturbation helpers."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

from geodata.errors import DataError
from risk_model.uncertainty import (perturb_weights, rank_uncertainty, redraw_counts, redraw_shares,
                                    top_n_membership)


def test_rank_summary_by_hand():
    # Four draws over three units (rank 1 = highest):
    #   draw 0: [9, 5, 1] -> ranks [1, 2, 3]     draw 1: [4, 5, 1] -> [2, 1, 3]
    #   draw 2: [6, 5, 1] -> [1, 2, 3]           draw 3: [5, 5, 1] -> [1, 1, 3] (tie: best place)
    # unit 0 ranks sorted [1, 1, 1, 2]: median 1, p05 = 1, p95 (position 2.85) = 1 + 0.85 * 1 = 1.85
    # unit 1 ranks sorted [1, 1, 2, 2]: median 1.5, p05 = 1, p95 = 2
    # top 1: unit 0 in draws 0, 2 and half of 3 -> 2.5 / 4 = 0.625; unit 1: 1.5 / 4 = 0.375.
    draws = [[9, 5, 1], [4, 5, 1], [6, 5, 1], [5, 5, 1]]
    u = rank_uncertainty(draws, top_n=1)
    assert_allclose(u.median_rank, [1.0, 1.5, 3])
    assert_allclose(u.rank_p05, [1.0, 1.0, 3])
    assert_allclose(u.rank_p95, [1.85, 2.0, 3])
    assert_allclose(u.p_top_n, [0.625, 0.375, 0.0])
    assert (u.top_n, u.draws, u.outside) == (1, 4, 0)


def test_band_is_widened_to_hold_the_shown_rank_and_says_how_often():
    # unit 2 is third in every draw but shown second (its nominal score was higher): band 2..3
    u = rank_uncertainty([[9.0, 5.0, 1.0], [8.0, 5.0, 1.0]], top_n=1, shown=[1, 3, 2])
    assert_allclose(u.rank_p05, [1, 2, 2])
    assert_allclose(u.rank_p95, [1, 3, 3])
    assert u.outside == 2   # units 1 and 2 fell outside before widening


def test_ties_across_the_cut_share_the_places():
    assert_allclose(top_n_membership([7, 7, 7, 1], 2), [2 / 3, 2 / 3, 2 / 3, 0])
    assert_allclose(top_n_membership([[3, 2, 1], [1, 1, 1]], 1), [[1, 0, 0], [1 / 3] * 3])


def test_bad_inputs_are_named():
    with pytest.raises(DataError, match="positions 1"):
        rank_uncertainty([[1, np.nan, 3]], top_n=1)
    with pytest.raises(DataError, match="top_n must be a whole number from 1 to 3"):
        rank_uncertainty([[1, 2, 3]], top_n=4)


draw_matrices = arrays(float, st.tuples(st.integers(1, 30), st.integers(1, 15)),
                       elements=st.floats(0, 10, allow_nan=False))


@settings(max_examples=150, deadline=None)
@given(draw_matrices, st.data())
def test_rank_band_and_top_n_properties(scores, data):
    top_n = data.draw(st.integers(1, scores.shape[1]))
    u = rank_uncertainty(scores, top_n=top_n)
    assert (u.rank_p05 <= u.median_rank + 1e-12).all() and (u.median_rank <= u.rank_p95 + 1e-12).all()
    assert ((u.p_top_n >= 0) & (u.p_top_n <= 1)).all()
    assert u.p_top_n.sum() == pytest.approx(top_n)
    assert ((u.median_rank >= 1) & (u.median_rank <= scores.shape[1])).all()


def test_perturbed_weights_by_hand_moments():
    # Dirichlet(100 * [0.25, 0.25, 0.5]): mean [0.25, 0.25, 0.5], sd of 0.5 = sqrt(0.25 / 101) = 0.0498
    w = perturb_weights([1, 1, 2, 0], seed=3, draws=40_000)
    assert_allclose(w.sum(axis=1), 1)
    assert_allclose(w.mean(axis=0), [0.25, 0.25, 0.5, 0], atol=0.002)
    assert_allclose(w[:, 2].std(), np.sqrt(0.25 / 101), rtol=0.03)
    assert (w[:, 3] == 0).all()


def test_redraw_counts_posterior_moments():
    # Gamma(20 + 0.5, 10,000): mean 205 per 100,000, sd sqrt(20.5) / 10,000 * 1e5 = 45.28
    d = redraw_counts([20, 0], [10_000, 0], seed=11, draws=40_000)
    assert d.shape == (40_000, 2)
    assert_allclose(d[:, 0].mean(), 205, rtol=0.01)
    assert_allclose(d[:, 0].std(), np.sqrt(20.5) * 10, rtol=0.02)
    assert np.isnan(d[:, 1]).all()     # no exposure, no prior rate: nothing to draw from


def test_redraw_counts_from_an_eb_posterior():
    # posterior Gamma(18, 15,000) from eb_global passed as the prior with no further data
    d = redraw_counts(0, 0, prior_shape=[18.0], prior_rate=[15_000.0], seed=1, draws=40_000)
    assert_allclose(d.mean(), 120, rtol=0.01)


def test_redraw_shares_posterior_moments():
    # Beta(30.5, 70.5): mean 30.5 / 101 = 30.198%
    d = redraw_shares([30], [100], seed=5, draws=40_000)
    assert_allclose(d.mean(), 100 * 30.5 / 101, rtol=0.01)
    assert ((d >= 0) & (d <= 100)).all()
    with pytest.raises(DataError, match="cases exceed n"):
        redraw_shares([5], [4], seed=1)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_same_seed_same_draws(seed):
    assert_array_equal(perturb_weights([1, 2, 3], seed=seed, draws=5),
                       perturb_weights([1, 2, 3], seed=seed, draws=5))
    assert_array_equal(redraw_counts([3, 4], [1e4, 2e4], seed=seed, draws=5),
                       redraw_counts([3, 4], [1e4, 2e4], seed=seed, draws=5))
    assert_array_equal(redraw_shares([3, 4], [10, 20], seed=seed, draws=5),
                       redraw_shares([3, 4], [10, 20], seed=seed, draws=5))


def test_global_generator_untouched_and_generator_accepted():
    np.random.seed(0)
    expected = np.random.random()
    np.random.seed(0)
    perturb_weights([1, 1], seed=1)
    redraw_counts([1], [10], seed=1)
    assert np.random.random() == expected
    rng = np.random.default_rng(2)
    a = redraw_counts([1], [10], seed=rng, draws=3)
    b = redraw_counts([1], [10], seed=rng, draws=3)
    assert not np.array_equal(a, b)     # a shared generator advances
