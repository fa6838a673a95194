"""Sensitivity analysis: Sobol indices of a synthetic model, choices, and the rank analysis."""
import numpy as np
import pytest

from geodata.errors import DataError
from risk_model.pipeline import run_model
from risk_model.sensitivity import Choice, apply_choices, choices, decode, rank_sensitivity, sobol_indices
from risk_model.spec import load_spec


def test_sobol_of_a_synthetic_model_finds_the_input_without_effect():
    # y = u0 + 2 u1 (u2 has no effect). Var(u) = 1/12, so S0 = 1/5 and S1 = 4/5 (additive: total = first).
    idx, X, Y = sobol_indices(lambda u: u[0] + 2 * u[1] + 0 * u[2], ["a", "b", "none"], n=1024, seed=1)
    assert X.shape == (1024 * 5, 3) and Y.shape == (1024 * 5,)
    assert idx["none"]["total"] == pytest.approx(0.0, abs=1e-9)
    assert idx["none"]["first"] == pytest.approx(0.0, abs=0.02)
    assert idx["a"]["first"] == pytest.approx(0.2, abs=0.05) and idx["a"]["total"] == pytest.approx(0.2, abs=0.05)
    assert idx["b"]["first"] == pytest.approx(0.8, abs=0.05) and idx["b"]["total"] == pytest.approx(0.8, abs=0.05)


def test_sobol_interaction_shows_in_total_not_first():
    # y = (u0 - 1/2)(u1 - 1/2): no main effect at all, everything is interaction.
    idx, _, _ = sobol_indices(lambda u: (u[0] - 0.5) * (u[1] - 0.5), ["a", "b"], n=1024, seed=2)
    for k in ("a", "b"):
        assert abs(idx[k]["first"]) < 0.05 and idx[k]["total"] > 0.9


def test_sample_size_must_be_a_power_of_two():
    with pytest.raises(DataError, match="power of 2"):
        sobol_indices(lambda u: u[0], ["a"], n=60)


def test_decode_maps_the_unit_interval_to_options():
    inputs = (Choice("agg", ("geometric", "arithmetic")), Choice("w", (), 0.5, 1.5))
    assert decode(inputs, [0.0, 0.0]) == {"agg": "geometric", "w": 0.5}
    assert decode(inputs, [0.99, 1.0]) == {"agg": "arithmetic", "w": 1.5}
    assert decode(inputs, [0.5, 0.5]) == {"agg": "arithmetic", "w": 1.0}


def test_choices_and_nominal_choices_reproduce_the_model(model_data):
    spec = load_spec("slv_default")
    inputs = choices(spec)
    names = [c.name for c in inputs]
    assert {"smoothing", "window", "log", "aggregation", "leave_out"} <= set(names)
    assert [n for n in names if n.startswith("weight:")] == [f"weight:{d}" for d in spec.dimensions]
    nominal = {c.name: c.options[0] if c.options else 1.0 for c in inputs}
    same = apply_choices(spec, nominal)
    a = run_model(model_data, spec, 2023, draws=0).table["score"]
    b = run_model(model_data, same, 2023, draws=0).table["score"]
    np.testing.assert_allclose(a, b)
    other = apply_choices(spec, {**nominal, "leave_out": "acled_fatalities", "log": "none", "weight:violence": 1.5})
    assert "acled_fatalities" in other.excluded and not any(i.log for i in other.indicators)
    assert other.weight("violence") == pytest.approx(1.5 * spec.weight("violence"))


def test_rank_sensitivity_on_the_real_model(model_data):
    spec = load_spec("slv_default")
    res = rank_sensitivity(model_data, spec, 2023, n=8, seed=0)
    assert res.runs == 8 * (len(res.inputs) + 2)
    assert set(res.indices) == {c.name for c in res.inputs}
    rr = res.rank_range.dropna(subset=["rank"])
    assert len(rr) == 262
    assert (rr["p05"] <= rr["median"]).all() and (rr["median"] <= rr["p95"]).all()
    assert (rr["p05"] >= 1).all() and (rr["p95"] <= 262).all()
