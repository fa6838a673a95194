"""The map page in headless Chromium with every non-local request aborted: 262 districts draw.

This is the proof that nothing on the page needs a CDN: Leaflet comes from Streamlit's static
route (static/vendor/leaflet, installed by `make`). Skipped only when Chromium is missing on a
developer machine; in CI (CI=true) a missing browser is a failure.
"""
from __future__ import annotations

import pytest

from tests.browser.harness import error_boxes, offline_browser, wait_for_map


@pytest.mark.parametrize("lang", ["es", "en"])
def test_map_draws_262_districts_offline(app_url, lang):
    with offline_browser() as (page, blocked):
        page.goto(f"{app_url}/?lang={lang}")
        assert wait_for_map(page, expected=262) == 262
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
        filled = frame.locator('path.leaflet-interactive[fill="#d9d9d9"]').count()
        assert filled < 262, "every district is grey (no data joined)"
        assert frame.locator(".riskmap-legend").count() == 1
        assert not error_boxes(page), error_boxes(page)
        # what the map's iframe loaded, from the browser's own record (request events reach
        # Python asynchronously and can arrive after the polygons are counted)
        # (the component adds Leaflet's stylesheet link while Leaflet already draws: wait for it)
        inner = page.query_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
        inner.wait_for_function("() => performance.getEntriesByType('resource')"
                                ".some(e => e.name.endsWith('leaflet.css'))", timeout=15_000)
        loaded = inner.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
        local = [u for u in loaded if u.startswith(app_url) and "/app/static/vendor/leaflet/" in u]
        assert any(u.endswith("leaflet.js") for u in local), loaded
        assert any(u.endswith("leaflet.css") for u in local), loaded
        assert blocked == [], f"the page asked the internet for: {blocked}"
        title = "Mapa de riesgo" if lang == "es" else "Risk map"
        assert page.get_by_role("heading", name=title, exact=True).count() == 1


#: Fire a Leaflet event on the 101st district as the user's mouse would (mouse moves over an
#: iframe that is still resizing are flaky); returns the district's name as the tooltip shows it.
_FIRE = """(body, event) => {
    const l = Object.values(window.map._layers).filter(l => l.feature)[100];
    const c = l.getBounds().getCenter();
    l.fire(event, {latlng: c, layer: l, target: l, sourceTarget: l}, true);
    const span = document.createElement("span");
    span.innerHTML = l.feature.properties.n;  // escaped in the GeoJSON
    return span.textContent;
}"""


def _settled_map(page, app_url):
    """The English Map page's folium frame, once its 262 districts are drawn and it has its height."""
    page.goto(f"{app_url}/?lang=en")
    wait_for_map(page, expected=262)
    page.wait_for_timeout(1000)
    return page.frame_locator('iframe[title="streamlit_folium.st_folium"]')


def test_tooltip_shows_name_department_value(app_url):
    with offline_browser() as (page, blocked):
        frame = _settled_map(page, app_url)
        name = frame.locator("body").evaluate(_FIRE, "mouseover")  # built by folium's code as on hover
        tip = frame.locator(".leaflet-tooltip:not(.riskmap-label)")  # not the top-N name labels
        tip.wait_for(timeout=10_000)
        text = tip.inner_text()
        assert name in text
        for label in ("Area", "Department", "Code", "Score", "Class", "Reliability", "Years"):
            assert label in text


def test_click_on_a_district_opens_its_profile(app_url):
    with offline_browser() as (page, blocked):
        frame = _settled_map(page, app_url)
        name = frame.locator("body").evaluate(_FIRE, "click")
        page.get_by_role("heading", name="Area profile", exact=True).wait_for(timeout=30_000)
        page.get_by_text(name).first.wait_for(timeout=30_000)
        assert not error_boxes(page), error_boxes(page)
