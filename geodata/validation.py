"""Validation of imported official figures: every problem of a file, found before anything is written.

Each problem names the file row, the column, the value, a translation key and its parameters,
and carries its English text (``MESSAGES``). ``validate`` collects all of them and raises one
``DataError`` (key ``import.rejected``) whose ``params["problems"]`` is the list, so the command
line prints one line per problem and the Data page shows them as a table (``problems_frame``).

Values taken from the file are shortened and stripped of control characters before they enter a
message (``show``); HTML or Markdown escaping is the job of whoever renders the text
(``dashboard/text.py``). Nothing the file says is stored as text: only unit codes, years and numbers.

Examples
--------
>>> parse_number("12,5", ","), parse_number("1.234", ","), parse_number("1,234", ".")
(12.5, 1234.0, 1234.0)
>>> parse_number("n.d.", ","), parse_number("nan", ".")
(None, None)
>>> parse_year("2021"), parse_year(2021.0), parse_year("21")
(2021, 2021, None)
>>> problem("import.negative", row=4, column="Homicidios", value="-3").message
"row 4: column 'Homicidios': -3 is negative; a count must be 0 or more"
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from geodata.errors import DataError
from geodata.names import IMPORT_LEVELS

__all__ = ["MESSAGES", "Problem", "problem", "fail", "reject", "problems_frame", "show", "parse_number",
           "parse_year", "Entry", "resolve_row", "detect_level", "validate", "FIRST_YEAR", "LAST_YEAR"]

#: Years with population figures in the store (``geodata.population.YEARS``).
FIRST_YEAR, LAST_YEAR = 2000, 2024

#: English text of every import problem, by translation key (named placeholders).
MESSAGES = {
    # the file as a whole
    "import.bad_extension": "{file}: only .csv and .xlsx files can be imported, not '{ext}'",
    "import.too_large": "{file}: the file has {size} bytes, above the limit of {limit} bytes",
    "import.empty": "{file}: the file is empty",
    "import.binary": "{file}: not a text table: the file contains binary data",
    "import.unreadable_csv": "{file}: cannot be read as a CSV table ({detail})",
    "import.unreadable_xlsx": "{file}: cannot be read as an Excel .xlsx workbook ({detail})",
    "import.too_many_rows": "{file}: more than {limit} rows; split the file",
    "import.too_many_columns": "{file}: more than {limit} columns",
    "import.no_header": "{file}: no header row in the first {n} rows: expected a column named "
                        "'Municipio', 'Distrito' or 'Código'",
    "import.no_rows": "{file}: no data rows below the header (row {row})",
    # columns
    "import.missing_year_column": "row {row}: column 'Año' is missing: add a year column, put one "
                                  "column per year, or give the year (--year)",
    "import.no_value_column": "row {row}: no column with numbers to import besides {columns}",
    "import.value_columns": "row {row}: several columns could hold the values: {candidates}; "
                            "choose one with --value-column",
    "import.unknown_value_column": "row {row}: column '{column}' is not in the header; columns: {columns}",
    "import.year_column_and_option": "row {row}: the file has a year column '{column}'; leave out --year",
    "import.year_not_in_header": "row {row}: no column for year {year}; year columns: {columns}",
    # rows
    "import.unknown_unit": "row {row}: column '{column}': '{value}' is not a known municipality; "
                           "did you mean {suggestion}?",
    "import.unknown_unit_plain": "row {row}: column '{column}': '{value}' is not a known municipality",
    "import.ambiguous_unit": "row {row}: column '{column}': '{value}' matches several municipalities "
                             "({candidates}); add the department or the code",
    "import.unknown_department": "row {row}: column '{column}': '{value}' is not a known department",
    "import.bad_code": "row {row}: column '{column}': '{value}' is not a code (digits, e.g. 0101 or 101)",
    "import.unknown_code": "row {row}: column '{column}': '{value}' is not a known code at level {level}",
    "import.code_name_mismatch": "row {row}: column '{column}': '{value}' is {found}, but the code "
                                 "says {expected}",
    "import.missing_unit": "row {row}: no municipality name or code",
    "import.duplicate": "row {row}: column '{column}': {unit} in {year} is already at row {first_row}",
    "import.bad_year": "row {row}: column '{column}': '{value}' is not a year",
    "import.year_range": "row {row}: column '{column}': year {value} is outside {first}..{last}, the "
                         "years with population figures",
    "import.not_a_number": "row {row}: column '{column}': '{value}' is not a number",
    "import.negative": "row {row}: column '{column}': {value} is negative; a count must be 0 or more",
    "import.not_whole": "row {row}: column '{column}': {value} is not a whole number; a count must be whole",
    "import.share_range": "row {row}: column '{column}': {value} is outside 0..100; a share is a percent",
    "import.above_population": "row {row}: column '{column}': {value} is above the population of "
                               "{unit} in {year} ({population})",
    "import.no_population": "row {row}: no population for {unit} in {year}",
    # the request
    "import.rejected": "{file}: {n} problem(s); nothing was imported",
    "import.year_option_range": "--year {value} is outside {first}..{last}, the years with population "
                                "figures",
    "import.pack_dataset": "dataset '{name}' belongs to the country pack; choose another dataset name",
    "import.level_mismatch": "the units look like level {detected} ({matched} of {total} rows match), "
                             "but indicator '{id}' is at level {level}",
    "import.bad_level": "level '{level}' is not one of {valid}",
    "import.unknown_indicator": "indicator '{id}' is not defined: to define it give its labels "
                                "(es, en), kind, dimension and unit",
    "import.pack_indicator": "indicator '{id}' comes from the country pack (dataset {dataset}); "
                             "official figures need their own indicator id",
    "import.indicator_exists": "indicator '{id}' already exists with a different definition; leave "
                               "out the definition or choose another id",
    "import.indicator_dataset": "indicator '{id}' belongs to dataset '{dataset}', not '{given}'",
    "import.bad_indicator_id": "indicator id '{id}' must be 3..50 lower-case letters, digits or '_', "
                               "starting with a letter",
    "import.bad_dataset_name": "dataset name '{name}' must be 3..64 lower-case letters, digits, '_' "
                               "or '-', starting with a letter or digit",
    "import.incomplete_indicator": "to define indicator '{id}' give also: {missing}",
    "import.bad_text": "{field}: '{value}' must be 1..{max} characters, without '<', '>' or control "
                       "characters",
    "rollback.unknown_dataset": "no imported dataset named '{name}'; imported datasets: {valid}",
    "rollback.unknown_version": "dataset '{name}' has no version {version}; versions: {valid}",
}


@dataclass(frozen=True)
class Problem:
    """One problem: file row (0 when it concerns the whole file), column, value, key and text."""

    row: int
    column: str
    value: str
    key: str
    params: dict = field(compare=False)
    message: str = ""


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def show(value, limit: int = 60) -> str:
    """A file's cell as text safe to put in a message: no control characters, at most ``limit``.

    >>> show("Ilo\\x1b[31mpango"), show(12.0), show(None), show("x" * 70)[-3:]
    ('Ilo?[31mpango', '12', '', 'xx…')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = _CONTROL.sub("?", str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problem(key: str, **params) -> Problem:
    """A Problem with its English text; ``row``, ``column`` and ``value`` are read from params."""
    params.setdefault("row", 0)
    for name in ("column", "value", "file"):
        if name in params:
            params[name] = show(params[name], 120 if name == "file" else 60)
    return Problem(row=int(params["row"]), column=params.get("column", ""), value=params.get("value", ""),
                   key=key, params=params, message=MESSAGES[key].format(**params))


def fail(key: str, **params) -> DataError:
    """A DataError for one problem (its ``params['problems']`` holds it); raise the result."""
    p = problem(key, **params)
    return DataError(key, MESSAGES[key], **p.params, problems=(p,))


def reject(problems: list[Problem], file: str) -> DataError:
    """One DataError (``import.rejected``) holding every problem, sorted by file row."""
    ordered = tuple(sorted(problems, key=lambda p: p.row))
    return DataError("import.rejected", MESSAGES["import.rejected"], file=show(file, 120), n=len(ordered),
                     problems=ordered)


def problems_frame(err: DataError) -> pd.DataFrame:
    """The problems of a rejected import as a table: ``row, column, value, key, message``."""
    probs = err.params.get("problems") or (problem(err.key, **err.params) if err.key in MESSAGES else None,)
    return pd.DataFrame([{"row": p.row, "column": p.column, "value": p.value, "key": p.key,
                          "message": p.message} for p in probs if p is not None],
                        columns=["row", "column", "value", "key", "message"])


# -- cells ----------------------------------------------------------------------------------------
def is_blank(cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return isinstance(cell, str) and not cell.strip()


_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_number(cell, decimal: str = ".") -> float | None:
    """A finite number from a cell, or None. ``decimal`` is ``.`` or ``,``; the other one is read
    as a thousands separator only in groups of three (``1.234,5`` or ``1,234.5``)."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        x = float(cell)
        return x if math.isfinite(x) else None
    if not isinstance(cell, str):
        return None
    s = _SPACES.sub("", cell).rstrip("%")
    if not s or len(s) > 40:
        return None
    thousands = "," if decimal == "." else "."
    t, d = re.escape(thousands), re.escape(decimal)
    if re.fullmatch(rf"[-+]?\d{{1,3}}({t}\d{{3}})+({d}\d+)?", s):
        s = s.replace(thousands, "")
    if not re.fullmatch(rf"[-+]?(\d+({d}\d*)?|{d}\d+)", s):
        return None
    x = float(s.replace(decimal, "."))
    return x if math.isfinite(x) else None


def parse_year(cell) -> int | None:
    """A four-digit year from a cell (``2021``, ``2021.0``, ``" 2021 "``), or None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        if not math.isfinite(cell) or not float(cell).is_integer():
            return None
        cell = str(int(cell))
    if not isinstance(cell, str):
        return None
    m = re.fullmatch(r"\s*(\d{4})(\.0+)?\s*", cell)
    return int(m.group(1)) if m else None


# -- units ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One value of the file, with the cells that say where and when it is.

    ``names``/``codes``: ``(column, cell)`` of every unit-name and code column; ``dept``: the
    department column's ``(column, cell)`` or None; ``year``: ``(column, cell, row)`` where ``row``
    is the file row the year is on (the header row for a wide table); ``value``: ``(column, cell)``.
    """

    row: int
    names: tuple
    codes: tuple
    dept: tuple | None
    year: tuple
    value: tuple


def _label(matcher, level: str, code: str) -> str:
    return f"{matcher.label(level, code)} ({code})"


def resolve_row(entry: Entry, matcher, level: str) -> tuple[str | None, Problem | None]:
    """The unit code of an entry at ``level``, or the problem that prevents it.

    A code column wins over names; a name that resolves to another unit than the code is a
    problem. Names are tried in column order with the department column, if any.
    """
    dept_col, dept = entry.dept if entry.dept else ("", None)
    dept = None if is_blank(dept) else dept
    names = [(c, v) for c, v in entry.names if not is_blank(v)]
    for col, cell in entry.codes:
        if is_blank(cell):
            continue
        m = matcher.code(cell, level=level)
        if m.code is None:
            key = "import.bad_code" if m.reason == "bad_code" else "import.unknown_code"
            return None, problem(key, row=entry.row, column=col, value=cell, level=level)
        for ncol, name in names:
            n = matcher.resolve(name, dept, level=level)
            if n.code and n.code != m.code:
                return None, problem("import.code_name_mismatch", row=entry.row, column=ncol, value=name,
                                     found=_label(matcher, level, n.code), expected=_label(matcher, level, m.code))
        return m.code, None
    first = None
    for col, cell in names:
        m = matcher.resolve(cell, dept, level=level)
        if m.code:
            return m.code, None
        if first is None:
            first = (col, cell, m)
    if first is None:
        return None, problem("import.missing_unit", row=entry.row)
    col, cell, m = first
    if m.reason == "unknown_department":
        return None, problem("import.unknown_department", row=entry.row, column=dept_col, value=dept)
    if m.reason == "ambiguous":
        return None, problem("import.ambiguous_unit", row=entry.row, column=col, value=cell, candidates=m.suggestion)
    if m.suggestion:
        return None, problem("import.unknown_unit", row=entry.row, column=col, value=cell, suggestion=m.suggestion)
    return None, problem("import.unknown_unit_plain", row=entry.row, column=col, value=cell)


def detect_level(entries: list[Entry], matcher) -> tuple[str, dict[str, int]]:
    """The level whose units match most rows (ties: district), and the matches per level."""
    rows = {e.row: e for e in entries}
    counts = {lvl: sum(resolve_row(e, matcher, lvl)[0] is not None for e in rows.values())
              for lvl in IMPORT_LEVELS}
    best = max(IMPORT_LEVELS, key=lambda lvl: (counts[lvl], lvl == "district"))
    return best, counts


# -- the whole table ------------------------------------------------------------------------------
def validate(entries: list[Entry], *, file: str, matcher, level: str, kind: str, population: pd.DataFrame,
             decimal: str = ".") -> pd.DataFrame:
    """Observations of a file's entries, or a DataError listing every problem.

    Parameters
    ----------
    entries : the file's values (``Entry``), in file order.
    level : ``district`` (262) or ``municipio_2024`` (44).
    kind : the indicator's kind: ``count`` (events, whole, 0..population), ``share`` (percent
        0..100), ``rate`` (0 or more) or ``index`` (any finite number).
    population : ``unit, level, year, population`` (persons), as ``Store.population``.

    Returns
    -------
    DataFrame ``row, column, unit, name, level, year, value, denominator``: ``denominator`` is the
    population (persons) of the unit and year for counts, NaN otherwise.
    """
    problems: dict[tuple, Problem] = {}

    def add(p: Problem) -> None:
        problems.setdefault((p.row, p.column, p.key, p.value), p)

    pop = population[population["level"] == level]
    pop_of = dict(zip(zip(pop["unit"], pop["year"].astype(int)), pop["population"].astype(float)))
    units: dict[int, str | None] = {}
    seen: dict[tuple, int] = {}
    out = []
    for e in entries:
        if e.row not in units:
            code, prob = resolve_row(e, matcher, level)
            units[e.row] = code
            if prob:
                add(prob)
        code = units[e.row]
        ycol, ycell, yrow = e.year
        year = parse_year(ycell)
        if year is None:
            add(problem("import.bad_year", row=yrow, column=ycol, value=ycell))
        elif not FIRST_YEAR <= year <= LAST_YEAR:
            add(problem("import.year_range", row=yrow, column=ycol, value=year, first=FIRST_YEAR, last=LAST_YEAR))
            year = None
        vcol, vcell = e.value
        value = parse_number(vcell, decimal)
        ok = value is not None
        if value is None:
            add(problem("import.not_a_number", row=e.row, column=vcol, value=vcell))
        elif kind == "count" and value < 0 or kind == "rate" and value < 0:
            add(problem("import.negative", row=e.row, column=vcol, value=vcell))
            ok = False
        elif kind == "count" and not value.is_integer():
            add(problem("import.not_whole", row=e.row, column=vcol, value=vcell))
            ok = False
        elif kind == "share" and not 0 <= value <= 100:
            add(problem("import.share_range", row=e.row, column=vcol, value=vcell))
            ok = False
        if code is None or year is None:
            continue
        unit = _label(matcher, level, code)
        if (code, year) in seen:
            col = (e.codes or e.names or ((vcol, None),))[0][0]
            add(problem("import.duplicate", row=e.row, column=col, unit=unit, year=year, first_row=seen[(code, year)]))
            continue
        seen[(code, year)] = e.row
        denominator = math.nan
        if kind == "count":
            denominator = pop_of.get((code, year), math.nan)
            if math.isnan(denominator):
                add(problem("import.no_population", row=e.row, unit=unit, year=year))
            elif ok and value > denominator:
                add(problem("import.above_population", row=e.row, column=vcol, value=vcell, unit=unit, year=year,
                            population=f"{denominator:.0f}"))
        if ok:
            out.append({"row": e.row, "column": vcol, "unit": code, "name": matcher.label(level, code),
                        "level": level, "year": year, "value": value, "denominator": denominator})
    if problems:
        raise reject(list(problems.values()), file)
    df = pd.DataFrame(out, columns=["row", "column", "unit", "name", "level", "year", "value", "denominator"])
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    df["denominator"] = df["denominator"].astype("float64")
    return df
