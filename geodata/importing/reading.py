"""Reading an import file (CSV or XLSX) down to its header row and data rows.

Encodings UTF-8 (with or without byte-order mark), UTF-16 with a mark, cp1252 and latin-1; comma,
semicolon or tab delimiters (sniffed); the decimal mark guessed from the cells. XLSX: the first
sheet, formulas as their cached values. The header row is the first of the first 30 non-blank
rows with at least two filled cells and a unit name or code column (the header vocabulary below).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from geodata.errors import DataError
from geodata.matching import normalise
from geodata.validation import fail, is_blank, show

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 500
HEADER_SCAN = 30
EXTENSIONS = (".csv", ".xlsx")
_ENCODINGS = ("utf-8", "cp1252", "latin-1")
_DELIMITERS = (";", ",", "\t")

#: Header vocabulary, on normalised text (lower case, no accents, punctuation as spaces).
_DEPT_WORD = re.compile(r"\b(departamento|departamentos|depto|dpto|department|dept)\b")
_CODE = re.compile(r"^(cod|codigo|code|codes|digestyc|pcode|ubigeo)( |$)")
_DEPT = re.compile(r"^(departamento|depto|dpto|department|dept)( |$)")
_NAME = re.compile(r"^(municipio|municipios|distrito|distritos|municipality|municipalities|district|"
                   r"districts|nombre|name|unidad|lugar|localidad)( |$)")
_YEAR = re.compile(r"^(ano|anio|anos|year|years|periodo|period)( |$)")
YEAR_HEADER = re.compile(r"^(?:ano |anio |year )?((?:19|20)\d{2})$")
TOTAL = re.compile(r"^(total|totales|suma|sum|gran total|total general|total pais|total nacional)( |$)")


@dataclass(frozen=True)
class RawTable:
    """A file's cells below its header row, as read (strings from CSV; numbers or text from XLSX).

    ``row_numbers`` are the 1-based file rows (CSV line or sheet row) of ``rows``.
    """

    file: str
    header: tuple[str, ...]
    header_cells: tuple
    rows: tuple[tuple, ...]
    row_numbers: tuple[int, ...]
    header_row: int
    encoding: str
    delimiter: str
    decimal: str
    notes: tuple[str, ...] = ()


def _check_name(file: str, size: int, max_bytes: int) -> None:
    ext = Path(file).suffix.lower()
    if ext not in EXTENSIONS:
        raise fail("import.bad_extension", file=file, ext=ext or "(none)")
    if size > max_bytes:
        raise fail("import.too_large", file=file, size=size, limit=max_bytes)
    if size == 0:
        raise fail("import.empty", file=file)


def _decode(data: bytes, file: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise fail("import.unreadable_csv", file=file, detail="invalid UTF-8 after a byte-order mark") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise fail("import.unreadable_csv", file=file, detail="invalid UTF-16") from None
    for enc in _ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _csv_records(text: str, delimiter: str, file: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """``(file row, cells)`` of each record; a record's row is the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    out, line = [], 0
    try:
        for cells in reader:
            out.append((line + 1, cells))
            line = reader.line_num
            if len(out) > (limit or MAX_ROWS + HEADER_SCAN):
                if limit:
                    break
                raise fail("import.too_many_rows", file=file, limit=MAX_ROWS)
            if len(cells) > MAX_COLUMNS:
                raise fail("import.too_many_columns", file=file, limit=MAX_COLUMNS)
    except csv.Error as err:
        raise fail("import.unreadable_csv", file=file, detail=show(err)) from None
    return out


