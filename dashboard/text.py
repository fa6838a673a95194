"""Safe text: HTML escaping for folium, numbers and percents per language, formula-safe CSV bytes,
the methodology text per language.

folium's ``GeoJsonTooltip`` puts feature properties and aliases into ``innerHTML`` without
escaping, so every text that reaches a folium element goes through ``escape`` first.
"""
from __future__ import annotations

import html
import io
import math
import re
from numbers import Number
from pathlib import Path

import pandas as pd

__all__ = ["escape", "escape_all", "literal", "markdown_literal", "format_number", "format_interval",
           "neutralise_formula", "percent", "csv_bytes", "methodology_text", "FORMULA_PREFIXES"]

#: Cell openings a spreadsheet reads as a formula (OWASP CSV injection), plus tab and CR.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NO_VALUE = "–"


def escape(value) -> str:
    """``value`` as text safe inside HTML (``& < > " '`` escaped); None gives "".

    Examples
    --------
    >>> escape('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> escape("Ahuachapán & Sonsonate")
    'Ahuachapán &amp; Sonsonate'
    """
    return "" if value is None else html.escape(str(value), quote=True)


def literal(value) -> str:
    """User text made inert inside Streamlit markdown (``st.info``, ``st.markdown``, captions):
    a code span, whose content markdown shows character for character (no link, autolink,
    image, HTML tag, emphasis, colour, icon or formula), fenced with more backticks than the
    text holds; line breaks become spaces. Empty text gives "".

    Examples
    --------
    >>> literal("![i](http://h/t.png) <b>x</b>")
    '`![i](http://h/t.png) <b>x</b>`'
    >>> literal("a `b` c"), literal("`x")
    ('``a `b` c``', '`` `x ``')
    """
    text = " ".join(str("" if value is None else value).split())
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_literal(value) -> str:
    r"""``value`` as Markdown that shows exactly its text (every ASCII punctuation mark
    backslash-escaped, CommonMark's rule), for cells of ``st.table``, where ``literal``'s code
    span would change the look of every name; None gives "".

    >>> print(markdown_literal("*San* [Juan](x) :red[y] <b>"))
    \*San\* \[Juan\]\(x\) \:red\[y\] \<b\>
    """
    if value is None:
        return ""
    return "".join("\\" + c if c in _PUNCTUATION else c for c in str(value))


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def escape_all(props: dict) -> dict:
    """A copy of ``props`` with every string value escaped (numbers and None kept)."""
    return {k: escape(v) if isinstance(v, str) else v for k, v in props.items()}


def _missing(x) -> bool:
    return x is None or (isinstance(x, Number) and math.isnan(float(x)))


def format_number(x, lang: str, decimals: int = 1) -> str:
    """A number for people: Spanish ``1.234,5``, English ``1,234.5``; missing gives "–".

    Parameters
    ----------
    x : float or None
        The number; NaN and None are missing.
    lang : {"es", "en"}
        Spanish uses a decimal comma and a thousands point; anything else, English style.
    decimals : int, default 1
        Digits after the decimal mark (0 for counts).

    Examples
    --------
    >>> format_number(1234567.891, "es", 2), format_number(1234567.891, "en", 2)
    ('1.234.567,89', '1,234,567.89')
    >>> format_number(-0.04, "es"), format_number(float("nan"), "en")
    ('0,0', '–')
    """
    if _missing(x):
        return _NO_VALUE
    text = f"{float(x):,.{decimals}f}"
    if text.startswith("-") and float(text[1:].replace(",", "")) == 0:
        text = text[1:]  # no "-0.0"
    if lang == "es":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_interval(low, high, lang: str, decimals: int = 1) -> str:
    """``"low – high"`` in the language's number format; "–" when either end is missing."""
    if _missing(low) or _missing(high):
        return _NO_VALUE
    return f"{format_number(low, lang, decimals)} – {format_number(high, lang, decimals)}"


def neutralise_formula(cell):
    """An export cell that a spreadsheet will not run: text opening with = + - @ (or tab/CR)
    gets a leading apostrophe; numbers and other values pass unchanged.

    Examples
    --------
    >>> neutralise_formula("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_formula("San Salvador"), neutralise_formula(-3.5)
    ('San Salvador', -3.5)
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def percent(x, lang: str) -> str:
    """A probability or share 0..1 as a whole percent: Spanish ``58 %``, English ``58%``; "–" if missing.

    >>> percent(0.583, "es"), percent(0.583, "en"), percent(float("nan"), "en")
    ('58 %', '58%', '–')
    """
    if x is None or pd.isna(x):
        return "–"
    return format_number(100 * x, lang, 0) + (" %" if lang == "es" else "%")


def csv_bytes(frame, lang: str) -> bytes:
    """Every CSV the app writes: UTF-8 with BOM (spreadsheets read the accents), Spanish with
    ``;`` and a decimal comma, English with ``,`` and a decimal point; text cells and headers
    pass ``neutralise_formula``; numbers keep 6 significant digits.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"Nombre": ["=1+1", "Ilopango"], "Puntaje": [7.25, 6.0]})
    >>> csv_bytes(df, "es").decode("utf-8-sig")
    "Nombre;Puntaje\\n'=1+1;7,25\\nIlopango;6\\n"
    >>> csv_bytes(df.rename(columns={"Nombre": "Name", "Puntaje": "Score"}), "en").decode("utf-8-sig")
    "Name,Score\\n'=1+1,7.25\\nIlopango,6\\n"
    """
    import pandas as pd

    sep, dec = (",", ".") if lang == "en" else (";", ",")
    out = frame.copy()
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col]):
            out[col] = [(f"{v:.6g}".replace(".", dec) if isinstance(v, float) else neutralise_formula(v))
                        for v in out[col]]  # a number in a text column gets the language's decimal
    text = out.to_csv(index=False, sep=sep, decimal=dec, float_format="%.6g", lineterminator="\n")
    return ("\ufeff" + text).encode("utf-8")


def methodology_text(lang: str, country: str | None = None) -> str:
    """The methodology in ``lang`` (``docs/methodology.<lang>.md``, project text, no user data),
    for ``country``: a ``## `` section whose next line is ``<!-- countries: slv, ... -->`` is
    kept only for those countries (every section when ``country`` is None); markers removed."""
    import re

    from dashboard.i18n import normalise_lang

    docs = Path(__file__).resolve().parent.parent / "docs"
    text = (docs / f"methodology.{normalise_lang(lang)}.md").read_text(encoding="utf-8")
    marker = re.compile(r"^<!-- countries: ([a-z, ]+) -->\n", re.M)
    kept = []
    for section in re.split(r"(?m)^(?=## )", text):
        found = marker.search(section)
        if found and country and country not in {c.strip() for c in found.group(1).split(",")}:
            continue
        kept.append(marker.sub("", section))
    return "".join(kept)
