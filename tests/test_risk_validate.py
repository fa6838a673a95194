"""Validation: cluster-bootstrap Spearman, top-N overlap, non-circular backtest, peer comparison."""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from geodata.errors import DataError
from geodata.reference import load_peer
from risk_model.backtest import BACKTEST_COLUMNS, backtest_table, default_outcomes
from risk_model.spec import load_spec
from risk_model.validate import (cluster_codes, coarsest_input_level, peer_comparison, spearman_interval,
                                 top_overlap, verdict)


def test_null_case_shows_no_demonstrated_skill():
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=200), rng.normal(size=200)
    rho, low, high, k = spearman_interval(x, y, seed=7)
    assert low < 0 < high and k == 200
    assert verdict(low, high) == "no demonstrated skill"


def test_planted_relation_is_skill():
    rng = np.random.default_rng(8)
    x = rng.normal(size=200)
    rho, low, high, _ = spearman_interval(x, x + 0.5 * rng.normal(size=200), seed=8)
    assert low > 0.5 and verdict(low, high) == "skill"
    assert verdict(-0.5, -0.1) == "inverse" and verdict(np.nan, np.nan) == "too few data"


def test_copied_values_widen_the_interval_when_clusters_are_resampled():
    # 20 independent coarse values each copied onto 10 units: 200 rows but 20 observations.
    rng = np.random.default_rng(9)
    coarse_x, coarse_y = rng.normal(size=20), rng.normal(size=20)
    g = np.repeat(np.arange(20), 10)
    x, y = coarse_x[g] + 1e-3 * rng.normal(size=200), coarse_y[g] + 1e-3 * rng.normal(size=200)
    _, lo_u, hi_u, k_u = spearman_interval(x, y, seed=9)
    _, lo_c, hi_c, k_c = spearman_interval(x, y, g, seed=9)
    assert (k_u, k_c) == (200, 20)
    assert hi_c - lo_c > 2 * (hi_u - lo_u)


def test_top_overlap_by_hand():
    # top 2 by x: units 0, 1; by y: units 1, 2 -> one shared of two
    assert top_overlap([5, 4, 3, 2, 1], [1, 5, 4, 3, 2], n=2) == 0.5
    assert top_overlap([1, 2, 3], [1, 2, 3], n=20) == 1.0  # n capped at the units present


def test_coarsest_input_level_and_clusters(model_data, country_model_data):
    slv = load_spec("slv_default")
    assert coarsest_input_level(model_data, slv, "district") == "municipio_2024"  # census 2024 emigrants
    assert coarsest_input_level(model_data, slv, "district", "violence") == "district"
    assert coarsest_input_level(model_data, slv, "department") == "department"
    hnd = country_model_data["hnd"]
    assert coarsest_input_level(hnd, load_spec("hnd_default"), "municipio", "displacement") == "department"
    assert len(set(cluster_codes(model_data.units["district"], "municipio_2024"))) == 44


def test_backtest_never_uses_an_input_as_outcome(model_data):
    spec = load_spec("slv_default")
    inputs = {i.id for i in spec.active_indicators()}
    outcomes = default_outcomes(model_data, spec)
    assert outcomes and not inputs & set(outcomes)
    table = backtest_table(model_data, spec, outcomes[:2], top_n=10)
    assert list(table.columns) == BACKTEST_COLUMNS
    assert not inputs & set(table["outcome"])
    scored = table[table["note"] == ""]
    assert len(scored) and (scored["bootstrap_level"] == "municipio_2024").all()
    assert (scored["n_clusters"] <= 44).all()
    includes_zero = (scored["rho_low"] <= 0) & (scored["rho_high"] >= 0)
    assert ((scored["verdict"] == "no demonstrated skill") == includes_zero).all()
    with pytest.raises(DataError, match="circular"):
        backtest_table(model_data, spec, ["acled_fatalities"], top_n=10)


def test_peer_files_are_keyed_by_our_codes(model_data, country_model_data):
    for country, n in (("gtm", 340), ("hnd", 265)):
        peer, frame = load_peer(country)
        codes = set(country_model_data[country].units["municipio"]["code"])
        assert len(frame.index.intersection(list(codes))) == n


def test_peer_comparison_of_identical_columns():
    ours = pd.DataFrame({"a": np.arange(30.0)}, index=[f"u{i}" for i in range(30)])
    peer = pd.DataFrame({"b": np.arange(30.0) * 2}, index=ours.index).iloc[::-1]  # other order, same units
    row = peer_comparison(ours, peer, [("a", "b")], top_n=20).iloc[0]
    assert row.rho == pytest.approx(1.0) and row.top_overlap == 1.0 and row.n == 30 and not row.includes_zero


@pytest.mark.parametrize("country", ["gtm", "hnd"])
def test_validate_command_line_keys(gtm_hnd_store, data_root, tmp_path, country):
    env = {**os.environ, "RISKMAP_STORE": str(gtm_hnd_store.path), "RISKMAP_DATA_ROOT": str(data_root)}
    out_json = tmp_path / "validate.json"
    out = subprocess.run([sys.executable, "-m", "risk_model", "validate", "--country", country,
                          "--out", str(out_json)], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert {"peer", "note", "comparisons"} <= set(report)
    assert {"violence", "displacement", "composite"} == set(report["comparisons"])
    for entry in report["comparisons"].values():
        assert {"spearman", "interval", "top20_overlap", "bootstrap_level", "n"} <= set(entry)
        if entry["spearman"] is not None:
            low, high = entry["interval"]
            assert -1 <= low <= entry["spearman"] <= high <= 1


def test_weighted_spearman_equals_spearman_of_the_repeated_sample():
    from scipy import stats

    from risk_model.validate import _weighted_spearman

    rng = np.random.default_rng(10)
    x = rng.integers(0, 5, 12).astype(float)  # ties on purpose
    y = rng.normal(size=12)
    w = rng.integers(0, 3, (4, 12)).astype(float)
    got = _weighted_spearman(x, y, w)
    for d in range(4):
        idx = np.repeat(np.arange(12), w[d].astype(int))
        assert got[d] == pytest.approx(stats.spearmanr(x[idx], y[idx])[0])


def test_backtest_command_line_csv_has_no_input_outcome_and_a_bootstrap_level(built_store, data_root, tmp_path):
    env = {**os.environ, "RISKMAP_STORE": str(built_store.path), "RISKMAP_DATA_ROOT": str(data_root)}
    out_csv = tmp_path / "backtest.csv"
    run = subprocess.run([sys.executable, "-m", "risk_model", "backtest", "--outcome", "acled_events", "--out",
                          str(out_csv)], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    table = pd.read_csv(out_csv)
    inputs = {i.id for i in load_spec("slv_default").active_indicators()}
    assert "bootstrap_level" in table.columns and not inputs & set(table["outcome"])
    assert set(table["bootstrap_level"]) == {"municipio_2024"}
    circular = subprocess.run([sys.executable, "-m", "risk_model", "backtest", "--outcome", "acled_fatalities",
                               "--out", str(tmp_path / "x.csv")], capture_output=True, text=True, env=env, timeout=300)
    assert circular.returncode == 2 and "circular" in circular.stderr
