"""Download buttons on the Map, Priorities and Profile pages (issue: briefing exports)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geodata.config import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


@pytest.fixture()
def app(built_store, monkeypatch):
    monkeypatch.setenv("RISKMAP_STORE", str(built_store.path))
    return AppTest.from_file(APP, default_timeout=240)


def _labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_map_page_offers_every_snapshot_format_and_the_briefing(app):
    at = app.run()
    assert not at.exception, at.exception
    assert _labels(at) == []  # shown on request, so the first visit draws the map sooner
    at.button(key="map_downloads_button").click().run()
    assert not at.exception, at.exception
    assert _labels(at) == ["Mapa PNG (300 ppp)", "Mapa SVG", "Mapa PDF", "Mapa HTML (sin conexión)",
                           "Nota informativa PDF (1 página)"]


@pytest.mark.parametrize("page, expected", [
    ("pages/priorities.py", ["Table CSV", "Table XLSX", "Briefing PDF (1 page)"]),
    ("pages/profile.py", ["Table CSV", "Briefing PDF (1 page)"]),
])
def test_priorities_and_profile_offer_tables_and_the_briefing(app, page, expected):
    app.query_params["lang"] = "en"
    at = app.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    labels = _labels(at)
    assert all(label in labels for label in expected), labels
