"""Guatemala and Honduras packs built from the real shared files: units, rows, population, check."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
import shapely

from geodata.boundaries import read_units
from geodata.build import build, check, has_webgeom
from geodata.catalogue import load_catalogue
from geodata.errors import DataError
from geodata.packs import COUNTRIES, load_pack

GTM_INDICATORS = ["gtm_crime_rate", "gtm_violence_women", "gtm_intrafamily_violence", "gtm_deportees",
                  "gtm_displacement_risk", "gtm_refugees", "gtm_poverty", "gtm_illiteracy",
                  "gtm_food_insecurity", "gtm_gdp_per_capita", "unodc_homicide_rate"]
HND_INDICATORS = ["hnd_homicides", "hnd_emigrants_violence_share", "hnd_emigrants_threats_extortion_share",
                  "unodc_homicide_rate"]
FILES = [
    ("gtm", "indicators/gtm_unhcr_a2sit_municipal_indicators.csv", 340),
    ("gtm", "indicators/wdi_national_homicide_rate_slv_hnd_gtm_1990_2018.csv", 78),
    ("hnd", "indicators/hnd_iudpas_municipal_homicides_2014.csv", 265),
    ("hnd", "indicators/hnd_emr2023_municipal_emigrants_by_violence_cause.csv", 189),
    ("hnd", "indicators/wdi_national_homicide_rate_slv_hnd_gtm_1990_2018.csv", 78),
]


def test_countries_and_levels():
    assert COUNTRIES[0] == "slv" and {"gtm", "hnd"} <= set(COUNTRIES)
    assert load_pack("slv").levels == ("district", "municipio_2024", "department")
    for c in ("gtm", "hnd"):
        p = load_pack(c)
        assert p.levels == ("municipio", "department") and p.finest == "municipio"
    assert load_pack("hnd").coarse_geometry and not load_pack("gtm").coarse_geometry


@pytest.mark.parametrize("country, units, departments, indicators", [
    ("gtm", 340, 22, GTM_INDICATORS), ("hnd", 298, 18, HND_INDICATORS)])
def test_check_reports_units_indicators_and_geometry(gtm_hnd_store, data_root, country, units, departments,
                                                     indicators):
    facts = check(country, store=gtm_hnd_store, root=data_root)
    assert (facts["units"], facts["departments"], facts["municipios_2024"]) == (units, departments, None)
    assert facts["problems"] == [] and facts["invalid_geometries"] == 0
    assert sorted(facts["indicators"]) == sorted(indicators)
    assert facts["unmatched_rows"] == 0
    if has_webgeom():
        assert 0 < facts["web_geojson_bytes"] <= 300_000
    assert facts["coarse_geometry"] is (country == "hnd")


@pytest.mark.parametrize("country, file, data_rows", FILES)
def test_every_row_is_stored_or_reported(gtm_hnd_store, data_root, country, file, data_rows):
    ds = gtm_hnd_store.datasets(country).set_index("source_file").loc[file]
    assert ds["rows_read"] == data_rows == len(pd.read_csv(data_root / file, dtype=str))
    assert ds["rows_stored"] + ds["rows_unmatched"] == ds["rows_read"]


@pytest.mark.parametrize("country", ["gtm", "hnd"])
def test_units_and_dissolved_departments(data_root, country):
    pack = load_pack(country)
    mun, dept = (read_units(data_root, pack, lvl) for lvl in pack.levels)
    assert mun["code"].is_unique and dept["code"].is_unique
    assert set(mun["dept_code"]) == set(dept["code"])
    assert shapely.is_valid(dept.geometry.values).all() and shapely.is_valid(mun.geometry.values).all()
    assert list(mun.columns) == ["code", "name", "level", "dept_code", "dept_name", "geometry"]
    # departments cover their municipios: areas agree within 0.1%
    area = mun.to_crs(6933).area.groupby(mun["dept_code"].to_numpy()).sum()
    assert (dept.to_crs(6933).area.to_numpy() / area.reindex(dept["code"]).to_numpy()) == pytest.approx(1, rel=1e-3)
    with pytest.raises(DataError, match="unknown level 'district'"):
        read_units(data_root, pack, "district")


def test_place_names_keep_spanish_particles_in_lower_case(data_root):
    """Honduras's source capitalises every word; names are written as Spanish writes them."""
    names = set(read_units(data_root, load_pack("hnd"), "municipio")["name"])
    assert {"San Francisco de Yojoa", "San Marcos de la Sierra", "San José del Potrero"} <= names
    assert not [n for n in names if re.search(r" (De|Del|Y) ", n)]
    gtm = set(read_units(data_root, load_pack("gtm"), "municipio")["name"])
    assert "Palestina de Los Altos" in gtm  # a name written with care is kept


