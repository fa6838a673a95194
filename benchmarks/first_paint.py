"""First paint in headless Chromium, our map against the BASELINE, same run.

Measured end to end, for each app: the time from ``page.goto(url)`` until the map's 262
polygons (``tests.browser.harness.POLYGONS``) are in the DOM of the ``st_folium`` component
iframe. Two rows hold the issue's target (2x): map against map (our map alone on a page, the
shape of the baseline), and our whole Map page against the same baseline.

* ours: ``streamlit run app.py``, the Map page: the app's default page, so it is served at
  ``/`` (``/map`` first shows Streamlit's "Page not found" and then falls back to it); the
  composite score at district level;
* baseline: ``streamlit run benchmarks/baseline_app.py`` (``folium.Choropleth`` over the
  unsimplified file through ``st_folium`` with its defaults);
* map alone: ``benchmarks/map_alone_app.py``, a title and our default map, nothing else: the
  same shape as the baseline, so map against map. Ours minus map alone is what the rest of the
  Map page costs (sidebar, navigation, controls: Streamlit widgets, each a script bundle and
  rendering work in the browser on top of Streamlit's own start-up, about 1 s here).

Each server is started once and warmed up (Streamlit caches per server); then every measured
run is a fresh browser context (new cookies, new Streamlit session, a cold document) and the
runs of the apps alternate, so drift on this noisy machine hits all alike. All contexts get
the same routing: loopback goes to the servers; every other request is answered by the
benchmark itself, never by the internet. The baseline's folium/streamlit-folium CDN links
(Leaflet, jQuery, Bootstrap, Awesome Markers, Font Awesome, d3) are fulfilled from local
files, so the network is not the difference: Leaflet from ``static/vendor/leaflet`` (the very
file ours uses), the others from real copies of the same versions installed from npm under
``build/npm-bench`` by ``ensure_baseline_assets`` (run by this module; ``npm`` must be on PATH).
CDN files with no npm copy (and all of them if npm is missing) get an empty 200 body of the
right type, which only makes the baseline faster. Map tiles (the baseline's default
OpenStreetMap layer) are aborted. Playwright's routing turns the browser's HTTP cache off, for
all apps alike, so each run also downloads Streamlit's own frontend. The servers run with
the project's ``.streamlit/config.toml`` (cwd is the project), recorded in the result.

Also recorded per run: the same instant on the page's own clock (``in_page_s``, ms since
navigation start, without Playwright's round trips) and DOMContentLoaded of Streamlit's page.

Last row (cheap, kept from before): the two complete folium documents alone, served from a
loopback HTTP server with Leaflet from the app's static copy, no Streamlit.

Run only this part: ``python -m benchmarks.first_paint`` (``--write`` also puts the result in
benchmarks/results.json and RESULTS.md; ``--runs N`` changes the number of measured runs).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from tests.browser.harness import (CHROMIUM, CHROMIUM_ARGS, COMPONENT_IFRAME, LEAFLET_JS, POLYGONS,
                                   ROOT, error_boxes, offline_browser, serve_app)

RUNS = 7
WARMUP = 2
#: Pause after each load (both apps alike) so the closed context's teardown is not timed.
SETTLE_S = 1.0
EXPECTED = 262
TIMEOUT_MS = 120_000
WORK = ROOT / "benchmarks" / "_work" / "first_paint"
LEAFLET = "/app/static/vendor/leaflet/leaflet"
LEAFLET_DIR = LEAFLET_JS.parent

# -- the baseline's CDN assets, from npm ---------------------------------------------------------
NPM_PREFIX = ROOT / "build" / "npm-bench"
#: The versions folium 0.20 / streamlit-folium 0.27 link to (d3 v4 = d3js.org's d3.v4, 4.13.0).
NPM_PACKAGES = ("jquery@3.7.1", "bootstrap@5.2.2", "drmonty-leaflet-awesome-markers@2.0.2",
                "@fortawesome/fontawesome-free@6.2.0", "d3v4@npm:d3@4.13.0", "d3v3@npm:d3@3.5.5")
_NM = NPM_PREFIX / "node_modules"
#: CDN URL prefix -> local file or folder (a folder maps the rest of the URL's path).
CDN_FILES: tuple[tuple[str, Path], ...] = (
    ("https://cdn.jsdelivr.net/npm/leaflet@", LEAFLET_DIR),  # + "<version>/dist/<file>"
    ("https://code.jquery.com/jquery-3.7.1.min.js", _NM / "jquery" / "dist" / "jquery.min.js"),
    ("https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/", _NM / "bootstrap" / "dist"),
    ("https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
     _NM / "drmonty-leaflet-awesome-markers" / "js" / "leaflet.awesome-markers.js"),
    ("https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/",
     _NM / "drmonty-leaflet-awesome-markers" / "css"),
    ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/",
     _NM / "@fortawesome" / "fontawesome-free"),
    ("https://d3js.org/d3.v4.min.js", _NM / "d3v4" / "build" / "d3.min.js"),
    ("https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js", _NM / "d3v3" / "d3.min.js"),
)
_TYPES = {".js": "application/javascript", ".css": "text/css", ".json": "application/json"}
NOT_LOOPBACK = re.compile(r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost)(?::\d+)?(?:/|$))"
                          r"(?!(?:data|blob|about):)")


def ensure_baseline_assets() -> str:
    """Install the baseline's CDN files from npm under build/npm-bench if they are missing.

    Returns "npm" when the real copies are there, "empty" when they are not (no npm, or the
    install failed): the benchmark then answers those URLs with empty bodies.
    """
    def have() -> bool:
        return all(p.exists() for _, p in CDN_FILES)

    if have():
        return "npm"
    npm = shutil.which("npm")
    if npm:
        NPM_PREFIX.mkdir(parents=True, exist_ok=True)
        print("first_paint: npm install of the baseline's CDN files into build/npm-bench ...",
              file=sys.stderr)
        proc = subprocess.run([npm, "install", "--silent", "--no-save", "--no-audit", "--no-fund",
                               "--prefix", str(NPM_PREFIX), *NPM_PACKAGES],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            print(f"first_paint: npm install failed, using empty bodies:\n{proc.stderr[-2000:]}",
                  file=sys.stderr)
    return "npm" if have() else "empty"


def _cdn_file(url: str) -> Path | None:
    """The local copy serving ``url``, or None."""
    url = url.split("?", 1)[0].split("#", 1)[0]
    for prefix, local in CDN_FILES:
        if url == prefix:
            return local if local.is_file() else None
        if url.startswith(prefix) and local.is_dir():
            rest = url[len(prefix):]
            if local == LEAFLET_DIR:  # leaflet@<version>/dist/<file>
                rest = rest.split("/dist/", 1)[-1] if "/dist/" in rest else ""
            candidate = (local / rest).resolve()
            if rest and candidate.is_file() and local.resolve() in candidate.parents:
                return candidate
    return None


class _Router:
    """The same answers for both apps: loopback to the servers (not routed at all), known CDN
    files from local copies, other scripts and styles empty, everything else aborted."""

    def __init__(self):
        self.served: dict[str, str] = {}  # url -> local file
        self.empty: set[str] = set()
        self.aborted: set[str] = set()

    def __call__(self, route):
        url = route.request.url
        local = _cdn_file(url)
        if local is not None:
            self.served[url] = str(local.relative_to(ROOT))
            route.fulfill(path=str(local), headers={"Access-Control-Allow-Origin": "*"})
            return
        suffix = Path(urlparse(url).path).suffix
        if suffix in _TYPES and route.request.resource_type in ("script", "stylesheet"):
            self.empty.add(url)
            route.fulfill(status=200, body="", content_type=_TYPES[suffix])
            return
        self.aborted.add(url)
        route.abort()


_PAINTED = """([frame, poly, n]) => {
    const f = document.querySelector(frame);
    const d = f && f.contentDocument;
    return d && d.querySelectorAll(poly).length >= n ? performance.now() : false;
}"""


def _load(browser, router: _Router, url: str, timeout_ms: int = TIMEOUT_MS) -> dict:
    """One cold page load in a new context: wall time from goto to 262 polygons in the iframe,
    and the same instant in the page's own clock (ms since navigation start)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.route(NOT_LOOPBACK, router)
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, timeout=timeout_ms)
        handle = page.wait_for_function(_PAINTED, arg=[COMPONENT_IFRAME, POLYGONS, EXPECTED],
                                        timeout=timeout_ms)
        wall = time.perf_counter() - t0
        in_page = handle.json_value() / 1000
        frame = page.query_selector(COMPONENT_IFRAME).content_frame()
        count = frame.evaluate("(sel) => document.querySelectorAll(sel).length", POLYGONS)
        nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                                      return {response_end: n.responseEnd, dcl: n.domContentLoadedEventEnd}; }""")
        # let the script run finish before the session goes, so no run leaves work behind
        with contextlib.suppress(Exception):
            page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=30_000)
        errors = error_boxes(page)
        return {"wall_s": wall, "in_page_s": in_page, "polygons": count, "errors": errors,
                "dom_content_loaded_s": nav["dcl"] / 1000}
    finally:
        context.close()
        time.sleep(SETTLE_S)


def streamlit_config() -> dict:
    """The server options that weigh on a first load, as both servers run them (.streamlit/)."""
    import tomllib

    path = ROOT / ".streamlit" / "config.toml"
    conf = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {"server.fileWatcherType": conf.get("server", {}).get("fileWatcherType", "auto"),
            "runner.postScriptGC": conf.get("runner", {}).get("postScriptGC", True)}


def map_alone_script() -> str:
    """A copy of benchmarks/map_alone_app.py beside a link to static/, path relative to the project."""
    folder = WORK.parent / "map_alone"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "benchmarks" / "map_alone_app.py", folder / "map_alone_app.py")
    link = folder / "static"
    if not link.is_symlink():
        link.symlink_to(ROOT / "static", target_is_directory=True)
    return str((folder / "map_alone_app.py").relative_to(ROOT))


def end_to_end(runs: int = RUNS, warmup: int = WARMUP) -> dict:
    """The three apps through Streamlit: medians of ``runs`` cold loads each, after ``warmup``."""
    from playwright.sync_api import sync_playwright

    assets = ensure_baseline_assets()
    router = _Router()
    apps = {"ours": ("app.py", ""), "baseline": ("benchmarks/baseline_app.py", ""),
            "map_alone": (map_alone_script(), "")}
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(serve_app(script=script)) + path
                for name, (script, path) in apps.items()}
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        stack.callback(browser.close)
        for name, url in urls.items():  # the first load of ours also builds its data store
            for _ in range(warmup):
                first = _load(browser, router, url, timeout_ms=5 * TIMEOUT_MS)
                if first["errors"]:
                    raise RuntimeError(f"{name} shows errors: {first['errors']}")
        loads: dict[str, list[dict]] = {name: [] for name in apps}
        for i in range(runs):  # alternate, and rotate who goes first
            order = list(apps)[i % len(apps):] + list(apps)[:i % len(apps)]
            for name in order:
                loads[name].append(_load(browser, router, urls[name]))
    out = {"runs": runs, "warmup": warmup, "assets": assets, "streamlit_config": streamlit_config(),
           "served_locally": dict(sorted(router.served.items())),
           "empty_bodies": sorted(router.empty), "aborted": sorted(router.aborted)}
    for name, ls in loads.items():
        out[name] = {key: [x[key] for x in ls] for key in ("wall_s", "in_page_s", "dom_content_loaded_s")}
        out[name]["polygons"] = sorted({x["polygons"] for x in ls})
        out[name]["median_s"] = statistics.median(out[name]["wall_s"])
        out[name]["in_page_median_s"] = statistics.median(out[name]["in_page_s"])
    out["speedup"] = out["baseline"]["median_s"] / out["ours"]["median_s"]
    out["map_alone_speedup"] = out["baseline"]["median_s"] / out["map_alone"]["median_s"]
    return out


# -- second row: the two folium documents alone --------------------------------------------------
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


def _paint_times(page, url: str, runs: int) -> list[float]:
    def once() -> float:
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length >= n",
                               arg=[POLYGONS, EXPECTED], timeout=TIMEOUT_MS)
        return time.perf_counter() - t0

    once()  # warm-up (browser cache of leaflet.js)
    return [once() for _ in range(runs)]


def documents(data, spec, runs: int = 5) -> dict:
    from benchmarks.map import baseline_html, our_html

    _write_pages(our_html(data, spec), baseline_html(local_leaflet=LEAFLET))
    with _serve(WORK) as url, offline_browser() as (page, blocked):
        ours = _paint_times(page, f"{url}/ours.html", runs)
        base = _paint_times(page, f"{url}/baseline.html", runs)
    mo, mb = statistics.median(ours), statistics.median(base)
    return {"ours_s": ours, "baseline_s": base, "ours_median_s": mo, "baseline_median_s": mb,
            "speedup": mb / mo, "blocked_requests": blocked}


def _assets_note(e2e: dict) -> str:
    """How the baseline's CDN files were answered, for the table."""
    empty = [Path(urlparse(u).path).name for u in e2e["empty_bodies"]]
    if e2e["assets"] != "npm":
        return "empty 200 bodies (no npm copies), Leaflet = our file"
    note = "real npm copies, Leaflet = our file"
    return note + (f"; empty: {', '.join(empty)}" if empty else "")


