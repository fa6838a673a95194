"""Acceptance of issue 13 from the outside (subprocess, as a user runs them): for one scenario,
draws and seed, ``python -m risk_model score`` and ``python -m dashboard export table`` give the
same rank bands, the briefing's band column says the same, and every shown rank lies inside its
band."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DRAWS, SEED = 200, 3


def cli(module, args, store, data_root):
    env = {**os.environ, "RISKMAP_STORE": str(store.path), "RISKMAP_DATA_ROOT": str(data_root)}
    p = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return p


@pytest.fixture(scope="module")
def scored(tmp_path_factory, built_store, data_root):
    out = tmp_path_factory.mktemp("acc") / "scores.csv"
    cli("risk_model", ["score", "--year", "2023", "--draws", str(DRAWS), "--seed", str(SEED), "--out", str(out)],
        built_store, data_root)
    return pd.read_csv(out, dtype={"code": str})


def test_score_cli_shows_every_rank_inside_its_band(scored):
    assert len(scored) == 262
    assert ((scored["rank_p05"] <= scored["rank"]) & (scored["rank"] <= scored["rank_p95"])).all()


def test_export_table_has_the_same_bands_as_score(scored, tmp_path, built_store, data_root):
    from risk_model.spec import load_spec

    key = load_spec().with_scenario(draws=DRAWS, seed=SEED).key()
    out = tmp_path / "table.csv"
    cli("dashboard", ["export", "table", "--year", "2023", "--scenario", key, "--format", "csv", "--lang", "en",
                      "--out", str(out)], built_store, data_root)
    table = pd.read_csv(out, dtype=str)
    table = table.set_index(table.columns[0])  # code
    # the export keeps score_table's column order: ..., rank, rank_p05, rank_median, rank_p95, ...
    p05, p95 = (table.iloc[:, i].astype(float) for i in (5, 7))
    mine = scored.set_index("code")
    np.testing.assert_allclose(p05.reindex(mine.index), mine["rank_p05"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(p95.reindex(mine.index), mine["rank_p95"], rtol=0, atol=1e-4)


def test_briefing_band_column_matches_score(scored, model_data, built_store, data_root):
    import datetime as dt

    from dashboard.exports import assemble
    from dashboard.i18n import t
    from dashboard.text import format_number
    from geodata.country_data import load_tables
    from risk_model.pipeline import run_model
    from risk_model.spec import load_spec

    result = run_model(model_data, load_spec(), 2023, draws=DRAWS, seed=SEED)
    units = load_tables("slv", store=built_store, root=data_root).units
    ctx = assemble.ExportContext(country="slv", country_name="El Salvador", lang="en", date=dt.date(2025, 1, 15),
                                 data_version=built_store.version("slv"), attributions={},
                                 datasets=built_store.datasets("slv"))
    b = assemble.briefing(result, model_data, units["district"], ctx, outlines=units["department"], water=None)
    top = scored.sort_values(["rank", "code"]).head(len(b.rows))
    band_col = list(b.columns).index(t("export.col_band", "en"))
    for row, (_, r) in zip(b.rows, top.iterrows()):
        low, high = row[band_col].split("–")
        assert (low.strip(), high.strip()) == (format_number(r.rank_p05, "en", 0), format_number(r.rank_p95, "en", 0))
