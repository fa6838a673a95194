"""Which columns of an import file hold unit names, codes, department, year and values.

Long tables (a year column, or one year for the whole file) have one value column; wide tables
have one column per year (headers such as ``2021`` or ``Año 2021``). A value column is chosen
when it is the only mostly numeric column left, or named with ``value_column``.
"""
from __future__ import annotations

from dataclasses import dataclass

from geodata.importing.reading import YEAR_HEADER, RawTable, header_role, header_text
from geodata.matching import normalise
from geodata.validation import fail, is_blank, parse_number


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


def numeric_share(raw: RawTable, j: int) -> tuple[int, int]:
    cells = [r[j] for r in raw.rows if not is_blank(r[j])]
    return sum(parse_number(c, raw.decimal) is not None for c in cells), len(cells)


def find_layout(raw: RawTable, *, year: int | None = None, value_column: str | None = None) -> Layout:
    """Find the unit, year and value columns; DataError when they are missing or ambiguous."""
    roles = [header_role(c) for c in raw.header_cells]
    roles += [None] * (len(raw.header) - len(roles))
    pick = lambda role: tuple(j for j, r in enumerate(roles) if r == role)  # noqa: E731
    names, codes, depts, years = pick("name"), pick("code"), pick("dept"), pick("year")
    year_col = years[0] if years else None
    if year is not None and year_col is not None:
        raise fail("import.year_column_and_option", row=raw.header_row, column=raw.header[year_col])
    keys = set(names) | set(codes) | set(depts) | set(years) | set(pick("dept_code"))
    wide_cols = tuple((j, int(YEAR_HEADER.match(header_text(raw.header_cells[j])).group(1)))
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
        numeric, filled = numeric_share(raw, j)
        if numeric and numeric * 2 >= filled:
            candidates.append(j)
    if not candidates:
        filled = [j for j in rest if numeric_share(raw, j)[1]]
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
