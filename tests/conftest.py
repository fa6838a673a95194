"""Shared fixtures: one store built from the real shared data per test session."""
from __future__ import annotations

import pytest

from geodata import config
from geodata.build import build
from geodata.packs import load_pack
from geodata.store import Store


@pytest.fixture(scope="session")
def data_root():
    root = config.data_root()
    if not (root / "boundaries" / "slv").exists():
        pytest.fail(f"shared data not found at {root}; set RISKMAP_DATA_ROOT")
    return root


@pytest.fixture(scope="session")
def pack():
    return load_pack("slv")


@pytest.fixture(scope="session")
def built_store(tmp_path_factory, data_root):
    """A store built once from the El Salvador pack (real files), in a temporary folder."""
    store = Store(tmp_path_factory.mktemp("store") / "riskmap.sqlite")
    build("slv", store=store, root=data_root)
    return store


@pytest.fixture(scope="session")
def model_data(built_store, data_root):
    """risk_model.ModelData over the real El Salvador store (neighbours from the real geometry)."""
    from geodata.tables import load_tables
    from risk_model.pipeline import model_data as make

    return make(load_tables("slv", store=built_store, root=data_root))
