"""First paint in headless Chromium: time from navigation until the map's polygons are in the
DOM, our app against the BASELINE app (benchmarks/baseline_app.py), same run, offline."""
from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path

from tests.browser.harness import CHROMIUM, COMPONENT_IFRAME, POLYGONS, ROOT, offline_browser, serve_app

RUNS = 5
WORK = ROOT / "benchmarks" / "_work" / "baseline"


def baseline_script() -> str:
    """Copy the baseline app into a git-ignored folder beside a link to ``static/``: Streamlit
    serves static files from the folder of the script it runs."""
    WORK.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "benchmarks" / "baseline_app.py", WORK / "baseline_app.py")
    link = WORK / "static"
    if not link.exists():
        link.symlink_to(ROOT / "static", target_is_directory=True)
    os.environ["PYTHONPATH"] = str(ROOT)
    return str(Path("benchmarks") / "_work" / "baseline" / "baseline_app.py")


def wait_for_polygons(page, n: int = 262, timeout_ms: int = 120_000) -> None:
    """Until the map iframe holds at least ``n`` polygons (overlays may add more)."""
    page.wait_for_function(
        """([sel, poly, n]) => {
            const f = document.querySelector(sel);
            const d = f && f.contentDocument;
            return !!d && d.querySelectorAll(poly).length >= n;
        }""", arg=[COMPONENT_IFRAME, POLYGONS, n], timeout=timeout_ms)


def _paint_times(script: str, runs: int = RUNS) -> list[float]:
    times = []
    with serve_app(script=script) as url, offline_browser() as (page, _blocked):
        page.goto(url)  # warm-up: store, caches, Python imports
        wait_for_polygons(page)
        for _ in range(runs):
            t0 = time.perf_counter()
            page.goto(url)
            wait_for_polygons(page)
            times.append(time.perf_counter() - t0)
    return times


def run(data=None, spec=None) -> dict:
    if not CHROMIUM.exists():
        return {"skipped": "chromium not installed", "table": []}
    ours, base = _paint_times("app.py"), _paint_times(baseline_script())
    mo, mb = statistics.median(ours), statistics.median(base)
    return {"ours_s": ours, "baseline_s": base, "ours_median_s": mo, "baseline_median_s": mb,
            "speedup": mb / mo,
            "table": [{"measure": "first paint, 262 polygons in the DOM (ours / baseline)",
                       "figure": f"{mo:.2f} s / {mb:.2f} s = x{mb / mo:.1f} faster", "target": ">= 2x faster"}]}
