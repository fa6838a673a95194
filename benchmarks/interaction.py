"""A weight change on the Priorities page through AppTest: server time of the rerun that follows
(each change is a new scenario, so the model result is not in the cache)."""
from __future__ import annotations

import statistics
import time

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = (2.0, 3.0, 4.0, 5.0, 1.0, 0.0)


def run(data=None, spec=None) -> dict:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/priorities.py").run()
    times = []
    for w in WEIGHTS:
        at.slider(key="w_violence").set_value(w)
        submit = next(b for b in at.button if b.proto.is_form_submitter)
        submit.click()
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(str(at.exception))
    times = times[1:]  # the first change also warms the Priorities page's imports
    med = statistics.median(times)
    return {"rerun_s": times, "median_s": med, "table": [
        {"measure": "weight change on Priorities, server time of the rerun",
         "figure": f"{med * 1000:.0f} ms", "target": "< 300 ms"}]}
