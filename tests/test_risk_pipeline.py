"""The whole model on the real El Salvador data, and the command line over it."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from geodata.errors import DataError
from risk_model.estimates import estimate_indicator
from risk_model.pipeline import run_model
from risk_model.spec import load_spec, parse_key
from risk_model.result_tables import SCORE_COLUMNS, rates_table, score_table

SPEC = load_spec()


@pytest.mark.parametrize("level, n", [("district", 262), ("municipio_2024", 44), ("department", 14)])
def test_score_every_unit_at_every_level(model_data, level, n):
    res = run_model(model_data, SPEC, 2023, level=level, draws=200)
    table = score_table(res)
    assert len(table) == n and table["code"].is_unique
    assert table["score"].notna().all() and table["score"].between(0, 10).all()
    assert set(table["class"]) <= {"very_low", "low", "medium", "high", "very_high"} and (table["class"] != "").all()
    assert (table["rank_p05"] <= table["rank_median"]).all() and (table["rank_median"] <= table["rank_p95"]).all()
    assert table["p_top"].sum() == pytest.approx(SPEC.top_n)
    assert table["reliability"].between(0, 10).all()
    assert set(SCORE_COLUMNS + ["violence", "extortion", "displacement"]) <= set(table.columns)


def test_same_seed_same_result_and_other_seed_differs(model_data):
    a = run_model(model_data, SPEC, 2023, draws=100, seed=3).table
    b = run_model(model_data, SPEC, 2023, draws=100, seed=3).table
    c = run_model(model_data, SPEC, 2023, draws=100, seed=4).table
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["rank_median"], c["rank_median"])


def test_municipio_indicator_is_applied_to_its_districts(model_data):
    est = estimate_indicator(model_data, "census2024_emigrants_insecurity", year=2023, level="district")
    assert est.imputed.all() and est.native_level == "municipio_2024"
    units = model_data.units["district"]
    # San Salvador (0614) and Mejicanos (0608) are both in San Salvador Centro (0623)
    pos = {c: i for i, c in enumerate(units["code"])}
    assert est.smoothed[pos["0614"]] == est.smoothed[pos["0608"]]
    mun = estimate_indicator(model_data, "census2024_emigrants_insecurity", year=2023, level="municipio_2024")
    assert not mun.imputed.any()


def test_counts_are_repooled_at_coarser_levels(model_data):
    d = rates_table(model_data, "acled_fatalities", year=2023, level="district")
    dept = rates_table(model_data, "acled_fatalities", year=2023, level="department")
    obs = model_data.observations  # the stored district counts, summed here by hand over the 3-year window
    stored = obs.loc[(obs["indicator"] == "acled_fatalities") & obs["year"].between(2021, 2023), "value"].sum()
    assert stored > 0
    assert dept["count"].sum() == d["count"].sum() == stored
    assert dept["exposure"].sum() == pytest.approx(d["exposure"].sum())
    ss = dept.set_index("code").loc["06"]
    members = d[d["code"].str.startswith("06")]
    assert ss["raw_rate"] == pytest.approx(members["count"].sum() / members["exposure"].sum() * 1e5)


@pytest.mark.parametrize("indicator", [i.id for i in SPEC.indicators])
def test_rates_for_every_default_indicator(model_data, indicator):
    t = rates_table(model_data, indicator, year=2023)
    assert len(t) == 262
    has = t["raw_rate"].notna()
    assert has.sum() >= 50
    assert t.loc[has, "eb_rate"].notna().all()
    if model_data.catalogue[indicator].denominator == "none":  # published: no sampling interval
        assert t[["ci_low", "ci_high"]].isna().all().all()
        return
    assert (t.loc[has, "ci_low"] <= t.loc[has, "raw_rate"] + 1e-9).all()
    assert (t.loc[has, "raw_rate"] <= t.loc[has, "ci_high"] + 1e-9).all()


def test_all_weight_on_one_dimension_scores_that_dimension(model_data):
    spec = SPEC.with_scenario(weights={"violence": 1, "extortion": 0, "displacement": 0})
    t = run_model(model_data, spec, 2023, draws=0).table
    np.testing.assert_allclose(t["score"], t["violence"])


def test_zero_weights_everywhere_is_a_clear_error(model_data):
    spec = SPEC.with_scenario(weights={"violence": 0, "extortion": 0, "displacement": 0})
    with pytest.raises(DataError, match="every dimension has weight 0"):
        run_model(model_data, spec, 2023, draws=0)


def test_top_n_larger_than_units_is_capped(model_data):
    res = run_model(model_data, SPEC.with_scenario(top_n=500), 2023, level="department", draws=50)
    assert res.table["p_top"].sum() == pytest.approx(14)


def test_scenario_key_round_trip():
    spec = SPEC.with_scenario(weights={"violence": 2.5, "displacement": 0}, aggregation="arithmetic",
                              scheme="natural_breaks", top_n=5)
    assert parse_key(SPEC, spec.key()) == spec
    with pytest.raises(DataError, match="aggregation = 'median'"):
        dataclasses.replace(SPEC, aggregation="median")


def test_lookup_many_agrees_with_the_code_maps(model_data):
    codes = list(model_data.units["district"]["code"][::37]) + ["9999", ""]
    for what, level, missing in (("position", "district", -1), ("mun2024_code", "district", ""),
                                 ("position", "department", -1)):
        expected = [model_data.lookup(what, level).get(c, missing) for c in codes]
        assert model_data.lookup_many(what, level, codes, missing).tolist() == expected


def test_duplicate_unit_codes_are_named_not_a_traceback(model_data):
    units = dict(model_data.units)
    districts = units["district"].copy()
    districts.loc[districts.index[1], "code"] = districts["code"].iloc[0]
    units["district"] = districts
    broken = dataclasses.replace(model_data, units=units)
    with pytest.raises(DataError, match=f"district has duplicate unit codes: {districts['code'].iloc[0]}"):
        broken.lookup_many("position", "district", ["0101"], -1)


@pytest.mark.parametrize("indicator", [i.id for i in SPEC.indicators])
def test_smoothed_interval_holds_the_smoothed_value_or_is_absent(model_data, indicator):
    """Every estimate gives its own interval: published values none (NaN), the others one around
    the smoothed value, so no caller needs to know the estimate's kind."""
    est = estimate_indicator(model_data, indicator, year=2023)
    lower, upper = est.smoothed_interval()
    has = ~np.isnan(np.asarray(est.smoothed, float))
    if model_data.catalogue[indicator].denominator == "none":
        assert np.isnan(lower).all() and np.isnan(upper).all()
        return
    assert has.any()
    assert (lower[has] <= est.smoothed[has] + 1e-9).all() and (est.smoothed[has] <= upper[has] + 1e-9).all()
    assert (upper[has] > lower[has]).any()
