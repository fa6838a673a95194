"""One Streamlit server for every browser test (starting it takes seconds; the tests only read)."""
from __future__ import annotations

import os

import pytest

from tests.browser.harness import CHROMIUM, LEAFLET_JS, serve_app

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (``-m "not browser"`` skips them)."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


def require_browser() -> None:
    """Skip without Debian's chromium, except in CI, where its absence is a failure."""
    if CHROMIUM.exists():
        return
    if IN_CI:
        pytest.fail(f"{CHROMIUM} is missing; CI must run the browser test (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} not installed (set CI=true to make this a failure)")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    require_browser()
    assert LEAFLET_JS.exists(), f"{LEAFLET_JS} missing: run `make {LEAFLET_JS.relative_to(LEAFLET_JS.parents[3])}`"
    with serve_app(store=tmp_path_factory.mktemp("store") / "riskmap.sqlite") as url:
        yield url
