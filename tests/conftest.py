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
    return _built(tmp_path_factory, data_root, "store", ("slv",))


@pytest.fixture(scope="session")
def model_data(built_store, data_root):
    """risk_model.ModelData over the real El Salvador store (neighbours from the real geometry)."""
    return _model_data("slv", built_store, data_root)


@pytest.fixture(scope="session")
def gtm_hnd_store(tmp_path_factory, data_root):
    """One store built from the Guatemala and Honduras packs (real files), in a temporary folder."""
    return _built(tmp_path_factory, data_root, "store_gtm_hnd", ("gtm", "hnd"))


@pytest.fixture(scope="session")
def country_model_data(gtm_hnd_store, data_root):
    """risk_model.ModelData of Guatemala and Honduras by country code."""
    return {c: _model_data(c, gtm_hnd_store, data_root) for c in ("gtm", "hnd")}


@pytest.fixture(scope="session")
def region_store(tmp_path_factory, data_root):
    """One store built from all three packs (real files): the country selector and the region."""
    return _built(tmp_path_factory, data_root, "store_region", ("slv", "gtm", "hnd"))


@pytest.fixture(scope="session")
def mex_store(tmp_path_factory, data_root):
    """A store built once per session from the Mexico pack (real files, 2,469 municipios)."""
    return _built(tmp_path_factory, data_root, "store_mex", ("mex",))


@pytest.fixture(scope="session")
def mex_model_data(mex_store, data_root):
    """risk_model.ModelData of Mexico (real store, queen neighbours of the real geometry)."""
    return _model_data("mex", mex_store, data_root)


def _built(tmp_path_factory, data_root, folder: str, countries) -> Store:
    """A store in a new temporary ``folder`` built from the ``countries``' packs (real files)."""
    store = Store(tmp_path_factory.mktemp(folder) / "riskmap.sqlite")
    for country in countries:
        build(country, store=store, root=data_root)
    return store


def _model_data(country: str, store, data_root):
    """risk_model.ModelData of ``country`` read from ``store`` (neighbours from the real geometry)."""
    from geodata.country_data import load_tables
    from risk_model.pipeline import model_data as make

    return make(load_tables(country, store=store, root=data_root))
