"""Text that users type and the store keeps (shortlist names and notes): plain text, bounded.

Stored as typed apart from control characters (removed) and surrounding spaces; it is never
interpreted as markdown or HTML anywhere (the dashboard shows it through
``dashboard.text.literal``). Too long or empty is refused with a sentence naming the field.

Examples
--------
>>> plain_text("  ![i](http://h/t.png)\\x00 ", field="name", max_chars=80)
'![i](http://h/t.png)'
>>> plain_text("x" * 81, field="name", max_chars=80)
Traceback (most recent call last):
...
geodata.errors.DataError: name: 81 characters, at most 80
"""
from __future__ import annotations

import unicodedata

import pandas as pd

from geodata.errors import DataError

__all__ = ["NAME_MAX", "NOTE_MAX", "ITEMS_MAX", "plain_text", "check_shortlist"]

#: Longest shortlist name, longest note (characters) and most units in one saved shortlist.
NAME_MAX, NOTE_MAX, ITEMS_MAX = 80, 500, 1000


def plain_text(value, *, field: str, max_chars: int, multiline: bool = False) -> str:
    """``value`` as plain text: control characters removed (newlines kept when ``multiline``),
    surrounding spaces stripped; DataError ``text.too_long`` beyond ``max_chars``."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    keep = {"\n"} if multiline else set()
    text = "".join(" " if ch == "\t" else ch for ch in text
                   if ch in keep or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")).strip()
    if len(text) > max_chars:
        raise DataError("text.too_long", "{field}: {n} characters, at most {max}", field=field, n=len(text),
                        max=max_chars)
    return text


def check_shortlist(name, items: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """The shortlist's name and items as stored: plain text within ``NAME_MAX`` / ``NOTE_MAX``
    and at most ``ITEMS_MAX`` rows, each with a unit code. DataError ``shortlist.no_name``,
    ``shortlist.no_units``, ``shortlist.no_code`` (naming the rows), ``text.too_long`` (naming the
    row of a note) or ``shortlist.too_many``."""
    name = plain_text(name, field="name", max_chars=NAME_MAX)
    if not name:
        raise DataError("shortlist.no_name", "a shortlist needs a name")
    if items.empty or "code" not in items:
        raise DataError("shortlist.no_units", "a shortlist needs at least one unit (column 'code')")
    blank = [i + 1 for i, c in enumerate(items["code"]) if c is None or pd.isna(c) or not str(c).strip()]
    if blank:  # an empty row (an editor's "+") is never stored
        raise DataError("shortlist.no_code", "rows {rows}: no unit code (column 'code')",
                        rows=", ".join(map(str, blank)))
    if len(items) > ITEMS_MAX:
        raise DataError("shortlist.too_many", "{n} units in one shortlist, at most {max}", n=len(items),
                        max=ITEMS_MAX)
    items = items.copy()
    if "note" in items:
        items["note"] = [plain_text(v, field=f"note, row {i + 1}", max_chars=NOTE_MAX, multiline=True)
                         for i, v in enumerate(items["note"])]
    return name, items
