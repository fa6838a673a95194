"""The store built from the real shared files: row accounting, units, population, idempotence."""
from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest

from geodata.boundaries import read_crosswalk, read_units
from geodata.build import build, check, report_path
from geodata.store import Store

PACK_FILES = [
    ("indicators/slv_acled_admin2_year_2018_2024.csv", 801),
    ("indicators/slv_lapop_municipal_victimization_2018_2021_2023.csv", 350),
    ("indicators/slv_lapop_municipal_migration_gangs_2018_2021_2023.csv", 344),
    ("indicators/slv_censo2007_municipal_indicators.csv", 262),
    ("indicators/slv_cpv2024_municipio44_emigrants_by_year_cause.csv", 3319),
    ("indicators/slv_cpv2024_municipio44_emigration_remittances.csv", 44),
    ("indicators/wdi_national_homicide_rate_slv_hnd_gtm_1990_2018.csv", 78),
]


@pytest.mark.parametrize("file, data_rows", PACK_FILES)
def test_every_row_is_stored_or_reported(built_store, data_root, file, data_rows):
    ds = built_store.datasets("slv").set_index("source_file").loc[file]
    # rows read are the file's data lines, counted independently of the adapter
    assert ds["rows_read"] == data_rows == len(pd.read_csv(data_root / file, dtype=str))
    assert ds["rows_stored"] + ds["rows_unmatched"] == ds["rows_read"]


def test_xlsx_rows_are_stored_or_reported(built_store):
    ds = built_store.datasets("slv").set_index("name").loc["slv_census2007_xlsx"]
    # 262 municipios; 14 department subtotals, the national row and the source footnote
    assert (ds["rows_read"], ds["rows_stored"], ds["rows_unmatched"]) == (278, 262, 16)
    un = built_store.unmatched("slv")
    reasons = un[un["dataset"] == "slv_census2007_xlsx"]["reason"].value_counts().to_dict()
    assert reasons == {"department_subtotal": 14, "national_total": 1, "footnote": 1}


def test_unmatched_rows_are_explained_in_a_report(built_store):
    report = pd.read_csv(report_path(built_store, "slv"), dtype=str)
    lapop = report[report["file"] == "slv_lapop_municipal_victimization_2018_2021_2023.csv"]
    assert list(lapop["value"].unique()) == ["[NO LEER] No responde"]
    assert len(lapop) == 5 and (lapop["explanation"].str.len() > 10).all()
    assert report["explanation"].notna().all()


def test_known_defects_are_resolved(built_store):
    obs = built_store.observations("slv", "lapop_extortion_victim")
    # 2018: two LAPOP codes both labelled San Juan Nonualco (18 + 6 respondents) are merged
    sjn = obs[(obs["unit"] == "0810") & (obs["year"] == 2018)]
    assert len(sjn) == 1 and sjn["denominator"].iloc[0] == 24
    # Ciudad Delgado (0619) appears as "ciudad delgado" in 2018/2021 and "delgado" in 2023
    assert sorted(obs[obs["unit"] == "0619"]["year"]) == [2018, 2021, 2023]
    # The 2021 typo "oscicala" reaches Osicala (1315) through the alias table
    assert 2021 in set(built_store.observations("slv", "lapop_crime_victim").query("unit == '1315'")["year"])


def test_acled_fills_zero_for_districts_without_events(built_store, data_root):
    obs = built_store.observations("slv", "acled_fatalities")
    assert len(obs) == 262 * 7
    src = pd.read_csv(data_root / PACK_FILES[0][0])
    assert obs.groupby("year")["value"].sum().to_dict() == src.groupby("year")["fatalities"].sum().to_dict()
    assert obs.groupby("year")["value"].sum()[2018] == 962


def test_emigrants_sum_to_the_census_total(built_store):
    obs = built_store.observations("slv", "census2024_emigrants_insecurity")
    assert obs["level"].unique().tolist() == ["municipio_2024"]
    assert obs["value"].sum() == 32647  # national insecurity/violence emigrants, PROVENANCE item 9
    assert built_store.observations("slv", "census2024_emigrants")["value"].sum() == 226808


def test_crosswalk_every_district_in_exactly_one_municipio(data_root, pack):
    cw = read_crosswalk(data_root, pack)
    assert cw["digestyc_code"].is_unique and len(cw) == 262
    assert cw["mun2024_mh_code"].notna().all() and cw["mun2024_mh_code"].nunique() == 44
    # membership in the crosswalk equals the member list carried by each 2024 municipio polygon
    per_mun = cw.groupby("mun2024_mh_code")["digestyc_code"].apply(set).to_dict()
    listed = {r.mun2024_mh_code: set(r.distrito_digestyc_codes.split(";"))
              for r in gpd.read_file(data_root / pack.boundaries["municipio_2024"]).itertuples()}
    assert per_mun == listed
    assert sum(len(v) for v in listed.values()) == 262


def test_population_2007_sums_to_departments_and_nation(built_store, data_root, pack):
    pop = built_store.population("slv")
    p07 = pop[pop["year"] == 2007]
    dept = read_units(data_root, pack, "department").set_index("code")["pop_2007"]
    by_dept = p07[p07["level"] == "department"].set_index("unit")["population"]
    assert (by_dept.astype(int) == dept.reindex(by_dept.index)).all()
    assert int(p07[p07["level"] == "district"]["population"].sum()) == 5_744_113
    assert not p07["modelled"].any()
    p24 = pop[(pop["year"] == 2024) & (pop["level"] == "municipio_2024")]
    assert int(p24["population"].sum()) == 5_922_921 and not p24["modelled"].any()
    assert pop[(pop["year"] == 2019)]["modelled"].all()


def test_build_is_idempotent(built_store, data_root, tmp_path):
    before = built_store.observations("slv")
    assert build("slv", store=built_store, root=data_root) == {"changed": False,
                                                                "fingerprint": built_store.meta("pack:slv")}
    other = Store(tmp_path / "again.sqlite")
    build("slv", store=other, root=data_root, force=True)
    pd.testing.assert_frame_equal(before, other.observations("slv"))
    assert built_store.version("slv") == other.version("slv")


def test_check_reports_the_country(built_store, data_root):
    facts = check("slv", store=built_store, root=data_root)
    assert (facts["units"], facts["departments"], facts["municipios_2024"]) == (262, 14, 44)
    assert facts["invalid_geometries"] == 0 and facts["problems"] == []
    assert facts["web_geojson_bytes"] <= 300_000
    for ind in ["acled_events", "acled_fatalities", "acled_gang_events", "acled_extortion_events",
                "lapop_extortion_victim", "lapop_crime_victim", "lapop_insecure",
                "lapop_considered_emigrating_insecurity", "lapop_intend_emigrate",
                "census2024_emigrants_insecurity", "census2007_earth_floor", "census2007_illiteracy"]:
        assert ind in facts["indicators"]
    assert facts["years"]["lapop_crime_victim"] == [2018, 2021, 2023]
    assert facts["unmatched_rows"] == 5 + 16


def test_check_command_line_prints_json(built_store, data_root, monkeypatch):
    env = {"RISKMAP_STORE": str(built_store.path), "RISKMAP_DATA_ROOT": str(data_root),
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "geodata", "check", "--json"], capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout)
    assert facts["country"] == "slv" and facts["units"] == 262
