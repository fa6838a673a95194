"""``python -m dashboard.serve [streamlit run options]``: serve the app with warm caches.

``streamlit run app.py`` answers its health check at once, but its first visitor then waits for
the app's imports (pandas, geopandas, scipy, folium, plotly: 5-10 s on a busy 2-core machine)
and for the country's model data, about 15 s for a first Region, Priorities or Trends view
(``benchmarks/first_view.py``). This launcher does that work first, in this process, then starts
the very same server through Streamlit's command line entry point (``streamlit run app.py``
with the options given here): the caches it filled (``dashboard.warmup.warm``: every country's
default views, the Region table) are the process-wide caches the pages read, and the server
answers its health check only once they are filled, which is what a proxy or ``systemd`` should
wait for before sending visitors. Later data versions are warmed by ``dashboard.warmup.start``
in the background.

``make run`` and the units in ``deploy/`` use it. Options are passed to ``streamlit run``
unchanged (``--server.port 8501 --server.address 127.0.0.1`` ...).
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    log = logging.getLogger("dashboard.serve")
    t0 = time.perf_counter()
    from dashboard import warmup  # the app's heavy imports come with it
    import dashboard.charts, dashboard.exports.buttons  # noqa: F401,E401 - pages' imports
    import dashboard.leaflet_map, folium.plugins  # noqa: F401,E401 - folium compiles its templates on import
    # not dashboard.mapview: streamlit_folium declares its component when imported, and a
    # component declared before the server exists is unknown to it (the map stays blank)

    try:
        versions = warmup.warm()
        log.info("warm-up done in %.1f s: %s", time.perf_counter() - t0, versions)
    except Exception:  # noqa: BLE001 - the pages compute the same and report errors themselves
        log.exception("warm-up failed; pages compute their data on first view")
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
