"""Table downloads: CSV and XLSX of exactly the table on screen, formula-safe.

Every text cell (headers included) goes through ``dashboard.text.neutralise_formula``, so a
unit or note named ``=HYPERLINK(...)`` arrives in the spreadsheet as text, not as a formula.
CSV follows the language's spreadsheet habits: Spanish ``;`` and decimal comma, English ``,``
and decimal point, UTF-8 with a byte-order mark so that Excel reads accents. The XLSX has the
table and a metadata sheet (title, year, level, model spec, data version, dataset versions and
sha256, export date, language).
"""
from __future__ import annotations

import datetime as dt
import io
import math
from numbers import Number

import pandas as pd

from dashboard.i18n import t
from dashboard.text import csv_bytes, neutralise_formula

from .views import TableExport

__all__ = ["render_csv", "render_xlsx", "safe_frame"]


def _cell(value):
    """A plain Python cell: numbers stay numbers (NaN -> empty), text is neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Number):
        x = float(value)
        if math.isnan(x) or math.isinf(x):
            return None
        return int(value) if isinstance(value, int) else x
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.isoformat()
    return neutralise_formula(str(value))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with neutralised text cells and headers (numbers unchanged)."""
    out = frame.copy()
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col]):
            out[col] = [_cell(v) for v in out[col]]
    return out


def render_csv(table: TableExport) -> bytes:
    """The table as CSV bytes (``dashboard.text.csv_bytes``: one format per language)."""
    return csv_bytes(safe_frame(table.frame), table.lang)


def render_xlsx(table: TableExport) -> bytes:
    """The table and its metadata sheet as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    lang = table.lang
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(table.sheet_name)
    frame = safe_frame(table.frame)
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    bold = Font(bold=True)
    for c in ws[1]:
        c.font = bold
        c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    for j, col in enumerate(frame.columns, start=1):
        values = frame[col]
        if pd.api.types.is_float_dtype(values):
            for cell in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell[0].number_format = "0.000" if values.abs().max(skipna=True) < 10 else "0.0"
        longest = max([len(str(col))] + [len(str(v)) for v in values.head(500) if v is not None])
        ws.column_dimensions[get_column_letter(j)].width = min(48, max(8, longest + 2))
    meta = wb.create_sheet(_sheet_title(table.metadata_sheet))
    meta.append([t("export.meta_field", lang), t("export.meta_value", lang)])
    for field, value in table.metadata:
        meta.append([_cell(field), _cell(value)])
    if table.datasets is not None and len(table.datasets):
        meta.append([])
        meta.append([t("export.meta_datasets", lang)])
        meta.cell(meta.max_row, 1).font = bold
        ds = safe_frame(table.datasets)
        meta.append(list(ds.columns))
        for c in meta[meta.max_row]:
            c.font = bold
        for row in ds.itertuples(index=False):
            meta.append([_cell(v) for v in row])
    for c in meta[1]:
        c.font = bold
    meta.column_dimensions["A"].width = 28
    meta.column_dimensions["B"].width = 90
    for col in "CDEFGH":
        meta.column_dimensions[col].width = 22
    for row in meta.iter_rows(min_row=2, max_col=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    wb.properties.creator = "riskmap"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(name: str) -> str:
    """A valid sheet title (at most 31 characters, none of ``[]:*?/\\``)."""
    bad = set('[]:*?/\\')
    return "".join("_" if ch in bad else ch for ch in str(name))[:31] or "sheet"
