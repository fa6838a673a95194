"""Serve the app on a free local port and open it in offline headless Chromium.

Used by the browser test and by ``python -m tests.browser.screenshots``.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from dashboard.serve import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LEAFLET_JS = ROOT / "static" / "vendor" / "leaflet" / "leaflet.js"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
COMPONENT_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
POLYGONS = "path.leaflet-interactive"
#: Page name -> URL path. The map, the default page, lives at the root (and at "/map").
PAGES = {"map": ""}
LANGS = ("es", "en")


@contextlib.contextmanager
def serve_app(store: Path | None = None, timeout: float = 180.0, script: str = "app.py",
              warm: bool = False, port: int | None = None, log_path: Path | None = None,
              workers: int = 1):
    """Run ``streamlit run <script>`` (default app.py) on 127.0.0.1:<port> (a free one unless
    given); yield its base URL. ``warm``: through ``python -m dashboard.serve`` (app.py after
    the warm-up, as ``make run``); ``workers`` > 1: that many such servers behind
    ``dashboard.balancer`` (``dashboard.serve --workers``, as ``make run`` on several cores).
    The server's stdout and stderr (the operator's log) go to ``log_path`` when given."""
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="riskmap-browser-") as tmp:
        env = dict(os.environ, RISKMAP_STORE=str(store or Path(tmp) / "riskmap.sqlite"),
                   PYTHONUNBUFFERED="1")
        log = open(log_path or Path(tmp) / "streamlit.log", "w+")
        command = ["dashboard.serve", "--workers", str(workers)] if warm or workers > 1 else ["streamlit", "run", script]
        proc = subprocess.Popen(
            [sys.executable, "-m", *command, "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read()}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except (urllib.error.URLError, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"streamlit not healthy after {timeout:.0f} s at {url}")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


@contextlib.contextmanager
def offline_browser(width: int = 1400, height: int = 1000):
    """A Playwright page in Debian's Chromium; requests to any host but 127.0.0.1 are aborted.

    Yields ``(page, blocked)``: ``blocked`` collects the URLs that were aborted.
    """
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def route(r):
        if urlparse(r.request.url).hostname in LOCAL_HOSTS or r.request.url.startswith(
                ("data:", "blob:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                    headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", route)
            yield context.new_page(), blocked
        finally:
            browser.close()


def wait_for_map(page, *, expected: int | None = None, timeout_ms: int = 120_000) -> int:
    """Wait for the folium component to draw its polygons; return how many it drew."""
    frame = page.frame_locator(COMPONENT_IFRAME)
    paths = frame.locator(POLYGONS)
    paths.first.wait_for(state="attached", timeout=timeout_ms)
    if expected is not None:
        page.wait_for_function(
            """([sel, poly, n]) => {
                const f = document.querySelector(sel);
                const d = f && f.contentDocument;
                return !!d && d.querySelectorAll(poly).length === n;
            }""", arg=[COMPONENT_IFRAME, POLYGONS, expected], timeout=timeout_ms)
    return paths.count()


def error_boxes(page) -> list[str]:
    """Texts of Streamlit exception boxes and error alerts on the page."""
    out = [e.inner_text() for e in page.locator('[data-testid="stException"]').all()]
    out += [d.inner_text() for d in page.locator('[role="dialog"]').all()]  # "Page not found"
    for alert in page.locator('[data-testid="stAlert"]').all():
        if alert.locator('[data-testid="stAlertContentError"]').count():
            out.append(alert.inner_text())
    return out
