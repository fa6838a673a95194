"""Two app servers on one store, PostgreSQL (several machines) or SQLite (``make run``'s workers
on one machine): an import made while both run is seen by both at their next run (every cache
is keyed by the data version read from the store)."""
from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys

import pytest

from benchmarks.load import one_session
from tests.browser.harness import ROOT, serve_app
from tests.postgres import admin_url, fresh_database

OFFICIAL = ROOT / "tests" / "fixtures" / "fixture_homicidios_oficiales_2021_2023.csv"
NEW = ["--label-es", "Homicidios (cifras oficiales)", "--label-en", "Homicides (official figures)", "--kind",
       "count", "--dimension", "violence", "--unit", "homicidios por 100.000 habitantes"]


def data_page(url: str) -> bytes:
    """Every message of one run of the Data page (its dataset registry among them), as bytes."""
    messages: list[bytes] = []
    result = asyncio.run(one_session(url.replace("http://", "ws://") + "/_stcore/stream",
                                     "lang=en&country=slv", "data", 300, collect=messages))
    assert result["error"] is None, result["error"]
    return b"".join(messages)


@pytest.mark.parametrize("engine", ["postgresql", "sqlite"])
def test_import_through_one_server_is_seen_by_the_other(engine, tmp_path):
    if engine == "postgresql":
        admin_url()  # skip (or fail in CI) without PostgreSQL
    sqlite = contextlib.nullcontext(str(tmp_path / "riskmap.sqlite"))
    with (fresh_database() if engine == "postgresql" else sqlite) as store:
        env = {**os.environ, "RISKMAP_STORE": store}
        subprocess.run([sys.executable, "-m", "geodata", "build", "--quiet", "--country", "slv"], cwd=ROOT,
                       env=env, check=True, timeout=600)
        with serve_app(store=store) as one, serve_app(store=store) as two:
            assert b"homicidios_oficiales" not in data_page(one)
            assert b"homicidios_oficiales" not in data_page(two)  # both caches now hold the old version
            done = subprocess.run([sys.executable, "-m", "geodata", "import", str(OFFICIAL), "--indicator",
                                   "homicidios_oficiales", *NEW], cwd=ROOT, env=env, capture_output=True,
                                  text=True, timeout=600)
            assert done.returncode == 0, done.stderr
            assert b"homicidios_oficiales" in data_page(one)
            assert b"homicidios_oficiales" in data_page(two)
