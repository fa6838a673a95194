"""Titles, subtitles and footnotes built from what the data are (screen and exports alike):
the dimensions a score actually has, each indicator's own years, the pooling window only where
an indicator pools more than one year, and the warnings of ``risk_model.vintage``.

Nothing here names a country or an indicator: a fourth country's pack gets the same texts.
"""
from __future__ import annotations

from dashboard.i18n import t
from dashboard.text import format_number
from geodata.names import DIMENSIONS
from risk_model.vintage import MAX_AGE, data_flags

__all__ = ["join_words", "dimensions_text", "years_text", "data_years_text", "pools_years",
           "warnings", "composite_texts"]


def join_words(words, lang: str) -> str:
    """``["a", "b", "c"]`` -> "a, b and c" (es: "a, b y c"); "" for none.

    >>> join_words(["violencia", "extorsión", "desplazamiento"], "es")
    'violencia, extorsión y desplazamiento'
    >>> join_words(["violence"], "en"), join_words([], "en")
    ('violence', '')
    """
    words = [w for w in words if w]
    if len(words) < 2:
        return "".join(words)
    return t("text.and_list", lang, first=", ".join(words[:-1]), last=words[-1])


def dimensions_text(dimensions, lang: str) -> str:
    """The dimensions present, in the model's order, lower case: "violence and displacement"."""
    present = [d for d in DIMENSIONS if d in set(dimensions)]
    return join_words([t(f"export.dim_{d}", lang) for d in present], lang)


def years_text(years) -> str:
    """Years as "2014", "2021–2023" (consecutive run of three or more) or "2018, 2021, 2023"."""
    years = sorted({int(y) for y in years})
    if not years:
        return "–"
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def data_years_text(items, lang: str) -> str:
    """``(label, years)`` pairs -> "Homicides (IUDPAS-UNAH) 2014; Emigrants ... 2023" (each
    indicator with its own years, duplicates once)."""
    parts = []
    for label, years in items:
        part = t("text.label_years", lang, label=label, years=years_text(years))
        if part not in parts:
            parts.append(part)
    return "; ".join(parts)


def pools_years(estimates) -> bool:
    """True when some indicator estimate pools more than one year (so a window applies)."""
    return any(len(getattr(e, "years", ()) or ()) > 1 for e in estimates)


def warnings(data, indicators, year: int, lang: str) -> list[str]:
    """One sentence per flag of ``risk_model.vintage.data_flags`` for ``indicators`` at ``year``."""
    out = []
    for f in data_flags(data, indicators, year):
        label = data.catalogue[f.indicator].label(lang)
        if f.kind == "stale":
            out.append(t("text.warn_stale", lang, label=label, newest=f.newest, year=f.year,
                          age=f.year - f.newest, limit=MAX_AGE))
        else:
            out.append(t("text.warn_collapsed", lang, label=label, newest=f.newest,
                          total=format_number(f.total, lang, 0),
                          reference=format_number(f.reference, lang, 0),
                          first=f.first, last=f.newest - 1))
    return out


def _used(result) -> list[str]:
    """Indicator ids of ``result`` that count in its score (their dimension has a weight)."""
    dims = {d for d in result.spec.dimensions if result.spec.weight(d) > 0}
    return [k for k, i in result.catalogue.items() if i.dimension in dims and k in result.estimates]


def composite_texts(result, data, lang: str) -> dict:
    """What a composite map says about its data: ``dimensions`` (present, weighted), each used
    indicator's ``data_years``, whether a window ``pools``, and the ``warnings`` of
    ``risk_model.vintage`` (``data``: the ``ModelData``; None gives no warnings)."""
    used = _used(result)
    # the dimensions the score has: weighted and with an indicator left after the signal filter
    # (El Salvador's districts: no extortion indicator passes it, so the title does not say extortion)
    dims = {result.catalogue[k].dimension for k in used}
    return {"dimensions": dimensions_text(dims, lang),
            "data_years": data_years_text(
                [(result.catalogue[k].label(lang), result.estimates[k].years) for k in used], lang),
            "pools": pools_years(result.estimates[k] for k in used),
            "warnings": tuple(warnings(data, used, result.year, lang)) if data is not None else ()}
