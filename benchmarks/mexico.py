"""Mexico at scale (issue 18): scoring the 2,469 municipios with 1,000 draws and the geometry the
browser receives for them. The first view of the Mexico map is a ``benchmarks/first_view.py``
target ("Map MEX"). Run only this part: ``python -m benchmarks.mexico [--write]``."""
from __future__ import annotations

import sys

import statistics
import time

from benchmarks.timing import median_time

SCORE_TARGET_S = 2.0
GEOJSON_TARGET_B = 800_000


def run(data=None, spec=None) -> dict:
    """Median time to score Mexico's finest units at the pack's default year, without and with
    1,000 draws (``risk_model.pipeline.run_model``, the whole model each run; wall time and
    this process's CPU time), and the bytes of
    the municipios' web GeoJSON (``geodata.build.web_geojson_for``, what the map embeds)."""
    from geodata.build import ensure_store, web_geojson_for
    from geodata.country_data import load_tables
    from geodata.packs import load_pack
    from risk_model.pipeline import model_data, run_model
    from risk_model.spec import load_spec

    pack = load_pack("mex")
    md, mex_spec = model_data(load_tables("mex")), load_spec("mex_default")
    units = len(md.units[md.finest])
    year = pack.default_year
    plain = median_time(lambda: run_model(md, mex_spec, year, draws=0))
    draws = median_time(lambda: run_model(md, mex_spec, year, draws=1000))
    cpu = []  # CPU time of this process: the model's own time, whatever else the machine runs
    for _ in range(5):
        t0 = time.process_time()
        run_model(md, mex_spec, year, draws=1000)
        cpu.append(time.process_time() - t0)
    draws["cpu_median_s"] = statistics.median(cpu)
    geojson = len(web_geojson_for(ensure_store("mex"), "mex", pack.finest).encode("utf-8"))
    return {"units": units, "year": year, "no_monte_carlo": plain, "draws_1000": draws, "geojson_bytes": geojson,
            "table": [
                {"measure": f"Mexico: score {units:,} municipios ({year}), no Monte Carlo",
                 "figure": f"{plain['median_s'] * 1000:.0f} ms", "target": ""},
                {"measure": f"Mexico: score {units:,} municipios ({year}), 1,000 draws",
                 "figure": f"{draws['median_s']:.2f} s (CPU {draws['cpu_median_s']:.2f} s)",
                 "target": f"<= {SCORE_TARGET_S:.0f} s"},
                {"measure": f"Mexico: map GeoJSON sent for {units:,} municipios",
                 "figure": f"{geojson:,} B", "target": f"<= {GEOJSON_TARGET_B // 1000} KB"}]}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    result = run()
    for row in result["table"]:
        print(f"| {row['measure']} | {row['figure']} | {row['target']} |")
    if "--write" in argv:
        from benchmarks.report import write_part

        write_part("mexico", result)
    ok = result["draws_1000"]["median_s"] <= SCORE_TARGET_S and result["geojson_bytes"] <= GEOJSON_TARGET_B
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
