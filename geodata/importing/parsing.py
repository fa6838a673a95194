"""From a read file and its layout to validated observations (``Entry`` rows, then
``geodata.validation.validate``); the rows skipped are listed with their reasons."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geodata.importing.layout import Layout, find_layout, numeric_share
from geodata.importing.reading import MAX_BYTES, TOTAL, RawTable, load_bytes, read_bytes
from geodata.matching import Matcher, normalise
from geodata.names import IMPORT_LEVELS
from geodata.validation import FIRST_YEAR, LAST_YEAR, Entry, detect_level, fail, is_blank, show, validate


def _is_total(cell) -> bool:
    return isinstance(cell, str) and bool(TOTAL.match(normalise(cell)))


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
    data, file = load_bytes(source, filename, max_bytes)
    sha = hashlib.sha256(data).hexdigest()
    if level is not None and level not in IMPORT_LEVELS:
        raise fail("import.bad_level", level=level, valid=", ".join(IMPORT_LEVELS))
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise fail("import.year_option_range", value=year, first=FIRST_YEAR, last=LAST_YEAR)
    raw = read_bytes(data, file)
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
                              if numeric_share(raw, j)[1])
    return Parsed(file=file, sha256=sha, level=level, observations=obs, skipped=skipped, rows_read=rows_read,
                  rows_stored=int(obs["row"].nunique()), table=raw, layout=layout, notes=notes)
