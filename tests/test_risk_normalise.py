"""Min-max scaling to 0..10."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from geodata.errors import DataError
from risk_model.normalise import CONSTANT_SCORE, minmax

finite = st.floats(-1e6, 1e6, allow_nan=False)
values = arrays(float, st.integers(1, 30), elements=finite)


def test_minmax_by_hand():
    # (x - 10) / (40 - 10) * 10
    n = minmax([10, 25, 40, np.nan, 16])
    assert_allclose(n.score, [0, 5, 10, np.nan, 2])
    assert (n.lower, n.upper, n.direction) == (10, 40, 1)


def test_direction_minus_one_inverts():
    # lower values are worse (e.g. a share with access to services): 10 (40 - x) / 30
    assert_allclose(minmax([10, 25, 40, 16], direction=-1).score, [10, 5, 0, 8])


def test_fixed_bounds_clip_and_are_reported():
    n = minmax([0, 30, 60, 150], bounds=(20, 120))
    assert_allclose(n.score, [0, 1, 4, 10])
    assert (n.lower, n.upper) == (20, 120)


def test_constant_input_gets_the_middle_of_the_scale():
    assert_allclose(minmax([7, 7, np.nan]).score, [CONSTANT_SCORE, CONSTANT_SCORE, np.nan])
    assert CONSTANT_SCORE == 5.0
    assert np.isnan(minmax([np.nan, np.nan]).score).all()


@pytest.mark.parametrize("kwargs, key", [
    ({"direction": 0}, "model.bad_direction"),
    ({"bounds": (5, 5)}, "model.bad_bounds"),
    ({"bounds": (9, 1)}, "model.bad_bounds"),
])
def test_bad_options_raise(kwargs, key):
    with pytest.raises(DataError) as err:
        minmax([1, 2, 3], **kwargs)
    assert err.value.key == key


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from([1, -1]), st.one_of(st.none(), st.tuples(finite, finite)))
def test_scores_always_lie_in_0_10(x, direction, bounds):
    if bounds is not None and not bounds[0] < bounds[1]:
        bounds = None
    score = minmax(x, direction=direction, bounds=bounds).score
    assert ((score >= 0) & (score <= 10)).all()


@settings(max_examples=200, deadline=None)
@given(values, st.data())
def test_raising_a_value_never_lowers_its_score(x, data):
    i = data.draw(st.integers(0, x.size - 1))
    bump = data.draw(st.floats(0, 1e6))
    higher = x.copy()
    higher[i] += bump
    assert minmax(higher).score[i] >= minmax(x).score[i] - 1e-9
    assert minmax(higher, direction=-1).score[i] <= minmax(x, direction=-1).score[i] + 1e-9
