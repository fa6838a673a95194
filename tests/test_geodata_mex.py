"""Mexico pack built from the real shared files: 2,469 municipios, 32 states, national sums."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from geodata.adapters.mexico import monthly_counts
from geodata.boundaries import read_units
from geodata.build import check, pack_matcher
from geodata.catalogue import load_catalogue
from geodata.packs import load_pack
from geodata.population import census_projection_table

ANNUAL = "indicators/mex_inegi_homicides_municipio_year_occurrence_2000_2021.csv"
MONTHLY = "indicators/mex_inegi_homicides_municipio_month_occurrence_2000_2021.csv.gz"
SESNSP = "indicators/mex_sesnsp_homicidio_doloso_municipio_2024_2025h1.csv"


@pytest.fixture(scope="module")
def facts(mex_store, data_root):
    return check("mex", store=mex_store, root=data_root)


def test_check_units_states_geometry_and_no_problems(facts):
    assert (facts["units"], facts["departments"], facts["invalid_geometries"]) == (2469, 32, 0)
    assert facts["problems"] == []
    assert 0 < facts["web_geojson_bytes"] <= 800_000
    assert sorted(facts["indicators"]) == ["mex_homicides", "mex_sesnsp_homicidio_doloso"]
    assert facts["years"]["mex_homicides"] == list(range(2000, 2022))


def test_national_sums_equal_the_published_figures(facts, data_root):
    sums = facts["national_sums"]
    assert sums["mex_homicides"]["2018"]["total"] == 34_404  # PROVENANCE, INEGI deaths 2018
    assert sums["mex_homicides"]["2018"]["unplaced"] == 0  # San Felipe's death is in Mexicali
    sesnsp = sums["mex_sesnsp_homicidio_doloso"]["2024"]
    assert sesnsp["total"] == 25_449  # PROVENANCE, SESNSP homicidio doloso 2024
    # 'No especificado' / 'Otros municipios' rows: reported, amount kept as unplaced
    src = pd.read_csv(data_root / SESNSP, dtype={"cvegeo": str})
    unspecified = src["Municipio"].str.lower().isin(["no especificado", "otros municipios"])
    assert sesnsp["unplaced"] == src.loc[unspecified & (src["year"] == 2024), "homicidio_doloso_carpetas"].sum()


def test_codes_are_five_digit_text_and_names_keep_accents(data_root):
    pack = load_pack("mex")
    mun, states = (read_units(data_root, pack, lvl) for lvl in pack.levels)
    assert mun["code"].str.fullmatch(r"\d{5}").all() and mun["code"].is_unique
    assert (mun["code"].str[:2] == mun["dept_code"]).all()
    assert len(states) == 32 and set(states["code"]) == set(mun["dept_code"])
    names = mun.set_index("code")["name"]
    assert names["04001"] == "Calkiní" and names["09015"] == "Cuauhtémoc"
    assert "Michoacán" in set(states["name"]) and "Yucatán" in set(states["name"])


def test_every_row_is_stored_or_reported(mex_store, data_root):
    ds = mex_store.datasets("mex").set_index("source_file")
    for file in (ANNUAL, SESNSP):
        r = ds.loc[file]
        assert r["rows_read"] == len(pd.read_csv(data_root / file, dtype=str))
        assert r["rows_stored"] + r["rows_unmatched"] == r["rows_read"]
    un = mex_store.unmatched("mex")
    assert set(un["reason"]) == {"unspecified_municipio"}
    assert set(un["value"].str.lower()) == {"no especificado", "otros municipios"}


def test_municipios_created_after_2020_are_summed_into_their_parent(mex_store, data_root):
    obs = mex_store.observations("mex", "mex_sesnsp_homicidio_doloso")
    src = pd.read_csv(data_root / SESNSP, dtype={"cvegeo": str})
    culiacan = obs[(obs["unit"] == "25006") & (obs["year"] == 2024)]["value"].sum()
    parts = src[(src["year"] == 2024) & ((src["cvegeo"] == "25006") | (src["Municipio"] == "Eldorado"))]
    assert culiacan == parts["homicidio_doloso_carpetas"].sum() and len(parts) == 2
    notes = mex_store.datasets("mex").set_index("name").loc["mex_sesnsp", "notes"]
    assert "Eldorado" in notes and "Culiacán (25006)" in notes
    annual = mex_store.observations("mex", "mex_homicides")
    assert "02007" not in set(annual["unit"])  # San Felipe's code is summed into Mexicali


def test_sesnsp_first_half_of_2025_is_annualised(mex_store):
    obs = mex_store.observations("mex", "mex_sesnsp_homicidio_doloso").set_index(["unit", "year"])
    pop = mex_store.population("mex", "municipio").set_index(["unit", "year"])["population"]
    # 2025 covers January-June: its person-years are half the population
    assert obs.loc[("01001", 2025), "denominator"] == pytest.approx(pop[("01001", 2025)] / 2)
    assert obs.loc[("01001", 2024), "denominator"] == pytest.approx(pop[("01001", 2024)])


def test_population_sources_prefer_conapo_from_2015_and_flag_interpolation(mex_store, data_root):
    pop = mex_store.population("mex", "municipio").set_index(["unit", "year"])
    census = pd.read_csv(data_root / "boundaries/mex/mex_population_municipio_census_1990_2020.csv",
                         dtype={"cvegeo": str}).set_index(["cvegeo", "year"])["pop"]
    assert pop.loc[("01001", 2010), "population"] == census[("01001", 2010)]
    assert pop.loc[("01001", 2010), "source"] == "census" and not pop.loc[("01001", 2010), "modelled"]
    mid = pop.loc[("01001", 2007)]
    assert mid["source"] == "census_interpolated" and mid["modelled"]
    assert mid["population"] == pytest.approx(census[("01001", 2005)] + 0.4 * (census[("01001", 2010)]
                                                                               - census[("01001", 2005)]), abs=1)
    assert pop.loc[("01001", 2018), "source"] == "conapo2023"
    # a municipio without projection (created 2016-2020): census 2020 carried, flagged
    assert pop.loc[("07125", 2024), "source"] == "census2020_carried"


def test_population_table_hand_computed():
    census = pd.DataFrame({"cvegeo": ["00001"] * 2 + ["00002"], "year": [2000, 2010, 2010], "pop": [100, 200, 50]})
    conapo = pd.DataFrame({"cve_mun": ["00001"], "date_year": [2015], "total": [999]})
    units = pd.DataFrame({"code": ["00001", "00002"], "dept_code": ["00", "00"]})
    t = census_projection_table(census, conapo, units, years=range(2004, 2016)).set_index(["unit", "level", "year"])
    assert t.loc[("00001", "municipio", 2004), "population"] == 140
    assert t.loc[("00001", "municipio", 2015), ["population", "source"]].tolist() == [999, "conapo2023"]
    assert ("00002", "municipio", 2004) not in t.index  # before its first census: no figure
    assert t.loc[("00002", "municipio", 2012), "source"] == "census2010_carried"
    assert t.loc[("00", "department", 2012), "population"] == 200 + 50


def test_monthly_file_sums_to_the_annual_table(data_root):
    monthly, res = monthly_counts(data_root / MONTHLY, pack_matcher(data_root, load_pack("mex")))
    assert res.rows_read == 651_288 and res.rows_stored == res.rows_read
    annual = pd.read_csv(data_root / ANNUAL, dtype={"cvegeo": str})
    assert monthly.groupby("year")["homicides"].sum().to_dict() == annual.groupby("year")["homicides"].sum().to_dict()
    assert monthly["month"].between(1, 12).all()


def test_catalogue_says_carpetas_not_victims_and_one_dimension():
    cat = load_catalogue(load_pack("mex"))
    assert {ind.dimension for ind in cat.values()} == {"violence"}
    assert "NOT victims" in cat["mex_sesnsp_homicidio_doloso"].description_en
    assert "NO víctimas" in cat["mex_sesnsp_homicidio_doloso"].description_es
    assert [i for i, ind in cat.items() if ind.shared_definition] == ["mex_homicides"]


def test_check_command_line(mex_store, data_root):
    env = {**os.environ, "RISKMAP_STORE": str(mex_store.path), "RISKMAP_DATA_ROOT": str(data_root)}
    out = subprocess.run([sys.executable, "-m", "geodata", "check", "--json", "--country", "mex"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout)
    assert (facts["units"], facts["departments"], facts["invalid_geometries"]) == (2469, 32, 0)
    assert facts["national_sums"]["mex_homicides"]["2018"]["total"] == 34_404
