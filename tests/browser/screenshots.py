"""Screenshots of every page in Spanish and English, served offline.

    python -m tests.browser.screenshots --out screenshots      (or: make screenshots)

Writes ``<page>_<lang>.png`` at 1400x1000 and exits non-zero if a map did not draw or an
error box showed.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.browser.harness import (LANGS, PAGES, error_boxes, offline_browser, serve_app,
                                   wait_for_map)

#: Pages shot besides ``harness.PAGES`` (name -> URL path), with what to wait for.
MORE_PAGES = {"priorities": "priorities"}
MORE_PAGES.update({p: p for p in ("trends", "profile", "compare", "data", "methodology")})
#: The country selector and the regional view: Guatemala's and Honduras's pages, the region.
MORE_PAGES.update({"region": "region", "map_gtm": "?country=gtm", "map_hnd": "?country=hnd",
                   "priorities_gtm": "priorities?country=gtm", "trends_hnd": "trends?country=hnd",
                   "profile_hnd": "profile?country=hnd"})
WAIT_FOR = {"priorities": '[data-testid="stDataFrame"]'}
WAIT_FOR.update({"trends": '[data-testid="stPlotlyChart"]', "profile": '[data-testid="stDataFrame"]',
                 "compare": '[data-testid="stPlotlyChart"]', "data": '[role="tabpanel"] [data-testid="stMarkdown"]',
                 "methodology": '[data-testid="stMarkdown"] h1', "priorities_gtm": '[data-testid="stDataFrame"]',
                 "trends_hnd": '[data-testid="stAlert"]', "profile_hnd": '[data-testid="stDataFrame"]'})
#: Pages with a map -> polygons it must draw (El Salvador's 262 districts, 340 + 298 municipios,
#: the 900 units of the region).
MAPS = {"map": 262, "map_gtm": 340, "map_hnd": 298, "region": 900}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("screenshots"))
    ap.add_argument("--store", type=Path, default=None,
                    help="store file (default: a fresh one in a temporary folder)")
    ap.add_argument("--only", nargs="*", help="page names to shoot (default: all)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    failures = []
    only = set(args.only or ())
    with serve_app(store=args.store) as url:
        for page_name, path_part in {**PAGES, **MORE_PAGES}.items():
            if only and page_name not in only:
                continue
            for lang in LANGS:
                with offline_browser() as (page, blocked):
                    page.goto(f"{url}/{path_part}{'&' if '?' in path_part else '?'}lang={lang}")
                    if page_name in MAPS:
                        wait_for_map(page, expected=MAPS[page_name])
                    if page_name in WAIT_FOR:
                        page.locator(WAIT_FOR[page_name]).first.wait_for(timeout=120_000)
                    page.wait_for_timeout(1500)
                    path = args.out / f"{page_name}_{lang}.png"
                    page.screenshot(path=str(path), full_page=page_name in WAIT_FOR)
                    problems = error_boxes(page) + [f"blocked {u}" for u in blocked]
                    print(f"{path}" + (f"  PROBLEMS: {problems}" if problems else ""))
                    failures += problems
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
