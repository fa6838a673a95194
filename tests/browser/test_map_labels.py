"""The map's top-10 name labels in headless Chromium: none covers another, rank 1 always shows,
and zooming in shows at least as many (El Salvador around Usulután, Honduras around San Pedro
Sula on a phone: top units that are neighbours)."""
from __future__ import annotations

import pytest

from tests.browser.harness import COMPONENT_IFRAME, error_boxes, offline_browser, wait_for_map

#: Each name label's text, whether it is shown (not ``visibility: hidden``) and its box.
_LABELS = """() => Array.from(document.querySelectorAll('.riskmap-label')).map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, shown: getComputedStyle(e).visibility !== 'hidden',
            box: [r.left, r.top, r.right, r.bottom]};
})"""
#: Zoom in one step and resolve once the map has settled (the labels are sorted on zoomend).
_ZOOM_IN = """() => new Promise(done => {
    window.map.once('zoomend', () => setTimeout(done, 100));
    window.map.zoomIn();
})"""
PHONE, DESKTOP = (390, 844), (1400, 1000)


def _intersect(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _covering(labels) -> list[tuple[str, str]]:
    shown = [lab for lab in labels if lab["shown"]]
    return [(a["text"], b["text"]) for i, a in enumerate(shown) for b in shown[i + 1:]
            if _intersect(a["box"], b["box"])]


@pytest.mark.parametrize("country, units, size", [("slv", 262, DESKTOP), ("slv", 262, PHONE),
                                                  ("hnd", 298, PHONE)],
                         ids=["slv-desktop", "slv-phone", "hnd-phone"])
def test_top_labels_never_cover_each_other(app_url, country, units, size):
    with offline_browser(*size) as (page, blocked):
        page.goto(f"{app_url}/?country={country}&lang=en")
        wait_for_map(page, expected=units)
        frame = page.frame_locator(COMPONENT_IFRAME)
        body = frame.locator("body")
        page.wait_for_function(
            """sel => { const d = document.querySelector(sel).contentDocument;
                        return d.querySelectorAll('.riskmap-label').length === 10; }""",
            arg=COMPONENT_IFRAME, timeout=30_000)
        page.wait_for_timeout(1500)  # the frame takes its height; the labels are sorted again
        labels = body.evaluate(_LABELS)
        assert len(labels) == 10 and labels[0]["text"].startswith("1. ")
        assert labels[0]["shown"], labels[0]
        assert not _covering(labels), _covering(labels)
        before = sum(lab["shown"] for lab in labels)
        body.evaluate(_ZOOM_IN)
        after = body.evaluate(_LABELS)
        assert after[0]["shown"] and not _covering(after), _covering(after)
        assert sum(lab["shown"] for lab in after) >= before
        assert not error_boxes(page), error_boxes(page)
        assert blocked == [], blocked


def test_labels_are_sorted_again_when_leaflets_stylesheet_arrives_late(app_url):
    """streamlit-folium links leaflet.css after the map's script has run: until it arrives the
    labels are laid out as plain blocks. Held back 3 s here, the labels shown once it has
    arrived are those a fresh sorting of the settled view gives (before, two labels stayed
    hidden that covered nothing)."""
    import time

    def late(route):
        time.sleep(3)
        route.continue_()

    with offline_browser(*DESKTOP) as (page, _):
        page.route("**/leaflet.css", late)
        page.goto(f"{app_url}/?country=slv&lang=es")
        wait_for_map(page, expected=262)
        body = page.frame_locator(COMPONENT_IFRAME).locator("body")
        page.wait_for_function(
            """sel => { const d = document.querySelector(sel).contentDocument;
                        return [...d.styleSheets].some(s => (s.href || '').endsWith('leaflet.css')); }""",
            arg=COMPONENT_IFRAME, timeout=30_000)
        page.wait_for_timeout(1000)
        shown = [lab["text"] for lab in body.evaluate(_LABELS) if lab["shown"]]
        body.evaluate("() => window.map.fire('moveend')")  # sort the settled view again
        assert [lab["text"] for lab in body.evaluate(_LABELS) if lab["shown"]] == shown
