"""Scoring benchmarks: the real El Salvador data, and SYNTHETIC hexagon grids for scaling."""
from __future__ import annotations

import math
import statistics
import time

from benchmarks.timing import in_child, median_time

SCALING_SIZES = (1_000, 10_000, 100_000)


def scoring_real(data, spec) -> dict:
    """Median time to score the 262 districts for 2023, without and with 1,000 draws."""
    from risk_model.pipeline import run_model

    return {
        "no_monte_carlo": median_time(lambda: run_model(data, spec, 2023, draws=0)),
        "draws_1000": median_time(lambda: run_model(data, spec, 2023, draws=1000)),
        "reaggregate_1000": reaggregation(data, spec),
    }


def reaggregation(data, spec) -> dict:
    """Median time of a weight change on the cached dimension-level draws (262 districts x
    1,000 draws): ``risk_model.engine.reaggregate``, composite + ranks + bands + P(top N), the
    weights changing on every run as on the Priorities page."""
    import numpy as np

    from risk_model.engine import reaggregate
    from risk_model.pipeline import dimension_stage

    stage = dimension_stage(data, spec.with_scenario(draws=1000), 2023)
    nominal = np.array([spec.weight(d) if d in spec.dimensions else 0.0 for d in stage.dims.dimensions])
    runs = iter(range(10_000))

    def change():
        return reaggregate(stage.dims, nominal * (1 + next(runs) % 3 * (nominal > 0).cumsum() / 10),
                           spec.aggregation, top_n=spec.top_n)

    wall = median_time(change, repeat=21, warmup=2)
    cpu = []  # CPU time of this process: the model's own time, whatever else the machine runs
    for _ in range(21):
        t0 = time.process_time()
        change()
        cpu.append(time.process_time() - t0)
    return {**wall, "cpu_median_s": statistics.median(cpu)}


def scaling() -> dict:
    """Time and peak memory per synthetic size (each in a fresh process), and growth per tenfold."""
    rows = [in_child("benchmarks.scaling_child", str(n)) for n in SCALING_SIZES]
    for prev, cur in zip(rows, rows[1:]):
        cur["growth_per_tenfold"] = cur["median_s"] / prev["median_s"]
        cur["growth_exponent"] = math.log10(cur["growth_per_tenfold"])
    return {"rows": rows}
