"""``python -m dashboard.serve --workers 2`` (what ``make run`` starts on a 2-core machine): two
app servers behind ``dashboard.balancer``. Sessions without a cookie are spread over both and
all finish; a browser keeps its worker, so a file it downloads (held by the worker that made
it) arrives, and the map draws through the balancer."""
from __future__ import annotations

from pathlib import Path

from benchmarks.load import measure
from dashboard.balancer import COOKIE
from tests.browser.conftest import require_browser
from tests.browser.harness import error_boxes, offline_browser, serve_app, wait_for_map


def test_two_workers_serve_sessions_maps_and_downloads(tmp_path):
    require_browser()
    with serve_app(store=tmp_path / "riskmap.sqlite", workers=2, timeout=600) as url:
        summary = measure(url, 6, distinct=True, first=0, timeout=300)
        assert summary["errors"] == 0, summary.get("first_errors")
        with offline_browser() as (page, blocked):
            page.goto(f"{url}/?lang=en")
            assert wait_for_map(page, expected=262) == 262
            routes = [c for c in page.context.cookies() if c["name"] == COOKIE]
            assert len(routes) == 1 and routes[0]["value"] in ("0", "1") and routes[0]["httpOnly"]
            page.get_by_text("Download this map or a briefing…").first.click()
            with page.expect_download(timeout=180_000) as info:
                page.get_by_role("button", name="Map SVG").click()
            svg = Path(info.value.path()).read_text(encoding="utf-8")
            assert not error_boxes(page), error_boxes(page)
            assert blocked == [], blocked
    # the file the worker that drew the page made and holds: the map of 262 districts
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and svg.count("<path") >= 262
