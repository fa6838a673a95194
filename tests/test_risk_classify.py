"""Five classes by named scheme."""
import mapclassify
import numpy as np
import pytest
from numpy.testing import assert_allclose

from geodata.errors import DataError
from geodata.names import CLASS_CODES
from risk_model.classify import classify

Y = np.array([0.5, 1.0, 2.0, 3.5, 4.0, 4.5, 6.0, 7.5, 8.0, 9.9])


def test_fixed_thresholds_by_hand():
    # upper bounds 2, 4, 6, 8, 10; a value equal to a bound belongs to the lower class.
    c = classify(Y, "fixed")
    assert c.yb.tolist() == [0, 0, 0, 1, 1, 2, 2, 3, 3, 4]
    assert c.counts.tolist() == [3, 2, 2, 2, 1]
    assert (c.scheme, c.k, c.requested_k, c.degenerate) == ("fixed", 5, 5, False)
    assert len(CLASS_CODES) == 5 and CLASS_CODES[0] == "very_low" and CLASS_CODES[4] == "very_high"


def test_fixed_custom_bins_clamp_values_above_the_top():
    c = classify([1, 5, 50, np.nan], "fixed", k=3, bins=[2, 4, 10])
    assert c.yb.tolist() == [0, 2, 2, -1]
    assert c.counts.tolist() == [1, 0, 2]


def test_quantiles_by_hand():
    # np.quantile (linear) at 0.2, 0.4, 0.6, 0.8, 1 over ten values: positions 1.8, 3.6, 5.4, 7.2, 9
    # -> 1.0 + 0.8 * 1.0 = 1.8; 3.5 + 0.6 * 0.5 = 3.8; 4.5 + 0.4 * 1.5 = 5.1; 7.5 + 0.2 * 0.5 = 7.6; 9.9
    c = classify(Y, "quantiles")
    assert_allclose(c.bins, [1.8, 3.8, 5.1, 7.6, 9.9])
    assert c.counts.tolist() == [2, 2, 2, 2, 2]


@pytest.mark.filterwarnings("ignore:Numba not installed")
def test_natural_breaks_equals_mapclassify_fisher_jenks():
    rng = np.random.default_rng(12345)
    y = np.concatenate([rng.normal(1, 0.2, 40), rng.normal(5, 0.3, 30), rng.normal(9, 0.2, 10)])
    c = classify(y, "Natural Breaks")
    ref = mapclassify.FisherJenks(y, k=5)
    assert c.scheme == "natural_breaks"
    assert_allclose(c.bins, ref.bins)
    assert c.yb.tolist() == ref.yb.tolist() and c.counts.tolist() == ref.counts.tolist()


def test_ties_leave_fewer_classes_and_say_so():
    c = classify([0, 0, 0, 0, 0, 0, 0, 1, 2, 3], "quantiles")
    # quantiles 0, 0, 0, 0.2 (pos 7.2 -> 1 + 0.2), 3 -> distinct 0, 1.2, 3
    assert_allclose(c.bins, [0, 1.2, 3])
    assert (c.k, c.requested_k, c.degenerate) == (3, 5, True)
    assert c.counts.tolist() == [7, 1, 2]
    constant = classify([4, 4, 4], "natural_breaks")
    assert constant.k == 1 and constant.counts.tolist() == [3] and constant.degenerate


def test_unknown_scheme_lists_the_valid_names():
    with pytest.raises(DataError, match="unknown classification scheme 'jenks_caspall'") as err:
        classify(Y, "jenks_caspall")
    assert err.value.params["options"] == ["fixed", "natural_breaks", "quantiles"]


@pytest.mark.parametrize("kwargs, key", [
    ({"scheme": "quantiles", "k": 1}, "model.bad_k"),
    ({"scheme": "fixed", "bins": [1, 2]}, "model.bad_bins"),
    ({"scheme": "fixed", "bins": [1, 2, 2, 3, 4]}, "model.bad_bins"),
    ({"scheme": "quantiles", "bins": [1, 2, 3, 4, 5]}, "model.bins_not_fixed"),
])
def test_bad_options(kwargs, key):
    with pytest.raises(DataError) as err:
        classify(Y, **kwargs)
    assert err.value.key == key


def test_all_missing():
    with pytest.raises(DataError, match="every value is missing"):
        classify([np.nan, np.nan], "quantiles")
    assert classify([np.nan], "fixed").yb.tolist() == [-1]