def test_gtm_codes_are_pcodes_and_values_as_published(gtm_hnd_store, data_root):
    units = read_units(data_root, load_pack("gtm"), "municipio")
    assert units["code"].str.fullmatch(r"GT\d{4}").all()
    obs = gtm_hnd_store.observations("gtm")
    src = pd.read_csv(data_root / FILES[0][1]).set_index("admin2Pcode")
    crime = obs[obs["indicator"] == "gtm_crime_rate"].set_index("unit")["value"]
    assert len(crime) == 340 and crime["GT0101"] == pytest.approx(src.loc["GT0101", "Delitos"])
    assert set(obs.loc[obs["indicator"] == "gtm_crime_rate", "year"]) == {2020}
    poverty = obs[obs["indicator"] == "gtm_poverty"].set_index("unit")["value"]
    assert poverty["GT0101"] == pytest.approx(100 * src.loc["GT0101", "Pobreza"])  # fraction -> percent
    women = obs[obs["indicator"] == "gtm_violence_women"]
    assert len(women) == 339 and "GT1701" not in set(women["unit"])  # empty cell: no observation, not zero
    # published rates: no denominator, so no Poisson shrinkage
    cat = load_catalogue(load_pack("gtm"))
    assert all(cat[i].kind == "rate" and cat[i].denominator == "none" for i in
               ["gtm_crime_rate", "gtm_violence_women", "gtm_intrafamily_violence", "gtm_deportees",
                "gtm_displacement_risk", "gtm_refugees"])
    assert obs.loc[obs["indicator"] == "gtm_crime_rate", "denominator"].isna().all()


def test_gtm_population_is_the_2018_census(gtm_hnd_store):
    pop = gtm_hnd_store.population("gtm")
    assert set(pop["year"]) == {2018} and not pop["modelled"].any()
    mun = pop[pop["level"] == "municipio"]
    assert len(mun) == 340 and int(mun["population"].sum()) == 14_901_286  # INE census 2018 total
    assert int(pop[pop["level"] == "department"]["population"].sum()) == 14_901_286
    assert int(mun.set_index("unit").loc["GT0101", "population"]) == 923_392  # Guatemala city


def test_hnd_homicides_and_population(gtm_hnd_store, data_root):
    obs = gtm_hnd_store.observations("hnd", "hnd_homicides")
    assert len(obs) == 265 and set(obs["year"]) == {2014}
    assert obs["value"].sum() == 5936  # IUDPAS 2014 national total (PROVENANCE item 4)
    sps = obs.set_index("unit").loc["0501"]
    assert sps["value"] == 1084 and sps["value"] / sps["denominator"] * 1e5 == pytest.approx(142, abs=0.5)
    # the denominator is the file's own 2014 population; the 33 absent municipios have none
    pop = gtm_hnd_store.population("hnd", "municipio")
    assert len(pop) == 265 and set(pop["year"]) == {2014}
    facts = check("hnd", store=gtm_hnd_store, root=data_root)
    missing = facts["population"]["units_missing_population"]
    units = set(read_units(data_root, load_pack("hnd"), "municipio")["code"])
    assert len(missing) == 33 and set(missing) == units - set(obs["unit"])
    dept = gtm_hnd_store.population("hnd", "department")
    assert dept["source"].str.endswith("_incomplete").sum() == len({m[:2] for m in missing})


def test_hnd_emigrant_shares_carry_their_sample(gtm_hnd_store, data_root):
    obs = gtm_hnd_store.observations("hnd", "hnd_emigrants_violence_share")
    src = pd.read_csv(data_root / FILES[3][1], dtype={"ine_code": str}).set_index("ine_code")
    assert len(obs) == 189 and set(obs["year"]) == {2023} and obs["value"].between(0, 100).all()
    o = obs.set_index("unit")
    assert (o["denominator"] == src["n_cells"].reindex(o.index)).all()  # n_cells, not weighted emigrants
    assert o.loc["0101", "value"] == pytest.approx(src.loc["0101", "pct_any_violence"], abs=0.01)
    national = (o["value"] / 100 * src["emigrants_weighted"].reindex(o.index)).sum()
    assert national == pytest.approx(24_895, abs=1)  # PROVENANCE item 10


def test_catalogues_are_complete_and_flag_the_shared_homicide_rate():
    for c in ("gtm", "hnd"):
        for ind in load_catalogue(load_pack(c)).values():
            assert ind.label_es and ind.label_en and ind.unit_es and ind.unit_en, ind.id
            assert ind.description_es and ind.description_en, ind.id
    hnd = load_catalogue(load_pack("hnd"))
    assert [i for i, ind in hnd.items() if ind.shared_definition] == ["hnd_homicides"]
    assert not any(ind.shared_definition for ind in load_catalogue(load_pack("gtm")).values())
    assert not any(ind.shared_definition for ind in load_catalogue(load_pack("slv")).values())


def test_build_is_idempotent_per_country(gtm_hnd_store, data_root):
    for c in ("gtm", "hnd"):
        assert build(c, store=gtm_hnd_store, root=data_root)["changed"] is False
    assert len(gtm_hnd_store.observations("slv")) == 0  # other countries untouched


@pytest.mark.parametrize("country, units", [("gtm", 340), ("hnd", 298)])
def test_check_command_line(gtm_hnd_store, data_root, country, units):
    env = {**os.environ, "RISKMAP_STORE": str(gtm_hnd_store.path), "RISKMAP_DATA_ROOT": str(data_root)}
    out = subprocess.run([sys.executable, "-m", "geodata", "check", "--json", "--country", country],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout)
    assert (facts["country"], facts["units"], facts["invalid_geometries"]) == (country, units, 0)
    assert "unmatched_rows" in facts and facts["municipios_2024"] is None
