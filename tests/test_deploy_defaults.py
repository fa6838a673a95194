"""Safe defaults of a served app: `make run` on 127.0.0.1 unless ADDRESS says otherwise, and no
Python traceback or error text in the browser."""
from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
@pytest.mark.parametrize("extra, address", [([], "127.0.0.1"), (["ADDRESS=0.0.0.0"], "0.0.0.0")])
def test_make_run_binds_the_given_address(extra, address):
    out = subprocess.run(["make", "-n", "-W", "requirements.txt", "run", *extra], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    line = next(ln for ln in out.stdout.splitlines() if "--server.port" in ln)
    assert f"--server.address {address} " in line


def test_browser_never_gets_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
