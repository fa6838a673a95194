"""Contributions of each dimension to the composite: hand-computed cases, null case, sums."""
import numpy as np
import pytest

from risk_model.aggregate import aggregate
from risk_model.contributions import contributions


def test_arithmetic_hand_computed():
    # weights 1 and 3, scores 2 and 6: composite (2 + 18) / 4 = 5, parts 0.5 and 4.5
    c = contributions([[2.0, 6.0]], [1, 3])
    assert c.tolist() == [[0.5, 4.5]]


def test_geometric_log_share_hand_computed():
    # weights 1 and 3, scores 1 and 7: s = 2^(1/4) 8^(3/4) - 1 = 2^2.5 - 1; log shares
    # ln2 : 3 ln8 = 1 : 9, so the parts are s/10 and 9s/10
    s = 2 ** 2.5 - 1
    c = contributions([[1.0, 7.0]], [1, 3], method="geometric")
    assert c[0] == pytest.approx([s / 10, 9 * s / 10], rel=1e-12)


def test_equal_scores_split_by_weight():
    c = contributions([[4.0, 4.0, 4.0]], [1, 2, 1], method="geometric")
    assert c[0] == pytest.approx([1.0, 2.0, 1.0])


def test_all_zero_and_missing():
    c = contributions([[0.0, 0.0], [np.nan, 5.0], [np.nan, np.nan]], [1, 1], method="geometric")
    assert c[0].tolist() == [0.0, 0.0]
    assert c[1].tolist() == [0.0, 5.0]  # the missing dimension's weight is left out
    assert np.isnan(c[2]).all()


@pytest.mark.parametrize("method", ["arithmetic", "geometric"])
def test_contributions_add_up_to_the_composite(method):
    rng = np.random.default_rng(15)  # synthetic scores, seeded
    x = rng.uniform(0, 10, size=(300, 4))
    x[rng.random(x.shape) < 0.1] = np.nan
    x[:5] = 0.0
    w = np.array([3.0, 0.5, 2.0, 1.0])
    c = contributions(x, w, method=method)
    total = aggregate(x, w, method=method).score
    scored = ~np.isnan(total)
    assert np.allclose(c[scored].sum(axis=1), total[scored], atol=1e-9)
    assert (c[scored] >= 0).all()


def test_higher_dimension_score_gets_larger_part():
    c = contributions([[2.0, 8.0]], [1, 1], method="geometric")
    assert c[0, 1] > c[0, 0]


@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric"])
def test_contribution_table_adds_up_on_the_real_model(model_data, aggregation):
    from risk_model.contributions import contribution_table
    from risk_model.pipeline import run_model
    from risk_model.spec import load_spec

    md = model_data
    spec = load_spec("slv_default").with_scenario(aggregation=aggregation)
    result = run_model(md, spec, 2023, draws=0)
    parts = contribution_table(result).set_index("code")
    assert list(parts.columns) == [f"contrib_{d}" for d in spec.dimensions if spec.weight(d) > 0]
    score = result.table.set_index("code")["score"]
    ok = score.notna()
    assert np.allclose(parts[ok].sum(axis=1), score[ok], atol=1e-9)
