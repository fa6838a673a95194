"""Structural audit: Cronbach's alpha, PC1 share, effective weights (hand-computed and planted)."""
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from risk_model.audit import (WEIGHT_TOLERANCE, correlation_matrix, cronbach_alpha, effective_weights,
                              nominal_weights, pc1_share, structure)
from risk_model.pipeline import run_model
from risk_model.spec import load_spec


def test_cronbach_alpha_by_hand():
    # items [1, 2, 3] (var 1) and [2, 3, 5] (var 7/3); totals [3, 5, 8] (var 19/3):
    # alpha = 2 / 1 * (1 - (1 + 7/3) / (19/3)) = 18/19. A row with a missing item is left out.
    assert_allclose(cronbach_alpha([[1, 2], [2, 3], [3, 5], [4, np.nan]]), 18 / 19)


def test_cronbach_alpha_of_opposed_items_is_negative_and_single_item_is_nan():
    assert cronbach_alpha([[1, 3], [2, 2], [3, 1.5]]) < 0
    assert np.isnan(cronbach_alpha([[1], [2], [3]]))
    assert np.isnan(cronbach_alpha([[1, 5], [2, 5], [3, 5]]))  # a constant item


def test_pc1_share_one_factor_and_unrelated_items():
    assert_allclose(pc1_share([[1, 2], [2, 4], [3, 6]]), 1.0)
    # orthogonal items with equal variance: every eigenvalue is 1, PC1 carries 1/k = 0.5
    assert_allclose(pc1_share([[0, 0], [1, 0], [0, 1], [1, 1]]), 0.5)


def test_effective_weights_by_hand():
    # dimensions x1 = [0, 1, 0, 1], x2 = [0, 0, 1, 1] (uncorrelated, variance equal), composite
    # 0.75 x1 + 0.25 x2 = [0, .75, .25, 1]: r1^2 = .75^2 / .625 = 0.9, r2^2 = .25^2 / .625 = 0.1.
    d = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    assert_allclose(effective_weights(d, [0, 0.75, 0.25, 1.0]), [0.9, 0.1])
    # equal weights: equal effective weights
    assert_allclose(effective_weights(d, d.mean(axis=1)), [0.5, 0.5])


def test_planted_dominant_dimension_is_found():
    # Three dimensions with equal nominal weights; the first spreads over 0..10, the others over a
    # narrow band around 5: the composite is almost the first dimension.
    rng = np.random.default_rng(13)
    d = np.column_stack([rng.uniform(0, 10, 300), rng.uniform(4.5, 5.5, 300), rng.uniform(4.5, 5.5, 300)])
    eff = effective_weights(d, d.mean(axis=1))
    assert eff[0] > 0.9 and eff[0] - 1 / 3 > WEIGHT_TOLERANCE
    assert_allclose(eff.sum(), 1.0)


def test_constant_dimension_has_no_effective_weight():
    d = np.column_stack([np.arange(5.0), np.full(5, 3.0)])
    eff = effective_weights(d, d.mean(axis=1))
    assert np.isnan(eff[1]) and eff[0] == 1.0


def test_correlation_matrix_is_pairwise():
    frame = pd.DataFrame({"a": [1, 2, 3, 4, np.nan], "b": [2, 4, 6, 8, 1], "c": [4, 3, 2, 1, 0]})
    r = correlation_matrix(frame)
    assert_allclose(r.loc["a", "b"], 1.0) and assert_allclose(r.loc["a", "c"], -1.0)


def test_nominal_weights_normalise(model_data):
    spec = load_spec("slv_default").with_scenario(weights={"violence": 2})
    assert_allclose(nominal_weights(spec, spec.dimensions), [0.5, 0.25, 0.25])


def test_structure_of_the_default_model(model_data):
    res = run_model(model_data, load_spec("slv_default"), 2023, draws=0)
    out = structure(res)
    assert out["dimensions"] == [d for d in res.spec.dimensions if res.table[d].notna().any()]  # empty ones left out
    assert_allclose(sum(out["effective_weights"].values()), 1.0)
    assert_allclose(sum(out["nominal_weights"].values()), 1.0)
    for d in out["dimensions"]:
        gap = out["effective_weights"][d] - out["nominal_weights"][d]
        assert_allclose(out["weight_gap"][d], gap)
        assert (d in out["over_tolerance"]) == (abs(gap) > WEIGHT_TOLERANCE)
        alpha = out["cronbach_alpha"][d]
        assert alpha is None or alpha <= 1
        corr = out["indicator_correlations"][d]
        for i in corr:
            assert corr[i][i] == pytest.approx(1.0)
    assert out["dimension_correlations"]["composite"]["composite"] == pytest.approx(1.0)


def test_audit_command_line_writes_the_documented_keys(gtm_hnd_store, data_root, tmp_path):
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "RISKMAP_STORE": str(gtm_hnd_store.path), "RISKMAP_DATA_ROOT": str(data_root)}
    out_json = tmp_path / "audit.json"
    out = subprocess.run([sys.executable, "-m", "risk_model", "audit", "--country", "hnd", "--samples", "8",
                          "--out", str(out_json)], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    report = json.loads(out_json.read_text(encoding="utf-8"))
    for key in ("effective_weights", "nominal_weights", "cronbach_alpha", "sensitivity", "rank_range"):
        assert key in report
    assert set(report["effective_weights"]) == set(report["nominal_weights"]) == {"violence", "displacement"}
    assert all({"first", "total"} <= set(v) for v in report["sensitivity"].values())
    assert len(report["rank_range"]) == 298
    assert all({"p05", "p95"} <= set(v) for v in report["rank_range"].values())
    assert report["sensitivity_runs"] == 8 * (len(report["sensitivity"]) + 2)


def test_a_dimension_of_weight_zero_has_no_weight_to_compare(model_data):
    spec = load_spec("slv_default").with_scenario(weights={"displacement": 0})  # extortion: empty at district level
    out = structure(run_model(model_data, spec, 2023, draws=0))
    assert out["weighted_dimensions"] == ["violence"] and out["over_tolerance"] == []
    assert out["effective_weights"] == {"violence": 1.0} and "displacement" in out["cronbach_alpha"]
