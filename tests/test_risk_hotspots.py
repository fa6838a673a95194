"""Local Moran's I and Gi* codes, FDR, islands, seeds."""
import geopandas as gpd
import numpy as np
import pytest
from libpysal.weights import W, lat2W
from numpy.testing import assert_allclose, assert_array_equal
from shapely.geometry import box

from geodata.errors import DataError
from risk_model.hotspots import getis_ord, local_moran, queen_weights

SEED = 12345
# 5 x 5 grid: a block of high values in the top-left corner, one high outlier in a low area.
GRID = np.ones(25)
GRID[[0, 1, 5, 6]] = 9.0
GRID[18] = 9.0


def grid_w():
    return lat2W(5, 5, rook=False)


def test_local_moran_codes():
    lm = local_moran(GRID, grid_w(), seed=SEED)
    assert lm.code[[0, 1, 5]].tolist() == ["HH", "HH", "HH"]
    # Unit 18 (9 among eight 1s): no permutation of the other values gives its neighbours a lower
    # mean, so its pseudo p-value is the smallest there is, 1 / (999 + 1), and it is "HL" whatever
    # the seed. Unit 6 is high but five of its eight neighbours are low: not significant.
    for seed in (SEED, 1, 2):
        other = local_moran(GRID, grid_w(), seed=seed)
        assert other.code[18] == "HL" and other.p[18] == pytest.approx(1 / 1000)
        assert other.code[6] == "ns" and 0.05 < other.p[6] < 0.2
    assert not np.isin(lm.code[[12, 20, 24]], ["HH", "HL"]).any()
    assert set(lm.code) <= {"HH", "LL", "HL", "LH", "ns"}
    # Local I of unit 0 (esda: row-standardised, n - 1 in the numerator):
    # z_0 * mean(z of neighbours 1, 5, 6) * (n - 1) / sum(z^2)
    z = GRID - GRID.mean()
    assert_allclose(lm.statistic[0], z[0] * z[[1, 5, 6]].mean() * 24 / (z**2).sum())
    assert lm.cutoff == 0.05 and lm.permutations == 999
    assert ((lm.p > 0) & (lm.p <= 1)).all()


def test_getis_ord_codes_and_statistic():
    g = getis_ord(GRID, grid_w(), seed=SEED)
    # Gi* of unit 0 with binary weights including itself: (9 + 9 + 9 + 9) / sum(y) = 36 / 57
    assert_allclose(g.statistic[0], 36 / GRID.sum())
    assert g.code[0] == "hot" and g.z[0] > 0
    assert set(g.code) <= {"hot", "cold", "ns"}


def test_same_seed_same_result_and_global_state_untouched():
    np.random.seed(1)
    expected = np.random.random()
    np.random.seed(1)
    a = local_moran(GRID, grid_w(), seed=SEED)
    assert np.random.random() == expected
    b = local_moran(GRID, grid_w(), seed=SEED)
    assert_array_equal(a.p, b.p)
    assert_array_equal(a.code, b.code)


def test_fdr_is_no_more_permissive_than_alpha():
    plain = local_moran(GRID, grid_w(), seed=SEED)
    fdr = local_moran(GRID, grid_w(), seed=SEED, fdr=True)
    assert fdr.fdr and fdr.cutoff <= 0.05
    assert (fdr.code != "ns").sum() <= (plain.code != "ns").sum()


def test_caller_weights_are_not_modified():
    w = grid_w()
    before = w.transform
    local_moran(GRID, w, seed=SEED)
    getis_ord(GRID, w, seed=SEED)
    assert w.transform == before


def test_islands_are_ns_with_nan_p():
    w = W({0: [1], 1: [0, 2], 2: [1], 3: []}, silence_warnings=True)
    y = [1.0, 2.0, 3.0, 10.0]
    lm, g = local_moran(y, w, seed=SEED), getis_ord(y, w, seed=SEED)
    assert lm.code[3] == "ns" and np.isnan(lm.p[3])
    assert g.code[3] == "ns" and np.isnan(g.p[3])


def test_queen_weights_use_row_positions_and_report_islands():
    gdf = gpd.GeoDataFrame({"name": list("abcd")},
                           geometry=[box(0, 0, 1, 1), box(1, 1, 2, 2), box(2, 0, 3, 1), box(9, 9, 10, 10)],
                           index=[10, 20, 30, 40])
    w = queen_weights(gdf)
    assert w.id_order == [0, 1, 2, 3]
    assert sorted(w.neighbors[1]) == [0, 2]      # corner touch counts for queen contiguity
    assert w.islands == [3]


def test_bad_inputs():
    with pytest.raises(DataError, match="y has 3 values but the weights have 25 units"):
        local_moran([1, 2, 3], grid_w(), seed=SEED)
    y = GRID.copy()
    y[4] = np.nan
    with pytest.raises(DataError, match="positions 4"):
        getis_ord(y, grid_w(), seed=SEED)
    with pytest.raises(DataError, match=">= 0"):
        getis_ord(GRID - 5, grid_w(), seed=SEED)
