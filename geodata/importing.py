"""Import of official figures (CSV or XLSX) as a new, versioned dataset of the store.

Files are taken as institutions produce them: UTF-8 (with or without byte-order mark), cp1252 or
latin-1; comma, semicolon or tab delimited; decimal commas; title rows above the header; blank,
total ("Total", "TOTAL GENERAL") and note rows; one column per year (wide) or a year column
(long); units by DIGESTYC code (``101`` or ``0101``) or by name, accented or not, in any case, with
the department attached ("Ilopango, San Salvador") or under an old name ("Nueva San Salvador");
262 districts or the 44 municipios of 2024 (detected, or chosen with ``level``). XLSX formulas are
read as their cached values (``data_only=True``); only the first worksheet is read.

Every problem is collected before anything is written (``geodata.validation``). An import runs in
one transaction and creates a new version of the dataset: the active version's observations with
the file's values added or updated (a file never removes stored values; rollback does that by
going back to an earlier version). The previous version becomes 'superseded' and is kept. A file
that changes nothing (for example the same file again) writes nothing and reports 'unchanged'.

Editor rights are checked by the caller (``geodata.roles``); ``editor`` is the name recorded.

Test hook: when ``RISKMAP_TEST_PAUSE_IN_TRANSACTION`` is set to a number of seconds, the import
sleeps that long inside its transaction, after writing the new version's rows and before
committing, and says so on stderr; the tests use it to kill an import mid-way.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.catalogue import Indicator, validate_indicator
from geodata.errors import DataError
from geodata.matching import Matcher, normalise
from geodata.validation import (FIRST_YEAR, IMPORT_LEVELS, LAST_YEAR, Entry, detect_level, fail, is_blank,
                                parse_number, show, validate)

__all__ = ["RawTable", "Layout", "Parsed", "ImportReport", "RollbackReport", "read_table", "find_layout",
           "to_entries", "parse", "import_file", "rollback", "datasets_table", "indicator_from_options",
           "MAX_BYTES", "MAX_ROWS", "EXTENSIONS", "PAUSE_ENV", "IMPORT_DIMENSIONS", "SKIP_REASONS"]

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 500
HEADER_SCAN = 30
EXTENSIONS = (".csv", ".xlsx")
PAUSE_ENV = "RISKMAP_TEST_PAUSE_IN_TRANSACTION"
_ENCODINGS = ("utf-8", "cp1252", "latin-1")
_DELIMITERS = (";", ",", "\t")

# Header vocabulary, on normalised text (lower case, no accents, punctuation as spaces).
_DEPT_WORD = re.compile(r"\b(departamento|departamentos|depto|dpto|department|dept)\b")
_CODE = re.compile(r"^(cod|codigo|code|codes|digestyc|pcode|ubigeo)( |$)")
_DEPT = re.compile(r"^(departamento|depto|dpto|department|dept)( |$)")
_NAME = re.compile(r"^(municipio|municipios|distrito|distritos|municipality|municipalities|district|"
                   r"districts|nombre|name|unidad|lugar|localidad)( |$)")
_YEAR = re.compile(r"^(ano|anio|anos|year|years|periodo|period)( |$)")
_YEAR_HEADER = re.compile(r"^(?:ano |anio |year )?((?:19|20)\d{2})$")
_TOTAL = re.compile(r"^(total|totales|suma|sum|gran total|total general|total pais|total nacional)( |$)")


# -- reading --------------------------------------------------------------------------------------
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


def _header_text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return normalise(cell)


def _role(cell) -> str | None:
    t = _header_text(cell)
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
    if _YEAR_HEADER.match(t):
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
    data, file = _load(source, filename, max_bytes)
    return _read(data, file)


def _load(source, filename, max_bytes) -> tuple[bytes, str]:
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


def _read(data: bytes, file: str) -> RawTable:
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
        roles = [_role(c) for c in cells]
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


# -- layout ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    """Which columns hold what: unit names, codes, department, year, and the value column(s).

    ``values`` is a tuple of ``(column index, year from the header or None)``; ``wide`` is True
    when the years are columns.
    """

    names: tuple[int, ...]
    codes: tuple[int, ...]
    dept: int | None
    year: int | None
    values: tuple[tuple[int, int | None], ...]
    wide: bool
    ignored: tuple[int, ...] = ()


def _numeric_share(raw: RawTable, j: int) -> tuple[int, int]:
    cells = [r[j] for r in raw.rows if not is_blank(r[j])]
    return sum(parse_number(c, raw.decimal) is not None for c in cells), len(cells)


def find_layout(raw: RawTable, *, year: int | None = None, value_column: str | None = None) -> Layout:
    """Find the unit, year and value columns; DataError when they are missing or ambiguous."""
    roles = [_role(c) for c in raw.header_cells]
    roles += [None] * (len(raw.header) - len(roles))
    pick = lambda role: tuple(j for j, r in enumerate(roles) if r == role)  # noqa: E731
    names, codes, depts, years = pick("name"), pick("code"), pick("dept"), pick("year")
    year_col = years[0] if years else None
    if year is not None and year_col is not None:
        raise fail("import.year_column_and_option", row=raw.header_row, column=raw.header[year_col])
    keys = set(names) | set(codes) | set(depts) | set(years) | set(pick("dept_code"))
    wide_cols = tuple((j, int(_YEAR_HEADER.match(_header_text(raw.header_cells[j])).group(1)))
                      for j in pick("year_header"))
    common = dict(names=names, codes=codes, dept=depts[0] if depts else None, year=year_col)
    if value_column is not None:
        want = normalise(value_column)
        match = [j for j, h in enumerate(raw.header) if normalise(h) == want]
        if not match:
            raise fail("import.unknown_value_column", row=raw.header_row, column=value_column,
                       columns=", ".join(f"'{h}'" for h in raw.header))
        j = match[0]
        header_year = dict(wide_cols).get(j)
        if year_col is None and year is None and header_year is None:
            raise fail("import.missing_year_column", row=raw.header_row)
        return Layout(**common, values=((j, header_year if year_col is None and year is None else None),),
                      wide=False)
    if year_col is None and wide_cols:
        others = tuple(j for j in range(len(raw.header)) if j not in keys and j not in dict(wide_cols))
        if year is not None:
            chosen = tuple((j, y) for j, y in wide_cols if y == year)
            if not chosen:
                raise fail("import.year_not_in_header", row=raw.header_row, year=year,
                           columns=", ".join(str(y) for _, y in wide_cols))
            wide_cols = chosen
        return Layout(**common, values=wide_cols, wide=True, ignored=others)
    rest = [j for j in range(len(raw.header)) if j not in keys]
    candidates = []
    for j in rest:
        numeric, filled = _numeric_share(raw, j)
        if numeric and numeric * 2 >= filled:
            candidates.append(j)
    if not candidates:
        filled = [j for j in rest if _numeric_share(raw, j)[1]]
        if len(filled) != 1:
            raise fail("import.no_value_column", row=raw.header_row,
                       columns=", ".join(f"'{raw.header[j]}'" for j in sorted(keys)) or "(none)")
        candidates = filled
    if len(candidates) > 1:
        raise fail("import.value_columns", row=raw.header_row,
                   candidates=", ".join(f"'{raw.header[j]}'" for j in candidates))
    if year_col is None and year is None:
        raise fail("import.missing_year_column", row=raw.header_row)
    return Layout(**common, values=((candidates[0], None),), wide=False)


def _is_total(cell) -> bool:
    return isinstance(cell, str) and bool(_TOTAL.match(normalise(cell)))


def to_entries(raw: RawTable, layout: Layout, *, year: int | None = None):
    """The file's values as ``Entry`` objects, the rows skipped (with reasons) and rows read.

    Skipped rows: totals (``not_a_unit``) and rows without any value (``missing_value``, such as
    notes below the table). Blank rows are not rows.
    """
    h = raw.header
    entries, skipped = [], []
    for number, cells in zip(raw.row_numbers, raw.rows):
        where = layout.names + layout.codes + ((layout.dept,) if layout.dept is not None else ())
        unit_cells = [cells[j] for j in where]
        if any(_is_total(c) for c in unit_cells):
            skipped.append({"row": number, "column": "", "value": show(next(c for c in unit_cells if _is_total(c))),
                            "reason": "not_a_unit"})
            continue
        values = [(j, y) for j, y in layout.values if not is_blank(cells[j])]
        if not values:
            first = next((c for c in cells if not is_blank(c)), "")
            skipped.append({"row": number, "column": "", "value": show(first), "reason": "missing_value"})
            continue
        base = dict(row=number, names=tuple((h[j], cells[j]) for j in layout.names),
                    codes=tuple((h[j], cells[j]) for j in layout.codes),
                    dept=(h[layout.dept], cells[layout.dept]) if layout.dept is not None else None)
        for j, header_year in values:
            if layout.year is not None:
                y = (h[layout.year], cells[layout.year], number)
            elif header_year is not None:
                y = (h[j], header_year, raw.header_row)
            else:
                y = ("--year", year, 0)
            entries.append(Entry(**base, year=y, value=(h[j], cells[j])))
    rows_read = len(raw.rows)
    return entries, pd.DataFrame(skipped, columns=["row", "column", "value", "reason"]), rows_read


# -- the whole parse ------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Parsed:
    """A validated file: its observations at ``level`` and the rows skipped."""

    file: str
    sha256: str
    level: str
    observations: pd.DataFrame
    skipped: pd.DataFrame
    rows_read: int
    rows_stored: int
    table: RawTable
    layout: Layout
    notes: tuple[str, ...] = ()


def parse(source: Path | str | bytes, *, matcher: Matcher, population: pd.DataFrame, kind: str,
          level: str | None = None, year: int | None = None, value_column: str | None = None,
          filename: str | None = None, max_bytes: int = MAX_BYTES, indicator_level: str | None = None,
          indicator_id: str = "") -> Parsed:
    """Read, lay out and validate a file; DataError listing every problem otherwise.

    ``level`` forces the unit level; else it is ``indicator_level`` (an existing indicator's) or
    detected. When the file's units match another level better than the indicator's, it is an
    error (``import.level_mismatch``).
    """
    data, file = _load(source, filename, max_bytes)
    sha = hashlib.sha256(data).hexdigest()
    if level is not None and level not in IMPORT_LEVELS:
        raise fail("import.bad_level", level=level, valid=", ".join(IMPORT_LEVELS))
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise fail("import.year_option_range", value=year, first=FIRST_YEAR, last=LAST_YEAR)
    raw = _read(data, file)
    layout = find_layout(raw, year=year, value_column=value_column)
    entries, skipped, rows_read = to_entries(raw, layout, year=year)
    if not entries:
        raise fail("import.no_rows", file=file, row=raw.header_row)
    if level is None:
        detected, counts = detect_level(entries, matcher)
        level = indicator_level or detected
        if counts[detected] > counts[level]:
            raise fail("import.level_mismatch", detected=detected, matched=counts[detected],
                       total=len({e.row for e in entries}), id=indicator_id, level=level)
    obs = validate(entries, file=file, matcher=matcher, level=level, kind=kind, population=population,
                   decimal=raw.decimal)
    notes = raw.notes + tuple(f"column '{raw.header[j]}' ignored: not a year column" for j in layout.ignored
                              if _numeric_share(raw, j)[1])
    return Parsed(file=file, sha256=sha, level=level, observations=obs, skipped=skipped, rows_read=rows_read,
                  rows_stored=int(obs["row"].nunique()), table=raw, layout=layout, notes=notes)


# -- indicators -----------------------------------------------------------------------------------
_ID = re.compile(r"[a-z][a-z0-9_]{2,49}")
_DATASET = re.compile(r"[a-z0-9][a-z0-9_\-]{2,63}")
_BAD_TEXT = re.compile(r"[<>\x00-\x1f\x7f-\x9f]")
#: Plain-language reasons of the rows an import skips (they are listed, never dropped silently).
SKIP_REASONS = {"not_a_unit": "total row, not a municipality",
                "missing_value": "no value in the row (blank values or a note)"}
NEW_INDICATOR_FIELDS = ("label_es", "label_en", "kind", "dimension", "unit")


IMPORT_DIMENSIONS = ("violence", "extortion", "displacement", "vulnerability")


def _text(field_name: str, value, limit: int = 200, *, required: bool = True) -> str:
    text = str(value if value is not None else "").strip()
    if (required and not text) or len(text) > limit or _BAD_TEXT.search(text):
        raise fail("import.bad_text", field=field_name, value=text, max=limit)
    return text


def indicator_from_options(ind_id: str, options: dict, *, dataset: str, level: str) -> Indicator:
    """An ``Indicator`` for a new imported series from plain options.

    ``options``: ``label_es``, ``label_en``, ``kind`` (count | share | rate | index), ``dimension``
    (violence | extortion | displacement | vulnerability), ``unit`` (or ``unit_es`` and ``unit_en``),
    optional ``direction`` (1 = higher is worse, default; -1), ``sensitive`` (default False),
    ``description_es``/``description_en``. Counts get ``denominator = "population"`` and
    ``per = 100000`` (rates per 100,000 population); other kinds ``denominator = "none"``, ``per = 1``.
    Labels, units and descriptions may not contain ``<``, ``>`` or control characters (they end up
    in map tooltips and chart titles, some of which render HTML).
    """
    have = {k for k, v in options.items() if v not in (None, "")}
    if "unit" not in have and {"unit_es", "unit_en"} <= have:
        have.add("unit")
    missing = [k for k in NEW_INDICATOR_FIELDS if k not in have]
    if missing:
        raise fail("import.incomplete_indicator", id=ind_id, missing=", ".join(missing))
    kind = options["kind"]
    try:
        direction = int(options.get("direction", 1))
    except (TypeError, ValueError):
        direction = 0
    ind = Indicator(id=ind_id, dataset=dataset, label_es=_text("label_es", options["label_es"]),
                    label_en=_text("label_en", options["label_en"]), level=level, kind=kind,
                    denominator="population" if kind == "count" else "none",
                    per=100000 if kind == "count" else 1,
                    unit_es=_text("unit_es", options.get("unit_es") or options.get("unit")),
                    unit_en=_text("unit_en", options.get("unit_en") or options.get("unit")),
                    direction=direction, dimension=options["dimension"],
                    description_es=_text("description_es", options.get("description_es"), 1000, required=False),
                    description_en=_text("description_en", options.get("description_en"), 1000, required=False),
                    sensitive=bool(options.get("sensitive", False)), options={})
    validate_indicator(ind)
    if ind.dimension not in IMPORT_DIMENSIONS or ind.level not in IMPORT_LEVELS:
        bad = ("dimension", ind.dimension, IMPORT_DIMENSIONS) if ind.dimension not in IMPORT_DIMENSIONS else (
            "level", ind.level, IMPORT_LEVELS)
        raise DataError("catalogue.bad_field", "indicator {id}: {field} = {value!r}; one of {valid}",
                        id=ind_id, field=bad[0], value=bad[1], valid=", ".join(bad[2]))
    return ind


# -- import ---------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ImportReport:
    """What an import did (or, for a dry run, would do).

    ``status``: 'imported' (a new version), 'unchanged' (nothing to change; nothing written) or
    'dry_run' (nothing written). ``added``/``changed``/``unchanged`` count the file's values that
    are new, differ from the active version, or equal it; ``kept`` counts stored values the file
    does not mention (left as they are). ``preview`` has one row per value of the file: ``row,
    unit, name, level, year, indicator, value, previous, denominator, change``
    (added | changed | unchanged). ``skipped``: ``row, column, value, reason`` of total rows and
    rows without values. ``version`` is the version created (dry run: that would be created;
    unchanged: the active one). ``notes``: what was read but not used (other sheets, a "Total"
    column of a wide table), in English.
    """

    dataset: str
    version: int
    sha256: str
    rows_read: int
    added: int
    changed: int
    unchanged: int
    status: str
    preview: pd.DataFrame
    indicator: str = ""
    level: str = ""
    kept: int = 0
    skipped: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_indicator: bool = False
    file: str = ""
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """One English line for the command line and logs."""
        verb = {"imported": f"imported as version {self.version}", "unchanged": "nothing to change",
                "dry_run": f"dry run for version {self.version}, nothing written"}[self.status]
        return (f"{self.file}: {self.dataset} ({self.indicator}, {self.level}): {verb}; {self.rows_read} rows "
                f"read, {self.added} added, {self.changed} changed, {self.unchanged} unchanged, "
                f"{self.kept} other stored values kept, {len(self.skipped)} rows skipped")


def _matcher(country: str, root: Path | None) -> Matcher:
    from geodata import config
    from geodata.boundaries import read_crosswalk
    from geodata.packs import load_pack

    root = root or config.data_root()
    crosswalk = read_crosswalk(root, load_pack(country))
    return Matcher.for_country(crosswalk, country)


def _stored_indicator(store, country: str, ind_id: str):
    defs = store.indicator_definitions(country)
    row = defs[defs["id"] == ind_id]
    if row.empty:
        return None, None
    return row["origin"].iloc[0], Indicator(**json.loads(row["definition"].iloc[0]))


def _plan(current: pd.DataFrame, obs: pd.DataFrame, indicator: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The preview (file values against the active version) and the new version's rows."""
    new = obs.assign(indicator=indicator)
    key = ["indicator", "level", "unit", "year"]
    old = current.set_index(key)["value"] if len(current) else pd.Series(dtype=float)
    idx = pd.MultiIndex.from_frame(new[key])
    previous = old.reindex(idx).to_numpy(dtype=float) if len(old) else np.full(len(new), np.nan)
    same = previous == new["value"].to_numpy()
    change = np.where(np.isnan(previous), "added", np.where(same, "unchanged", "changed"))
    preview = new.assign(previous=previous, change=change)[
        ["row", "unit", "name", "level", "year", "indicator", "value", "previous", "denominator", "change"]]
    in_file = pd.MultiIndex.from_frame(current[key]).isin(idx) if len(current) else np.zeros(0, bool)
    kept_rows = current[~in_file]
    rows = pd.concat([kept_rows, new[["unit", "level", "year", "indicator", "value", "denominator"]]],
                     ignore_index=True) if len(kept_rows) else new[["unit", "level", "year", "indicator", "value",
                                                                       "denominator"]]
    return preview.reset_index(drop=True), rows.reset_index(drop=True), int(len(kept_rows))


def import_file(store, source: Path | str | bytes, *, country: str = "slv", indicator: str, editor: str,
                year: int | None = None, value_column: str | None = None, dataset: str | None = None,
                dry_run: bool = False, new_indicator: dict | None = None, level: str | None = None,
                filename: str | None = None, root: Path | None = None, max_bytes: int = MAX_BYTES) -> ImportReport:
    """Validate a file of official figures and store it as a new version of a dataset.

    Parameters
    ----------
    store : ``geodata.store.Store`` (built: it must hold the population table).
    source : path of a .csv/.xlsx file, or its bytes with ``filename`` (a Streamlit upload).
    indicator : the indicator id. An existing imported indicator, or a new one defined by
        ``new_indicator`` (see ``indicator_from_options``). Pack indicators cannot be imported into.
    editor : the name recorded in the registry (``roles.cli_editor()`` or the dashboard user).
    year : the year of every value, for files without a year column (2000..2024).
    value_column : the column holding the values when several could.
    dataset : the dataset name (default: the indicator's dataset, or the indicator id).
    level : ``district`` or ``municipio_2024``; default the indicator's level, or detected.
    dry_run : validate and compare, write nothing.

    Returns
    -------
    ImportReport

    Raises
    ------
    DataError : ``import.rejected`` with ``params['problems']`` (every row problem), or one
        ``import.*`` key for a problem with the file or the request; the store is unchanged.
    """
    if not _ID.fullmatch(indicator or ""):
        raise fail("import.bad_indicator_id", id=show(indicator))
    editor = show(editor, 100) or "unknown"
    origin, known = _stored_indicator(store, country, indicator)
    if origin == "pack":
        raise fail("import.pack_indicator", id=indicator, dataset=known.dataset)
    if known is None and new_indicator is None:
        raise fail("import.unknown_indicator", id=indicator)
    name = dataset or (known.dataset if known is not None else indicator)
    if not _DATASET.fullmatch(name):
        raise fail("import.bad_dataset_name", name=show(name))
    if known is not None and known.dataset != name:
        raise fail("import.indicator_dataset", id=indicator, dataset=known.dataset, given=name)
    wanted_level = level or (new_indicator or {}).get("level") or None
    if wanted_level is not None and wanted_level not in IMPORT_LEVELS:
        raise fail("import.bad_level", level=show(wanted_level), valid=", ".join(IMPORT_LEVELS))
    if name in set(store.datasets(country).query("kind == 'pack'")["name"]):
        raise fail("import.pack_dataset", name=name)
    if known is not None and new_indicator is not None:
        again = indicator_from_options(indicator, new_indicator, dataset=name,
                                       level=new_indicator.get("level") or known.level)
        if again != known:
            raise fail("import.indicator_exists", id=indicator)
    if known is not None:
        if wanted_level is not None and wanted_level != known.level:
            raise fail("import.level_mismatch", detected=wanted_level, matched=0, total=0, id=indicator,
                       level=known.level)
        kind = known.kind
    else:
        kind = indicator_from_options(indicator, new_indicator, dataset=name,
                                      level=wanted_level or "district").kind
    matcher = _matcher(country, root)
    parsed = parse(source, matcher=matcher, population=store.population(country), kind=kind,
                   level=wanted_level, year=year, value_column=value_column, filename=filename,
                   max_bytes=max_bytes, indicator_level=known.level if known is not None else None,
                   indicator_id=indicator)
    ind = known if known is not None else indicator_from_options(indicator, new_indicator, dataset=name,
                                                                 level=parsed.level)
    definition = json.dumps(asdict(ind), ensure_ascii=False)

    def plan(con):
        active = store.active_version(con, country, name)
        current = store.version_rows(con, active[0]) if active is not None else pd.DataFrame(
            columns=["unit", "level", "year", "indicator", "value", "denominator"])
        preview, rows, kept = _plan(current, parsed.observations, indicator)
        counts = preview["change"].value_counts()
        nxt = con.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM datasets WHERE country = ? AND name = ?",
                          (country, name)).fetchone()[0]
        return active, preview, rows, kept, {k: int(counts.get(k, 0)) for k in ("added", "changed", "unchanged")}, nxt

    def report(status, version, preview, kept, n):
        return ImportReport(dataset=name, version=int(version), sha256=parsed.sha256, rows_read=parsed.rows_read,
                            status=status, preview=preview, indicator=indicator, level=parsed.level, kept=kept,
                            skipped=parsed.skipped, new_indicator=known is None, file=parsed.file,
                            notes=parsed.notes, **n)

    if dry_run:
        with store.connect() as con:
            active, preview, _, kept, n, nxt = plan(con)
        return report("dry_run", nxt, preview, kept, n)
    with store.transaction() as con:
        origin_now = con.execute("SELECT origin, definition FROM indicators WHERE country = ? AND id = ?",
                                 (country, indicator)).fetchone()
        if known is None and origin_now is not None:
            same = Indicator(**json.loads(origin_now[1])) == ind and origin_now[0] == "import"
            if not same:
                raise fail("import.indicator_exists", id=indicator)
        active, preview, rows, kept, n, nxt = plan(con)
        if n["added"] == 0 and n["changed"] == 0:
            return report("unchanged", active[1], preview, kept, n)
        unmatched = parsed.skipped.assign(file=parsed.file, suggestion="")[
            ["file", "row", "column", "value", "reason", "suggestion"]]
        ds = store.add_dataset(con, country=country, name=name, kind="import", source_file=show(parsed.file, 200),
                               sha256=parsed.sha256, observations=rows, unmatched=unmatched,
                               rows_read=parsed.rows_read, rows_stored=parsed.rows_stored, imported_by=editor,
                               notes=f"indicator {indicator}; {n['added']} added, {n['changed']} changed, "
                                     f"{n['unchanged']} unchanged, {kept} kept", version=nxt)
        _pause_for_tests()
        store.supersede(con, country, name, keep=ds, by=editor)
        if known is None:
            store.put_indicator(con, country, indicator, "import", definition)
        store.log(con, country, name, nxt, "import", editor, f"{parsed.file} ({parsed.sha256[:12]})")
    return report("imported", nxt, preview, kept, n)


