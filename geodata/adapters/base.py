"""What every adapter returns, and the bookkeeping they share."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geodata.errors import DataError

OBS_COLUMNS = ["unit", "level", "year", "indicator", "value", "denominator"]
UNMATCHED_COLUMNS = ["file", "row", "column", "value", "reason", "suggestion"]

#: Plain-language explanation of each unmatched reason, for the report file and the Data page.
REASONS = {
    "not_a_unit": "survey non-response or total row, not a municipality",
    "unknown_name": "name not found among the units or aliases",
    "ambiguous": "name matches several units; add the department or an alias",
    "unknown_department": "department name not recognised",
    "unknown_code": "code not among the units of this level",
    "bad_code": "code is not a number",
    "department_subtotal": "department subtotal row (the department file has these figures)",
    "national_total": "national total row",
    "footnote": "source footnote below the table",
    "missing_value": "the value is empty in the source",
    "unspecified_municipio": "the source does not say which municipio ('No especificado', 'Otros municipios')",
}


@dataclass
class AdapterResult:
    """Observations read from one file, and the rows that could not be placed."""

    observations: pd.DataFrame
    unmatched: pd.DataFrame
    rows_read: int
    rows_stored: int
    notes: list[str] = field(default_factory=list)
    #: Amounts of rows that could not be placed on a unit, by indicator and year (``{id: {year:
    #: amount}}``), so national sums can still be checked against the published totals.
    unplaced: dict = field(default_factory=dict)


class Ledger:
    """Collects unmatched rows of one file as adapters walk it."""

    def __init__(self, file: str):
        self.file = file
        self.rows: list[dict] = []

    def miss(self, row: int, column: str, value, reason: str, suggestion: str = "") -> None:
        self.rows.append({"file": self.file, "row": int(row), "column": column, "value": str(value),
                          "reason": reason, "suggestion": suggestion})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=UNMATCHED_COLUMNS)


def observations(records: list[dict]) -> pd.DataFrame:
    """Typed observation frame from dict records (denominator NaN where absent)."""
    df = pd.DataFrame(records, columns=OBS_COLUMNS)
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    df["denominator"] = df["denominator"].astype("float64")
    return df


def check_numbers(df: pd.DataFrame, columns, file: str, *, first_row: int = 2) -> None:
    """Raise DataError ``source.not_a_number`` naming the file, row, column and value of the
    first cell of ``columns`` that is neither empty nor a number.

    ``first_row`` is the file's line of ``df``'s first row (2 for a CSV with one header line).
    Empty cells pass: each adapter says what an empty cell means (no observation, or zero).
    """
    for column in dict.fromkeys(columns):
        if column not in df:
            raise DataError("source.missing_column", "{file}: column {column!r} is missing", file=file,
                            column=column)
        raw = df[column]
        bad = raw.notna() & pd.to_numeric(raw, errors="coerce").isna()
        if bad.any():
            pos = int(bad.to_numpy().argmax())
            raise DataError("source.not_a_number", "{file}, row {row}, column {column}: {value!r} is not a "
                            "number", file=file, row=pos + first_row, column=column,
                            value=str(raw.iloc[pos]))