def _sniff_delimiter(text: str, file: str) -> str:
    sample = "\n".join([ln for ln in text.splitlines() if ln.strip()][:60])
    best, best_score = ",", (0, 0)
    for d in _DELIMITERS:
        try:
            counts = [len(c) for _, c in _csv_records(sample, d, file, limit=60) if len(c) > 1]
        except DataError:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        score = (counts.count(mode), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def _xlsx_records(data: bytes, file: str) -> tuple[list[tuple[int, list]], list[str]]:
    import openpyxl

    out, notes = [], []
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            if len(wb.worksheets) > 1:
                notes.append(f"only the first sheet '{show(ws.title)}' was read; the workbook has "
                             f"{len(wb.worksheets)} sheets")
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                if len(out) > MAX_ROWS + HEADER_SCAN:
                    raise fail("import.too_many_rows", file=file, limit=MAX_ROWS)
                cells = list(cells)
                if len(cells) > MAX_COLUMNS:
                    cells = cells[:MAX_COLUMNS] if all(is_blank(c) for c in cells[MAX_COLUMNS:]) else None
                    if cells is None:
                        raise fail("import.too_many_columns", file=file, limit=MAX_COLUMNS)
                out.append((number, [_xlsx_cell(c) for c in cells]))
        finally:
            wb.close()
    except DataError:
        raise
    except Exception as err:  # a corrupt workbook can fail anywhere inside openpyxl, zipfile or XML
        raise fail("import.unreadable_xlsx", file=file, detail=type(err).__name__) from None
    return out, notes


def _xlsx_cell(c):
    if c is None or isinstance(c, (int, float, str)) and not isinstance(c, bool):
        return c
    return str(c)  # dates, times, booleans: as text, so that they are reported, not guessed


def header_text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return normalise(cell)


def header_role(cell) -> str | None:
    t = header_text(cell)
    if not t:
        return None
    if _CODE.match(t):
        return "dept_code" if _DEPT_WORD.search(t) else "code"
    if _DEPT.match(t):
        return "dept"
    if _NAME.match(t):
        return "name"
    if _YEAR.match(t):
        return "year"
    if YEAR_HEADER.match(t):
        return "year_header"
    return None


def _decimal(rows, delimiter: str) -> str:
    comma = dot = 0
    for cells in rows[:500]:
        for c in cells:
            if isinstance(c, str):
                s = c.strip()
                if re.fullmatch(r"-?\d+,\d+", s) and not re.fullmatch(r"-?\d{1,3}(,\d{3})+", s):
                    comma += 1
                elif re.fullmatch(r"-?\d+\.\d+", s) and not re.fullmatch(r"-?\d{1,3}(\.\d{3})+", s):
                    dot += 1
    if comma != dot:
        return "," if comma > dot else "."
    return "." if delimiter == "," else ","


def read_table(source: Path | str | bytes, *, filename: str | None = None, max_bytes: int = MAX_BYTES) -> RawTable:
    """Read a CSV or XLSX file down to its header and data rows.

    Parameters
    ----------
    source : a path, or the file's bytes (then ``filename`` gives its name and extension).
    max_bytes : size limit in bytes (default 10 MiB).

    Raises
    ------
    DataError : wrong extension, too large, empty, unreadable, no header row (keys ``import.*``).
    """
    data, file = load_bytes(source, filename, max_bytes)
    return read_bytes(data, file)


def load_bytes(source, filename, max_bytes) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        file = filename or "upload"
        _check_name(file, len(source), max_bytes)
        return bytes(source), file
    path = Path(source)
    file = filename or path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise DataError("data.missing_file", "data file not found: {path}", path=show(path, 200)) from None
    _check_name(file, size, max_bytes)
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    _check_name(file, len(data), max_bytes)
    return data, file


def read_bytes(data: bytes, file: str) -> RawTable:
    notes: list[str] = []
    if Path(file).suffix.lower() == ".xlsx":
        (records, notes), encoding, delimiter = _xlsx_records(data, file), "xlsx", ""
    else:
        text, encoding = _decode(data, file)
        if "\x00" in text:
            raise fail("import.binary", file=file)
        delimiter = _sniff_delimiter(text, file)
        records = _csv_records(text, delimiter, file)
    records = [(n, cells) for n, cells in records if not all(is_blank(c) for c in cells)]
    if not records:
        raise fail("import.empty", file=file)
    head = None
    for i, (n, cells) in enumerate(records[:HEADER_SCAN]):
        roles = [header_role(c) for c in cells]
        if sum(not is_blank(c) for c in cells) >= 2 and ({"name", "code"} & set(roles)):
            head = i
            break
    if head is None:
        raise fail("import.no_header", file=file, n=HEADER_SCAN)
    header_row, cells = records[head]
    body = records[head + 1:]
    # as wide as the last filled cell of the header or of any row: no value is dropped unseen
    width = max([_last_filled(cells)] + [_last_filled(c) for _, c in body])
    cells = (list(cells) + [None] * width)[:width]
    names, used = [], set()
    for j, c in enumerate(cells):
        name = show(c, 80) or f"column {j + 1}"
        base, k = name, 2
        while name in used:
            name, k = f"{base} ({k})", k + 1
        used.add(name)
        names.append(name)
    rows = tuple(tuple((list(c) + [None] * width)[:width]) for _, c in body)
    return RawTable(file=file, header=tuple(names), header_cells=tuple(cells), rows=rows,
                    row_numbers=tuple(n for n, _ in body), header_row=header_row, encoding=encoding,
                    delimiter=delimiter, decimal=_decimal(rows, delimiter), notes=tuple(notes))


def _last_filled(cells) -> int:
    return max((j + 1 for j, c in enumerate(cells) if not is_blank(c)), default=1)
