"""Trends, Profile, Compare, Data and Methodology in offline headless Chromium: each page shows
its main element (chart or table), its title in the language, and no error box."""
from __future__ import annotations

import pytest

from tests.browser.harness import COMPONENT_IFRAME, error_boxes, offline_browser, wait_for_map

CHART = '[data-testid="stPlotlyChart"]'
TABLE = '[data-testid="stDataFrame"]'
SOURCES = '[role="tabpanel"] [data-testid="stMarkdown"]'  # the first tab: sources and licences
PAGES = [  # path, main element, title es, title en
    ("trends", CHART, "Tendencias", "Trends"),
    ("profile", TABLE, "Perfil territorial", "Area profile"),
    ("compare", CHART, "Comparar territorios", "Compare areas"),
    ("data", SOURCES, "Datos", "Data"),
    ("methodology", '[data-testid="stMarkdown"] h1', "Metodología", "Methodology"),
]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("path, main, title_es, title_en", PAGES, ids=[p[0] for p in PAGES])
def test_page_shows_its_main_element(app_url, lang, path, main, title_es, title_en):
    with offline_browser() as (page, blocked):
        page.goto(f"{app_url}/{path}?lang={lang}")
        page.locator(main).first.wait_for(timeout=120_000)
        title = title_es if lang == "es" else title_en
        page.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
        if main == CHART:
            page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)  # plotly drew
        page.wait_for_timeout(500)
        assert not error_boxes(page), error_boxes(page)
        assert blocked == [], blocked


def test_profile_from_a_link_opens_that_unit(app_url):
    with offline_browser() as (page, _):
        page.goto(f"{app_url}/profile?lang=en&unit=0101")
        page.locator(TABLE).first.wait_for(timeout=120_000)
        page.get_by_role("heading", name="Ahuachapán").first.wait_for(timeout=30_000)
        assert not error_boxes(page), error_boxes(page)


def test_data_page_tabs_show_their_tables(app_url):
    with offline_browser() as (page, _):
        page.goto(f"{app_url}/data?lang=en")
        page.locator(SOURCES).first.wait_for(timeout=120_000)
        for tab in ("Coverage", "Diagnostics", "Unmatched rows", "Versions"):
            page.get_by_role("tab", name=tab).click()
            page.locator(f'[role="tabpanel"]:visible {TABLE}').first.wait_for(timeout=60_000)
        page.get_by_role("tab", name="Import official figures").click()
        page.get_by_text("read-only").first.wait_for(timeout=30_000)
        assert not error_boxes(page), error_boxes(page)


@pytest.mark.parametrize("path, polygons", [("region?lang=en", 900), ("?country=gtm&lang=en", 340),
                                            ("?country=hnd", 298)], ids=["region", "map_gtm", "map_hnd"])
def test_regional_and_country_maps_draw_every_unit(app_url, path, polygons):
    """The regional view (the three countries' 900 units) and the other countries' maps draw
    offline, with the within-country sentence on the regional map's legend."""
    with offline_browser() as (page, blocked):
        page.goto(f"{app_url}/{path}")
        assert wait_for_map(page, expected=polygons) == polygons
        if path.startswith("region"):
            legend = page.frame_locator(COMPONENT_IFRAME).locator(".riskmap-legend")
            assert "within each country" in legend.inner_text()
        assert not error_boxes(page), error_boxes(page)
        assert blocked == [], blocked


@pytest.mark.parametrize("lang, heading", [("es", "La evidencia detrás del método"), ("en", "The evidence behind the method")])
def test_methodology_shows_the_backtest_chart(app_url, lang, heading):
    """The backtest on real outcomes (Mexico) is drawn on the Methodology page, in the language."""
    with offline_browser() as (page, blocked):
        page.goto(f"{app_url}/methodology?lang={lang}")
        page.get_by_role("heading", name=heading).first.wait_for(timeout=120_000)
        page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)
        assert not error_boxes(page), error_boxes(page)
        assert blocked == [], blocked
