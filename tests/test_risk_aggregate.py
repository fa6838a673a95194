"""Arithmetic and geometric composites with weight renormalisation."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from geodata.errors import DataError
from risk_model.aggregate import aggregate
from risk_model.normalise import minmax

# Three units x three dimensions (violence, extortion, displacement), weights 2 : 1 : 1.
SCORES = np.array([
    [8.0, 3.0, 0.0],
    [2.0, 8.0, np.nan],
    [5.0, 5.0, 5.0],
])
WEIGHTS = [2, 1, 1]


def test_arithmetic_by_hand():
    # unit 0: (2*8 + 3 + 0) / 4 = 4.75; unit 1: (2*2 + 8) / 3 = 4.0 (displacement missing,
    # weights renormalised over 2 + 1); unit 2: 5.0.
    a = aggregate(SCORES, WEIGHTS)
    assert_allclose(a.score, [4.75, 4.0, 5.0])
    assert_allclose(a.coverage, [1.0, 0.75, 1.0])
    assert a.method == "arithmetic"


def test_geometric_by_hand():
    # unit 0: (9^2 * 4 * 1)^(1/4) - 1 = 324^(1/4) - 1 = 3.242641 (= 3 sqrt(2) - 1);
    # unit 1: (3^2 * 9)^(1/3) - 1 = 81^(1/3) - 1 = 3.326749; unit 2: 5.
    g = aggregate(SCORES, WEIGHTS, method="geometric")
    assert_allclose(g.score, [3 * np.sqrt(2) - 1, 81 ** (1 / 3) - 1, 5.0])
    # a zero component does not zero the composite, and imbalance is penalised
    assert 0 < g.score[0] < aggregate(SCORES, WEIGHTS).score[0]


def test_all_missing_row_is_nan_and_zero_weight_columns_do_not_count():
    a = aggregate([[np.nan, 4.0], [6.0, np.nan], [np.nan, np.nan]], [1, 0])
    assert np.isnan(a.score[0]) and a.score[1] == 6.0 and np.isnan(a.score[2])
    assert_allclose(a.coverage, [0, 1, 0])


@pytest.mark.parametrize("scores, weights, method, key", [
    ([[1.0, 2.0]], [1], "arithmetic", "model.bad_weights"),
    ([[1.0, 2.0]], [0, 0], "arithmetic", "model.bad_weights"),
    ([[1.0, 2.0]], [1, -1], "arithmetic", "model.negative"),
    ([[-1.0, 2.0]], [1, 1], "geometric", "model.out_of_range"),
    ([[1.0, 2.0]], [1, 1], "harmonic", "model.unknown_option"),
])
def test_bad_inputs(scores, weights, method, key):
    with pytest.raises(DataError) as err:
        aggregate(scores, weights, method=method)
    assert err.value.key == key


raw = arrays(float, st.tuples(st.integers(2, 12), st.integers(1, 4)),
             elements=st.floats(0, 1e4, allow_nan=False))


@settings(max_examples=150, deadline=None)
@given(raw, st.data())
def test_raising_a_direction_plus_one_value_never_lowers_the_aggregate(x, data):
    """Indicator -> min-max -> aggregate: raising unit i's raw value never lowers its composite."""
    i = data.draw(st.integers(0, x.shape[0] - 1))
    j = data.draw(st.integers(0, x.shape[1] - 1))
    weights = data.draw(arrays(float, x.shape[1], elements=st.floats(0.1, 5)))
    method = data.draw(st.sampled_from(["arithmetic", "geometric"]))
    higher = x.copy()
    higher[i, j] += data.draw(st.floats(0, 1e4))

    def composite(m):
        scores = np.column_stack([minmax(m[:, c]).score for c in range(m.shape[1])])
        assert ((scores >= 0) & (scores <= 10)).all()
        return aggregate(scores, weights, method=method).score

    assert composite(higher)[i] >= composite(x)[i] - 1e-9
