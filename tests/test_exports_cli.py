"""``python -m dashboard export map|briefing|table`` as a user runs it (subprocess)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent


def run(args, store, data_root):
    env = {**os.environ, "RISKMAP_STORE": str(store.path), "RISKMAP_DATA_ROOT": str(data_root)}
    return subprocess.run([sys.executable, "-m", "dashboard", "export", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_export_map_png_slide(tmp_path, built_store, data_root):
    out = tmp_path / "map.png"
    p = run(["map", "--year", "2023", "--level", "department", "--size", "slide", "--lang", "en",
             "--date", "2025-01-15", "--out", str(out)], built_store, data_root)
    assert p.returncode == 0, p.stderr
    assert "wrote" in p.stdout and out.exists()
    assert Image.open(io.BytesIO(out.read_bytes())).size == (4000, 2250)


def test_export_briefing_pdf(tmp_path, built_store, data_root):
    out = tmp_path / "nota.pdf"
    p = run(["briefing", "--year", "2023", "--lang", "es", "--date", "2025-01-15", "--out", str(out)],
            built_store, data_root)
    assert p.returncode == 0, p.stderr
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    # district level: no extortion indicator passes the signal filter (tests/test_dashboard_captions.py)
    assert "Riesgo de violencia y desplazamiento en El Salvador, 2023" in text
    assert "Caída de los registros: Muertes registradas por ACLED" in text  # 2023 is under a quarter of 2018–2022


def test_export_table_xlsx_indicator(tmp_path, built_store, data_root):
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    p = run(["table", "--year", "2023", "--level", "municipio", "--layer", "acled_events", "--format", "xlsx",
             "--lang", "en", "--out", str(out)], built_store, data_root)
    assert p.returncode == 0, p.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["data", "metadata"] and wb["data"].max_row == 45


@pytest.mark.parametrize("args, message", [
    (["table", "--year", "2023", "--out", "x.txt"], "format 'txt'"),
    (["map", "--year", "2023", "--layer", "nope", "--format", "svg", "--out", "x.svg"], "unknown layer 'nope'"),
])
def test_export_errors_exit_2_with_a_message(tmp_path, built_store, data_root, args, message):
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    p = run(args, built_store, data_root)
    assert p.returncode == 2 and message in p.stderr, p.stderr
    assert not list(tmp_path.iterdir())


def test_honduras_exports_name_its_own_dimensions_and_data_years(tmp_path, built_store, data_root):
    """Honduras has no extortion indicator and homicides of 2014 only: the map and the briefing
    say so (title, data years, a warning on the map) and never mention extortion or a window."""
    texts = []
    for what, out in (("map", tmp_path / "hnd_map.pdf"), ("briefing", tmp_path / "hnd_briefing.pdf")):
        args = [what, "--country", "hnd", "--lang", "en", "--out", str(out)]
        p = run(args + (["--format", "pdf"] if what == "map" else []), built_store, data_root)
        assert p.returncode == 0, p.stderr
        texts.append(" ".join(PdfReader(str(out)).pages[0].extract_text().split()))
    for text in texts:
        assert "violence and displacement" in text
        assert "Homicides (IUDPAS-UNAH) 2014" in text
        assert "newest year with data 2014, 9 years before the map year (2023)" in text
        assert "xtortion" not in text and "-year window" not in text
