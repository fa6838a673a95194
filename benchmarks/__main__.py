"""``python -m benchmarks`` (``make bench``): measure, print a table, write results.json and RESULTS.md.

Every figure is the median of at least five runs after a warm-up; baselines are built in the
same run so ratios compare like with like on this machine.
"""
from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["load"]:  # python -m benchmarks load --sessions N ... (benchmarks/load.py)
        from benchmarks import load

        return load.main(argv[1:])
    from benchmarks import model
    from geodata.country_data import load_tables
    from risk_model.pipeline import model_data
    from risk_model.spec import load_spec

    results = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine()}
    data = model_data(load_tables("slv"))
    spec = load_spec()
    print("scoring the real data ...", file=sys.stderr)
    results["scoring"] = model.scoring_real(data, spec)
    print("scaling on synthetic grids ...", file=sys.stderr)
    results["scaling"] = model.scaling()
    for name in ("map", "mexico", "interaction", "repaint", "exports", "first_paint", "first_view", "load"):
        try:
            mod = __import__(f"benchmarks.{name}", fromlist=["run"])
        except ModuleNotFoundError:
            continue
        print(f"{name} ...", file=sys.stderr)
        results[name] = mod.run(data, spec)
    (HERE / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    from benchmarks.report import markdown

    text = markdown(results)
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
