"""Scoring Guatemala and Honduras, the country selector on the command line, and the regional view."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from geodata.errors import DataError
from risk_model.estimates import estimate_indicator
from risk_model.pipeline import run_model
from risk_model.regional import REGIONAL_COLUMNS, regional_scores
from risk_model.spec import load_spec
from risk_model.result_tables import score_table

YEARS = {"slv": 2023, "gtm": 2022, "hnd": 2023}
UNITS = {"gtm": (340, 22), "hnd": (298, 18)}


@pytest.fixture(scope="module")
def results(model_data, country_model_data):
    data = {"slv": model_data, **country_model_data}
    return {c: run_model(d, load_spec(f"{c}_default"), YEARS[c], draws=0) for c, d in data.items()}


@pytest.mark.parametrize("country", ["gtm", "hnd"])
def test_default_spec_fits_the_catalogue(country_model_data, country):
    spec = load_spec(f"{country}_default")
    cat = country_model_data[country].catalogue
    assert spec.country == country
    for ind in spec.indicators:
        assert ind.id in cat and ind.why, ind.id
        assert cat[ind.id].level == "municipio"
    assert "extortion" not in spec.dimensions  # no extortion measure fits: the spec says so
    assert spec.dimensions == ("violence", "displacement")


@pytest.mark.parametrize("country", ["gtm", "hnd"])
@pytest.mark.parametrize("level_index", [0, 1])
def test_one_score_per_unit_at_each_level(country_model_data, country, level_index):
    data = country_model_data[country]
    level = list(data.units)[level_index]
    res = run_model(data, load_spec(f"{country}_default"), YEARS[country], level=level, draws=100)
    table = score_table(res)
    assert len(table) == UNITS[country][level_index] and table["code"].is_unique
    assert table["score"].notna().all() and table["score"].between(0, 10).all()
    assert (table["class"] != "").all() and table["reliability"].between(0, 10).all()
    assert table["p_top"].sum() == pytest.approx(res.spec.top_n)


def test_finest_level_is_the_default(country_model_data):
    data = country_model_data["gtm"]
    assert data.finest == "municipio"
    res = run_model(data, load_spec("gtm_default"), 2022, draws=0)
    assert res.level == "municipio" and len(res.table) == 340


def test_gtm_rates_are_scored_as_published(country_model_data):
    data = country_model_data["gtm"]
    est = estimate_indicator(data, "gtm_crime_rate", year=2022)
    obs = data.observations.query("indicator == 'gtm_crime_rate'").set_index("unit")["value"]
    np.testing.assert_allclose(est.smoothed, obs.reindex(data.units["municipio"]["code"]).to_numpy())
    assert est.posterior == "fixed" and est.years == (2020,)
    # department: population-weighted mean of the municipio rates (2018 census)
    dept = estimate_indicator(data, "gtm_crime_rate", year=2022, level="department")
    pop = data.population.query("level == 'municipio'").set_index("unit")["population"]
    g01 = [c for c in obs.index if c.startswith("GT01")]
    expect = (obs[g01] * pop[g01]).sum() / pop[g01].sum()
    assert dept.smoothed[list(data.units["department"]["code"]).index("01")] == pytest.approx(expect)


def test_hnd_missing_homicides_take_the_department_rate(country_model_data):
    data = country_model_data["hnd"]
    plain = estimate_indicator(data, "hnd_homicides", year=2023)
    assert np.isnan(plain.smoothed).sum() == 33 and plain.years == (2014,)
    filled = estimate_indicator(data, "hnd_homicides", year=2023, fill="department")
    assert not np.isnan(filled.smoothed).any() and filled.imputed.sum() == 33
    assert np.isnan(filled.raw[filled.imputed]).all()  # nothing pretends to be observed
    dept = estimate_indicator(data, "hnd_homicides", year=2023, level="department")
    codes = list(data.units["municipio"]["code"])
    i = codes.index("0802")  # Alubarén, Francisco Morazán: absent from the source
    assert filled.imputed[i] and filled.smoothed[i] == pytest.approx(
        dept.smoothed[list(data.units["department"]["code"]).index("08")])


def test_hnd_survey_share_is_pooled_by_department(country_model_data):
    data = country_model_data["hnd"]
    est = estimate_indicator(data, "hnd_emigrants_violence_share", year=2023, pool="department")
    units = data.units["municipio"]
    assert est.imputed.all() and not np.isnan(est.smoothed).any()
    per_dept = pd.Series(est.smoothed).groupby(units["dept_code"].to_numpy()).nunique()
    assert (per_dept == 1).all()


def test_hnd_reliability_is_lower_where_data_are_imputed(results):
    t = results["hnd"].table.set_index("code")
    assert t.loc["0802", "reliability"] < t.loc["0501", "reliability"]


@pytest.mark.parametrize("country, n", [("gtm", 340), ("hnd", 298)])
def test_score_command_line_picks_the_country_spec_and_year(gtm_hnd_store, data_root, tmp_path, country, n):
    env = {**os.environ, "RISKMAP_STORE": str(gtm_hnd_store.path), "RISKMAP_DATA_ROOT": str(data_root)}
    out_csv = tmp_path / f"{country}.csv"
    out = subprocess.run([sys.executable, "-m", "risk_model", "score", "--country", country, "--draws", "50",
                          "--out", str(out_csv)], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(out_csv, dtype={"code": str})
    assert len(table) == n and table["code"].is_unique and table["score"].notna().all()


def test_wrong_spec_for_country_is_a_clear_error(gtm_hnd_store, data_root, tmp_path):
    env = {**os.environ, "RISKMAP_STORE": str(gtm_hnd_store.path), "RISKMAP_DATA_ROOT": str(data_root)}
    out = subprocess.run([sys.executable, "-m", "risk_model", "score", "--country", "gtm", "--spec", "hnd_default",
                          "--out", str(tmp_path / "x.csv")], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 2 and "hnd_default is for hnd, not gtm" in out.stderr


def test_regional_view_normalises_within_each_country(results):
    df = regional_scores(results)
    assert list(df.columns[:len(REGIONAL_COLUMNS)]) == REGIONAL_COLUMNS
    assert len(df) == 262 + 340 + 298
    assert df.groupby("country").size().to_dict() == {"slv": 262, "gtm": 340, "hnd": 298}
    assert not df.duplicated(["country", "code"]).any()
    assert df["score"].notna().all() and df["score"].between(0, 10).all()
    assert (df["normalisation"] == "within_country").all() and df.attrs["normalisation"] == "within_country"
    assert set(df["level"]) == {"district", "municipio"}
    # the scores are exactly each country's own
    gtm = df[df["country"] == "gtm"].set_index("code")["score"]
    own = results["gtm"].table.set_index("code")["score"]
    pd.testing.assert_series_equal(gtm, own, check_names=False)
    # extortion only where a country scores it: never in Guatemala or Honduras (dimension off);
    # in El Salvador exactly the model's own column (empty at district level when no extortion
    # indicator passes the signal-to-noise threshold: missing stays missing)
    assert df.loc[df["country"] != "slv", "extortion"].isna().all()
    slv = df[df["country"] == "slv"].set_index("code")["extortion"]
    pd.testing.assert_series_equal(slv, results["slv"].table.set_index("code")["extortion"], check_names=False)


def test_pooled_homicide_rate_needs_it_in_every_country(results):
    with pytest.raises(DataError, match="none in: slv, gtm"):
        regional_scores(results, pooled="homicide_rate")
    with pytest.raises(DataError, match="only for shared definitions"):
        regional_scores(results, pooled="crime_rate")
    df = regional_scores(results, pooled="homicide_rate", strict=False)
    assert df.attrs["pooled_missing"] == ["slv", "gtm"]
    hnd = df[df["country"] == "hnd"]
    assert hnd["homicide_rate"].notna().all() and (hnd["homicide_rate_indicator"] == "hnd_homicides").all()
    assert hnd["homicide_rate_score_pooled"].between(0, 10).all() and (hnd["homicide_rate_year"] == 2014).all()
    assert df.loc[df["country"] != "hnd", "homicide_rate_score_pooled"].isna().all()


def test_pooled_score_orders_units_by_rate(results):
    df = regional_scores({"hnd": results["hnd"]}, pooled="homicide_rate")
    order = np.argsort(df["homicide_rate"].to_numpy())
    assert np.all(np.diff(df["homicide_rate_score_pooled"].to_numpy()[order]) >= -1e-9)
