"""Scoring benchmarks: the real El Salvador data, and SYNTHETIC hexagon grids for scaling."""
from __future__ import annotations

import math

from benchmarks.timing import in_child, median_time

SCALING_SIZES = (1_000, 10_000, 100_000)


def scoring_real(data, spec) -> dict:
    """Median time to score the 262 districts for 2023, without and with 1,000 draws."""
    from risk_model.pipeline import run_model

    return {
        "no_monte_carlo": median_time(lambda: run_model(data, spec, 2023, draws=0)),
        "draws_1000": median_time(lambda: run_model(data, spec, 2023, draws=1000)),
    }


def scaling() -> dict:
    """Time and peak memory per synthetic size (each in a fresh process), and growth per tenfold."""
    rows = [in_child("benchmarks.scaling_child", str(n)) for n in SCALING_SIZES]
    for prev, cur in zip(rows, rows[1:]):
        cur["growth_per_tenfold"] = cur["median_s"] / prev["median_s"]
        cur["growth_exponent"] = math.log10(cur["growth_per_tenfold"])
    return {"rows": rows}
