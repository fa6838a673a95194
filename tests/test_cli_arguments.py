"""Every command-line argument is checked: exit status 2 and one sentence naming it, no traceback;
a bad cell in a shared source file is named by file, row, column and value."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.build import build, check
from geodata.errors import DataError
from geodata.store import Store

ROOT = Path(__file__).resolve().parent.parent


def run(module: str, *args, store: Path, data_root: Path):
    env = dict(os.environ, RISKMAP_STORE=str(store), RISKMAP_DATA_ROOT=str(data_root))
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.parametrize("module, args, words", [
    ("risk_model", ["score", "--seed", "-1"], "--seed"),
    ("risk_model", ["score", "--draws", "-5"], "--draws"),
    ("risk_model", ["score", "--top", "0"], "--top"),
    ("risk_model", ["score", "--year", "3000"], "--year"),
    ("risk_model", ["rates", "--indicator", "acled_events", "--window", "-1"], "--window"),
    ("risk_model", ["backtest", "--top", "x"], "--top"),
    ("dashboard", ["export", "table", "--year", "3000", "--format", "csv"], "--year"),
    ("dashboard", ["export", "map", "--labels", "-1"], "--labels"),
    ("dashboard", ["export", "table", "--date", "2024-13-01"], "--date"),
    ("geodata", ["rollback", "x", "--to", "zero"], "--to"),
])
def test_out_of_range_arguments_exit_2_naming_the_argument(built_store, data_root, tmp_path, module, args, words):
    out = run(module, *args, "--out", str(tmp_path / "x.csv"), store=built_store.path, data_root=data_root) \
        if module != "geodata" else run(module, *args, store=built_store.path, data_root=data_root)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    last = out.stderr.strip().splitlines()[-1]
    assert words in last and "error" in last, last
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("module, args, words", [
    ("risk_model", ["backtest", "--outcome", "nope"], "--outcome 'nope' is not known"),
    ("risk_model", ["rates", "--indicator", "nope"], "--indicator 'nope' is not known"),
    ("risk_model", ["score", "--year", "2090"], "--year 2090: the data cover"),
    ("risk_model", ["regional", "--countries", "slv,xyz"], "--countries 'xyz' is not known"),
    ("dashboard", ["export", "table", "--year", "2090", "--format", "csv"], "--year 2090: the data cover"),
])
def test_arguments_checked_against_the_data_exit_2(built_store, data_root, tmp_path, module, args, words):
    store = tmp_path / "riskmap.sqlite"
    shutil.copy(built_store.path, store)
    out = run(module, *args, "--out", str(tmp_path / "x.csv"), store=store, data_root=data_root)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1].startswith("error: ") and words in out.stderr
    assert not (tmp_path / "x.csv").exists()


def test_valid_arguments_still_run(built_store, data_root, tmp_path):
    store = tmp_path / "riskmap.sqlite"
    shutil.copy(built_store.path, store)
    out = run("risk_model", "score", "--seed", "0", "--draws", "20", "--top", "5", "--out", str(tmp_path / "s.csv"),
              store=store, data_root=data_root)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "s.csv").exists()


@pytest.fixture(scope="module")
def damaged_root(tmp_path_factory, data_root):
    """A copy of the shared data with 'abc' in one count cell of the ACLED file (row 6)."""
    root = tmp_path_factory.mktemp("data")
    for part in ("boundaries", "indicators"):
        shutil.copytree(data_root / part, root / part)
    path = root / "indicators" / "slv_acled_admin2_year_2018_2024.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[5].split(",")
    cells[header.index("n_events")] = "abc"
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return root


def test_bad_count_cell_is_named_by_build(damaged_root, tmp_path):
    with pytest.raises(DataError) as err:
        build("slv", store=Store(tmp_path / "s.sqlite"), root=damaged_root)
    assert str(err.value) == "slv_acled_admin2_year_2018_2024.csv, row 6, column n_events: 'abc' is not a number"


def test_bad_count_cell_fails_check_and_build_commands(damaged_root, built_store, tmp_path):
    store = tmp_path / "riskmap.sqlite"
    shutil.copy(built_store.path, store)
    facts = check("slv", store=Store(store), root=damaged_root)
    assert any("row 6, column n_events: 'abc'" in p for p in facts["problems"])
    out = run("geodata", "check", store=store, data_root=damaged_root)
    assert out.returncode != 0 and "slv_acled_admin2_year_2018_2024.csv, row 6, column n_events" in out.stdout
    out = run("geodata", "build", store=store, data_root=damaged_root)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1] == \
        "error: slv_acled_admin2_year_2018_2024.csv, row 6, column n_events: 'abc' is not a number"


def test_unchanged_files_pass_check(built_store, data_root):
    assert check("slv", store=built_store, root=data_root)["problems"] == []


def test_cut_scenario_text_is_a_sentence_not_a_type_error():
    from risk_model.spec import load_spec, parse_key

    with pytest.raises(DataError) as err:
        parse_key(load_spec("slv_default"), "slv_default;agg=geometric;w=viol")
    assert err.value.key == "spec.bad_key" and "cannot read scenario" in str(err.value)


def test_cut_scenario_link_opens_the_default_map(built_store, monkeypatch):
    from tests.test_dashboard_trends import page

    at = page(built_store, monkeypatch, "map", params={"scenario": "slv_default;agg=geometric;w=violence"})
    assert not at.exception
