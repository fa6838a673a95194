"""First paint in headless Chromium: time from navigation until the map's 262 polygons are in
the DOM, our map against the BASELINE map, same run, offline.

Both maps are the complete folium documents a browser receives inside the Streamlit component
(ours: ``dashboard.maps.risk_map`` of the composite; baseline: ``folium.Choropleth`` over the
unsimplified file), served from a loopback HTTP server with Leaflet from the app's static copy.
Streamlit's own page load is the same for both and is left out; the server time per rerun is
measured separately (benchmarks/map.py).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import statistics
import threading
import time

from tests.browser.harness import CHROMIUM, POLYGONS, ROOT, offline_browser

RUNS = 5
WORK = ROOT / "benchmarks" / "_work" / "first_paint"
LEAFLET = "/app/static/vendor/leaflet/leaflet"


@contextlib.contextmanager
def _serve(folder):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _write_pages(ours_html: str, baseline_html: str) -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "app").mkdir(parents=True)
    (WORK / "app" / "static").symlink_to(ROOT / "static", target_is_directory=True)
    (WORK / "ours.html").write_text(ours_html, encoding="utf-8")
    (WORK / "baseline.html").write_text(baseline_html, encoding="utf-8")


def _paint_times(page, url: str, runs: int = RUNS) -> list[float]:
    def once() -> float:
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length >= n",
                               arg=[POLYGONS, 262], timeout=120_000)
        return time.perf_counter() - t0

    once()  # warm-up (browser cache of leaflet.js)
    return [once() for _ in range(runs)]


def run(data, spec) -> dict:
    from benchmarks.map import baseline_html, our_html

    if not CHROMIUM.exists():
        return {"skipped": "chromium not installed", "table": []}
    _write_pages(our_html(data, spec), baseline_html(local_leaflet=LEAFLET))
    with _serve(WORK) as url, offline_browser() as (page, blocked):
        ours = _paint_times(page, f"{url}/ours.html")
        base = _paint_times(page, f"{url}/baseline.html")
    mo, mb = statistics.median(ours), statistics.median(base)
    return {"ours_s": ours, "baseline_s": base, "ours_median_s": mo, "baseline_median_s": mb,
            "speedup": mb / mo, "blocked_requests": blocked,
            "table": [{"measure": "first paint of the map document, 262 polygons in the DOM (ours / baseline)",
                       "figure": f"{mo * 1000:.0f} ms / {mb * 1000:.0f} ms = x{mb / mo:.1f} faster",
                       "target": ">= 2x faster"}]}