def _pause_for_tests() -> None:
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        print(f"import: paused inside the transaction ({PAUSE_ENV})", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


# -- rollback and listing -------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class RollbackReport:
    """A rollback done (or, for a dry run, planned): ``preview`` lists the values that change:
    ``indicator, unit, level, year, value_now, value_after, change`` (added | removed | changed)."""

    dataset: str
    from_version: int | None
    to_version: int
    status: str  # 'rolled_back' | 'unchanged' | 'dry_run'
    preview: pd.DataFrame

    def summary(self) -> str:
        verb = {"rolled_back": "rolled back", "unchanged": "already active", "dry_run": "dry run, would roll back"}
        return (f"{self.dataset}: {verb[self.status]} from version {self.from_version} to version "
                f"{self.to_version}; {len(self.preview)} values change")


def rollback(store, name: str, *, to_version: int, editor: str, country: str = "slv",
             dry_run: bool = False) -> RollbackReport:
    """Make an earlier (or any other) version of an imported dataset the active one.

    The active version becomes 'rolled_back'; nothing is deleted, so a rollback can itself be
    undone by rolling back to the newer version. DataError for unknown names or versions.
    """
    ds = store.datasets(country)
    imports = ds[ds["kind"] == "import"]
    mine = imports[imports["name"] == name]
    if mine.empty:
        raise fail("rollback.unknown_dataset", name=show(name),
                   valid=", ".join(sorted(imports["name"].unique())) or "(none)")
    if to_version not in set(mine["version"]):
        raise fail("rollback.unknown_version", name=name, version=to_version,
                   valid=", ".join(map(str, sorted(mine["version"]))))
    active = mine[mine["status"] == "active"]
    from_version = int(active["version"].iloc[0]) if len(active) else None
    with store.connect() as con:
        after = store.version_rows(con, int(mine.loc[mine["version"] == to_version, "id"].iloc[0]))
        now = store.version_rows(con, int(active["id"].iloc[0])) if len(active) else after.iloc[0:0]
    key = ["indicator", "unit", "level", "year"]
    both = now.merge(after, on=key, how="outer", suffixes=("_now", "_after"))
    diff = both[~(both["value_now"] == both["value_after"])].copy()
    diff["change"] = np.where(diff["value_now"].isna(), "added",
                              np.where(diff["value_after"].isna(), "removed", "changed"))
    preview = diff[key + ["value_now", "value_after", "change"]].sort_values(key).reset_index(drop=True)
    if from_version == to_version:
        return RollbackReport(name, from_version, to_version, "unchanged", preview.iloc[0:0])
    if dry_run:
        return RollbackReport(name, from_version, to_version, "dry_run", preview)
    store.rollback(country, name, to_version, by=show(editor, 100) or "unknown")
    return RollbackReport(name, from_version, to_version, "rolled_back", preview)


def datasets_table(store, country: str = "slv", *, kind: str | None = None) -> pd.DataFrame:
    """The dataset registry for display: ``name, version, kind, status, source_file, sha256 (first 12),
    rows_read, observations, imported_at, imported_by``, newest version first within a name."""
    ds = store.datasets(country)
    if kind is not None:
        ds = ds[ds["kind"] == kind]
    out = ds[["name", "version", "kind", "status", "source_file", "sha256", "rows_read", "observations",
              "imported_at", "imported_by"]].copy()
    out["sha256"] = out["sha256"].str[:12]
    return out.sort_values(["kind", "name", "version"], ascending=[True, True, False]).reset_index(drop=True)
