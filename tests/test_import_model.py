"""Official homicides imported from a FIXTURE (made-up numbers) reach the map's tables and the score."""
from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodata.importing import import_file
from geodata.store import Store
from geodata.country_data import load_tables
from risk_model.pipeline import model_data, run_model
from risk_model.spec import IndicatorSpec, load_spec
from risk_model.result_tables import rates_table

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "fixture_homicidios_oficiales_2021_2023.csv"
DEFINITION = dict(label_es="Homicidios (cifras oficiales)", label_en="Homicides (official figures)",
                  kind="count", dimension="violence", unit="homicidios por 100.000 habitantes")


@pytest.fixture(scope="module")
def imported(built_store, tmp_path_factory, data_root):
    path = tmp_path_factory.mktemp("model") / "s.sqlite"
    shutil.copy(built_store.path, path)
    store = Store(path)
    rep = import_file(store, FIXTURE, indicator="homicidios_oficiales", editor="test", new_indicator=DEFINITION)
    assert rep.status == "imported" and rep.added == 262 * 3
    return store, load_tables("slv", store=store, root=data_root)


def test_imported_indicator_is_in_the_tables(imported):
    _, tables = imported
    ind = tables.catalogue["homicidios_oficiales"]
    assert (ind.kind, ind.dimension, ind.level, ind.per, ind.denominator) == (
        "count", "violence", "district", 100000, "population")
    obs = tables.observations[tables.observations["indicator"] == "homicidios_oficiales"]
    assert sorted(obs["year"].unique()) == [2021, 2022, 2023] and obs["unit"].nunique() == 262


def test_rates_and_score_use_official_homicides(imported):
    _, tables = imported
    data = model_data(tables)
    rates = rates_table(data, "homicidios_oficiales", year=2023)
    src = pd.read_csv(FIXTURE, skiprows=1, dtype={"Código": str})
    assert rates["count"].sum() == src["Homicidios"].sum()
    assert rates["years"].unique().tolist() == ["2021-2023"]
    assert rates[["raw_rate", "eb_rate", "ci_low", "ci_high"]].notna().all().all()
    spec = load_spec()
    spec = dataclasses.replace(spec, indicators=spec.indicators + (
        IndicatorSpec(id="homicidios_oficiales", dimension="violence", log=True),))
    result = run_model(data, spec, 2023, draws=20)
    assert "homicidios_oficiales" in result.estimates
    assert not any("homicidios_oficiales" in n for n in result.notes)
    assert np.isfinite(result.steps["normalised"]["homicidios_oficiales"]).all()
    assert result.table["score"].notna().all() and len(result.table) == 262
    # the score moves with the new indicator: it is not ignored
    base = run_model(data, load_spec(), 2023, draws=0)
    assert not np.allclose(base.table["score"].to_numpy(), result.table["score"].to_numpy())


def test_command_line_rates_sees_the_imported_indicator(imported, tmp_path):
    store, _ = imported
    out = tmp_path / "rates.csv"
    run = subprocess.run([sys.executable, "-m", "risk_model", "rates", "--indicator", "homicidios_oficiales",
                          "--year", "2023", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "RISKMAP_STORE": str(store.path)}, timeout=300)
    assert run.returncode == 0, run.stderr
    rates = pd.read_csv(out, dtype={"code": str})
    assert len(rates) == 262 and rates["count"].notna().all() and rates["eb_rate"].notna().all()
