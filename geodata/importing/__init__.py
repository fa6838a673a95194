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

The package by job: ``reading`` (bytes to header and rows, header vocabulary), ``layout`` (which
columns hold units, years and values), ``parsing`` (rows to validated observations),
``indicators`` (a new imported indicator from plain options) and ``versions`` (import as a new
dataset version, rollback, the registry). The SQL lives in ``geodata.store``.
"""
from __future__ import annotations

from geodata.importing.indicators import SKIP_REASONS, indicator_from_options
from geodata.importing.layout import Layout, find_layout
from geodata.importing.parsing import Parsed, parse, to_entries
from geodata.importing.reading import EXTENSIONS, MAX_BYTES, MAX_ROWS, RawTable, read_table
from geodata.importing.versions import ImportReport, RollbackReport, datasets_table, import_file, rollback

__all__ = ["RawTable", "Layout", "Parsed", "ImportReport", "RollbackReport", "read_table", "find_layout",
           "to_entries", "parse", "import_file", "rollback", "datasets_table", "indicator_from_options",
           "MAX_BYTES", "MAX_ROWS", "EXTENSIONS", "SKIP_REASONS"]
