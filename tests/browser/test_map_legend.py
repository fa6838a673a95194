"""The map legend on a phone (390x844): closed to a small button with its title, so it no longer
covers Honduras's south-west corner, and a tap opens its class rows; open on a wide screen."""
from __future__ import annotations

import pytest

from tests.browser.harness import COMPONENT_IFRAME, error_boxes, offline_browser, wait_for_map

#: The legend's area as a share of the map's (both as the browser lays them out).
_SHARE = """() => {
    const l = document.querySelector('.riskmap-legend').getBoundingClientRect();
    const m = window.map.getContainer().getBoundingClientRect();
    return (l.width * l.height) / (m.width * m.height);
}"""
CLASS_WORDS = {"es": ("Muy alto", "Muy bajo"), "en": ("Very high", "Very low")}


def _legend(page, app_url, country: str, units: int, lang: str):
    page.goto(f"{app_url}/?country={country}&lang={lang}")
    wait_for_map(page, expected=units)
    page.wait_for_timeout(1500)  # the frame takes its phone height
    return page.frame_locator(COMPONENT_IFRAME)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_phone_legend_is_closed_and_a_tap_opens_it(app_url, lang):
    with offline_browser(390, 844) as (page, blocked):
        frame = _legend(page, app_url, "hnd", 298, lang)
        title = frame.locator(".riskmap-legend-title")
        rows = frame.locator(".riskmap-legend-rows > div")
        assert title.get_attribute("aria-expanded") == "false"
        assert title.inner_text().startswith("Puntaje" if lang == "es" else "Composite")
        assert rows.count() >= 5 and not rows.first.is_visible()
        share = frame.locator("body").evaluate(_SHARE)
        assert share < 0.10, f"the closed legend covers {share:.1%} of the map"
        title.click()
        rows.first.wait_for(state="visible", timeout=5_000)
        assert title.get_attribute("aria-expanded") == "true"
        text = frame.locator(".riskmap-legend-rows").inner_text()
        assert all(word in text for word in CLASS_WORDS[lang]), text
        assert frame.locator("body").evaluate(_SHARE) > share
        assert not error_boxes(page), error_boxes(page)
        assert blocked == [], blocked


def test_desktop_legend_is_open(app_url):
    with offline_browser() as (page, _):
        frame = _legend(page, app_url, "hnd", 298, "en")
        assert frame.locator(".riskmap-legend-title").get_attribute("aria-expanded") == "true"
        assert "Very high" in frame.locator(".riskmap-legend-rows").inner_text()