def _table(e2e: dict | None, docs: dict | None) -> list[dict]:
    rows = []
    if e2e:
        mo, mb = e2e["ours"]["median_s"], e2e["baseline"]["median_s"]
        ma = e2e["map_alone"]["median_s"]
        rows.append({"measure": "first paint end to end through Streamlit, map against map: a title and the "
                                "map, nothing else (ours / baseline), goto until 262 polygons in the st_folium "
                                f"iframe, fresh browser context, median of {e2e['runs']} alternating (baseline "
                                f"CDN files served locally: {_assets_note(e2e)})",
                     "figure": f"{ma * 1000:.0f} ms / {mb * 1000:.0f} ms = x{mb / ma:.1f} faster",
                     "target": ">= 2x faster"})
        rows.append({"measure": "first paint end to end, our whole Map page (sidebar, navigation, controls) / "
                                "the baseline's map page, same runs; the page minus our map alone = what the "
                                "rest of the page costs",
                     "figure": f"{mo * 1000:.0f} ms / {mb * 1000:.0f} ms = x{mb / mo:.1f} faster "
                               f"(rest of the page {(mo - ma) * 1000:.0f} ms)",
                     "target": ">= 2x faster"})
    if docs:
        mo, mb = docs["ours_median_s"], docs["baseline_median_s"]
        rows.append({"measure": "first paint of the folium map document alone (no Streamlit), 262 polygons "
                                "in the DOM (ours / baseline)",
                     "figure": f"{mo * 1000:.0f} ms / {mb * 1000:.0f} ms = x{mb / mo:.1f} faster",
                     "target": ""})
    return rows


