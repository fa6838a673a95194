"""A store built in a temporary folder from every country's pack, as ``make run`` leaves it: what
the benchmarks that start their own server (``first_view``, ``load``) serve from."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def temp_store(prefix: str, countries: tuple[str, ...] | None = None):
    """Build ``countries`` (default: every country the sidebar offers, ``dashboard.state.COUNTRIES``)
    with ``python -m geodata build`` into ``<tmp>/riskmap.sqlite``; yield its path; remove the
    folder afterwards."""
    if countries is None:
        from dashboard.state import COUNTRIES as countries
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        store = Path(tmp) / "riskmap.sqlite"
        env = dict(os.environ, RISKMAP_STORE=str(store))
        for country in countries:
            subprocess.run([sys.executable, "-m", "geodata", "build", "--quiet", "--country", country],
                           cwd=ROOT, env=env, check=True)
        yield store
