"""One scaling measurement in a fresh process: ``python -m benchmarks.scaling_child N``.
Prints JSON with the median scoring time and the process's peak resident memory."""
from __future__ import annotations

import json
import resource
import sys

from benchmarks.synthetic import synthetic_data
from benchmarks.timing import median_time
from risk_model.pipeline import run_model


def main() -> None:
    n = int(sys.argv[1])
    draws = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    data, spec = synthetic_data(n)
    timing = median_time(lambda: run_model(data, spec, 2023, draws=draws), repeat=5)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"units": n, "draws": draws, **timing, "peak_mb": peak_mb}))


if __name__ == "__main__":
    main()
