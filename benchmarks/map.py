"""Map payload and server time per rerun: our Map page against the BASELINE (a tutorial-style
``folium.Choropleth`` over the unsimplified 262-district file through ``st_folium`` defaults)."""
from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

from benchmarks.timing import median_time

RUNS = 5
ROOT = Path(__file__).resolve().parent.parent


def _embedded_geojson_bytes(html: str) -> int:
    """Bytes of the GeoJSON FeatureCollections embedded in a folium map's HTML."""
    found = re.findall(r'(\{"(?:bbox|features|type)".*?\})\);\n', html, flags=re.S)
    return sum(len(x.encode("utf-8")) for x in found)


def baseline_html(local_leaflet: str | None = None) -> str:
    """The baseline map's HTML; ``local_leaflet`` (path without extension) replaces the CDN links
    so it can paint offline (the choropleth's d3 legend is then dropped too)."""
    import branca
    import folium
    import geopandas as gpd
    import pandas as pd

    from geodata.config import data_root

    gdf = gpd.read_file(data_root() / "boundaries" / "slv" / "slv_adm2_municipios_262.geojson")
    values = pd.DataFrame({"digestyc_code": gdf["digestyc_code"], "pop": gdf["pop_2007"]})
    m = folium.Map(location=[13.7, -88.9], zoom_start=8, tiles=None)
    choropleth = folium.Choropleth(geo_data=gdf.to_json(), data=values, columns=["digestyc_code", "pop"],
                                   key_on="feature.properties.digestyc_code", fill_color="YlOrRd")
    if local_leaflet:
        m.default_js = [("leaflet", local_leaflet + ".js")]
        m.default_css = [("leaflet_css", local_leaflet + ".css")]
        for name, child in list(choropleth._children.items()):  # the legend pulls d3 from a CDN
            if isinstance(child, branca.colormap.ColorMap):
                del choropleth._children[name]
    choropleth.add_to(m)
    return m.get_root().render()


def our_html(data, spec) -> str:
    from dashboard import data as page_data
    from dashboard import leaflet_map, map_layer
    from risk_model.pipeline import run_model

    result = run_model(data, spec, 2023, draws=200)
    layer = map_layer.risk_layer(page_data.web_geojson("slv", "district"), map_layer.composite_frame(result),
                            lang="es", scheme=spec.scheme, palette=next(iter(map_layer.PALETTES)), unit="0..10",
                            years_txt="2023", composite=True)
    return leaflet_map.risk_map(layer).get_root().render()


def _rerun_times(script: str, runs: int = RUNS) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(script, default_timeout=300)
    at.run()  # warm-up: store, caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    if at.exception:
        raise RuntimeError(f"{script}: {at.exception}")
    return times


def run(data, spec) -> dict:
    ours_html, base_html = our_html(data, spec), baseline_html()
    ours_b, base_b = _embedded_geojson_bytes(ours_html), _embedded_geojson_bytes(base_html)
    ours_t, base_t = _rerun_times(str(ROOT / "app.py")), _rerun_times(str(ROOT / "benchmarks" / "baseline_app.py"))
    mo, mb = statistics.median(ours_t), statistics.median(base_t)
    return {"ours_geojson_bytes": ours_b, "baseline_geojson_bytes": base_b, "payload_ratio": base_b / ours_b,
            "ours_html_bytes": len(ours_html.encode()), "baseline_html_bytes": len(base_html.encode()),
            "ours_rerun_s": ours_t, "baseline_rerun_s": base_t, "rerun_ratio": mb / mo,
            "table": [
                {"measure": "map GeoJSON sent for 262 districts (ours / baseline)",
                 "figure": f"{ours_b:,} B / {base_b:,} B = {base_b / ours_b:.1f}x smaller", "target": ">= 8x smaller"},
                {"measure": "Map page server time per rerun (ours / baseline)",
                 "figure": f"{mo * 1000:.0f} ms / {mb * 1000:.0f} ms = x{mb / mo:.1f}", "target": ""}]}