def run(data, spec, runs: int = RUNS) -> dict:
    if not CHROMIUM.exists():
        return {"skipped": "chromium not installed", "table": []}
    e2e = end_to_end(runs)
    docs = documents(data, spec)
    return {"end_to_end": e2e, "documents": docs, "ours_median_s": e2e["ours"]["median_s"],
            "baseline_median_s": e2e["baseline"]["median_s"], "speedup": e2e["speedup"],
            "table": _table(e2e, docs)}


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m benchmarks.first_paint", description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=RUNS)
    ap.add_argument("--no-documents", action="store_true", help="skip the standalone-document row")
    ap.add_argument("--write", action="store_true",
                    help="merge into benchmarks/results.json and regenerate RESULTS.md")
    args = ap.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not installed", file=sys.stderr)
        return 1
    if args.no_documents:
        e2e = end_to_end(args.runs)
        result = {"end_to_end": e2e, "ours_median_s": e2e["ours"]["median_s"],
                  "baseline_median_s": e2e["baseline"]["median_s"], "speedup": e2e["speedup"],
                  "table": _table(e2e, None)}
    else:
        from geodata.country_data import load_tables
        from risk_model.pipeline import model_data
        from risk_model.spec import load_spec

        result = run(model_data(load_tables("slv")), load_spec(), args.runs)
    print(json.dumps(result, indent=1))
    for row in result["table"]:
        print(f"| {row['measure']} | {row['figure']} | {row['target']} |")
    if args.write:
        from datetime import datetime, timezone

        from benchmarks.report import write_part

        result["date"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        write_part("first_paint", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
