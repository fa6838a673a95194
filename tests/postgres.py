"""PostgreSQL for the store tests: a fresh database per test, cloned from one built template.

``.ci/run`` starts a throwaway cluster (``initdb`` in a temporary folder, loopback only) and sets
``RISKMAP_TEST_POSTGRESQL`` to a URL of it (any database there; the tests create their own and
drop them). Without it, tests on PostgreSQL are skipped, saying so, except in CI
(``CI=true``), where that is a failure.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV = "RISKMAP_TEST_POSTGRESQL"
IN_CI = os.environ.get("CI", "").lower() == "true"


def admin_url() -> str:
    """The cluster's URL, or skip (fail in CI) when none is given."""
    url = os.environ.get(ENV, "")
    if url:
        return url
    if IN_CI:
        pytest.fail(f"{ENV} is not set: CI must run the store tests on PostgreSQL (.ci/run starts a cluster)")
    pytest.skip(f"PostgreSQL not available: set {ENV}=postgresql://user@host/db (as .ci/run does) to run "
                "these tests on PostgreSQL too")


def database_url(url: str, name: str) -> str:
    """``url`` pointing at database ``name``."""
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


@contextlib.contextmanager
def fresh_database(template: str | None = None):
    """Create a new database (a copy of ``template`` if given) and yield its URL; drop it after."""
    import psycopg

    url = admin_url()
    name = f"riskmap_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield database_url(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_built(data_root):
    """Name of a database holding the El Salvador pack, built once (the template of ``pg_store``)."""
    from geodata.build import build
    from geodata.store_pg import PgStore

    with fresh_database() as url:
        build("slv", store=PgStore(url), root=data_root)
        yield urlsplit(url).path.lstrip("/")


@pytest.fixture
def pg_store(pg_built):
    """A ``PgStore`` holding the built pack, in a database of its own."""
    from geodata.store_pg import PgStore

    with fresh_database(template=pg_built) as url:
        yield PgStore(url)


def location(store) -> str:
    """What ``RISKMAP_STORE`` must say for ``store`` (the file's path, or the URL)."""
    return getattr(store, "url", None) or str(store.path)


@pytest.fixture(params=["sqlite", "postgresql"])
def each_engine_store(request, built_store, tmp_path):
    """The built pack in a store of its own, on SQLite and on PostgreSQL: a test taking it runs
    on both engines."""
    import shutil

    from geodata.store import Store

    if request.param == "postgresql":
        return request.getfixturevalue("pg_store")
    path = tmp_path / "riskmap.sqlite"
    shutil.copy(built_store.path, path)
    return Store(path)
