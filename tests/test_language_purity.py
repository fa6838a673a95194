"""Spanish pages show no English and English pages no Spanish: every page of every country in
both languages (streamlit AppTest), every text Streamlit is asked to draw (titles, captions,
labels, options, help, placeholders, table headers and text cells), checked against a fixed
list of words of the other language.

Proper names are allowed in either language: the packs' attribution lines (institutions'
own names, e.g. "Armed Conflict Location & Event Data Project"), names in «quotes» and `code`
are removed before the check,
and the word lists leave out words that occur in place names ("de", "la", "San").
"""
from __future__ import annotations

import re

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from dashboard import frame, state
from geodata.config import PROJECT_ROOT
from geodata.packs import load_pack

APP = str(PROJECT_ROOT / "app.py")
#: Words that must not appear on a page of the other language (whole words, case-sensitive).
ENGLISH = ("the", "and", "with", "None", "nan", "Source", "Licence", "License", "How to obtain",
           "P(top", "Choose", "Rank", "Score", "Page not found", "years", "population", "area", "areas",
           "data", "Download", "Reliability", "Violence", "extortion", "displacement", "survey",
           "homicide", "homicides", "deaths", "months")
SPANISH = ("Fuente:", "Licencia", "Cómo obtener", "Ninguno", "Ninguna", "Puntaje", "Puntuación",
           "entre los", "primeros", "Elija", "territorios", "territorio", "Escenario", "Fiabilidad",
           "Prioridades", "Tendencias", "Metodología", "desplazamiento", "extorsión", "violencia",
           "encuesta", "años", "datos", "Datos", "Descargar", "habitantes",
           "homicidios", "defunciones", "incidencia", "meses", "carpetas")
#: Fields of Streamlit's element messages that are drawn as text.
SHOWN = {"body", "label", "options", "help", "placeholder", "caption", "text", "title", "value"}


def _strings(msg: Message, out: list[str]) -> None:
    for fd, val in msg.ListFields():
        many = hasattr(val, "__len__") and not isinstance(val, (str, bytes, Message))
        for v in (val if many else [val]):
            if isinstance(v, Message):
                _strings(v, out)
            elif isinstance(v, str) and fd.name in SHOWN:
                out.append(v)


def page_texts(node, out: list[str]) -> list[str]:
    """Every drawn text under an AppTest node (dataframes: headers and text cells; an image
    column's data URIs are pictures, not text)."""
    if type(node).__name__ == "Dataframe":
        df = node.value
        out += [str(c) for c in df.columns]
        out += [str(x) for c in df.columns for x in df[c]
                if (isinstance(x, str) and not x.startswith("data:image/")) or x is None]
        out += [str(x) for x in df.index if isinstance(x, str)]
    elif isinstance(getattr(node, "proto", None), Message):
        _strings(node.proto, out)
    children = getattr(node, "children", None)
    for child in (children.values() if isinstance(children, dict) else ()):
        page_texts(child, out)
    return out


def foreign_words(texts, lang: str) -> list[str]:
    """Occurrences of the other language's words in ``texts`` (attribution lines removed),
    each with some context.

    >>> foreign_words(["Fuente: ACLED", "Source: ACLED"], "es")
    ['Source: ACLED']
    >>> foreign_words(["P(entre los 10 primeros)", "San José de la Montaña"], "en")
    ['P(entre los 10 primeros)']
    """
    words = ENGLISH if lang == "es" else SPANISH
    pattern = re.compile(r"(?<![\w(])(" + "|".join(re.escape(w) for w in words) + r")(?![\w])")
    names = {s.attribution for c in state.COUNTRIES for s in load_pack(c).sources}
    found = []
    for text in texts:
        clean = re.sub(r"`[^`]*`|«[^»]*»", "", text)  # code and quoted names are no language
        for name in names:
            clean = clean.replace(name, "")
        found += [clean[max(0, m.start() - 50):m.end() + 50] for m in pattern.finditer(clean)]
    return found


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("country", state.COUNTRIES)
def test_every_page_speaks_one_language(request, monkeypatch, country, lang):
    store = request.getfixturevalue("mex_store" if country == "mex" else "built_store")  # Mexico: its own store
    monkeypatch.setenv("RISKMAP_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params["lang"], at.query_params["country"] = lang, country
    at.run()
    problems = {}
    for name in ("map", *frame.PAGE_ORDER):
        if name != "map":
            at.switch_page(f"pages/{name}.py")
            at.run()
        assert not at.exception, (name, at.exception)
        if found := foreign_words(page_texts(at._tree, []), lang):
            problems[name] = found
    assert not problems, problems
