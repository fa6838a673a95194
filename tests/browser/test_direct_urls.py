"""Direct page URLs in offline headless Chromium: ``/priorities``, ``/map`` and ``/profile`` open
the page asked for, inside the app's frame (sidebar), with their query parameters and no "Page
not found" dialog, for the first visitor of a fresh server and after the server restarts; a
malformed ``?scenario=`` opens the default scenario with a notice.

Each test starts its own server: the first visit of a fresh process is the case that differs
(Streamlit serves the ``pages/`` folder by itself until some run calls ``st.navigation``).
"""
from __future__ import annotations

import pytest

from risk_model.spec import load_spec
from tests.browser.conftest import require_browser
from tests.browser.harness import error_boxes, free_port, offline_browser, serve_app

SIDEBAR_LANGUAGE = '[data-testid="stSidebar"] [data-testid="stSelectbox"]'
#: A scenario text this app writes (Spec.key() of El Salvador's default spec, violence only,
#: N = 7), built from the spec so that a change of the key's format changes it too.
VIOLENCE_ONLY = load_spec("slv_default").with_scenario(top_n=7, enabled=("violence",)).key()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    require_browser()
    return tmp_path_factory.mktemp("direct") / "riskmap.sqlite"


def _opened(page, heading: str) -> None:
    """Wait for ``heading`` and the sidebar; fail on any dialog or error box."""
    page.get_by_role("heading", name=heading).first.wait_for(timeout=120_000)
    page.locator(SIDEBAR_LANGUAGE).first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # a "Page not found" dialog would have arrived with the page
    assert not error_boxes(page), error_boxes(page)


def test_first_visitor_opens_priorities_with_its_scenario(store):
    with serve_app(store=store) as url, offline_browser() as (page, blocked):
        page.goto(f"{url}/priorities?lang=es&scenario={VIOLENCE_ONLY}")
        _opened(page, "Prioridades")
        assert page.get_by_role("spinbutton").first.input_value() == "7"  # N from the link
        assert "top%3D7" in page.url and "/priorities" in page.url
        assert blocked == [], blocked


@pytest.mark.parametrize("path, heading", [("map?lang=en", "Risk map"),
                                           ("profile?lang=en&unit=0101", "Ahuachapán")])
def test_first_visitor_opens_map_and_profile(store, path, heading):
    with serve_app(store=store) as url, offline_browser() as (page, _):
        page.goto(f"{url}/{path}")
        _opened(page, heading)
        assert f"/{path.split('?')[0]}?" in page.url


def test_malformed_scenario_opens_the_default_with_a_notice(store):
    with serve_app(store=store) as url, offline_browser() as (page, _):
        page.goto(f"{url}/priorities?lang=en&scenario=slv_default;agg=bogus;w=violence:x")
        _opened(page, "Priorities")
        page.get_by_text("cannot be read; the default scenario is shown").wait_for(timeout=30_000)
        assert page.get_by_role("spinbutton").first.input_value() == "10"  # the default N


def test_open_tab_and_new_visitor_after_a_restart(store):
    port = free_port()
    with offline_browser() as (page, _):
        with serve_app(store=store, port=port) as url:
            page.goto(f"{url}/priorities?lang=en&scenario={VIOLENCE_ONLY}")
            _opened(page, "Priorities")
        with serve_app(store=store, port=port) as url:
            # the open tab reconnects to the new process and reruns its page
            page.get_by_text("Connecting").wait_for(state="hidden", timeout=60_000)
            _opened(page, "Priorities")
            assert page.get_by_role("spinbutton").first.input_value() == "7"
            fresh = page.context.new_page()
            fresh.goto(f"{url}/map?lang=es")
            _opened(fresh, "Mapa de riesgo")
