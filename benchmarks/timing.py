"""Timing helpers: median of repeated runs after a warm-up, and peak memory of a child process."""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time


def median_time(fn, *, repeat: int = 5, warmup: int = 1) -> dict:
    """Median, min and max wall time (s) of ``fn()`` over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "runs": repeat}


def in_child(module: str, *args: str) -> dict:
    """Run ``python -m module args`` and parse the JSON it prints (used for peak-memory runs)."""
    out = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])
