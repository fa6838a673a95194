"""First view of a page right after a fresh server start, in headless Chromium.

For each target (the Region page; Priorities and Trends of Guatemala and Honduras; the Map of
Mexico's 2,469 municipios in Spanish and in English) a new
``streamlit run app.py`` is started on a free loopback port over a store that already holds
every country (as ``make run`` leaves it); once it answers its health check, a fresh browser
opens the page's URL, and the time runs from ``page.goto`` until the page's main content is
drawn (Region: the regional map's polygons in the st_folium iframe; Priorities: the ranked
table; Trends: the trend chart) and Streamlit's running indicator is gone. Nothing was cached
in that server before: this is what the first visitor of that page waits for. Error boxes on
the page fail the benchmark.

The server is started as ``make run`` starts it (``python -m dashboard.serve``, which warms the
caches before it answers the health check); ``--cold`` starts plain ``streamlit run app.py``
instead, for comparison. Run only this part: ``python -m benchmarks.first_view [--write] [--cold]``.
"""
from __future__ import annotations

import json
import sys
import time

from benchmarks.stores import temp_store
from tests.browser.harness import COMPONENT_IFRAME, POLYGONS, error_boxes, offline_browser, serve_app

TIMEOUT_MS = 120_000
TARGET_S = 5.0
#: (label, URL path and query, CSS selector of the drawn main content, inside the map iframe?)
TARGETS = (
    ("Region", "region?lang=es", POLYGONS, True),
    ("Priorities GTM", "priorities?lang=es&country=gtm", '[data-testid="stDataFrame"]', False),
    ("Trends GTM", "trends?lang=es&country=gtm", ".js-plotly-plot", False),
    ("Priorities HND", "priorities?lang=es&country=hnd", '[data-testid="stDataFrame"]', False),
    ("Trends HND", "trends?lang=es&country=hnd", ".js-plotly-plot", False),
    ("Map MEX", "?lang=es&country=mex", POLYGONS, True),  # 2,469 municipios
    ("Map MEX (en)", "?lang=en&country=mex", POLYGONS, True),
)


def first_view(url: str, path: str, selector: str, in_map: bool) -> float:
    """Seconds from ``goto`` to the drawn content with no script running, in a fresh browser."""
    with offline_browser() as (page, _blocked):
        t0 = time.perf_counter()
        page.goto(f"{url}/{path}", timeout=TIMEOUT_MS)
        scope = page.frame_locator(COMPONENT_IFRAME) if in_map else page
        scope.locator(selector).first.wait_for(state="attached", timeout=TIMEOUT_MS)
        page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - t0
        if errors := error_boxes(page):
            raise RuntimeError(f"{path}: error on the page: {errors[0][:300]}")
        return seconds


def run(data=None, spec=None, warm: bool = True) -> dict:
    """Every target once, each on its own fresh server (``make run``'s ``python -m
    dashboard.serve --workers auto``; ``warm=False``: plain ``streamlit run app.py``); rows for
    RESULTS.md."""
    from dashboard.serve import default_workers

    rows = []
    with temp_store("riskmap-first-view-") as store:
        for label, path, selector, in_map in TARGETS:
            with serve_app(store=store, warm=warm, workers=default_workers() if warm else 1) as url:
                rows.append({"page": label, "seconds": round(first_view(url, path, selector, in_map), 2)})
    figure = ", ".join(f"{r['page']} {r['seconds']:.1f} s" for r in rows)
    table = [{"measure": "first view after a fresh server start (store built), headless Chromium, goto until "
                         "the page's map/table/chart is drawn and no script runs",
              "figure": figure, "target": f"each <= {TARGET_S:.0f} s"}]
    return {"rows": rows, "table": table}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    result = run(warm="--cold" not in argv)
    print(json.dumps(result["rows"]))
    if "--write" in argv:
        from benchmarks.report import write_part

        write_part("first_view", result)
    return 0 if all(r["seconds"] <= TARGET_S for r in result["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
